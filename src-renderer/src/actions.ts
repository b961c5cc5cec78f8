/**
 * Everything the window asks of main goes through here (components never
 * call the bridge), and main's events are subscribed to once, by connect().
 */
import type {
  AccountView,
  AppSettings,
  CheckAllResult,
  CopyKind,
  LoginRequest,
  OAuthBeginRequest,
  ToolCopyKind,
} from '../../src-main/ipc/contract'
import { call, CallError, subscribe } from './api'
import { followLanguage, i18n } from './i18n'
import { useStore } from './store'

export { CallError }

const t = i18n.t.bind(i18n)

/** Subscribes to main's events once, outside React, and loads what the window shows first. */
export function connect(): void {
  const s = useStore.getState()
  // The window speaks the language of the settings and the system's languages main sends, and switches at once.
  useStore.subscribe((now, before) => {
    if (now.settings !== before.settings || now.systemLanguages !== before.systemLanguages) followLanguage(now)
  })
  subscribe('state:changed', s.applyState)
  subscribe('account:changed', s.applyAccount)
  subscribe('proxy:changed', s.applyProxy)
  subscribe('update:changed', (u) => {
    // A refused download (a checksum mismatch) or an install that could not run is said once, in the
    // status bar; a check that failed stays quiet (the menu's check says why) and is tried again later.
    const before = useStore.getState().update?.status
    s.applyUpdate(u)
    if (u.status === 'idle' && u.error && (before === 'downloading' || before === 'restarting')) {
      useStore.getState().showToast(u.error.message, 'main')
    }
  })
  subscribe('settings:open', () => useStore.setState({ pane: { kind: 'settings' } }))
  subscribe('account:open', ({ did }) => useStore.getState().openAccount(did))
  // Browser mode: main has no OS languages, so it speaks the browser's (sent before the first state).
  void call('app:windowLanguages', { languages: navigator.languages.slice(0, 32) }).catch(() => undefined)
  void call('app:getState').then(s.applyState)
  void call('updates:get')
    .then(s.applyUpdate)
    .catch(() => undefined)
  // Whether anyone is looking: main reads unread counts often only while the window is seen and
  // focused, and afresh on focus (it skips that if it just read them). Until told, it assumes nobody is.
  const attention = () =>
    void call('app:attention', {
      visible: document.visibilityState === 'visible',
      focused: document.visibilityState === 'visible' && document.hasFocus(),
    }).catch(() => undefined)
  document.addEventListener('visibilitychange', attention)
  window.addEventListener('focus', attention)
  window.addEventListener('blur', attention)
  attention()
}

/** Runs a call, showing its error (or the success message) as a toast; returns whether it worked. */
async function attempt<T>(
  work: () => Promise<T>,
  success?: string | ((value: T) => string),
  failure = t('toast.failed'),
): Promise<boolean> {
  try {
    const value = await work()
    const text = typeof success === 'function' ? success(value) : success
    if (text) useStore.getState().showToast(text)
    return true
  } catch (err) {
    if (err instanceof CallError) useStore.getState().showToast(err.message, 'main')
    else useStore.getState().showToast(failure)
    return false
  }
}

