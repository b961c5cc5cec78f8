import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Browser } from 'playwright-core'
import { NodeOAuthClient, requestLocalLock, type NodeSavedSession } from '@atproto/oauth-client-node'
import { Agent } from '@atproto/api'
import { useNetwork } from '../support/harness'
import { createAccount, keepBlob, login } from '../support/network'
import { approve, deny, launchChromium } from '../support/oauth-pages'
import type { Core } from '../../src-main/core/app-core'
import { FakeClock } from '../support/fake-clock'
import { clientMetadata } from '../../src-main/core/oauth/client-config'
import { startToolEndpoint } from '../../src-main/core/cli/tool-endpoint'

const env = useNetwork()
let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** One whole sign-in through the provider's real pages. */
async function signIn(core: Core, identifier: string, password: string, username?: string) {
  const begun = await core.accounts.beginOAuth({ identifier })
  expect(begun.opened).toBe(false)
  const page = await browser.newPage()
  try {
    await approve(page, begun.url, password, username)
    expect(await page.locator('h1').innerText()).toBe('Signed in')
  } finally {
    await page.close()
  }
  return core.accounts.finishOAuth(begun.attemptId)
}

/** A request with an OAuth session taken out of the vault, signed by the real client. */
async function getSessionWith(saved: NodeSavedSession, pdsUrl: string, plcUrl: string) {
  const store = new Map<string, NodeSavedSession>()
  const client = new NodeOAuthClient({
    clientMetadata: clientMetadata(),
    stateStore: { set: async () => {}, get: async () => undefined, del: async () => {} },
    sessionStore: {
      set: async (k, v) => void store.set(k, v),
      get: async (k) => store.get(k),
      del: async (k) => void store.delete(k),
    },
    requestLock: requestLocalLock,
    allowHttp: true,
    handleResolver: pdsUrl,
    plcDirectoryUrl: plcUrl,
  })
  store.set(saved.tokenSet.sub, structuredClone(saved))
  const session = await client.restore(saved.tokenSet.sub, false)
  return session.fetchHandler('/xrpc/com.atproto.server.getSession')
}

function savedSession(core: Core, did: string): NodeSavedSession {
  const s = core.vault.getTokens(did)?.oauth
  if (!s) throw new Error('no OAuth session in the vault')
  return s as unknown as NodeSavedSession
}

