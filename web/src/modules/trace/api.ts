// Traceability (docs/api.md, "Traceability (issue 7)"): batches of codes,
// EPCIS capture and histories, the clone board, and the public verification.
import { ApiError, buildUrl, filenameFromDisposition, request, type RequestOptions } from '@/api/http'
import type { Page } from '@/api'

type Opts = Pick<RequestOptions, 'showError' | 'signal'>

export type BatchStatus = '正常' | '已召回' | '已销毁'
export type VerifyStatus = BatchStatus | '未发放' | '可疑'
export type CodeKind = 'pesticide' | 'vet' | 'seed' | 'sgtin'

export interface BatchRequest {
  kind: CodeKind
  enterprise_uscc: string
  enterprise_name: string
  registration_no: string
  product_name: string
  spec?: string
  production_type?: number
  enterprise_code?: string
  lot: string
  production_date: string
  /** Units per pack at each packaging level: [] units only, [20] 箱 of 20 units, [20, 10] and 件 of 10 箱 (each 2–1000). */
  pack_sizes?: number[]
  quantity: number
  region_code?: string
}

/** Packaging level of a code: 0 单品, 1 箱 (中包装), 2 件 (大包装). */
export type PackLevel = 0 | 1 | 2

export interface Batch extends Required<Omit<BatchRequest, 'spec' | 'production_type' | 'enterprise_code' | 'region_code' | 'pack_sizes'>> {
  id: string
  /** Missing on servers without packaging levels: treated as []. */
  pack_sizes?: number[]
  /** Codes issued at each pack level, e.g. quantity 100, pack_sizes [20, 10] → [5, 1]. */
  pack_counts?: number[]
  spec: string
  production_type: number
  enterprise_code: string
  region_code: string
  random_bits: number
  status: BatchStatus
  org_id: string
  created_by: string
  created_at: string
  recalled_at: string | null
  recall_reason: string
  destroyed_at: string | null
  scans: number
  sample_codes?: { code: string; url: string; level?: PackLevel }[]
}

export type NoticeStatus = '待确认' | '已确认'
export type NoticeRouting = 'holder' | 'agriculture'

export interface Holder {
  key: string
  id: string
  role: string
  last_event_time: string
  /** The registered place's name, region and organisation ('' when the place is not registered). */
  name?: string
  region_code?: string
  region_name?: string
  /** The registered place's organisation (null: a shop not on the platform). */
  org_id?: string | null
  org_name?: string
  /** The recall notice of this holder (null before a recall); its org_name is the unit notified. */
  notice?: {
    id: string
    status: NoticeStatus
    routed?: NoticeRouting
    org_name?: string
    acknowledged_at: string | null
    ack_note: string
  } | null
}

/** 追溯地点: a shop, warehouse or site identified by its GS1 GLN. */
export interface Place {
  /** Canonical key, e.g. "414/6901234567892/0". */
  key: string
  /** As written: an SGLN URN or a 13-digit GLN. */
  id: string
  name: string
  region_code: string
  region_name: string
  retail: boolean
  org_id: string | null
  org_name: string
  updated_at: string
}

export interface PlaceRequest {
  id: string
  name: string
  region_code: string
  retail: boolean
  org_id?: string
}

export interface PlaceQuery {
  region?: string
  q?: string
  retail?: string
  page?: number
  page_size?: number
}

/** 召回通知 to one downstream holder of a recalled batch. */
export interface RecallNotice {
  id: string
  batch_id: string
  product_name: string
  lot: string
  enterprise_name: string
  recall_reason: string
  recalled_at: string
  holder_key: string
  holder_id: string
  holder_name: string
  region_code: string
  region_name: string
  org_id: string | null
  org_name: string
  routed: NoticeRouting
  status: NoticeStatus
  created_at: string
  acknowledged_at: string | null
  acknowledged_by_name: string
  ack_note: string
}

export interface NoticeQuery {
  status?: string
  batch_id?: string
  page?: number
  page_size?: number
}

export interface EventQuery {
  code?: string
  lot?: string
  place?: string
  region?: string
  biz_step?: string
  from?: string
  to?: string
  limit?: number
}

export interface EventCode {
  role: string
  id: string
  key: string
  lot?: string
  quantity?: number
  uom?: string
}

export interface TraceEvent {
  id: string
  event_id: string
  type: string
  event_time: string
  event_time_zone_offset: string
  action: string
  biz_step: string
  disposition: string
  read_point: string
  biz_location: string
  codes: EventCode[]
  refs: { kind: string; type: string; id: string; key: string }[]
  declared_error: string | null
}

export interface History {
  key: string
  related: { key: string; relation: 'parent' | 'child' | 'input' | 'output'; event_id: string }[]
  events: TraceEvent[]
}

export interface CaptureResult {
  capture_id: string
  events: number
  duplicates: number
  declarations: number
  notified: number
}

export type SuspicionStatus = '待核查' | '已确认' | '已排除'

export interface Suspicion {
  id: string
  rule: 'scans_exceed_units' | 'distant_regions' | 'after_retail_sale' | 'unissued_cluster'
  code_key: string
  batch_id: string | null
  region_code: string
  org_id: string
  /** The receiving organisation (农牧业局 of the 盟市, else 农牧业厅). */
  org_name?: string
  detail: string
  status: SuspicionStatus
  hits: number
  created_at: string
  updated_at: string
  reviewed_by_name?: string
  reviewed_at?: string | null
  review_comment?: string
}

export interface Count {
  key: string
  count: number
}

export interface ScanStats {
  by_region: Count[]
  by_day: Count[]
}

