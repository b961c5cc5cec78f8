/**
 * The one per-account step that turns a tool's credential-free request into
 * one the PDS accepts. Password sessions add `Authorization: Bearer <access
 * token>`; OAuth sessions send through the account's DPoP-signing fetch
 * (a proof per request, nonce and refresh handled by the OAuth client).
 */
import type { AccountService } from '../accounts/account-service'
import { type Clock, systemClock } from '../clock'
import { SkyswitchError } from '../errors'
import type { FetchHandler } from '../oauth/oauth-sessions'
import { keyDigest } from './proxy-keys'

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
  sign(req: { method: string; minValidMs: number }): Promise<SignedRequest>
  /** After a refused attempt: renew what the answer says is stale; true when a retry may succeed. */
  recover(answer: RefusedAnswer, used: SignedRequest): Promise<boolean>
  /** OAuth: signs and sends each request itself (path and query relative to the PDS). */
  send?: FetchHandler
}

/** The upstream for the account's current kind of sign-in. */
export function accountUpstream(accounts: AccountService, did: string, clock: Clock = systemClock): Upstream {
  return accounts.isOAuth(did) ? oauthUpstream(accounts, did, clock) : passwordUpstream(accounts, did)
}

const OAUTH_MIN_VALID_MS = 2 * 60_000

/** An OAuth session: its tokens never leave the app; the OAuth client signs every request. */
export function oauthUpstream(accounts: AccountService, did: string, clock: Clock = systemClock): Upstream {
  return {
    baseUrl: () => accounts.pdsUrl(did).replace(/\/+$/, ''),
    sign: () => Promise.resolve({ headers: {}, credential: '' }),
    // The OAuth client already refreshed and retried once inside `send`.
    recover: () => Promise.resolve(false),
    async send(pathname, init) {
      // A token near expiry is refreshed in the account's turn (so its state and schedule follow),
      // not left to the OAuth client's own refresh inside the fetch; an operation under way
      // (a sign-out, a refresh) ends before the client reads the tokens.
      const { accessExpiresAt } = accounts.get(did)
      if (accessExpiresAt !== undefined && accessExpiresAt - clock.now() < OAUTH_MIN_VALID_MS)
        await accounts.refresh(did)
      else if (accounts.sequencer.busy(did)) await accounts.sequencer.run(did, () => Promise.resolve())
      return accounts.fetchHandler(did)(pathname, init)
    },
  }
}

/** A password (or app-password) session: the access token as the Bearer. */
export function passwordUpstream(accounts: AccountService, did: string): Upstream {
  return {
    baseUrl: () => accounts.pdsUrl(did).replace(/\/+$/, ''),
    async sign({ minValidMs }) {
      const { accessJwt } = await accounts.accessToken(did, minValidMs)
      return { headers: { authorization: `Bearer ${accessJwt}` }, credential: accessJwt }
    },
    async recover(answer, used) {
      if (answer.error !== 'ExpiredToken') return false
      return renewExpired(accounts, did, keyDigest(used.credential))
    },
  }
}

/**
 * After the PDS called a token expired (`used`: that token's hash): renews
 * it, unless another request already did. True when a retry may succeed.
 */
export async function renewExpired(accounts: AccountService, did: string, used: string): Promise<boolean> {
  const current = await accounts.accessToken(did, 0).catch(() => null)
  if (!current) return false
  if (keyDigest(current.accessJwt) !== used) return true
  try {
    await accounts.refresh(did)
    return true
  } catch (err) {
    if (err instanceof SkyswitchError) return false
    throw err
  }
}
