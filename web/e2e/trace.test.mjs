// End-to-end (issue 7): the demo enterprise issues a batch of pesticide codes
// and captures an EPCIS document (packing and shipping), a farmer scans a label
// on a phone (public page /v/:code, no login), a copy of the label scanned in
// another 盟市 shows up on the clone board, and an officer recalls the batch,
// sees the downstream holder, and the farmer's page then says 已召回.
// Places and notices: the enterprise registers the shipment's destination as a
// 追溯地点 (呼和浩特市, 零售网点) and imports a CSV of places; the recall notifies
// that place's organisation (the enterprise itself), which acknowledges the
// notice, and the batch's holders show 已确认; the agriculture department
// (`agri`) reviews the clone suspicion on the clone board.
// Packaging levels: the enterprise issues a vet batch of 40 units in 箱 of 20 (pack_sizes [20]);
// the label CSV gives each code its level and parent, and a 箱 code scanned on a phone says it
// is a 箱 holding 20 units (a unit names its 箱).
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

// Fills the issuance form for the demo enterprise; `extra` names further fields.
async function fillIssueForm(page, { registration, product, lot, extra = {} }) {
  await field(page, 'enterprise_uscc').fill('911522010783762860')
  await field(page, 'enterprise_name').fill('内蒙古演示农资有限公司')
  await field(page, 'registration_no').fill(registration)
  await field(page, 'product_name').fill(product)
  for (const [name, value] of Object.entries(extra)) await field(page, name).fill(value)
  await field(page, 'lot').fill(lot)
  await field(page, 'production_date').fill('2026-11-01')
  await field(page, 'production_date').press('Enter')
  await page.locator('[data-test="bits"]').click()
}
/** An Element Plus textarea by the data-testid passed to <el-input>. */
const textarea = (page, id) => page.locator(`textarea[data-testid="${id}"], [data-testid="${id}"] textarea`)

