import type { AccountView, ErrorInfo, OAuthBeginRequest, OAuthBegun, SessionState } from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import type { Clock } from '../refresh/clock'
import { normalizeService } from '../session/service-url'
import { hostingFrom } from '../session/status'
import type { AccountMeta, Vault } from '../vault/vault'
import { PUBLIC_CLIENT_SESSION_MS } from './client-config'
import type { FetchHandler, OAuthSessions } from './oauth-sessions'
import { expiresAt, tokensOf } from './stores'

/** What the account service lends the OAuth operations (its state and events). */
export interface AccountHost {
  vault: Vault
  clock: Clock
  defaultService: string
  setRuntime(did: string, rt: { session: SessionState; lastError?: ErrorInfo }): void
  /** Scheduled, announced: after a new session is saved. */
  signedIn(did: string): void
  emitAccount(did: string): void
  /** Revokes a password session left behind when an account switches to OAuth. */
  revokePassword(pdsUrl: string, refreshJwt: string): Promise<void>
  get(did: string): AccountView
}

/**
 * The account service's operations for OAuth accounts. The account service
 * keeps one owner per account and calls these in place of the password
 * calls; errors come back typed for its usual state table.
 */
export class OAuthAccountOps {
  constructor(
    readonly sessions: OAuthSessions,
    private readonly host: AccountHost,
  ) {}

  begin(req: OAuthBeginRequest): Promise<OAuthBegun> {
    return this.sessions.begin(req.identifier, normalizeService(req.service ?? this.host.defaultService))
  }

  /** Saves a finished sign-in; an account already listed keeps its place, order and settings. */
  async finish(attemptId: string): Promise<AccountView> {
    const s = await this.sessions.finish(attemptId)
    const { vault, clock } = this.host
    const previous = vault.get(s.did)
    const oldTokens = vault.getTokens(s.did)
    const now = clock.now()
    const meta: AccountMeta = {
      ...(previous ?? {}),
      did: s.did,
      handle: s.handle,
      service: s.issuer,
      pdsUrl: s.pdsUrl,
      email: s.info.email ?? previous?.email,
      emailConfirmed: s.info.emailConfirmed ?? previous?.emailConfirmed,
      hosting: hostingFrom(s.info),
      signedIn: true,
      auth: 'oauth',
      scope: 'full',
      accessExpiresAt: expiresAt(s.session),
      refreshExpiresAt: now + PUBLIC_CLIENT_SESSION_MS,
      lastRefreshAt: now,
      lastCheckedAt: now,
    }
    await vault.saveAccount(meta, tokensOf(s.session))
    this.host.signedIn(s.did)
    // Switching from a password: that session is revoked, not left behind.
    if (previous?.auth !== 'oauth' && oldTokens?.refreshJwt) {
      void this.host.revokePassword(previous?.pdsUrl ?? s.pdsUrl, oldTokens.refreshJwt).catch(() => undefined)
    }
    return this.host.get(s.did)
  }

  /** Refresh through the OAuth client; the vault has the new session before this returns. */
  async refresh(did: string): Promise<void> {
    await this.sessions.refresh(did)
  }

  async check(did: string): Promise<AccountView> {
    const info = await this.sessions.check(did)
    const known = this.host.vault.get(did)
    // The email is outside the granted scope; keep one known from a password sign-in.
    await this.host.vault.patch(did, {
      handle: info.handle ?? known?.handle,
      email: info.email ?? known?.email,
      emailConfirmed: info.emailConfirmed ?? known?.emailConfirmed,
      hosting: hostingFrom(info),
      lastCheckedAt: this.host.clock.now(),
    })
    this.host.setRuntime(did, { session: 'signed-in' })
    this.host.emitAccount(did)
    return this.host.get(did)
  }

  /** Token revocation at the authorization server; an already-ended session is what we wanted. */
  async revoke(did: string): Promise<void> {
    try {
      await this.sessions.revoke(did)
    } catch (err) {
      if (!(err instanceof SkyswitchError) || err.code !== 'SignedOut') throw err
    }
  }

  /** Before a password sign-in replaces an OAuth session: revoke it, best effort. */
  async revokeQuietly(did: string): Promise<void> {
    if (this.host.vault.get(did)?.auth !== 'oauth' || !this.host.vault.getTokens(did)) return
    await this.revoke(did).catch(() => undefined)
  }

  fetchHandler(did: string): FetchHandler {
    return this.sessions.fetchHandler(did)
  }

  /** DPoP-bound tokens are useless to a tool: refuse with a pointer to the proxy. */
  refuseToken(did: string): never {
    const handle = this.host.vault.get(did)?.handle ?? did
    throw new SkyswitchError(
      'TokenBound',
      `${handle} signs in with OAuth: its tokens are bound to Skyswitch (DPoP) and cannot be handed to a tool. Use the local proxy instead: skyswitch exec --proxy -- <command>.`,
    )
  }

  async activate(did: string): Promise<void> {
    const res = await this.fetchHandler(did)('/xrpc/com.atproto.server.activateAccount', { method: 'POST' })
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string }
      throw new SkyswitchError(
        'ServerRefused',
        `The server did not reactivate the account (${body.error ?? res.status}).`,
      )
    }
  }
}
