// The trace module's places, recall notices and suspicion review: pure helpers,
// the API client's requests, and the menu (the older helpers are tested in
// web/tests/trace-logic.spec.ts).
import { describe, expect, it } from 'vitest'
import {
  ackNoteProblem, cloneRuleNoteProblem, cloneRuleValueOk, isRegionCode, namedRegionRows, noticeTone, packCounts, packLevel, packLevelKey, packSizesFor, packSummary, regionLabel, retailParam,
  regionNameOf, reviewCommentMissing, reviewTone, routedKey, verifyPackText, PLACES_CSV_TEMPLATE,
} from './logic'
import { i18n, setLocale } from '@/i18n'
import { traceApi } from './api'
import zh from './locale.zh-CN'
import en from './locale.en'
import { menuTree } from '@/modules'
import { filterMenu, type MenuNode } from '@/modules/registry'
import { stubFetch } from '../../../tests/helpers'

const keys = (nodes: MenuNode[]): string[] => nodes.flatMap((n) => [n.key, ...(n.children ? keys(n.children) : [])])

describe('region names of the clone board', () => {
  const byCode = new Map([
    ['150100', { name: '呼和浩特市' }],
    ['150200', { name: '包头市' }],
  ])

  it('names a known code; 未知 and unknown codes stay as they are', () => {
    expect(regionNameOf('150100', byCode)).toBe('呼和浩特市')
    expect(regionNameOf('未知', byCode)).toBe('未知')
    expect(regionNameOf('159900', byCode)).toBe('159900')
    expect(regionNameOf('150100', new Map())).toBe('150100')
  })

  it('renames the keys of by-region counts and keeps their order and counts', () => {
    const rows = [{ key: '150200', count: 7 }, { key: '未知', count: 3 }, { key: '150100', count: 2 }, { key: '159900', count: 1 }]
    expect(namedRegionRows(rows, byCode)).toEqual([
      { key: '包头市', count: 7 }, { key: '未知', count: 3 }, { key: '呼和浩特市', count: 2 }, { key: '159900', count: 1 },
    ])
    expect(rows[0].key).toBe('150200')
  })
})

describe('trace review and notice helpers', () => {
  it('tags notices: 待确认 warning, 已确认 success', () => {
    expect(noticeTone('待确认')).toBe('warning')
    expect(noticeTone('已确认')).toBe('success')
    expect(noticeTone('?')).toBe('info')
  })
  it('tags reviews like clues', () => {
    expect(reviewTone('待核查')).toBe('warning')
    expect(reviewTone('已确认')).toBe('success')
    expect(reviewTone('已排除')).toBe('info')
  })
  it('names the routing of a notice', () => {
    expect(routedKey('holder')).toBe('trace.routed.holder')
    expect(routedKey('agriculture')).toBe('trace.routed.agriculture')
    expect(zh.trace.routed.holder).toBe('持有者本人')
    expect(zh.trace.routed.agriculture).toBe('属地农牧部门')
  })
  it('labels regions with name and code', () => {
    expect(regionLabel('150100', '呼和浩特市')).toBe('呼和浩特市（150100）')
    expect(regionLabel('150100', '')).toBe('150100')
    expect(regionLabel('', '')).toBe('—')
    expect(regionLabel(null)).toBe('—')
  })
  it('checks region codes', () => {
    expect(isRegionCode('150102')).toBe(true)
    expect(isRegionCode(' 150102 ')).toBe(true)
    expect(isRegionCode('15010')).toBe(false)
    expect(isRegionCode('15010a')).toBe(false)
  })
  it('requires a comment to dismiss, not to confirm', () => {
    expect(reviewCommentMissing('dismiss', '  ')).toBe(true)
    expect(reviewCommentMissing('dismiss', '扫码地为同一经销商')).toBe(false)
    expect(reviewCommentMissing('confirm', '')).toBe(false)
  })
  it('requires an acknowledgement note of at most 500 characters', () => {
    expect(ackNoteProblem(' ')).toBe('required')
    expect(ackNoteProblem('已下架封存 20 箱')).toBeNull()
    expect(ackNoteProblem('箱'.repeat(500))).toBeNull()
    expect(ackNoteProblem('箱'.repeat(501))).toBe('tooLong')
  })
  it('maps the retail filter and offers a CSV template with the right header', () => {
    expect(retailParam('yes')).toBe('1')
    expect(retailParam('no')).toBe('')
    expect(retailParam('')).toBe('')
    expect(PLACES_CSV_TEMPLATE.split('\n')[0]).toBe('id,name,region_code,retail')
  })
  it('has the same message keys in both languages', () => {
    const flat = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(flat(en).sort()).toEqual(flat(zh).sort())
  })
})

