// End-to-end (issue 7): the demo enterprise issues a batch of pesticide codes
// and captures an EPCIS document (packing and shipping), a farmer scans a label
// on a phone (public page /v/:code, no login), a copy of the label scanned in
// another 盟市 shows up on the clone board, and an officer recalls the batch,
// sees the downstream holder, and the farmer's page then says 已召回.
// Run: npx vite build && REDSHIELD_BIN=../build/src/app/redshield node --test e2e/trace.test.mjs
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, apiLogin } from './lib/server.mjs'
import { launchBrowser, openPage, screenshot } from './lib/browser.mjs'

const DEMO_PASSWORD = 'Demo@Redshield2017'
const LOT = `E2E${Date.now().toString(36).toUpperCase()}`.slice(0, 20)

let server
let browser
const state = {}

async function withPage(t, fn, opts) {
  const p = await openPage(browser, server.baseUrl, opts)
  try {
    await fn(p.page)
    assert.deepEqual(p.errors, [], 'browser console errors')
  } catch (e) {
    await screenshot(p.page, 'FAILED-trace-' + t.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').slice(0, 50)).catch(() => {})
    if (p.errors.length) console.error('browser errors:', p.errors)
    throw e
  } finally {
    await p.close()
  }
}

async function login(page, username) {
  await page.goto('/login')
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
  await page.locator('[data-testid="login-submit"]').click()
  await page.waitForURL(/\/dashboard$/)
}

/** Fills an Element Plus input by the name of its inner <input>. */
const field = (page, name) => page.locator(`input[name="${name}"]`)

function epcis(unitUrl) {
  const ev = (type, id, time, rest) =>
    `{"type":"${type}","eventID":"urn:uuid:${id}","eventTime":"${time}","eventTimeZoneOffset":"+08:00",${rest}}`
  return `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument",` +
    `"schemaVersion":"2.0","creationDate":"2026-11-29T10:00:00Z","epcisBody":{"eventList":[` +
    ev('AggregationEvent', `${LOT}-1`, '2026-11-20T09:00:00+08:00',
      `"action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.7777777001","childEPCs":["${unitUrl}"]`) + ',' +
    ev('ObjectEvent', `${LOT}-2`, '2026-11-21T09:00:00+08:00',
      `"action":"OBSERVE","bizStep":"shipping","epcList":["urn:epc:id:sscc:0614141.7777777001"],` +
      `"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00002"}]`) +
    ']}}'
}

describe('traceability in the browser', () => {
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close().catch(() => {})
    await server?.stop()
  })

  test('the enterprise issues codes and captures an EPCIS document', async (t) => {
    await withPage(t, async (page) => {
      await login(page, 'enterprise')
      assert.match(await page.locator('[data-testid="side-menu"]').innerText(), /农资追溯/)
      await page.goto('/trace/batches')
      assert.match(await page.locator('[data-test="bits"]').innerText(), /69\.7 位/)
      await field(page, 'enterprise_uscc').fill('911522010783762860')
      await field(page, 'enterprise_name').fill('内蒙古演示农资有限公司')
      await field(page, 'registration_no').fill('PD1-85')
      await field(page, 'product_name').fill('5%阿维菌素乳油')
      await field(page, 'lot').fill(LOT)
      await field(page, 'production_date').fill('2026-11-01')
      await field(page, 'production_date').press('Enter')
      await page.locator('[data-test="bits"]').click()
      await page.locator('[data-test="issue"]').click()
      await page.getByText('旧式登记证号').waitFor()
      await field(page, 'registration_no').fill('PD20092927')
      await page.locator('[data-test="issue"]').click()
      const detail = page.locator('[data-test="batch-detail"]')
      await detail.waitFor()
      await detail.locator('[data-test="qr"]').waitFor()
      const codes = await detail.locator('[data-test="sample-code"]').allInnerTexts()
      assert.equal(codes.length, 20)
      for (const c of codes) assert.match(c, /^10929271001\d{21}$/)
      state.codes = codes
      await screenshot(page, 'trace-issued')
      await page.keyboard.press('Escape')

      await page.goto('/trace/events')
      const doc = page.locator('textarea[data-test="epcis-document"], [data-test="epcis-document"] textarea')
      await doc.fill(epcis(`${server.baseUrl}/v/${codes[0]}`).replace('"action":"OBSERVE"', '"action":"LOOK"'))
      await page.locator('[data-test="capture"]').click()
      assert.match(await page.locator('[data-test="capture-error"]').innerText(), /事件 1（ObjectEvent）.*action/)
      await doc.fill(epcis(`${server.baseUrl}/v/${codes[0]}`))
      await page.locator('[data-test="capture"]').click()
      await page.getByText('已导入 2 个事件').waitFor()
      await page.locator('input[data-test="history-code"], [data-test="history-code"] input').fill(codes[0])
      await page.locator('[data-test="history-search"]').click()
      const timeline = page.locator('[data-test="timeline"]')
      await timeline.waitFor()
      const text = await timeline.innerText()
      assert.match(text, /装箱/)
      assert.match(text, /发货/)
      await screenshot(page, 'trace-timeline')
    })
  })

  test("a farmer scans a label on a phone without logging in", async (t) => {
    await withPage(t, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto('/v/' + state.codes[1])
      await page.locator('[data-test="verify-status"]', { hasText: '正常' }).waitFor()
      assert.equal(await page.locator('[data-test="verify-product"]').innerText(), '5%阿维菌素乳油')
      assert.match(await page.locator('[data-test="verify-count"]').innerText(), /第 1 次/)
      await page.locator('[data-test="verify-region"]').selectOption('150100')
      await screenshot(page, 'trace-verify-mobile')
      await page.goto('/v/10929272001000000000000000000000')
      await page.locator('[data-test="verify-status"]', { hasText: '未发放' }).waitFor()
      assert.equal(new URL(page.url()).pathname, '/v/10929272001000000000000000000000', 'no login redirect')
    })
  })

  test('a cloned label scanned in two 盟市 appears on the clone board', async (t) => {
    for (const region of ['150102', '150203']) {
      const r = await fetch(`${server.baseUrl}/api/v1/public/verify/${state.codes[2]}?region=${region}`)
      assert.equal(r.status, 200)
    }
    // Scans are written and the clone rules run every 200 ms: wait for the suspicion.
    const officer = await apiLogin(server.baseUrl, 'officer', DEMO_PASSWORD)
    for (let i = 0; i < 50; i++) {
      const found = await officer.call('GET', '/trace/suspicions')
      if (found.body.items.some((s) => s.code_key.endsWith(state.codes[2]))) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    await withPage(t, async (page) => {
      await login(page, 'officer')
      await page.goto('/trace/clones')
      const row = page.locator('[data-test="suspicions"] .el-table__row', { hasText: state.codes[2] })
      await row.waitFor()
      assert.match(await row.innerText(), /异地扫码/)
      await screenshot(page, 'trace-clones')
    })
    const again = await (await fetch(`${server.baseUrl}/api/v1/public/verify/${state.codes[2]}`)).json()
    assert.equal(again.status, '可疑')
  })

  test('an officer recalls the batch and the farmer sees 已召回', async (t) => {
    await withPage(t, async (page) => {
      await login(page, 'officer')
      await page.goto('/trace/batches')
      await page.locator('[data-test="batches"] .el-table__row', { hasText: LOT }).click()
      const detail = page.locator('[data-test="batch-detail"]')
      await detail.waitFor()
      await detail.locator('input[data-test="recall-reason"], [data-test="recall-reason"] input').fill('有效成分含量不合格')
      await detail.locator('[data-test="recall"]').click()
      await detail.locator('[data-test="batch-status"]', { hasText: '已召回' }).waitFor()
      assert.match(await detail.locator('[data-test="holders"]').innerText(), /pgln:0614141\.00002/)
      await screenshot(page, 'trace-recalled')
    })
    await withPage(t, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto('/v/' + state.codes[3])
      await page.locator('[data-test="verify-status"]', { hasText: '已召回' }).waitFor()
    })
    const enterprise = await apiLogin(server.baseUrl, 'enterprise', DEMO_PASSWORD)
    const batches = await enterprise.call('GET', '/trace/batches')
    assert.equal(batches.body.items.find((b) => b.lot === LOT).status, '已召回')
  })
})
