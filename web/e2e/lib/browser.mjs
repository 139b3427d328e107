// Debian Chromium driven by playwright-core; every page fails its test on a console error.
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { WEB_DIR } from './server.mjs'

export const SCREENSHOT_DIR = path.resolve(WEB_DIR, process.env.REDSHIELD_SCREENSHOT_DIR ?? '../build/screenshots')

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

// Chromium logs every non-2xx fetch as "Failed to load resource: … status of 4xx". A 401 on the
// login page or a 409 the test provokes is expected; JavaScript errors, CSP violations and 5xx are not.
const EXPECTED_HTTP = /^Failed to load resource: the server responded with a status of 4\d\d/

/**
 * A fresh browser context (empty profile) with one page.
 * @returns {Promise<{ page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, errors: string[], close: () => Promise<void> }>}
 */
export async function openPage(browser, baseUrl, opts = {}) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1440, height: 900 },
    locale: opts.locale ?? 'zh-CN',
    timezoneId: opts.timezoneId ?? 'UTC',
    acceptDownloads: true,
    deviceScaleFactor: 1,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const errors = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    if (EXPECTED_HTTP.test(text)) return
    errors.push(`console.error: ${text}`)
  })
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  return { page, context, errors, close: () => context.close() }
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  // let charts finish their entry animation
  await page.waitForTimeout(600)
  await page.screenshot({ path: file, fullPage: false })
  return file
}
