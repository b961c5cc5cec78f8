/**
 * The tool proxy: latency it adds to a small call, memory during a 50 MB
 * upload, and a simulated day of a tool calling every minute (through the
 * proxy, and with @atproto/api's own session).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Agent, AtpAgent } from '@atproto/api'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { coreAt, openConf, tempDir } from '../support/core'
import { FakeClock } from '../support/fake-clock'
import { fakeMeta } from '../support/fake-tokens'
import { createAccount, login, startNetwork, type Network } from '../support/network'
import type { BusySession } from './proxy-child'
import type { LatencyJob } from './proxy-tool'
import { median, p99, report } from './report'
import { DAY_HANDLE, startTokenServer } from './token-server'

const MB = 1024 * 1024
const STATUS_WATCH = 'com.atproto.sync.getRepoStatus'
const REFRESH = 'com.atproto.server.refreshSession'
const BUSY_ACCOUNTS = 1000
/** A busy app that holds calls for longer than this fails the group rather than running for hours. */
const BUSY_LIMIT_MS = 6 * 60_000
/** At most this many calls, for at most BUSY_FOR_MS: a call may wait for a whole round of checks. */
const BUSY_CALLS = 500
const BUSY_FOR_MS = 120_000

export async function benchProxy(): Promise<void> {
  const net = await startNetwork({ blobUploadLimit: 60 * MB })
  try {
    await latencyAndMemory(net)
    await toolDay('proxy')
    await toolDay('atproto_api')
  } finally {
    await net.close()
  }
}

type Timings = { viaProxy: number[]; viaFloor: number[]; direct: number[] }

function forkTs(file: string, args: string[]): ChildProcess {
  return fork(resolve(import.meta.dirname, file), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

const nextMessage = <T>(child: ChildProcess) => new Promise<T>((ok) => child.once('message', (m) => ok(m as T)))

/** The app (./proxy-child) in a process of its own; `sessionsFile`: the busy app's 1,000 accounts. */
async function startApp(net: Network, a: { handle: string; password: string }, sessionsFile?: string) {
  const extra = sessionsFile ? [sessionsFile] : []
  const child = forkTs('proxy-child.ts', [net.pdsUrl, net.plcUrl, a.handle, a.password, ...extra])
  const { url, key } = await nextMessage<{ url: string; key: string }>(child)
  return { child, url, key }
}

/** A tool process (./proxy-tool) alternating calls through the proxy, direct and through the floor. */
async function timeCalls(job: LatencyJob): Promise<Timings> {
  const tool = forkTs('proxy-tool.ts', [])
  const timings = new Promise<Timings>((ok, fail) => {
    tool.once('message', ok as (m: unknown) => void)
    tool.once('exit', (code) => fail(new Error(`the latency tool exited (${code}) before answering`)))
  })
  tool.send(job)
  return timings
}

async function latencyAndMemory(net: Network): Promise<void> {
  const a = await createAccount(net.pdsUrl, 'bench')
  const app = await startApp(net, a)
  const direct = await login(net.pdsUrl, a)
  const floor = forkTs('passthrough.ts', [net.pdsUrl, direct.accessJwt])
  const { url: floorUrl } = await nextMessage<{ url: string }>(floor)
  const job = (to: { url: string; key: string }, warmUp: number, measured: number): LatencyJob => ({
    proxyUrl: to.url,
    key: to.key,
    floorUrl,
    pdsUrl: net.pdsUrl,
    accessJwt: direct.accessJwt,
    warmUp,
    measured,
  })
  const { viaProxy, viaFloor, direct: straight } = await timeCalls(job(app, 1000, 1500))
  const added = median(viaProxy) - median(straight)
  const floorAdded = median(viaFloor) - median(straight)
  const floorP99 = p99(viaFloor) - p99(straight)
  report('proxy_added_ms_median', added, 'ms', `floor ${floorAdded.toFixed(3)} ms`)
  report('proxy_added_ms_p99', p99(viaProxy) - p99(straight), 'ms', `floor ${floorP99.toFixed(3)} ms`)
  // For reading the figures above on another machine: the direct call itself, and what a bare
  // Node pass-through adds in the same run (the part no Node proxy can avoid).
  report('proxy_direct_ms_median', median(straight), 'ms')
  report('proxy_floor_added_ms_median', floorAdded, 'ms')
  report('proxy_floor_added_ms_p99', floorP99, 'ms')
  report('proxy_added_ratio', added / floorAdded, 'x', 'goal <= 1.2')

  const blob = randomBytes(50 * MB)
  app.child.send('sample')
  await nextMessage(app.child)
  const res = await fetch(`${app.url}/xrpc/com.atproto.repo.uploadBlob`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.key}`, 'content-type': 'application/octet-stream' },
    body: blob,
  })
  if (res.status !== 200) throw new Error(`uploadBlob answered ${res.status}`)
  app.child.send('report')
  const { idle, peak } = await nextMessage<{ idle: { rss: number }; peak: { rss: number; heap: number } }>(app.child)
  report('proxy_upload_50mb_extra_mb', (peak.rss - idle.rss) / MB, 'MB')
  app.child.send('exit')
  await new Promise((ok) => app.child.once('exit', ok))

  await busyApp(net, a, job)
  floor.kill()
}

/**
 * The proxy's added p99 while the app, in the proxy's own process, saves its
 * 1,000-account vault and checks every account (refreshes at a loopback PDS
 * stand-in, ./token-server) over and over.
 */
async function busyApp(
  net: Network,
  a: { handle: string; password: string },
  job: (to: { url: string; key: string }, warmUp: number, measured: number) => LatencyJob,
): Promise<void> {
  const pds = await startTokenServer(new FakeClock(Date.now()))
  const dir = tempDir('skyswitch-bench-busy-')
  const sessions: BusySession[] = Array.from({ length: BUSY_ACCOUNTS }, (_, i) => {
    const { did, handle } = fakeMeta(i)
    const s = pds.issue(did, handle)
    return { did, handle, accessJwt: s.accessJwt, refreshJwt: s.refreshJwt }
  })
  const file = join(dir, 'sessions.json')
  writeFileSync(file, JSON.stringify({ url: pds.url, sessions }))
  const app = await startApp(net, a, file)
  try {
    // Warm (JIT) while the app is quiet, then measure while it works.
    await timeCalls(job(app, 1000, 0))
    app.child.send('busy')
    await nextMessage(app.child)
    const before = pds.counts.byNsid.get(REFRESH) ?? 0
    const timed = timeCalls({ ...job(app, 0, BUSY_CALLS), forMs: BUSY_FOR_MS })
    const limit = setTimeout(() => app.child.kill(), BUSY_LIMIT_MS)
    const {
      viaProxy,
      viaFloor,
      direct: straight,
    } = await timed.catch((err: unknown) => {
      throw new Error(`the busy app's calls did not finish in ${BUSY_LIMIT_MS / 60_000} min: ${String(err)}`)
    })
    clearTimeout(limit)
    const checked = (pds.counts.byNsid.get(REFRESH) ?? 0) - before
    app.child.send('calm')
    const done = await nextMessage<{ rounds: number; failedChecks: number }>(app.child)
    if (done.failedChecks > 0) throw new Error(`${done.failedChecks} checks failed in the busy app`)
    const floorP99 = p99(viaFloor) - p99(straight)
    report('proxy_added_ms_p99_busy', p99(viaProxy) - p99(straight), 'ms', `floor ${floorP99.toFixed(3)} ms`)
    report('proxy_added_ms_median_busy', median(viaProxy) - median(straight), 'ms')
    report('proxy_floor_added_ms_p99_busy', floorP99, 'ms')
    // How hard the app worked while the calls above were timed.
    report('proxy_busy_accounts_checked', checked, 'accounts', `${done.rounds} rounds of 1,001`)
    report('proxy_busy_calls', viaProxy.length, 'calls')
  } finally {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      const exited = new Promise((ok) => app.child.once('exit', ok))
      app.child.send('exit')
      await exited
    }
    await pds.close()
  }
}

