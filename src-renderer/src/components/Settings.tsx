import { useShallow } from 'zustand/react/shallow'
import type { AppSettings } from '../../../src-main/ipc/contract'
import { actions } from '../actions'
import { useReturnFocus } from '../focus'
import { useStore } from '../store'

const CLEAR_DELAYS = [15, 30, 60, 120, 300, 0]

/** Settings: clipboard clearing, the tray, start at login, notifications, where tokens are kept. */
export function Settings() {
  const { settings, storage, mode } = useStore(
    useShallow((s) => ({ settings: s.settings, storage: s.storage, mode: s.mode })),
  )
  // Done puts focus back on what opened Settings.
  const ref = useReturnFocus<HTMLElement>()
  if (!settings || !storage) return null
  const desktop = mode === 'electron'
  const set = (patch: Partial<AppSettings>) => void actions.saveSettings(patch)
  const noCipher = storage.backend === 'unavailable'

  return (
    <section ref={ref} className="settings" aria-labelledby="settings-title">
      <div className="settings-head">
        <h1 id="settings-title">Settings</h1>
        <button type="button" onClick={() => useStore.getState().closeLogin()}>
          Done
        </button>
      </div>

      <fieldset>
        <legend>Clipboard</legend>
        <label className="field">
          <span>Clear copied tokens after</span>
          <select
            value={settings.clipboardClearSeconds}
            onChange={(e) => set({ clipboardClearSeconds: Number(e.target.value) })}
          >
            {CLEAR_DELAYS.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'never' : s < 60 ? `${s} seconds` : `${s / 60} minute${s === 60 ? '' : 's'}`}
              </option>
            ))}
          </select>
          <small>Only cleared if the clipboard still holds what Skyswitch put there.</small>
        </label>
      </fieldset>

      <fieldset disabled={!desktop}>
        <legend>Running in the background</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.closeToTray}
            onChange={(e) => set({ closeToTray: e.target.checked })}
          />
          <span>Keep running in the tray when the window is closed</span>
        </label>
        <small className="hint">
          Sessions keep being refreshed while Skyswitch runs. On macOS the app stays in the Dock either way.
        </small>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.startAtLogin}
            onChange={(e) => set({ startAtLogin: e.target.checked })}
          />
          <span>Start Skyswitch when I log in (hidden, in the tray)</span>
        </label>
        {!desktop && <small className="hint">These apply to the desktop app only.</small>}
      </fieldset>

      <fieldset>
        <legend>Notifications</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.notifications}
            onChange={(e) => set({ notifications: e.target.checked })}
          />
          <span>Tell me when an account needs attention</span>
        </label>
        <small className="hint">
          Signed out, taken down, suspended or deactivated, active again, an OAuth sign-in ending within a day, or
          refreshes failing for 12 hours. Each notification names its account and opens it. Each account can be muted,
          or also tell of new Bluesky notifications, in its details.
          {!desktop && ' Shown by the desktop app only.'}
        </small>
      </fieldset>

      <fieldset>
        <legend>Token storage</legend>
        <p className="hint">
          Protected by: <strong>{noCipher ? 'nothing available' : storage.backendName}</strong>
          {storage.weak && !noCipher ? ' (weaker than an OS keychain)' : ''}
        </p>
        <label className="check">
          <input
            type="radio"
            name="persistence"
            checked={storage.persistence === 'disk'}
            disabled={noCipher}
            onChange={() => void actions.choosePersistence('disk')}
          />
          <span>Keep sign-ins on disk, encrypted</span>
        </label>
        <label className="check">
          <input
            type="radio"
            name="persistence"
            checked={storage.persistence === 'memory'}
            onChange={() => void actions.choosePersistence('memory')}
          />
          <span>Memory only: sign in again after Skyswitch quits</span>
        </label>
        {noCipher && (
          <small className="hint">
            No keyring is available on this system. On GNOME, install and unlock GNOME Keyring; on KDE, enable KWallet;
            then restart Skyswitch.
          </small>
        )}
      </fieldset>
    </section>
  )
}
