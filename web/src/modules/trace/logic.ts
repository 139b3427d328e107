// Pure helpers of the trace module (tested in web/tests/trace-logic.spec.ts).
import type { Batch, CloneRuleValues, PackLevel, TraceEvent, VerifyStatus } from './api'

/** Element Plus tag type for a batch or verification status. */
export function statusTone(status: string): 'success' | 'warning' | 'danger' | 'info' {
  if (status === '正常') return 'success'
  if (status === '已召回' || status === '可疑') return 'danger'
  if (status === '已销毁') return 'info'
  return 'warning'
}

/** Whether a verification result means "do not use this product". */
export function isAlarming(status: VerifyStatus): boolean {
  return status !== '正常'
}

/** The random-part strength shown at issuance, e.g. "69.7 位". */
export function bitsLabel(kind: Batch['kind']): number {
  return { pesticide: 69.7, vet: 36.5, seed: 66.4, sgtin: 66.4 }[kind]
}

/** Keeps a region code at 盟市 level (150102 → 150100); '' if not a 6-digit code. */
export function prefecture(code: string): string {
  return /^\d{6}$/.test(code) ? `${code.slice(0, 4)}00` : ''
}

/** Events of a history, oldest first, erroneous ones last. */
export function timeline(events: TraceEvent[]): TraceEvent[] {
  return [...events].sort((a, b) => {
    if (!!a.declared_error !== !!b.declared_error) return a.declared_error ? 1 : -1
    return a.event_time < b.event_time ? -1 : a.event_time > b.event_time ? 1 : 0
  })
}

/** One line describing what an event did to the codes it names. */
export function eventSummary(e: TraceEvent, stepName: (s: string) => string): string {
  const parent = e.codes.find((c) => c.role === 'parent')
  const children = e.codes.filter((c) => c.role === 'child' || c.role === 'child_quantity').length
  const step = e.biz_step ? stepName(e.biz_step) : e.type
  if (e.type === 'AggregationEvent' && parent) return `${step}：${children} → ${parent.key}`
  if (e.type === 'TransformationEvent') {
    const inputs = e.codes.filter((c) => c.role.startsWith('input')).length
    const outputs = e.codes.filter((c) => c.role.startsWith('output')).length
    return `${step}：${inputs} → ${outputs}`
  }
  const place = e.biz_location || e.read_point
  return place ? `${step} @ ${place}` : step
}

/** ECharts option: bars of counts. */
export function barOption(rows: { key: string; count: number }[], color = '#c0392b') {
  return {
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((r) => r.key) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: rows.map((r) => r.count), itemStyle: { color } }],
  }
}

/** Element Plus tag type of a recall notice (待确认 / 已确认). */
export function noticeTone(status: string): 'warning' | 'success' | 'info' {
  if (status === '已确认') return 'success'
  if (status === '待确认') return 'warning'
  return 'info'
}

/** Element Plus tag type of a reviewed item (clone suspicion; same vocabulary as clues). */
export function reviewTone(status: string): 'warning' | 'success' | 'info' {
  return status === '已确认' ? 'success' : status === '已排除' ? 'info' : 'warning'
}

/** i18n key of how a recall notice reached the holder. */
export function routedKey(routed: string): string {
  return routed === 'agriculture' ? 'trace.routed.agriculture' : 'trace.routed.holder'
}

/** "呼和浩特市（150100）", the bare code without a name, '—' without either. */
export function regionLabel(code: string | null | undefined, name?: string | null): string {
  if (name && code) return `${name}（${code}）`
  return name || code || '—'
}

/**
 * Display name of a GB/T 2260 code from the region dictionary: the name when
 * known, else the key itself (so "未知" and codes not in the dictionary show as is).
 */
export function regionNameOf(code: string, byCode: ReadonlyMap<string, { name: string }>): string {
  return byCode.get(code)?.name || code
}

/** Rows of a by-region count with their keys replaced by region names (order kept). */
export function namedRegionRows<T extends { key: string }>(rows: T[], byCode: ReadonlyMap<string, { name: string }>): T[] {
  return rows.map((r) => ({ ...r, key: regionNameOf(r.key, byCode) }))
}

/** A GB/T 2260 code: six digits. */
export function isRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code.trim())
}

/** Whether a review decision still lacks its required comment (dismissing needs one). */
export function reviewCommentMissing(decision: 'confirm' | 'dismiss', comment: string): boolean {
  return decision === 'dismiss' && !comment.trim()
}

/** The acknowledgement note of a notice: required, at most 500 characters. */
export function ackNoteProblem(note: string): 'required' | 'tooLong' | null {
  const n = note.trim()
  if (!n) return 'required'
  if ([...n].length > 500) return 'tooLong'
  return null
}

