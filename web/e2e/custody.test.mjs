// End-to-end: seized goods and their destruction (plan item (七)) in Chromium against the real server.
//   the office adds a qualified destruction unit on the 销毁单位 page → an officer registers two
//   seized items on a case (case set up through the API), moves one to another store, hands the
//   other over to the police, and records the destruction of the first by that unit with a witness
//   and a photo (a PNG made here) → the item shows 已销毁, the order lists the unit, the witness
//   and the photo, which downloads with the bytes sent.
// Run: npm run build && node --test e2e/custody.test.mjs
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { deflateSync } from 'node:zlib'
import { apiLogin, startServer } from './lib/server.mjs'
import { launchBrowser, openPage, screenshot } from './lib/browser.mjs'

const DEMO_PASSWORD = 'Demo@Redshield2017'
const stamp = Date.now().toString(36)
const UNIT = { name: `e2e 包头市环保处置有限公司 ${stamp}`, licence: `E2E-XH-${stamp}`.toUpperCase(), region: '150000' }
const CASE_TITLE = `e2e 销售假冒伊利奶粉案（物品）${stamp}`
const KEPT = `e2e 假冒伊利奶粉 ${stamp}`
const HANDED = `e2e 假冒商标标识 ${stamp}`
const WITNESS = `王见证${stamp}`

let server
let browser
const state = { caseId: null, caseNumber: null }

