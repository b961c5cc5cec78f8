import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { actions } from '../actions'
import { useStore } from '../store'
import { AccountDetails } from './AccountDetails'
import { AccountList } from './AccountList'
import { AppBanners } from './AppBanners'
import { LoginForm } from './LoginForm'
import { QuickSwitcher } from './QuickSwitcher'
import { Settings } from './Settings'
import { Toast } from './Toast'

export function App() {
  const { ready, pane, selectedDid, activeDid, switcherOpen, storage, count, demo } = useStore(
    useShallow((s) => ({
      ready: s.ready,
      pane: s.pane,
      selectedDid: s.selectedDid,
      activeDid: s.activeDid,
      switcherOpen: s.switcherOpen,
      storage: s.storage,
      count: s.order.length,
      demo: s.demo,
    })),
  )

  // The window title (Electron shows it) says plainly when this is the demo.
  useEffect(() => {
    document.title = demo ? 'Skyswitch demo (test accounts, deleted on exit)' : 'Skyswitch'
  }, [demo])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        const s = useStore.getState()
        if (s.order.length > 0) s.setSwitcherOpen(!s.switcherOpen)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  if (!ready)
    return (
      <div className="loading" aria-busy="true">
        Loading accounts…
      </div>
    )
  const shown = selectedDid ?? activeDid

  return (
    // Notices and toasts have rows of their own: they never cover a control.
    <div className="shell">
      <AppBanners />
      <div className="app">
        <aside className="sidebar" aria-label="Account list">
          <div className="sidebar-head">
            <span className="brand">Skyswitch{demo && <span className="demo-tag"> demo</span>}</span>
            <div className="sidebar-head-actions">
              <button
                type="button"
                onClick={() => useStore.setState({ pane: { kind: 'settings' } })}
                aria-pressed={pane.kind === 'settings'}
              >
                Settings
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => useStore.getState().openLogin()}
                aria-pressed={pane.kind === 'login' && !pane.prefill}
              >
                Add account
              </button>
            </div>
          </div>
          <AccountList />
          <div className="sidebar-foot">
            {count > 0 && (
              <>
                <button type="button" onClick={() => useStore.getState().setSwitcherOpen(true)}>
                  Quick switch <kbd>Ctrl K</kbd>
                </button>
                <button type="button" onClick={() => void actions.checkAll()}>
                  Check all accounts
                </button>
              </>
            )}
            {storage && (
              <p className="storage-note">
                {demo && 'Demo: test accounts, data deleted when the demo stops. '}
                Tokens: {storage.persistence === 'memory' ? 'memory only' : storage.backendName}
                {storage.weak ? ' (weaker than the OS keychain)' : ''}
              </p>
            )}
          </div>
        </aside>
        <main className="pane">
          {pane.kind === 'settings' ? (
            <Settings />
          ) : pane.kind === 'login' ? (
            <LoginForm key={pane.prefill?.did ?? 'new'} />
          ) : shown ? (
            <AccountDetails did={shown} />
          ) : (
            <LoginForm key="empty" />
          )}
        </main>
      </div>
      {switcherOpen && <QuickSwitcher />}
      <Toast />
    </div>
  )
}
