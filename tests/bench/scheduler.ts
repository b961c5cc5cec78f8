/**
 * Refresh (and status-watch) requests over a simulated day against a
 * counting server, and the scheduler's own cost at 10,000 accounts.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { AccountService } from '../../src-main/core/accounts/account-service'
import { IdentityResolver } from '../../src-main/core/session/identity'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { RefreshScheduler } from '../../src-main/core/refresh/scheduler'
import { SessionClient } from '../../src-main/core/session/session-client'
import { Vault } from '../../src-main/core/vault/vault'
import { openConf, tempDir } from '../support/core'
import { FakeClock, flush } from '../support/fake-clock'
import { report } from './report'

const LIFETIME_S = 2 * 60 * 60

function jwt(claims: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const head = `${enc({ alg: 'HS256', typ: 'at+jwt' })}.${enc(claims)}`
  return `${head}.${createHmac('sha256', 'bench').update(head).digest('base64url')}`
}

/** A PDS stand-in that issues 2 h tokens on the fake clock and counts every refresh. */
async function countingServer(clock: FakeClock) {
  const live = new Map<string, string>() // refresh jti -> did
  const stats = { refresh: 0, expired: 0, presented: new Set<string>(), repoStatus: 0 }
  const issue = (did: string) => {
    const now = Math.floor(clock.now() / 1000)
    const jti = randomUUID()
    live.set(jti, did)
    return {
      did,
      handle: `${did.slice(8)}.test`,
      accessJwt: jwt({ scope: 'com.atproto.access', sub: did, iat: now, exp: now + LIFETIME_S }),
      refreshJwt: jwt({ scope: 'com.atproto.refresh', sub: did, jti, iat: now, exp: now + 90 * 86400 }),
      active: true,
    }
  }
  const server = createServer((req, res) => {
    const nsid = req.url!.split('?')[0]!.replace('/xrpc/', '')
    const token = (req.headers.authorization ?? '').replace('Bearer ', '')
    const claims = token ? JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) : {}
    res.setHeader('content-type', 'application/json')
    if (nsid === 'com.atproto.server.refreshSession') {
      stats.refresh++
      stats.presented.add(claims.jti)
      const did = live.get(claims.jti)
      if (!did || claims.exp * 1000 < clock.now()) {
        stats.expired++
        res.writeHead(400).end(JSON.stringify({ error: 'ExpiredToken', message: 'Token has expired' }))
        return
      }
      live.delete(claims.jti)
      res.end(JSON.stringify(issue(did)))
      return
    }
    if (nsid === 'com.atproto.sync.getRepoStatus') {
      stats.repoStatus++
      res.end(JSON.stringify({ did: new URL(req.url!, 'http://x').searchParams.get('did'), active: true }))
      return
    }
    res.writeHead(404).end(JSON.stringify({ error: 'XRPCNotSupported', message: 'nope' }))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    issue,
    close: () => server.close(),
  }
}

export async function benchRequests(accounts = 50): Promise<void> {
  const clock = new FakeClock(Date.now())
  const server = await countingServer(clock)
  const dir = tempDir('skyswitch-bench-')
  const vault = await Vault.open({ dataDir: dir, cipher: new KeyFileCipher(dir), openStore: openConf, clock })
  for (let i = 0; i < accounts; i++) {
    const s = server.issue(`did:plc:bench${String(i).padStart(19, '0')}`)
    const exp = JSON.parse(Buffer.from(s.accessJwt.split('.')[1]!, 'base64url').toString()).exp * 1000
    await vault.saveAccount(
      {
        did: s.did,
        handle: s.handle,
        service: server.url,
        pdsUrl: server.url,
        hosting: 'active',
        signedIn: true,
        scope: 'full',
        accessExpiresAt: exp,
      },
      { accessJwt: s.accessJwt, refreshJwt: s.refreshJwt },
    )
  }
  const service = new AccountService({
    vault,
    sessions: new SessionClient({ dialects: vault.dialects }),
    identity: new IdentityResolver(),
    clock,
    mode: 'browser',
  })
  const day = 24 * 60 * 60 * 1000
  const step = 60_000
  for (let t = 0; t < day; t += step) {
    await clock.advance(step)
    // Real HTTP under fake time: let every refresh finish before time moves on.
    while (service.scheduler.busy > 0 || (service.watch?.busy ?? 0) > 0 || service.sequencer.anyBusy()) {
      await new Promise((r) => setTimeout(r, 1))
    }
    await flush()
  }
  service.stop()
  server.close()
  const { refresh, expired, presented } = server.stats
  report('refresh_requests_per_account_per_day', refresh / accounts, 'requests')
  report('refresh_requests_per_token_lifetime', refresh / presented.size, 'requests')
  report('refresh_answered_expired', expired, 'requests')
  // The background hosting-status watch, over the same simulated day.
  report('status_watch_requests_per_account_hour', server.stats.repoStatus / accounts / 24, 'requests')
}

export async function benchScale(accounts = 10_000, maxConcurrent = 8): Promise<void> {
  const clock = new FakeClock(Date.now())
  const lifetime = LIFETIME_S * 1000
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  let running = 0
  let peak = 0
  let done = 0
  const scheduler = new RefreshScheduler(
    async () => {
      running++
      peak = Math.max(peak, running)
      await Promise.resolve()
      running--
      done++
      return { kind: 'fresh', expiresAt: clock.now() + lifetime, lifetimeMs: lifetime }
    },
    { clock, maxConcurrent },
  )
  const t0 = performance.now()
  for (let i = 0; i < accounts; i++) {
    scheduler.scheduleToken(`did:plc:scale${i}`, clock.now() + ((i * 7919) % lifetime), lifetime)
  }
  const scheduleMs = performance.now() - t0
  global.gc?.()
  const heapAfter = process.memoryUsage().heapUsed
  const t1 = performance.now()
  await clock.advance(lifetime)
  await flush()
  const cycleMs = performance.now() - t1
  if (done < accounts) throw new Error(`only ${done} of ${accounts} refreshed`)
  scheduler.stop()
  report('scale_accounts', accounts, 'accounts')
  report('scale_schedule_per_account', (scheduleMs * 1000) / accounts, 'us')
  report('scale_overhead_per_refresh', cycleMs / done, 'ms')
  report('scale_peak_concurrency', peak, `of_${maxConcurrent}`)
  report('scale_memory_per_account', Math.max(0, heapAfter - heapBefore) / accounts, 'bytes')
}
