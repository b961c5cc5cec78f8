import { useShallow } from 'zustand/react/shallow'
import type { AccountView } from '../../../src-main/ipc/contract'
import { actions } from '../actions'
import { useStore } from '../store'

/** This account's notifications: muted or not, and (off by default) its new Bluesky notifications. */
export function AccountNotices({ account }: { account: AccountView }) {
  const { settings, desktop } = useStore(useShallow((s) => ({ settings: s.settings, desktop: s.mode === 'electron' })))
  if (!settings) return null
  const muted = settings.mutedDids.includes(account.did)
  const unread = settings.unreadDids.includes(account.did)
  const off = !settings.notifications
  return (
    <section className="notices-section" aria-labelledby="notices-title">
      <h2 id="notices-title">Notifications</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={!muted}
          disabled={off}
          onChange={(e) => void actions.setAccountNotices(account.did, { muted: !e.target.checked })}
        />
        <span>Tell me when @{account.handle} needs attention</span>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={unread}
          disabled={off || muted}
          onChange={(e) => void actions.setAccountNotices(account.did, { unread: e.target.checked })}
        />
        <span>Also when it has new Bluesky notifications</span>
      </label>
      <small className="hint">
        {off ? 'Notifications are off for every account (Settings).' : 'Shown while Skyswitch runs, even in the tray.'}
        {!desktop && ' Shown by the desktop app only.'}
      </small>
    </section>
  )
}
