/**
 * Keeps memory flat while a large body streams through the proxy. Node hands
 * every socket read to JavaScript as a new buffer, and V8 frees those only at
 * its next garbage collection, which on a quiet heap can come tens of
 * megabytes later: a 50 MB upload then costs tens of megabytes of garbage.
 * A young-generation collection every few megabytes frees them as they pass
 * (a fraction of a millisecond each). V8 exposes `gc` only behind a flag; the
 * flag is raised just long enough to take the function into a private
 * context, so no script sees a global `gc`. For Node and Electron's main
 * process only (both let flags change after start); never a renderer.
 */
import type { Readable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' | 'async' }) => void

/** Bytes streamed between two collections. */
export const COLLECT_EVERY = 2 * 1024 * 1024

let taken: Collect | null | undefined

/** V8's gc function, or null where it cannot be had (nothing is collected then). */
export function collector(): Collect | null {
  if (taken !== undefined) return taken
  const existing = (globalThis as { gc?: unknown }).gc
  if (typeof existing === 'function') return (taken = existing as Collect)
  try {
    setFlagsFromString('--expose-gc')
    taken = runInNewContext('gc') as Collect
  } catch {
    taken = null
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
  return taken
}

/**
 * Collects young garbage every `every` bytes that `stream` emits. Call it in
 * the same tick as the stream is piped, so both see every chunk.
 */
export function collectWhileStreaming(stream: Readable, every = COLLECT_EVERY, collect = collector()): void {
  if (!collect) return
  let since = 0
  stream.on('data', (chunk: Buffer) => {
    since += chunk.length
    if (since < every) return
    since = 0
    collect({ type: 'minor', execution: 'sync' })
  })
}
