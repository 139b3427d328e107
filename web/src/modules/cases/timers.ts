// The current user's running statutory timers (GET /me/case-timers): shared by the
// alarm clock in the top bar and the 法定时限提醒 dashboard card.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { caseApi, type CaseTimerReminder } from './api'

/** How often the bell asks again while a page is open. */
export const TIMER_REFRESH_MS = 5 * 60_000

export const useCaseTimersStore = defineStore('cases.timers', () => {
  const items = ref<CaseTimerReminder[]>([])
  const loading = ref(false)
  const failed = ref(false)
  let inflight: Promise<void> | null = null

  function load(): Promise<void> {
    if (inflight) return inflight
    loading.value = true
    failed.value = false
    inflight = caseApi
      // a widget in the header must not pop error messages on every page
      .myTimers({ showError: false })
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

  const overdue = computed(() => items.value.filter((r) => r.timer.overdue).length)
  const count = computed(() => items.value.length)

  return { items, loading, failed, load, overdue, count }
})
