import { Trans, useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { actions } from '../actions'
import { useStore } from '../store'

/**
 * App-wide notices in a row of their own above the list and details, so they
 * never cover a control: weak token storage, vault recovery, no network.
 */
/** The banners' headlines in bold. */
const B = { b: <strong /> }

export function AppBanners() {
  const { t } = useTranslation()
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
    <div className="app-banners" role="region" aria-label={t('notices.label')}>
      {!online && (
        <div className="banner banner-warn" role="status">
          <p>
            <Trans i18nKey="notices.offline" components={B} />
          </p>
        </div>
      )}
      {noCipher && (
        <div className="banner banner-warn" role="status" aria-label={t('notices.memoryLabel')}>
          <p>
            <Trans i18nKey="notices.memory" components={B} />
          </p>
          <div className="banner-actions">
            <button type="button" onClick={() => void actions.choosePersistence('memory')}>
              {t('notices.ok')}
            </button>
          </div>
        </div>
      )}
      {weakUnchosen && storage && (
        <div className="banner banner-warn" role="status" aria-label={t('notices.weakLabel')}>
          {demo && (
            <p>
              <Trans i18nKey="notices.demo" components={B} />
            </p>
          )}
          <p>
            {mode === 'browser' ? (
              <Trans i18nKey="notices.weakBrowser" components={B} />
            ) : (
              <Trans i18nKey="notices.weakDesktop" components={B} />
            )}
          </p>
          <div className="banner-actions">
            <button type="button" onClick={() => void actions.choosePersistence('disk')}>
              {t('notices.keepOnDisk')}
            </button>
            <button type="button" onClick={() => void actions.choosePersistence('memory')}>
              {t('notices.memoryOnly')}
            </button>
          </div>
        </div>
      )}
      {updateReady && (
        <div className="banner banner-info" role="status" aria-label={t('notices.updateLabel')}>
          <p>
            {updateReady.status === 'ready' ? (
              <Trans i18nKey="notices.updateReady" values={{ version: updateReady.version }} components={B} />
            ) : (
              <Trans i18nKey="notices.updateRestarting" values={{ version: updateReady.version }} components={B} />
            )}
          </p>
          {updateReady.status === 'ready' && (
            <div className="banner-actions">
              <button type="button" onClick={() => void actions.restartToUpdate()}>
                {t('notices.restart')}
              </button>
            </div>
          )}
        </div>
      )}
      {notices.map((n) => (
        <div key={n.id} className="banner banner-bad" role="status">
          <p data-source="main">{n.message}</p>
          <div className="banner-actions">
            <button type="button" onClick={() => void actions.dismissNotice(n.id)}>
              {t('notices.dismiss')}
            </button>
          </div>
        </div>
      ))}
    </div>
  )
}
