// Shared state of the work-plan pages: the list of plans (for the plan selectors) and the
// current user's reminders (bell in the top bar and the dashboard card).
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { planApi, reminderApi, type Plan, type Reminder } from '@/api'

export const usePlansStore = defineStore('plans.list', () => {
  const plans = ref<Plan[]>([])
  const loading = ref(false)
  const loaded = ref(false)
  let inflight: Promise<Plan[]> | null = null

  function load(force = false): Promise<Plan[]> {
    if (loaded.value && !force) return Promise.resolve(plans.value)
    if (inflight) return inflight
    loading.value = true
    inflight = planApi
      .list()
      .then((r) => {
        // newest year first (the server sorts too)
        plans.value = [...(r.items ?? [])].sort((a, b) => b.year - a.year)
        loaded.value = true
        return plans.value
      })
      .finally(() => {
        loading.value = false
        inflight = null
      })
    return inflight
  }

  const latest = computed<Plan | null>(() => plans.value[0] ?? null)
  const byId = (id: string) => plans.value.find((p) => p.id === id) ?? null

  function upsert(p: Plan): void {
    const i = plans.value.findIndex((x) => x.id === p.id)
    if (i >= 0) plans.value.splice(i, 1, { ...plans.value[i], ...p })
    else plans.value = [p, ...plans.value].sort((a, b) => b.year - a.year)
  }

  return { plans, loading, loaded, load, latest, byId, upsert }
})

export const useRemindersStore = defineStore('plans.reminders', () => {
  const items = ref<Reminder[]>([])
  const loading = ref(false)
  const failed = ref(false)
  let inflight: Promise<void> | null = null

  function load(): Promise<void> {
    if (inflight) return inflight
    loading.value = true
    failed.value = false
    inflight = reminderApi
      // a bell in the header must not pop error messages on every page
      .mine({ showError: false })
      .then((r) => {
        items.value = r.items ?? []
      })
      .catch(() => {
        failed.value = true
      })
      .finally(() => {
        loading.value = false
        inflight = null
      })
    return inflight
  }

  const overdue = computed(() => items.value.filter((r) => r.kind === 'overdue').length)
  const count = computed(() => items.value.length)

  return { items, loading, failed, load, overdue, count }
})
