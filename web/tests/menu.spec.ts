import { describe, expect, it } from 'vitest'
import { defineComponent } from 'vue'
import { menuTree, moduleRoutes, dashboardCards, modules } from '@/modules'
import { canAccess, filterMenu, mergeMenus, menuTrail, visibleCards, type MenuNode } from '@/modules/registry'

const keys = (nodes: MenuNode[]): string[] => nodes.flatMap((n) => [n.key, ...(n.children ? keys(n.children) : [])])
const as = (roles: string[], permissions: string[]) => ({ roles, permissions })

// What the server gives each demo role (src/platform/permissions.cc).
const sysadmin = as(['sysadmin'], ['org.write', 'user.read', 'user.write'])
const secadmin = as(['secadmin'], ['user.read', 'role.grant'])
const auditadmin = as(['auditadmin'], ['audit.read', 'stats.read'])
const office = as(['office'], ['stats.read', 'plan.write', 'plan.report'])
const officer = as(['officer'], ['plan.report'])
const caseOfficer = as(['officer'], ['plan.report', 'case.write'])
const procurator = as(['procurator'], ['plan.report', 'case.procurate'])
const police = as(['police'], ['plan.report', 'case.police'])

describe('module registry', () => {
  it('discovers the modules and their routes', () => {
    expect(modules.map((m) => m.name).sort()).toEqual(['audit', 'cases', 'dashboard', 'plans', 'screening', 'system', 'trace'])
    expect(moduleRoutes.map((r) => r.name).sort()).toEqual([
      'AssessmentView', 'AuditLog', 'CaseBoard', 'CaseDetail', 'CaseList', 'CaseStats', 'Dashboard', 'DestructionUnits', 'MyTasks',
      'PlanBoard', 'PlanDetail', 'PlanList', 'ScreeningClues', 'ScreeningJobs', 'SupervisionList',
      'SystemOrganizations', 'SystemUsers', 'TraceBatches', 'TraceCloneBoard', 'TraceEvents', 'TraceNotices', 'TracePlaces',
    ])
    expect(dashboardCards.map((c) => c.id)).toContain('stat-organizations')
  })

  it('orders the menu: 首页 first, 工作要点, 案件办理, 电商监测 and 农资追溯 next, 系统管理 and 安全审计 last', () => {
    expect(menuTree.map((n) => n.key)).toEqual(['dashboard', 'plans', 'cases', 'screening', 'trace', 'system', 'security'])
  })
  it('registers the case detail route with a parameter', () => {
    expect(moduleRoutes.find((r) => r.name === 'CaseDetail')?.path).toBe('cases/:id')
    expect(moduleRoutes.find((r) => r.name === 'CaseBoard')?.meta?.permissions).toEqual(['case.procurate'])
  })
})

