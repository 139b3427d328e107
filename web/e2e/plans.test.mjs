// End-to-end: the work-plan flow of issue 4 in Chromium against the real server.
//   officer (工商局) reports progress with an indicator → office (双打办) sees it on the board and
//   issues a 挂牌督办 to the officer's organisation → officer submits the rectification → office
//   accepts it (已销号) → office scores the 2017 assessment of a 盟市 and sees total and rank.
// Run: npm run build && node --test e2e/plans.test.mjs
// The demo database should hold the 2017 plan; if it does not, it is imported through the API
// from $REDSHIELD_SHARED/seed/work-plan-2017-inner-mongolia.txt (default ../../shared).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { apiLogin, startServer, WEB_DIR } from './lib/server.mjs'
import { launchBrowser, openPage, screenshot } from './lib/browser.mjs'

const DEMO_PASSWORD = 'Demo@Redshield2017'
const SHARED = path.resolve(WEB_DIR, process.env.REDSHIELD_SHARED ?? '../../shared')
const SEED_PLAN = path.join(SHARED, 'seed', 'work-plan-2017-inner-mongolia.txt')
const stamp = Date.now().toString(36)
const NARRATIVE = `已开展网络市场监管专项行动，检查网店经营主体（e2e ${stamp}）`
const RECTIFY = `已约谈平台负责人并完成整改（e2e ${stamp}）`
const REGION = '包头市'

let server
let browser
const state = { plan: null, officerOrg: null }

async function withPage(t, fn, opts) {
  const p = await openPage(browser, server.baseUrl, opts)
  try {
    await fn(p.page)
    assert.deepEqual(p.errors, [], 'browser console errors')
  } catch (e) {
    const name = 'FAILED-plans-' + t.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').slice(0, 60)
    await screenshot(p.page, name).catch(() => {})
    if (p.errors.length) console.error('browser errors:', p.errors)
    throw e
  } finally {
    await p.close()
  }
}

async function loginOk(page, username) {
  await page.goto('/login')
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
  await page.locator('[data-testid="login-submit"]').click()
  await page.waitForURL(/\/dashboard$/)
  await page.locator('[data-testid="side-menu"]').waitFor()
}

async function openMenu(page, group, item) {
  const menu = page.locator('[data-testid="side-menu"]')
  // exact text: 督查督办 and 督查督办看板 are both items of the group
  const leaf = menu.locator('.el-menu-item', { hasText: new RegExp(`^\\s*${item}\\s*$`) })
  if (!(await leaf.isVisible())) await menu.locator('.el-sub-menu__title', { hasText: group }).click()
  await leaf.click()
}

/** Types a date into an Element Plus date picker found by its form label. */
async function fillDate(scope, label, value) {
  const input = scope.locator('.el-form-item', { hasText: label }).locator('input').first()
  await input.click()
  await input.fill(value)
  await input.press('Enter')
}

/** The 2017 plan: from the demo database, or imported now through the API. */
async function ensurePlan() {
  const office = await apiLogin(server.baseUrl, 'office', DEMO_PASSWORD)
  const list = await office.call('GET', '/plans')
  assert.equal(list.status, 200, JSON.stringify(list.body))
  let plan = list.body.items.find((p) => p.year === 2017)
  if (!plan) {
    const bytes = readFileSync(SEED_PLAN)
    const res = await fetch(
      `${server.baseUrl}/api/v1/plans?year=2017&region_code=150000&due=2017-12-31&report_cycle=monthly`,
      { method: 'POST', headers: { Authorization: `Bearer ${office.token}`, 'Content-Type': 'application/octet-stream' }, body: bytes },
    )
    const body = await res.json()
    assert.equal(res.status, 201, `import the 2017 plan: ${res.status} ${JSON.stringify(body)}`)
    plan = body
  }
  return plan
}

