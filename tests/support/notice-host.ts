/** A stand-in for the account service as the notifier sees it: views set by hand, events sent on demand. */
import type { NoticeSettings, NotifierHost } from '../../src-main/core/notices/notifier'
import type { AccountView, AppState } from '../../src-main/ipc/contract'
import { accountView } from './account-view'

export function view(i: number, over: Partial<AccountView> = {}): AccountView {
  return accountView(`did:plc:acct${i}`, `a${i}.test`, over)
}

export class NoticeHost implements NotifierHost {
  accounts: AccountView[]
  online = true
  settings: NoticeSettings = { notifications: true, mutedDids: [], unreadDids: [] }
  private readonly listeners = { state: new Set<(s: AppState) => void>(), account: new Set<(a: AccountView) => void>() }

  constructor(accounts: AccountView[]) {
    this.accounts = accounts
  }

  state(): AppState {
    return { accounts: [...this.accounts], online: this.online } as AppState
  }

  on(event: 'state', listener: (s: AppState) => void): () => void
  on(event: 'account', listener: (a: AccountView) => void): () => void
  on(event: 'state' | 'account', listener: ((s: AppState) => void) | ((a: AccountView) => void)): () => void {
    const set = this.listeners[event] as Set<typeof listener>
    set.add(listener)
    return () => void set.delete(listener)
  }

  /** One account changes, announced as the account service does (an account event). */
  change(did: string, over: Partial<AccountView>): void {
    const i = this.accounts.findIndex((a) => a.did === did)
    this.accounts[i] = { ...this.accounts[i]!, ...over }
    for (const l of this.listeners.account) l(this.accounts[i]!)
  }

  /** The whole list is announced (a sign-in, a removal, going offline). */
  announceState(): void {
    const s = this.state()
    for (const l of this.listeners.state) l(s)
  }
}
