// Work-plan components against a stubbed API: the import preview with an unresolved unit,
// the report form, the supervision drawer's actions and the assessment table.
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { installApiHandlers } from '@/plugins/apiHandlers'
import { useAuthStore } from '@/stores/auth'
import type { Assignment, Results, Supervision } from '@/api'
import OrgSelect from '@/components/OrgSelect.vue'
import PlanImportDialog from '@/modules/plans/components/PlanImportDialog.vue'
import ReportDialog from '@/modules/plans/components/ReportDialog.vue'
import SupervisionDrawer from '@/modules/plans/components/SupervisionDrawer.vue'
import AssessmentView from '@/modules/plans/AssessmentView.vue'
import { makeUser, stubFetch } from './helpers'

let pinia: Pinia
let router: Router
let handlers: { error: Mock<(m: string) => void>; warning: Mock<(m: string) => void> }

const plugins = () => ({ global: { plugins: [ElementPlus, i18n, pinia, router] } })
const body = () => document.body.textContent ?? ''
const $ = (sel: string) => document.body.querySelector(sel) as HTMLElement | null
const $$ = (sel: string) => Array.from(document.body.querySelectorAll(sel)) as HTMLElement[]
const settle = async () => {
  for (let i = 0; i < 4; i++) await flushPromises()
}

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  router = createAppRouter(createMemoryHistory())
  handlers = { error: vi.fn<(m: string) => void>(), warning: vi.fn<(m: string) => void>() }
  installApiHandlers(router, handlers)
  setLocale('zh-CN')
  document.body.innerHTML = ''
})
afterEach(() => setLocale('zh-CN'))

const ORGS = { items: [{ id: '3001', code: 'NMG-XX', name: '内蒙古自治区某某局', short_name: '', aliases: [], type: 'agency', region_code: '150000', region_name: '内蒙古自治区', parent_id: null }], total: 1, page: 1, page_size: 30 }
const REGIONS = { items: [{ code: '150000', name: '内蒙古自治区', level: 'province', parent_code: null }] }

function parsed(unresolved: boolean) {
  return {
    title: '2017年全区打击侵犯知识产权和制售假冒伪劣商品工作要点',
    year: 2017,
    encoding: 'UTF-8',
    region: '150000',
    sections: [
      {
        number: '一',
        title: '持续推进重点领域治理',
        items: [
          {
            number: '一',
            title: '加大互联网领域侵权假冒治理力度',
            tasks: [
              {
                text: '强化网上交易管理……',
                units: [
                  { text: '工商局', name: '内蒙古自治区工商局', role: 'lead', org_id: '501', org_code: 'NMG-GSJ', org_name: '内蒙古自治区工商局', group: null },
                  { text: '某某局', name: '内蒙古自治区某某局', role: 'responsible', org_id: unresolved ? null : '3001', org_code: null, org_name: null, group: null },
                ],
              },
            ],
          },
        ],
      },
    ],
    unresolved: unresolved
      ? [
          { section: '一', item: '一', task: 1, text: '某某局', name: '内蒙古自治区某某局' },
          { section: '二', item: '六', task: 2, text: '内蒙古自治区某某局', name: '内蒙古自治区某某局' },
        ]
      : [],
    warnings: ['第 3 页有分页标记，已忽略'],
    summary: { sections: 1, items: 1, tasks: 1 },
  }
}