describe('OAuth sign-in against the PDS’s own authorization server', () => {
  it('signs in end to end, lists the account, and makes authenticated calls', async () => {
    const a = await createAccount(env.net.pdsUrl, 'oa')
    const { core } = await env.core()
    const view = await signIn(core, a.handle, a.password)
    // Tokens and the DPoP private key are sealed: none of them is in the file in clear.
    const saved = savedSession(core, a.did)
    const file = readFileSync(core.vault.path, 'utf8')
    const d = (saved.dpopJwk as { d?: string }).d
    expect(d).toBeTruthy()
    for (const secret of [saved.tokenSet.access_token, saved.tokenSet.refresh_token!, d!]) {
      expect(file).not.toContain(secret)
    }
    expect(file).not.toContain('dpopJwk')
    expect(view).toMatchObject({ did: a.did, handle: a.handle, auth: 'oauth', session: 'signed-in', hosting: 'active' })
    expect(view.pdsUrl).toBe(new URL(env.net.pdsUrl).origin)
    expect(view.refreshExpiresAt! - view.lastRefreshAt!).toBe(14 * 24 * 3600 * 1000)
    expect(core.accounts.state().accounts.map((x) => x.did)).toEqual([a.did])
    // getSession with the DPoP-bound token; this scope does not include the email address.
    const checked = await core.accounts.check(a.did)
    expect(checked).toMatchObject({ handle: a.handle, session: 'signed-in', email: undefined })
    const res = await core.accounts.fetchHandler(a.did)('/xrpc/com.atproto.repo.createRecord', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        repo: a.did,
        collection: 'app.bsky.feed.post',
        record: { $type: 'app.bsky.feed.post', text: 'signed by the proxy fetch', createdAt: new Date().toISOString() },
      }),
    })
    expect(res.status).toBe(200)
  })

  it('is restored after a restart, refreshed, and revoked on sign-out (the server refuses the old token)', async () => {
    const a = await createAccount(env.net.pdsUrl, 'ob')
    const { core, dir } = await env.core()
    await signIn(core, a.handle, a.password)
    const first = savedSession(core, a.did)
    await env.stopCore(core)

    const { core: again } = await env.core({}, dir)
    expect(again.accounts.get(a.did)).toMatchObject({ auth: 'oauth', session: 'signed-in' })
    const before = savedSession(again, a.did)
    expect(before.tokenSet.access_token).toBe(first.tokenSet.access_token)
    expect(before.dpopJwk).toEqual(first.dpopJwk)
    const refreshed = await again.accounts.refresh(a.did)
    const after = savedSession(again, a.did)
    expect(after.tokenSet.refresh_token).not.toBe(before.tokenSet.refresh_token)
    expect(after.dpopJwk).toEqual(first.dpopJwk)
    expect(refreshed.accessExpiresAt).toBe(Date.parse(after.tokenSet.expires_at!))
    expect((await again.accounts.check(a.did)).session).toBe('signed-in')

    expect((await getSessionWith(after, env.net.pdsUrl, env.net.plcUrl)).status).toBe(200)
    const out = await again.accounts.signOut(a.did)
    expect(out).toMatchObject({ session: 'signed-out', auth: 'oauth' })
    expect(again.vault.getTokens(a.did)).toBeUndefined()
    const refused = await getSessionWith(after, env.net.pdsUrl, env.net.plcUrl)
    expect(refused.status).toBe(401)
  })

  it('hands no token to tools: a typed TokenBound refusal that points to the proxy; removal revokes', async () => {
    const a = await createAccount(env.net.pdsUrl, 'oc')
    const { core } = await env.core()
    // The identifier may be the provider's address; the user then says who they are on its page.
    await signIn(core, env.net.pdsUrl, a.password, a.handle)
    await expect(core.accounts.accessToken(a.did)).rejects.toMatchObject({ code: 'TokenBound' })
    for (const kind of ['accessToken', 'authHeader', 'env'] as const) {
      const reply = await core.dispatch('tokens:copy', { did: a.did, kind })
      expect(reply).toMatchObject({ ok: false, error: { code: 'TokenBound' } })
      expect(JSON.stringify(reply)).toContain('skyswitch exec --proxy')
    }
    expect(await core.dispatch('tokens:revealAccess', { did: a.did })).toMatchObject({ ok: false })

    // What the proxy will do: @atproto/api on the account's DPoP-signing fetch.
    const agent = new Agent({ did: a.did, fetchHandler: core.accounts.fetchHandler(a.did) })
    const post = await agent.com.atproto.repo.createRecord({
      repo: a.did,
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text: 'through @atproto/api', createdAt: new Date().toISOString() },
    })
    expect(post.data.uri).toContain(a.did)

    const saved = savedSession(core, a.did)
    await core.accounts.remove(a.did)
    expect(core.accounts.state().accounts).toEqual([])
    expect((await getSessionWith(saved, env.net.pdsUrl, env.net.plcUrl)).status).toBe(401)
  })
})

describe('OAuth sessions under the scheduler and the server’s DPoP nonces', () => {
  it('is refreshed by the scheduler when its access token is due (fake clock)', async () => {
    const a = await createAccount(env.net.pdsUrl, 'od')
    const clock = new FakeClock(Date.now())
    const { core } = await env.core({ clock })
    const view = await signIn(core, a.handle, a.password)
    const before = savedSession(core, a.did).tokenSet.refresh_token
    // The OAuth access token lives 60 minutes; the scheduler refreshes before that.
    expect(view.accessExpiresAt! - clock.now()).toBeLessThanOrEqual(61 * 60_000)
    await clock.advance(view.accessExpiresAt! - clock.now())
    await vi.waitFor(() => expect(savedSession(core, a.did).tokenSet.refresh_token).not.toBe(before), {
      timeout: 20_000,
    })
    await vi.waitFor(() => expect(core.accounts.get(a.did).session).toBe('signed-in'))
    expect(core.accounts.get(a.did).accessExpiresAt).toBeGreaterThan(view.accessExpiresAt!)
  })

  it('refreshes through a DPoP nonce rotation (the cached nonce is no longer accepted)', async () => {
    const a = await createAccount(env.net.pdsUrl, 'oe')
    const nonces = new Map<string, string>()
    const dpopNonceCache = {
      get: async (k: string) => nonces.get(k),
      set: async (k: string, v: string) => void nonces.set(k, v),
      del: async (k: string) => void nonces.delete(k),
    }
    const { core } = await env.core({ oauth: { dpopNonceCache } })
    await signIn(core, a.handle, a.password)
    expect(nonces.size).toBeGreaterThan(0)
    for (const k of nonces.keys()) nonces.set(k, 'rotated-away-nonce')
    const before = savedSession(core, a.did).tokenSet.refresh_token
    await core.accounts.refresh(a.did)
    expect(savedSession(core, a.did).tokenSet.refresh_token).not.toBe(before)
    for (const v of nonces.values()) expect(v).not.toBe('rotated-away-nonce')
    expect((await core.accounts.check(a.did)).session).toBe('signed-in')
  })
})

