import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import type { AccountView } from '../../../src-main/ipc/contract'
import { actions } from '../actions'
import { useStore } from '../store'

/** This account's notifications: muted or not, and (off by default) its new Bluesky notifications. */
export function AccountNotices({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  const { settings, desktop } = useStore(useShallow((s) => ({ settings: s.settings, desktop: s.mode === 'electron' })))
  if (!settings) return null
  const muted = settings.mutedDids.includes(account.did)
  const unread = settings.unreadDids.includes(account.did)
  const off = !settings.notifications
  return (
    <section className="notices-section" aria-labelledby="notices-title">
      <h2 id="notices-title">{t('accountNotices.title')}</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={!muted}
          disabled={off}
          onChange={(e) => void actions.setAccountNotices(account.did, { muted: !e.target.checked })}
        />
        <span>{t('accountNotices.attention', { handle: account.handle })}</span>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={unread}
          disabled={off || muted}
          onChange={(e) => void actions.setAccountNotices(account.did, { unread: e.target.checked })}
        />
        <span>{t('accountNotices.unread')}</span>
      </label>
      <small className="hint">
        {off
          ? desktop
            ? t('accountNotices.off')
            : t('accountNotices.offBrowser')
          : desktop
            ? t('accountNotices.on')
            : t('accountNotices.onBrowser')}
      </small>
    </section>
  )
}
