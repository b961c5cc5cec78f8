/**
 * The built main bundle (out/main/index.js, what ships), not the sources:
 * booted against the Electron stand-in in demo mode on a dev-env PDS, it signs
 * in with a password and with OAuth (the provider's real pages in Chromium),
 * checks, refreshes and signs out both. This runs the bundle's session client
 * and its lexicons, its OAuth client, the handle resolver (whose SSRF guard is
 * built from the runtime's undici Agent) and its zod, as deduplicated.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccountView, AppState, Envelope } from '../../src-main/ipc/contract'
import { tempDir } from '../support/core'
import { createAccount, type Network, startNetwork } from '../support/network'
import { approve, launchChromium } from '../support/oauth-pages'

const ROOT = resolve(import.meta.dirname, '../..')
const MAIN = resolve(ROOT, 'out/main/index.js')
let net: Network
let browser: Browser
let child: ChildProcess
const pending = new Map<number, (e: Envelope<unknown>) => void>()
let nextId = 1
let stderr = ''
const HOOKS = ['--import', 'tsx', '--import', './tests/support/electron-hook.mjs']

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('run `npm run build` before the packaging tests')
  ;[net, browser] = await Promise.all([startNetwork(), launchChromium()])
  // A process of its own: this one's fetch goes through the dev-env's own undici, as the app's never does.
  child = spawn(
    process.execPath,
    [...HOOKS, 'tests/packaging/built-main-child.ts', MAIN, tempDir('skyswitch-built-main-')],
    {
      cwd: ROOT,
      // `npm run demo`'s switch: an unpackaged build against a local network (loopback, http, its own PLC).
      env: { ...process.env, SKYSWITCH_DEMO: '1', SKYSWITCH_PLC_URL: net.plcUrl, SKYSWITCH_SERVICE: net.pdsUrl },
    },
  )
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return
    const { id, envelope } = JSON.parse(line) as { id: number; envelope: Envelope<unknown> }
    pending.get(id)?.(envelope)
    pending.delete(id)
  })
  await booted()
})

afterAll(async () => {
  if (child && child.exitCode === null) await Promise.race([send('quit'), new Promise((ok) => setTimeout(ok, 10_000))])
  child?.kill()
  await browser?.close()
  await net?.close()
})

function send(name: string, request?: unknown): Promise<Envelope<unknown>> {
  const id = nextId++
  return new Promise((ok) => {
    pending.set(id, ok)
    child.stdin!.write(`${JSON.stringify({ id, name, request })}\n`)
  })
}

async function call<T>(name: string, request?: unknown): Promise<T> {
  const r = (await send(name, request)) as Envelope<T>
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value
}

/** Until main has started its core and answers the window (no fixed wait). */
async function booted(): Promise<void> {
  const until = Date.now() + 30_000
  for (;;) {
    if ((await send('app:getState')).ok) return
    if (Date.now() > until || child.exitCode !== null) throw new Error(`the built main did not start: ${stderr}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('the built main bundle signs in, checks, refreshes and signs out', () => {
  it('with a password', async () => {
    const a = await createAccount(net.pdsUrl, 'bp')
    const view = await call<AccountView>('accounts:login', {
      identifier: a.handle,
      password: a.password,
      service: net.pdsUrl,
    })
    expect(view).toMatchObject({ did: a.did, handle: a.handle, auth: 'password', session: 'signed-in' })
    expect(await call<AccountView>('accounts:check', { did: a.did })).toMatchObject({ session: 'signed-in' })
    const refreshed = await call<AccountView>('accounts:refresh', { did: a.did })
    expect(refreshed.lastRefreshAt).toBeGreaterThanOrEqual(view.lastRefreshAt ?? 0)
    await call('accounts:signOut', { did: a.did })
    expect(await net.liveSessions(a.did)).toBe(0)
  })

  it('with OAuth, through the provider’s own pages', async () => {
    const a = await createAccount(net.pdsUrl, 'bo')
    const begun = await call<{ attemptId: string; url: string }>('accounts:oauthBegin', { identifier: a.handle })
    const page = await browser.newPage()
    try {
      await approve(page, begun.url, a.password)
    } finally {
      await page.close()
    }
    const view = await call<AccountView>('accounts:oauthFinish', { attemptId: begun.attemptId })
    expect(view).toMatchObject({ did: a.did, handle: a.handle, auth: 'oauth', session: 'signed-in' })
    expect(await call<AccountView>('accounts:check', { did: a.did })).toMatchObject({ session: 'signed-in' })
    const refreshed = await call<AccountView>('accounts:refresh', { did: a.did })
    expect(refreshed.lastRefreshAt).toBeGreaterThanOrEqual(view.lastRefreshAt ?? 0)
    await call('accounts:signOut', { did: a.did })
    const after = (await call<AppState>('app:getState')).accounts.find((x) => x.did === a.did)
    expect(after?.session).not.toBe('signed-in')
  })
})
