// The trace pages added with places, recall notices and the suspicion review,
// mounted against a stubbed API.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { installApiHandlers } from '@/plugins/apiHandlers'
import { useAuthStore } from '@/stores/auth'
import { makeUser, stubFetch } from '../../../tests/helpers'
import NoticesView from './NoticesView.vue'
import CloneBoardView from './CloneBoardView.vue'
import PlacesView from './PlacesView.vue'
import BatchesView from './BatchesView.vue'
import VerifyView from './VerifyView.vue'
import EventsView from './EventsView.vue'
import EChart from '@/components/EChart.vue'
import type { Batch, CloneRules, RecallNotice, Suspicion } from './api'
import type { Region } from '@/api'

let pinia: Pinia
let router: Router
const plugins = () => ({ global: { plugins: [ElementPlus, i18n, pinia, router], stubs: { EChart: true } }, attachTo: document.body })
const $ = (sel: string) => document.body.querySelector(sel) as HTMLElement | null
const $$ = (sel: string) => Array.from(document.body.querySelectorAll(sel)) as HTMLElement[]
const settle = async () => {
  for (let i = 0; i < 4; i++) await flushPromises()
}
function type(el: HTMLElement | null, value: string) {
  const input = (el?.matches('input, textarea') ? el : el?.querySelector('input, textarea')) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
}

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  router = createAppRouter(createMemoryHistory())
  installApiHandlers(router, { error: vi.fn(), warning: vi.fn() })
  setLocale('zh-CN')
  document.body.innerHTML = ''
})

const NOTICE: RecallNotice = {
  id: '7', batch_id: '5', product_name: '5%阿维菌素乳油', lot: 'L1', enterprise_name: '内蒙古演示农资有限公司',
  recall_reason: '有效成分含量不合格', recalled_at: '2026-11-29T02:00:00Z', holder_key: '417/0614141000029',
  holder_id: 'urn:epc:id:pgln:0614141.00002', holder_name: '新城区农资店', region_code: '150102', region_name: '新城区',
  org_id: null, org_name: '呼和浩特市农牧局', routed: 'agriculture', status: '待确认', created_at: '2026-11-29T02:00:00Z',
  acknowledged_at: null, acknowledged_by_name: '', ack_note: '',
}

describe('NoticesView', () => {
  it('lists notices with the routing and acknowledges one with a required note', async () => {
    useAuthStore().setUser(makeUser({ roles: ['officer'], permissions: ['trace.read'] }))
    let acked = false
    const { calls } = stubFetch({
      'GET /api/v1/trace/recall-notices': () => ({
        body: { items: [acked ? { ...NOTICE, status: '已确认', acknowledged_at: '2026-11-29T03:00:00Z', ack_note: '已下架封存 20 箱' } : NOTICE], total: 1 },
      }),
      'POST /api/v1/trace/recall-notices/7/ack': () => {
        acked = true
        return { body: { ...NOTICE, status: '已确认' } }
      },
    })
    const w = mount(NoticesView, plugins())
    await settle()
    const row = $('[data-testid="notice-table"] .el-table__body-wrapper tr.el-table__row')!
    expect(row.textContent).toContain('属地农牧部门')
    expect(row.textContent).toContain('新城区（150102）')
    expect(row.textContent).toContain('待确认')
    $('[data-testid="notice-ack"]')!.click()
    await settle()
    $('[data-testid="notice-ack-submit"]')!.click()
    await settle()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    expect($('.el-dialog .el-form-item')!.classList).toContain('is-error')
    type($('[data-testid="notice-ack-note"]'), '已下架封存 20 箱')
    await settle()
    $('[data-testid="notice-ack-submit"]')!.click()
    await settle()
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ note: '已下架封存 20 箱' })
    await vi.waitFor(() => expect($('[data-testid="notice-table"] .el-table__body-wrapper tr.el-table__row')!.textContent).toContain('已下架封存 20 箱'))
    expect($('[data-testid="notice-ack"]')).toBeNull()
    w.unmount()
  })
})

const SUSPICION: Suspicion = {
  id: '9', rule: 'distant_regions', code_key: 'cn.pesticide/10929271001000000000000000000001', batch_id: '5', region_code: '150200',
  org_id: '3', org_name: '内蒙古自治区农牧业厅', detail: '48 小时内在 150100、150200 扫码', status: '待核查', hits: 2,
  created_at: '2026-11-29T02:00:00Z', updated_at: '2026-11-29T02:00:00Z', reviewed_by_name: '', reviewed_at: null, review_comment: '',
}

