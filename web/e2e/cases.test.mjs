// End-to-end: cases and 两法衔接 (issue 5) in Chromium against the real server.
//   officer (工商局) registers a case over the threshold in the form (USCC checked as typed),
//   opens, investigates and decides it, and reports it for transfer → the reviewer finds it in the
//   statutory-timer reminders (dashboard card, alarm clock in the top bar), opens it from there and
//   approves → the officer is reminded of the 24-hour delivery, is refused the send while the
//   documents of 国务院令第730号第六条 are missing, uploads them in the 案件材料 section (the
//   checklist turns ✓) and sends it to 公安厅 → police download a document, accept and file it →
//   procurator sees it, and the
//   supervision board catches a case closed with a fine above the threshold (以罚代刑) →
//   the statistics page shows the summary the API computes.
// Run: npm run build && node --test e2e/cases.test.mjs
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiLogin, startServer } from './lib/server.mjs'
import { launchBrowser, openPage, screenshot } from './lib/browser.mjs'

const DEMO_PASSWORD = 'Demo@Redshield2017'
const stamp = Date.now().toString(36)
const TITLE = `e2e 销售假冒伊利奶粉案 ${stamp}`
const FINED = `e2e 以罚代刑案 ${stamp}`
// The goods rows (涉案商品) the officer types into the form; the first with its rights holder's USCC.
const GOODS = [
  { name: `伊利金领冠奶粉 ${stamp}`, brand: '伊利', registration_no: '第1234567号', rights_holder: '内蒙古伊利实业集团股份有限公司',
    rights_holder_uscc: '91110000600037341L', quantity: 200, unit: '罐', yuan: '59800', value_fen: 5_980_000, shown: '59,800.00' },
  { name: `伊利纯牛奶 ${stamp}`, brand: '伊利', registration_no: '', rights_holder: '', rights_holder_uscc: '',
    quantity: 40, unit: '箱', yuan: '2050.5', value_fen: 205_050, shown: '2,050.50' },
]

let server
let browser
const state = { caseId: null, caseNumber: null, finedId: null }

