import { create } from 'zustand'
import type {
  AccountView,
  AppNotice,
  AppSettings,
  AppState,
  Revisioned,
  StorageInfo,
} from '../../src-main/ipc/contract'
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
  settings: AppSettings | null
  demo: boolean
}

export type Pane =
  | { kind: 'details' }
  | { kind: 'login'; prefill?: { identifier: string; service: string; did?: string }; allowTakendown?: boolean }
  | { kind: 'settings' }

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
  settings: null,
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

/**
 * Revisions of what is shown: the last whole state applied, and accounts an
 * event updated since. Events come in order; a getState reply can come at
 * any point among them, and what is older than what is shown is dropped.
 */
const shown = { state: -1, accounts: new Map<string, number>() }

function applyState(s: AppState & Revisioned): void {
  if (s.revision < shown.state) return
  shown.state = s.revision
  const prev = useStore.getState()
  const accounts: Record<string, AccountView> = {}
  for (const a of s.accounts) {
    // An account event newer than this snapshot stays; an unchanged account
    // keeps its previous object, so its row does not re-render.
    const newer = (shown.accounts.get(a.did) ?? -1) > s.revision && prev.accounts[a.did]
    accounts[a.did] = newer || (sameAccount(prev.accounts[a.did], a) ? prev.accounts[a.did]! : a)
  }
  for (const [did, r] of shown.accounts) if (r <= s.revision || !accounts[did]) shown.accounts.delete(did)
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
    // Events without settings (from the account service) keep the last known ones.
    settings: s.settings ?? prev.settings,
    clipboardClearSeconds:
      s.settings?.clipboardClearSeconds ?? prev.settings?.clipboardClearSeconds ?? s.clipboardClearSeconds,
    demo: s.demo ?? false,
    selectedDid: selected,
    // With no accounts there is nothing to show but the login form (or Settings).
    pane: s.accounts.length === 0 && prev.pane.kind !== 'settings' ? { kind: 'login' } : prev.pane,
  })
}

function applyAccount({ revision, ...a }: AccountView & Revisioned): void {
  const { accounts, ready } = useStore.getState()
  if (revision <= Math.max(shown.state, shown.accounts.get(a.did) ?? -1)) return
  // Before the first state, keep it for that state; after, only known accounts.
  if (ready && !accounts[a.did]) return
  shown.accounts.set(a.did, revision)
  useStore.setState({ accounts: { ...accounts, [a.did]: a } })
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
  subscribe('account:changed', applyAccount)
  subscribe('settings:open', () => useStore.setState({ pane: { kind: 'settings' } }))
  void call('app:getState').then(applyState)
}
