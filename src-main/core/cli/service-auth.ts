/**
 * com.atproto.server.getServiceAuth through the account's upstream (with the
 * same refresh-and-retry-once as the proxy): a short-lived token a tool
 * presents to another service as the user.
 */
import { SkyswitchError } from '../errors'
import type { Upstream } from '../proxy/upstream'

export interface ServiceAuthRequest {
  aud: string
  lxm?: string
  /** Lifetime in seconds from now (the PDS caps it: 60 s without lxm, 1 h with). */
  expSeconds?: number
}

export async function serviceAuth(up: Upstream, req: ServiceAuthRequest, now = Date.now()): Promise<string> {
  const url = new URL(`${up.baseUrl()}/xrpc/com.atproto.server.getServiceAuth`)
  url.searchParams.set('aud', req.aud)
  if (req.lxm) url.searchParams.set('lxm', req.lxm)
  if (req.expSeconds) url.searchParams.set('exp', String(Math.floor(now / 1000) + req.expSeconds))
  for (let attempt = 0; ; attempt++) {
    const signed = await up.sign({ method: 'GET', minValidMs: 60_000 })
    let res: Response
    try {
      const init = { headers: signed.headers, signal: AbortSignal.timeout(30_000) }
      res = up.send ? await up.send(url.pathname + url.search, init) : await fetch(url, init)
    } catch (err) {
      if (err instanceof SkyswitchError) throw err
      throw new SkyswitchError('Offline', "Could not reach the account's PDS.")
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; error?: unknown; message?: unknown }
    if (res.ok && typeof body.token === 'string') return body.token
    if (res.ok) throw new SkyswitchError('MalformedResponse', 'The PDS answered getServiceAuth without a token.')
    const error = typeof body.error === 'string' ? body.error : undefined
    if (attempt === 0 && (await up.recover({ status: res.status, headers: {}, error }, signed))) continue
    const message = typeof body.message === 'string' ? body.message.slice(0, 300) : `HTTP ${res.status}`
    throw new SkyswitchError(
      'ServerRefused',
      `The PDS refused the service-auth token: ${error ?? ''} ${message}`.trim(),
    )
  }
}