describe('filterMenu', () => {
  it('officer sees the dashboard and the work plan without the board (no 系统管理, no 审计日志)', () => {
    expect(keys(filterMenu(menuTree, officer))).toEqual([
      'dashboard', 'plans', 'plans.list', 'plans.mine', 'plans.supervisions', 'plans.assessment',
    ])
  })
  it('office sees the dashboard and the whole work plan group', () => {
    expect(keys(filterMenu(menuTree, office))).toEqual([
      'dashboard', 'plans', 'plans.list', 'plans.mine', 'plans.board', 'plans.supervisions', 'plans.assessment',
    ])
  })
  it('office with case.read sees the case list and the statistics', () => {
    const withCases = as(['office'], ['stats.read', 'plan.write', 'plan.report', 'case.read'])
    expect(keys(filterMenu(menuTree, withCases)).filter((k) => k.startsWith('cases'))).toEqual(['cases', 'cases.list', 'cases.stats', 'cases.units'])
  })
  it('an officer with case.write sees the case list but not the board or statistics', () => {
    expect(keys(filterMenu(menuTree, caseOfficer))).toContain('cases.list')
    expect(keys(filterMenu(menuTree, caseOfficer))).not.toContain('cases.board')
    expect(keys(filterMenu(menuTree, caseOfficer))).not.toContain('cases.stats')
  })
  it('the procurator sees cases, the supervision board and statistics', () => {
    expect(keys(filterMenu(menuTree, procurator))).toEqual(expect.arrayContaining(['cases', 'cases.list', 'cases.board', 'cases.stats']))
  })
  it('the police see only the case list of the group', () => {
    expect(keys(filterMenu(menuTree, police)).filter((k) => k.startsWith('cases'))).toEqual(['cases', 'cases.list', 'cases.units'])
  })
  it('sysadmin sees organisations and users but not the audit log', () => {
    expect(keys(filterMenu(menuTree, sysadmin))).toEqual(['dashboard', 'system', 'system.organizations', 'system.users'])
  })
  it('secadmin sees users (to grant roles) and organisations', () => {
    expect(keys(filterMenu(menuTree, secadmin))).toEqual(['dashboard', 'system', 'system.organizations', 'system.users'])
  })
  it('auditadmin sees the audit log only', () => {
    expect(keys(filterMenu(menuTree, auditadmin))).toEqual(['dashboard', 'security', 'security.audit'])
  })
  it('nobody signed in sees only items without access rules', () => {
    expect(keys(filterMenu(menuTree, null))).toEqual(['dashboard'])
  })
  it('drops a group whose own access rule fails, whatever its children say', () => {
    const tree: MenuNode[] = [{ key: 'g', title: 'g', roles: ['office'], children: [{ key: 'g.a', title: 'a', route: 'A' }] }]
    expect(filterMenu(tree, officer)).toEqual([])
    expect(keys(filterMenu(tree, office))).toEqual(['g', 'g.a'])
  })
})

describe('canAccess', () => {
  it('accepts any one of the permissions or roles', () => {
    expect(canAccess(officer, undefined)).toBe(true)
    expect(canAccess(officer, { permissions: [] })).toBe(true)
    expect(canAccess(officer, { permissions: ['org.write'] })).toBe(false)
    expect(canAccess(sysadmin, { permissions: ['audit.read', 'org.write'] })).toBe(true)
    expect(canAccess(office, { roles: ['office', 'police'] })).toBe(true)
    expect(canAccess(null, { roles: ['office'] })).toBe(false)
  })
})

describe('mergeMenus', () => {
  it('lets a later module add items to an existing group', () => {
    const a: MenuNode[] = [{ key: 'system', title: 'sys', order: 90, children: [{ key: 'system.users', title: 'u', route: 'U', order: 20 }] }]
    const b: MenuNode[] = [
      { key: 'system', title: 'sys', children: [{ key: 'system.dict', title: 'd', route: 'D', order: 5 }] },
      { key: 'cases', title: 'cases', order: 20, route: 'Cases' },
    ]
    const merged = mergeMenus([a, b])
    expect(merged.map((n) => n.key)).toEqual(['cases', 'system'])
    expect(merged[1].children!.map((n) => n.key)).toEqual(['system.dict', 'system.users'])
  })
})

describe('menuTrail and cards', () => {
  it('finds the breadcrumb trail of a route', () => {
    expect(menuTrail(menuTree, 'SystemUsers').map((n) => n.title)).toEqual(['menu.system', 'menu.users'])
    expect(menuTrail(menuTree, 'Nope')).toEqual([])
  })
  it('filters and orders dashboard cards', () => {
    const C = defineComponent({ render: () => null })
    const cards = [
      { id: 'b', order: 20, component: C },
      { id: 'a', order: 10, component: C, permissions: ['audit.read'] },
      { id: 'c', order: 5, component: C, roles: ['office'] },
    ]
    expect(visibleCards(cards, auditadmin).map((c) => c.id)).toEqual(['a', 'b'])
    expect(visibleCards(cards, office).map((c) => c.id)).toEqual(['c', 'b'])
  })
})