describe('OAuth sign-in: bad input', () => {
  it('denied consent: a typed Cancelled error, nothing saved', async () => {
    const a = await createAccount(env.net.pdsUrl, 'of')
    const { core } = await env.core()
    const begun = await core.accounts.beginOAuth({ identifier: a.handle })
    const page = await browser.newPage()
    try {
      await deny(page, begun.url, a.password)
      expect(await page.locator('h1').innerText()).toBe('Sign-in not completed')
    } finally {
      await page.close()
    }
    await expect(core.accounts.finishOAuth(begun.attemptId)).rejects.toMatchObject({ code: 'Cancelled' })
    expect(core.accounts.state().accounts).toEqual([])
  })

  it('a closed browser tab: the sign-in times out and says so; nothing is saved', async () => {
    const a = await createAccount(env.net.pdsUrl, 'og')
    const { core } = await env.core({ oauth: { signInTimeoutMs: 2_000 } })
    const begun = await core.accounts.beginOAuth({ identifier: a.handle })
    const page = await browser.newPage()
    await page.goto(begun.url)
    await page.close()
    const err = await core.accounts.finishOAuth(begun.attemptId).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'SignInTimedOut' })
    expect((err as Error).message).toMatch(/not completed within 1 minute \(was the browser tab closed\?\)/)
    expect(core.accounts.state().accounts).toEqual([])
  })

  it('a state mismatch and requests from another origin are refused; the real redirect still completes', async () => {
    const a = await createAccount(env.net.pdsUrl, 'oh')
    const { core } = await env.core()
    const begun = await core.accounts.beginOAuth({ identifier: a.handle })
    const page = await browser.newPage()
    let callback: string | undefined
    // Hold the provider's redirect back to look at it first (CDP sees redirects; page.route does not).
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: 'http://127.0.0.1:*/callback*' }] })
    cdp.on('Fetch.requestPaused', (e: { requestId: string; request: { url: string } }) => {
      callback ??= e.request.url
      void cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'Aborted' })
    })
    await approve(page, begun.url, a.password).catch(() => undefined)
    await vi.waitFor(() => expect(callback).toBeDefined())
    await cdp.send('Fetch.disable')
    const real = new URL(callback!)

    // Another site sends the browser to the loopback port with a state of its own.
    const forged = new URL(real)
    forged.searchParams.set('state', 'forged-state')
    forged.searchParams.set('code', 'attacker-code')
    const other = await browser.newPage()
    await other.goto(env.net.pdsUrl + '/xrpc/_health')
    const nav = await other.goto(forged.toString())
    expect(nav?.status()).toBe(400)
    expect(await other.locator('h1').innerText()).toBe('Unknown sign-in')
    // Scripts and frames on another origin, even with the right state: not a navigation.
    await other.goto(env.net.pdsUrl + '/xrpc/_health')
    const seen: number[] = []
    other.on('response', (r) => void (r.url().startsWith(real.origin) && seen.push(r.status())))
    await other.evaluate(async (u) => {
      await fetch(u, { mode: 'no-cors' }).catch(() => undefined)
      const frame = document.createElement('iframe')
      frame.src = u
      document.body.append(frame)
      await new Promise((r) => (frame.onload = r))
    }, real.toString())
    await vi.waitFor(() => expect(seen).toEqual([403, 403]))
    const post = await fetch(real, { method: 'POST', headers: { origin: 'http://evil.example' } })
    expect(post.status).toBe(403)
    await other.close()

    // The sign-in is still waiting, and the provider's redirect completes it.
    const back = await page.goto(real.toString())
    expect(back?.status()).toBe(200)
    await page.close()
    const view = await core.accounts.finishOAuth(begun.attemptId)
    expect(view).toMatchObject({ did: a.did, auth: 'oauth' })
  })
})

