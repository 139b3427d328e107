// End-to-end: the built UI (web/dist) served by the real redshield binary, driven in Chromium.
// Run: npm run build && npm run e2e   (REDSHIELD_BIN, REDSHIELD_SCREENSHOT_DIR optional)
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, startServer } from './lib/server.mjs'
import { launchBrowser, openPage, screenshot } from './lib/browser.mjs'

const DEMO_PASSWORD = 'Demo@Redshield2017'
const NEW_PASSWORD = 'Xin-Mima#2026ab'
const stamp = Date.now().toString(36)
const ORG = { code: `E2E-${stamp}`.toUpperCase(), name: `包头市端到端测试局${stamp}`, short: '端到端测试局', alias: '测试别名' }
const NEW_USER = { username: `e2e_${stamp}`, display: '测试用户甲', phone: '13812345678' }

let server
let browser
const state = { tempPassword: '' }

/** Opens a page and makes the test fail on any console error once the body is done. */
async function withPage(t, fn, opts) {
  const p = await openPage(browser, server.baseUrl, opts)
  try {
    await fn(p.page)
    assert.deepEqual(p.errors, [], 'browser console errors')
  } catch (e) {
    const name = 'FAILED-' + t.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').slice(0, 60)
    await screenshot(p.page, name).catch(() => {})
    if (p.errors.length) console.error('browser errors:', p.errors)
    throw e
  } finally {
    await p.close()
  }
}

async function login(page, username, password) {
  await page.goto('/login')
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-testid="login-submit"]').click()
}

async function loginOk(page, username, password = DEMO_PASSWORD) {
  await login(page, username, password)
  await page.waitForURL(/\/dashboard$/)
  await page.locator('[data-testid="side-menu"]').waitFor()
}

const menuText = (page) => page.locator('[data-testid="side-menu"]').innerText()

async function pickOption(page, text) {
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await item.waitFor()
  await item.click()
}

async function openMenu(page, group, item) {
  const menu = page.locator('[data-testid="side-menu"]')
  const leaf = menu.locator('.el-menu-item', { hasText: item })
  if (!(await leaf.isVisible())) await menu.locator('.el-sub-menu__title', { hasText: group }).click()
  await leaf.click()
}

