/**
 * The running app for the proxy benchmark, in its own process so its memory
 * is measured alone: a real core with its proxy, signed in to one account.
 * Talks to the parent over IPC: {url, key} once ready; on 'sample' it starts
 * recording peak RSS and heap, on 'report' it answers with them.
 */
import { collector } from '../../src-main/core/proxy/stream-memory'
import { coreAt, tempDir } from '../support/core'

const [pdsUrl, plcUrl, handle, password] = process.argv.slice(2) as [string, string, string, string]
const core = await coreAt(tempDir('skyswitch-bench-proxy-'), { plcUrl, defaultService: pdsUrl })
const a = await core.accounts.login({ identifier: handle, password })

let idle = { rss: 0, heap: 0 }
let peak = { rss: 0, heap: 0 }
let timer: ReturnType<typeof setInterval> | null = null
const sample = () => {
  const m = process.memoryUsage()
  peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed + m.arrayBuffers) }
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
  } else if (msg === 'exit') {
    void core.stop().then(() => process.exit(0))
  }
})
process.send!({ url: core.proxy.status().url, key: core.proxy.keyFor(a.did) })