const DEFAULT_RULES = { scans_per_unit: 5, distant_window_hours: 48, cluster_threshold: 5, cluster_window_minutes: 60 }
const RULES: CloneRules = {
  rules: { ...DEFAULT_RULES, scans_per_unit: 3, distant_window_hours: 24 },
  defaults: DEFAULT_RULES,
  versions: [
    {
      id: '915', scans_per_unit: 3, distant_window_hours: 24, cluster_threshold: 5, cluster_window_minutes: 60,
      note: '春耕期间加强监测', changed_by: '7', changed_by_name: '区双打办管理员', changed_at: '2026-11-30T08:30:00.000Z',
    },
  ],
}

const REGIONS: Region[] = [
  { code: '150000', name: '内蒙古自治区', level: 'province', parent_code: null },
  { code: '150100', name: '呼和浩特市', level: 'prefecture', parent_code: '150000' },
  { code: '150200', name: '包头市', level: 'prefecture', parent_code: '150000' },
]

describe('CloneBoardView', () => {
  const routes = (calls: { status?: string }[]) => ({
    'GET /api/v1/trace/suspicions': ({ url }: { url: string }) => {
      calls.push({ status: new URL(url, 'http://x').searchParams.get('status') ?? '' })
      return { body: { items: [SUSPICION], total: 1 } }
    },
    'GET /api/v1/trace/scan-stats': { body: { by_region: [], by_day: [] } },
    'GET /api/v1/regions': { body: { items: REGIONS } },
    'POST /api/v1/trace/suspicions/9/review': { body: { ...SUSPICION, status: '已排除' } },
    'GET /api/v1/trace/rules': { body: RULES },
  })

  it('offers no review to readers without trace.review', async () => {
    useAuthStore().setUser(makeUser({ roles: ['rightsholder'], permissions: ['trace.read'] }))
    stubFetch(routes([]))
    const w = mount(CloneBoardView, plugins())
    await settle()
    expect($('[data-testid="suspicion-table"]')!.textContent).toContain('内蒙古自治区农牧业厅')
    expect($('[data-testid="suspicion-confirm"]')).toBeNull()
    w.unmount()
  })

  it('names the 盟市 of the scans chart and of the suspicions, leaving the detail as it is', async () => {
    useAuthStore().setUser(makeUser({ roles: ['officer'], permissions: ['trace.read'] }))
    stubFetch({
      ...routes([]),
      'GET /api/v1/trace/suspicions': { body: { items: [{ ...SUSPICION, region_code: '150100' }, { ...SUSPICION, id: '10', region_code: '159900' }], total: 2 } },
      'GET /api/v1/trace/scan-stats': {
        body: {
          by_region: [{ key: '150200', count: 7 }, { key: '150100', count: 4 }, { key: '未知', count: 2 }, { key: '159900', count: 1 }],
          by_day: [{ key: '2026-11-29', count: 14 }],
        },
      },
    })
    const w = mount(CloneBoardView, plugins())
    await settle()
    const [regionChart, dayChart] = w.findAllComponents(EChart).map((c) => c.props('option') as { xAxis: { data: string[] }; series: { data: number[] }[] })
    expect(regionChart.xAxis.data).toEqual(['包头市', '呼和浩特市', '未知', '159900'])
    expect(regionChart.series[0].data).toEqual([7, 4, 2, 1])
    expect(dayChart.xAxis.data).toEqual(['2026-11-29'])
    const cells = $$('[data-testid="suspicion-region"]')
    expect(cells.map((c) => c.textContent!.trim())).toEqual(['呼和浩特市', '159900'])
    expect(cells[0].getAttribute('title')).toBe('150100')
    const table = $('[data-testid="suspicion-table"]')!.textContent!
    expect(table).toContain('呼和浩特市')
    expect(table).toContain('48 小时内在 150100、150200 扫码')
    w.unmount()
  })

  it('needs a comment to dismiss', async () => {
    useAuthStore().setUser(makeUser({ roles: ['officer'], permissions: ['trace.read', 'trace.review'] }))
    const { calls } = stubFetch(routes([]))
    const w = mount(CloneBoardView, plugins())
    await settle()
    $('[data-testid="suspicion-dismiss"]')!.click()
    await settle()
    $('[data-testid="suspicion-submit"]')!.click()
    await settle()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    expect($('.el-dialog .el-form-item')!.classList).toContain('is-error')
    type($('[data-testid="suspicion-comment"]'), '同一经销商的两个门店')
    await settle()
    $('[data-testid="suspicion-submit"]')!.click()
    await settle()
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ decision: 'dismiss', comment: '同一经销商的两个门店' })
    w.unmount()
  })
})

