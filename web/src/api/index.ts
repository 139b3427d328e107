// Typed functions for every endpoint of docs/api.md. Pages import from '@/api'.
import { buildUrl, filenameFromDisposition, request, type RequestOptions } from './http'
import type {
  AuditQuery,
  AuditRecord,
  AuditVerifyResult,
  ChangePasswordRequest,
  Health,
  Id,
  LoginRequest,
  LoginResponse,
  Organization,
  OrganizationInput,
  OrganizationQuery,
  Page,
  Region,
  Role,
  StatsOverview,
  TemporaryPassword,
  User,
  UserCreateRequest,
  UserCreateResponse,
  UserQuery,
  UserUpdateRequest,
} from './types'

export * from './types'
export * from './plans'
export { ApiError, isApiError, setApiHandlers, buildUrl } from './http'

type Opts = Pick<RequestOptions, 'showError' | 'signal' | 'skipAuthRedirect'>

const enc = encodeURIComponent

// --- auth ------------------------------------------------------------------
export const authApi = {
  /** Wrong credentials (401) and lockout (423) are shown by the login page itself. */
  login: (body: LoginRequest) =>
    request<LoginResponse>('POST', '/auth/login', { body, showError: false, skipAuthRedirect: true }),
  logout: () => request<void>('POST', '/auth/logout', { showError: false, skipAuthRedirect: true }),
  me: (opts: Opts = {}) => request<User>('GET', '/me', opts),
  changePassword: (body: ChangePasswordRequest, opts: Opts = {}) =>
    request<void>('POST', '/me/password', { body, ...opts }),
}

// --- regions, roles ----------------------------------------------------------
export const regionApi = {
  list: (opts: Opts = {}) => request<{ items: Region[] }>('GET', '/regions', opts),
}

export const roleApi = {
  list: (opts: Opts = {}) => request<{ items: Role[] }>('GET', '/roles', opts),
}

// --- organisations -------------------------------------------------------------
export const orgApi = {
  list: (q: OrganizationQuery = {}, opts: Opts = {}) =>
    request<Page<Organization>>('GET', '/organizations', { query: { ...q }, ...opts }),
  get: (id: Id, opts: Opts = {}) => request<Organization>('GET', `/organizations/${enc(id)}`, opts),
  create: (body: OrganizationInput, opts: Opts = {}) =>
    request<Organization>('POST', '/organizations', { body, ...opts }),
  update: (id: Id, body: OrganizationInput, opts: Opts = {}) =>
    request<Organization>('PUT', `/organizations/${enc(id)}`, { body, ...opts }),
  remove: (id: Id, opts: Opts = {}) => request<void>('DELETE', `/organizations/${enc(id)}`, opts),
}

// --- users -----------------------------------------------------------------------
export const userApi = {
  list: (q: UserQuery = {}, opts: Opts = {}) =>
    request<Page<User>>('GET', '/users', { query: { ...q }, ...opts }),
  get: (id: Id, opts: Opts = {}) => request<User>('GET', `/users/${enc(id)}`, opts),
  create: (body: UserCreateRequest, opts: Opts = {}) =>
    request<UserCreateResponse>('POST', '/users', { body, ...opts }),
  update: (id: Id, body: UserUpdateRequest, opts: Opts = {}) =>
    request<User>('PUT', `/users/${enc(id)}`, { body, ...opts }),
  unlock: (id: Id, opts: Opts = {}) => request<User>('POST', `/users/${enc(id)}/unlock`, opts),
  resetPassword: (id: Id, opts: Opts = {}) =>
    request<TemporaryPassword>('POST', `/users/${enc(id)}/reset-password`, opts),
  setRoles: (id: Id, roles: string[], opts: Opts = {}) =>
    request<User>('PUT', `/users/${enc(id)}/roles`, { body: { roles }, ...opts }),
}

// --- audit -------------------------------------------------------------------------
export const auditApi = {
  list: (q: AuditQuery = {}, opts: Opts = {}) =>
    request<Page<AuditRecord>>('GET', '/audit', { query: { ...q }, ...opts }),
  verify: (opts: Opts = {}) => request<AuditVerifyResult>('GET', '/audit/verify', opts),
  /** Downloads the XLSX for the given filters (without paging). */
  async export(q: Omit<AuditQuery, 'page' | 'page_size'> = {}): Promise<{ blob: Blob; filename: string }> {
    const res = await request<Response>('GET', '/audit/export', { query: { ...q }, raw: true })
    const blob = await res.blob()
    const filename = filenameFromDisposition(res.headers.get('Content-Disposition'), 'audit.xlsx')
    return { blob, filename }
  },
  /** Only for display (e.g. a copyable link); downloads go through export(). */
  exportUrl: (q: Omit<AuditQuery, 'page' | 'page_size'> = {}) => buildUrl('/audit/export', { ...q }),
}

// --- stats -------------------------------------------------------------------------
export const statsApi = {
  overview: (opts: Opts = {}) => request<StatsOverview>('GET', '/stats/overview', opts),
}

// --- health (outside /api/v1) ----------------------------------------------------
export async function healthz(): Promise<Health> {
  const res = await fetch('/healthz', { credentials: 'same-origin' })
  return (await res.json()) as Health
}
