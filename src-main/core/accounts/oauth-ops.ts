import type { AccountView, OAuthBeginRequest, OAuthBegun } from '../../ipc/contract'
import type { AccountsRuntime } from './account-views'
import { SkyswitchError } from '../errors'
import type { RefreshScheduler } from '../refresh/scheduler'
import type { SessionOperations } from './password-ops'
import { normalizeService } from '../session/service-url'
import { hostingFrom } from '../session/status'
import type { AccountMeta } from '../vault/vault'
import { PUBLIC_CLIENT_SESSION_MS } from '../oauth/client-config'
import type { FetchHandler, OAuthSessions, OAuthSignedIn } from '../oauth/oauth-sessions'
import { expiresAt, tokensOf } from '../oauth/stores'

/** What the account service lends the OAuth operations: its state, policy and schedule. */
export interface AccountHost {
  rt: AccountsRuntime
  ops: SessionOperations
  scheduler: RefreshScheduler
  defaultService: string
  /** Revokes a password session left behind when an account switches to OAuth. */
  revokePassword(pdsUrl: string, refreshJwt: string): Promise<void>
}

/**
 * The account service's operations for OAuth accounts, in place of the
 * password ones. Like SessionOperations, every method (but `begin`, which
 * touches no account) assumes its caller holds the account's turn in the
 * sequencer; failures go through the same policy (SessionOperations.fail).
 */
export class OAuthAccountOps {
  constructor(
    readonly sessions: OAuthSessions,
    private readonly host: AccountHost,
  ) {}

  private get rt() {
    return this.host.rt
  }

  begin(req: OAuthBeginRequest): Promise<OAuthBegun> {
    return this.sessions.begin(req.identifier, normalizeService(req.service ?? this.host.defaultService))
  }

  /** Saves a finished sign-in; an account already listed keeps its place, order and settings. */
  async adopt(s: OAuthSignedIn): Promise<AccountView> {
    const { vault, clock } = this.rt
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
    this.rt.set(s.did, { session: 'signed-in' })
    this.host.ops.scheduleFromToken(s.did)
    this.rt.emitState()
    // Switching from a password: that session is revoked, not left behind.
    if (previous?.auth !== 'oauth' && oldTokens?.refreshJwt) {
      await this.host.revokePassword(previous?.pdsUrl ?? s.pdsUrl, oldTokens.refreshJwt).catch(() => undefined)
    }
    return this.rt.get(s.did)
  }

  /** Refresh through the OAuth client; the vault has the new session before this returns. */
  async refresh(did: string): Promise<AccountView> {
    this.rt.requireTokens(did)
    const before = this.rt.policyState(did)
    this.rt.set(did, { session: 'refreshing' })
    this.rt.emitAccount(did)
    try {
      await this.sessions.refresh(did)
    } catch (err) {
      throw await this.host.ops.fail(did, before, err, 'refresh')
    }
    this.rt.set(did, { session: 'signed-in' })
    this.host.ops.scheduleFromToken(did)
    this.rt.emitAccount(did)
    return this.rt.get(did)
  }

  /** getSession with the DPoP-bound token; an access-token refusal means "refresh once". */
  async check(did: string): Promise<AccountView> {
    this.rt.requireTokens(did)
    const before = this.rt.policyState(did)
    let info
    try {
      info = await this.sessions.check(did)
    } catch (err) {
      if (err instanceof SkyswitchError && err.code === 'SignedOut') return this.refresh(did)
      throw await this.host.ops.fail(did, before, err, 'access')
    }
    const known = this.rt.vault.get(did)
    // The email is outside the granted scope; keep one known from a password sign-in.
    await this.rt.vault.patch(did, {
      handle: info.handle ?? known?.handle,
      email: info.email ?? known?.email,
      emailConfirmed: info.emailConfirmed ?? known?.emailConfirmed,
      hosting: hostingFrom(info),
      lastCheckedAt: this.rt.clock.now(),
    })
    this.rt.set(did, { session: 'signed-in' })
    this.rt.emitAccount(did)
    return this.rt.get(did)
  }

  /** Revokes at the authorization server, then forgets the session (kept if the server could not be asked). */
  async signOut(did: string): Promise<AccountView> {
    if (this.rt.vault.getTokens(did)) await this.revoke(did)
    await this.rt.vault.saveAccount({ ...this.rt.meta(did), signedIn: false }, null)
    this.host.scheduler.unschedule(did)
    this.rt.set(did, { session: 'signed-out' })
    this.rt.emitAccount(did)
    return this.rt.get(did)
  }

  async remove(did: string): Promise<void> {
    if (!this.rt.vault.get(did)) return
    if (this.rt.vault.getTokens(did)) await this.revoke(did).catch(() => undefined)
    await this.rt.vault.remove(did)
    this.host.scheduler.unschedule(did)
    this.rt.forget(did)
    this.rt.emitState()
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
    if (this.rt.vault.get(did)?.auth !== 'oauth' || !this.rt.vault.getTokens(did)) return
    await this.revoke(did).catch(() => undefined)
  }

  fetchHandler(did: string): FetchHandler {
    return this.sessions.fetchHandler(did)
  }

  /** DPoP-bound tokens are useless to a tool: refuse with a pointer to the proxy. */
  refuseToken(did: string): never {
    const handle = this.rt.vault.get(did)?.handle ?? did
    throw new SkyswitchError(
      'TokenBound',
      `${handle} signs in with OAuth: its tokens are bound to Skyswitch (DPoP) and cannot be handed to a tool. Use the local proxy instead: skyswitch exec --proxy -- <command>.`,
    )
  }

  async activate(did: string): Promise<AccountView> {
    const res = await this.fetchHandler(did)('/xrpc/com.atproto.server.activateAccount', { method: 'POST' })
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string }
      throw new SkyswitchError(
        'ServerRefused',
        `The server did not reactivate the account (${body.error ?? res.status}).`,
      )
    }
    return this.check(did)
  }
}
