/**
 * The one per-account step that turns a tool's credential-free request into
 * one the PDS accepts. Password sessions add `Authorization: Bearer <access
 * token>`; an OAuth session would sign a DPoP proof per request instead, and
 * plugs in here as another Upstream.
 */
import type { AccountService } from '../accounts'
import { SkyswitchError } from '../errors'

export interface SignedRequest {
  /** Headers to add to this attempt (never forwarded from the tool). */
  headers: Record<string, string>
  /** Opaque: handed back to `recover` so it can tell whether the credential changed since. */
  credential: string
}

export interface RefusedAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The XRPC error name in the answer's JSON body, if any. */
  error?: string
}

export interface Upstream {
  /** Where the account's XRPC calls go (its PDS), without a trailing slash. */
  baseUrl(): string
  /** Credentials for one attempt, valid for at least `minValidMs`. */
  sign(req: { method: string; url: URL; minValidMs: number }): Promise<SignedRequest>
  /** After a refused attempt: renew what the answer says is stale; true when a retry may succeed. */
  recover(answer: RefusedAnswer, used: SignedRequest): Promise<boolean>
}

/** A password (or app-password) session: the access token as the Bearer. */
export function passwordUpstream(accounts: AccountService, did: string): Upstream {
  return {
    baseUrl: () => accounts.get(did).pdsUrl.replace(/\/+$/, ''),
    async sign({ minValidMs }) {
      const { accessJwt } = await accounts.accessToken(did, minValidMs)
      return { headers: { authorization: `Bearer ${accessJwt}` }, credential: accessJwt }
    },
    async recover(answer, used) {
      if (answer.error !== 'ExpiredToken') return false
      // Another request may already have refreshed: refresh only if the token is still the one refused.
      const current = await accounts.accessToken(did, 0).catch(() => null)
      if (!current) return false
      if (current.accessJwt !== used.credential) return true
      try {
        await accounts.refresh(did)
        return true
      } catch (err) {
        if (err instanceof SkyswitchError) return false
        throw err
      }
    },
  }
}