describe('CloneBoardView rules', () => {
  const board = (extra: Parameters<typeof stubFetch>[0] = {}) =>
    stubFetch({
      'GET /api/v1/trace/suspicions': { body: { items: [], total: 0 } },
      'GET /api/v1/trace/scan-stats': { body: { by_region: [], by_day: [] } },
      'GET /api/v1/trace/rules': { body: RULES },
      'GET /api/v1/regions': { body: { items: REGIONS } },
      ...extra,
    })
  const value = (f: string) => $(`[data-testid="rules-value-${f}"]`)?.textContent?.trim()
  const setNumber = (testid: string, v: string) => {
    type($(`[data-testid="${testid}"]`), v)
    ;($(`[data-testid="${testid}"] input`) as HTMLInputElement).dispatchEvent(new Event('change'))
  }

  it('shows the thresholds in force, the defaults they differ from and the versions; no editing without trace.rules', async () => {
    useAuthStore().setUser(makeUser({ roles: ['officer'], permissions: ['trace.read', 'trace.review'] }))
    board()
    const w = mount(CloneBoardView, plugins())
    await settle()
    expect($('[data-testid="rules-card"]')!.textContent).toContain('克隆码检测规则')
    expect([value('scans-per-unit'), value('distant-window-hours'), value('cluster-threshold'), value('cluster-window-minutes')]).toEqual(['3', '24', '5', '60'])
    expect($('[data-testid="rules-default-scans-per-unit"]')!.textContent!.trim()).toBe('默认 5')
    expect($('[data-testid="rules-default-distant-window-hours"]')!.textContent!.trim()).toBe('默认 48')
    expect($('[data-testid="rules-default-cluster-threshold"]')).toBeNull()
    expect($('[data-testid="rules-default-cluster-window-minutes"]')).toBeNull()
    expect($('[data-testid="rules-disclaimer"]')!.textContent).toContain('这些数值不是法定标准')
    // Beijing time, like the other tables of the module
    expect($('[data-testid="rules-last-change"]')!.textContent).toContain('2026-11-30 16:30:00')
    const row = $('[data-testid="rules-history"] .el-table__body-wrapper tr.el-table__row')!
    expect(row.textContent).toContain('2026-11-30 16:30:00')
    expect(row.textContent).toContain('区双打办管理员')
    expect(row.textContent).toContain('春耕期间加强监测')
    expect($('[data-testid="rules-edit"]')).toBeNull()
    w.unmount()
  })

  it('lets trace.rules change the thresholds with a required note, and shows the field of a 400', async () => {
    useAuthStore().setUser(makeUser({ roles: ['office'], permissions: ['trace.read', 'trace.rules'] }))
    let rejectOnce = true
    const { calls } = board({
      'PUT /api/v1/trace/rules': ({ init }) => {
        if (rejectOnce) {
          rejectOnce = false
          return { status: 400, body: { error: { code: 'invalid_argument', message: '时间窗应为 1 到 720 小时', field: 'distant_window_hours' } } }
        }
        const body = JSON.parse(String(init.body)) as Record<string, unknown>
        const { note, ...rules } = body
        return {
          body: {
            rules,
            defaults: DEFAULT_RULES,
            versions: [{ ...rules, id: '916', note, changed_by: '1001', changed_by_name: '王办公', changed_at: '2026-12-01T02:00:00.000Z' }, ...RULES.versions],
          },
        }
      },
    })
    const w = mount(CloneBoardView, plugins())
    await settle()
    $('[data-testid="rules-edit"]')!.click()
    await settle()
    // the form starts from the values in force
    expect(($('[data-testid="rules-scans-per-unit"] input') as HTMLInputElement).value).toBe('3')
    setNumber('rules-scans-per-unit', '8')
    setNumber('rules-distant-window-hours', '72')
    setNumber('rules-cluster-threshold', '10')
    setNumber('rules-cluster-window-minutes', '30')
    await settle()
    // no note: nothing sent
    $('[data-testid="rules-submit"]')!.click()
    await settle()
    expect(calls.some((c) => c.method === 'PUT')).toBe(false)
    const noteItem = $('[data-testid="rules-note"]')!.closest('.el-form-item')!
    expect(noteItem.classList).toContain('is-error')
    await vi.waitFor(() => expect(noteItem.textContent).toContain('请填写修改说明'))
    type($('[data-testid="rules-note"]'), '  秋季销售旺季  ')
    await settle()
    $('[data-testid="rules-submit"]')!.click()
    await settle()
    const expected = { scans_per_unit: 8, distant_window_hours: 72, cluster_threshold: 10, cluster_window_minutes: 30, note: '秋季销售旺季' }
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([expected])
    // the server's field error sits on its input
    await vi.waitFor(() => {
      const item = $('[data-testid="rules-distant-window-hours"]')!.closest('.el-form-item')!
      expect(item.classList).toContain('is-error')
      expect(item.textContent).toContain('时间窗应为 1 到 720 小时')
    })
    $('[data-testid="rules-submit"]')!.click()
    await settle()
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([expected, expected])
    await vi.waitFor(() => expect(value('scans-per-unit')).toBe('8'))
    expect(value('distant-window-hours')).toBe('72')
    expect($('[data-testid="rules-default-cluster-threshold"]')!.textContent!.trim()).toBe('默认 5')
    expect($$('[data-testid="rules-history"] .el-table__body-wrapper tr.el-table__row')).toHaveLength(2)
    w.unmount()
  })
})

