/**
 * The running app for the proxy benchmark, in its own process so its memory
 * is measured alone: a real core with its proxy, signed in to one account.
 * Talks to the parent over IPC: {url, key} once ready; on 'sample' it starts
 * recording peak RSS and heap, on 'report' it answers with them.
 *
 * Given a file of sessions (a 5th argument), it first holds those accounts
 * too (1,000 of them, at a PDS stand-in): then on 'busy' it saves its vault
 * and checks every account (each check refreshes, and saves the vault), over
 * and over until 'calm', which it answers with how much it did.
 */
import { readFileSync } from 'node:fs'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { collector } from '../../src-main/core/proxy/stream-memory'
import { Vault } from '../../src-main/core/vault/vault'
import { coreAt, openConf, tempDir } from '../support/core'
import { fakeMeta } from '../support/fake-tokens'

export interface BusySession {
  did: string
  handle: string
  accessJwt: string
  refreshJwt: string
}

const [pdsUrl, plcUrl, handle, password, sessionsFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string | undefined,
]
const dir = tempDir('skyswitch-bench-proxy-')
const many = sessionsFile
  ? (JSON.parse(readFileSync(sessionsFile, 'utf8')) as { url: string; sessions: BusySession[] })
  : null
if (many) {
  const vault = await Vault.open({ dataDir: dir, cipher: new KeyFileCipher(dir), openStore: openConf })
  // Filled with tokens in memory, then sealed in one write: a thousand writes of a growing
  // file would take minutes. The app then holds a 1,000-account vault on disk, as a user would.
  await vault.setPersistence('memory')
  for (const [i, s] of many.sessions.entries()) {
    const meta = {
      ...fakeMeta(i),
      did: s.did,
      handle: s.handle,
      service: many.url,
      pdsUrl: many.url,
      lastRefreshAt: Date.now(),
    }
    await vault.saveAccount(meta, { accessJwt: s.accessJwt, refreshJwt: s.refreshJwt })
  }
  await vault.setPersistence('disk')
  await vault.flush()
}
// Unread counts are left out of the busy app: its load is the saves and checks alone.
const core = await coreAt(dir, { plcUrl, defaultService: pdsUrl, ...(many ? { glance: false } : {}) })
const a = await core.accounts.login({ identifier: handle, password })
// The tool's account first in the list, so it is checked first in each round: a call waits for its
// own account's check (it must: the check refreshes the token), not for the 1,000 queued before it.
if (many) await core.accounts.reorder([a.did, ...many.sessions.map((s) => s.did)])

let idle = { rss: 0, heap: 0 }
let peak = { rss: 0, heap: 0 }
let timer: ReturnType<typeof setInterval> | null = null
const sample = () => {
  const m = process.memoryUsage()
  peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed + m.arrayBuffers) }
}

let busy = false
const done = { rounds: 0, failedChecks: 0 }
let loops: Promise<unknown> = Promise.resolve()
/** What the app does when the user checks every account, over and over: a save, then a check of each. */
function work(): void {
  const first = many!.sessions[0]!.did
  loops = (async () => {
    while (busy) {
      // Each save writes the whole 1,000-account vault (and its last-good copy); so does each check.
      await core.vault.patch(first, { lastCheckedAt: Date.now() })
      const results = await core.accounts.checkAll()
      done.rounds++
      done.failedChecks += results.filter((r) => !r.ok).length
    }
  })()
}

process.on('message', (msg: string) => {
  if (msg === 'sample') {
    // Started without --expose-gc, as the app is: the proxy takes gc the way it does in the app.
    collector()?.({ type: 'major', execution: 'sync' })
    const m = process.memoryUsage()
    idle = { rss: m.rss, heap: m.heapUsed + m.arrayBuffers }
    peak = { ...idle }
    timer = setInterval(sample, 2)
    process.send!('sampling')
  } else if (msg === 'report') {
    if (timer) clearInterval(timer)
    sample()
    process.send!({ idle, peak })
  } else if (msg === 'busy') {
    busy = true
    work()
    process.send!('busy')
  } else if (msg === 'calm') {
    busy = false
    void loops.then(() => process.send!(done))
  } else if (msg === 'exit') {
    busy = false
    void loops.then(() => core.stop()).then(() => process.exit(0))
  }
})
process.send!({ url: core.proxy.status().url, key: core.proxy.keyFor(a.did) })