describe('clone-detection rules', () => {
  it('takes whole thresholds within the ranges of the API', () => {
    expect(cloneRuleValueOk('scans_per_unit', 1)).toBe(true)
    expect(cloneRuleValueOk('scans_per_unit', 1000)).toBe(true)
    expect(cloneRuleValueOk('scans_per_unit', 0)).toBe(false)
    expect(cloneRuleValueOk('scans_per_unit', 1001)).toBe(false)
    expect(cloneRuleValueOk('distant_window_hours', 720)).toBe(true)
    expect(cloneRuleValueOk('distant_window_hours', 721)).toBe(false)
    expect(cloneRuleValueOk('cluster_threshold', 1)).toBe(false)
    expect(cloneRuleValueOk('cluster_threshold', 10000)).toBe(true)
    expect(cloneRuleValueOk('cluster_window_minutes', 1440)).toBe(true)
    expect(cloneRuleValueOk('cluster_window_minutes', 2.5)).toBe(false)
    expect(cloneRuleValueOk('cluster_window_minutes', undefined)).toBe(false)
    expect(cloneRuleValueOk('cluster_window_minutes', null)).toBe(false)
  })
  it('requires a note of at most 200 characters', () => {
    expect(cloneRuleNoteProblem('  ')).toBe('required')
    expect(cloneRuleNoteProblem('春耕期间加强监测')).toBeNull()
    expect(cloneRuleNoteProblem('测'.repeat(200))).toBeNull()
    expect(cloneRuleNoteProblem('测'.repeat(201))).toBe('tooLong')
  })
  it('reads and changes the rules with PUT', async () => {
    const body = { rules: {}, defaults: {}, versions: [] }
    const { calls } = stubFetch({ 'GET /api/v1/trace/rules': { body }, 'PUT /api/v1/trace/rules': { body } })
    await traceApi.cloneRules()
    const req = { scans_per_unit: 3, distant_window_hours: 24, cluster_threshold: 5, cluster_window_minutes: 60, note: '春耕期间加强监测' }
    await traceApi.saveCloneRules(req)
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/v1/trace/rules', 'PUT /api/v1/trace/rules'])
    expect(calls[1].body).toEqual(req)
  })
})

describe('packaging levels', () => {
  const t = (key: string, named: Record<string, unknown>) => i18n.global.t(key, named)
  it('builds pack_sizes from the chosen levels', () => {
    expect(packSizesFor(0, 20, 10)).toEqual([])
    expect(packSizesFor(1, 20, 10)).toEqual([20])
    expect(packSizesFor(2, 20, 10)).toEqual([20, 10])
  })
  it('counts pack codes level by level, rounding up', () => {
    expect(packCounts(100, [])).toEqual([])
    expect(packCounts(100, [20, 10])).toEqual([5, 1])
    expect(packCounts(40, [20])).toEqual([2])
    expect(packCounts(41, [20])).toEqual([3])
    expect(packCounts(101, [20, 10])).toEqual([6, 1])
    expect(packCounts(100000, [2, 2])).toEqual([50000, 25000])
    expect(packCounts(1, [1000, 1000])).toEqual([1, 1])
  })
  it('summarises a batch in Chinese and English', () => {
    setLocale('zh-CN')
    expect(packSummary({ quantity: 100, pack_sizes: [20, 10], pack_counts: [5, 1] }, t)).toBe('单品 100 · 箱 5（每箱 20）· 件 1（每件 10 箱）')
    expect(packSummary({ quantity: 40, pack_sizes: [20], pack_counts: [2] }, t)).toBe('单品 40 · 箱 2（每箱 20）')
    expect(packSummary({ quantity: 40, pack_sizes: [20], pack_counts: [2] }, t, false)).toBe('箱 2（每箱 20）')
    // an older batch (no pack fields) is units only
    expect(packSummary({ quantity: 7 }, t)).toBe('单品 7')
    expect(packSummary({ quantity: 7 }, t, false)).toBe('')
    // the server's counts win; missing counts are computed
    expect(packSummary({ quantity: 100, pack_sizes: [20, 10] }, t)).toBe('单品 100 · 箱 5（每箱 20）· 件 1（每件 10 箱）')
    setLocale('en')
    expect(packSummary({ quantity: 100, pack_sizes: [20, 10], pack_counts: [5, 1] }, t)).toBe('Units: 100 · Cases: 5 (20 units each) · Bundles: 1 (10 cases each)')
    setLocale('zh-CN')
  })
  it('names levels and describes pack codes on the public page', () => {
    expect(packLevel(undefined)).toBe(0)
    expect(packLevel(1)).toBe(1)
    expect(packLevel(3)).toBe(0)
    expect(packLevelKey(2)).toBe('trace.pack.levels.2')
    expect(zh.trace.pack.levels[1]).toBe('箱')
    expect(verifyPackText(1, 20)).toBe('箱（内含 20 个单品）')
    expect(verifyPackText(2, 10)).toBe('件（内含 10 箱）')
    expect(verifyPackText(0, 0)).toBe('')
    expect(verifyPackText(undefined, undefined)).toBe('')
  })
})