async function withPage(t, fn) {
  const p = await openPage(browser, server.baseUrl)
  try {
    await fn(p.page)
    assert.deepEqual(p.errors, [], 'browser console errors')
  } catch (e) {
    const name = 'FAILED-custody-' + t.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').slice(0, 60)
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
const field = (scope, id) => scope.locator(`input[data-testid="${id}"], [data-testid="${id}"] input, textarea[data-testid="${id}"], [data-testid="${id}"] textarea`).first()

async function pick(page, scope, id, option) {
  await scope.locator(`[data-testid="${id}"]`).first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

async function fillNumber(scope, id, value) {
  await field(scope, id).fill(String(value))
  await field(scope, id).press('Tab')
}

// --- a small PNG (16×16, red) made here, so the test needs no fixture file ---------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
function makePng(size = 16) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([0xd0, 0x30, 0x30]))])
  const pixels = Buffer.concat(Array.from({ length: size }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
const PHOTO = makePng()

describe('custody: destruction unit, seized items, moves, destruction with photo', () => {
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const officer = await apiLogin(server.baseUrl, 'officer', DEMO_PASSWORD)
    const created = await officer.call('POST', '/cases', {
      title: CASE_TITLE, category: '商标', offence: '销售假冒注册商标的商品罪', offence_date: '2025-03-01', sales_fen: 2_000_000,
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    state.caseId = created.body.id
    state.caseNumber = created.body.case_number
  })
  after(async () => {
    await browser?.close().catch(() => {})
    await server?.stop()
  })

  test('the office adds a qualified destruction unit', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'office')
      await openMenu(page, '案件办理', '销毁单位')
      await page.waitForURL(/\/cases\/destruction-units$/)
      await page.locator('[data-testid="unit-add"]').click()
      const dlg = page.locator('[data-testid="unit-dialog"]')
      await dlg.waitFor()
      await field(dlg, 'unit-name').fill(UNIT.name)
      await field(dlg, 'unit-licence').fill(UNIT.licence)
      await field(dlg, 'unit-region').fill(UNIT.region)
      await pick(page, dlg, 'unit-methods', '焚烧')
      await field(dlg, 'unit-licence').click() // closes the options, not the dialog
      const until = dlg.locator('.el-form-item', { hasText: '有效期至' }).locator('input').first()
      await until.click()
      await until.fill('2030-12-31')
      await until.press('Enter')
      await dlg.locator('[data-testid="unit-save"]').click()
      await dlg.waitFor({ state: 'hidden' })
      const row = page.locator('[data-testid="unit-table"] .el-table__row', { hasText: UNIT.licence })
      await row.waitFor()
      const text = await row.innerText()
      assert.match(text, new RegExp(UNIT.name))
      assert.match(text, /焚烧/)
      assert.match(text, /2030-12-31/)
      assert.match(text, /有效/)
      await screenshot(page, 'destruction-units')
    })
  })

  test('an officer registers seized items, moves one, hands one over and destroys the first', async (t) => {
    await withPage(t, async (page) => {
      await loginOk(page, 'officer')
      await page.goto(`/cases/${state.caseId}`)
      assert.equal((await page.locator('[data-testid="case-number"]').innerText()).trim(), state.caseNumber)
      const panel = page.locator('[data-testid="case-custody"]')
      await panel.waitFor()
      const itemRow = (name) => panel.locator('[data-testid="custody-items"] .el-table__row', { hasText: name })

      // two items, registered in the panel
      for (const [name, qty, kg, yuan, place] of [[KEPT, 200, 1250, 30000, '一号仓库'], [HANDED, 5000, 12.5, 800, '一号仓库']]) {
        await panel.locator('[data-testid="custody-add-item"]').click()
        const dlg = page.locator('[data-testid="item-dialog"]')
        await dlg.waitFor()
        await field(dlg, 'item-description').fill(name)
        await fillNumber(dlg, 'item-quantity', qty)
        await fillNumber(dlg, 'item-weight', kg)
        await fillNumber(dlg, 'item-value', yuan)
        await field(dlg, 'item-place').fill(place)
        await dlg.locator('[data-testid="item-save"]').click()
        await dlg.waitFor({ state: 'hidden' })
        await itemRow(name).filter({ hasText: '在库' }).waitFor()
      }
      assert.match(await itemRow(KEPT).innerText(), /200 件/)
      assert.match(await itemRow(KEPT).innerText(), /30,000\.00/)

      // a move to another store, and a hand-over to the police
      const moveTo = async (name, button, to, note) => {
        await itemRow(name).locator(`[data-testid="${button}"]`).click()
        const dlg = page.locator('[data-testid="move-dialog"]')
        await dlg.waitFor()
        await field(dlg, 'move-to').fill(to)
        await field(dlg, 'move-note').fill(note)
        await dlg.locator('[data-testid="move-save"]').click()
        await dlg.waitFor({ state: 'hidden' })
      }
      await moveTo(KEPT, 'item-move', `二号仓库 ${stamp}`, '一号仓库检修')
      await panel.locator('[data-testid="custody-events"] .el-timeline-item', { hasText: `二号仓库 ${stamp}` })
        .filter({ hasText: '移库' }).waitFor()
      await moveTo(HANDED, 'item-hand-over', '内蒙古自治区公安厅', '随案移送')
      await itemRow(HANDED).filter({ hasText: '已移交' }).waitFor()
      assert.equal(await itemRow(HANDED).locator('[data-testid="item-move"]').count(), 0, 'a handed-over item cannot be moved')

      // the destruction order: our unit, a witness and a photo
      await panel.locator('[data-testid="custody-destroy"]').click()
      const dlg = page.locator('[data-testid="order-dialog"]')
      await dlg.waitFor()
      const items = dlg.locator('[data-testid="order-items"] .el-checkbox')
      assert.equal(await items.filter({ hasText: HANDED }).count(), 0, 'only items in store are offered')
      await items.filter({ hasText: KEPT }).click()
      await pick(page, dlg, 'order-unit', UNIT.name)
      await pick(page, dlg, 'order-method', '焚烧')
      await field(dlg, 'order-witnesses').fill(WITNESS)
      assert.equal(await dlg.locator('[data-testid="order-save"]').isDisabled(), true, 'no photo yet')
      await dlg.locator('[data-testid="order-photos"]').setInputFiles({ name: `destruction-${stamp}.png`, mimeType: 'image/png', buffer: PHOTO })
      await page.waitForFunction(() => !document.querySelector('[data-testid="order-save"]')?.hasAttribute('disabled'))
      await screenshot(page, 'custody-order-dialog')
      await dlg.locator('[data-testid="order-save"]').click()
      await dlg.waitFor({ state: 'hidden' })

      await itemRow(KEPT).filter({ hasText: '已销毁' }).waitFor()
      assert.match(await itemRow(HANDED).innerText(), /已移交/)
      const order = panel.locator('[data-testid="custody-orders"] .el-table__row', { hasText: UNIT.name })
      await order.waitFor()
      const orderText = await order.innerText()
      assert.match(orderText, /焚烧/)
      assert.match(orderText, new RegExp(WITNESS))
      assert.match(orderText, /1\.25 吨/)
      assert.match(orderText, /30,000\.00/)
      await panel.locator('[data-testid="custody-events"] .el-timeline-item', { hasText: KEPT }).filter({ hasText: '销毁' }).waitFor()
      assert.equal(await panel.locator('[data-testid="custody-destroy"]').count(), 0, 'nothing left in store to destroy')

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        order.getByRole('button', { name: `destruction-${stamp}.png` }).click(),
      ])
      const bytes = Buffer.concat(await (async () => {
        const chunks = []
        for await (const c of await download.createReadStream()) chunks.push(c)
        return chunks
      })())
      assert.ok(bytes.equals(PHOTO), 'the photo comes back as sent')
      await panel.scrollIntoViewIfNeeded()
      await screenshot(page, 'case-custody')
    })

    // and the server agrees
    const officer = await apiLogin(server.baseUrl, 'officer', DEMO_PASSWORD)
    const custody = await officer.call('GET', `/cases/${state.caseId}/custody`)
    assert.equal(custody.status, 200)
    assert.deepEqual(custody.body.items.map((i) => [i.description, i.status]).sort(), [[HANDED, '已移交'], [KEPT, '已销毁']].sort())
    assert.equal(custody.body.orders.length, 1)
    assert.deepEqual(custody.body.orders[0].witnesses, [WITNESS])
    assert.equal(custody.body.orders[0].photos[0].size, PHOTO.length)
  })
})
