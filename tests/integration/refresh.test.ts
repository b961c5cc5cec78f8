import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { AccountView } from '../../src-main/ipc/contract'
import { useNetwork } from '../support/harness'
import { adminTakedown, createAccount, revokeElsewhere, xrpc } from '../support/network'
import { until } from '../support/wait'

const h = useNetwork()

async function setup() {
  const proxy = await h.proxy()
  const { core, dir } = await h.core({ scheduler: { backoffBaseMs: 100, backoffCapMs: 400 } })
  const a = await createAccount(h.net.pdsUrl)
  await core.accounts.login({ identifier: a.handle, password: a.password, service: proxy.url })
  return { core, proxy, a, dir }
}

const sha = (t: string) => createHash('sha256').update(t).digest('hex')

describe('refresh', () => {
  it('single flight: 100 concurrent triggers send exactly 1 refreshSession', async () => {
    const { core, proxy, a } = await setup()
    const results = await Promise.all(Array.from({ length: 100 }, () => core.accounts.refresh(a.did)))
    expect(proxy.counts.get('com.atproto.server.refreshSession')).toBe(1)
    expect(new Set(results.map((r) => r.accessExpiresAt)).size).toBe(1)
    // Tokens for tools ride the same flight.
    const [t1, t2] = await Promise.all([
      core.accounts.accessToken(a.did, 3 * 60 * 60_000),
      core.accounts.refresh(a.did),
    ])
    expect(proxy.counts.get('com.atproto.server.refreshSession')).toBe(2)
    expect(t1.accessJwt === core.vault.getTokens(a.did)!.accessJwt).toBe(true)
    expect(t2.session).toBe('signed-in')
  })

  it("a token read does not queue behind other accounts' work", async () => {
    const { core, a } = await setup()
    // Every slot taken by other accounts' slow work (a sign-in to a server that does not answer, say).
    let release = () => {}
    const held = new Promise<void>((ok) => (release = ok))
    await core.accounts.sequencer.settled(a.did)
    let othersDone = false
    const others = Promise.all(
      Array.from({ length: 8 }, (_, i) => core.accounts.sequencer.run(`did:example:other${i}`, () => held)),
    ).then(() => (othersDone = true))
    // Queued behind them, this read would never answer (the test would time out).
    const token = await core.accounts.accessToken(a.did, 60_000)
    const read = othersDone ? 'queued' : 'answered'
    release()
    await others
    expect(read).toBe('answered')
    expect(token.accessJwt === core.vault.getTokens(a.did)!.accessJwt).toBe(true)
  })

  it('rotation: the new tokens are saved and work at the PDS', async () => {
    const { core, a } = await setup()
    const old = core.vault.getTokens(a.did)!
    await core.accounts.refresh(a.did)
    const fresh = core.vault.getTokens(a.did)!
    // Compared as booleans: a failing assertion must not print a token.
    expect(fresh.refreshJwt !== old.refreshJwt).toBe(true)
    // The new access token works at the PDS.
    await xrpc(h.net.pdsUrl, 'com.atproto.server.getSession', { auth: `Bearer ${fresh.accessJwt}`, method: 'GET' })
  })

  it('pushes every state change as an event, with the expiry', async () => {
    const { core, a } = await setup()
    const seen: AccountView[] = []
    const off = core.accounts.on('account', (v) => seen.push(v))
    const asked = Date.now()
    await core.accounts.refresh(a.did)
    off()
    expect(seen.map((v) => v.session)).toEqual(['refreshing', 'signed-in'])
    // Issued after `asked`: however slow the machine, the expiry is at least an hour past it.
    expect(seen[1]!.accessExpiresAt).toBeGreaterThan(asked + 60 * 60_000)
  })

  it('persist first: killed between the server reply and the write, the next start recovers', async () => {
    const { core, a, dir } = await setup()
    const old = core.vault.getTokens(a.did)!
    await h.stopCore(core)
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, '../support/refresh-crasher.ts'), dir, h.net.plcUrl, a.did],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const successorHash = await new Promise<string>((ok) =>
      child.stdout.on('data', (d: Buffer) => {
        const m = /rotated ([0-9a-f]{64})/.exec(d.toString())
        if (m) ok(m[1]!)
      }),
    )
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))

    // A second later, so the re-signed successor differs in text but not in id.
    await new Promise((r) => setTimeout(r, 1100))
    const { core: restarted } = await h.core({}, dir)
    expect(sha(restarted.vault.getTokens(a.did)!.refreshJwt)).toBe(sha(old.refreshJwt))
    const view = await restarted.accounts.refresh(a.did)
    expect(view.session).toBe('signed-in')
    // The PDS's grace period hands back the same successor the dead process saw.
    expect(sha(String(decodeJwt(restarted.vault.getTokens(a.did)!.refreshJwt).jti))).toBe(successorHash)
  })

  it('revoked from elsewhere: signed out at the next scheduled refresh, no loop', async () => {
    const { core, proxy, a } = await setup()
    await revokeElsewhere(h.net.pdsUrl, core.vault.getTokens(a.did)!.refreshJwt)
    core.accounts.scheduler.scheduleAt(a.did, Date.now())
    await until(() => core.accounts.get(a.did).session === 'signed-out')
    // No loop: the attempt has settled, nothing is scheduled, and exactly one request reached the server.
    await until(() => core.accounts.scheduler.busy === 0)
    await core.accounts.sequencer.settled(a.did)
    expect(proxy.counts.get('com.atproto.server.refreshSession')).toBe(1)
    expect(core.accounts.scheduler.isScheduled(a.did)).toBe(false)
  })

  it('taken down mid-session: takendown at the next scheduled refresh, no loop', async () => {
    const { core, proxy, a } = await setup()
    await adminTakedown(h.net, a.did)
    core.accounts.scheduler.scheduleAt(a.did, Date.now())
    await until(() => core.accounts.get(a.did).hosting === 'takendown')
    // No loop: the attempt has settled, nothing is scheduled, and exactly one request reached the server.
    await until(() => core.accounts.scheduler.busy === 0)
    await core.accounts.sequencer.settled(a.did)
    expect(proxy.counts.get('com.atproto.server.refreshSession')).toBe(1)
    expect(core.accounts.scheduler.isScheduled(a.did)).toBe(false)
    expect(core.vault.getTokens(a.did)).toBeUndefined()
  })

  it('server down, then back: offline, then refreshed with no user action', async () => {
    const { core, proxy, a } = await setup()
    const tokens = core.vault.getTokens(a.did)
    const started = Date.now()
    await proxy.stop()
    core.accounts.scheduler.scheduleAt(a.did, Date.now())
    await until(() => core.accounts.get(a.did).session === 'offline')
    expect(core.vault.getTokens(a.did) === tokens).toBe(true)
    await proxy.start()
    await until(() => core.accounts.get(a.did).session === 'signed-in')
    expect(core.vault.getTokens(a.did)!.refreshJwt !== tokens!.refreshJwt).toBe(true)
    // Back on the normal schedule: next due well in the future.
    expect(core.accounts.scheduler.nextDue(a.did)! - started).toBeGreaterThan(60 * 60_000)
  })
})
