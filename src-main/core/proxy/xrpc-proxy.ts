/**
 * The local authenticating XRPC proxy: a tool points its service URL here and
 * sends one of Skyswitch's local keys as its Bearer token; the proxy swaps it
 * for the account's real credentials (never forwarding the key) and streams
 * the call to that account's PDS. Loopback only; on Linux the connecting
 * process must belong to this OS user; browsers are refused (an Origin or a
 * browser's Sec-Fetch-Site/Dest header); session calls are refused so tools cannot fork the
 * session. Nothing here logs: refusals are only counted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { SkyswitchError } from '../errors'
import { forward } from './proxy-forward'
import { peerUid } from './peer-uid'
import type { Upstream } from './upstream'

export const REFUSED_NSIDS = new Set([
  'com.atproto.server.createSession',
  'com.atproto.server.refreshSession',
  'com.atproto.server.deleteSession',
  'com.atproto.session.create',
  'com.atproto.session.refresh',
  'com.atproto.session.delete',
])

export type Choice = { ok: true; upstream: Upstream } | { ok: false; status: number; error: string; message: string }

export interface ProxyServerOptions {
  /** Maps the presented local key (or null when none was sent) to an account's upstream. */
  choose(key: string | null): Choice | Promise<Choice>
  port?: number
  /** The uid allowed to connect; defaults to this process's. */
  uid?: number
  onRefused?: (reason: string) => void
}

export interface ProxyServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Headers only browsers send (Node's fetch sends sec-fetch-mode, so that one is not here). */
const BROWSER_ONLY = ['origin', 'sec-fetch-site', 'sec-fetch-dest', 'sec-fetch-user']

const PATH = /^\/xrpc\/([a-zA-Z][a-zA-Z0-9-]*(?:\.[a-zA-Z0-9-]+)+)(\?[^#]*)?$/

export async function startProxyServer(opts: ProxyServerOptions): Promise<ProxyServer> {
  const uid = opts.uid ?? process.getuid?.()
  const admitted = new WeakMap<Socket, Promise<boolean>>()
  let port = 0

  const refuse = (res: ServerResponse, status: number, error: string, message: string) => {
    opts.onRefused?.(error)
    if (res.headersSent) return void res.destroy()
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify({ error, message }))
  }

  /** Same OS user, checked once per connection (keep-alive makes this cheap). */
  const sameUser = (socket: Socket): Promise<boolean> => {
    let verdict = admitted.get(socket)
    if (!verdict) {
      verdict =
        uid === undefined
          ? Promise.resolve(true)
          : peerUid(socket.remotePort ?? 0, port).then((owner) => owner === undefined || owner === uid)
      admitted.set(socket, verdict)
    }
    return verdict
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!(await sameUser(req.socket))) {
      return refuse(res, 403, 'Forbidden', 'The Skyswitch proxy serves only the OS user running Skyswitch.')
    }
    if (BROWSER_ONLY.some((h) => req.headers[h] !== undefined)) {
      return refuse(res, 403, 'Forbidden', 'The Skyswitch proxy refuses requests from web pages.')
    }
    const host = req.headers.host ?? ''
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return refuse(res, 403, 'Forbidden', 'Unknown Host: use the address Skyswitch gave you.')
    }
    const m = PATH.exec(req.url ?? '')
    if (!m) return refuse(res, 404, 'NotFound', 'The Skyswitch proxy serves /xrpc/<nsid> only.')
    if (REFUSED_NSIDS.has(m[1]!)) {
      return refuse(
        res,
        403,
        'SessionManagedBySkyswitch',
        `${m[1]} is refused: Skyswitch keeps this account's session and adds its credentials to each request. ` +
          'Send requests with the local key as the Bearer token and no session of your own.',
      )
    }
    const auth = req.headers.authorization
    const key = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null
    const choice = opts.choose(key)
    // Mostly known at once: then nothing waits for it.
    const chosen = choice instanceof Promise ? await choice : choice
    if (!chosen.ok) return refuse(res, chosen.status, chosen.error, chosen.message)
    try {
      await forward(req, res, req.url!, chosen.upstream)
    } catch (err) {
      if (
        err instanceof SkyswitchError &&
        (err.code === 'SignedOut' || err.code === 'AccountTakedown' || err.code === 'NotFound')
      ) {
        return refuse(res, 401, 'AuthenticationRequired', err.message)
      }
      refuse(res, 502, 'UpstreamFailure', "Skyswitch could not reach the account's PDS.")
    }
  }

  // Whatever fails unexpectedly still answers the tool (and never becomes an unhandled rejection).
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => refuse(res, 500, 'InternalServerError', 'Skyswitch could not handle this request.'))
  })
  // Idle keep-alive connections are cheap; a stalled upload is not held forever.
  server.keepAliveTimeout = 30_000
  server.requestTimeout = 0
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail)
      ok()
    })
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok())
        server.closeAllConnections()
      }),
  }
}