describe('switching an account between password and OAuth', () => {
  it('keeps its place, order and active account, and revokes the session it replaces', async () => {
    const [x, a, y] = [
      await createAccount(env.net.pdsUrl, 'ox'),
      await createAccount(env.net.pdsUrl, 'oi'),
      await createAccount(env.net.pdsUrl, 'oy'),
    ]
    const { core } = await env.core()
    for (const acc of [x, a, y]) await core.accounts.login({ identifier: acc.handle, password: acc.password })
    await core.accounts.reorder([y.did, a.did, x.did])
    await core.accounts.setActive(y.did)
    const passwordRefresh = core.vault.getTokens(a.did)!.refreshJwt

    expect((await signIn(core, a.handle, a.password)).auth).toBe('oauth')
    expect(core.accounts.state()).toMatchObject({ activeDid: y.did })
    expect(core.accounts.state().accounts.map((v) => v.did)).toEqual([y.did, a.did, x.did])
    // The password session it replaced is revoked at the server.
    await vi.waitFor(async () => {
      const r = await fetch(`${env.net.pdsUrl}/xrpc/com.atproto.server.refreshSession`, {
        method: 'POST',
        headers: { authorization: `Bearer ${passwordRefresh}` },
      })
      expect(r.status).toBe(400)
    })

    const oauthSession = savedSession(core, a.did)
    const back = await core.accounts.login({ identifier: a.handle, password: a.password })
    expect(back.auth).toBe('password')
    expect(core.accounts.state().accounts.map((v) => v.did)).toEqual([y.did, a.did, x.did])
    expect(core.accounts.state()).toMatchObject({ activeDid: y.did })
    expect((await getSessionWith(oauthSession, env.net.pdsUrl, env.net.plcUrl)).status).toBe(401)
    expect((await login(env.net.pdsUrl, a)).did).toBe(a.did)
  })
})

describe('OAuth sessions: the same states as password sessions', () => {
  it('revoked elsewhere: the next refresh signs the account out and drops its tokens', async () => {
    const a = await createAccount(env.net.pdsUrl, 'oj')
    const { core } = await env.core()
    await signIn(core, a.did, a.password)
    // Revoke with a copy of the session, as another device or the provider's settings page would.
    const copy = savedSession(core, a.did)
    const store = new Map([[a.did, structuredClone(copy)]])
    const other = new NodeOAuthClient({
      clientMetadata: clientMetadata(),
      stateStore: { set: async () => {}, get: async () => undefined, del: async () => {} },
      sessionStore: {
        set: async (k, v) => void store.set(k, v),
        get: async (k) => store.get(k),
        del: async (k) => void store.delete(k),
      },
      requestLock: requestLocalLock,
      allowHttp: true,
      handleResolver: env.net.pdsUrl,
      plcDirectoryUrl: env.net.plcUrl,
    })
    await other.revoke(a.did)
    await expect(core.accounts.refresh(a.did)).rejects.toMatchObject({ code: 'SignedOut' })
    expect(core.accounts.get(a.did)).toMatchObject({ session: 'signed-out', auth: 'oauth' })
    expect(core.vault.getTokens(a.did)).toBeUndefined()
  })

  it('a network failure during a refresh keeps the session (offline), and the next refresh works', async () => {
    const a = await createAccount(env.net.pdsUrl, 'ok')
    let down = false
    const refused: string[] = []
    // The network going away, as undici reports it: the client library would delete the session on this.
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (!down) return globalThis.fetch(input, init)
      refused.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
      return Promise.reject(new TypeError('fetch failed'))
    }
    // The provider's metadata is cached for 60 s on the core's clock: a fake one moves past that at once.
    const clock = new FakeClock(Date.now())
    const { core } = await env.core({ fetch, clock })
    await signIn(core, a.handle, a.password)
    const before = savedSession(core, a.did)
    // Once with the provider's metadata cached (the token request fails), once without.
    await core.accounts.check(a.did)
    down = true
    await expect(core.accounts.refresh(a.did)).rejects.toMatchObject({ code: 'Offline' })
    expect(refused.some((u) => /oauth-(authorization-server|protected-resource)/.test(u))).toBe(false)
    expect(savedSession(core, a.did).tokenSet.refresh_token).toBe(before.tokenSet.refresh_token)
    clock.jump(61_000)
    refused.length = 0
    await expect(core.accounts.refresh(a.did)).rejects.toMatchObject({ code: 'Offline' })
    expect(refused.some((u) => /oauth-(authorization-server|protected-resource)/.test(u))).toBe(true)
    expect(core.accounts.get(a.did).session).toBe('offline')
    expect(savedSession(core, a.did).tokenSet.refresh_token).toBe(before.tokenSet.refresh_token)
    down = false
    await core.accounts.refresh(a.did)
    expect(core.accounts.get(a.did).session).toBe('signed-in')
    expect(savedSession(core, a.did).tokenSet.refresh_token).not.toBe(before.tokenSet.refresh_token)
  })
})

