import { connect } from 'node:net'

/**
 * A raw client for the tool endpoint: writes the given chunks with a pause
 * between them, and collects everything the endpoint sends until it closes.
 * With `end`, it half-closes after the last chunk (as `nc -N` does) and goes
 * on reading.
 */
export function rawExchange(
  path: string,
  chunks: (string | Uint8Array)[],
  gapMs = 30,
  opts: { end?: boolean } = {},
): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect({ path, allowHalfOpen: true })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => (text += d))
    // Half-open: the endpoint's end does not end ours; after it, only a close is left to wait for.
    socket.on('end', () => socket.end())
    socket.on('close', () => ok(text))
    socket.on('error', fail)
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (socket.destroyed || !socket.writable) break
        socket.write(c)
        await new Promise((r) => setTimeout(r, gapMs))
      }
      if (opts.end && socket.writable) socket.end()
    })
  })
}
