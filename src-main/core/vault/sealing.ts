/**
 * Tokens in and out of the cipher: the sealed form of a token pair, and
 * unsealing every saved account at start.
 */
import type { AppNotice } from '../../ipc/contract'
import type { TokenCipher } from './cipher'
import type { VaultData } from './vault-schema'

export interface Tokens {
  accessJwt: string
  refreshJwt: string
  /** OAuth accounts: the whole client session (DPoP private key included), sealed with the tokens. */
  oauth?: OAuthSessionData
  /**
   * Password sessions: refresh tokens rotated away whose revocation is not
   * confirmed yet (the PDS honours one for 2 h after rotation).
   */
  retired?: string[]
}

/** @atproto/oauth-client-node's saved session, as JSON: opaque to the vault. */
export type OAuthSessionData = Record<string, unknown>

export function sealTokens(cipher: TokenCipher, t: Tokens): Promise<string> {
  return cipher.encrypt(packTokens(t))
}

export interface OpenedSeals {
  tokens: Map<string, Tokens>
  notices: AppNotice[]
  /** What to write now (backend recorded, sign-outs, re-sealed tokens), or null. */
  next: VaultData | null
}

/**
 * Decrypts every sealed entry; one that cannot be read signs out only that
 * account (the file is kept as a backup), and a backend that cannot read
 * what another one sealed is its own notice, not a silent sign-out.
 */
export async function openSeals(
  data: VaultData,
  cipher: TokenCipher,
  opts: { mustWrite: boolean; stamp: () => string; keepBackup: () => string },
): Promise<OpenedSeals> {
  const recorded = data.backend
  const current = { id: cipher.backend, name: cipher.backendName }
  const backendChanged = recorded !== null && (recorded.id !== current.id || recorded.name !== current.name)
  const tokens = new Map<string, Tokens>()
  const failed: string[] = []
  const reseal: string[] = []
  for (const account of Object.values(data.accounts)) {
    if (!account.sealedTokens) continue
    try {
      const { plain, shouldReEncrypt } = await cipher.decrypt(account.sealedTokens)
      tokens.set(account.did, unpackTokens(plain))
      if (shouldReEncrypt || backendChanged) reseal.push(account.did)
    } catch {
      failed.push(account.handle)
    }
  }
  const stale = Object.values(data.accounts).some((a) => a.signedIn !== (!!a.sealedTokens && tokens.has(a.did)))
  const unchanged = !stale && reseal.length === 0 && recorded?.id === current.id && recorded.name === current.name
  if (unchanged && !opts.mustWrite) return { tokens, notices: [], next: null }

  const next = structuredClone(data)
  next.backend = current
  for (const a of Object.values(next.accounts)) {
    if (a.sealedTokens && !tokens.has(a.did)) {
      delete a.sealedTokens
      a.signedIn = false
    }
    if (!a.sealedTokens) a.signedIn = tokens.has(a.did)
  }
  for (const did of reseal) next.accounts[did]!.sealedTokens = await sealTokens(cipher, tokens.get(did)!)
  const notices: AppNotice[] = []
  if (failed.length > 0) {
    const backup = opts.keepBackup()
    const who = failed.join(', ')
    notices.push(
      backendChanged
        ? {
            id: `backend-${opts.stamp()}`,
            kind: 'backend-changed',
            message: `Saved sign-ins were protected with ${recorded?.name}, and this session uses ${current.name}, which cannot read them. Sign in again to ${who}. The old file was kept as ${backup}.`,
            key: 'backendChanged',
            params: { recorded: String(recorded?.name), current: current.name, who: failed, path: backup },
          }
        : {
            id: `unreadable-${opts.stamp()}`,
            kind: 'vault-recovered',
            message: `The saved sign-in of ${who} could not be decrypted; sign in again. The old file was kept as ${backup}.`,
            key: 'unreadable',
            params: { who: failed, path: backup },
          },
    )
  }
  return { tokens, notices, next }
}

/**
 * The sealed plaintext: the tokens joined by spaces (JWTs never contain one):
 * access, refresh, then any retired refresh tokens; or for OAuth `oauth:`
 * and the client session as base64url JSON.
 */
function packTokens(t: Tokens): string {
  if (t.oauth) return `${OAUTH_PREFIX}${Buffer.from(JSON.stringify(t.oauth)).toString('base64url')}`
  return [t.accessJwt, t.refreshJwt, ...(t.retired ?? [])].join(' ')
}

const OAUTH_PREFIX = 'oauth:'

function unpackTokens(plain: string): Tokens {
  if (plain.startsWith(OAUTH_PREFIX)) {
    const oauth = JSON.parse(Buffer.from(plain.slice(OAUTH_PREFIX.length), 'base64url').toString('utf8')) as {
      tokenSet?: { access_token?: unknown; refresh_token?: unknown }
    }
    const access = oauth?.tokenSet?.access_token
    if (typeof access !== 'string') throw new Error('not an OAuth session')
    const refresh = oauth.tokenSet?.refresh_token
    return { accessJwt: access, refreshJwt: typeof refresh === 'string' ? refresh : '', oauth }
  }
  if (plain.startsWith('{')) {
    // Schema 1 sealed a JSON object.
    const o = JSON.parse(plain) as Partial<Tokens>
    if (typeof o.accessJwt !== 'string' || typeof o.refreshJwt !== 'string') throw new Error('not a token pair')
    return { accessJwt: o.accessJwt, refreshJwt: o.refreshJwt }
  }
  const [accessJwt, refreshJwt, ...retired] = plain.split(' ')
  if (!accessJwt || !refreshJwt || retired.some((t) => !t)) throw new Error('not a token pair')
  return retired.length > 0 ? { accessJwt, refreshJwt, retired } : { accessJwt, refreshJwt }
}
