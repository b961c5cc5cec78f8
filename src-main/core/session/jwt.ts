import { decodeJwt } from 'jose'
import type { TokenScope } from '../../ipc/contract'
import { SkyswitchError } from '../errors'

export interface TokenClaims {
  /** Epoch ms. */
  expiresAt: number
  issuedAt?: number
  scope: TokenScope
  sub?: string
}

/** Reads exp/iat/scope of a token we were given; never verifies (not ours to). */
export function readClaims(token: string, what: 'access' | 'refresh'): TokenClaims {
  let payload: ReturnType<typeof decodeJwt>
  try {
    payload = decodeJwt(token)
  } catch {
    throw new SkyswitchError('MalformedResponse', `The server sent an unreadable ${what} token.`)
  }
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
    throw new SkyswitchError('MalformedResponse', `The server sent a ${what} token without an expiry.`)
  }
  return {
    expiresAt: payload.exp * 1000,
    issuedAt: typeof payload.iat === 'number' ? payload.iat * 1000 : undefined,
    scope: scopeOf(payload.scope),
    sub: typeof payload.sub === 'string' ? payload.sub : undefined,
  }
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
