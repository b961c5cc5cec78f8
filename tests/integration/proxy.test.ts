import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { Agent } from '@atproto/api'
import { XRPCError } from '@atproto/xrpc'
import { describe, expect, it, vi } from 'vitest'
import { useNetwork } from '../support/harness'
import { until } from '../support/wait'
import { createAccount, keepBlob, xrpc } from '../support/network'

const h = useNetwork({ blobUploadLimit: 60 * 1024 * 1024 })
const run = promisify(execFile)

async function setup(opts: { viaEntryway?: boolean } = {}) {
  const refused: string[] = []
  // No unread-count reads in the background: they would race the ExpiredToken injected on cue.
  const { core, dir } = await h.core({ onProxyRefused: (r) => refused.push(r), glance: false })
  const entryway = opts.viaEntryway ? await h.proxy() : null
  const a = await createAccount(h.net.pdsUrl, 'proxy')
  await core.accounts.login({ identifier: a.handle, password: a.password, service: entryway?.url })
  const url = core.proxy.status().url!
  const key = core.proxy.keyFor(a.did)
  // A stock client: the proxy as its service, no session, the local key as its Bearer.
  const agent = new Agent({ service: url, headers: { authorization: `Bearer ${key}` } })
  return { core, dir, a, url, key, agent, entryway, refused }
}

/** The profile load that follows a login is a call with a token too: let it finish first. */
async function settled(entryway: { counts: Map<string, number> }) {
  await until(() => entryway.counts.has('app.bsky.actor.getProfile'))
  await new Promise((r) => setTimeout(r, 500))
}

async function errorOf(p: Promise<unknown>): Promise<XRPCError> {
  try {
    await p
  } catch (err) {
    if (err instanceof XRPCError) return err
    throw err
  }
  throw new Error('expected an XRPC error')
}