/** 克隆码检测规则: the thresholds the clone rules run with. */
export interface CloneRuleValues {
  /** 单件扫码次数上限 (1–1000). */
  scans_per_unit: number
  /** 异地扫码时间窗, hours (1–720). */
  distant_window_hours: number
  /** 未发放码聚集: scans of one prefix that raise an alert (2–10000) … */
  cluster_threshold: number
  /** … within this many minutes (1–1440). */
  cluster_window_minutes: number
}

/** One change of the rules: the values set and why. */
export interface CloneRulesVersion extends CloneRuleValues {
  id: string
  note: string
  changed_by: string
  changed_by_name: string
  changed_at: string
}

export interface CloneRules {
  /** In force now. */
  rules: CloneRuleValues
  defaults: CloneRuleValues
  /** Newest first, at most 50; [] while the defaults were never changed. */
  versions: CloneRulesVersion[]
}

export interface CloneRulesRequest extends CloneRuleValues {
  /** 修改说明: required, 1–200 characters. */
  note: string
}

export interface Verification {
  status: VerifyStatus
  message?: string
  kind?: CodeKind
  product?: string
  registrant?: string
  registration_no?: string
  batch?: string
  production_date?: string
  first_scan_at?: string
  first_scan_region?: string
  scan_count?: number
  /** 0 a unit, 1 a 箱, 2 a 件. */
  level?: PackLevel
  /** Direct children of a pack (units in a 箱, 箱 in a 件); 0 for a unit. */
  contains?: number
  /** The parent pack's code text, '' at the top level. */
  parent?: string
}

const batchPath = (id: string) => `/trace/batches/${encodeURIComponent(id)}`
const enc = encodeURIComponent

export const traceApi = {
  issue: (body: BatchRequest) => request<Batch>('POST', '/trace/batches', { body, showError: false }),
  batches: (opts: Opts = {}) => request<{ items: Batch[]; total: number }>('GET', '/trace/batches', opts),
  batch: (id: string, opts: Opts = {}) => request<Batch>('GET', batchPath(id), opts),
  holders: (id: string, opts: Opts = {}) => request<{ items: Holder[]; total: number }>('GET', `${batchPath(id)}/holders`, opts),
  recall: (id: string, reason: string) =>
    request<{ batch: Batch; holders: Holder[] }>('POST', `${batchPath(id)}/recall`, { body: { reason } }),
  destroy: (id: string, note: string) => request<Batch>('POST', `${batchPath(id)}/destroy`, { body: { note } }),
  qrUrl: (id: string, seq: number) => buildUrl(`${batchPath(id)}/qr.svg`, { seq }),
  async labels(id: string): Promise<{ blob: Blob; filename: string }> {
    const res = await request<Response>('GET', `${batchPath(id)}/labels.csv`, { raw: true })
    return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition'), 'labels.csv') }
  },
  capture: (document: string, name: string) =>
    request<CaptureResult>('POST', '/trace/capture', {
      query: { name },
      rawBody: new TextEncoder().encode(document),
      contentType: 'application/ld+json',
      showError: false,
    }),
  history: (code: string, opts: Opts = {}) => request<History>('GET', '/trace/history', { query: { code }, ...opts }),
  events: (q: EventQuery, opts: Opts = {}) =>
    request<{ items: TraceEvent[]; total: number }>('GET', '/trace/events', { query: { ...q }, ...opts }),
  suspicions: (status = '', opts: Opts = {}) =>
    request<{ items: Suspicion[]; total: number }>('GET', '/trace/suspicions', { query: { status }, ...opts }),
  reviewSuspicion: (id: string, decision: 'confirm' | 'dismiss', comment: string) =>
    request<Suspicion>('POST', `/trace/suspicions/${enc(id)}/review`, { body: { decision, comment } }),
  places: (q: PlaceQuery = {}, opts: Opts = {}) => request<Page<Place>>('GET', '/trace/places', { query: { ...q }, ...opts }),
  /** Creates or updates (by GLN) a place; field errors are the caller's to show. */
  savePlace: (body: PlaceRequest) => request<Place>('POST', '/trace/places', { body, showError: false }),
  /** CSV `id,name,region_code,retail`; all or nothing, a 400 names the line and field. */
  importPlaces: (csv: string) =>
    request<{ imported: number }>('POST', '/trace/places/import', {
      rawBody: new TextEncoder().encode(csv),
      contentType: 'text/csv',
      showError: false,
    }),
  notices: (q: NoticeQuery = {}, opts: Opts = {}) =>
    request<Page<RecallNotice>>('GET', '/trace/recall-notices', { query: { ...q }, ...opts }),
  ackNotice: (id: string, note: string) =>
    request<RecallNotice>('POST', `/trace/recall-notices/${enc(id)}/ack`, { body: { note } }),
  scanStats: (q: { batch_id?: string; days?: number } = {}, opts: Opts = {}) =>
    request<ScanStats>('GET', '/trace/scan-stats', { query: { ...q }, ...opts }),
  cloneRules: (opts: Opts = {}) => request<CloneRules>('GET', '/trace/rules', opts),
  /** Needs trace.rules; field errors (400, `field` named as in the body) are the caller's to show. */
  saveCloneRules: (body: CloneRulesRequest) => request<CloneRules>('PUT', '/trace/rules', { body, showError: false }),
}

/** The public verification: no session, no login redirect, no error toast. */
export async function verifyCode(code: string, region: string): Promise<Verification> {
  const res = await fetch(buildUrl(`/public/verify/${encodeURIComponent(code)}`, region ? { region } : {}), {
    headers: { Accept: 'application/json' },
    credentials: 'omit',
  })
  if (res.status === 429) {
    throw new ApiError({ status: 429, code: 'rate_limited', message: res.headers.get('Retry-After') ?? '1' })
  }
  if (!res.ok) throw new ApiError({ status: res.status, code: 'unavailable', message: `HTTP ${res.status}` })
  return (await res.json()) as Verification
}
