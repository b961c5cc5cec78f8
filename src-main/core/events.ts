import type { EventName, EventPayloads, Revisioned } from '../ipc/contract'
import type { AccountService } from './accounts'

export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void

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

  constructor(private readonly accounts: AccountService) {
    this.offs = [
      accounts.on('state', (s) => this.emit('state:changed', { ...s, revision: ++this.revision })),
      accounts.on('account', (a) => this.emit('account:changed', { ...a, revision: ++this.revision })),
    ]
  }

  /** The whole state now. */
  snapshot(): EventPayloads['state:changed'] & Revisioned {
    return { ...this.accounts.state(), revision: this.revision }
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

  private emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const l of this.listeners) l(event, payload)
  }
}
