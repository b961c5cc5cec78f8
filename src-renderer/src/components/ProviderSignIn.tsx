import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { actions, CallError } from '../actions'
import { useStore } from '../store'

/**
 * "Sign in with your provider": atproto OAuth. The provider's page opens in
 * the system browser (main opens it in the desktop app; in browser mode a
 * new tab, opened on the click so no popup blocker stops it). Skyswitch
 * never sees the password.
 */
export function ProviderSignIn({ identifier, service }: { identifier: string; service: string }) {
  const { t } = useTranslation()
  const [attempt, setAttempt] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<{ text: string; main: boolean } | null>(null)

  const start = async () => {
    if (starting || attempt) return
    setStarting(true)
    setError(null)
    const tab = useStore.getState().mode === 'browser' ? window.open('about:blank', '_blank') : null
    if (tab) tab.opener = null
    let attemptId: string | null = null
    try {
      const begun = await actions.oauthBegin({
        identifier: identifier.trim(),
        service: service.trim() || undefined,
      })
      attemptId = begun.attemptId
      if (begun.opened) tab?.close()
      else if (tab) tab.location.href = begun.url
      else window.open(begun.url, '_blank', 'noopener,noreferrer')
      setAttempt(attemptId)
      setStarting(false)
      actions.signedIn(await actions.oauthFinish(attemptId), 'provider')
    } catch (err) {
      if (!attemptId) tab?.close()
      setError(
        err instanceof CallError ? { text: err.message, main: true } : { text: t('provider.failed'), main: false },
      )
    } finally {
      setStarting(false)
      setAttempt(null)
    }
  }

  return (
    <div className="provider-sign-in">
      <p className="hint">{t('provider.hint')}</p>
      {attempt ? (
        <p className="hint" role="status">
          {t('provider.waiting')}{' '}
          <button type="button" onClick={() => void actions.oauthCancel(attempt)}>
            {t('provider.cancel')}
          </button>
        </p>
      ) : (
        <button
          type="button"
          disabled={starting || (!identifier.trim() && !service.trim())}
          onClick={() => void start()}
        >
          {starting ? t('provider.opening') : t('provider.start')}
        </button>
      )}
      {error && (
        <p className="form-error" role="alert" data-source={error.main ? 'main' : undefined}>
          {error.text}
        </p>
      )}
    </div>
  )
}
