// Statutory timers the user must act on (GET /me/case-timers): the countdown text, the alarm
// clock in the top bar (badge, list, opening a case, refresh) and the dashboard card.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { useAuthStore } from '@/stores/auth'
import { headerWidgets, dashboardCards } from '@/modules'
import { visibleCards, visibleHeaderWidgets } from '@/modules/registry'
import { countdown } from '@/modules/cases/logic'
import type { CaseTimerReminder } from '@/modules/cases/api'
import CaseTimerBell from '@/modules/cases/CaseTimerBell.vue'
import CaseTimersCard from '@/modules/cases/CaseTimersCard.vue'
import { makeUser } from './helpers'

const api = vi.hoisted(() => ({ myTimers: vi.fn() }))
vi.mock('@/modules/cases/api', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@/modules/cases/api')>()
  return { ...orig, caseApi: { ...orig.caseApi, myTimers: api.myTimers } }
})

const HOUR = 3_600_000
const NOW = Date.parse('2026-11-30T02:00:00Z')
const at = (ms: number) => new Date(NOW + ms).toISOString()

describe('countdown', () => {
  const timer = (ms: number, done: string | null = null) => ({ deadline_at: at(ms), done_at: done })
  it('counts hours under two days and whole days above, rounded down', () => {
    expect(countdown(timer(5 * HOUR + 59 * 60_000), NOW)).toEqual({ late: false, unit: 'hours', n: 5, soon: true })
    expect(countdown(timer(47 * HOUR), NOW)).toEqual({ late: false, unit: 'hours', n: 47, soon: false })
    expect(countdown(timer(71 * HOUR), NOW)).toEqual({ late: false, unit: 'days', n: 2, soon: false })
    expect(countdown(timer(24 * HOUR), NOW)?.soon).toBe(false)
    expect(countdown(timer(24 * HOUR - 1), NOW)?.soon).toBe(true)
  })
  it('counts minutes in the last hour, never "0 minutes"', () => {
    expect(countdown(timer(42 * 60_000 + 5_000), NOW)).toEqual({ late: false, unit: 'minutes', n: 42, soon: true })
    expect(countdown(timer(10_000), NOW)).toEqual({ late: false, unit: 'minutes', n: 1, soon: true })
  })
  it('counts the time past the deadline the same way', () => {
    expect(countdown(timer(-3 * HOUR), NOW)).toEqual({ late: true, unit: 'hours', n: 3, soon: false })
    expect(countdown(timer(-(3 * 24 + 5) * HOUR), NOW)).toEqual({ late: true, unit: 'days', n: 3, soon: false })
    expect(countdown(timer(-1), NOW)).toEqual({ late: true, unit: 'minutes', n: 1, soon: false })
  })
  it('has nothing to count once the timer is done', () => {
    expect(countdown(timer(-HOUR, at(-2 * HOUR)), NOW)).toBeNull()
  })
})

function reminder(caseId: string, number: string, ms: number, kind = 'approve'): CaseTimerReminder {
  return {
    case_id: caseId,
    case_number: number,
    org_name: '内蒙古自治区工商行政管理局',
    responsible: kind === 'police_decide' ? 'police' : 'agency_head',
    timer: {
      kind,
      name: kind === 'police_decide' ? '公安机关决定立案或不予立案' : '负责人决定是否批准移送',
      started_at: at(ms - 72 * HOUR),
      deadline_at: at(ms),
      done_at: null,
      legal_source: kind === 'police_decide' ? '国务院令第730号第八条' : '国务院令第730号第五条',
      rule: '3 日（自然日）',
      overdue: ms < 0,
    },
  }
}

let pinia: Pinia
let router: Router
const $ = (sel: string) => document.body.querySelector(sel) as HTMLElement | null
const $$ = (sel: string) => Array.from(document.body.querySelectorAll(sel)) as HTMLElement[]
const settle = async () => {
  for (let i = 0; i < 4; i++) await flushPromises()
}
const plugins = () => ({ global: { plugins: [ElementPlus, i18n, pinia, router] } })

beforeEach(() => {
  vi.setSystemTime(NOW)
  pinia = createPinia()
  setActivePinia(pinia)
  router = createAppRouter(createMemoryHistory())
  setLocale('zh-CN')
  document.body.innerHTML = ''
  api.myTimers.mockReset()
  useAuthStore().setUser(makeUser({ username: 'reviewer', permissions: ['case.review'] }))
})
afterEach(() => {
  vi.useRealTimers()
  setLocale('zh-CN')
})

describe('who sees the statutory timers', () => {
  const ids = (perms: string[]) => {
    const user = makeUser({ permissions: perms })
    return {
      widgets: visibleHeaderWidgets(headerWidgets, user).map((w) => w.id),
      cards: visibleCards(dashboardCards, user).map((c) => c.id),
    }
  }
  it('officers, reviewers and police, not the office or the procuratorate', () => {
    for (const p of ['case.write', 'case.review', 'case.police']) {
      expect(ids([p]).widgets).toContain('case-timers-bell')
      expect(ids([p]).cards).toContain('case-timers')
    }
    for (const p of ['case.read', 'case.procurate', 'stats.read']) {
      expect(ids([p]).widgets).not.toContain('case-timers-bell')
      expect(ids([p]).cards).not.toContain('case-timers')
    }
  })
})

