import { useShallow } from 'zustand/react/shallow'
import { actions } from '../actions'
import { useStore } from '../store'

/**
 * App-wide notices in a row of their own above the list and details, so they
 * never cover a control: weak token storage, vault recovery, no network.
 */
export function AppBanners() {
  const { storage, notices, online, mode, demo, update } = useStore(
    useShallow((s) => ({
      storage: s.storage,
      notices: s.notices,
      online: s.online,
      mode: s.mode,
      demo: s.demo,
      update: s.update,
    })),
  )
  const noCipher = storage?.backend === 'unavailable' && !storage.persistenceChosen
  const weakUnchosen = storage?.weak && !storage.persistenceChosen && !noCipher
  const updateReady = update?.status === 'ready' || update?.status === 'restarting' ? update : null
  if (!weakUnchosen && !noCipher && notices.length === 0 && online && !updateReady) return null
  return (
    <div className="app-banners" role="region" aria-label="Notices">
      {!online && (
        <div className="banner banner-warn" role="status">
          <p>
            <strong>No network.</strong> Skyswitch keeps every sign-in and refreshes as soon as the network is back.
          </p>
        </div>
      )}
      {noCipher && (
        <div className="banner banner-warn" role="status" aria-label="Memory-only token storage">
          <p>
            <strong>Sign-ins are kept in memory only.</strong> This system offers no keyring, so Skyswitch does not save
            tokens to disk: you will sign in again after quitting. On GNOME, install and unlock GNOME Keyring
            (gnome-keyring); on KDE, enable KWallet. Then restart Skyswitch.
          </p>
          <div className="banner-actions">
            <button type="button" onClick={() => void actions.choosePersistence('memory')}>
              OK
            </button>
          </div>
        </div>
      )}
      {weakUnchosen && storage && (
        <div className="banner banner-warn" role="status" aria-label="Weak token storage">
          <p>
            {demo && (
              <>
                <strong>Demo.</strong> These are test accounts on a network running on this computer. Their data is in a
                temporary folder, deleted when the demo stops; your own Skyswitch data is not touched.{' '}
              </>
            )}
            <strong>Weaker token storage.</strong>{' '}
            {mode === 'browser'
              ? 'In browser mode, tokens are encrypted with a key file in the data directory, which is weaker than the OS keychain.'
              : 'This system offers no keychain, so tokens would be protected by a fixed key (basic_text). Installing a keyring such as GNOME Keyring or KWallet fixes this.'}{' '}
            Keep sign-ins on disk anyway, or only in memory (signed out when Skyswitch quits)?
          </p>
          <div className="banner-actions">
            <button type="button" onClick={() => void actions.choosePersistence('disk')}>
              Keep on disk
            </button>
            <button type="button" onClick={() => void actions.choosePersistence('memory')}>
              Memory only
            </button>
          </div>
        </div>
      )}
      {updateReady && (
        <div className="banner banner-info" role="status" aria-label="Update">
          <p>
            <strong>Skyswitch {updateReady.version} is ready.</strong>{' '}
            {updateReady.status === 'ready'
              ? 'It is downloaded and its checksum verified. Restarting never interrupts an account operation: it waits for any under way to finish.'
              : 'Restarting as soon as the account operations under way finish…'}
          </p>
          {updateReady.status === 'ready' && (
            <div className="banner-actions">
              <button type="button" onClick={() => void actions.restartToUpdate()}>
                Restart to update
              </button>
            </div>
          )}
        </div>
      )}
      {notices.map((n) => (
        <div key={n.id} className="banner banner-bad" role="status">
          <p>{n.message}</p>
          <div className="banner-actions">
            <button type="button" onClick={() => void actions.dismissNotice(n.id)}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </div>
  )
}
