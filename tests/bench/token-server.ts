/**
 * A PDS stand-in for the simulated day: it issues 2 h access tokens on a fake
 * clock and answers ExpiredToken once one has lapsed on that clock, so a day
 * runs in seconds. (The real PDS signs `exp` with the wall clock, which a
 * fake clock cannot move.) It answers only the calls the day needs, and the
 * refreshes that checking many accounts makes (the proxy bench's busy app).
 */
import { createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FakeClock } from '../support/fake-clock'

export const DAY_DID = 'did:plc:dayaaaaaaaaaaaaaaaaaaaaa'
export const DAY_HANDLE = 'day.test'
const LIFETIME_S = 2 * 60 * 60

function jwt(claims: object): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const head = `${enc({ alg: 'HS256', typ: 'at+jwt' })}.${enc(claims)}`
  return `${head}.${createHmac('sha256', 'day').update(head).digest('base64url')}`
}

export async function startTokenServer(clock: FakeClock) {
  /** Each live refresh token's id -> the account it was issued to. */
  const live = new Map<string, { did: string; handle: string }>()
  const counts = { requests: 0, expired: 0, byNsid: new Map<string, number>() }
  /** A session for the day's account, or for any other (the proxy bench's 1,000 accounts). */
  const issue = (did = DAY_DID, handle = DAY_HANDLE) => {
    const now = Math.floor(clock.now() / 1000)
    const jti = randomUUID()
    live.set(jti, { did, handle })
    return {
      did,
      handle,
      accessJwt: jwt({ scope: 'com.atproto.access', sub: did, iat: now, exp: now + LIFETIME_S }),
      refreshJwt: jwt({ scope: 'com.atproto.refresh', sub: did, jti, iat: now, exp: now + 90 * 86400 }),
      active: true,
    }
  }
  const server = createServer((req, res) => {
    counts.requests++
    const nsid = req.url!.split('?')[0]!.replace('/xrpc/', '')
    counts.byNsid.set(nsid, (counts.byNsid.get(nsid) ?? 0) + 1)
    const token = (req.headers.authorization ?? '').replace('Bearer ', '')
    const claims = token.includes('.')
      ? (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; jti?: string })
      : null
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    req.resume()
    req.on('end', () => {
      if (nsid === 'com.atproto.server.createSession') return send(200, issue())
      if (nsid === 'com.atproto.server.refreshSession') {
        const owner = claims?.jti ? live.get(claims.jti) : undefined
        if (!owner) return send(400, { error: 'ExpiredToken', message: 'revoked' })
        live.delete(claims!.jti!)
        return send(200, issue(owner.did, owner.handle))
      }
      if (nsid === 'com.atproto.server.getSession') {
        if (!claims) return send(401, { error: 'AuthenticationRequired', message: 'no token' })
        if (claims.exp * 1000 <= clock.now()) {
          counts.expired++
          return send(400, { error: 'ExpiredToken', message: 'Token has expired' })
        }
        return send(200, { did: DAY_DID, handle: DAY_HANDLE, active: true })
      }
      send(404, { error: 'XRPCNotSupported', message: 'not in this stand-in' })
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    issue,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}
