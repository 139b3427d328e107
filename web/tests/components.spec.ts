import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import { i18n, setLocale } from '@/i18n'
import { createAppRouter } from '@/router'
import { installApiHandlers } from '@/plugins/apiHandlers'
import { useDictStore } from '@/stores/dicts'
import LoginView from '@/views/LoginView.vue'
import RoleDialog from '@/modules/system/components/RoleDialog.vue'
import ChangePasswordForm from '@/components/ChangePasswordForm.vue'
import UserStatusTag from '@/components/UserStatusTag.vue'
import { makeUser, ROLES, stubFetch } from './helpers'

let pinia: Pinia
let router: Router

function plugins() {
  return { global: { plugins: [ElementPlus, i18n, pinia, router] } }
}

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  router = createAppRouter(createMemoryHistory())
  installApiHandlers(router, { error: vi.fn(), warning: vi.fn() })
  setLocale('zh-CN')
  document.body.innerHTML = ''
})
afterEach(() => setLocale('zh-CN'))

describe('LoginView', () => {
  async function mountLogin(path = '/login') {
    await router.push(path)
    await router.isReady()
    return mount(LoginView, { ...plugins(), attachTo: document.body })
  }

  it('shows the title and, in English, the English title', async () => {
    stubFetch({ 'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '未登录' } } } })
    const w = await mountLogin()
    expect(w.get('[data-testid="login-title"]').text()).toBe('内蒙古自治区打击侵权假冒工作平台')
    setLocale('en')
    await flushPromises()
    expect(w.get('[data-testid="login-title"]').text()).toContain('Inner Mongolia')
    w.unmount()
  })

  it('shows the server message for a wrong password (attempts remaining)', async () => {
    stubFetch({
      'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '未登录' } } },
      'POST /api/v1/auth/login': {
        status: 401,
        body: { error: { code: 'unauthenticated', message: '用户名或密码错误，还可尝试 3 次', request_id: 'r' } },
      },
    })
    const w = await mountLogin()
    await w.get('input[name="username"]').setValue('office')
    await w.get('input[name="password"]').setValue('wrong')
    await w.get('form').trigger('submit')
    await flushPromises()
    await flushPromises()
    expect(w.get('[data-testid="login-error"]').text()).toContain('用户名或密码错误，还可尝试 3 次')
    expect(router.currentRoute.value.name).toBe('Login')
    w.unmount()
  })

  it('shows the lockout message (423)', async () => {
    stubFetch({
      'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '未登录' } } },
      'POST /api/v1/auth/login': {
        status: 423,
        body: { error: { code: 'account_locked', message: '账号已锁定，请于 2026-11-30 04:26 后再试' } },
      },
    })
    const w = await mountLogin()
    await w.get('input[name="username"]').setValue('x')
    await w.get('input[name="password"]').setValue('y')
    await w.get('form').trigger('submit')
    await flushPromises()
    await flushPromises()
    expect(w.get('[data-testid="login-error"]').text()).toContain('账号已锁定')
    w.unmount()
  })

  it('returns to the redirect path after login', async () => {
    const user = makeUser({ roles: ['sysadmin'], permissions: ['org.write', 'user.read', 'user.write'] })
    stubFetch({
      'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '未登录' } } },
      'POST /api/v1/auth/login': { body: { token: 't', expires_at: 'x', user, must_change_password: false } },
    })
    const w = await mountLogin('/login?redirect=/system/users')
    await w.get('input[name="username"]').setValue('sysadmin')
    await w.get('input[name="password"]').setValue('Demo@Redshield2017')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/system/users'), { timeout: 3000 })
    w.unmount()
  })

  it('goes to the forced password change when must_change_password is true', async () => {
    stubFetch({
      'GET /api/v1/me': { status: 401, body: { error: { code: 'unauthenticated', message: '未登录' } } },
      'POST /api/v1/auth/login': { body: { token: 't', expires_at: 'x', user: makeUser({ must_change_password: true }), must_change_password: true } },
    })
    const w = await mountLogin()
    await w.get('input[name="username"]').setValue('new')
    await w.get('input[name="password"]').setValue('Tmp-Password-1')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('ForcePassword'), { timeout: 3000 })
    w.unmount()
  })
})

describe('RoleDialog', () => {
  async function mountDialog(user = makeUser({ id: '77', username: 'zhang', display_name: '张三', roles: ['officer'] })) {
    const dicts = useDictStore()
    dicts.roles = ROLES
    await router.push('/login')
    const w = mount(RoleDialog, { props: { modelValue: true, user }, ...plugins(), attachTo: document.body })
    await flushPromises()
    return w
  }
  const box = (role: string) => document.body.querySelector(`[data-role="${role}"]`) as HTMLElement
  const input = (role: string) => box(role).querySelector('input') as HTMLInputElement

  it('groups admin and business roles and explains 三权分立', async () => {
    stubFetch({})
    const w = await mountDialog()
    const admin = document.body.querySelector('[data-testid="admin-roles"]')!.textContent!
    expect(admin).toContain('管理员角色')
    expect(admin).toContain('三权分立：系统管理员、安全管理员、审计管理员不可兼任')
    expect(admin).toContain('系统管理员')
    const business = document.body.querySelector('[data-testid="business-roles"]')!.textContent!
    expect(business).toContain('执法人员')
    expect(business).not.toContain('审计管理员')
    expect(input('officer').checked).toBe(true)
    w.unmount()
  })

  it('disables the other admin roles once one is chosen', async () => {
    stubFetch({})
    const w = await mountDialog()
    expect(input('auditadmin').disabled).toBe(false)
    input('sysadmin').click()
    await flushPromises()
    expect(input('sysadmin').checked).toBe(true)
    expect(input('auditadmin').disabled).toBe(true)
    expect(input('secadmin').disabled).toBe(true)
    expect(input('officer').disabled).toBe(false)
    w.unmount()
  })

  it('saves the roles and shows the server message when it refuses (409)', async () => {
    const { calls } = stubFetch({
      'PUT /api/v1/users/77/roles': { status: 409, body: { error: { code: 'conflict', message: '三权分立：一个用户只能担任一种管理员角色', request_id: 'r' } } },
    })
    const w = await mountDialog(makeUser({ id: '77', roles: ['sysadmin'] }))
    input('officer').click()
    await flushPromises()
    ;(document.body.querySelector('[data-testid="role-dialog-submit"]') as HTMLElement).click()
    await flushPromises()
    await flushPromises()
    expect(calls.at(-1)!.body).toEqual({ roles: ['sysadmin', 'officer'] })
    expect(document.body.querySelector('[data-testid="role-error"]')!.textContent).toContain('三权分立：一个用户只能担任一种管理员角色')
    expect(w.emitted('saved')).toBeUndefined()
    w.unmount()
  })
})

describe('ChangePasswordForm', () => {
  it('validates on the client like the server, then shows server field errors', async () => {
    const { calls: all } = stubFetch({
      'POST /api/v1/me/password': { status: 400, body: { error: { code: 'invalid_argument', message: '原密码错误', field: 'old_password' } } },
    })
    const calls = { get length() { return posts().length }, at: (i: number) => posts().at(i) }
    const posts = () => all.filter((c) => c.method === 'POST')
    await router.push('/login')
    const w = mount(ChangePasswordForm, { ...plugins(), attachTo: document.body })
    await w.get('input[name="old_password"]').setValue('Old-Password-1')
    await w.get('input[name="new_password"]').setValue('short')
    await w.get('input[name="confirm_password"]').setValue('other')
    await w.get('form').trigger('submit')
    // Element Plus validates each field asynchronously: wait for both messages.
    await vi.waitFor(() => {
      expect(w.text()).toContain('密码长度至少 12 位')
      expect(w.text()).toContain('两次输入的新密码不一致')
    })
    expect(calls).toHaveLength(0)

    await w.get('input[name="new_password"]').setValue('alllowercaseletters')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(w.text()).toContain('密码须包含大写字母、小写字母、数字、符号中的至少三类'))

    await w.get('input[name="new_password"]').setValue('New-Password-2026')
    await w.get('input[name="confirm_password"]').setValue('New-Password-2026')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(calls).toHaveLength(1))
    expect(calls.at(0)!.body).toEqual({ old_password: 'Old-Password-1', new_password: 'New-Password-2026' })
    await vi.waitFor(() => expect(w.text()).toContain('原密码错误'))
    expect(w.emitted('done')).toBeUndefined()
    w.unmount()
  })
})

describe('UserStatusTag', () => {
  it('shows 正常/锁定/停用 with matching colours', () => {
    const tag = (status: string) => mount(UserStatusTag, { props: { status }, global: { plugins: [ElementPlus, i18n] } })
    expect(tag('active').text()).toBe('正常')
    expect(tag('locked').text()).toBe('锁定')
    expect(tag('locked').find('.el-tag--danger').exists()).toBe(true)
    expect(tag('disabled').text()).toBe('停用')
  })
})
