// The auth store, the router guards and the API handlers together: 401 → login?redirect=…,
// 412 must_change_password → change-password page, permissions → 403.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import { createAppRouter } from '@/router'
import { installApiHandlers } from '@/plugins/apiHandlers'
import { useAuthStore } from '@/stores/auth'
import { userApi } from '@/api'
import { flush, makeUser, stubFetch } from './helpers'

let router: Router
const notify = { error: vi.fn(), warning: vi.fn() }

beforeEach(() => {
  setActivePinia(createPinia())
  router = createAppRouter(createMemoryHistory())
  notify.error.mockReset()
  notify.warning.mockReset()
  installApiHandlers(router, notify)
})

describe('auth store', () => {
  it('logs in, keeps the user and answers permission questions', async () => {
    const user = makeUser({ roles: ['sysadmin'], permissions: ['org.write', 'user.read', 'user.write'] })
    const { calls } = stubFetch({
      'POST /api/v1/auth/login': { body: { token: 't', expires_at: '2026-11-30T00:00:00Z', user, must_change_password: false } },
    })
    const auth = useAuthStore()
    await auth.login('sysadmin', 'Demo@Redshield2017')
    expect(calls[0].body).toEqual({ username: 'sysadmin', password: 'Demo@Redshield2017' })
    expect(auth.loggedIn).toBe(true)
    expect(auth.hasPermission('org.write')).toBe(true)
    expect(auth.hasPermission('role.grant')).toBe(false)
    expect(auth.hasAnyPermission(['role.grant', 'user.read'])).toBe(true)
    expect(auth.hasRole('sysadmin')).toBe(true)
    expect(auth.mustChangePassword).toBe(false)
  })

  it('takes must_change_password from the login response', async () => {
    stubFetch({
      'POST /api/v1/auth/login': { body: { token: 't', expires_at: 'x', user: makeUser(), must_change_password: true } },
    })
    const auth = useAuthStore()
    const u = await auth.login('new', 'Temp#Pass1234')
    expect(u.must_change_password).toBe(true)
    expect(auth.mustChangePassword).toBe(true)
  })

  it('fetchMe: 401 means signed out, without a "session expired" message', async () => {
    stubFetch({ 'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '未登录' } } } })
    const auth = useAuthStore()
    await expect(auth.fetchMe()).resolves.toBeNull()
    expect(auth.checked).toBe(true)
    expect(auth.loggedIn).toBe(false)
    expect(notify.warning).not.toHaveBeenCalled()
  })

  it('logout clears the user even if the server call fails', async () => {
    stubFetch({ 'POST /api/v1/auth/logout': { status: 503, body: { error: { code: 'unavailable', message: '服务暂不可用' } } } })
    const auth = useAuthStore()
    auth.setUser(makeUser())
    await auth.logout()
    expect(auth.user).toBeNull()
    expect(auth.loggedIn).toBe(false)
  })
})

describe('router guards', () => {
  it('sends a signed-out visitor to login with the path to come back to', async () => {
    stubFetch({ 'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '未登录' } } } })
    await router.push('/system/users?q=abc')
    expect(router.currentRoute.value.name).toBe('Login')
    expect(router.currentRoute.value.query.redirect).toBe('/system/users?q=abc')
  })

  it('lets a user in where their permissions allow, and shows 403 elsewhere', async () => {
    stubFetch({ 'GET /api/v1/me': { body: makeUser({ roles: ['secadmin'], permissions: ['user.read', 'role.grant'] }) } })
    await router.push('/system/users')
    expect(router.currentRoute.value.name).toBe('SystemUsers')
    await router.push('/audit/log')
    expect(router.currentRoute.value.name).toBe('Forbidden')
  })

  it('keeps a user who must change the password on the change-password page', async () => {
    stubFetch({ 'GET /api/v1/me': { body: makeUser({ must_change_password: true }) } })
    await router.push('/dashboard')
    expect(router.currentRoute.value.name).toBe('ForcePassword')
    await router.push('/system/organizations')
    expect(router.currentRoute.value.name).toBe('ForcePassword')
  })

  it('does not accept an external redirect target after login', async () => {
    stubFetch({ 'GET /api/v1/me': { body: makeUser() } })
    await router.push('/login?redirect=//evil.example/x')
    expect(router.currentRoute.value.path).toBe('/dashboard')
  })
})

describe('API handlers', () => {
  it('on 401 anywhere: forgets the user, says the session expired, goes to login?redirect=<current path>', async () => {
    const sys = makeUser({ roles: ['sysadmin'], permissions: ['org.write', 'user.read', 'user.write'] })
    stubFetch({
      'GET /api/v1/me': { body: sys },
      'GET /api/v1/users': { status: 401, body: { error: { code: 'unauthenticated', message: '会话已过期', request_id: 'r1' } } },
    })
    await router.push('/system/users?status=locked')
    expect(router.currentRoute.value.name).toBe('SystemUsers')
    await expect(userApi.list({ status: 'locked' })).rejects.toMatchObject({ status: 401 })
    await flush()
    await flush()
    expect(notify.warning).toHaveBeenCalledWith('会话已过期，请重新登录')
    expect(router.currentRoute.value.name).toBe('Login')
    expect(router.currentRoute.value.query.redirect).toBe('/system/users?status=locked')
    expect(useAuthStore().loggedIn).toBe(false)
  })

  it('on 412 must_change_password: goes to the change-password page', async () => {
    stubFetch({
      'GET /api/v1/me': { body: makeUser({ roles: ['sysadmin'], permissions: ['user.read'] }) },
      'GET /api/v1/users': {
        status: 412,
        body: { error: { code: 'failed_precondition', message: '请先修改初始密码', field: 'must_change_password' } },
      },
    })
    await router.push('/system/users')
    await expect(userApi.list()).rejects.toMatchObject({ status: 412 })
    await flush()
    await flush()
    expect(router.currentRoute.value.name).toBe('ForcePassword')
    expect(router.currentRoute.value.query.redirect).toBe('/system/users')
    expect(notify.error).not.toHaveBeenCalled()
  })

  it('shows the Chinese message of other errors', async () => {
    stubFetch({
      'GET /api/v1/me': { body: makeUser({ permissions: ['user.read'] }) },
      'GET /api/v1/users': { status: 403, body: { error: { code: 'permission_denied', message: '无权执行此操作' } } },
    })
    await router.push('/dashboard')
    await expect(userApi.list()).rejects.toMatchObject({ status: 403 })
    expect(notify.error).toHaveBeenCalledWith('无权执行此操作')
  })
})
