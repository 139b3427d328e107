// The trace module (issue 7): pure helpers, the public verification client,
// the verification page without a session, and the module's menu.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { bitsLabel, eventSummary, isAlarming, prefecture, statusTone, timeline } from '@/modules/trace/logic'
import { verifyCode, type TraceEvent } from '@/modules/trace/api'
import VerifyView from '@/modules/trace/VerifyView.vue'
import { menuTree } from '@/modules'
import { filterMenu, type MenuNode } from '@/modules/registry'
import { stubFetch } from './helpers'

const keys = (nodes: MenuNode[]): string[] => nodes.flatMap((n) => [n.key, ...(n.children ? keys(n.children) : [])])

const event = (over: Partial<TraceEvent>): TraceEvent => ({
  id: '1', event_id: 'e', type: 'ObjectEvent', event_time: '2026-11-01T00:00:00.000Z', event_time_zone_offset: '+08:00',
  action: 'OBSERVE', biz_step: 'shipping', disposition: '', read_point: '', biz_location: '', codes: [], refs: [],
  declared_error: null, ...over,
})

describe('trace logic', () => {
  it('colours statuses and flags everything but 正常', () => {
    expect(statusTone('正常')).toBe('success')
    expect(statusTone('已召回')).toBe('danger')
    expect(statusTone('可疑')).toBe('danger')
    expect(statusTone('已销毁')).toBe('info')
    expect(statusTone('未发放')).toBe('warning')
    expect(isAlarming('正常')).toBe(false)
    expect(isAlarming('未发放')).toBe(true)
  })
  it('states the random bits of each format (vet: the 11-digit full width)', () => {
    expect(bitsLabel('pesticide')).toBe(69.7)
    expect(bitsLabel('vet')).toBe(36.5)
    expect(bitsLabel('seed')).toBe(66.4)
  })
  it('keeps regions at 盟市 level', () => {
    expect(prefecture('150102')).toBe('150100')
    expect(prefecture('15')).toBe('')
    expect(prefecture('<b>')).toBe('')
  })
  it('orders a timeline by time with erroneous events last', () => {
    const a = event({ id: 'a', event_time: '2026-11-02T00:00:00.000Z' })
    const b = event({ id: 'b', event_time: '2026-11-01T00:00:00.000Z', declared_error: 'did_not_occur' })
    const c = event({ id: 'c', event_time: '2026-11-03T00:00:00.000Z' })
    expect(timeline([c, b, a]).map((e) => e.id)).toEqual(['a', 'c', 'b'])
  })
  it('summarises aggregation, transformation and object events', () => {
    const name = (s: string) => ({ packing: '装箱', shipping: '发货' })[s] ?? s
    expect(eventSummary(event({ type: 'AggregationEvent', biz_step: 'packing', codes: [
      { role: 'parent', id: 'p', key: '00/1' }, { role: 'child', id: 'c', key: 'c1' }, { role: 'child', id: 'd', key: 'c2' },
    ] }), name)).toBe('装箱：2 → 00/1')
    expect(eventSummary(event({ biz_location: '414/0614141007776' }), name)).toBe('发货 @ 414/0614141007776')
  })
})

describe('verifyCode', () => {
  afterEach(() => vi.unstubAllGlobals())
  it('calls the public route without credentials, with the region', async () => {
    const { calls } = stubFetch({ 'GET /api/v1/public/verify/123': { body: { status: '未发放', message: 'm' } } })
    expect((await verifyCode('123', '150100')).status).toBe('未发放')
    expect(calls[0].url).toBe('/api/v1/public/verify/123?region=150100')
    expect(calls[0].init.credentials).toBe('omit')
  })
  it('reports 429 with the Retry-After seconds', async () => {
    stubFetch({ 'GET /api/v1/public/verify/1': { status: 429, body: {}, headers: { 'Retry-After': '3' } } })
    await expect(verifyCode('1', '')).rejects.toMatchObject({ status: 429, message: '3' })
  })
})

describe('VerifyView', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    setLocale('zh-CN')
    localStorage.clear()
  })
  afterEach(() => vi.unstubAllGlobals())

  it('is reachable without a session and shows the product and scan count', async () => {
    stubFetch({
      'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '请先登录' } } },
      'GET /api/v1/public/verify/10929272002000000000000000000001': {
        body: { status: '正常', product: '5%阿维菌素乳油', registrant: '演示农资', registration_no: 'PD20092927', batch: 'A1',
                production_date: '2026-11-01', first_scan_at: '2026-11-29T10:00:00.000Z', first_scan_region: '150100', scan_count: 2 },
      },
    })
    const router = createAppRouter(createMemoryHistory())
    await router.push('/v/10929272002000000000000000000001')
    await router.isReady()
    expect(router.currentRoute.value.name).toBe('TraceVerify')
    const w = mount(VerifyView, { global: { plugins: [i18n, router] } })
    await flushPromises()
    expect(w.get('[data-test=verify-status]').text()).toBe('正常')
    expect(w.get('[data-test=verify-product]').text()).toBe('5%阿维菌素乳油')
    expect(w.get('[data-test=verify-count]').text()).toBe('第 2 次')
    expect(w.text()).toContain('呼和浩特市')
  })

  it('shows 未发放 as an alarm', async () => {
    stubFetch({ 'GET /api/v1/public/verify/x': { body: { status: '未发放', message: '该码未发放，谨防假冒' } } })
    const router = createAppRouter(createMemoryHistory())
    await router.push('/v/x')
    const w = mount(VerifyView, { global: { plugins: [i18n, router] } })
    await flushPromises()
    expect(w.get('[data-test=verify-result]').classes()).toContain('alarm')
    expect(w.text()).toContain('谨防假冒')
  })
})

describe('trace menu', () => {
  it('enterprises see codes and events; officials also the clone board', () => {
    const enterprise = { roles: ['rightsholder'], permissions: ['trace.capture', 'trace.read', 'trace.issue', 'trace.recall'] }
    expect(keys(filterMenu(menuTree, enterprise))).toEqual(['dashboard', 'trace', 'trace.batches', 'trace.events', 'trace.clones', 'trace.notices', 'trace.places'])
    const officer = { roles: ['officer'], permissions: ['trace.read'] }
    expect(keys(filterMenu(menuTree, officer))).toContain('trace.clones')
    expect(keys(filterMenu(menuTree, { roles: ['police'], permissions: ['plan.report'] }))).not.toContain('trace')
  })
})
