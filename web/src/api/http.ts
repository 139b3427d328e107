// The one place that talks HTTP to the redshield server. Pages call the typed
// functions in ./index.ts; they never build URLs themselves.
import type { ErrorBody } from './types'

export const API_BASE = '/api/v1'

/** An error answered by the server (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly requestId?: string
  readonly field?: string
  readonly retryAfter?: number

  constructor(init: {
    status: number
    code: string
    message: string
    requestId?: string
    field?: string
    retryAfter?: number
  }) {
    super(init.message)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.requestId = init.requestId
    this.field = init.field
    this.retryAfter = init.retryAfter
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** A non-JSON body sent as is (file uploads: the plan file's bytes). */
  rawBody?: Blob | ArrayBuffer | Uint8Array
  /** Content-Type of `rawBody` (default application/octet-stream). */
  contentType?: string
  /**
   * Show the server's message to the user (ElMessage) when the request fails.
   * Default true. Forms that put field errors on their inputs pass false.
   */
  showError?: boolean
  /** Do not treat 401 as "session expired" (login itself, the first /me probe). */
  skipAuthRedirect?: boolean
  /** Return the raw Response (downloads). */
  raw?: boolean
  signal?: AbortSignal
}

/** Hooks installed by the application (see ./handlers.ts); tests install their own. */
export interface ApiHandlers {
  /** 401 on an authenticated request: the session is gone. */
  onUnauthorized(err: ApiError): void
  /** 412 failed_precondition because the password must be changed first. */
  onMustChangePassword(err: ApiError): void
  /** Any other error the caller wants shown. */
  onError(err: ApiError): void
}

const noop = () => {}
let handlers: ApiHandlers = { onUnauthorized: noop, onMustChangePassword: noop, onError: noop }

export function setApiHandlers(h: Partial<ApiHandlers>): void {
  handlers = { ...handlers, ...h }
}

/** Fallback messages for answers that carry no JSON error body (proxy errors, network down). */
let fallbackMessage: (status: number) => string = (status) =>
  status === 0 ? '无法连接服务器，请检查网络' : `服务器错误（${status}）`

export function setFallbackMessage(fn: (status: number) => string): void {
  fallbackMessage = fn
}

/** Builds `/api/v1<path>?query`, dropping empty query values. */
export function buildUrl(path: string, query?: Query): string {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      params.append(k, String(v))
    }
    const s = params.toString()
    if (s) url += '?' + s
  }
  return url
}

/** Turns a non-2xx Response into an ApiError, reading `{"error":{...}}` when present. */
export async function parseError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null
  try {
    const text = await res.text()
    body = text ? (JSON.parse(text) as Partial<ErrorBody>) : null
  } catch {
    body = null
  }
  const e = body && typeof body === 'object' ? body.error : undefined
  const retry = res.headers.get('Retry-After')
  const retryAfter = retry && /^\d+$/.test(retry) ? Number(retry) : undefined
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    return new ApiError({
      status: res.status,
      code: typeof e.code === 'string' ? e.code : statusCode(res.status),
      message: e.message,
      requestId: e.request_id || res.headers.get('X-Request-Id') || undefined,
      field: e.field || undefined,
      retryAfter,
    })
  }
  return new ApiError({
    status: res.status,
    code: statusCode(res.status),
    message: fallbackMessage(res.status),
    requestId: res.headers.get('X-Request-Id') || undefined,
    retryAfter,
  })
}

function statusCode(status: number): string {
  switch (status) {
    case 400: return 'invalid_argument'
    case 401: return 'unauthenticated'
    case 403: return 'permission_denied'
    case 404: return 'not_found'
    case 409: return 'conflict'
    case 412: return 'failed_precondition'
    case 413: return 'payload_too_large'
    case 423: return 'account_locked'
    case 429: return 'rate_limited'
    case 503: return 'unavailable'
    default: return 'internal'
  }
}

/** True for the 412 that means "change your password before anything else". */
export function isMustChangePassword(err: ApiError): boolean {
  if (err.status !== 412 && err.code !== 'failed_precondition') return false
  // The server names the reason in `field` ("请先修改初始密码", field must_change_password).
  return err.field === 'must_change_password' || /must_change_password/.test(err.message)
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: BodyInit | undefined
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  } else if (opts.rawBody !== undefined) {
    headers['Content-Type'] = opts.contentType ?? 'application/octet-stream'
    body = opts.rawBody as BodyInit
  }
  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    const err = new ApiError({ status: 0, code: 'unavailable', message: fallbackMessage(0) })
    if (opts.showError !== false) handlers.onError(err)
    throw err
  }

  if (!res.ok) {
    const err = await parseError(res)
    if (err.status === 401 && !opts.skipAuthRedirect) {
      handlers.onUnauthorized(err)
    } else if (err.status === 412 && isMustChangePassword(err)) {
      handlers.onMustChangePassword(err)
    } else if (opts.showError !== false) {
      handlers.onError(err)
    }
    throw err
  }

  if (opts.raw) return res as unknown as T
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}

/** Reads the file name out of a Content-Disposition header (RFC 6266 / 5987). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header)
  if (plain) return (plain[2] ?? plain[1]).trim()
  return fallback
}
