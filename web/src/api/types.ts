// TypeScript mirror of docs/api.md (redshield HTTP API v1). Keep in sync with the doc.
// Ids are 64-bit integers sent as strings; times are ISO 8601 UTC strings.

export type Id = string
export type IsoTime = string

/** Body of every non-2xx response. */
export interface ErrorBody {
  error: {
    code: ErrorCode | string
    message: string
    request_id?: string
    field?: string
  }
}

export type ErrorCode =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'failed_precondition'
  | 'payload_too_large'
  | 'account_locked'
  | 'rate_limited'
  | 'unavailable'
  | 'internal'

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}

export interface PageQuery {
  page?: number
  page_size?: number
}

export type RoleId =
  | 'sysadmin'
  | 'secadmin'
  | 'auditadmin'
  | 'office'
  | 'officer'
  | 'reviewer'
  | 'police'
  | 'procurator'
  | 'court'
  | 'rightsholder'
  | 'platform'

export const ADMIN_ROLES: readonly string[] = ['sysadmin', 'secadmin', 'auditadmin']

export type UserStatus = 'active' | 'locked' | 'disabled'

export interface OrgRef {
  id: Id
  code: string
  name: string
}

export interface User {
  id: Id
  username: string
  display_name: string
  org: OrgRef
  roles: string[]
  permissions: string[]
  status: UserStatus
  locked_until: IsoTime | null
  must_change_password: boolean
  phone_masked: string | null
  created_at: IsoTime
  last_login_at: IsoTime | null
}

export interface LoginRequest {
  username: string
  password: string
}

export interface LoginResponse {
  token: string
  expires_at: IsoTime
  user: User
  must_change_password: boolean
}

export interface ChangePasswordRequest {
  old_password: string
  new_password: string
}

export type RegionLevel = 'province' | 'prefecture' | 'county'

export interface Region {
  code: string
  name: string
  level: RegionLevel
  parent_code: string | null
}

export type OrgType =
  | 'office'
  | 'agency'
  | 'police'
  | 'procuratorate'
  | 'court'
  | 'customs'
  | 'government'
  | 'rightsholder'
  | 'platform'
  | 'other'

export const ORG_TYPES: readonly OrgType[] = [
  'office',
  'agency',
  'police',
  'procuratorate',
  'court',
  'customs',
  'government',
  'rightsholder',
  'platform',
  'other',
]

export interface Organization {
  id: Id
  code: string
  name: string
  short_name: string
  aliases: string[]
  type: OrgType
  region_code: string
  region_name: string
  parent_id: Id | null
}

export interface OrganizationInput {
  code: string
  name: string
  short_name: string
  aliases: string[]
  type: OrgType | ''
  region_code: string
  parent_id?: Id | null
}

export interface OrganizationQuery extends PageQuery {
  q?: string
  region_code?: string
  type?: string
}

export interface UserQuery extends PageQuery {
  q?: string
  org_id?: Id
  role?: string
  status?: UserStatus | ''
}

export interface UserCreateRequest {
  username: string
  display_name: string
  org_id: Id
  phone?: string
}

export interface UserCreateResponse {
  user: User
  temporary_password: string
}

export interface UserUpdateRequest {
  display_name: string
  org_id: Id
  phone?: string
  status: 'active' | 'disabled'
}

export interface TemporaryPassword {
  temporary_password: string
}

export interface Role {
  id: string
  name_zh: string
  name_en: string
  admin: boolean
  description: string
}

export interface AuditRecord {
  seq: number | string
  time: IsoTime
  user_id: Id | null
  username: string | null
  org_id: Id | null
  org_name: string | null
  action: string
  object_type: string | null
  object_id: string | null
  summary: string
  client_addr: string | null
  request_id: string | null
  /** Not in docs/api.md but sent by the server: the previous record's hash (the chain link). */
  prev_hash?: string
  hash: string
}

export interface AuditQuery extends PageQuery {
  from?: IsoTime
  to?: IsoTime
  user_id?: Id
  org_id?: Id
  action?: string
  object_type?: string
  object_id?: string
}

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  first_broken_seq: number | null
  message: string
}

export interface RegionStat {
  region_code: string
  region_name: string
  organizations: number
  users: number
}

export interface DayCount {
  date: string
  count: number
}

export interface StatsOverview {
  organizations: number
  users: number
  by_region: RegionStat[]
  audit_per_day: DayCount[]
}

export interface Health {
  status: string
}
