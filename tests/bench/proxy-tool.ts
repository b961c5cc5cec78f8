/**
 * The tool for the latency benchmark, in a process of its own as a real
 * tool is: were it in the benchmark's process, its direct calls would reach
 * the PDS (which runs there) without ever leaving the event loop, a path no
 * real tool has. Alternates a call through the proxy, the same call direct
 * to the PDS and through a bare pass-through, and sends the timings back.
 */
import { performance } from 'node:perf_hooks'

export interface LatencyJob {
  proxyUrl: string
  key: string
  /** A bare pass-through proxy (./passthrough): the floor any Node proxy adds. */
  floorUrl: string
  pdsUrl: string
  accessJwt: string
  warmUp: number
  measured: number
  /** Measuring stops after this long even if fewer calls were made (the busy app's calls may each wait seconds). */
  forMs?: number
}

async function call(base: string, auth: string): Promise<number> {
  const t0 = performance.now()
  const res = await fetch(`${base}/xrpc/com.atproto.server.getSession`, { headers: { authorization: auth } }).catch(
    (err: unknown) => {
      // Which side failed, and how (the cause names the socket error).
      const cause = (err as { cause?: { code?: string; message?: string } }).cause
      throw new Error(`a call to ${base} failed: ${cause?.code ?? cause?.message ?? String(err)}`)
    },
  )
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`getSession answered ${res.status}`)
  return performance.now() - t0
}

process.once('message', (job: LatencyJob) => {
  void (async () => {
    const viaProxy: number[] = []
    const viaFloor: number[] = []
    const direct: number[] = []
    // Alternate so both sides see the same machine load; the warm-up lets the JIT compile both paths.
    let since = performance.now()
    for (let i = 0; i < job.warmUp + job.measured; i++) {
      if (i === job.warmUp) since = performance.now()
      else if (i > job.warmUp && job.forMs !== undefined && performance.now() - since > job.forMs) break
      const p = await call(job.proxyUrl, `Bearer ${job.key}`)
      const d = await call(job.pdsUrl, `Bearer ${job.accessJwt}`)
      const f = await call(job.floorUrl, 'Bearer none')
      if (i >= job.warmUp) {
        viaProxy.push(p)
        direct.push(d)
        viaFloor.push(f)
      }
    }
    process.send!({ viaProxy, viaFloor, direct }, () => process.exit(0))
  })().catch((err: unknown) => {
    process.stderr.write(`latency tool failed: ${String(err)}\n`)
    process.exit(1)
  })
})
