// GET /stats/overview, shared by the dashboard cards of this module.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { statsApi, type StatsOverview } from '@/api'

export const useOverviewStore = defineStore('dashboard.overview', () => {
  const data = ref<StatsOverview | null>(null)
  const loading = ref(false)
  const failed = ref(false)
  let inflight: Promise<void> | null = null

  function load(): Promise<void> {
    if (inflight) return inflight
    loading.value = true
    failed.value = false
    inflight = statsApi
      .overview()
      .then((d) => {
        data.value = d
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

  return { data, loading, failed, load }
})