describe('OAuth accounts through the local proxy', () => {
  it('a blob goes up and comes back byte for byte (the answer streams to the tool in many chunks)', async () => {
    const a = await createAccount(env.net.pdsUrl, 'ob')
    const { core } = await env.core()
    await signIn(core, a.handle, a.password)
    const agent = new Agent({
      service: core.proxy.status().url!,
      headers: { authorization: `Bearer ${core.proxy.keyFor(a.did)}` },
    })
    const data = randomBytes(3 * 1024 * 1024)
    const blob = await keepBlob(agent, a.did, data)
    expect(blob.size).toBe(data.length)
    const back = await agent.com.atproto.sync.getBlob({ did: a.did, cid: blob.ref.toString() })
    expect(Buffer.from(back.data).equals(data)).toBe(true)
    // A tool that stops reading half way: the proxy lets the answer go, and serves the next call.
    const res = await fetch(
      `${core.proxy.status().url}/xrpc/com.atproto.sync.getBlob?did=${a.did}&cid=${blob.ref.toString()}`,
      { headers: { authorization: `Bearer ${core.proxy.keyFor(a.did)}` } },
    )
    const reader = res.body!.getReader()
    await reader.read()
    await reader.cancel()
    expect((await agent.com.atproto.server.getSession()).data.did).toBe(a.did)
  })

  it('a stock @atproto/api client posts through the proxy; the proxy signs with DPoP', async () => {
    const a = await createAccount(env.net.pdsUrl, 'op')
    const { core } = await env.core()
    await signIn(core, a.handle, a.password)
    const url = core.proxy.status().url!
    const key = core.proxy.keyFor(a.did)
    // A stock client: the proxy as its service, no session, the local key as its Bearer.
    const agent = new Agent({ service: url, headers: { authorization: `Bearer ${key}` } })
    const session = await agent.com.atproto.server.getSession()
    expect(session.data.did).toBe(a.did)
    const post = await agent.com.atproto.repo.createRecord({
      repo: a.did,
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text: 'through the proxy, DPoP', createdAt: new Date().toISOString() },
    })
    expect(post.data.uri).toContain(a.did)
    const got = await agent.com.atproto.repo.getRecord({
      repo: a.did,
      collection: 'app.bsky.feed.post',
      rkey: post.data.uri.split('/').pop()!,
    })
    expect((got.data.value as { text: string }).text).toBe('through the proxy, DPoP')
    // The bound token alone is worth nothing to whoever sees it: the PDS wants the DPoP proof.
    const stolen = await fetch(`${env.net.pdsUrl}/xrpc/com.atproto.server.getSession`, {
      headers: { authorization: `Bearer ${savedSession(core, a.did).tokenSet.access_token}` },
    })
    expect(stolen.ok).toBe(false)
    expect([400, 401]).toContain(stolen.status)
  })

  it('skyswitch exec --proxy works for an OAuth account; skyswitch token exits 6 (TokenBound)', async () => {
    const a = await createAccount(env.net.pdsUrl, 'oq')
    const { core, dir } = await env.core()
    await signIn(core, a.handle, a.password)
    const endpoint = await startToolEndpoint(dir, core.accounts, core.proxy)
    try {
      const script = `fetch(process.env.ATP_PDS_URL + '/xrpc/com.atproto.repo.createRecord', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + process.env.ATP_ACCESS_JWT, 'content-type': 'application/json' },
        body: JSON.stringify({ repo: process.env.ATP_DID, collection: 'app.bsky.feed.post',
          record: { $type: 'app.bsky.feed.post', text: 'exec --proxy', createdAt: new Date().toISOString() } }),
      }).then(async (r) => process.stdout.write(r.status + ' ' + (await r.json()).uri))`
      const res = await cli(dir, ['exec', a.handle, '--proxy', '--', process.execPath, '-e', script])
      expect(res.stderr).toBe('')
      expect(res.code).toBe(0)
      expect(res.stdout).toMatch(new RegExp(`^200 at://${a.did}/app\\.bsky\\.feed\\.post/`))
      const token = await cli(dir, ['token', a.handle])
      expect(token.code).toBe(6)
      expect(token.stdout).toBe('')
      expect(token.stderr).toContain('skyswitch exec --proxy')
    } finally {
      await endpoint.close()
    }
  })
})

/** The real `skyswitch` command; never throws. */
function cli(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'skyswitch.mjs')
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, SKYSWITCH_DATA_DIR: dataDir } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : null
          : 0
        ok({ code, stdout, stderr })
      },
    )
  })
}