/** First line of a places CSV (`id,name,region_code,retail`) and a sample row; for the template download. */
export const PLACES_CSV_TEMPLATE = 'id,name,region_code,retail\nurn:epc:id:sgln:6901234.56789.0,某某农资店,150102,是\n'

/** The retail filter as the API takes it: '1' = 零售网点 only, '' = all (the API has no "not retail"). */
export function retailParam(v: string): string {
  return v === 'yes' ? '1' : ''
}


// --- packaging levels (国家兽药追溯: 包装分级赋码、上下级关联) -------------------------------

/** Smallest and largest pack size the API takes. */
export const PACK_SIZE_MIN = 2
export const PACK_SIZE_MAX = 1000

/** The `pack_sizes` of a request: 0 levels [], 1 level [units per 箱], 2 levels [units per 箱, 箱 per 件]. */
export function packSizesFor(levels: number, perCase: number, casesPerBundle: number): number[] {
  if (levels >= 2) return [perCase, casesPerBundle]
  if (levels === 1) return [perCase]
  return []
}

/** Codes issued at each pack level (each level rounds up): 100 units, [20, 10] → [5, 1]. */
export function packCounts(quantity: number, sizes: readonly number[]): number[] {
  const counts: number[] = []
  let below = Math.max(0, Math.floor(quantity))
  for (const size of sizes) {
    if (!(size > 0)) break
    below = Math.ceil(below / size)
    counts.push(below)
  }
  return counts
}

/** A translator as vue-i18n's `t` (named parameters). */
export type Translate = (key: string, named: Record<string, unknown>) => string

/**
 * What a batch holds, e.g. "单品 100 · 箱 5（每箱 20）· 件 1（每件 10 箱）". The counts are the
 * server's `pack_counts` when it sent them, else computed; without units, only the pack part
 * ('' when the batch has no packs).
 */
export function packSummary(
  batch: Pick<Batch, 'quantity' | 'pack_sizes' | 'pack_counts'>,
  t: Translate,
  withUnits = true,
): string {
  const sizes = batch.pack_sizes ?? []
  const counts = batch.pack_counts?.length === sizes.length ? batch.pack_counts : packCounts(batch.quantity, sizes)
  const parts = withUnits ? [t('trace.pack.summaryUnits', { n: batch.quantity })] : []
  sizes.forEach((size, i) => parts.push(t(`trace.pack.summary${i + 1}`, { n: counts[i], size })))
  // "（每箱 20）· 件": no space after a full-width bracket, as in Chinese typesetting
  return parts.reduce((text, part) => (text ? `${text}${text.endsWith('）') ? '· ' : ' · '}${part}` : part), '')
}

/** The level of a code as the API sends it (missing or unknown: a unit). */
export function packLevel(level: unknown): PackLevel {
  return level === 1 || level === 2 ? level : 0
}

/** i18n key of a packaging level's name (单品 / 箱 / 件). */
export function packLevelKey(level: unknown): string {
  return `trace.pack.levels.${packLevel(level)}`
}

/** The public page's line for a pack code: "箱（内含 20 个单品）", "件（内含 10 箱）"; '' for a unit. */
export function verifyPackText(level: unknown, contains: number | undefined): string {
  const n = contains ?? 0
  if (packLevel(level) === 1) return `箱（内含 ${n} 个单品）`
  if (packLevel(level) === 2) return `件（内含 ${n} 箱）`
  return ''
}

// --- 克隆码检测规则 (thresholds set by the 双打办 / 农牧业厅) ---------------------------------

export type CloneRuleField = keyof CloneRuleValues

/** The thresholds in display order. */
export const CLONE_RULE_FIELDS: readonly CloneRuleField[] = ['scans_per_unit', 'distant_window_hours', 'cluster_threshold', 'cluster_window_minutes']

/** Ranges the API takes (inclusive). */
export const CLONE_RULE_LIMITS: Record<CloneRuleField, { min: number; max: number }> = {
  scans_per_unit: { min: 1, max: 1000 },
  distant_window_hours: { min: 1, max: 720 },
  cluster_threshold: { min: 2, max: 10000 },
  cluster_window_minutes: { min: 1, max: 1440 },
}

/** Longest 修改说明 the API takes. */
export const CLONE_RULE_NOTE_MAX = 200

/** Whether a threshold as typed is an integer within its range (el-input-number gives null when cleared). */
export function cloneRuleValueOk(field: CloneRuleField, value: number | null | undefined): boolean {
  const { min, max } = CLONE_RULE_LIMITS[field]
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

/** The 修改说明 of a rules change: required, at most 200 characters. */
export function cloneRuleNoteProblem(note: string): 'required' | 'tooLong' | null {
  const n = note.trim()
  if (!n) return 'required'
  if ([...n].length > CLONE_RULE_NOTE_MAX) return 'tooLong'
  return null
}
