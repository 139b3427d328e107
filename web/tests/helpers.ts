import { vi } from 'vitest'
import type { User } from '@/api'

export interface FakeRoute {
  status?: number
  body?: unknown
  headers?: Record<string, string>
}

/** JSON bodies parsed; raw ones (file uploads: ArrayBuffer, Blob) kept as they are. */
function parseBody(body: BodyInit | null | undefined): unknown {
  if (body === null || body === undefined) return undefined
  if (typeof body !== 'string') return body
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

/** A fetch stub answering by "METHOD /path" (path without the query string). */
export function stubFetch(routes: Record<string, FakeRoute | ((req: { url: string; init: RequestInit }) => FakeRoute)>) {
  const calls: { method: string; url: string; body?: unknown; init: RequestInit }[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    const method = (init.method ?? 'GET').toUpperCase()
    const path = url.split('?')[0]
    calls.push({ method, url, init, body: parseBody(init.body) })
    const handler = routes[`${method} ${path}`]
    const r: FakeRoute = typeof handler === 'function' ? handler({ url, init }) : handler ?? { status: 404, body: { error: { code: 'not_found', message: '接口不存在：' + path, request_id: 'rq' } } }
    const status = r.status ?? 200
    const text = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
    return new Response(status === 204 ? null : text, {
      status,
      headers: { 'Content-Type': 'application/json', ...(r.headers ?? {}) },
    })
  })
  vi.stubGlobal('fetch', fn)
  return { fn, calls }
}

export function makeUser(over: Partial<User> = {}): User {
  return {
    id: '1001',
    username: 'office',
    display_name: '王办公',
    org: { id: '2001', code: 'NMG-SDB', name: '内蒙古自治区双打办' },
    roles: ['office'],
    permissions: ['stats.read'],
    status: 'active',
    locked_until: null,
    must_change_password: false,
    phone_masked: null,
    created_at: '2026-11-29T00:00:00Z',
    last_login_at: null,
    ...over,
  }
}

export const ROLES = [
  { id: 'sysadmin', name_zh: '系统管理员', name_en: 'System administrator', admin: true, description: '' },
  { id: 'secadmin', name_zh: '安全管理员', name_en: 'Security administrator', admin: true, description: '' },
  { id: 'auditadmin', name_zh: '审计管理员', name_en: 'Audit administrator', admin: true, description: '' },
  { id: 'office', name_zh: '双打办', name_en: 'Leading-group office', admin: false, description: '' },
  { id: 'officer', name_zh: '执法人员', name_en: 'Enforcement officer', admin: false, description: '' },
  { id: 'police', name_zh: '公安', name_en: 'Police', admin: false, description: '' },
]

export const flush = () => new Promise((r) => setTimeout(r, 0))
