import { decodeJwt } from 'jose'
import type { TokenScope } from '../../ipc/contract'

/**
 * What a token says about itself, if anything. Tokens are opaque by the
 * spec: a token that is not a readable JWT, or lacks exp/iat, is accepted
 * and simply has no known lifetime.
 */
export interface TokenClaims {
  /** exp - iat in ms, when both are present and sane. */
  lifetimeMs?: number
  scope: TokenScope
  sub?: string
}

/** Reads exp/iat/scope of a token we were given; never verifies (not ours to) and never throws. */
export function readClaims(token: string): TokenClaims {
  let payload: ReturnType<typeof decodeJwt>
  try {
    payload = decodeJwt(token)
  } catch {
    return { scope: 'unknown' }
  }
  const { exp, iat } = payload
  const lifetime =
    typeof exp === 'number' && typeof iat === 'number' && Number.isFinite(exp - iat) && exp > iat
      ? (exp - iat) * 1000
      : undefined
  return {
    lifetimeMs: lifetime,
    scope: scopeOf(payload.scope),
    sub: typeof payload.sub === 'string' ? payload.sub : undefined,
  }
}

/**
 * When a token received at `receivedAt` (local clock) expires, in local
 * time: receive time plus its lifetime, so a skewed local clock changes
 * nothing. Undefined when the token does not say.
 */
export function localExpiry(token: string, receivedAt: number): number | undefined {
  const { lifetimeMs } = readClaims(token)
  return lifetimeMs === undefined ? undefined : receivedAt + lifetimeMs
}

function scopeOf(scope: unknown): TokenScope {
  switch (scope) {
    case 'com.atproto.access':
      return 'full'
    case 'com.atproto.appPass':
    case 'com.atproto.appPassPrivileged':
      return 'app-password'
    case 'com.atproto.takendown':
      return 'takendown'
    default:
      return 'unknown'
  }
}
