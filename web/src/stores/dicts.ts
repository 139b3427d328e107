// Reference data shared by pages: roles and the region tree, fetched once per session.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { regionApi, roleApi, type Region, type Role } from '@/api'

export interface RegionNode extends Region {
  children?: RegionNode[]
}

export function buildRegionTree(regions: Region[]): RegionNode[] {
  const byCode = new Map<string, RegionNode>()
  for (const r of regions) byCode.set(r.code, { ...r })
  const roots: RegionNode[] = []
  for (const node of byCode.values()) {
    const parent = node.parent_code ? byCode.get(node.parent_code) : undefined
    if (parent) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  const sort = (ns: RegionNode[]) => {
    ns.sort((a, b) => a.code.localeCompare(b.code))
    for (const n of ns) if (n.children) sort(n.children)
  }
  sort(roots)
  return roots
}

export const useDictStore = defineStore('dicts', () => {
  const roles = ref<Role[]>([])
  const regions = ref<Region[]>([])
  let rolesPromise: Promise<Role[]> | null = null
  let regionsPromise: Promise<Region[]> | null = null

  const regionTree = computed(() => buildRegionTree(regions.value))
  const regionByCode = computed(() => new Map(regions.value.map((r) => [r.code, r])))
  const roleById = computed(() => new Map(roles.value.map((r) => [r.id, r])))

  function loadRoles(): Promise<Role[]> {
    if (!rolesPromise) {
      rolesPromise = roleApi
        .list()
        .then((r) => (roles.value = r.items))
        .catch((e) => {
          rolesPromise = null
          throw e
        })
    }
    return rolesPromise
  }

  function loadRegions(): Promise<Region[]> {
    if (!regionsPromise) {
      regionsPromise = regionApi
        .list()
        .then((r) => (regions.value = r.items))
        .catch((e) => {
          regionsPromise = null
          throw e
        })
    }
    return regionsPromise
  }

  function roleName(id: string, locale: string): string {
    const r = roleById.value.get(id)
    if (!r) return id
    return locale === 'en' ? r.name_en || r.name_zh : r.name_zh
  }

  /** Codes of a region and all of its ancestors, root first (for the cascader). */
  function regionPath(code: string): string[] {
    const out: string[] = []
    let cur = regionByCode.value.get(code)
    const seen = new Set<string>()
    while (cur && !seen.has(cur.code)) {
      seen.add(cur.code)
      out.unshift(cur.code)
      cur = cur.parent_code ? regionByCode.value.get(cur.parent_code) : undefined
    }
    return out
  }

  function reset(): void {
    roles.value = []
    regions.value = []
    rolesPromise = null
    regionsPromise = null
  }

  return { roles, regions, regionTree, regionByCode, roleById, loadRoles, loadRegions, roleName, regionPath, reset }
})
