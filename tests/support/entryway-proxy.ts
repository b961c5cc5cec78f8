/**
 * A small loopback proxy in front of the real PDS that behaves the way other
 * servers do: the bsky.social entryway (email 2FA, rate limits, `suspended`),
 * an old server that only knows the legacy session NSIDs, a server that sends
 * malformed replies, one that hangs, and one that is down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ProxyBehaviour {
  /** Identifier (handle) that must present this emailed code at login. */
  twoFactor?: { identifier: string; code: string }
  /** DIDs whose session replies say `active: false, status: 'suspended'`. */
  suspended?: Set<string>
  /** Answer session calls with 429 until this epoch second. */
  rateLimitUntil?: number
  /** Answer only com.atproto.session.* (the legacy names). */
  legacy?: boolean
  /** Replace session replies with something broken. */
  malformed?: 'missing-fields' | 'wrong-types' | 'html' | 'jwt-without-exp' | 'not-json' | null
  /** Never answer. */
  hang?: boolean
  /** Hold the reply to these NSIDs (after the PDS answered) until `release()`: overlapping operations on cue. */
  hold?: Set<string>
  /** Delay replies to these NSIDs by this many ms (after the PDS answered). */
  delayMs?: Map<string, number>
  /** Answer com.atproto.identity.resolveHandle for these handles with another DID. */
  resolveHandle?: Map<string, string>
  /** Answer the next call to each of these NSIDs with 400 ExpiredToken (once each). */
  expireOnce?: Set<string>
  /** Replace the access token with an opaque string that is not a JWT. */
  opaqueAccess?: boolean
  /** Answer the next N calls made with a token (session calls aside) with 400 ExpiredToken. */
  expireNext?: number
  /** Answer these NSIDs with 503 without passing them on (a server that is briefly down for them). */
  unavailable?: Set<string>
}

