// Table state for a paged list endpoint: page, page size, total, loading, error.
import { ref, shallowRef } from 'vue'
import type { Page } from '@/api'

export function usePagedList<T, Q extends object>(fetcher: (q: Q & { page: number; page_size: number }) => Promise<Page<T>>, pageSize = 20) {
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  const loaded = ref(false)
  const failed = ref(false)
  let seq = 0

  async function load(query: Q): Promise<void> {
    const mine = ++seq
    loading.value = true
    failed.value = false
    try {
      const res = await fetcher({ ...query, page: page.value, page_size: size.value })
      if (mine !== seq) return
      items.value = res.items ?? []
      total.value = res.total ?? 0
      // The server may clamp the page; keep what it says.
      if (res.page) page.value = res.page
    } catch {
      if (mine !== seq) return
      failed.value = true
      items.value = []
      total.value = 0
    } finally {
      if (mine === seq) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  return { items, total, page, size, loading, loaded, failed, load }
}

/** Drops empty strings so they are not sent as filters. */
export function compact<T extends object>(q: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(q)) {
    if (v === '' || v === null || v === undefined) continue
    ;(out as Record<string, unknown>)[k] = typeof v === 'string' ? v.trim() : v
  }
  return out
}