describe('PlanImportDialog', () => {
  it('previews, maps the unresolved unit to an organisation, parses again, then imports', async () => {
    let parses = 0
    const { calls } = stubFetch({
      'GET /api/v1/regions': { body: REGIONS },
      'GET /api/v1/organizations': { body: ORGS },
      'POST /api/v1/plans/parse': () => ({ body: parsed(parses++ === 0) }),
      'POST /api/v1/plans/unit-aliases': { status: 201, body: ORGS.items[0] },
      'POST /api/v1/plans': { status: 201, body: { id: '11', year: 2017, region_code: '150000', title: '2017年工作要点', report_cycle: 'quarterly', remind_days: 5, counts: { sections: 1, items: 1, tasks: 1, assignments: 2 } } },
    })
    const w = mount(PlanImportDialog, { props: { modelValue: false }, ...plugins(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await settle()

    // choose the file
    const input = $('[data-testid="plan-file"] input[type="file"]') as HTMLInputElement
    expect(input).toBeTruthy()
    const file = new File(['一、持续推进重点领域治理\n'], 'plan-2017.txt', { type: 'text/plain' })
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    input.dispatchEvent(new Event('change'))
    await settle()
    await vi.waitFor(() => expect(($('[data-testid="plan-parse"]') as HTMLButtonElement).disabled).toBe(false))
    expect(($('[data-testid="plan-import-submit"]') as HTMLButtonElement).disabled).toBe(true)

    // preview: counts, warning, the unresolved unit; import still refused
    $('[data-testid="plan-parse"]')!.click()
    await settle()
    const parseCall = calls.find((c) => c.url.startsWith('/api/v1/plans/parse'))!
    expect(parseCall.url).toBe('/api/v1/plans/parse?region_code=150000')
    expect(parseCall.body).toBeInstanceOf(ArrayBuffer)
    expect((parseCall.init.headers as Record<string, string>)['Content-Type']).toBe('application/octet-stream')
    expect($('[data-testid="count-sections"]')!.textContent).toBe('1')
    expect($('[data-testid="count-tasks"]')!.textContent).toBe('1')
    expect($('[data-testid="count-unresolved"]')!.textContent).toBe('2')
    expect(body()).toContain('第 3 页有分页标记')
    // both written forms are one unit (one row, one mapping)
    const unresolvedRows = $$('[data-testid="unresolved-table"] .el-table__body-wrapper tr.el-table__row')
    expect(unresolvedRows).toHaveLength(1)
    expect(unresolvedRows[0].textContent).toContain('内蒙古自治区某某局')
    expect(unresolvedRows[0].textContent).toContain('某某局、内蒙古自治区某某局')
    expect(($('[data-testid="plan-import-submit"]') as HTMLButtonElement).disabled).toBe(true)

    // map it to an organisation and save the alias → parsed again, now resolved
    const select = w.findComponent(OrgSelect)
    select.vm.$emit('update:modelValue', '3001')
    await settle()
    $('[data-testid="save-alias"]')!.click()
    await settle()
    const alias = calls.find((c) => c.url === '/api/v1/plans/unit-aliases')!
    expect(alias.method).toBe('POST')
    expect(alias.body).toEqual({ text: '内蒙古自治区某某局', org_id: '3001' })
    expect(calls.filter((c) => c.url.startsWith('/api/v1/plans/parse'))).toHaveLength(2)
    expect($('[data-testid="all-resolved"]')).toBeTruthy()
    expect(($('[data-testid="plan-import-submit"]') as HTMLButtonElement).disabled).toBe(false)

    // choose 季报 and import
    ;(($$('[data-testid="plan-cycle"] input[value="quarterly"]')[0] as HTMLInputElement) ?? null)?.click()
    await settle()
    $('[data-testid="plan-import-submit"]')!.click()
    await settle()
    const imp = calls.find((c) => c.method === 'POST' && c.url.startsWith('/api/v1/plans?'))!
    const q = new URLSearchParams(imp.url.split('?')[1])
    expect(q.get('year')).toBe('2017')
    expect(q.get('region_code')).toBe('150000')
    expect(q.get('due')).toBe('2017-12-31')
    expect(q.get('report_cycle')).toBe('quarterly')
    expect(imp.body).toBeInstanceOf(ArrayBuffer)
    expect(w.emitted('imported')?.[0]?.[0]).toMatchObject({ id: '11' })
    w.unmount()
  })
})

const ASSIGNMENT: Assignment = {
  id: '71',
  plan_id: '11',
  task_id: '41',
  org: { id: '501', code: 'NMG-GSJ', name: '内蒙古自治区工商局', region_code: '150000' },
  role: 'lead',
  due_date: '2017-12-31',
  status: '未开始',
  unit_text: '工商局',
  last_report_at: null,
  reports: 0,
  overdue: false,
  due_in_working_days: 40,
  task: { item_number: '一', number: '1', text: '强化网上交易管理' },
}

describe('ReportDialog', () => {
  it('offers quarters for a quarterly plan, needs a narrative for 受阻, then sends indicators', async () => {
    const { calls } = stubFetch({
      'POST /api/v1/plan-assignments/71/reports': { status: 201, body: { id: '91', assignment_id: '71', period: '2017-Q2', status: '受阻', narrative: 'x', indicators: [], attachments: [], reported_by: { id: '1', display_name: '张', org_name: '工商局' }, reported_at: '2017-04-01T00:00:00Z' } },
    })
    const w = mount(ReportDialog, { props: { modelValue: false, assignment: ASSIGNMENT, cycle: 'quarterly', year: 2017 }, ...plugins(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await settle()
    const vm = w.vm as unknown as { form: { period: string; status: string; narrative: string; indicators: unknown[] } }
    expect(vm.form.period).toMatch(/^2017-Q[1-4]$/)

    // the period options are the four quarters
    $('[data-testid="report-period"]')!.querySelector('.el-select__wrapper')?.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await settle()
    const options = $$('.el-select-dropdown__item').map((e) => e.textContent?.trim())
    expect(options).toEqual(['2017年第1季度', '2017年第2季度', '2017年第3季度', '2017年第4季度'])

    // 受阻 without a narrative: refused on the client
    vm.form.status = '受阻'
    vm.form.narrative = ''
    await settle()
    $('[data-testid="report-submit"]')!.click()
    await settle()
    await vi.waitFor(() => expect(body()).toContain('状态为“受阻”时须填写进展情况'))
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)

    // add a preset indicator with a value and a narrative → sent
    ;(document.body.querySelector('[data-preset="立案数"]') as HTMLElement).click()
    await settle()
    expect($$('[data-testid="indicator-row"]')).toHaveLength(1)
    ;(vm.form.indicators[0] as { value: number }).value = 12
    vm.form.narrative = '  执法力量不足，已协调公安配合  '
    vm.form.period = '2017-Q2'
    await settle()
    $('[data-testid="report-submit"]')!.click()
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe('/api/v1/plan-assignments/71/reports')
    expect(post.body).toEqual({
      period: '2017-Q2',
      status: '受阻',
      narrative: '执法力量不足，已协调公安配合',
      indicators: [{ name: '立案数', value: 12, unit: '件' }],
      attachments: [],
    })
    expect(w.emitted('reported')).toHaveLength(1)
    w.unmount()
  })

  it('shows the server field error (400 field period) on the field', async () => {
    stubFetch({
      'POST /api/v1/plan-assignments/71/reports': { status: 400, body: { error: { code: 'invalid_argument', message: '报送期与要点的年度不符', field: 'period' } } },
    })
    const w = mount(ReportDialog, { props: { modelValue: false, assignment: ASSIGNMENT, cycle: 'monthly', year: 2017 }, ...plugins(), attachTo: document.body })
    await w.setProps({ modelValue: true })
    await settle()
    $('[data-testid="report-submit"]')!.click()
    await settle()
    await vi.waitFor(() => expect(body()).toContain('报送期与要点的年度不符'))
    expect(handlers.error).not.toHaveBeenCalled()
    w.unmount()
  })
})

function supervision(status: string, kind: Supervision['kind'] = 'listed'): Supervision {
  return {
    id: '61',
    plan_id: '11',
    kind,
    kind_name: kind === 'listed' ? '挂牌督办' : kind === 'notice' ? '通报' : '约谈',
    org: { id: '501', code: 'NMG-GSJ', name: '内蒙古自治区工商局', region_code: '150000' },
    assignment: { id: '71', task: { item_number: '一', number: '1', text: '强化网上交易管理' } },
    title: '关于强化网上交易管理的挂牌督办',
    content: '请于期限内整改',
    deadline: '2017-11-30',
    meeting_at: null,
    place: '',
    status,
    overdue: false,
    created_by: { id: '1001', display_name: '王办公' },
    created_at: '2017-10-01T02:00:00Z',
    updated_at: '2017-10-01T02:00:00Z',
    events: [
      { id: '1', action: 'create', text: '', attachments: [], by: { id: '1001', display_name: '王办公', org_name: '双打办' }, at: '2017-10-01T02:00:00Z' },
      { id: '2', action: 'rectification', text: '已完成整改', attachments: [], by: { id: '1002', display_name: '李执法', org_name: '工商局' }, at: '2017-10-05T02:00:00Z' },
    ],
  }
}

describe('SupervisionDrawer', () => {
  async function open(user: ReturnType<typeof makeUser>, status: string, routes: Parameters<typeof stubFetch>[0] = {}) {
    useAuthStore().setUser(user)
    const stub = stubFetch({ 'GET /api/v1/supervisions/61': { body: supervision(status) }, ...routes })
    const w = mount(SupervisionDrawer, { props: { modelValue: true, supervisionId: '61' }, ...plugins(), attachTo: document.body })
    await settle()
    return { w, ...stub }
  }
  const actions = () => $$('[data-testid="supervision-actions"] [data-action]').map((b) => b.dataset.action)
  const office = makeUser({ permissions: ['plan.write', 'plan.report'], org: { id: '900', code: 'NMG-SDB', name: '双打办' } })
  const officer = makeUser({ username: 'officer', roles: ['officer'], permissions: ['plan.report'], org: { id: '501', code: 'NMG-GSJ', name: '工商局' } })

  it('shows the timeline, and accept/return/cancel to the office when 待验收', async () => {
    const { w } = await open(office, '待验收')
    expect($$('[data-testid="supervision-timeline"] .el-timeline-item')).toHaveLength(2)
    expect(body()).toContain('已完成整改')
    expect(actions()).toEqual(['accept', 'return', 'cancel'])
    w.unmount()
  })

  it('shows nothing to the target unit while 待验收, and 提交整改报告 while 整改中', async () => {
    const a = await open(officer, '待验收')
    expect(actions()).toEqual([])
    a.w.unmount()
    document.body.innerHTML = ''
    const b = await open(officer, '整改中')
    expect(actions()).toEqual(['rectify'])
    b.w.unmount()
  })

  it('requires a comment to return, and shows the server message when it refuses', async () => {
    const { w, calls } = await open(office, '待验收', {
      'POST /api/v1/supervisions/61/review': { status: 409, body: { error: { code: 'conflict', message: '当前状态“已销号”不能验收', field: 'status' } } },
    })
    ;($('[data-action="return"]') as HTMLElement).click()
    await settle()
    $('[data-testid="action-submit"]')!.click()
    await settle()
    await vi.waitFor(() => expect(body()).toContain('退回时须填写意见'))
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
    const ta = ($('textarea[data-testid="action-text"]') ?? $('[data-testid="action-text"] textarea')) as HTMLTextAreaElement
    ta.value = '整改材料不全'
    ta.dispatchEvent(new Event('input'))
    await settle()
    $('[data-testid="action-submit"]')!.click()
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.body).toEqual({ decision: 'return', comment: '整改材料不全' })
    expect(handlers.error).toHaveBeenCalledWith('当前状态“已销号”不能验收')
    w.unmount()
  })
})

describe('AssessmentView', () => {
  const rubric = {
    id: '21',
    year: 2017,
    target: 'region',
    title: '2017年度盟市打击侵权假冒工作考核',
    max_total: 76,
    items: [
      { id: 'i1', ordinal: 1, name: '长效机制建设', max_points: 10, guidance: '制度健全得满分', computed: null },
      { id: 'i2', ordinal: 2, name: '任务完成', max_points: 8, guidance: '按任务完成率计算', computed: 'plan_completion' },
    ],
  }
  const target = (id: string, code: string, name: string) => ({ kind: 'region' as const, id, code, name })
  const score = (item_id: string, points: number | null, computed = false) => ({ item_id, points, computed, evidence: '', comment: '', scored_by: null, scored_at: null })
  const results: Results = {
    rubric: rubric as Results['rubric'],
    rows: [
      { target: target('r1', '150100', '呼和浩特市'), scores: [score('i1', 9), score('i2', 7.5, true)], total: 16.5, rank: 1, veto: null, previous_total: 14, change: 2.5 },
      { target: target('r2', '150200', '包头市'), scores: [score('i1', 8), score('i2', 6, true)], total: 14, rank: 2, veto: null, previous_total: 15, change: -1 },
      {
        target: target('r3', '150300', '乌海市'),
        scores: [score('i1', 9.5), score('i2', 8, true)],
        total: 17.5,
        rank: null,
        veto: { id: 'v1', year: 2017, target: target('r3', '150300', '乌海市'), reason: '发生重大侵权假冒事件', status: 'in_force', created_by: '1001', created_at: '2017-12-01T00:00:00Z' },
        previous_total: null,
        change: null,
      },
    ],
  }

  it('shows items with max points, the 自动计算 tag, totals, ranks, changes and the veto tag', async () => {
    useAuthStore().setUser(makeUser({ permissions: ['plan.write', 'plan.report'] }))
    const stub = stubFetch({
      'GET /api/v1/assessment-rubrics': { body: { items: [rubric] } },
      'GET /api/v1/assessment-rubrics/21/results': { body: results },
      'PUT /api/v1/assessment-rubrics/21/scores': { body: results.rows[0] },
    })
    const w = mount(AssessmentView, { global: { plugins: [ElementPlus, i18n, pinia, router], stubs: { EChart: true } }, attachTo: document.body })
    await settle()
    const table = $('[data-testid="assessment-table"]')!
    const head = table.querySelector('.el-table__header')!.textContent!
    expect(head).toContain('长效机制建设')
    expect(head).toContain('（10）')
    expect(head).toContain('（8）')
    expect(head).toContain('自动计算')
    expect($('[data-testid="rubric-note"]')!.textContent).toContain('可由双打办在考核细则中调整')

    const names = $$('[data-testid="target-name"]').map((e) => e.textContent)
    expect(names).toEqual(['呼和浩特市', '包头市', '乌海市'])
    const totals = $$('[data-testid="total"]').map((e) => e.textContent)
    expect(totals.slice(0, 3)).toEqual(['16.5', '14', '17.5'])
    const ranks = $$('[data-testid="rank"]').map((e) => e.textContent)
    expect(ranks.slice(0, 3)).toEqual(['1', '2', '—'])
    expect($$('[data-testid="change"]').map((e) => e.textContent).slice(0, 3)).toEqual(['↑ 2.5', '↓ 1', '—'])
    const vetoTags = $$('[data-testid="veto-tag"]')
    expect(vetoTags).toHaveLength(1)
    expect(vetoTags[0].textContent).toContain('一票否决')
    expect(vetoTags[0].closest('tr')!.textContent).toContain('乌海市')

    // computed cells are read-only; typed ones open the score dialog
    const computedCell = $$('[data-testid="score-cell"].computed')[0]
    expect(computedCell.classList.contains('editable')).toBe(false)
    const editable = $$('[data-testid="score-cell"].editable')
    expect(editable.length).toBeGreaterThan(0)
    editable[0].click()
    await settle()
    expect($('[data-testid="score-dialog"]')).toBeTruthy()
    expect(body()).toContain('呼和浩特市 · 长效机制建设')
    const input = ($('[data-testid="score-points"] input') ?? $('input[data-testid="score-points"]')) as HTMLInputElement
    input.value = '9.5'
    input.dispatchEvent(new Event('input'))
    input.dispatchEvent(new Event('change'))
    await settle()
    $('[data-testid="score-save"]')!.click()
    await settle()
    const put = stub.calls.find((c) => c.method === 'PUT')!
    expect(put.url).toBe('/api/v1/assessment-rubrics/21/scores')
    expect(put.body).toEqual({ target_id: 'r1', item_id: 'i1', points: 9.5, evidence: '', comment: '' })
    // the table is reloaded after a score
    expect(stub.calls.filter((c) => c.url === '/api/v1/assessment-rubrics/21/results')).toHaveLength(2)
    w.unmount()
  })

  it('shows no editable cells to a member unit', async () => {
    useAuthStore().setUser(makeUser({ roles: ['officer'], permissions: ['plan.report'] }))
    stubFetch({
      'GET /api/v1/assessment-rubrics': { body: { items: [rubric] } },
      'GET /api/v1/assessment-rubrics/21/results': { body: results },
    })
    const w = mount(AssessmentView, { global: { plugins: [ElementPlus, i18n, pinia, router], stubs: { EChart: true } }, attachTo: document.body })
    await settle()
    expect($$('[data-testid="score-cell"]').length).toBeGreaterThan(0)
    expect($$('[data-testid="score-cell"].editable')).toHaveLength(0)
    w.unmount()
  })
})