describe('CaseTimerBell', () => {
  it('counts the timers, turns red when one is overdue and lists them soonest first', async () => {
    api.myTimers.mockResolvedValue({ items: [reminder('11', 'NMG-GSJ-2026-00011', -(3 * 24 + 2) * HOUR), reminder('12', 'NMG-GSJ-2026-00012', 5 * HOUR)] })
    const w = mount(CaseTimerBell, { ...plugins(), attachTo: document.body })
    await settle()
    expect(api.myTimers).toHaveBeenCalledWith({ showError: false })
    const badge = $('[data-testid="case-timer-bell"] .el-badge__content')!
    expect(badge.textContent?.trim()).toBe('2')
    expect(badge.className).toContain('el-badge__content--danger')

    $('[data-testid="case-timer-bell"]')!.click()
    await settle()
    const items = $$('[data-testid="case-timer-pop"] .case-timer')
    expect(items.map((i) => i.dataset.case)).toEqual(['NMG-GSJ-2026-00011', 'NMG-GSJ-2026-00012'])
    expect(items[0].dataset.state).toBe('late')
    expect(items[0].textContent).toContain('已超期 3 天')
    expect(items[0].textContent).toContain('负责人决定是否批准移送')
    expect(items[0].textContent).toContain('期限 2026-11-27 08:00')
    expect(items[0].title).toBe('依据：国务院令第730号第五条（3 日（自然日））')
    expect(items[1].dataset.state).toBe('soon')
    expect(items[1].textContent).toContain('剩余 5 小时')

    items[1].click()
    // the first navigation loads the (lazy) case page
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('CaseDetail'), { timeout: 8000 })
    expect(router.currentRoute.value.params.id).toBe('12')
    w.unmount()
  })

  it('is orange while nothing is overdue, and hides the badge when the list is empty', async () => {
    api.myTimers.mockResolvedValueOnce({ items: [reminder('12', 'NMG-GSJ-2026-00012', 50 * HOUR)] })
    const w = mount(CaseTimerBell, { ...plugins(), attachTo: document.body })
    await settle()
    const badge = () => $('[data-testid="case-timer-bell"] .el-badge__content')
    expect(badge()!.className).toContain('el-badge__content--warning')
    expect($('[data-testid="case-timer-pop"]')!.textContent).toContain('剩余 2 天')
    w.unmount()

    api.myTimers.mockResolvedValueOnce({ items: [] })
    document.body.innerHTML = ''
    setActivePinia((pinia = createPinia()))
    useAuthStore().setUser(makeUser({ username: 'reviewer', permissions: ['case.review'] }))
    const w2 = mount(CaseTimerBell, { ...plugins(), attachTo: document.body })
    await settle()
    expect(badge()).toBeNull()
    expect($('[data-testid="case-timer-pop"]')!.textContent).toContain('暂无须在法定时限内办理的案件')
    w2.unmount()
  })

  it('stays quiet when the server fails', async () => {
    api.myTimers.mockRejectedValue(new Error('502'))
    const w = mount(CaseTimerBell, { ...plugins(), attachTo: document.body })
    await settle()
    expect($('[data-testid="case-timer-bell"] .el-badge__content')).toBeNull()
    expect($('[data-testid="case-timer-pop"]')!.textContent).toContain('暂无须在法定时限内办理的案件')
    w.unmount()
  })

  it('asks again every five minutes and stops when unmounted', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    api.myTimers.mockResolvedValue({ items: [] })
    const w = mount(CaseTimerBell, { ...plugins(), attachTo: document.body })
    await settle()
    expect(api.myTimers).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(5 * 60_000)
    await settle()
    expect(api.myTimers).toHaveBeenCalledTimes(2)
    w.unmount()
    vi.advanceTimersByTime(10 * 60_000)
    expect(api.myTimers).toHaveBeenCalledTimes(2)
  })

  it('speaks English', async () => {
    setLocale('en')
    api.myTimers.mockResolvedValue({ items: [reminder('11', 'NMG-GAT-2026-00001', -3 * HOUR, 'police_decide')] })
    const w = mount(CaseTimerBell, { ...plugins(), attachTo: document.body })
    await settle()
    const item = $('[data-testid="case-timer-pop"] .case-timer')!
    expect(item.textContent).toContain('overdue by 3 h')
    expect(item.textContent).toContain('Police act')
    expect(item.title).toBe('Legal source: 国务院令第730号第八条 (3 日（自然日）)')
    w.unmount()
  })
})

describe('CaseTimersCard', () => {
  it('shows the list with the overdue count and opens the case', async () => {
    api.myTimers.mockResolvedValue({ items: [reminder('11', 'NMG-GSJ-2026-00011', -HOUR), reminder('12', 'NMG-GSJ-2026-00012', 30 * HOUR)] })
    const w = mount(CaseTimersCard, { ...plugins(), attachTo: document.body })
    await settle()
    const card = $('[data-testid="case-timers-card"]')!
    expect(card.textContent).toContain('法定时限提醒')
    expect(card.textContent).toContain('超期 1')
    expect(card.textContent).toContain('已超期 1 小时')
    expect(card.textContent).toContain('剩余 30 小时')
    $$('[data-testid="case-timers-card"] .case-timer')[0].click()
    await vi.waitFor(() => expect(router.currentRoute.value.params.id).toBe('11'), { timeout: 8000 })
    w.unmount()
  })
})