export const actions = {
  /** Makes an account the active one (what `skyswitch token` answers with); viewing alone never does. */
  switchTo: (did: string) => {
    useStore.getState().select(did)
    const handle = useStore.getState().accounts[did]?.handle
    return attempt(() => call('accounts:setActive', { did }), handle ? t('toast.nowUsing', { handle }) : undefined)
  },
  check: (did: string) =>
    attempt(
      () => call('accounts:check', { did }),
      (a) => checkedText(a),
    ),
  checkAll: async () => {
    try {
      const results = await call('accounts:checkAll')
      // The reasons of the accounts that need attention are main's messages.
      useStore.getState().showToast(checkAllText(results), results.some((r) => r.error) ? 'main' : undefined)
    } catch (err) {
      if (err instanceof CallError) useStore.getState().showToast(err.message, 'main')
      else useStore.getState().showToast(t('toast.checkFailed'))
    }
  },
  refresh: (did: string) =>
    attempt(
      () => call('accounts:refresh', { did }),
      (a) => t('toast.refreshed', { handle: a.handle }),
    ),
  retry: (did: string) =>
    attempt(
      () => call('accounts:retry', { did }),
      (a) => t('toast.backOnline', { handle: a.handle }),
    ),
  signOut: (did: string) =>
    attempt(
      () => call('accounts:signOut', { did }),
      (a) => t('toast.signedOut', { handle: a.handle }),
    ),
  remove: (did: string) => {
    const handle = useStore.getState().accounts[did]?.handle ?? did
    return attempt(() => call('accounts:remove', { did }), t('toast.removed', { handle }))
  },
  activate: (did: string) =>
    attempt(
      () => call('accounts:activate', { did }),
      (a) => t('toast.reactivated', { handle: a.handle }),
    ),
  /** Drag and drop: puts `did` just before or after `target`. */
  place: (did: string, target: string, edge: 'before' | 'after') => {
    const order = useStore.getState().order.filter((d) => d !== did)
    const at = order.indexOf(target)
    if (at < 0) return Promise.resolve(false)
    order.splice(edge === 'before' ? at : at + 1, 0, did)
    return attempt(() => call('accounts:reorder', { dids: order }))
  },
  move: (did: string, delta: -1 | 1) => {
    const order = [...useStore.getState().order]
    const i = order.indexOf(did)
    const j = i + delta
    if (i < 0 || j < 0 || j >= order.length) return Promise.resolve(false)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
    return attempt(() => call('accounts:reorder', { dids: order }))
  },
  /** `what` names the copy ("Access token"), in the window's language. */
  copy: async (did: string, kind: CopyKind, what: string) => {
    try {
      const { clearsAt } = await call('tokens:copy', { did, kind })
      const handle = useStore.getState().accounts[did]?.handle
      useStore.getState().showToast(copiedText(what, clearsAt, handle))
    } catch (err) {
      if (err instanceof CallError) useStore.getState().showToast(err.message, 'main')
      else useStore.getState().showToast(t('toast.copyFailed'))
    }
  },
  choosePersistence: (persistence: 'disk' | 'memory') =>
    attempt(() => call('storage:choosePersistence', { persistence })),
  dismissNotice: (id: string) => attempt(() => call('notices:dismiss', { id })),
  /** Never kept in the store: the caller shows it until hidden. */
  revealAccess: async (did: string) => (await call('tokens:revealAccess', { did })).accessJwt,

  /** Adds an account, or signs in again; throws the CallError for the form (codes such as AuthFactorTokenRequired). */
  signIn: (request: LoginRequest) => call('accounts:login', request),
  oauthBegin: (request: OAuthBeginRequest) => call('accounts:oauthBegin', request),
  oauthFinish: (attemptId: string) => call('accounts:oauthFinish', { attemptId }),
  oauthCancel: (attemptId: string) => attempt(() => call('accounts:oauthCancel', { attemptId })),
  /**
   * After a sign-in: shows the account. It is not made the active one (what
   * tools act as) unless none was: main does that for a first account.
   */
  signedIn: (account: AccountView, via: 'password' | 'provider' = 'password') => {
    const { activeDid, accounts, select, showToast } = useStore.getState()
    select(account.did)
    const inUse = activeDid && activeDid !== account.did ? accounts[activeDid]?.handle : undefined
    const handle = account.handle
    if (via === 'provider') {
      showToast(inUse ? t('toast.signedInProviderOther', { handle, inUse }) : t('toast.signedInProvider', { handle }))
    } else showToast(inUse ? t('toast.signedInOther', { handle, inUse }) : t('toast.signedIn', { handle }))
  },

  /** The proxy's new state arrives as a proxy:changed event. */
  setProxyRunning: (running: boolean) =>
    attempt(() => call('proxy:setRunning', { running }), undefined, t('toast.proxyFailed')),
  copyForTools: (did: string, kind: ToolCopyKind, what: string) =>
    attempt(
      () => call('tools:copy', { did, kind }),
      ({ clearsAt }) => copiedText(what, clearsAt),
      t('toast.copyFailed'),
    ),
  /** Main restarts into the verified update once no account operation is under way (the notice says so meanwhile). */
  restartToUpdate: () => attempt(() => call('updates:restart')),
  saveSettings: (patch: Partial<AppSettings>) =>
    settingsChange(
      (s) => ({ ...s, ...patch }),
      () => call('settings:set', patch),
      // Said after saving, in the language the settings now speak.
      () => t('toast.settingsSaved'),
    ),
  /** One account's notifications: muted or not, and whether new Bluesky notifications are told too. */
  setAccountNotices: (did: string, patch: { muted?: boolean; unread?: boolean }) => {
    const handle = useStore.getState().accounts[did]?.handle ?? did
    const said = () =>
      patch.muted !== undefined
        ? patch.muted
          ? t('toast.noticesMuted', { handle })
          : t('toast.noticesOn', { handle })
        : patch.unread
          ? t('toast.unreadOn', { handle })
          : t('toast.unreadOff', { handle })
    const toggle = (list: string[], on?: boolean) =>
      on === undefined ? list : on ? [...list.filter((d) => d !== did), did] : list.filter((d) => d !== did)
    return settingsChange(
      (s) => ({ ...s, mutedDids: toggle(s.mutedDids, patch.muted), unreadDids: toggle(s.unreadDids, patch.unread) }),
      () => call('notices:setAccount', { did, ...patch }),
      said,
    )
  },
}

