// Traceability (docs/api.md, "Traceability (issue 7)"): batches of codes,
// EPCIS capture and histories, the clone board, and the public verification.
import { ApiError, buildUrl, filenameFromDisposition, request, type RequestOptions } from '@/api/http'

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
  quantity: number
  region_code?: string
}

export interface Batch extends Required<Omit<BatchRequest, 'spec' | 'production_type' | 'enterprise_code' | 'region_code'>> {
  id: string
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
  sample_codes?: { code: string; url: string }[]
}

export interface Holder {
  key: string
  id: string
  role: string
  last_event_time: string
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
}

export interface Suspicion {
  id: string
  rule: 'scans_exceed_units' | 'distant_regions' | 'after_retail_sale' | 'unissued_cluster'
  code_key: string
  batch_id: string | null
  region_code: string
  org_id: string
  detail: string
  status: string
  hits: number
  created_at: string
  updated_at: string
}

export interface Count {
  key: string
  count: number
}

export interface ScanStats {
  by_region: Count[]
  by_day: Count[]
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
}

const batchPath = (id: string) => `/trace/batches/${encodeURIComponent(id)}`

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
  suspicions: (status = '', opts: Opts = {}) =>
    request<{ items: Suspicion[]; total: number }>('GET', '/trace/suspicions', { query: { status }, ...opts }),
  scanStats: (q: { batch_id?: string; days?: number } = {}, opts: Opts = {}) =>
    request<ScanStats>('GET', '/trace/scan-stats', { query: { ...q }, ...opts }),
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
