import { create } from 'zustand'
import type { AccountView, AppNotice, AppState, StorageInfo } from '../../src-main/ipc/contract'
import { call, subscribe } from './api'

/** Mirror of what main says; the renderer never computes account state itself. */
interface AccountsSlice {
  ready: boolean
  accounts: Record<string, AccountView>
  order: string[]
  activeDid: string | null
  storage: StorageInfo | null
  notices: AppNotice[]
  online: boolean
  mode: AppState['mode']
  defaultService: string
  clipboardClearSeconds: number
  demo: boolean
}

export type Pane =
  | { kind: 'details' }
  | { kind: 'login'; prefill?: { identifier: string; service: string; did?: string }; allowTakendown?: boolean }

/** What is on screen: which account is selected and which pane shows. */
interface UiSlice {
  selectedDid: string | null
  pane: Pane
  switcherOpen: boolean
  toast: { id: number; text: string } | null
  select(did: string | null): void
  openLogin(prefill?: Pane & { kind: 'login' }): void
  closeLogin(): void
  setSwitcherOpen(open: boolean): void
  showToast(text: string): void
}

export type Store = AccountsSlice & UiSlice

let toastId = 0

export const useStore = create<Store>()((set, get) => ({
  ready: false,
  accounts: {},
  order: [],
  activeDid: null,
  storage: null,
  notices: [],
  online: true,
  mode: 'electron',
  defaultService: 'https://bsky.social',
  clipboardClearSeconds: 60,
  demo: false,

  selectedDid: null,
  pane: { kind: 'details' },
  switcherOpen: false,
  toast: null,
  select: (did) => set({ selectedDid: did, pane: { kind: 'details' } }),
  openLogin: (p) => set({ pane: p ?? { kind: 'login' } }),
  closeLogin: () => set({ pane: { kind: 'details' }, selectedDid: get().selectedDid ?? get().activeDid }),
  setSwitcherOpen: (open) => set({ switcherOpen: open }),
  showToast: (text) => set({ toast: { id: ++toastId, text } }),
}))

function applyState(s: AppState): void {
  const prev = useStore.getState()
  const accounts: Record<string, AccountView> = {}
  // Keep the previous object for an unchanged account, so its row does not re-render.
  for (const a of s.accounts) accounts[a.did] = sameAccount(prev.accounts[a.did], a) ? prev.accounts[a.did]! : a
  const selected = prev.selectedDid && accounts[prev.selectedDid] ? prev.selectedDid : s.activeDid
  useStore.setState({
    ready: true,
    accounts,
    order: s.accounts.map((a) => a.did),
    activeDid: s.activeDid,
    storage: s.storage,
    notices: s.notices,
    online: s.online,
    mode: s.mode,
    defaultService: s.defaultService,
    clipboardClearSeconds: s.clipboardClearSeconds,
    demo: s.demo ?? false,
    selectedDid: selected,
    // With no accounts there is nothing to show but the login form.
    pane: s.accounts.length === 0 ? { kind: 'login' } : prev.pane,
  })
}

function sameAccount(a: AccountView | undefined, b: AccountView): boolean {
  if (!a) return false
  const keys = Object.keys(b) as (keyof AccountView)[]
  if (keys.length !== Object.keys(a).length) return false
  return keys.every((k) => a[k] === b[k] || (k === 'lastError' && a[k]?.message === b[k]?.message))
}

/** Subscribes to main's events once, outside React, and loads the first state. */
export function connectStore(): void {
  subscribe('state:changed', applyState)
  subscribe('account:changed', (a) => {
    const { accounts } = useStore.getState()
    if (!accounts[a.did]) return
    useStore.setState({ accounts: { ...accounts, [a.did]: a } })
  })
  void call('app:getState').then(applyState)
}
