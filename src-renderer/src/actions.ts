import type { AppSettings, CopyKind } from '../../src-main/ipc/contract'
import { call, CallError } from './api'
import { useStore } from './store'

/** Runs a call, showing its error (or the success message) as a toast; returns whether it worked. */
async function attempt<T>(work: () => Promise<T>, success?: string | ((value: T) => string)): Promise<boolean> {
  try {
    const value = await work()
    const text = typeof success === 'function' ? success(value) : success
    if (text) useStore.getState().showToast(text)
    return true
  } catch (err) {
    useStore.getState().showToast(err instanceof CallError ? err.message : 'Something went wrong.')
    return false
  }
}

export const actions = {
  switchTo: (did: string) => {
    useStore.getState().select(did)
    return attempt(() => call('accounts:setActive', { did }))
  },
  check: (did: string) =>
    attempt(
      () => call('accounts:check', { did }),
      (a) => (a.hosting === 'active' ? 'Checked: the session works.' : `Checked: the account is ${a.hosting}.`),
    ),
  checkAll: async () => {
    try {
      const results = await call('accounts:checkAll')
      const bad = results.filter((r) => !r.ok).length
      useStore
        .getState()
        .showToast(bad ? `${bad} of ${results.length} accounts need attention.` : `All ${results.length} accounts OK.`)
    } catch (err) {
      useStore.getState().showToast(err instanceof CallError ? err.message : 'Check failed.')
    }
  },
  refresh: (did: string) => attempt(() => call('accounts:refresh', { did }), 'Session refreshed.'),
  retry: (did: string) => attempt(() => call('accounts:retry', { did }), 'Back online.'),
  signOut: (did: string) => attempt(() => call('accounts:signOut', { did }), 'Signed out and session revoked.'),
  remove: (did: string) => attempt(() => call('accounts:remove', { did }), 'Removed from this device.'),
  activate: (did: string) => attempt(() => call('accounts:activate', { did }), 'Account reactivated.'),
  move: (did: string, delta: -1 | 1) => {
    const order = [...useStore.getState().order]
    const i = order.indexOf(did)
    const j = i + delta
    if (i < 0 || j < 0 || j >= order.length) return Promise.resolve(false)
    ;[order[i], order[j]] = [order[j]!, order[i]!]
    return attempt(() => call('accounts:reorder', { dids: order }))
  },
  copy: async (did: string, kind: CopyKind, label: string) => {
    try {
      const { clearsAt } = await call('tokens:copy', { did, kind })
      const secs = clearsAt ? Math.round((clearsAt - Date.now()) / 1000) : 0
      useStore.getState().showToast(clearsAt ? `${label} copied. Clipboard clears in ${secs} s.` : `${label} copied.`)
    } catch (err) {
      useStore.getState().showToast(err instanceof CallError ? err.message : 'Copy failed.')
    }
  },
  choosePersistence: (persistence: 'disk' | 'memory') =>
    attempt(() => call('storage:choosePersistence', { persistence })),
  dismissNotice: (id: string) => attempt(() => call('notices:dismiss', { id })),
  saveSettings: (patch: Partial<AppSettings>) =>
    attempt(async () => useStore.setState({ settings: await call('settings:set', patch) }), 'Settings saved.'),
}