describe('PlacesView', () => {
  it('shows the server message of a rejected CSV import', async () => {
    useAuthStore().setUser(makeUser({ roles: ['rightsholder'], permissions: ['trace.read', 'trace.capture'] }))
    stubFetch({
      'GET /api/v1/trace/places': { body: { items: [], total: 0, page: 1, page_size: 20 } },
      'GET /api/v1/regions': { body: { items: [] } },
      'POST /api/v1/trace/places/import': {
        status: 400,
        body: { error: { code: 'invalid_argument', message: '第 3 行：字段 region_code 应为 6 位数字', field: 'region_code' } },
      },
    })
    const w = mount(PlacesView, plugins())
    await settle()
    expect($('[data-testid="place-add"]')).toBeTruthy()
    const input = $('[data-testid="place-import-file"]') as HTMLInputElement
    const file = new File(['id,name,region_code,retail\n'], 'places.csv', { type: 'text/csv' })
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    input.dispatchEvent(new Event('change'))
    await settle()
    await vi.waitFor(() => expect($('[data-testid="place-import-error"]')?.textContent).toContain('第 3 行'))
    w.unmount()
  })

  it("registers an enterprise's place as its own", async () => {
    useAuthStore().setUser(makeUser({ roles: ['rightsholder'], permissions: ['trace.read', 'trace.capture'], org: { id: '4001', code: 'DEMO-NZQY', name: '内蒙古演示农资有限公司' } }))
    const { calls } = stubFetch({
      'GET /api/v1/trace/places': { body: { items: [], total: 0, page: 1, page_size: 20 } },
      'GET /api/v1/regions': { body: { items: [] } },
      'POST /api/v1/trace/places': { body: { key: '417/0614141000029', id: 'urn:epc:id:pgln:0614141.00002' } },
    })
    const w = mount(PlacesView, plugins())
    await settle()
    $('[data-testid="place-add"]')!.click()
    await settle()
    type($('input[name="place_region"]'), '15010')
    type($('input[name="place_id"]'), 'urn:epc:id:pgln:0614141.00002')
    type($('input[name="place_name"]'), '新城区农资店')
    await settle()
    $('[data-testid="place-save"]')!.click()
    await settle()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    type($('input[name="place_region"]'), '150100')
    $('[data-testid="place-retail"]')!.click()
    await settle()
    expect($('[data-testid="place-own"]')!.classList).toContain('is-checked')
    $('[data-testid="place-save"]')!.click()
    await settle()
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      id: 'urn:epc:id:pgln:0614141.00002', name: '新城区农资店', region_code: '150100', retail: true, org_id: '4001',
    })
    w.unmount()
  })

  it('hides editing from readers', async () => {
    useAuthStore().setUser(makeUser({ roles: ['officer'], permissions: ['trace.read'] }))
    stubFetch({
      'GET /api/v1/trace/places': { body: { items: [], total: 0, page: 1, page_size: 20 } },
      'GET /api/v1/regions': { body: { items: [] } },
    })
    const w = mount(PlacesView, plugins())
    await settle()
    expect($$('[data-testid="place-add"]')).toHaveLength(0)
    w.unmount()
  })
})

