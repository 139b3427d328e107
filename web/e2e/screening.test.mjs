// End-to-end (issue 6 §5): the office uploads a generated feed on 电商监测, waits for the
// screening job to finish, opens a clue on 线索核查, sees the matched spans highlighted and
// confirms it. Run: npx vite build && REDSHIELD_BIN=../build/src/app/redshield node --test e2e/screening.test.mjs
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { WEB_DIR, startServer } from './lib/server.mjs'
import { launchBrowser, openPage, screenshot } from './lib/browser.mjs'

const DEMO_PASSWORD = 'Demo@Redshield2017'
const SELLER = `e2e-${Date.now().toString(36)}`

let server
let browser
let feedDir

/** Opens a page and makes the test fail on any console error once the body is done. */
async function withPage(t, fn) {
  const p = await openPage(browser, server.baseUrl)
  try {
    await fn(p.page)
    assert.deepEqual(p.errors, [], 'browser console errors')
  } catch (e) {
    await screenshot(p.page, 'FAILED-screening-' + t.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').slice(0, 50)).catch(() => {})
    if (p.errors.length) console.error('browser errors:', p.errors)
    throw e
  } finally {
    await p.close()
  }
}

/** 300 generated listings (tools/gen_listings.py), one known counterfeit and one malformed line. */
function makeFeed() {
  feedDir = mkdtempSync(path.join(tmpdir(), 'redshield-feed-'))
  const file = path.join(feedDir, 'feed.jsonl')
  execFileSync('python3', [path.join(WEB_DIR, '..', 'tools', 'gen_listings.py'), '--count', '300', '-o', file])
  const mine = {
    id: 'E2E-1',
    platform: 'taobao',
    title: '耐克 运动鞋 高仿 一比一',
    description: '专柜品质 莆田直发',
    price: 59,
    seller_id: SELLER,
    seller_name: '包头阿强鞋店',
    category: '运动鞋',
  }
  appendFileSync(file, JSON.stringify(mine) + '\n{broken\n')
  return file
}

describe('screening and clue review in the browser', () => {
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close().catch(() => {})
    await server?.stop()
    if (feedDir) rmSync(feedDir, { recursive: true, force: true })
  })

  test('office uploads a feed, follows the job and confirms a highlighted clue', async (t) => {
    const feed = makeFeed()
    await withPage(t, async (page) => {
      await page.goto('/login')
      await page.locator('input[name="username"]').fill('office')
      await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
      await page.locator('[data-testid="login-submit"]').click()
      await page.waitForURL(/\/dashboard$/)
      const menu = page.locator('[data-testid="side-menu"]')
      assert.match(await menu.innerText(), /网络监测/)

      await page.goto('/screening/jobs')
      await page.locator('[data-testid="feed-file"]').setInputFiles(feed)
      await page.locator('[data-testid="feed-upload"]').click()
      await page.locator('[data-testid="job-status"]', { hasText: '已完成' }).waitFor({ timeout: 60_000 })
      const counts = await page.locator('[data-testid="job-counts"]').innerText()
      assert.match(counts, /已读 302 条/)
      assert.match(counts, /格式错误 1 条/)
      assert.match(await page.locator('[data-testid="job-progress"]').innerText(), /第 302 行/)
      await page.locator('[data-testid="job-table"] .el-table__row').first().waitFor()
      await screenshot(page, 'screening-jobs')

      await page.goto('/screening/clues')
      await page.locator('input[data-testid="clue-q"], [data-testid="clue-q"] input').fill(SELLER)
      await page.locator('[data-testid="clue-search"]').click()
      const row = page.locator('[data-testid="clue-table"] .el-table__row', { hasText: '包头阿强鞋店' })
      await row.waitFor()
      await row.click()
      const title = page.locator('[data-testid="clue-title"]')
      await title.locator('mark.hit').first().waitFor()
      const hits = await title.locator('mark.hit').allInnerTexts()
      assert.ok(hits.includes('耐克'), `highlighted: ${hits}`)
      assert.ok(hits.includes('高仿'), `highlighted: ${hits}`)
      assert.ok((await page.locator('[data-testid="clue-description"] mark.hit').count()) >= 1)
      assert.match(await page.locator('[data-testid="clue-reasons"]').innerText(), /耐克/)
      await screenshot(page, 'screening-clue')

      await page.locator('textarea[data-testid="clue-comment"], [data-testid="clue-comment"] textarea').fill('端到端测试：确认售假')
      await page.locator('[data-testid="clue-confirm"]').click()
      await page.locator('[data-testid="clue-detail-status"]', { hasText: '已确认' }).waitFor()
      await page.keyboard.press('Escape')
      await row.locator('.el-tag', { hasText: '已确认' }).waitFor()
    })
  })
})