describe('trace API client', () => {
  it('lists places with the filters, and saves one', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/trace/places': { body: { items: [], total: 0 } },
      'POST /api/v1/trace/places': { body: { key: '414/6901234567892/0', id: '6901234567892', name: '店', region_code: '150102', retail: true } },
    })
    await traceApi.places({ region: '150100', q: '农资', retail: '1', page: 1, page_size: 20 })
    expect(calls[0].url).toBe('/api/v1/trace/places?region=150100&q=%E5%86%9C%E8%B5%84&retail=1&page=1&page_size=20')
    await traceApi.savePlace({ id: '6901234567892', name: '店', region_code: '150102', retail: true })
    expect(calls[1].body).toEqual({ id: '6901234567892', name: '店', region_code: '150102', retail: true })
  })
  it('imports a CSV as text/csv and surfaces the line of a 400', async () => {
    const { calls } = stubFetch({
      'POST /api/v1/trace/places/import': {
        status: 400,
        body: { error: { code: 'invalid_argument', message: '第 3 行：region_code 应为 6 位数字', field: 'region_code' } },
      },
    })
    await expect(traceApi.importPlaces('id,name,region_code,retail\n')).rejects.toMatchObject({ status: 400, message: '第 3 行：region_code 应为 6 位数字' })
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('text/csv')
  })
  it('acknowledges a notice, reviews a suspicion and filters events by region', async () => {
    const { calls } = stubFetch({
      'POST /api/v1/trace/recall-notices/7/ack': { body: { id: '7', status: '已确认' } },
      'POST /api/v1/trace/suspicions/9/review': { body: { id: '9', status: '已排除' } },
      'GET /api/v1/trace/recall-notices': { body: { items: [], total: 0 } },
      'GET /api/v1/trace/events': { body: { items: [], total: 0 } },
    })
    await traceApi.ackNotice('7', '已下架封存 20 箱')
    expect(calls[0].body).toEqual({ note: '已下架封存 20 箱' })
    await traceApi.reviewSuspicion('9', 'dismiss', '同一经销商')
    expect(calls[1].body).toEqual({ decision: 'dismiss', comment: '同一经销商' })
    await traceApi.notices({ status: '待确认', batch_id: '5' })
    expect(calls[2].url).toBe('/api/v1/trace/recall-notices?status=%E5%BE%85%E7%A1%AE%E8%AE%A4&batch_id=5')
    await traceApi.events({ region: '150100', limit: 500 })
    expect(calls[3].url).toBe('/api/v1/trace/events?region=150100&limit=500')
  })
  it('sends pack_sizes when issuing and surfaces its field error', async () => {
    const { calls } = stubFetch({
      'POST /api/v1/trace/batches': {
        status: 400,
        body: { error: { code: 'invalid_argument', message: '每层包装数量应为 2 到 1000', field: 'pack_sizes' } },
      },
    })
    await expect(
      traceApi.issue({
        kind: 'vet', enterprise_uscc: '911522010783762860', enterprise_name: '演示兽药厂', registration_no: '兽药字（2012）100589107',
        product_name: '阿莫西林可溶性粉', enterprise_code: '12345', lot: 'L1', production_date: '2026-11-01', quantity: 40, pack_sizes: [1],
      }),
    ).rejects.toMatchObject({ status: 400, field: 'pack_sizes' })
    expect((calls[0].body as { pack_sizes: number[] }).pack_sizes).toEqual([1])
  })
})

describe('trace menu with places and notices', () => {
  it('readers see the notices and the places', () => {
    const enterprise = { roles: ['rightsholder'], permissions: ['trace.capture', 'trace.read', 'trace.issue', 'trace.recall'] }
    expect(keys(filterMenu(menuTree, enterprise))).toEqual([
      'dashboard', 'trace', 'trace.batches', 'trace.events', 'trace.clones', 'trace.notices', 'trace.places',
    ])
    expect(keys(filterMenu(menuTree, { roles: ['police'], permissions: ['plan.report'] }))).not.toContain('trace.notices')
  })
})
