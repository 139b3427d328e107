// Starts the real redshield server for the e2e suite and stops it afterwards (even on failure).
//   REDSHIELD_BIN   server binary (default ../build/src/app/redshield relative to web/)
import { spawn, execFile } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync, createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileP = promisify(execFile)
export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.resolve(WEB_DIR, process.env.REDSHIELD_BIN ?? '../build/src/app/redshield')
export const DIST = path.resolve(WEB_DIR, 'dist')

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitForHealth(base, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  let lastErr
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redshield serve exited early with code ${child.exitCode}`)
    try {
      const res = await fetch(base + '/healthz')
      if (res.ok) return
      lastErr = new Error('healthz ' + res.status)
    } catch (e) {
      lastErr = e
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('server did not become healthy: ' + (lastErr?.message ?? 'timeout'))
}

/** @returns {Promise<{ baseUrl: string, dir: string, stop: () => Promise<void> }>} */
export async function startServer() {
  if (!existsSync(BIN)) throw new Error(`server binary not found: ${BIN} (set REDSHIELD_BIN)`)
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html missing: run npm run build first`)
  const dir = mkdtempSync(path.join(tmpdir(), 'redshield-e2e-'))
  const db = `sqlite:${path.join(dir, 'e2e.db')}`
  await execFileP(BIN, ['init', '--demo', '--db', db], { cwd: dir, timeout: 120_000 })
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const log = createWriteStream(path.join(dir, 'server.log'))
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web-root', DIST], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  process.once('exit', kill)

  try {
    await waitForHealth(baseUrl, child)
  } catch (e) {
    kill()
    throw e
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(t)
    }
    process.removeListener('exit', kill)
    log.end()
    if (!process.env.REDSHIELD_E2E_KEEP) rmSync(dir, { recursive: true, force: true })
  }
  return { baseUrl, dir, stop }
}

/** A tiny API client (Bearer token) for setting up data outside the browser. */
export async function apiLogin(baseUrl, username, password) {
  const res = await fetch(baseUrl + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const body = await res.json()
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`)
  const token = body.token
  const call = async (method, p, data) => {
    const r = await fetch(baseUrl + '/api/v1' + p, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(data ? { 'Content-Type': 'application/json' } : {}) },
      body: data ? JSON.stringify(data) : undefined,
    })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : undefined }
  }
  return { token, user: body.user, call }
}