/**
 * A day in seconds: a fake clock drives Skyswitch's refresh timers and a PDS
 * stand-in that issues 2 h tokens on that clock (./token-server). The tool
 * makes one getSession a minute, through the proxy or with its own session.
 */
async function toolDay(via: 'proxy' | 'atproto_api'): Promise<void> {
  const clock = new FakeClock(Date.now())
  const pds = await startTokenServer(clock)
  let failed = 0
  const count = (e: { error?: string }) => {
    if (e.error === 'ExpiredToken') failed++
    else throw e
  }
  let tick: () => Promise<void>
  let stop = async () => {}
  if (via === 'proxy') {
    const dir = tempDir('skyswitch-bench-day-')
    const vault = await Vault.open({ dataDir: dir, cipher: new KeyFileCipher(dir), openStore: openConf, clock })
    const s = pds.issue()
    await vault.saveAccount(
      {
        did: s.did,
        handle: s.handle,
        service: pds.url,
        pdsUrl: pds.url,
        hosting: 'active',
        signedIn: true,
        scope: 'full',
        accessExpiresAt: clock.now() + 2 * 3600_000,
      },
      { accessJwt: s.accessJwt, refreshJwt: s.refreshJwt },
    )
    await vault.flush()
    const core = await coreAt(dir, { clock })
    const agent = new Agent({
      service: core.proxy.status().url!,
      headers: { authorization: `Bearer ${core.proxy.keyFor(s.did)}` },
    })
    tick = async () => {
      // Real HTTP under fake time: let a due refresh finish before the tool's call.
      while (core.accounts.scheduler.busy > 0) await new Promise((r) => setTimeout(r, 1))
      await agent.com.atproto.server.getSession().catch(count)
    }
    stop = () => core.stop()
  } else {
    // The tool's own session: @atproto/api refreshes when the PDS says ExpiredToken.
    const agent = new AtpAgent({ service: pds.url })
    await agent.login({ identifier: DAY_HANDLE, password: 'x' })
    tick = async () => {
      await agent.com.atproto.server.getSession().catch(count)
    }
  }
  pds.counts.requests = 0
  pds.counts.expired = 0
  pds.counts.byNsid.clear()
  for (let minute = 0; minute < 24 * 60; minute++) {
    await clock.advance(60_000)
    await tick()
  }
  report(`tool_day_failed_requests_${via}`, failed, 'requests')
  // What the app does for a signed-in account with or without a tool (its refreshes, unread
  // counts, profile, hosting-status watch) is counted apart: the two ways compare what the
  // tool costs the PDS. With its own session the tool's refreshes are its own.
  const appOwn = (n: string) => n.startsWith('app.bsky.') || n === STATUS_WATCH || n === REFRESH
  const background = via === 'proxy' ? [...pds.counts.byNsid].filter(([n]) => appOwn(n)) : []
  const backgroundCount = background.reduce((sum, [, n]) => sum + n, 0)
  report(`tool_day_requests_${via}`, pds.counts.requests - backgroundCount, 'requests')
  if (via === 'proxy') report('tool_day_app_background_requests_proxy', backgroundCount, 'requests')
  report(`tool_day_expired_answers_at_pds_${via}`, pds.counts.expired, 'requests')
  await stop()
  await pds.close()
}