const BATCH: Batch = {
  id: '11', kind: 'vet', enterprise_uscc: '911522010783762860', enterprise_name: '演示兽药厂', registration_no: '兽药字（2012）100589107',
  product_name: '阿莫西林可溶性粉', spec: '', production_type: 0, enterprise_code: '12345', lot: 'L1', production_date: '2026-11-01',
  quantity: 100, region_code: '', random_bits: 36.5, status: '正常', org_id: '4001', created_by: '1', created_at: '2026-11-29T02:00:00Z',
  recalled_at: null, recall_reason: '', destroyed_at: null, scans: 0, pack_sizes: [20, 10], pack_counts: [5, 1],
}

describe('BatchesView packaging levels', () => {
  const issuer = () => useAuthStore().setUser(makeUser({ roles: ['rightsholder'], permissions: ['trace.read', 'trace.issue'] }))
  const clickLevel = (label: string) =>
    $$('[data-testid="pack-levels"] .el-radio-button').find((b) => b.textContent?.includes(label))!.querySelector('input')!.click()

  it('shows how many pack codes will be issued and sends pack_sizes; shows the pack_sizes error', async () => {
    issuer()
    const { calls } = stubFetch({
      'GET /api/v1/trace/batches': { body: { items: [], total: 0 } },
      'POST /api/v1/trace/batches': {
        status: 400,
        body: { error: { code: 'invalid_argument', message: '每件箱数应为 2 到 1000', field: 'pack_sizes' } },
      },
    })
    const w = mount(BatchesView, plugins())
    await settle()
    expect($('[data-testid="pack-hint"]')!.textContent).toBe('只发单品码，共 100 个码')
    expect($('[data-testid="pack-size-1"]')).toBeNull()
    clickLevel('一级（箱）')
    await settle()
    expect($('[data-testid="pack-size-1"]')).toBeTruthy()
    expect($('[data-testid="pack-size-2"]')).toBeNull()
    expect($('[data-testid="pack-hint"]')!.textContent).toContain('另发箱码 5 个，共 105 个码')
    clickLevel('两级（箱、件）')
    await settle()
    type($('[data-testid="pack-size-1"]'), '30')
    ;($('[data-testid="pack-size-1"] input') as HTMLInputElement).dispatchEvent(new Event('change'))
    await settle()
    // 100 units in 箱 of 30 → 4 箱, in 件 of 10 箱 → 1 件
    expect($('[data-testid="pack-hint"]')!.textContent).toContain('另发箱码 4 个、件码 1 个，共 105 个码')
    $('[data-test="issue"]')!.click()
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect((post.body as { pack_sizes: number[] }).pack_sizes).toEqual([30, 10])
    await vi.waitFor(() => expect(document.body.textContent).toContain('每件箱数应为 2 到 1000'))
    w.unmount()
  })

  it('sends no pack sizes by default', async () => {
    issuer()
    const { calls } = stubFetch({
      'GET /api/v1/trace/batches': { body: { items: [], total: 0 } },
      'POST /api/v1/trace/batches': { status: 400, body: { error: { code: 'invalid_argument', message: '请填写企业名称', field: 'enterprise_name' } } },
    })
    const w = mount(BatchesView, plugins())
    await settle()
    $('[data-test="issue"]')!.click()
    await settle()
    expect((calls.find((c) => c.method === 'POST')!.body as { pack_sizes: number[] }).pack_sizes).toEqual([])
    w.unmount()
  })

  it('lists and details the packs of a batch, with the level of each sample code', async () => {
    issuer()
    stubFetch({
      'GET /api/v1/trace/batches': { body: { items: [BATCH], total: 1 } },
      'GET /api/v1/trace/batches/11': {
        body: {
          ...BATCH,
          sample_codes: [
            { code: '202611011234500000000001', url: 'http://x/v/202611011234500000000001', level: 0 },
            { code: '202611011234500000000002', url: 'http://x/v/202611011234500000000002', level: 1 },
            { code: '202611011234500000000003', url: 'http://x/v/202611011234500000000003', level: 2 },
          ],
        },
      },
      'GET /api/v1/trace/batches/11/holders': { body: { items: [], total: 0 } },
    })
    const w = mount(BatchesView, plugins())
    await settle()
    const row = $('[data-test="batches"] .el-table__body-wrapper tr.el-table__row')!
    expect(row.textContent).toContain('箱 5（每箱 20）· 件 1（每件 10 箱）')
    row.click()
    await settle()
    await vi.waitFor(() => expect($('[data-testid="pack-summary"]')?.textContent).toBe('单品 100 · 箱 5（每箱 20）· 件 1（每件 10 箱）'))
    await vi.waitFor(() => expect($$('[data-testid="sample-level"]').map((e) => e.textContent)).toEqual(['单品', '箱', '件']))
    expect($$('[data-test="sample-code"]').map((e) => e.textContent)).toEqual([
      '202611011234500000000001', '202611011234500000000002', '202611011234500000000003',
    ])
    w.unmount()
  })
})

