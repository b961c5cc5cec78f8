import type { AccountView, OAuthBeginRequest, OAuthBegun } from '../../ipc/contract'
import type { Clock } from '../clock'
import { SkyswitchError } from '../errors'
import { PUBLIC_CLIENT_SESSION_MS } from '../oauth/client-config'
import type { FetchHandler, OAuthSessions, OAuthSignedIn } from '../oauth/oauth-sessions'
import { expiresAt, tokensOf } from '../oauth/stores'
import { normalizeService } from '../session/service-url'
import { hostingFrom } from '../session/status'
import type { AccountMeta } from '../vault/vault'
import type { AccountViews } from './account-views'
import type { Applier } from './apply'

/**
 * The session calls of OAuth accounts, in place of the password ones. Like
 * PasswordOps, every method (but `begin`, which touches no account) assumes
 * its caller holds the account's turn, and hands every outcome to the same
 * state machine.
 */
export class OAuthOps {
  constructor(
    readonly sessions: OAuthSessions,
    private readonly views: AccountViews,
    private readonly applier: Applier,
    private readonly clock: Clock,
    private readonly defaultService: string,
  ) {}

  begin(req: OAuthBeginRequest): Promise<OAuthBegun> {
    return this.sessions.begin(req.identifier, normalizeService(req.service ?? this.defaultService))
  }

  /** Saves a finished sign-in; an account already listed keeps its place, order and settings. */
  async adopt(s: OAuthSignedIn): Promise<AccountView> {
    const previous = this.views.vault.get(s.did)
    const before = previous
      ? this.views.stateOf(s.did)
      : ({ session: 'signed-out', hosting: 'active', scope: 'unknown' } as const)
    const now = this.clock.now()
    const meta: AccountMeta = {
      ...(previous ?? {}),
      did: s.did,
      handle: s.handle,
      service: s.issuer,
      pdsUrl: s.pdsUrl,
      email: s.info.email ?? previous?.email,
      emailConfirmed: s.info.emailConfirmed ?? previous?.emailConfirmed,
      hosting: previous?.hosting ?? 'active',
      signedIn: true,
      auth: 'oauth',
      scope: 'full',
      accessExpiresAt: expiresAt(s.session),
      refreshExpiresAt: now + PUBLIC_CLIENT_SESSION_MS,
      lastRefreshAt: now,
      lastCheckedAt: now,
    }
    const next = { meta, tokens: tokensOf(s.session) }
    await this.applier.settle(s.did, before, { kind: 'reply', hosting: hostingFrom(s.info) }, 'login', {
      next,
      listChanged: true,
    })
    return this.views.get(s.did)
  }

  /** Refresh through the OAuth client, which saves the new session in the vault before returning it. */
  async refresh(did: string): Promise<AccountView> {
    this.views.requireTokens(did)
    const before = await this.applier.begin(did)
    try {
      await this.sessions.refresh(did)
    } catch (err) {
      throw await this.applier.fail(did, before, err, 'refresh')
    }
    const meta = this.views.meta(did)
    const tokens = this.views.requireTokens(did)
    const next = { meta: { ...meta, lastCheckedAt: meta.lastRefreshAt }, tokens }
    await this.applier.settle(did, before, { kind: 'reply' }, 'refresh', { next })
    return this.views.get(did)
  }

  /** getSession with the DPoP-bound token; an access-token refusal means "refresh once". */
  async check(did: string): Promise<AccountView> {
    this.views.requireTokens(did)
    const before = this.views.stateOf(did)
    let info
    try {
      info = await this.sessions.check(did)
    } catch (err) {
      if (err instanceof SkyswitchError && err.code === 'SignedOut') return this.refresh(did)
      throw await this.applier.fail(did, before, err, 'access')
    }
    const known = this.views.meta(did)
    // The email is outside the granted scope; keep one known from a password sign-in.
    await this.applier.settle(did, before, { kind: 'reply', hosting: hostingFrom(info) }, 'access', {
      patch: {
        handle: info.handle ?? known.handle,
        email: info.email ?? known.email,
        emailConfirmed: info.emailConfirmed ?? known.emailConfirmed,
        lastCheckedAt: this.clock.now(),
      },
    })
    return this.views.get(did)
  }

  fetchHandler(did: string): FetchHandler {
    return this.sessions.fetchHandler(did)
  }

  /** DPoP-bound tokens are useless to a tool: refuse with a pointer to the proxy. */
  refuseToken(did: string): never {
    const handle = this.views.vault.get(did)?.handle ?? did
    throw new SkyswitchError(
      'TokenBound',
      `${handle} signs in with OAuth: its tokens are bound to Skyswitch (DPoP) and cannot be handed to a tool. Use the local proxy instead: skyswitch exec --proxy -- <command>.`,
      { key: 'oauth.tokenBound', params: { handle } },
    )
  }

  async activate(did: string): Promise<AccountView> {
    const res = await this.fetchHandler(did)('/xrpc/com.atproto.server.activateAccount', { method: 'POST' })
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string }
      throw new SkyswitchError(
        'ServerRefused',
        `The server did not reactivate the account (${body.error ?? res.status}).`,
        { key: 'accounts.notReactivated', params: { reason: String(body.error ?? res.status) } },
      )
    }
    return this.check(did)
  }
}