export interface EntrywayProxy {
  url: string
  behaviour: ProxyBehaviour
  /** NSID -> number of requests seen. */
  counts: Map<string, number>
  /** Refresh tokens the PDS issued through this proxy, in order (test-only; never printed). */
  issued: string[]
  /** Refresh tokens presented to refreshSession, in order (test-only; never printed). */
  presented: string[]
  /** Resolves when a reply to `nsid` is being held (behaviour.hold). */
  held(nsid: string): Promise<void>
  /** Lets every held reply go. */
  release(): void
  /** NSID -> the request headers of the last such call. */
  headers: Map<string, IncomingMessage['headers']>
  /** Stops listening (connection refused), keeping the port for `start`. */
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

const SESSION_CALLS = ['createSession', 'getSession', 'refreshSession', 'deleteSession']
const LEGACY: Record<string, string> = {
  'com.atproto.session.create': 'com.atproto.server.createSession',
  'com.atproto.session.get': 'com.atproto.server.getSession',
  'com.atproto.session.refresh': 'com.atproto.server.refreshSession',
  'com.atproto.session.delete': 'com.atproto.server.deleteSession',
}

export async function startEntrywayProxy(pdsUrl: string, behaviour: ProxyBehaviour = {}): Promise<EntrywayProxy> {
  const counts = new Map<string, number>()
  const issued: string[] = []
  const presented: string[] = []
  const holding: (() => void)[] = []
  const heldWaiters = new Map<string, (() => void)[]>()
  const heldNow = new Set<string>()
  const release = () => {
    for (const go of holding.splice(0)) go()
    heldNow.clear()
  }
  const held = (nsid: string) =>
    heldNow.has(nsid)
      ? Promise.resolve()
      : new Promise<void>((ok) => heldWaiters.set(nsid, [...(heldWaiters.get(nsid) ?? []), ok]))
  const headers = new Map<string, IncomingMessage['headers']>()
  let port = 0
  let server: Server | null = null
  const hanging = new Set<ServerResponse>()

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    let nsid = url.pathname.replace(/^\/xrpc\//, '')
    counts.set(nsid, (counts.get(nsid) ?? 0) + 1)
    if (nsid.endsWith('refreshSession') || nsid === 'com.atproto.session.refresh') {
      presented.push(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))
    }
    headers.set(nsid, req.headers)
    const body = await readBody(req)
    const isSession = SESSION_CALLS.some((c) => nsid === `com.atproto.server.${c}`) || nsid in LEGACY

    if (behaviour.resolveHandle && nsid === 'com.atproto.identity.resolveHandle') {
      const other = behaviour.resolveHandle.get(url.searchParams.get('handle') ?? '')
      if (other) return json(res, 200, { did: other })
    }
    if (behaviour.unavailable?.has(nsid)) return json(res, 503, { error: 'Unavailable', message: 'Try again later' })
    const expireForTool = !!behaviour.expireNext && !isSession && !!req.headers.authorization
    if (expireForTool) behaviour.expireNext = (behaviour.expireNext ?? 1) - 1
    if (behaviour.expireOnce?.delete(nsid) || expireForTool) {
      return json(res, 400, { error: 'ExpiredToken', message: 'Token has expired' })
    }
    if (behaviour.hang && isSession) {
      hanging.add(res)
      return
    }
    if (behaviour.legacy) {
      if (nsid.startsWith('com.atproto.server.') && SESSION_CALLS.some((c) => nsid.endsWith(c))) {
        return json(res, 501, { error: 'MethodNotImplemented', message: 'Method Not Implemented' })
      }
    } else if (nsid in LEGACY) {
      return json(res, 404, { error: 'XRPCNotSupported', message: 'XRPCNotSupported' })
    }
    if (behaviour.rateLimitUntil && isSession && Date.now() / 1000 < behaviour.rateLimitUntil) {
      res.setHeader('RateLimit-Limit', '30')
      res.setHeader('RateLimit-Remaining', '0')
      res.setHeader('RateLimit-Reset', String(behaviour.rateLimitUntil))
      return json(res, 429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' })
    }

    let forwardBody = body
    if (nsid in LEGACY) {
      nsid = LEGACY[nsid]!
      if (nsid.endsWith('createSession') && body) {
        const b = JSON.parse(body) as { handle: string; password: string }
        forwardBody = JSON.stringify({ identifier: b.handle, password: b.password })
      }
    }
    if (nsid === 'com.atproto.server.createSession' && behaviour.twoFactor && body) {
      const b = JSON.parse(forwardBody!) as { identifier: string; authFactorToken?: string }
      if (b.identifier === behaviour.twoFactor.identifier) {
        if (b.authFactorToken !== behaviour.twoFactor.code) {
          return json(res, 401, {
            error: 'AuthFactorTokenRequired',
            message: 'A sign in code has been sent to your email address',
          })
        }
        const { authFactorToken: _t, ...rest } = b
        forwardBody = JSON.stringify(rest)
      }
    }

    const upstream = await fetch(new URL(`/xrpc/${nsid}${url.search}`, pdsUrl), {
      method: req.method,
      headers: pick(req.headers, ['authorization', 'content-type']),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : forwardBody,
    })
    const text = await upstream.text()
    const delay = behaviour.delayMs?.get(nsid)
    if (delay) await new Promise((r) => setTimeout(r, delay))
    if (behaviour.hold?.has(nsid)) {
      heldNow.add(nsid)
      for (const ok of heldWaiters.get(nsid) ?? []) ok()
      heldWaiters.delete(nsid)
      await new Promise<void>((go) => holding.push(go))
    }
    if (nsid === 'com.atproto.sync.getRepoStatus' && upstream.ok) {
      const status = JSON.parse(text) as { did: string }
      if (behaviour.suspended?.has(status.did)) return json(res, 200, { ...status, active: false, status: 'suspended' })
    }
    if (!upstream.ok || !isSession || !text) {
      const type = upstream.headers.get('content-type')
      res.writeHead(upstream.status, type ? { 'content-type': type } : {})
      return res.end(text)
    }
    let reply = JSON.parse(text) as Record<string, unknown>
    if (typeof reply.refreshJwt === 'string') issued.push(reply.refreshJwt)
    if (behaviour.opaqueAccess && typeof reply.accessJwt === 'string') {
      reply = { ...reply, accessJwt: `opaque-${Math.random().toString(36).slice(2)}` }
    }
    // Route the account's later calls through us, as an entryway's didDoc would not.
    reply = rewriteDidDoc(reply, `http://127.0.0.1:${port}`)
    if (behaviour.suspended?.has(reply.did as string)) reply = { ...reply, active: false, status: 'suspended' }
    if (behaviour.legacy) {
      const { did, handle, accessJwt, refreshJwt } = reply
      reply = accessJwt ? { did, handle, accessJwt, refreshJwt } : { did, handle }
    }
    switch (behaviour.malformed) {
      case 'missing-fields':
        return json(res, 200, { handle: reply.handle })
      case 'wrong-types':
        return json(res, 200, { ...reply, did: 42, accessJwt: ['x'] })
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' })
        return res.end('<html><body><h1>Welcome to nginx!</h1></body></html>')
      case 'not-json':
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end('{"did": "did:plc:abc", "handle":')
      case 'jwt-without-exp':
        return json(res, 200, { ...reply, accessJwt: unsignedJwt({ sub: reply.did, scope: 'com.atproto.access' }) })
    }
    json(res, 200, reply)
  }

  const listen = () =>
    new Promise<void>((ok) => {
      server = createServer((req, res) => {
        handle(req, res).catch(() => json(res, 502, { error: 'UpstreamFailure', message: 'proxy error' }))
      })
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port
        ok()
      })
    })
  await listen()

  const stop = () =>
    new Promise<void>((ok) => {
      release()
      for (const r of hanging) r.destroy()
      hanging.clear()
      if (!server) return ok()
      server.closeAllConnections()
      server.close(() => ok())
      server = null
    })

  return {
    url: `http://127.0.0.1:${port}`,
    behaviour,
    counts,
    issued,
    presented,
    held,
    release,
    headers,
    stop,
    start: listen,
    close: stop,
  }
}

function rewriteDidDoc(reply: Record<string, unknown>, endpoint: string): Record<string, unknown> {
  const doc = reply.didDoc as { service?: { id: string; serviceEndpoint: string }[] } | undefined
  if (!doc?.service) return reply
  return {
    ...reply,
    didDoc: {
      ...doc,
      service: doc.service.map((s) => (s.id.endsWith('#atproto_pds') ? { ...s, serviceEndpoint: endpoint } : s)),
    },
  }
}

function unsignedJwt(payload: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${enc({ alg: 'HS256', typ: 'at+jwt' })}.${enc(payload)}.c2lnbmF0dXJl`
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function pick(headers: IncomingMessage['headers'], names: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const n of names) if (typeof headers[n] === 'string') out[n] = headers[n]
  return out
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((ok) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => ok(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined))
  })
}