// The documents a transfer must carry (国务院令第730号第六条), generated for this run.
const REQUIRED = {
  transfer_letter: '涉嫌犯罪案件移送书',
  investigation_report: '涉嫌犯罪案件情况的调查报告',
  goods_list: '涉案物品清单',
  inspection_report: '检验报告或鉴定结论',
}
const pdf = (title) => Buffer.from(`%PDF-1.4\n% redshield e2e ${stamp}\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`)
const DOCS = {
  transfer_letter: [{ name: `移送书-${stamp}.pdf`, mimeType: 'application/pdf', buffer: pdf('移送书') }],
  investigation_report: [{ name: `调查报告-${stamp}.pdf`, mimeType: 'application/pdf', buffer: pdf('调查报告') }],
  goods_list: [
    { name: `涉案物品清单-${stamp}.pdf`, mimeType: 'application/pdf', buffer: pdf('涉案物品清单') },
    { name: `物品明细-${stamp}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`伊利奶粉 200 罐 ${stamp}\n`) },
  ],
  inspection_report: [{ name: `检验报告-${stamp}.pdf`, mimeType: 'application/pdf', buffer: pdf('检验报告') }],
}

async function withPage(t, fn) {
  const p = await openPage(browser, server.baseUrl)
  try {
    await fn(p.page)
    assert.deepEqual(p.errors, [], 'browser console errors')
  } catch (e) {
    const name = 'FAILED-cases-' + t.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').slice(0, 60)
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
  const leaf = menu.locator('.el-menu-item', { hasText: new RegExp(`^\\s*${item}\\s*$`) })
  if (!(await leaf.isVisible())) await menu.locator('.el-sub-menu__title', { hasText: group }).click()
  await leaf.click()
}

/** The <input> of a field marked with data-testid (on the input itself or on its wrapper). */
const field = (scope, id) => scope.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first()

async function pick(page, scope, id, option) {
  await scope.locator(`[data-testid="${id}"]`).first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

async function act(page, action, fill) {
  await page.locator(`[data-testid="action-${action}"]`).click()
  if (fill) {
    const dlg = page.locator('[data-testid="action-dialog"]')
    await dlg.waitFor()
    await fill(dlg)
    await dlg.locator('[data-testid="action-confirm"]').click()
    await dlg.waitFor({ state: 'hidden' })
  }
  await page.locator(`[data-testid="action-${action}"]`).waitFor({ state: 'detached' })
}

/** Uploads `files` as documents of `kind` in the 案件材料 section, from the checklist item or the header button. */
async function uploadDocuments(page, kind, files, { fromChecklist }) {
  const panel = page.locator('[data-testid="case-documents"]')
  const dlg = page.locator('[data-testid="doc-dialog"]')
  if (fromChecklist) {
    await panel.locator(`[data-testid="doc-upload-${kind}"]`).click()
    await dlg.waitFor()
  } else {
    await panel.locator('[data-testid="doc-upload"]').click()
    await dlg.waitFor()
    await pick(page, dlg, 'doc-kind', REQUIRED[kind])
  }
  assert.equal(await dlg.locator('[data-testid="doc-save"]').isDisabled(), true, 'no file chosen yet')
  await dlg.locator('[data-testid="doc-files"]').setInputFiles(files)
  await page.waitForFunction(() => !document.querySelector('[data-testid="doc-save"]')?.hasAttribute('disabled'))
  await dlg.locator('[data-testid="doc-save"]').click()
  await dlg.waitFor({ state: 'hidden' })
  await panel.locator(`[data-testid="doc-check-${kind}"][data-done="true"]`).waitFor()
  for (const f of files) await panel.locator(`[data-testid="doc-group-${kind}"]`, { hasText: f.name }).waitFor()
}

describe('cases: open, decide, transfer, police, procuratorate, statistics', () => {
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close().catch(() => {})
    await server?.stop()
  })

  test('officer registers a case over the threshold, decides it and reports the transfer', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'officer')
      await openMenu(page, '案件办理', '案件列表')
      await page.locator('[data-testid="case-table"]').waitFor()
      await page.locator('[data-testid="case-create"]').click()
      await field(page, 'case-title').fill(TITLE)
      await pick(page, page, 'case-offence', '销售假冒注册商标的商品罪')
      const date = page.locator('.el-form-item', { hasText: '违法行为发生日期' }).locator('input').first()
      await date.click()
      await date.fill('2025-03-01')
      await date.press('Enter')
      await field(page, 'case-sales').fill('80000')
      await field(page, 'case-sales').press('Tab')
      await page.locator('[data-testid="add-enterprise"]').click()
      await page.locator('[data-testid="party-0"] input').first().fill('某商贸有限公司')
      await field(page, 'party-uscc').fill('914403001922038217')
      await page.locator('[data-testid="party-problem"]').waitFor()
      assert.equal(await page.locator('[data-testid="case-save"]').isDisabled(), true, 'a wrong USCC blocks saving')
      await field(page, 'party-uscc').fill('914403001922038216')
      await page.locator('[data-testid="party-problem"]').waitFor({ state: 'detached' })
      // two goods rows; the rights holder's USCC is checked as typed, on its cell
      for (const [i, g] of GOODS.entries()) {
        await page.locator('[data-testid="add-goods"]').click()
        const row = page.locator(`[data-testid="goods-${i}"]`)
        await field(row, 'goods-name').fill(g.name)
        await field(row, 'goods-brand').fill(g.brand)
        if (g.registration_no) await field(row, 'goods-reg').fill(g.registration_no)
        if (g.rights_holder) await field(row, 'goods-holder').fill(g.rights_holder)
        if (g.rights_holder_uscc) {
          await field(row, 'goods-uscc').fill(g.rights_holder_uscc.slice(0, 17) + 'N')
          await row.locator('[data-testid="goods-error-uscc"]', { hasText: '校验位不正确' }).waitFor()
          assert.equal(await page.locator('[data-testid="case-save"]').isDisabled(), true, 'a wrong rights holder USCC blocks saving')
          await field(row, 'goods-uscc').fill(g.rights_holder_uscc)
          await row.locator('[data-testid="goods-error-uscc"]').waitFor({ state: 'detached' })
        }
        await field(row, 'goods-qty').fill(String(g.quantity))
        await field(row, 'goods-unit').fill(g.unit)
        await field(row, 'goods-value').fill(g.yuan)
        await field(row, 'goods-value').press('Tab')
      }
      await page.locator('[data-testid="goods-table"]').scrollIntoViewIfNeeded()
      await screenshot(page, 'case-form')
      await page.locator('[data-testid="case-save"]').click()
      await page.waitForURL(/\/cases\/\d+$/)
      state.caseId = page.url().split('/').pop()
      await page.locator('[data-testid="case-evaluation"]', { hasText: '达到立案追诉标准' }).waitFor()
      state.caseNumber = (await page.locator('[data-testid="case-number"]').textContent()).trim()
      // the goods rows of this case, value in yuan
      const goodsRows = page.locator('[data-testid="case-goods"] .el-table__body-wrapper tr.el-table__row')
      await goodsRows.filter({ hasText: GOODS[1].name }).waitFor()
      assert.equal(await goodsRows.count(), GOODS.length)
      for (const [i, g] of GOODS.entries()) {
        const text = await goodsRows.nth(i).innerText()
        for (const part of [g.name, g.brand, g.registration_no, g.rights_holder, g.rights_holder_uscc, `${g.quantity} ${g.unit}`, g.shown]) {
          if (part) assert.ok(text.includes(part), `goods row ${i} shows ${part}: ${text}`)
        }
      }
      await page.locator('[data-testid="case-goods"]').scrollIntoViewIfNeeded()
      await screenshot(page, 'case-detail-goods')
      await act(page, 'open')
      await act(page, 'investigate')
      await act(page, 'submit')
      await act(page, 'decide', async (dlg) => {
        await field(dlg, 'action-penalty').fill('罚款')
        await field(dlg, 'action-fine').fill('30000')
        await field(dlg, 'action-fine').press('Tab')
      })
      await page.locator('[data-testid="case-status"]', { hasText: '决定' }).waitFor()
      await act(page, 'report_transfer')
      await page.locator('[data-testid="case-transfer-status"]', { hasText: '待批准' }).waitFor()
      await page.locator('[data-testid="timer-approve"]', { hasText: '剩余' }).waitFor()
      await page.locator('[data-testid="case-timeline"]', { hasText: '提交移送报告' }).waitFor()
      await screenshot(page, 'case-detail-reported')
    })
  })

  test('reviewer finds the case in the statutory-timer reminders, opens it from there and approves', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'reviewer')
      // the dashboard card and the alarm clock in the top bar list our case's 3-day approval timer
      const ours = `.case-timer[data-case="${state.caseNumber}"]`
      await page.locator(`[data-testid="case-timers-card"] ${ours}[data-kind="approve"]`).waitFor()
      const bell = page.locator('[data-testid="case-timer-bell"]')
      await bell.click()
      const pop = page.locator('[data-testid="case-timer-pop"]')
      const item = pop.locator(`${ours}[data-kind="approve"]`)
      await item.waitFor()
      const count = await pop.locator('.case-timer').count()
      assert.equal((await bell.locator('.el-badge__content').innerText()).trim(), String(count), 'the badge counts the list')
      const text = await item.innerText()
      assert.match(text, /负责人决定是否批准移送/)
      assert.match(text, /剩余 [2-4] 天/, 'three calendar days to decide')
      assert.match(await item.getAttribute('title'), /国务院令第730号第五条/)
      await screenshot(page, 'case-timers-reviewer')
      await item.click()
      await page.waitForURL(new RegExp(`/cases/${state.caseId}$`))
      await pop.waitFor({ state: 'hidden' })
      assert.equal((await page.locator('[data-testid="case-number"]').innerText()).trim(), state.caseNumber)
      await act(page, 'approve_transfer')
      await page.locator('[data-testid="case-transfer-status"]', { hasText: '已批准' }).waitFor()
      // approved: the reviewer has nothing left to do on it
      await bell.click()
      await pop.waitFor()
      await item.waitFor({ state: 'detached' })
    })
  })

  test('the officer is reminded of the 24-hour delivery and sends the case to the police', async (t) => {
    // the server lists the document kinds and refuses a send without them (field "documents")
    const api = await apiLogin(server.baseUrl, 'officer', DEMO_PASSWORD)
    const meta = await api.call('GET', '/cases/meta')
    assert.equal(meta.status, 200)
    assert.deepEqual(meta.body.document_kinds.filter((k) => k.required_for === 'send').map((k) => [k.kind, k.name]), Object.entries(REQUIRED))
    const police = meta.body.police_orgs.find((o) => o.name.includes('公安厅'))
    const refused = await api.call('POST', `/cases/${state.caseId}/actions`, { action: 'send', police_org_id: police.id, text: '移送' })
    assert.equal(refused.status, 400, JSON.stringify(refused.body))
    assert.equal(refused.body.error.field, 'documents')
    assert.match(refused.body.error.message, /涉案物品清单/)

    await withPage(t, async (page) => {
      await loginOk(page, 'officer')
      // (the officer also has the 20-working-day publication timer of the decision on this case)
      const item = page.locator(`[data-testid="case-timers-card"] .case-timer[data-case="${state.caseNumber}"][data-kind="deliver"]`)
      await item.waitFor()
      assert.match(await item.innerText(), /批准后向公安机关移送/)
      assert.match(await item.innerText(), /剩余 2[0-3] 小时/)
      await item.click()
      await page.waitForURL(new RegExp(`/cases/${state.caseId}$`))

      // nothing filed yet: four ✗ with their legal source, and the send dialog names them and will not submit
      const panel = page.locator('[data-testid="case-documents"]')
      for (const kind of Object.keys(REQUIRED)) {
        const check = panel.locator(`[data-testid="doc-check-${kind}"][data-done="false"]`)
        await check.waitFor()
        assert.match(await check.innerText(), /✗/)
        assert.match(await check.innerText(), new RegExp(REQUIRED[kind]))
        assert.match(await check.innerText(), /730号/, 'the checklist cites the legal source')
      }
      await page.locator('[data-testid="send-hint"]', { hasText: '涉案物品清单' }).waitFor()
      await page.locator('[data-testid="action-send"]').click()
      const sendDlg = page.locator('[data-testid="action-dialog"]')
      await sendDlg.locator('[data-testid="send-missing"]', { hasText: '检验报告或鉴定结论' }).waitFor()
      assert.equal(await sendDlg.locator('[data-testid="action-confirm"]').isDisabled(), true, 'no send while documents are missing')
      await screenshot(page, 'case-send-blocked')
      await sendDlg.getByRole('button', { name: '取消' }).click()
      await sendDlg.waitFor({ state: 'hidden' })
      await panel.scrollIntoViewIfNeeded()
      await screenshot(page, 'case-documents-missing')

      // the documents, uploaded in the browser: two from their checklist item, two through the kind picker
      await uploadDocuments(page, 'transfer_letter', DOCS.transfer_letter, { fromChecklist: true })
      await uploadDocuments(page, 'investigation_report', DOCS.investigation_report, { fromChecklist: true })
      await uploadDocuments(page, 'goods_list', DOCS.goods_list, { fromChecklist: false })
      await page.locator('[data-testid="doc-send-state"]', { hasText: '检验报告或鉴定结论' }).waitFor()
      await uploadDocuments(page, 'inspection_report', DOCS.inspection_report, { fromChecklist: false })
      for (const kind of Object.keys(REQUIRED)) {
        assert.match(await panel.locator(`[data-testid="doc-check-${kind}"]`).innerText(), /✓/)
      }
      await panel.locator('[data-testid="doc-send-state"]', { hasText: '移送材料已齐备' }).waitFor()
      await page.locator('[data-testid="send-hint"]').waitFor({ state: 'detached' })
      assert.match(await panel.locator('[data-testid="doc-group-goods_list"]').innerText(), new RegExp(`${DOCS.goods_list[1].buffer.length} B`))
      await panel.scrollIntoViewIfNeeded()
      await screenshot(page, 'case-documents-ready')

      await act(page, 'send', async (dlg) => {
        assert.equal(await dlg.locator('[data-testid="send-missing"]').count(), 0)
        await pick(page, dlg, 'action-police', '公安厅')
        await dlg.locator('textarea').fill('附现场照片光盘一张')
      })
      await page.locator('[data-testid="case-transfer-status"]', { hasText: '已移送' }).waitFor()
      await page.locator('[data-testid="case-timeline"]', { hasText: '附现场照片光盘一张' }).waitFor()
    })

    // and the server agrees: every file is on the case, nothing is missing; the goods are as typed
    const officer = await apiLogin(server.baseUrl, 'officer', DEMO_PASSWORD)
    const got = await officer.call('GET', `/cases/${state.caseId}`)
    assert.equal(got.status, 200)
    assert.deepEqual(got.body.goods.map((g) => [g.name, g.brand, g.registration_no, g.rights_holder, g.rights_holder_uscc, g.quantity, g.unit, g.value_fen]),
      GOODS.map((g) => [g.name, g.brand, g.registration_no, g.rights_holder, g.rights_holder_uscc, g.quantity, g.unit, g.value_fen]))
    assert.equal(got.body.brand, GOODS[0].brand)
    assert.equal(got.body.rights_holder, GOODS[0].rights_holder)
    assert.deepEqual(got.body.missing_documents, [])
    const expected = Object.entries(DOCS).flatMap(([kind, files]) => files.map((f) => [kind, f.name, f.buffer.length])).sort()
    assert.deepEqual(got.body.documents.map((d) => [d.kind, d.filename, d.size]).sort(), expected)
  })

  test('police accept and file the case', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'police')
      await openMenu(page, '案件办理', '案件列表')
      const row = page.locator('[data-testid="case-table"] .el-table__row', { hasText: state.caseNumber })
      await row.locator('a').click()
      await page.waitForURL(/\/cases\/\d+$/)
      // the police may read the documents that came with the transfer, not add to them
      const panel = page.locator('[data-testid="case-documents"]')
      const goods = DOCS.goods_list[0]
      const link = panel.locator('[data-testid="doc-group-goods_list"]').getByRole('button', { name: goods.name })
      await link.waitFor()
      assert.equal(await panel.locator('[data-testid="doc-upload"]').count(), 0, 'the police cannot upload')
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
      assert.equal(download.suggestedFilename(), goods.name)
      const chunks = []
      for await (const c of await download.createReadStream()) chunks.push(c)
      assert.ok(Buffer.concat(chunks).equals(goods.buffer), 'the document comes back as uploaded')
      await act(page, 'accept')
      await page.locator('[data-testid="timer-police_decide"]').waitFor()
      await act(page, 'file')
      await page.locator('[data-testid="case-transfer-status"]', { hasText: '已立案' }).waitFor()
      await screenshot(page, 'case-police-filed')
    })
  })

  test('procurator sees the case and the board catches a fine instead of a transfer', async (t) => {
    // A second case closed with a fine above the threshold, set up through the API.
    const officer = await apiLogin(server.baseUrl, 'officer', DEMO_PASSWORD)
    const created = await officer.call('POST', '/cases', {
      title: FINED, category: '商标', offence: '销售假冒注册商标的商品罪', offence_date: '2025-02-01', sales_fen: 12_000_000,
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    state.finedId = created.body.id
    for (const action of ['open', 'investigate', 'submit']) {
      assert.equal((await officer.call('POST', `/cases/${state.finedId}/actions`, { action })).status, 200)
    }
    const decided = await officer.call('POST', `/cases/${state.finedId}/actions`, { action: 'decide', penalty_type: '罚款', fine_fen: 5_000_000 })
    assert.equal(decided.status, 200, JSON.stringify(decided.body))
    assert.equal((await officer.call('POST', `/cases/${state.finedId}/actions`, { action: 'close' })).status, 200)

    await withPage(t, async (page) => {
      await loginOk(page, 'procurator')
      await openMenu(page, '案件办理', '案件列表')
      await field(page, 'case-number-filter').fill(state.caseNumber)
      await page.locator('[data-testid="case-search"]').click()
      // Our case's row (the table may still show the unfiltered list for a moment), then its status.
      await page.locator('[data-testid="case-table"] .el-table__row', { hasText: state.caseNumber })
        .filter({ hasText: '已立案' }).waitFor()
      await openMenu(page, '案件办理', '检察监督')
      const row = page.locator('[data-testid="board-cases"] .el-table__row', { hasText: FINED })
      await row.waitFor()
      assert.match(await row.textContent(), /以罚代刑/)
      assert.equal(await page.locator('[data-testid="board-cases"] .el-table__row', { hasText: TITLE }).count(), 0,
        'a transferred case is not on the board')
      assert.ok(await page.locator('[data-testid="board-overdue"] .el-table__row').count() > 0, 'overdue timers of the demo year')
      await screenshot(page, 'case-board')
    })
  })

  test('the statistics page shows the summary the API computes', async (t) => {
    const office = await apiLogin(server.baseUrl, 'office', DEMO_PASSWORD)
    const year = new Date().getFullYear()
    const api = await office.call('GET', `/reports/summary?from=${year}-01-01&to=${year}-12-31`)
    assert.equal(api.status, 200, JSON.stringify(api.body))
    assert.equal(api.body.figures.cases, 2, 'the two cases opened this year')
    await withPage(t, async (page) => {
      await loginOk(page, 'office')
      await openMenu(page, '案件办理', '双打统计')
      const text = page.locator('[data-testid="stats-text"]')
      await text.filter({ hasText: '行政执法机关立案查处侵权假冒案件' }).waitFor()
      assert.equal((await text.textContent()).trim(), api.body.text)
      assert.match(api.body.text, /立案查处侵权假冒案件2件/)
      assert.match(api.body.text, /移送司法机关1件/)
      await screenshot(page, 'case-statistics')
    })
  })
})
