import type { CheckedWith } from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import type { OAuthSessions } from '../oauth/oauth-sessions'
import type { RefreshScheduler } from '../refresh/scheduler'
import { readClaims } from '../session/jwt'
import type { SessionClient } from '../session/session-client'
import type { AccountMeta, Tokens } from '../vault/vault'
import type { AccountViews, Runtime } from './account-views'
import { type AccountState, classify, type Decision, decide, type SessionEvent, type TokenUsed } from './state-machine'

/** A token that does not say when it expires is refreshed as if it lived this long. */
export const ASSUMED_LIFETIME_MS = 60 * 60 * 1000

/** What an operation learned, for `apply` to save with its decision. */
export interface Outcome {
  /** With tokens: 'replace': the new session's account record and tokens. */
  next?: { meta: AccountMeta; tokens: Tokens }
  /** Metadata learned on the way (the check's time, a handle, an email). */
  patch?: Partial<Omit<AccountMeta, 'did'>>
  error?: SkyswitchError
  /** What a check proved. */
  checked?: CheckedWith
  /** The list changed (a sign-in): the whole state is announced, not one account. */
  listChanged?: boolean
}

/** Failures that say the server was not reached: a revocation is tried again later. */
const UNREACHED = new Set<string>(['Offline', 'TimedOut', 'RateLimited', 'Cancelled'])

/** Rotated-away refresh tokens kept (sealed) until their revocation is confirmed. */
const MAX_RETIRED = 16

/**
 * The other half of the state machine: carries out a decision, and is the
 * only code that does: revocations, the vault (persist first), the view,
 * the refresh schedule and the events, in that order. Callers hold the
 * account's turn (docs/ARCHITECTURE.md, "The ownership rule").
 */
export class Applier {
  constructor(
    private readonly views: AccountViews,
    private readonly scheduler: RefreshScheduler,
    private readonly sessions: SessionClient,
    private readonly oauth?: OAuthSessions,
  ) {}

  private get vault() {
    return this.views.vault
  }

  /** A call on the account begins: shown as refreshing. Returns the state to decide its outcome from. */
  async begin(did: string): Promise<AccountState> {
    const before = this.views.stateOf(did)
    await this.apply(did, decide(before, { kind: 'began' }, 'none'))
    return before
  }

  /** Decides what `event` means for the account (from `before`) and carries it out. */
  async settle(
    did: string,
    before: AccountState,
    event: SessionEvent,
    used: TokenUsed,
    outcome: Outcome = {},
  ): Promise<Decision> {
    const d = decide(before, event, used)
    await this.apply(did, d, outcome)
    return d
  }

  /** Carries out the decision for a failed call; returns the typed error to throw. */
  async fail(did: string, before: AccountState, err: unknown, used: TokenUsed): Promise<SkyswitchError> {
    const error = asTyped(err)
    if (!this.vault.get(did)) return error
    await this.settle(did, before, errorEvent(error), used, { error })
    return error
  }

  /** A call whose result was superseded (the tokens changed meanwhile): the account shows what it holds. */
  async superseded(did: string, before: AccountState): Promise<void> {
    const d = decide(before, { kind: 'error', error: 'cancelled' }, 'none')
    await this.apply(did, { ...d, session: this.vault.getTokens(did) ? d.session : 'signed-out' })
  }

  async apply(did: string, d: Decision, o: Outcome = {}): Promise<void> {
    const meta = this.vault.get(did)
    const held = this.vault.getTokens(did)
    if (!meta && d.tokens !== 'replace') return
    // Endings revoke first: a required revocation that fails keeps everything, to be retried.
    if (meta && held && (d.revoke === 'chain' || d.revoke === 'chain-required')) {
      await this.revokeChain(did, meta, held, d.revoke === 'chain-required')
    }
    // Persist first: nothing is used or announced before it is on disk.
    let replaced: { pdsUrl: string; jwts: string[] } | undefined
    switch (d.tokens) {
      case 'replace':
        replaced = await this.replace(did, { ...o.next!.meta, hosting: d.hosting }, o.next!.tokens, meta, held)
        break
      case 'drop':
        await this.vault.saveAccount({ ...meta!, ...o.patch, hosting: d.hosting, signedIn: false }, null)
        break
      case 'forget':
        await this.vault.remove(did)
        break
      case 'keep': {
        const patch = d.hosting === meta!.hosting ? { ...o.patch } : { ...o.patch, hosting: d.hosting }
        if (Object.keys(patch).length > 0) await this.vault.patch(did, patch)
      }
    }
    if (d.tokens === 'forget') this.views.forget(did)
    else this.views.set(did, this.runtime(did, d, o))
    this.schedule(did, d)
    if (d.tokens === 'forget' || o.listChanged) this.views.emitState()
    else this.views.emitAccount(did)
    if (replaced) await this.revokeRetired(did, replaced.pdsUrl, replaced.jwts)
  }