describe('work plan: report, board, 挂牌督办, assessment', () => {
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    state.plan = await ensurePlan()
    const officer = await apiLogin(server.baseUrl, 'officer', DEMO_PASSWORD)
    state.officerOrg = officer.user.org
  })
  after(async () => {
    await browser?.close().catch(() => {})
    await server?.stop()
  })

  test('office sees the plan list and the plan tree', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'office')
      await openMenu(page, '工作要点', '要点列表')
      const row = page.locator('[data-testid="plan-table"] .el-table__row', { hasText: '2017' }).first()
      await row.waitFor()
      await page.locator('[data-testid="plan-import"]').waitFor()
      await screenshot(page, 'plans-list')
      await row.locator('[data-testid="plan-open"]').click()
      await page.waitForURL(/\/plans\/\d+$/)
      await page.locator('[data-testid="plan-title"]').waitFor()
      await page.getByText('全部展开').click()
      await page.locator('[data-testid="unit-tag"]').first().waitFor()
      const lead = await page.locator('[data-testid="unit-tag"][data-role="lead"]').count()
      assert.ok(lead > 0, 'lead units are marked')
      await screenshot(page, 'plan-detail')
    })
  })

  test('officer reports progress with an indicator', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'officer')
      await page.locator('[data-testid="reminder-bell"]').waitFor()
      await openMenu(page, '工作要点', '我的任务')
      await page.waitForURL(/\/plans-my\/tasks$/)
      const rows = page.locator('[data-testid="task-table"] .el-table__body-wrapper .el-table__row')
      await rows.first().waitFor()
      await screenshot(page, 'my-tasks')
      await rows.first().locator('[data-testid="task-report"]').click()
      const dlg = page.locator('[data-testid="report-dialog"]')
      await dlg.waitFor()
      await dlg.locator('[data-preset="立案数"]').click()
      await dlg.locator('[data-testid="indicator-value"] input').fill('12')
      await dlg.locator('[data-testid="indicator-value"] input').press('Tab')
      await dlg.locator('textarea[name="narrative"]').fill(NARRATIVE)
      await screenshot(page, 'report-dialog')
      await dlg.locator('[data-testid="report-submit"]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.getByText('进展已报送').first().waitFor()
      const first = rows.first()
      await first.locator('[data-status="进行中"]').waitFor()
      await first.locator('[data-testid="task-history"]').click()
      const drawer = page.locator('[data-testid="history-drawer"]')
      await drawer.locator('[data-testid="report-item"]', { hasText: NARRATIVE }).waitFor()
      assert.match(await drawer.locator('[data-testid="report-indicator"]').first().innerText(), /立案数：12件/)
    })
  })

  test('office sees it on the board and issues a 挂牌督办 to the officer’s organisation', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'office')
      await openMenu(page, '工作要点', '督查督办看板')
      await page.waitForURL(/\/plans-board$/)
      await page.locator('[data-testid="board-chart"] canvas').first().waitFor()
      const orgRow = page.locator('[data-testid="board-by-org"] .el-table__row', { hasText: state.officerOrg.name }).first()
      await orgRow.waitFor()
      // columns: org, assignments, done, in progress, …
      const inProgress = Number((await orgRow.locator('td').nth(3).innerText()).trim())
      assert.ok(inProgress >= 1, `the report shows on the board (in progress ${inProgress})`)
      await screenshot(page, 'plan-board')

      const overdueRow = page.locator('[data-testid="board-overdue"] .el-table__row', { hasText: state.officerOrg.name }).first()
      await overdueRow.waitFor()
      await overdueRow.locator('[data-testid="supervise"]').click()
      const dlg = page.locator('[data-testid="supervision-dialog"]')
      await dlg.waitFor()
      assert.equal(await dlg.locator('[data-kind="listed"] input').isChecked(), true, '挂牌督办 preselected for an overdue task')
      await fillDate(dlg, '整改期限', '2027-01-29')
      await dlg.locator('input[name="title"]').fill(`挂牌督办：网络市场监管（${stamp}）`)
      await screenshot(page, 'supervision-create')
      await dlg.locator('[data-testid="supervision-submit"]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.waitForURL(/\/supervisions$/)
      const row = page.locator('[data-testid="supervision-table"] .el-table__row', { hasText: stamp }).first()
      await row.waitFor()
      assert.match(await row.innerText(), /挂牌督办/)
      assert.match(await row.innerText(), /整改中/)
    })
  })

  test('officer submits the rectification report', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'officer')
      await openMenu(page, '工作要点', '督查督办')
      const row = page.locator('[data-testid="supervision-table"] .el-table__row', { hasText: stamp }).first()
      await row.waitFor()
      await row.click()
      const drawer = page.locator('[data-testid="supervision-drawer"]')
      await drawer.locator('[data-action="rectify"]').click()
      const dlg = page.locator('[data-testid="supervision-action-dialog"]')
      await dlg.waitFor()
      await dlg.locator('textarea[name="action-text"]').fill(RECTIFY)
      await dlg.locator('[data-testid="action-submit"]').click()
      await dlg.waitFor({ state: 'hidden' })
      await drawer.locator('[data-testid="supervision-status"]', { hasText: '待验收' }).waitFor()
      await drawer.getByText(RECTIFY).waitFor()
      // nothing more for the target unit while the office reviews
      assert.equal(await drawer.locator('[data-testid="supervision-actions"]').count(), 0)
    })
  })

  test('office accepts the rectification (已销号)', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'office')
      await openMenu(page, '工作要点', '督查督办')
      const row = page.locator('[data-testid="supervision-table"] .el-table__row', { hasText: stamp }).first()
      await row.waitFor()
      await row.click()
      const drawer = page.locator('[data-testid="supervision-drawer"]')
      await drawer.getByText(RECTIFY).waitFor()
      await drawer.locator('[data-action="accept"]').click()
      const dlg = page.locator('[data-testid="supervision-action-dialog"]')
      await dlg.waitFor()
      await dlg.locator('textarea[name="action-text"]').fill('整改到位，同意销号')
      await dlg.locator('[data-testid="action-submit"]').click()
      await dlg.waitFor({ state: 'hidden' })
      await drawer.locator('[data-testid="supervision-status"]', { hasText: '已销号' }).waitFor()
      assert.equal(await drawer.locator('[data-testid="supervision-timeline"] [data-action="accept"]').count(), 1)
      await screenshot(page, 'supervision-detail')
    })
  })

  test('office scores the 2017 assessment of a 盟市 and sees the total and rank', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'office')
      await openMenu(page, '工作要点', '考核评分')
      await page.waitForURL(/\/assessment$/)
      // 2017 starts as a copy of the seeded 2016 rubric
      const copy = page.getByRole('button', { name: '复制上一年度细则' })
      const table = page.locator('[data-testid="assessment-table"]')
      await Promise.race([copy.waitFor(), table.locator('.el-table__row').first().waitFor()])
      if (await copy.isVisible()) await copy.click()
      const row = table.locator('.el-table__body-wrapper .el-table__row', { hasText: REGION }).first()
      await row.waitFor()
      await row.locator('[data-testid="score-cell"].editable').first().click()
      const dlg = page.locator('[data-testid="score-dialog"]')
      await dlg.waitFor()
      await dlg.locator('[data-testid="score-points"] input').fill('8')
      await dlg.locator('[data-testid="score-points"] input').press('Tab')
      await dlg.locator('textarea[name="evidence"]').fill('建立健全长效机制，制度文件齐全')
      await dlg.locator('[data-testid="score-save"]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.getByText('已评分').first().waitFor()
      // the fixed columns render the row again: read the total and rank of the region's row
      const scored = table.locator('.el-table__row', { hasText: REGION })
      await scored.locator('[data-testid="total"]', { hasText: /^[1-9]/ }).first().waitFor()
      const total = Number(await scored.locator('[data-testid="total"]').first().innerText())
      assert.ok(total >= 8, `total shown (${total})`)
      const rank = (await scored.locator('[data-testid="rank"]').first().innerText()).trim()
      assert.equal(rank, '1', 'the only scored 盟市 ranks first')
      await page.locator('[data-testid="assessment-chart"] canvas').first().waitFor()
      await screenshot(page, 'assessment')
    })
  })
})
