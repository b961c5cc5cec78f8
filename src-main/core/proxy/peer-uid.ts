/**
 * Which OS user opened a loopback TCP connection. Linux lists every socket
 * with its owner in /proc/net/tcp{,6}; the client's end of our connection is
 * the row whose local port is the peer's port and whose remote port is ours.
 * Elsewhere there is no cheap equivalent and the answer is `undefined`;
 * `null` means the row was not found (the client is gone): treat as a stranger.
 */
import { readFile } from 'node:fs/promises'

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6']

export async function peerUid(peerPort: number, ourPort: number): Promise<number | null | undefined> {
  if (process.platform !== 'linux') return undefined
  const local = `:${hex4(peerPort)}`
  const remote = `:${hex4(ourPort)}`
  for (const table of TABLES) {
    let text: string
    try {
      text = await readFile(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n')) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
      const f = line.trim().split(/\s+/)
      if (f.length < 8 || !f[1]!.endsWith(local) || !f[2]!.endsWith(remote)) continue
      const uid = Number(f[7])
      if (Number.isInteger(uid)) return uid
    }
  }
  return null
}

/** Whether peer-uid checks work here (Linux with /proc). */
export function canCheckPeer(): boolean {
  return process.platform === 'linux'
}

function hex4(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0')
}