  /** Due a lead before the access token expires, from the local receive time (never the token's own clock). */
  scheduleFromToken(did: string): void {
    const meta = this.vault.get(did)
    const tokens = this.vault.getTokens(did)
    if (!meta || !tokens || meta.scope === 'takendown') return this.scheduler.unschedule(did)
    const lifetime = readClaims(tokens.accessJwt).lifetimeMs
    if (lifetime !== undefined && meta.accessExpiresAt !== undefined) {
      this.scheduler.scheduleToken(did, meta.accessExpiresAt, lifetime)
    } else {
      const since = meta.lastRefreshAt ?? this.scheduler.opts.clock.now()
      this.scheduler.scheduleToken(did, since + ASSUMED_LIFETIME_MS, ASSUMED_LIFETIME_MS)
    }
  }

  private runtime(did: string, d: Decision, o: Outcome): Runtime {
    const prev = this.views.runtimeOf(did)
    if (o.error) {
      return {
        session: d.session,
        retryAt: d.session === 'rate-limited' ? (d.retryAt ?? prev?.retryAt) : undefined,
        lastError: d.recordError ? o.error.toInfo() : prev?.lastError,
      }
    }
    // A new session or a call under way starts clean; other answers keep what was known.
    if (d.tokens === 'replace' || d.session === 'refreshing') return { session: d.session, checked: o.checked }
    return { ...prev, session: d.session, checked: o.checked ?? prev?.checked }
  }

  private schedule(did: string, d: Decision): void {
    switch (d.schedule) {
      case 'from-token':
        return this.scheduleFromToken(did)
      case 'stop':
        return this.scheduler.unschedule(did)
      case 'wait':
        return this.scheduler.scheduleAt(did, d.retryAt ?? this.scheduler.opts.clock.now() + 60_000)
      // backoff: the scheduler backs off its own attempts; a manual one keeps the plan.
    }
  }

  /**
   * Saves a new session in place of the one held. Returns the password
   * refresh tokens it replaced, to revoke once it is on disk; until that is
   * confirmed they stay sealed with the new tokens.
   */
  private async replace(did: string, meta: AccountMeta, tokens: Tokens, old?: AccountMeta, held?: Tokens) {
    const pdsUrl = old?.pdsUrl ?? meta.pdsUrl
    // An OAuth session is revoked through its client, which reads it from the vault: before it is replaced.
    if (held?.oauth && !tokens.oauth) await this.revokeOAuth(did, false)
    const chain = held && !held.oauth ? [...(held.retired ?? []), held.refreshJwt] : []
    const retired = chain.filter((jwt) => jwt && jwt !== tokens.refreshJwt).slice(-MAX_RETIRED)
    // OAuth sessions carry no password tokens: the replaced ones are revoked now, best effort.
    await this.vault.saveAccount(meta, tokens.oauth ? tokens : { ...tokens, retired })
    return { pdsUrl, jwts: retired }
  }

  /** Revokes rotated-away refresh tokens; those the server no longer honours are forgotten too. */
  private async revokeRetired(did: string, pdsUrl: string, jwts: string[]): Promise<void> {
    const gone: string[] = []
    for (const jwt of jwts) if (await this.revokePassword(pdsUrl, jwt, false)) gone.push(jwt)
    if (gone.length > 0) this.vault.dropRetired(did, gone)
  }

  /** Every token of the account's chain the server could still honour. */
  private async revokeChain(did: string, meta: AccountMeta, held: Tokens, required: boolean): Promise<void> {
    if (held.oauth) await this.revokeOAuth(did, required)
    else await this.revokePassword(meta.pdsUrl, held.refreshJwt, required)
    for (const jwt of held.retired ?? []) await this.revokePassword(meta.pdsUrl, jwt, false)
  }

  /**
   * True when the token is revoked, or asking again cannot help (the server
   * no longer honours it, or refuses to revoke it). False, or a throw when
   * `required`, only when the server could not be asked: to be tried again.
   */
  private async revokePassword(pdsUrl: string, jwt: string, required: boolean): Promise<boolean> {
    try {
      await this.sessions.deleteSession(pdsUrl, jwt)
      return true
    } catch (err) {
      if (!(err instanceof SkyswitchError) || !UNREACHED.has(err.code)) return true
      if (required) throw err
      return false
    }
  }

  private async revokeOAuth(did: string, required: boolean): Promise<void> {
    if (!this.oauth) return
    try {
      await this.oauth.revoke(did)
    } catch (err) {
      if (required && !(err instanceof SkyswitchError && err.code === 'SignedOut')) throw err
    }
  }
}

export function asTyped(err: unknown): SkyswitchError {
  return err instanceof SkyswitchError
    ? err
    : new SkyswitchError('Internal', 'The call failed unexpectedly.', { key: 'accounts.failed' })
}

export function errorEvent(err: SkyswitchError): SessionEvent {
  return { kind: 'error', error: classify(err.code, err.message), retryAt: err.retryAt }
}

/** Until when the held access token is believed valid, in local time. */
export function validUntil(meta: AccountMeta): number {
  return meta.accessExpiresAt ?? (meta.lastRefreshAt ?? 0) + ASSUMED_LIFETIME_MS
}
