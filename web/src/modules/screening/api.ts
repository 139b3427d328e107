// Screening jobs and clues (docs/api.md, "Screening and clues (issue 6)").
import { ApiError, buildUrl, filenameFromDisposition, request, type RequestOptions } from '@/api/http'
import type { Page } from '@/api'

type Opts = Pick<RequestOptions, 'showError' | 'signal'>

export type JobStatus = 'queued' | 'running' | 'done' | 'failed'

export interface ScreeningJob {
  id: string
  status: JobStatus
  file_name: string
  threshold: number
  bytes_total: number
  bytes_read: number
  listings_read: number
  flagged: number
  malformed: number
  clues_created: number
  clues_merged: number
  created_at: string
  started_at: string | null
  finished_at: string | null
  error: string | null
  malformed_samples: { line: number; message: string }[]
}

export type ClueStatus = '待核查' | '已确认' | '已排除'

export interface Reason {
  kind: 'brand' | 'jargon' | 'price' | 'blacklist' | 'unauthorized' | 'license'
  term?: string
  span?: [number, number]
  field?: 'description'
  points: number
  detail: string
}

/** A matched span; offsets are bytes of the field's UTF-8 text. */
export interface Span {
  field: 'title' | 'description'
  begin: number
  end: number
  kind: Reason['kind']
  term: string
}

export interface Clue {
  id: string
  source: string
  job_id: string | null
  platform: string
  listing_id: string
  url: string
  title: string
  price: number | null
  seller_id: string
  seller_name: string
  brand: string | null
  category: string
  score: number
  status: ClueStatus
  org: { id: string; name: string }
  region_code: string
  listing_count: number
  first_seen: string
  last_seen: string
  reviewed_at: string | null
  reviewed_by: { id: string; name: string } | null
  review_comment: string
}

export interface ClueDetail extends Clue {
  description: string
  reasons: Reason[]
  spans: Span[]
  listings: { platform: string; listing_id: string; url: string; title: string; price: number | null; score: number; seen_at: string }[]
}

export interface ClueQuery {
  status?: string
  brand?: string
  platform?: string
  org_id?: string
  q?: string
  min_score?: number
  page?: number
  page_size?: number
}

export interface Count {
  key: string
  name?: string
  count: number
}

export interface ClueStats {
  total: number
  top_brands: Count[]
  top_sellers: Count[]
  by_status: Count[]
  by_day: Count[]
}

/**
 * Uploads a feed with upload progress (fetch cannot report it, so XMLHttpRequest).
 * Resolves with the queued job; rejects with an ApiError carrying the server's message.
 */
export function uploadFeed(
  file: Blob,
  name: string,
  onProgress: (loaded: number, total: number) => void,
  threshold?: number,
): Promise<ScreeningJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', buildUrl('/screening/jobs', { name, threshold }))
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', name.endsWith('.gz') ? 'application/gzip' : 'application/x-ndjson')
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size)
    xhr.onload = () => {
      let body: { error?: { code: string; message: string; request_id?: string } } & Partial<ScreeningJob> = {}
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        /* not JSON: handled below */
      }
      if (xhr.status === 202) return resolve(body as ScreeningJob)
      reject(
        new ApiError({
          status: xhr.status,
          code: body.error?.code ?? 'unavailable',
          message: body.error?.message ?? `HTTP ${xhr.status}`,
          requestId: body.error?.request_id,
        }),
      )
    }
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'unavailable', message: 'network error' }))
    xhr.send(file)
  })
}

export const screeningApi = {
  jobs: (q: { page?: number; page_size?: number } = {}, opts: Opts = {}) =>
    request<Page<ScreeningJob>>('GET', '/screening/jobs', { query: { ...q }, ...opts }),
  job: (id: string, opts: Opts = {}) => request<ScreeningJob>('GET', `/screening/jobs/${encodeURIComponent(id)}`, opts),
}

export const clueApi = {
  list: (q: ClueQuery = {}, opts: Opts = {}) => request<Page<Clue>>('GET', '/clues', { query: { ...q }, ...opts }),
  get: (id: string, opts: Opts = {}) => request<ClueDetail>('GET', `/clues/${encodeURIComponent(id)}`, opts),
  review: (id: string, decision: 'confirm' | 'dismiss', comment: string) =>
    request<ClueDetail>('POST', `/clues/${encodeURIComponent(id)}/review`, { body: { decision, comment } }),
  stats: (q: Omit<ClueQuery, 'page' | 'page_size'> = {}, opts: Opts = {}) =>
    request<ClueStats>('GET', '/clues/stats', { query: { ...q }, ...opts }),
  async export(q: Omit<ClueQuery, 'page' | 'page_size'> = {}): Promise<{ blob: Blob; filename: string }> {
    const res = await request<Response>('GET', '/clues/export', { query: { ...q }, raw: true })
    return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition'), 'clues.xlsx') }
  },
}