describe('VerifyView packaging levels', () => {
  const open = async (code: string, body: object) => {
    stubFetch({
      'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '请先登录' } } },
      [`GET /api/v1/public/verify/${code}`]: { body },
    })
    localStorage.clear()
    await router.push('/v/' + code)
    await router.isReady()
    const w = mount(VerifyView, { global: { plugins: [i18n, router] } })
    await settle()
    return w
  }
  const base = { status: '正常', product: '阿莫西林可溶性粉', registrant: '演示兽药厂', registration_no: '兽药字（2012）100589107', batch: 'L1',
                 production_date: '2026-11-01', first_scan_at: '2026-11-29T10:00:00.000Z', first_scan_region: '150100', scan_count: 1 }

  it('says a 箱 code is a pack and how many units it holds', async () => {
    const w = await open('202611011234500000000002', { ...base, level: 1, contains: 20, parent: '' })
    expect(w.get('[data-test=verify-pack]').text()).toBe('包装码：箱（内含 20 个单品）')
    expect(w.find('[data-test=verify-parent]').exists()).toBe(false)
    w.unmount()
  })
  it('says a 件 code holds 箱', async () => {
    const w = await open('202611011234500000000003', { ...base, level: 2, contains: 10, parent: '' })
    expect(w.get('[data-test=verify-pack]').text()).toBe('包装码：件（内含 10 箱）')
    w.unmount()
  })
  it('names the pack of a unit, and shows nothing more for a unit outside a pack', async () => {
    let w = await open('202611011234500000000001', { ...base, level: 0, contains: 0, parent: '202611011234500000000002' })
    expect(w.find('[data-test=verify-pack]').exists()).toBe(false)
    expect(w.get('[data-test=verify-parent]').text()).toBe('所属包装：202611011234500000000002')
    w.unmount()
    w = await open('202611011234500000000004', base)
    expect(w.find('[data-test=verify-pack]').exists()).toBe(false)
    expect(w.find('[data-test=verify-parent]').exists()).toBe(false)
    w.unmount()
  })
})

describe('EventsView', () => {
  it('says when a captured document revealed holders of a recalled batch', async () => {
    useAuthStore().setUser(makeUser({ roles: ['rightsholder'], permissions: ['trace.read', 'trace.capture'] }))
    const { calls } = stubFetch({
      'POST /api/v1/trace/capture': { status: 201, body: { capture_id: '9', events: 1, duplicates: 0, declarations: 0, notified: 2 } },
      'GET /api/v1/trace/events': { body: { items: [], total: 0 } },
      'GET /api/v1/regions': { body: { items: [] } },
    })
    const w = mount(EventsView, plugins())
    await settle()
    type($('[data-test="epcis-document"]'), '{"type":"EPCISDocument"}')
    await settle()
    $('[data-test="capture"]')!.click()
    await settle()
    expect(calls.some((c) => c.method === 'POST' && c.url.includes('/trace/capture'))).toBe(true)
    await vi.waitFor(() => expect(document.body.textContent).toContain('文档显示已召回批次的新下游持有者 2 个，已发送召回通知'))
    w.unmount()
  })
})
