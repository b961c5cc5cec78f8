/**
 * The tool proxy: latency it adds to a small call, memory during a 50 MB
 * upload, and a simulated day of a tool calling every minute (through the
 * proxy, and with @atproto/api's own session).
 */
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { Agent, AtpAgent } from '@atproto/api'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { coreAt, openConf, tempDir } from '../support/core'
import { FakeClock } from '../support/fake-clock'
import { createAccount, login, startNetwork, type Network } from '../support/network'
import { median, report } from './report'
import type { LatencyJob } from './proxy-tool'
import { DAY_HANDLE, startTokenServer } from './token-server'

const MB = 1024 * 1024
const STATUS_WATCH = 'com.atproto.sync.getRepoStatus'
const REFRESH = 'com.atproto.server.refreshSession'

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!
}

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

async function latencyAndMemory(net: Network): Promise<void> {
  const a = await createAccount(net.pdsUrl, 'bench')
  const child = fork(resolve(import.meta.dirname, 'proxy-child.ts'), [net.pdsUrl, net.plcUrl, a.handle, a.password], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = () => new Promise<unknown>((ok) => child.once('message', ok))
  const { url, key } = (await next()) as { url: string; key: string }
  const direct = await login(net.pdsUrl, a)
  const floor = fork(resolve(import.meta.dirname, 'passthrough.ts'), [net.pdsUrl, direct.accessJwt], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const { url: floorUrl } = (await new Promise((ok) => floor.once('message', ok))) as { url: string }
  const tool = fork(resolve(import.meta.dirname, 'proxy-tool.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const timings = new Promise<{ viaProxy: number[]; viaFloor: number[]; direct: number[] }>((ok, fail) => {
    tool.once('message', ok as (m: unknown) => void)
    tool.once('exit', (code) => fail(new Error(`the latency tool exited (${code}) before answering`)))
  })
  const job: LatencyJob = {
    proxyUrl: url,
    key,
    floorUrl,
    pdsUrl: net.pdsUrl,
    accessJwt: direct.accessJwt,
    warmUp: 1000,
    measured: 1500,
  }
  tool.send(job)
  const { viaProxy, viaFloor, direct: straight } = await timings
  floor.kill()
  report('proxy_added_ms_median', median(viaProxy) - median(straight), 'ms')
  report('proxy_added_ms_p99', p99(viaProxy) - p99(straight), 'ms')
  // For reading the figure above on another machine: the direct call itself, and what a bare
  // Node pass-through adds in the same run (the part no Node proxy can avoid).
  report('proxy_direct_ms_median', median(straight), 'ms')
  report('proxy_floor_added_ms_median', median(viaFloor) - median(straight), 'ms')

  const blob = randomBytes(50 * MB)
  child.send('sample')
  await next()
  const res = await fetch(`${url}/xrpc/com.atproto.repo.uploadBlob`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
    body: blob,
  })
  if (res.status !== 200) throw new Error(`uploadBlob answered ${res.status}`)
  child.send('report')
  const { idle, peak } = (await next()) as { idle: { rss: number }; peak: { rss: number; heap: number } }
  report('proxy_upload_50mb_extra_mb', (peak.rss - idle.rss) / MB, 'MB')
  child.send('exit')
  await new Promise((ok) => child.once('exit', ok))
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
