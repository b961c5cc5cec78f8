import { useEffect } from 'react'
import { backendNameOf } from '../status'
import { useTranslation } from 'react-i18next'
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
  const { t, i18n } = useTranslation()
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
    document.title = demo ? t('app.titleDemo') : 'Skyswitch'
  }, [demo, t, i18n.language])

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
        {t('app.loading')}
      </div>
    )
  const shown = selectedDid ?? activeDid

  return (
    // Notices and toasts have rows of their own: they never cover a control.
    <div className="shell">
      <AppBanners />
      <div className="app">
        <aside className="sidebar" aria-label={t('app.sidebar')}>
          <div className="sidebar-head">
            <span className="brand">Skyswitch{demo && <span className="demo-tag"> {t('app.demoTag')}</span>}</span>
            <div className="sidebar-head-actions">
              <button
                type="button"
                onClick={() => useStore.setState({ pane: { kind: 'settings' } })}
                aria-pressed={pane.kind === 'settings'}
              >
                {t('app.settings')}
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => useStore.getState().openLogin()}
                aria-pressed={pane.kind === 'login' && !pane.prefill}
              >
                {t('app.addAccount')}
              </button>
            </div>
          </div>
          <AccountList />
          <div className="sidebar-foot">
            {count > 0 && (
              <>
                <button type="button" onClick={() => useStore.getState().setSwitcherOpen(true)}>
                  {t('app.quickSwitch')} <kbd>Ctrl K</kbd>
                </button>
                <button type="button" onClick={() => void actions.checkAll()}>
                  {t('app.checkAll')}
                </button>
              </>
            )}
            {storage && (
              <p className="storage-note">
                {demo && <>{t('app.demoNote')} </>}
                {storage.persistence === 'memory'
                  ? t('app.tokensMemory')
                  : storage.weak
                    ? t('app.tokensWeak', { backend: backendNameOf(storage, t) })
                    : t('app.tokens', { backend: backendNameOf(storage, t) })}
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
