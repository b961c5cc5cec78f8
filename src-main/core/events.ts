import type { AppState, EventName, EventPayloads, ProxyStatus, Revisioned, UpdateState } from '../ipc/contract'
import type { AccountService } from './accounts/account-service'

/** The events the core sends (the shell adds its own, such as the menu's settings:open). */
export type CoreEventName = Extract<EventName, 'state:changed' | 'account:changed' | 'proxy:changed' | 'update:changed'>
export type AnyEventListener = <E extends CoreEventName>(event: E, payload: EventPayloads[E]) => void

/**
 * What main tells the renderer, stamped in one place with one increasing
 * revision: every event, and every getState reply (the revision of the last
 * event sent before it). The Electron shell and browser mode both send from
 * here, so the renderer can drop a snapshot older than what it has.
 */
export class CoreEvents {
  private revision = 0
  private readonly listeners = new Set<AnyEventListener>()
  private readonly offs: (() => void)[]

  constructor(
    accounts: AccountService,
    /** The whole state as the window sees it (the account service's, plus settings). */
    private readonly state: () => AppState = () => accounts.state(),
    /** Says every message in a payload in the window's language (src-main/i18n/window.ts). */
    private readonly localize: <T>(payload: T) => T = (p) => p,
  ) {
    this.offs = [
      accounts.on('state', () => this.stateChanged()),
      accounts.on('account', (a) => this.emit('account:changed', { ...a, revision: ++this.revision })),
    ]
  }

  /** The whole state now. */
  snapshot(): EventPayloads['state:changed'] & Revisioned {
    return this.localize({ ...this.state(), revision: this.revision })
  }

  /** Something outside the account service changed the state (settings): send it whole. */
  stateChanged(): void {
    this.emit('state:changed', { ...this.state(), revision: ++this.revision })
  }

  /** The proxy started or stopped (the UI, the CLI, or a restart of its thread). */
  proxyChanged(status: ProxyStatus): void {
    this.emit('proxy:changed', { ...status, revision: ++this.revision })
  }

  /** The app's own update moved on (found, downloaded and verified, failed, restarting). */
  updateChanged(state: UpdateState): void {
    this.emit('update:changed', { ...state, revision: ++this.revision })
  }

  /** Every event, in the order sent; returns its own unsubscribe. */
  onAny(listener: AnyEventListener): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  stop(): void {
    for (const off of this.offs) off()
    this.listeners.clear()
  }

  private emit<E extends CoreEventName>(event: E, payload: EventPayloads[E]): void {
    if (this.listeners.size === 0) return
    const said = this.localize(payload)
    for (const l of this.listeners) l(event, said)
  }
}
