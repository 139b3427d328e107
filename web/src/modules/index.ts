// Discovers every `src/modules/<name>/module.ts`. Adding a module = adding that one file.
import type { RouteRecordRaw } from 'vue-router'
import { mergeMenus, type AppModule, type DashboardCard, type HeaderWidget, type MenuNode } from './registry'

const found = import.meta.glob<{ default: AppModule }>('./*/module.ts', { eager: true })

export const modules: AppModule[] = Object.keys(found)
  .sort()
  .map((k) => found[k].default)

export const moduleRoutes: RouteRecordRaw[] = modules.flatMap((m) => m.routes ?? [])
export const menuTree: MenuNode[] = mergeMenus(modules.map((m) => m.menu ?? []))
export const dashboardCards: DashboardCard[] = modules.flatMap((m) => m.dashboardCards ?? [])
export const headerWidgets: HeaderWidget[] = modules.flatMap((m) => m.headerWidgets ?? [])