// The shipping event's destination (see epcis()): the holder the recall notifies.
const DESTINATION = 'urn:epc:id:pgln:0614141.00002'
const PLACE_NAME = `${LOT} 新城区农资店`

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
      await fillIssueForm(page, { registration: 'PD1-85', product: '5%阿维菌素乳油', lot: LOT })
      await page.locator('[data-test="issue"]').click()
      await page.getByText('旧式登记证号').waitFor()
      await field(page, 'registration_no').fill('PD20092927')
      await page.locator('[data-test="issue"]').click()
      const detail = page.locator('[data-test="batch-detail"]')
      await detail.waitFor()
      await detail.locator('[data-test="qr"]').waitFor()
      await detail.locator('[data-test="sample-code"]').first().waitFor()
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

  test('the enterprise registers the destination as a 追溯地点 and imports places from CSV', async (t) => {
    await withPage(t, async (page) => {
      await login(page, 'enterprise')
      await page.goto('/trace/places')
      // the 农资追溯 group is open on its own pages
      await page.locator('[data-testid="side-menu"]', { hasText: '召回通知' }).waitFor()
      assert.match(await page.locator('[data-testid="side-menu"]').innerText(), /追溯地点/)
      await page.locator('[data-testid="place-add"]').click()
      await field(page, 'place_id').fill(DESTINATION)
      await field(page, 'place_name').fill(PLACE_NAME)
      await field(page, 'place_region').fill('150100')
      await page.locator('[data-testid="place-retail"]').click()
      await page.locator('[data-testid="place-retail"].is-checked').waitFor()
      // an enterprise's place is its own by default: the recall notice then comes to the enterprise
      await page.locator('[data-testid="place-own"].is-checked').waitFor()
      await page.locator('[data-testid="place-save"]').click()
      await page.getByText('地点已保存').waitFor()
      const row = page.locator('[data-testid="place-table"] .el-table__row', { hasText: PLACE_NAME })
      await row.waitFor()
      const text = await row.innerText()
      assert.match(text, /pgln:0614141\.00002/)
      assert.match(text, /150100/)
      assert.match(text, /是/)
      assert.match(text, /内蒙古演示农资有限公司/)
      await screenshot(page, 'trace-places')

      // A CSV with a bad line imports nothing and names the line; a good one imports all rows.
      const csv = (rows) => ({ name: 'places.csv', mimeType: 'text/csv', buffer: Buffer.from(['id,name,region_code,retail', ...rows].join('\n') + '\n') })
      const a = 'urn:epc:id:sgln:6901234.00011.0'
      const b = 'urn:epc:id:sgln:6901234.00012.0'
      const file = page.locator('[data-testid="place-import-file"]')
      await file.setInputFiles(csv([`${a},${LOT} 仓库,150102,0`, `${b},${LOT} 门店,15010X,是`]))
      const error = page.locator('[data-testid="place-import-error"]')
      await error.waitFor()
      assert.match(await error.innerText(), /第 3 行/, 'the message names line 3')
      await file.setInputFiles(csv([`${a},${LOT} 仓库,150102,0`, `${b},${LOT} 门店,150203,是`]))
      await page.locator('[data-testid="place-import-result"]', { hasText: '已导入 2 个地点' }).waitFor()
      await page.locator('input[data-testid="place-q"], [data-testid="place-q"] input').fill(LOT)
      await page.locator('[data-testid="place-search"]').click()
      // only this run's three places match the keyword (polled: the search answers asynchronously)
      const rows = page.locator('[data-testid="place-table"] .el-table__row')
      let n = -1
      for (let i = 0; i < 50 && n !== 3; i++) {
        await page.waitForTimeout(100)
        n = await rows.count()
      }
      assert.equal(n, 3)
      assert.match(await rows.filter({ hasText: `${LOT} 门店` }).innerText(), /150203/)
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
    for (const region of ['150203', '150102']) {
      const r = await fetch(`${server.baseUrl}/api/v1/public/verify/${state.codes[2]}?region=${region}`)
      assert.equal(r.status, 200)
    }
    // Scans are written and the clone rules run every 200 ms: wait for the suspicion,
    // which goes to the agriculture department where the second scan happened
    // (`agri`, 呼和浩特市农牧业局).
    const agri = await apiLogin(server.baseUrl, 'agri', DEMO_PASSWORD)
    for (let i = 0; i < 50; i++) {
      const found = await agri.call('GET', '/trace/suspicions')
      if (found.body.items.some((s) => s.code_key.endsWith(state.codes[2]))) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    await withPage(t, async (page) => {
      await login(page, 'agri')
      await page.goto('/trace/clones')
      const row = page.locator('[data-test="suspicions"] .el-table__row', { hasText: state.codes[2] }).filter({ hasText: '异地扫码' }).first()
      await row.waitFor()
      assert.match(await row.innerText(), /待核查/)
      await screenshot(page, 'trace-clones')
      // 确认: the code stays 可疑 on the public page.
      await row.locator('[data-testid="suspicion-confirm"]').click()
      await textarea(page, 'suspicion-comment').fill('两个盟市 48 小时内扫码，确认为复制标签')
      await page.locator('[data-testid="suspicion-submit"]').click()
      await row.locator('[data-testid="suspicion-status"]', { hasText: '已确认' }).waitFor()
      const reviewed = await row.innerText()
      assert.match(reviewed, /马科长/)
      assert.match(reviewed, /确认为复制标签/)
      assert.equal(await row.locator('[data-testid="suspicion-confirm"]').count(), 0)
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
      const holders = await detail.locator('[data-test="holders"]').innerText()
      assert.match(holders, /pgln:0614141\.00002/)
      // The registered place: its name, 区划, and its organisation notified.
      assert.ok(holders.includes(PLACE_NAME), holders)
      assert.match(holders, /150100/)
      assert.match(holders, /内蒙古演示农资有限公司/)
      assert.match(holders, /待确认/)
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

  test('the notified holder acknowledges the recall notice and the holders show 已确认', async (t) => {
    await withPage(t, async (page) => {
      // The place is the enterprise's own (it registered it): the notice goes to the enterprise.
      await login(page, 'enterprise')
      await page.goto('/trace/notices')
      const row = page.locator('[data-testid="notice-table"] .el-table__row', { hasText: LOT })
      await row.waitFor()
      const text = await row.innerText()
      assert.ok(text.includes(PLACE_NAME), text)
      assert.match(text, /持有者本人/)
      assert.match(text, /有效成分含量不合格/)
      assert.match(text, /待确认/)
      await row.locator('[data-testid="notice-ack"]').click()
      // the note is required
      await page.locator('[data-testid="notice-ack-submit"]').click()
      await page.getByText('请填写处置说明').waitFor()
      await textarea(page, 'notice-ack-note').fill('已下架封存 20 箱')
      await page.locator('[data-testid="notice-ack-submit"]').click()
      await row.locator('[data-testid="notice-status"]', { hasText: '已确认' }).waitFor()
      assert.match(await row.innerText(), /已下架封存 20 箱/)
      assert.equal(await row.locator('[data-testid="notice-ack"]').count(), 0)
      await screenshot(page, 'trace-notice-acknowledged')

      await page.goto('/trace/batches')
      await page.locator('[data-test="batches"] .el-table__row', { hasText: LOT }).click()
      const detail = page.locator('[data-test="batch-detail"]')
      await detail.waitFor()
      const holder = detail.locator('[data-test="holders"] .el-table__row', { hasText: PLACE_NAME })
      await holder.locator('[data-testid="holder-notice"]', { hasText: '已确认' }).waitFor()
    })
    const enterprise = await apiLogin(server.baseUrl, 'enterprise', DEMO_PASSWORD)
    const again = await enterprise.call('GET', '/trace/recall-notices?status=' + encodeURIComponent('已确认'))
    assert.equal(again.status, 200)
    const mine = again.body.items.find((n) => n.lot === LOT)
    assert.equal(mine.routed, 'holder')
    assert.equal(mine.ack_note, '已下架封存 20 箱')
    const twice = await enterprise.call('POST', `/trace/recall-notices/${mine.id}/ack`, { note: '再次确认' })
    assert.equal(twice.status, 409)
  })

  test('the enterprise issues a vet batch in 箱 of 20 and a 箱 code says what it holds', async (t) => {
    const lot = `${LOT}V`.slice(0, 20)
    await withPage(t, async (page) => {
      await login(page, 'enterprise')
      await page.goto('/trace/batches')
      await page.locator('[data-test="kind"] .el-radio-button', { hasText: '兽药' }).click()
      assert.match(await page.locator('[data-test="bits"]').innerText(), /36\.5 位/)
      await fillIssueForm(page, { registration: '兽药字（2012）100589107', product: '阿莫西林可溶性粉', lot,
                                  extra: { enterprise_code: '12345' } })
      await field(page, 'quantity').fill('40')
      await field(page, 'quantity').press('Tab')
      const hint = page.locator('[data-testid="pack-hint"]')
      await hint.filter({ hasText: '只发单品码，共 40 个码' }).waitFor()
      await page.locator('[data-testid="pack-levels"] .el-radio-button', { hasText: '一级（箱）' }).click()
      await page.locator('[data-testid="pack-size-1"] input').fill('20')
      await page.locator('[data-testid="pack-size-1"] input').press('Tab')
      assert.equal(await page.locator('[data-testid="pack-size-2"]').count(), 0)
      await hint.filter({ hasText: '另发箱码 2 个，共 42 个码' }).waitFor()
      await page.locator('[data-test="issue"]').click()
      await page.getByText('已发放 40 个单品码和 2 个包装码').waitFor()
      const detail = page.locator('[data-test="batch-detail"]')
      await detail.waitFor()
      await detail.locator('[data-testid="pack-summary"]', { hasText: '单品 40 · 箱 2（每箱 20）' }).waitFor()
      await screenshot(page, 'trace-issued-packs')
      await page.keyboard.press('Escape')
      const row = page.locator('[data-test="batches"] .el-table__row', { hasText: lot })
      assert.match(await row.innerText(), /箱 2（每箱 20）/)
    })

    // The batch and its labels through the API, with the enterprise's token.
    const enterprise = await apiLogin(server.baseUrl, 'enterprise', DEMO_PASSWORD)
    const list = await enterprise.call('GET', '/trace/batches')
    const batch = list.body.items.find((b) => b.lot === lot)
    assert.ok(batch, 'the vet batch is listed')
    assert.equal(batch.kind, 'vet')
    assert.equal(batch.quantity, 40)
    assert.deepEqual(batch.pack_sizes, [20])
    assert.deepEqual(batch.pack_counts, [2])
    const res = await fetch(`${server.baseUrl}/api/v1/trace/batches/${batch.id}/labels.csv`, {
      headers: { Authorization: `Bearer ${enterprise.token}` },
    })
    assert.equal(res.status, 200)
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''))
    const header = rows.shift()
    assert.deepEqual(header, ['seq', 'code', 'url', 'product', 'registration_no', 'lot', 'production_date', 'level', 'parent'])
    const col = Object.fromEntries(header.map((h, i) => [h, i]))
    const units = rows.filter((r) => r[col.level] === '0')
    const cases = rows.filter((r) => r[col.level] === '1')
    assert.equal(units.length, 40)
    assert.equal(cases.length, 2)
    assert.equal(rows.length, 42)
    const caseCodes = cases.map((r) => r[col.code])
    for (const c of caseCodes) assert.match(c, /^\d{24}$/, 'a pack code has the unit code format')
    for (const r of cases) assert.equal(r[col.parent], '', 'a 箱 is the top level')
    for (const c of caseCodes) assert.equal(units.filter((r) => r[col.parent] === c).length, 20, `20 units in ${c}`)
    const pack = caseCodes[0]
    const unit = units.find((r) => r[col.parent] === pack)[col.code]

    // The public answer for the 箱, and its children in the history (links made at issuance: no event).
    const verified = await (await fetch(`${server.baseUrl}/api/v1/public/verify/${pack}`)).json()
    assert.equal(verified.level, 1)
    assert.equal(verified.contains, 20)
    assert.equal(verified.parent, '')
    const history = await enterprise.call('GET', '/trace/history?code=' + pack)
    assert.equal(history.status, 200)
    const children = history.body.related.filter((r) => r.relation === 'child')
    assert.equal(children.length, 20, JSON.stringify(history.body.related.slice(0, 3)))
    assert.ok(children.every((r) => r.event_id === ''))

    await withPage(t, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto('/v/' + pack)
      await page.locator('[data-test="verify-status"]', { hasText: '正常' }).waitFor()
      const line = await page.locator('[data-test="verify-pack"]').innerText()
      assert.match(line, /箱/)
      assert.match(line, /内含 20/)
      assert.equal(await page.locator('[data-test="verify-product"]').innerText(), '阿莫西林可溶性粉')
      await screenshot(page, 'trace-verify-pack-mobile')
      await page.goto('/v/' + unit)
      await page.locator('[data-test="verify-status"]', { hasText: '正常' }).waitFor()
      assert.equal(await page.locator('[data-test="verify-pack"]').count(), 0)
      assert.match(await page.locator('[data-test="verify-parent"]').innerText(), new RegExp(`所属包装：${pack}`))
    })
  })

  test('the office changes a clone-detection threshold; the agriculture department sees it but cannot edit', async (t) => {
    await withPage(t, async (page) => {
      await login(page, 'office')
      await page.goto('/trace/clones')
      await page.locator('[data-testid="rules-value-distant-window-hours"]', { hasText: '48' }).waitFor()
      await page.locator('[data-testid="rules-edit"]').click()
      const hours = page.locator('input[name="rules_distant_window_hours"]')
      await hours.fill('72')
      await hours.blur()
      await textarea(page, 'rules-note').fill('秋季销售旺季，放宽异地扫码时间窗')
      await page.locator('[data-testid="rules-submit"]').click()
      await page.locator('[data-testid="rules-value-distant-window-hours"]', { hasText: '72' }).waitFor()
      await page.locator('[data-testid="rules-default-distant-window-hours"]').waitFor()
      await page.locator('[data-testid="rules-history-toggle"]').click()
      await page.locator('[data-testid="rules-history"] .el-table__row', { hasText: '秋季销售旺季' }).waitFor()
      await screenshot(page, 'trace-clone-rules')
    })
    await withPage(t, async (page) => {
      await login(page, 'agri')
      await page.goto('/trace/clones')
      await page.locator('[data-testid="rules-value-distant-window-hours"]', { hasText: '72' }).waitFor()
      assert.equal(await page.locator('[data-testid="rules-edit"]').count(), 0)
    })
    const office = await apiLogin(server.baseUrl, 'office', DEMO_PASSWORD)
    const rules = await office.call('GET', '/trace/rules')
    assert.equal(rules.body.rules.distant_window_hours, 72)
    assert.equal(rules.body.versions[0].note, '秋季销售旺季，放宽异地扫码时间窗')
  })
})

/** RFC 4180 rows (quoted fields with "" and line breaks), CRLF or LF. */
function parseCsv(text) {
  const rows = []
  let row = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell !== '' || row.length) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}