/** Shows a settings change at once (a switch follows the click); main's answer replaces it, a failure undoes it. */
async function settingsChange(
  change: (s: AppSettings) => AppSettings,
  save: () => Promise<AppSettings>,
  said: () => string,
): Promise<boolean> {
  const before = useStore.getState().settings
  if (before) useStore.setState({ settings: change(before) })
  const ok = await attempt(async () => useStore.setState({ settings: await save() }), said)
  if (!ok && before) useStore.setState({ settings: before })
  return ok
}

function secondsUntil(at: number): number {
  return Math.round((at - Date.now()) / 1000)
}

function checkedText(a: AccountView): string {
  const handle = a.handle
  switch (a.hosting) {
    case 'takendown':
      return t('toast.checkedTakendown', { handle })
    case 'suspended':
      return t('toast.checkedSuspended', { handle })
    case 'deactivated':
      return t('toast.checkedDeactivated', { handle })
    default:
      return t('toast.checkedActive', { handle })
  }
}

/** "Access token of @alice copied. The clipboard clears in 60 seconds." */
function copiedText(what: string, clearsAt: number | null | undefined, handle?: string): string {
  const count = clearsAt ? secondsUntil(clearsAt) : 0
  if (handle)
    return clearsAt ? t('toast.copiedOfClears', { what, handle, count }) : t('toast.copiedOf', { what, handle })
  return clearsAt ? t('toast.copiedClears', { what, count }) : t('toast.copied', { what })
}

/** Items as a list in the window's language ("@a, @b, and 2 more"); past three, how many more. */
function list(items: string[]): string {
  const shown = items.length > 3 ? [...items.slice(0, 3), t('toast.checkAll.more', { count: items.length - 3 })] : items
  return new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(shown)
}

/** Names the accounts a check concerns: which need attention, or that all are fine. */
export function checkAllText(results: CheckAllResult[]): string {
  const bad = results.filter((r) => !r.ok)
  if (results.length === 0) return t('toast.checkAll.none')
  if (bad.length === 0) {
    const names = list(results.map((r) => `@${r.handle}`))
    return results.length <= 3
      ? t('toast.checkAll.allOk', { names })
      : t('toast.checkAll.allOkMore', { count: results.length, names })
  }
  const shown = bad.map((r) =>
    r.error
      ? t('toast.checkAll.badWithError', { handle: r.handle, error: r.error.message.replace(/\.$/, '') })
      : `@${r.handle}`,
  )
  return t('toast.checkAll.needAttention', { count: bad.length, total: results.length, list: list(shown) })
}
