import type {
  AccountView,
  AppNotice,
  AppState,
  CheckedWith,
  ErrorInfo,
  SessionState,
  StorageInfo,
  TokenPersistence,
} from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import type { Clock } from '../clock'
import type { AccountState } from './state-machine'
import type { AccountMeta, Tokens, Vault } from '../vault/vault'

export interface Runtime {
  session: SessionState
  retryAt?: number
  lastError?: ErrorInfo
  checked?: CheckedWith
}

type Listener = {
  state: (s: AppState) => void
  account: (a: AccountView) => void
}

/**
 * What the accounts look like right now: the vault's metadata plus each
 * account's in-memory session state, the listeners, and the views and
 * events built from them. Holds no policy and makes no calls; only
 * `apply` (./apply.ts) changes an account's session state.
 */
export class AccountViews {
  private readonly runtime = new Map<string, Runtime>()
  private readonly listeners = { state: new Set<Listener['state']>(), account: new Set<Listener['account']>() }
  readonly notices: AppNotice[]
  online = true

  constructor(
    readonly vault: Vault,
    readonly clock: Clock,
    private readonly shown: Pick<AppState, 'mode' | 'clipboardClearSeconds' | 'defaultService' | 'demo'>,
  ) {
    this.notices = [...vault.notices]
    for (const a of vault.list()) this.runtime.set(a.did, { session: a.signedIn ? 'signed-in' : 'signed-out' })
  }

  state(): AppState {
    return {
      accounts: this.vault.list().map((m) => this.view(m)),
      activeDid: this.vault.activeDid,
      storage: this.vault.storage,
      notices: [...this.notices],
      online: this.online,
      ...this.shown,
    }
  }

  view(meta: AccountMeta): AccountView {
    const rt = this.runtime.get(meta.did) ?? { session: meta.signedIn ? 'signed-in' : 'signed-out' }
    const { signedIn: _s, ...rest } = meta
    const view: AccountView = { ...rest, session: rt.session, retryAt: rt.retryAt, lastError: rt.lastError }
    if (rt.checked) view.lastCheckedWith = rt.checked
    return this.extras ? { ...view, ...this.extras(meta.did) } : view
  }

  /** In-memory extras merged into every view (unread counts, AppView standing). */
  extras?: (did: string) => Partial<AccountView>

  get(did: string): AccountView {
    return this.view(this.meta(did))
  }

  runtimeOf(did: string): Runtime | undefined {
    return this.runtime.get(did)
  }

  set(did: string, rt: Runtime): void {
    this.runtime.set(did, rt)
  }

  forget(did: string): void {
    this.runtime.delete(did)
  }

  /** What the state machine decides from. */
  stateOf(did: string): AccountState {
    const meta = this.meta(did)
    return {
      session: this.runtime.get(did)?.session ?? 'signed-out',
      hosting: meta.hosting,
      scope: meta.scope,
      auth: meta.auth,
    }
  }

  meta(did: string): AccountMeta {
    const m = this.vault.get(did)
    if (!m) throw new SkyswitchError('NotFound', 'That account is not on this device.', { key: 'accounts.notOnDevice' })
    return m
  }

  requireTokens(did: string): Tokens {
    const t = this.vault.getTokens(did)
    if (!t)
      throw new SkyswitchError('SignedOut', `${this.meta(did).handle} is signed out; sign in again.`, {
        key: 'accounts.signedOut',
        params: { handle: this.meta(did).handle },
      })
    return t
  }

  findByHandleOrDid(key: string): AccountView | undefined {
    const k = key.replace(/^@/, '').toLowerCase()
    const meta = this.vault.list().find((a) => a.did === key || a.handle.toLowerCase() === k)
    return meta ? this.view(meta) : undefined
  }

  on<K extends keyof Listener>(event: K, listener: Listener[K]): () => void {
    const set = this.listeners[event] as Set<Listener[K]>
    set.add(listener)
    return () => void set.delete(listener)
  }

  emitAccount(did: string): void {
    const meta = this.vault.get(did)
    if (!meta) return
    const v = this.view(meta)
    for (const l of this.listeners.account) l(v)
  }

  emitState(): void {
    const s = this.state()
    for (const l of this.listeners.state) l(s)
  }

  // ---- list management: no session is touched ---------------------------------

  async setActive(did: string): Promise<void> {
    await this.vault.setActive(did)
    this.emitState()
  }

  async reorder(dids: string[]): Promise<void> {
    await this.vault.setOrder(dids)
    this.emitState()
  }

  async choosePersistence(p: TokenPersistence): Promise<StorageInfo> {
    await this.vault.setPersistence(p)
    this.emitState()
    return this.vault.storage
  }

  dismissNotice(id: string): void {
    const i = this.notices.findIndex((n) => n.id === id)
    if (i >= 0) this.notices.splice(i, 1)
    this.emitState()
  }
}
