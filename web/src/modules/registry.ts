// The workbench registry. A module (dashboard, system, audit, later plans, cases, clues,
// screening, credit, trace …) is ONE file `src/modules/<name>/module.ts` whose default export
// is `defineModule({...})`: its routes, its menu items and its dashboard cards. The file is
// picked up by `src/modules/index.ts` (import.meta.glob); nothing else needs editing.
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'

/** Who may see a menu item, open a route or see a dashboard card. */
export interface Access {
  /** Any one of these permissions is enough (e.g. `org.write`). */
  permissions?: string[]
  /** Any one of these roles is enough (e.g. `office`). */
  roles?: string[]
}

export interface MenuNode extends Access {
  /** Unique key; groups with the same key from several modules are merged. */
  key: string
  /** i18n key of the label. */
  title: string
  icon?: Component
  /** Smaller first; default 50. */
  order?: number
  /** Route name for a leaf. */
  route?: string
  children?: MenuNode[]
}

export interface DashboardCard extends Access {
  id: string
  /** Smaller first; default 50. */
  order?: number
  /** Column span out of 24 on wide screens (default 12). */
  span?: number
  component: Component
}

/** A small component in the top bar (e.g. the reminders bell), left of the language switch. */
export interface HeaderWidget extends Access {
  id: string
  /** Smaller first; default 50. */
  order?: number
  component: Component
}

export type LocaleMessages = Record<string, unknown>

export interface AppModule {
  name: string
  /** Children of the main layout. Give every route a PascalCase `name` equal to its view's
   *  component name (keep-alive), and `meta.title` (i18n key); put access in `meta`. */
  routes?: RouteRecordRaw[]
  menu?: MenuNode[]
  dashboardCards?: DashboardCard[]
  headerWidgets?: HeaderWidget[]
  /** Messages merged into vue-i18n under the given locales. */
  messages?: { 'zh-CN'?: LocaleMessages; en?: LocaleMessages }
}

export function defineModule(m: AppModule): AppModule {
  return m
}

export interface AccessSubject {
  permissions: readonly string[]
  roles: readonly string[]
}

export function canAccess(user: AccessSubject | null | undefined, access: Access | undefined): boolean {
  if (!access) return true
  const perms = access.permissions ?? []
  const roles = access.roles ?? []
  if (perms.length === 0 && roles.length === 0) return true
  if (!user) return false
  if (perms.some((p) => user.permissions.includes(p))) return true
  if (roles.some((r) => user.roles.includes(r))) return true
  return false
}

const order = (n: { order?: number }) => n.order ?? 50

/** Merges the menus of several modules: nodes with the same key are combined, then sorted. */
export function mergeMenus(lists: MenuNode[][]): MenuNode[] {
  const byKey = new Map<string, MenuNode>()
  const roots: MenuNode[] = []
  const mergeInto = (target: MenuNode[], index: Map<string, MenuNode>, node: MenuNode) => {
    const existing = index.get(node.key)
    if (!existing) {
      const copy: MenuNode = { ...node, children: undefined }
      index.set(node.key, copy)
      target.push(copy)
      if (node.children) {
        copy.children = []
        const childIndex = new Map<string, MenuNode>()
        childIndexes.set(copy, childIndex)
        for (const c of node.children) mergeInto(copy.children, childIndex, c)
      }
      return
    }
    if (node.children) {
      if (!existing.children) existing.children = []
      let childIndex = childIndexes.get(existing)
      if (!childIndex) {
        childIndex = new Map()
        childIndexes.set(existing, childIndex)
      }
      for (const c of node.children) mergeInto(existing.children, childIndex, c)
    }
  }
  const childIndexes = new WeakMap<MenuNode, Map<string, MenuNode>>()
  for (const list of lists) for (const n of list) mergeInto(roots, byKey, n)
  const sortDeep = (nodes: MenuNode[]): MenuNode[] =>
    nodes
      .sort((a, b) => order(a) - order(b))
      .map((n) => (n.children ? { ...n, children: sortDeep(n.children) } : n))
  return sortDeep(roots)
}

/**
 * The menu a user may see: leaves they cannot use are dropped, and so are groups left empty.
 * A group's own access (if any) applies to everything under it.
 */
export function filterMenu(nodes: MenuNode[], user: AccessSubject | null | undefined): MenuNode[] {
  const out: MenuNode[] = []
  for (const n of nodes) {
    if (!canAccess(user, n)) continue
    if (n.children) {
      const children = filterMenu(n.children, user)
      if (children.length > 0) out.push({ ...n, children })
    } else if (n.route) {
      out.push(n)
    }
  }
  return out
}

/** The chain of menu nodes leading to a route name (for breadcrumbs). */
export function menuTrail(nodes: MenuNode[], routeName: string): MenuNode[] {
  for (const n of nodes) {
    if (n.route === routeName) return [n]
    if (n.children) {
      const sub = menuTrail(n.children, routeName)
      if (sub.length) return [n, ...sub]
    }
  }
  return []
}

/** Dashboard cards a user may see, in order. */
export function visibleCards(cards: DashboardCard[], user: AccessSubject | null | undefined): DashboardCard[] {
  return cards.filter((c) => canAccess(user, c)).sort((a, b) => order(a) - order(b))
}

/** Header widgets a user may see, in order. */
export function visibleHeaderWidgets(ws: HeaderWidget[], user: AccessSubject | null | undefined): HeaderWidget[] {
  return ws.filter((w) => canAccess(user, w)).sort((a, b) => order(a) - order(b))
}

/** Deep-merges plain message objects (module messages into the core ones). */
export function mergeMessages(target: LocaleMessages, source: LocaleMessages): LocaleMessages {
  for (const [k, v] of Object.entries(source)) {
    const cur = target[k]
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) {
      mergeMessages(cur as LocaleMessages, v as LocaleMessages)
    } else {
      target[k] = v
    }
  }
  return target
}
