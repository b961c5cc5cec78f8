import { connect } from 'node:net'

/**
 * A raw client for the tool endpoint: writes the given chunks with a pause
 * between them, and collects everything the endpoint sends until it closes.
 */
export function rawExchange(path: string, chunks: string[], gapMs = 30): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect(path)
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => (text += d))
    socket.on('close', () => ok(text))
    socket.on('error', fail)
    socket.on('connect', async () => {
      for (const c of chunks) {
        if (socket.destroyed || !socket.writable) break
        socket.write(c)
        await new Promise((r) => setTimeout(r, gapMs))
      }
    })
  })
}
