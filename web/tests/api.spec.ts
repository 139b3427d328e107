import { beforeEach, describe, expect, it, vi } from 'vitest'
import { buildUrl, filenameFromDisposition, parseError, request, setApiHandlers, ApiError, isMustChangePassword } from '@/api/http'
import { auditApi, orgApi, userApi, authApi } from '@/api'
import { stubFetch } from './helpers'

describe('buildUrl', () => {
  it('prefixes /api/v1 and drops empty query values', () => {
    expect(buildUrl('/users', { q: '', page: 1, page_size: 20, org_id: undefined, role: null, status: 'locked' })).toBe(
      '/api/v1/users?page=1&page_size=20&status=locked',
    )
    expect(buildUrl('/regions')).toBe('/api/v1/regions')
    expect(buildUrl('/organizations', { q: '公安 厅' })).toBe('/api/v1/organizations?q=%E5%85%AC%E5%AE%89+%E5%8E%85')
  })
})

describe('parseError', () => {
  it('reads {"error":{code,message,request_id,field}}', async () => {
    const res = new Response(
      JSON.stringify({ error: { code: 'invalid_argument', message: '机构代码已存在', request_id: 'req-1', field: 'code' } }),
      { status: 400 },
    )
    const e = await parseError(res)
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(400)
    expect(e.code).toBe('invalid_argument')
    expect(e.message).toBe('机构代码已存在')
    expect(e.requestId).toBe('req-1')
    expect(e.field).toBe('code')
  })

  it('falls back to a status message when the body is not the error JSON', async () => {
    const e = await parseError(new Response('<html>Bad gateway</html>', { status: 502 }))
    expect(e.status).toBe(502)
    expect(e.code).toBe('internal')
    expect(e.message).toContain('502')
  })

  it('keeps Retry-After of 429', async () => {
    const e = await parseError(
      new Response(JSON.stringify({ error: { code: 'rate_limited', message: '请求过于频繁' } }), {
        status: 429,
        headers: { 'Retry-After': '7' },
      }),
    )
    expect(e.code).toBe('rate_limited')
    expect(e.retryAfter).toBe(7)
  })

  it('recognises the must_change_password precondition', () => {
    const e = new ApiError({ status: 412, code: 'failed_precondition', message: '请先修改初始密码', field: 'must_change_password' })
    expect(isMustChangePassword(e)).toBe(true)
    expect(isMustChangePassword(new ApiError({ status: 412, code: 'failed_precondition', message: '案件状态不允许' }))).toBe(false)
  })
})

describe('request', () => {
  const onUnauthorized = vi.fn()
  const onMustChangePassword = vi.fn()
  const onError = vi.fn()
  beforeEach(() => {
    onUnauthorized.mockReset()
    onMustChangePassword.mockReset()
    onError.mockReset()
    setApiHandlers({ onUnauthorized, onMustChangePassword, onError })
  })

  it('sends JSON with the session cookie (same-origin) and returns the body', async () => {
    const { calls } = stubFetch({
      'POST /api/v1/organizations': { status: 201, body: { id: '9007199254740993', code: 'X1', name: '某局' } },
    })
    const org = await orgApi.create({ code: 'X1', name: '某局', short_name: '', aliases: ['别名'], type: 'agency', region_code: '150000' })
    expect(org.id).toBe('9007199254740993') // ids stay strings
    expect(calls[0].init.credentials).toBe('same-origin')
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
    expect(calls[0].body).toEqual({ code: 'X1', name: '某局', short_name: '', aliases: ['别名'], type: 'agency', region_code: '150000' })
  })

  it('puts list filters in the query string', async () => {
    const { calls } = stubFetch({ 'GET /api/v1/users': { body: { items: [], total: 0, page: 2, page_size: 50 } } })
    await userApi.list({ q: '张', role: 'officer', status: '', page: 2, page_size: 50 })
    expect(calls[0].url).toBe('/api/v1/users?q=%E5%BC%A0&role=officer&page=2&page_size=50')
  })

  it('returns undefined for 204', async () => {
    stubFetch({ 'POST /api/v1/auth/logout': { status: 204 } })
    await expect(authApi.logout()).resolves.toBeUndefined()
  })

  it('calls onUnauthorized on 401 and rejects with the parsed error', async () => {
    stubFetch({ 'GET /api/v1/users': { status: 401, body: { error: { code: 'unauthenticated', message: '会话已过期', request_id: 'r' } } } })
    await expect(userApi.list()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(onError).not.toHaveBeenCalled()
  })

  it('does not treat a failed login (401) as an expired session', async () => {
    stubFetch({
      'POST /api/v1/auth/login': { status: 401, body: { error: { code: 'unauthenticated', message: '用户名或密码错误，还可尝试 4 次' } } },
    })
    await expect(authApi.login({ username: 'a', password: 'b' })).rejects.toMatchObject({ message: '用户名或密码错误，还可尝试 4 次' })
    expect(onUnauthorized).not.toHaveBeenCalled()
    expect(onError).not.toHaveBeenCalled()
  })

  it('calls onMustChangePassword on 412 must_change_password', async () => {
    stubFetch({
      'GET /api/v1/stats/overview': {
        status: 412,
        body: { error: { code: 'failed_precondition', message: '请先修改初始密码', field: 'must_change_password' } },
      },
    })
    await expect(request('GET', '/stats/overview')).rejects.toBeInstanceOf(ApiError)
    expect(onMustChangePassword).toHaveBeenCalledTimes(1)
    expect(onError).not.toHaveBeenCalled()
  })

  it('shows other errors unless showError is false', async () => {
    stubFetch({ 'PUT /api/v1/users/5/roles': { status: 409, body: { error: { code: 'conflict', message: '三权分立：管理员角色不可兼任' } } } })
    await expect(userApi.setRoles('5', ['sysadmin', 'auditadmin'])).rejects.toMatchObject({ status: 409 })
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError.mock.calls[0][0].message).toBe('三权分立：管理员角色不可兼任')
    await expect(userApi.setRoles('5', ['sysadmin', 'auditadmin'], { showError: false })).rejects.toMatchObject({ status: 409 })
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('turns a network failure into an ApiError with status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    await expect(request('GET', '/me')).rejects.toMatchObject({ status: 0, code: 'unavailable' })
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('downloads the audit export with the filters and the server file name', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/audit/export': {
        body: 'PK..',
        headers: {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'Content-Disposition': "attachment; filename=\"audit.xlsx\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.xlsx",
        },
      },
    })
    const { blob, filename } = await auditApi.export({ action: 'user.create', from: '2026-11-28T16:00:00.000Z' })
    expect(filename).toBe('审计日志.xlsx')
    expect(blob.size).toBeGreaterThan(0)
    expect(calls[0].url).toBe('/api/v1/audit/export?action=user.create&from=2026-11-28T16%3A00%3A00.000Z')
  })
})

describe('filenameFromDisposition', () => {
  it('handles plain, quoted, RFC 5987 and missing headers', () => {
    expect(filenameFromDisposition('attachment; filename=a.xlsx', 'x')).toBe('a.xlsx')
    expect(filenameFromDisposition('attachment; filename="b c.xlsx"', 'x')).toBe('b c.xlsx')
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E5%AE%A1.xlsx", 'x')).toBe('审.xlsx')
    expect(filenameFromDisposition(null, 'audit.xlsx')).toBe('audit.xlsx')
  })
})
