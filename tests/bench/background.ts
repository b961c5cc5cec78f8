/**
 * What a signed-in account costs its PDS in a day with nobody using it: every
 * request the app makes on its own (refreshes, unread counts, profiles, the
 * hosting-status watch), counted at loopback PDS stand-ins over a simulated
 * day on a fake clock, with the window hidden (or never opened) and with it
 * seen and focused all day.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { coreAt, openConf, tempDir } from '../support/core'
import { FakeClock } from '../support/fake-clock'
import { report } from './report'

const ACCOUNTS = 3
const LIFETIME_S = 2 * 60 * 60
const STEP_MS = 2_000
const DAY_MS = 24 * 60 * 60_000

function jwt(claims: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const head = `${enc({ alg: 'HS256', typ: 'at+jwt' })}.${enc(claims)}`
  return `${head}.${createHmac('sha256', 'background').update(head).digest('base64url')}`
}

/**
 * One account's PDS: 2 h tokens on the fake clock, and answers to every call
 * the app makes in the background. It counts them by NSID, and any request
 * carrying another account's identity.
 */
async function accountPds(clock: FakeClock, did: string) {
  const live = new Set<string>()
  const counts = new Map<string, number>()
  let foreign = 0
  const issue = () => {
    const now = Math.floor(clock.now() / 1000)
    const jti = randomUUID()
    live.add(jti)
    return {
      did,
      handle: `${did.slice(-6)}.test`,
      accessJwt: jwt({ scope: 'com.atproto.access', sub: did, iat: now, exp: now + LIFETIME_S }),
      refreshJwt: jwt({ scope: 'com.atproto.refresh', sub: did, jti, iat: now, exp: now + 90 * 86400 }),
      active: true,
    }
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://pds')
    const nsid = url.pathname.replace('/xrpc/', '')
    counts.set(nsid, (counts.get(nsid) ?? 0) + 1)
    const token = (req.headers.authorization ?? '').replace('Bearer ', '')
    const claims = token.includes('.')
      ? (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub?: string; jti?: string })
      : {}
    const named = url.searchParams.get('actor') ?? url.searchParams.get('did')
    if ((claims.sub && claims.sub !== did) || (named && named !== did)) foreign++
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    req.resume()
    req.on('end', () => {
      if (nsid === 'com.atproto.server.refreshSession') {
        if (!claims.jti || !live.delete(claims.jti)) return send(400, { error: 'ExpiredToken', message: 'revoked' })
        return send(200, issue())
      }
      // After a refresh the app revokes the refresh token it rotated away from.
      if (nsid === 'com.atproto.server.deleteSession') {
        if (!claims.jti || !live.delete(claims.jti)) return send(400, { error: 'ExpiredToken', message: 'revoked' })
        return send(200, {})
      }
      if (nsid === 'com.atproto.sync.getRepoStatus') return send(200, { did, active: true })
      if (nsid === 'app.bsky.notification.getUnreadCount') return send(200, { count: 2 })
      if (nsid === 'app.bsky.actor.getProfile') return send(200, { did, handle: 'x.test', labels: [] })
      if (nsid === 'com.atproto.server.getSession') return send(200, { did, handle: 'x.test', active: true })
      send(404, { error: 'XRPCNotSupported', message: 'not in this stand-in' })
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    foreign: () => foreign,
    issue,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}

/** A day of the real core with `ACCOUNTS` accounts, each on its own PDS; requests per account. */
async function day(looking: boolean): Promise<{ perAccount: number; byNsid: Map<string, number> }> {
  const clock = new FakeClock(Date.now())
  const dir = tempDir('skyswitch-bench-background-')
  const vault = await Vault.open({ dataDir: dir, cipher: new KeyFileCipher(dir), openStore: openConf, clock })
  const servers = []
  for (let i = 0; i < ACCOUNTS; i++) {
    const pds = await accountPds(clock, `did:plc:background${String(i).padStart(14, '0')}`)
    const s = pds.issue()
    const meta = { did: s.did, handle: s.handle, service: pds.url, pdsUrl: pds.url, hosting: 'active' as const }
    const timing = { accessExpiresAt: clock.now() + LIFETIME_S * 1000 }
    await vault.saveAccount({ ...meta, signedIn: true, scope: 'full', ...timing }, s)
    servers.push(pds)
  }
  await vault.flush()
  const core = await coreAt(dir, { clock })
  if (looking) await core.dispatch('app:attention', { visible: true, focused: true })
  // Real HTTP under fake time: let every request in flight land before time moves on.
  const settle = async () => {
    const busy = () =>
      core.accounts.scheduler.busy > 0 || (core.accounts.watch?.busy ?? 0) > 0 || (core.glance?.busy ?? false)
    while (busy()) await new Promise((r) => setTimeout(r, 1))
  }
  await settle()
  for (const pds of servers) pds.counts.clear()
  for (let t = 0; t < DAY_MS; t += STEP_MS) {
    await clock.advance(STEP_MS)
    await settle()
  }
  await core.stop()
  const byNsid = new Map<string, number>()
  for (const pds of servers) {
    if (pds.foreign() > 0) throw new Error(`${pds.foreign()} requests reached a PDS with another account's identity`)
    for (const [n, c] of pds.counts) byNsid.set(n, (byNsid.get(n) ?? 0) + c)
    await pds.close()
  }
  const total = [...byNsid.values()].reduce((a, b) => a + b, 0)
  return { perAccount: total / ACCOUNTS, byNsid }
}

function parts(byNsid: Map<string, number>): string {
  const short = (n: string) => n.split('.').at(-1)!
  return [...byNsid].map(([n, c]) => `${short(n)} ${Math.round(c / ACCOUNTS)}`).join(', ')
}

export async function benchBackground(): Promise<void> {
  const hidden = await day(false)
  report(
    'background_requests_per_account_day_hidden',
    Math.round(hidden.perAccount),
    'requests',
    `goal <= 400; ${parts(hidden.byNsid)}`,
  )
  const visible = await day(true)
  report(
    'background_requests_per_account_day_visible',
    Math.round(visible.perAccount),
    'requests',
    `seen and focused all day; ${parts(visible.byNsid)}`,
  )
}