describe('the local XRPC proxy with @atproto/api', () => {
  it('createRecord, getRecord and listRecords with no session of its own', async () => {
    const { a, agent, url } = await setup()
    expect(new URL(url).hostname).toBe('127.0.0.1')
    const created = await agent.com.atproto.repo.createRecord({
      repo: a.did,
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text: 'through the proxy', createdAt: new Date().toISOString() },
    })
    const rkey = created.data.uri.split('/').pop()!
    const got = await agent.com.atproto.repo.getRecord({ repo: a.did, collection: 'app.bsky.feed.post', rkey })
    expect((got.data.value as { text: string }).text).toBe('through the proxy')
    const list = await agent.com.atproto.repo.listRecords({ repo: a.did, collection: 'app.bsky.feed.post' })
    expect(list.data.records.map((r) => r.uri)).toContain(created.data.uri)
  })

  it('uploadBlob of 50 MB streams through and the PDS stores every byte', async () => {
    const { a, agent } = await setup()
    const data = randomBytes(50 * 1024 * 1024)
    // Kept by the PDS (a record refers to it), then read back directly.
    const blob = await keepBlob(agent, a.did, data)
    expect(blob.size).toBe(data.length)
    const res = await fetch(`${h.net.pdsUrl}/xrpc/com.atproto.sync.getBlob?did=${a.did}&cid=${blob.ref.toString()}`)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true)
    // And back through the proxy: a large answer streams to the tool byte for byte.
    const back = await agent.com.atproto.sync.getBlob({ did: a.did, cid: blob.ref.toString() })
    expect(Buffer.from(back.data).equals(data)).toBe(true)
    // 50 MB three times through the PDS (up, back direct, back through the proxy): 12 s alone, 21 s beside a second CI run.
  }, 90_000)

  it('an ExpiredToken from the PDS: refreshed once and retried, the tool never sees it', async () => {
    const { core, a, agent, entryway } = await setup({ viaEntryway: true })
    const before = core.vault.getTokens(a.did)!.refreshJwt
    await settled(entryway!)
    entryway!.behaviour.expireNext = 1
    const created = await agent.com.atproto.repo.createRecord({
      repo: a.did,
      collection: 'app.bsky.feed.post',
      record: { $type: 'app.bsky.feed.post', text: 'after a refresh', createdAt: new Date().toISOString() },
    })
    expect(created.data.uri).toContain(a.did)
    expect(entryway!.behaviour.expireNext).toBe(0)
    expect(entryway!.counts.get('com.atproto.server.refreshSession')).toBe(1)
    expect(entryway!.counts.get('com.atproto.repo.createRecord')).toBe(2)
    expect(core.vault.getTokens(a.did)!.refreshJwt !== before).toBe(true)
  })

  it('a streamed body (over 1 MiB) is not replayed: one ExpiredToken reaches the tool, the next call works', async () => {
    const { core, a, agent, entryway } = await setup({ viaEntryway: true })
    await settled(entryway!)
    const before = core.vault.getTokens(a.did)!.refreshJwt
    const body = Buffer.alloc(2 * 1024 * 1024, 'a')
    entryway!.behaviour.expireNext = 1
    const err = await errorOf(agent.com.atproto.repo.uploadBlob(body, { encoding: 'text/plain' }))
    expect(err.error).toBe('ExpiredToken')
    // The proxy renewed the session on the way (a new refresh token: access tokens carry no jti and
    // one renewed within the login's second is byte-identical), so the tool's own retry succeeds.
    expect(core.vault.getTokens(a.did)!.refreshJwt !== before).toBe(true)
    const up = await agent.com.atproto.repo.uploadBlob(body, { encoding: 'text/plain' })
    expect(up.data.blob.size).toBe(body.length)
  })

  it('keeps atproto headers, never forwards the local key, and returns the PDS status and body unchanged', async () => {
    const { core, a, key, url, entryway } = await setup({ viaEntryway: true })
    const headers = {
      authorization: `Bearer ${key}`,
      'atproto-proxy': 'did:web:api.example#bsky_appview',
      'atproto-accept-labelers': 'did:plc:labeler;redact',
    }
    const res = await fetch(`${url}/xrpc/com.atproto.repo.describeRepo?repo=${a.did}`, { headers })
    expect(res.status).toBe(200)
    const seen = entryway!.headers.get('com.atproto.repo.describeRepo')!
    expect(seen['atproto-proxy']).toBe(headers['atproto-proxy'])
    expect(seen['atproto-accept-labelers']).toBe(headers['atproto-accept-labelers'])
    expect(seen.authorization === `Bearer ${core.vault.getTokens(a.did)!.accessJwt}`).toBe(true)
    expect(JSON.stringify(seen).includes(key)).toBe(false)
    // An error answer passes through as the PDS sent it.
    const direct = await fetch(`${h.net.pdsUrl}/xrpc/com.atproto.repo.getRecord?repo=${a.did}&collection=x.y.z&rkey=no`)
    const proxied = await fetch(`${url}/xrpc/com.atproto.repo.getRecord?repo=${a.did}&collection=x.y.z&rkey=no`, {
      headers,
    })
    expect(proxied.status).toBe(direct.status)
    expect(await proxied.text()).toBe(await direct.text())
  })

  it("a tool's createSession, refreshSession and deleteSession are refused with a clear XRPC error", async () => {
    const { a, url, key, agent } = await setup()
    const create = await errorOf(agent.com.atproto.server.createSession({ identifier: a.handle, password: a.password }))
    expect(create.status).toBe(403)
    expect(create.error).toBe('SessionManagedBySkyswitch')
    expect(create.message).toContain('createSession')
    const refresh = await errorOf(agent.com.atproto.server.refreshSession())
    expect(refresh.error).toBe('SessionManagedBySkyswitch')
    const del = await fetch(`${url}/xrpc/com.atproto.server.deleteSession`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    })
    expect(del.status).toBe(403)
  })

  it('the "active" key follows the active account; the default is the active account', async () => {
    const { core, a, url } = await setup()
    const b = await createAccount(h.net.pdsUrl, 'proxyb')
    await core.accounts.login({ identifier: b.handle, password: b.password })
    const active = new Agent({ service: url, headers: { authorization: `Bearer ${core.proxy.keyFor('active')}` } })
    await core.accounts.setActive(a.did)
    expect((await active.com.atproto.server.getSession()).data.did).toBe(a.did)
    await core.accounts.setActive(b.did)
    expect((await active.com.atproto.server.getSession()).data.did).toBe(b.did)
  })

  it('refuses: no key, a wrong key, an Origin, a foreign Host; stop and start from the service', async () => {
    const { core, a, url, key, refused } = await setup()
    const call = (headers: Record<string, string>) => fetch(`${url}/xrpc/com.atproto.server.getSession`, { headers })
    expect((await call({})).status).toBe(401)
    expect(
      (await call({ authorization: `Bearer ${key.slice(0, -2)}${key.endsWith('xx') ? 'yy' : 'xx'}` })).status,
    ).toBe(401)
    expect((await call({ authorization: `Bearer ${core.vault.getTokens(a.did)!.accessJwt}` })).status).toBe(401)
    expect((await call({ authorization: `Bearer ${key}`, origin: 'https://evil.example' })).status).toBe(403)
    expect((await call({ authorization: `Bearer ${key}`, origin: url })).status).toBe(403)
    const rebinding = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Authorization: Bearer ${key}`,
      '-H',
      'Host: evil.example',
      `${url}/xrpc/com.atproto.server.getSession`,
    ])
    expect(rebinding.stdout).toBe('403')
    expect((await call({ authorization: `Bearer ${key}` })).status).toBe(200)
    expect(refused.length).toBe(6)

    await core.proxy.stop()
    await expect(call({ authorization: `Bearer ${key}` })).rejects.toThrow()
    const again = await core.proxy.start()
    expect(again.url).toBe(url)
    expect((await call({ authorization: `Bearer ${key}` })).status).toBe(200)
  })

  it('another OS user is refused even with the right key (Linux: the connection owner is checked)', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root to run a client as another user (setpriv)')
    const { url, key } = await setup()
    const script = `fetch(${JSON.stringify(`${url}/xrpc/com.atproto.server.getSession`)},
      { headers: { authorization: ${JSON.stringify(`Bearer ${key}`)} } })
      .then(async (r) => console.log(r.status, (await r.json()).error), (e) => console.log('ERR', e.cause?.code))`
    const other = await run('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      '-e',
      script,
    ])
    expect(other.stdout.trim()).toBe('403 Forbidden')
    const same = await run(process.execPath, ['-e', script])
    expect(same.stdout.trim()).toBe('200 undefined')
  })

  it('a signed-out account: the proxy answers AuthenticationRequired, and never reaches the PDS with nothing', async () => {
    const { core, a, agent } = await setup()
    // A call first, so the token was in use when the sign-out comes.
    await agent.com.atproto.server.getSession()
    await core.accounts.signOut(a.did)
    const err = await errorOf(agent.com.atproto.server.getSession())
    expect(err.status).toBe(401)
    expect(err.error).toBe('AuthenticationRequired')
    expect(err.message).toContain(a.handle)
  })

  it('once a sign-out has begun, no call goes out with its token: calls wait for it and are refused', async () => {
    const { core, a, agent, entryway } = await setup({ viaEntryway: true })
    await settled(entryway!)
    await agent.com.atproto.server.getSession()
    const sessionCalls = () => entryway!.counts.get('com.atproto.server.getSession') ?? 0
    const before = sessionCalls()
    entryway!.behaviour.hold = new Set(['com.atproto.server.deleteSession'])
    const signingOut = core.accounts.signOut(a.did)
    await entryway!.held('com.atproto.server.deleteSession')
    // The proxy asks for the token in the account's turn: the call waits behind the sign-out.
    const asked = vi.spyOn(core.accounts, 'accessToken')
    const call = errorOf(agent.com.atproto.server.getSession())
    await until(() => asked.mock.calls.some(([did]) => did === a.did))
    expect(core.accounts.sequencer.busy(a.did)).toBe(true)
    expect(sessionCalls()).toBe(before)
    entryway!.release()
    await signingOut
    const err = await call
    expect(err.status).toBe(401)
    expect(err.error).toBe('AuthenticationRequired')
    expect(sessionCalls()).toBe(before)
  })

  it('stopped while it was starting, the proxy stays stopped and its port closed', async () => {
    const { core, url } = await setup()
    await core.proxy.stop()
    const starting = core.proxy.start()
    const stopped = await core.proxy.stop()
    await starting.catch(() => undefined)
    expect(stopped.running).toBe(false)
    expect(core.proxy.status()).toMatchObject({ running: false, enabled: false })
    await expect(fetch(`${url}/xrpc/com.atproto.server.getSession`)).rejects.toThrow()
  })

  it("a removed account's key no longer works", async () => {
    const { core, a, url, key } = await setup()
    await core.accounts.remove(a.did)
    const res = await fetch(`${url}/xrpc/com.atproto.server.getSession`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { message: string }).message).toBe('Unknown local key.')
  })

  it('the local key is not a token: the PDS refuses it directly', async () => {
    const { key } = await setup()
    await expect(
      xrpc(h.net.pdsUrl, 'com.atproto.server.getSession', { auth: `Bearer ${key}`, method: 'GET' }),
    ).rejects.toThrow(/40[01]/)
  })
})