describe('redshield web UI against the real server', () => {
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close().catch(() => {})
    await server?.stop()
  })

  test('office logs in and sees the dashboard', async (t) => {
    await withPage(t, async (page) => {
      await page.goto('/')
      await page.waitForURL(/\/login/)
      await page.getByText('内蒙古自治区打击侵权假冒工作平台').first().waitFor()
      await screenshot(page, 'login')
      await loginOk(page, 'office')
      const menu = await menuText(page)
      assert.match(menu, /首页/)
      assert.doesNotMatch(menu, /系统管理/)
      await page.locator('[data-testid="stat-organizations"] [data-testid="stat-value"]').waitFor()
      const orgs = Number((await page.locator('[data-testid="stat-organizations"] [data-testid="stat-value"]').innerText()).replace(/\D/g, ''))
      assert.ok(orgs > 0, 'organisation count shown')
      await page.locator('[data-testid="chart-by-region"] canvas').first().waitFor()
      assert.match(await page.locator('[data-testid="topbar"]').innerText(), /双打办|领导小组/)
      await screenshot(page, 'dashboard')
    })
  })

  test('a wrong password shows the server message', async (t) => {
    await withPage(t, async (page) => {
      await login(page, 'court', 'not-the-password')
      const alert = page.locator('[data-testid="login-error"]')
      await alert.waitFor()
      assert.match(await alert.innerText(), /用户名或密码错误，还可尝试 \d 次/)
      assert.match(page.url(), /\/login/)
    })
  })

  test('five failures lock the account (throwaway user)', async (t) => {
    const sys = await apiLogin(server.baseUrl, 'sysadmin', DEMO_PASSWORD)
    const orgs = await sys.call('GET', '/organizations?page_size=1')
    const created = await sys.call('POST', '/users', {
      username: `lock_${stamp}`,
      display_name: '锁定测试',
      org_id: orgs.body.items[0].id,
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await withPage(t, async (page) => {
      let last = ''
      for (let i = 1; i <= 5; i++) {
        await login(page, `lock_${stamp}`, `Wrong-Password-${i}`)
        const alert = page.locator('[data-testid="login-error"]')
        await alert.waitFor()
        last = await alert.innerText()
        if (i < 5) assert.match(last, new RegExp(`还可尝试 ${5 - i} 次`))
      }
      assert.match(last, /锁定/)
      // even the right password is refused now (423)
      await login(page, `lock_${stamp}`, created.body.temporary_password)
      await page.locator('[data-testid="login-error"]').waitFor()
      assert.match(await page.locator('[data-testid="login-error"]').innerText(), /账号已锁定/)
    })
  })

  test('sysadmin creates an organisation and a user', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'sysadmin')
      assert.doesNotMatch(await menuText(page), /审计日志/)

      // --- organisation ---
      await openMenu(page, '系统管理', '组织机构')
      await page.waitForURL(/\/system\/organizations$/)
      await page.locator('[data-testid="org-table"] .el-table__row').first().waitFor()
      await screenshot(page, 'organizations')
      await page.locator('[data-testid="org-create"]').click()
      const dlg = page.locator('.el-dialog', { hasText: '新增机构' })
      await dlg.waitFor()
      // client-side validation first
      await dlg.locator('[data-testid="org-dialog-submit"]').click()
      await dlg.getByText('请输入机构代码').waitFor()
      await dlg.locator('input[name="code"]').fill(ORG.code)
      await dlg.locator('input[name="name"]').fill(ORG.name)
      await dlg.locator('input[name="short_name"]').fill(ORG.short)
      await dlg.locator('[data-testid="org-type-select"]').click()
      await pickOption(page, '行政执法/成员单位')
      await dlg.locator('[data-testid="org-region-cascader"] input').fill('包头')
      await page.locator('.el-cascader__suggestion-item:visible', { hasText: '包头市' }).first().click()
      await dlg.locator('[data-testid="org-aliases"] input').fill(ORG.alias)
      await dlg.locator('[data-testid="org-aliases"] input').press('Enter')
      await screenshot(page, 'organization-dialog')
      await dlg.locator('[data-testid="org-dialog-submit"]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('input[name="q"]').fill(ORG.code)
      await page.locator('[data-testid="search"]').click()
      const row = page.locator('[data-testid="org-table"] .el-table__row', { hasText: ORG.code })
      await row.waitFor()
      assert.match(await row.innerText(), new RegExp(ORG.name))
      assert.match(await row.innerText(), /包头市/)
      assert.match(await row.innerText(), new RegExp(ORG.alias))

      // --- user ---
      await openMenu(page, '系统管理', '用户管理')
      await page.waitForURL(/\/system\/users$/)
      await page.locator('[data-testid="user-table"] .el-table__row').first().waitFor()
      await page.locator('[data-testid="user-create"]').click()
      const udlg = page.locator('.el-dialog', { hasText: '新增用户' })
      await udlg.waitFor()
      await udlg.locator('input[name="username"]').fill(NEW_USER.username)
      await udlg.locator('input[name="display_name"]').fill(NEW_USER.display)
      await udlg.locator('[data-testid="user-org-select"]').click()
      await udlg.locator('[data-testid="user-org-select"] input').fill(ORG.code)
      await pickOption(page, ORG.name)
      await udlg.locator('input[name="phone"]').fill(NEW_USER.phone)
      await udlg.locator('[data-testid="user-dialog-submit"]').click()
      const temp = page.locator('[data-testid="temp-password"]')
      await temp.waitFor()
      state.tempPassword = (await temp.innerText()).trim()
      assert.ok(state.tempPassword.length >= 12, 'temporary password shown')
      await screenshot(page, 'temporary-password')
      await page.locator('[data-testid="temp-password-dialog"]').getByRole('button', { name: '关闭' }).last().click()
      await page.locator('input[name="q"]').fill(NEW_USER.username)
      await page.locator('[data-testid="search"]').click()
      const urow = page.locator('[data-testid="user-table"] .el-table__row', { hasText: NEW_USER.username })
      await urow.waitFor()
      assert.match(await urow.innerText(), /138\*\*\*\*5678/)
      await page.locator('[data-testid="user-table"] .el-table__row').first().waitFor()
      await screenshot(page, 'users')
    })
  })

  test('sysadmin unlocks the locked user and resets its password', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'sysadmin')
      await openMenu(page, '系统管理', '用户管理')
      await page.locator('input[name="q"]').fill(`lock_${stamp}`)
      await page.locator('[data-testid="search"]').click()
      const row = page.locator('[data-testid="user-table"] .el-table__row', { hasText: `lock_${stamp}` })
      await row.locator('[data-status="locked"]').waitFor()
      await row.locator('[data-testid="user-unlock"]').click()
      await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
      await page.locator('.el-message--success', { hasText: '用户已解锁' }).waitFor()
      await row.locator('[data-status="active"]').waitFor()
      assert.equal(await row.locator('[data-testid="user-unlock"]').count(), 0)
      await row.locator('[data-testid="user-reset"]').click()
      await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
      const temp = page.locator('[data-testid="temp-password"]')
      await temp.waitFor()
      const pw = (await temp.innerText()).trim()
      assert.ok(pw.length >= 12)
      const relogin = await apiLogin(server.baseUrl, `lock_${stamp}`, pw)
      assert.equal(relogin.user.must_change_password, true)

      await page.locator('[data-testid="temp-password-dialog"]').getByRole('button', { name: '关闭' }).last().click()
      await temp.waitFor({ state: 'hidden' })

      // 修改密码 is reachable from the user menu
      await page.locator('[data-testid="user-menu"]').click()
      await page.locator('.el-dropdown-menu__item:visible', { hasText: '修改密码' }).click()
      await page.waitForURL(/\/account\/password$/)
      await page.locator('[data-testid="change-password-form"]').waitFor()
      await page.locator('[data-testid="tags-view"]').getByText('修改密码').waitFor()
      await screenshot(page, 'account-password')
    })
  })

  test('secadmin assigns the role officer; 三权分立 is enforced', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'secadmin')
      await openMenu(page, '系统管理', '用户管理')
      await page.locator('input[name="q"]').fill(NEW_USER.username)
      await page.locator('[data-testid="search"]').click()
      const row = page.locator('[data-testid="user-table"] .el-table__row', { hasText: NEW_USER.username })
      await row.waitFor()
      assert.equal(await page.locator('[data-testid="user-create"]').count(), 0, 'secadmin cannot create users')
      await row.locator('[data-testid="user-roles"]').click()
      const dlg = page.locator('[data-testid="role-dialog"]')
      await dlg.getByText('三权分立：系统管理员、安全管理员、审计管理员不可兼任').waitFor()

      // the UI does not let sysadmin and auditadmin be combined
      await dlg.locator('[data-role="sysadmin"]').click()
      assert.equal(await dlg.locator('[data-role="auditadmin"] input').isDisabled(), true)
      await screenshot(page, 'role-dialog')
      await dlg.locator('[data-role="sysadmin"]').click()
      assert.equal(await dlg.locator('[data-role="auditadmin"] input').isDisabled(), false)

      await dlg.locator('[data-role="officer"]').click()
      await dlg.locator('[data-testid="role-dialog-submit"]').click()
      await page.locator('.el-message--success', { hasText: '角色已更新' }).waitFor()
      await row.getByText('执法人员').waitFor()

      // and the server refuses it too, with a Chinese message (409)
      const refused = await page.evaluate(async (username) => {
        const list = await fetch(`/api/v1/users?q=${encodeURIComponent(username)}`, { credentials: 'same-origin' }).then((r) => r.json())
        const id = list.items[0].id
        const r = await fetch(`/api/v1/users/${id}/roles`, {
          method: 'PUT',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ roles: ['sysadmin', 'auditadmin'] }),
        })
        return { status: r.status, body: await r.json() }
      }, NEW_USER.username)
      assert.equal(refused.status, 409)
      assert.equal(refused.body.error.code, 'conflict')
      assert.match(refused.body.error.message, /三权分立/)
    })
  })

  test('the new user changes the temporary password and sees only allowed menu items', async (t) => {
    assert.ok(state.tempPassword, 'needs the user created above')
    await withPage(t, async (page) => {
      await login(page, NEW_USER.username, state.tempPassword)
      await page.waitForURL(/\/change-password/)
      const form = page.locator('[data-testid="change-password-form"]')
      await form.locator('input[name="old_password"]').fill(state.tempPassword)
      await form.locator('input[name="new_password"]').fill('short')
      await form.locator('input[name="confirm_password"]').fill('short')
      await form.locator('[data-testid="change-password-submit"]').click()
      await form.getByText('密码长度至少 12 位').waitFor()
      await form.locator('input[name="new_password"]').fill(NEW_PASSWORD)
      await form.locator('input[name="confirm_password"]').fill(NEW_PASSWORD)
      await screenshot(page, 'change-password')
      await form.locator('[data-testid="change-password-submit"]').click()
      await page.waitForURL(/\/dashboard$/)
      await page.locator('[data-testid="side-menu"]').waitFor()
      const menu = await menuText(page)
      assert.match(menu, /首页/)
      assert.doesNotMatch(menu, /系统管理/)
      assert.doesNotMatch(menu, /组织机构|用户管理/)
      assert.doesNotMatch(menu, /安全审计|审计日志/)
      assert.match(await page.locator('[data-testid="topbar"]').innerText(), new RegExp(NEW_USER.display))
      // typing a URL of a page they may not use shows 403, not the page
      await page.goto('/system/users')
      await page.getByText('无访问权限').first().waitFor()
    })
    // the new password works
    const again = await apiLogin(server.baseUrl, NEW_USER.username, NEW_PASSWORD)
    assert.deepEqual(again.user.roles, ['officer'])
  })

  test('an expired session sends the user to login and back to the same page', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'sysadmin')
      await openMenu(page, '系统管理', '用户管理')
      await page.waitForURL(/\/system\/users$/)
      await page.locator('[data-testid="user-table"] .el-table__row').first().waitFor()
      await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'same-origin' }))
      await page.locator('[data-testid="search"]').click()
      await page.locator('.el-message', { hasText: '会话已过期，请重新登录' }).waitFor()
      await page.waitForURL(/\/login\?redirect=(%2F|\/)system(%2F|\/)users/)
      await page.locator('input[name="username"]').fill('sysadmin')
      await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
      await page.locator('[data-testid="login-submit"]').click()
      await page.waitForURL(/\/system\/users$/)
    })
  })

  test('auditadmin finds this run\'s records with the filters, verifies the chain and exports', async (t) => {
    // The demo data has user.create and organization.create rows of its own: look for ours by
    // the ids of the organisation, the user and the locked user created above.
    const sys = await apiLogin(server.baseUrl, 'sysadmin', DEMO_PASSWORD)
    const org = (await sys.call('GET', `/organizations?q=${encodeURIComponent(ORG.code)}`)).body.items.find((o) => o.code === ORG.code)
    const user = (await sys.call('GET', `/users?q=${encodeURIComponent(NEW_USER.username)}`)).body.items.find((u) => u.username === NEW_USER.username)
    const locked = (await sys.call('GET', `/users?q=lock_${stamp}`)).body.items.find((u) => u.username === `lock_${stamp}`)
    assert.ok(org && user && locked, 'the organisation and users of this run exist')

    await withPage(t, async (page) => {
      await loginOk(page, 'auditadmin')
      const menu = await menuText(page)
      assert.doesNotMatch(menu, /系统管理/)
      await openMenu(page, '安全审计', '审计日志')
      await page.waitForURL(/\/audit\/log$/)
      const table = page.locator('[data-testid="audit-table"]')
      await table.locator('.el-table__row').first().waitFor()
      const rows = table.locator('.el-table__body-wrapper .el-table__row')

      /** Filters by action and object id, waits for our row and checks every row shown is ours. */
      async function filtered(action, objectId, text, min = 1) {
        await page.locator('[data-testid="audit-action"]').click()
        await page.locator('[data-testid="audit-action"] input').fill(action)
        await page.locator('[data-testid="audit-action"] input').press('Enter')
        await page.locator('input[name="object_id"]').fill(objectId)
        await page.locator('[data-testid="search"]').click()
        const ours = rows.filter({ hasText: text }).filter({ has: page.locator(`[data-action="${action}"]`) })
        await ours.first().waitFor()
        // the table may still show the previous query for a moment
        const deadline = Date.now() + 10_000
        while ((await rows.count()) !== (await ours.count()) && Date.now() < deadline) await page.waitForTimeout(100)
        const n = await rows.count()
        assert.equal(await ours.count(), n, `only ${action} of ${text} after filtering`)
        assert.ok(n >= min, `${action} of ${text}: ${n} rows`)
        return ours
      }

      const orgRows = await filtered('organization.create', org.id, ORG.code)
      assert.equal(await orgRows.count(), 1)
      assert.match(await orgRows.innerText(), new RegExp(ORG.name))
      assert.match(await orgRows.innerText(), /sysadmin/)
      const grant = await filtered('role.grant', user.id, NEW_USER.username)
      assert.match(await grant.first().innerText(), /secadmin/)
      assert.match(await grant.first().innerText(), /officer/)
      await filtered('auth.login_failed', locked.id, `lock_${stamp}`, 5)
      const created = await filtered('user.create', user.id, NEW_USER.username)
      assert.equal(await created.count(), 1)
      assert.match(await created.innerText(), new RegExp(ORG.name))

      await created.locator('[data-action="user.create"]').click()
      const drawer = page.locator('.el-drawer', { hasText: '审计记录详情' })
      await drawer.waitFor()
      assert.match(await drawer.innerText(), new RegExp(`新增用户 ${NEW_USER.username}`))
      assert.match(await drawer.innerText(), new RegExp(user.id))
      assert.match(await drawer.locator('[data-testid="audit-hash"]').innerText(), /^[0-9a-f]{16,}$/i)
      assert.notEqual((await drawer.locator('[data-testid="audit-request-id"]').innerText()).trim(), '')
      await screenshot(page, 'audit-drawer')
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
      await page.getByRole('button', { name: '重置' }).click()
      await table.locator('.el-table__row').first().waitFor()

      await page.locator('[data-testid="audit-verify"]').click()
      const result = page.locator('[data-testid="verify-result"]')
      await result.waitFor()
      assert.match(await result.innerText(), /日志链完整，已校验 \d+ 条/)
      await screenshot(page, 'audit-log')

      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="audit-export"]').click()])
      assert.match(download.suggestedFilename(), /\.xlsx$/)
    })
  })

  test('switching to English shows English menu labels and persists', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'sysadmin')
      await page.locator('[data-testid="lang-switch"]').first().click()
      await page.locator('[data-testid="lang-en"]:visible').click()
      await page.locator('[data-testid="side-menu"]').getByText('Home').waitFor()
      const menu = await menuText(page)
      assert.match(menu, /System/)
      assert.match(menu, /Home/)
      assert.doesNotMatch(menu, /首页|系统管理/)
      await page.locator('[data-testid="stat-organizations"]').getByText('Organisations', { exact: true }).waitFor()
      await page.locator('[data-testid="chart-by-region"] canvas').first().waitFor()
      await screenshot(page, 'dashboard-en')
      await page.reload()
      await page.locator('[data-testid="side-menu"]').getByText('Home').waitFor()
      await page.locator('[data-testid="side-menu"] .el-sub-menu__title', { hasText: 'System' }).click()
      await page.locator('[data-testid="side-menu"]').getByText('Organisations').click()
      await page.locator('[data-testid="org-table"] .el-table__row').first().waitFor()
      await screenshot(page, 'organizations-en')
    })
  })
})
