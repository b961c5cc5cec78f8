import { create } from 'zustand'
import type {
  AccountView,
  AppNotice,
  AppSettings,
  AppState,
  ProxyStatus,
  Revisioned,
  StorageInfo,
  UpdateState,
} from '../../src-main/ipc/contract'

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
  /** The system's preferred languages (Electron); null in browser mode, where the browser's own count. */
  systemLanguages: string[] | null
  demo: boolean
  /** The local proxy for tools; null until main has said. */
  proxy: ProxyStatus | null
  /** The app's own update; null until main has said. */
  update: UpdateState | null
}

/**
 * Revisions of what is shown: the last whole state applied, accounts an
 * event updated since, and the proxy's (from a state or its own event). Events come in order; a
 * getState reply can come at any point among them, and what is older than
 * what is shown is dropped.
 */
interface Revisions {
  state: number
  accounts: Readonly<Record<string, number>>
  proxy: number
  update: number
}

/** What main sends, applied in one place by the rules above (see ./actions connect). */
interface SyncSlice {
  revisions: Revisions
  applyState(s: AppState & Revisioned): void
  applyAccount(a: AccountView & Revisioned): void
  applyProxy(p: ProxyStatus & Revisioned): void
  applyUpdate(u: UpdateState & Partial<Revisioned>): void
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
  /** `main`: the text is (or holds) a message main wrote, shown as it came. */
  toast: { id: number; text: string; main?: boolean } | null
  select(did: string | null): void
  /** A notification about this account was clicked: its details, whatever was on screen. */
  openAccount(did: string): void
  openLogin(prefill?: Pane & { kind: 'login' }): void
  closeLogin(): void
  setSwitcherOpen(open: boolean): void
  showToast(text: string, from?: 'main'): void
}

export type Store = AccountsSlice & UiSlice & SyncSlice

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
  systemLanguages: null,
  demo: false,
  proxy: null,
  update: null,

  revisions: { state: -1, accounts: {}, proxy: -1, update: -1 },
  applyState: (s) => {
    const next = stateUpdate(get(), s)
    if (next) set(next)
  },
  applyAccount: ({ revision, ...a }) => {
    const { accounts, ready, revisions } = get()
    if (revision <= Math.max(revisions.state, revisions.accounts[a.did] ?? -1)) return
    // Before the first state, keep it for that state; after, only known accounts.
    if (ready && !accounts[a.did]) return
    set({
      accounts: { ...accounts, [a.did]: a },
      revisions: { ...revisions, accounts: { ...revisions.accounts, [a.did]: revision } },
    })
  },
  applyProxy: ({ revision, ...p }) => {
    const { revisions } = get()
    if (revision <= revisions.proxy) return
    set({ proxy: p, revisions: { ...revisions, proxy: revision } })
  },
  // An event carries its revision; the updates:get reply has none and never replaces an event's state.
  applyUpdate: ({ revision, ...u }) => {
    const { revisions, update } = get()
    if (revision === undefined ? update !== null : revision <= revisions.update) return
    set({ update: u, revisions: { ...revisions, update: revision ?? revisions.update } })
  },

  selectedDid: null,
  pane: { kind: 'details' },
  switcherOpen: false,
  toast: null,
  select: (did) => set({ selectedDid: did, pane: { kind: 'details' } }),
  // Kept even before the first state arrives (a window the click just opened): that state keeps a known selection.
  openAccount: (did) => set({ selectedDid: did, pane: { kind: 'details' }, switcherOpen: false }),
  openLogin: (p) => set({ pane: p ?? { kind: 'login' } }),
  closeLogin: () => set({ pane: { kind: 'details' }, selectedDid: get().selectedDid ?? get().activeDid }),
  setSwitcherOpen: (open) => set({ switcherOpen: open }),
  showToast: (text, from) => set({ toast: { id: ++toastId, text, main: from === 'main' } }),
}))

/** The store after a whole state, or null when it is older than what is shown. */
function stateUpdate(prev: Store, s: AppState & Revisioned): Partial<Store> | null {
  if (s.revision < prev.revisions.state) return null
  const accounts: Record<string, AccountView> = {}
  const newerEvents: Record<string, number> = {}
  for (const a of s.accounts) {
    // An account event newer than this snapshot stays; an unchanged account
    // keeps its previous object, so its row does not re-render.
    const r = prev.revisions.accounts[a.did] ?? -1
    const kept = prev.accounts[a.did]
    if (r > s.revision) newerEvents[a.did] = r
    accounts[a.did] = kept && (r > s.revision || sameAccount(kept, a)) ? kept : a
  }
  const selected = prev.selectedDid && accounts[prev.selectedDid] ? prev.selectedDid : s.activeDid
  return {
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
    systemLanguages: s.systemLanguages ?? prev.systemLanguages,
    clipboardClearSeconds:
      s.settings?.clipboardClearSeconds ?? prev.settings?.clipboardClearSeconds ?? s.clipboardClearSeconds,
    demo: s.demo ?? false,
    selectedDid: selected,
    // With no accounts there is nothing to show but the login form (or Settings).
    pane: s.accounts.length === 0 && prev.pane.kind !== 'settings' ? { kind: 'login' } : prev.pane,
    // The proxy as of this snapshot, unless a proxy event newer than it was applied.
    ...(s.proxy && s.revision >= prev.revisions.proxy ? { proxy: s.proxy } : {}),
    revisions: {
      state: s.revision,
      accounts: newerEvents,
      proxy: s.proxy ? Math.max(s.revision, prev.revisions.proxy) : prev.revisions.proxy,
      update: prev.revisions.update,
    },
  }
}

function sameAccount(a: AccountView, b: AccountView): boolean {
  const keys = Object.keys(b) as (keyof AccountView)[]
  if (keys.length !== Object.keys(a).length) return false
  return keys.every((k) => a[k] === b[k] || (k === 'lastError' && a[k]?.message === b[k]?.message))
}
