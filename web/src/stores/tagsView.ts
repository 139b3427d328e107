import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { RouteLocationNormalized } from 'vue-router'

export interface VisitedView {
  name: string
  path: string
  fullPath: string
  title: string
  affix: boolean
  noCache: boolean
}

export const useTagsViewStore = defineStore('tagsView', () => {
  const visited = ref<VisitedView[]>([])
  /** Route names excluded from keep-alive while they reload. */
  const excluded = ref<string[]>([])

  const cachedNames = computed(() =>
    visited.value.filter((v) => !v.noCache && !excluded.value.includes(v.name)).map((v) => v.name),
  )

  function fromRoute(r: RouteLocationNormalized): VisitedView | null {
    if (!r.name || r.meta.bare || r.meta.public || !r.meta.title) return null
    return {
      name: String(r.name),
      path: r.path,
      fullPath: r.fullPath,
      title: r.meta.title,
      affix: r.meta.affix === true,
      noCache: r.meta.noCache === true,
    }
  }

  function addView(r: RouteLocationNormalized): void {
    const v = fromRoute(r)
    if (!v) return
    const i = visited.value.findIndex((x) => x.path === v.path)
    if (i >= 0) {
      visited.value[i] = { ...visited.value[i], fullPath: v.fullPath }
      return
    }
    if (v.affix) visited.value.unshift(v)
    else visited.value.push(v)
  }

  function addAffix(v: VisitedView): void {
    if (!visited.value.some((x) => x.path === v.path)) visited.value.unshift(v)
  }

  /** Removes one view; returns the view to show next if the removed one was active. */
  function removeView(path: string): VisitedView | undefined {
    const i = visited.value.findIndex((x) => x.path === path)
    if (i < 0 || visited.value[i].affix) return undefined
    visited.value.splice(i, 1)
    return visited.value[i] ?? visited.value[i - 1] ?? visited.value[visited.value.length - 1]
  }

  function removeOthers(path: string): void {
    visited.value = visited.value.filter((x) => x.affix || x.path === path)
  }

  function removeLeft(path: string): void {
    const i = visited.value.findIndex((x) => x.path === path)
    visited.value = visited.value.filter((x, j) => x.affix || j >= i)
  }

  function removeRight(path: string): void {
    const i = visited.value.findIndex((x) => x.path === path)
    visited.value = visited.value.filter((x, j) => x.affix || j <= i)
  }

  function removeAll(): void {
    visited.value = visited.value.filter((x) => x.affix)
  }

  function reset(): void {
    visited.value = []
    excluded.value = []
  }

  function exclude(name: string): void {
    if (!excluded.value.includes(name)) excluded.value.push(name)
  }

  function include(name: string): void {
    excluded.value = excluded.value.filter((n) => n !== name)
  }

  return {
    visited,
    cachedNames,
    addView,
    addAffix,
    removeView,
    removeOthers,
    removeLeft,
    removeRight,
    removeAll,
    reset,
    exclude,
    include,
  }
})
