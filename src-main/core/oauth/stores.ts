import type {
  NodeSavedSession,
  NodeSavedSessionStore,
  NodeSavedState,
  NodeSavedStateStore,
} from '@atproto/oauth-client-node'
import type { Clock } from '../clock'
import type { OAuthSessionData, Vault } from '../vault/vault'

/**
 * Pending authorizations (PKCE verifier, DPoP key) live in memory only, for
 * the minutes one sign-in lasts; nothing of them is ever written to disk.
 */
export class MemoryStateStore implements NodeSavedStateStore {
  private readonly states = new Map<string, NodeSavedState>()
  async set(key: string, value: NodeSavedState): Promise<void> {
    this.states.set(key, value)
  }
  async get(key: string): Promise<NodeSavedState | undefined> {
    return this.states.get(key)
  }
  async del(key: string): Promise<void> {
    this.states.delete(key)
  }
  /** The state of the one authorization this store holds. */
  onlyKey(): string | undefined {
    return this.states.size === 1 ? [...this.states.keys()][0] : undefined
  }
}

/**
 * The OAuth client's session store on top of the vault: the whole session
 * (tokens and the DPoP private key) is sealed like a password session.
 *
 * - A refresh of an account the vault already holds as OAuth is written
 *   through (persist first: the client uses new tokens only after `set`).
 * - A session from a new sign-in waits in memory until the account service
 *   saves the account with it (`take`).
 * - `del` never drops tokens from the vault: the client deletes on any error,
 *   network failures included, and only the account service decides when a
 *   session has ended (docs/ARCHITECTURE.md, "The state machine": only revoked/expired/takedown drop tokens).
 */
export class VaultSessionStore implements NodeSavedSessionStore {
  private readonly pending = new Map<string, NodeSavedSession>()

  constructor(
    private readonly vault: Vault,
    private readonly clock: Clock,
  ) {}

  async set(did: string, session: NodeSavedSession): Promise<void> {
    const meta = this.vault.get(did)
    if (meta?.auth === 'oauth' && this.vault.getTokens(did)?.oauth && !this.pending.has(did)) {
      await this.vault.saveAccount(
        {
          ...meta,
          accessExpiresAt: expiresAt(session) ?? meta.accessExpiresAt,
          lastRefreshAt: this.clock.now(),
          signedIn: true,
        },
        tokensOf(session),
      )
      return
    }
    this.pending.set(did, session)
  }

  async get(did: string): Promise<NodeSavedSession | undefined> {
    const pending = this.pending.get(did)
    if (pending) return pending
    if (this.vault.get(did)?.auth !== 'oauth') return undefined
    return this.vault.getTokens(did)?.oauth as NodeSavedSession | undefined
  }

  async del(did: string): Promise<void> {
    this.pending.delete(did)
  }

  /** Hands a new sign-in's session to the caller that will save it. */
  take(did: string): NodeSavedSession | undefined {
    const s = this.pending.get(did)
    this.pending.delete(did)
    return s
  }
}

/**
 * The client's cache of a provider's metadata (60 s, like the library's
 * default) on the core's clock rather than the library's own timer, so the
 * expiry follows the one clock every other part of the core reads.
 */
export class ClockTtlStore<V extends NonNullable<unknown> | null> {
  private readonly entries = new Map<string, { value: V; until: number }>()

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (this.clock.now() < e.until) return e.value
    this.entries.delete(key)
    return undefined
  }
  set(key: string, value: V): void {
    this.entries.set(key, { value, until: this.clock.now() + this.ttlMs })
  }
  del(key: string): void {
    this.entries.delete(key)
  }
  clear(): void {
    this.entries.clear()
  }
}

export function expiresAt(session: NodeSavedSession): number | undefined {
  const at = session.tokenSet.expires_at
  return at ? Date.parse(at) : undefined
}

export function tokensOf(session: NodeSavedSession) {
  return {
    accessJwt: session.tokenSet.access_token,
    refreshJwt: session.tokenSet.refresh_token ?? '',
    oauth: session as unknown as OAuthSessionData,
  }
}
