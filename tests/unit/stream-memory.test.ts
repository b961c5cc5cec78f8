import { createHash } from 'node:crypto'
import { PassThrough, Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { collectWhileStreaming, collector } from '../../src-main/core/proxy/stream-memory'

const MiB = 1024 * 1024

/** `count` chunks of 64 KiB, each filled with its index. */
function source(count: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < count; i++) yield Buffer.alloc(64 * 1024, i % 251)
    })(),
  )
}

/** A slow sink (backpressure on), hashing what it receives. */
function sink(): { stream: Writable; digest: () => string; bytes: () => number } {
  const hash = createHash('sha256')
  let bytes = 0
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      bytes += chunk.length
      setImmediate(done)
    },
  })
  return { stream, digest: () => hash.digest('hex'), bytes: () => bytes }
}

describe('collecting garbage while a large body streams', () => {
  it('collects young garbage once per interval, and the piped stream still sees every byte in order', async () => {
    const expected = sink()
    await pipeline(source(88), expected.stream)

    const calls: string[] = []
    const from = source(88).pipe(new PassThrough())
    const to = sink()
    const done = pipeline(from, to.stream)
    collectWhileStreaming(from, 2 * MiB, (o) => calls.push(`${o.type}/${o.execution}`))
    await done
    expect(to.bytes()).toBe(88 * 64 * 1024)
    expect(to.digest()).toBe(expected.digest())
    // 5.5 MiB in 2 MiB steps: two collections, each a synchronous young-generation one.
    expect(calls).toEqual(['minor/sync', 'minor/sync'])
  })

  it("takes V8's gc without leaving a global gc behind, and calling it works", () => {
    const hadGc = 'gc' in globalThis
    const collect = collector()
    expect(typeof collect).toBe('function')
    expect(collector()).toBe(collect)
    expect('gc' in globalThis).toBe(hadGc)
    // The flag is lowered again: contexts made later get no gc either.
    expect(runInNewContext('typeof gc')).toBe('undefined')
    expect(() => collect!({ type: 'minor', execution: 'sync' })).not.toThrow()
  })
})
