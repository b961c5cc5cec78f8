import { useState } from 'react'
import { actions, CallError } from '../actions'
import { useStore } from '../store'

/**
 * "Sign in with your provider": atproto OAuth. The provider's page opens in
 * the system browser (main opens it in the desktop app; in browser mode a
 * new tab, opened on the click so no popup blocker stops it). Skyswitch
 * never sees the password.
 */
export function ProviderSignIn({ identifier, service }: { identifier: string; service: string }) {
  const [attempt, setAttempt] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<string | null>(null)

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
      actions.signedIn(await actions.oauthFinish(attemptId), ' with your provider')
    } catch (err) {
      if (!attemptId) tab?.close()
      setError(err instanceof CallError ? err.message : 'The sign-in failed.')
    } finally {
      setStarting(false)
      setAttempt(null)
    }
  }

  return (
    <div className="provider-sign-in">
      <p className="hint">Or sign in on your provider’s own page, without giving Skyswitch a password:</p>
      {attempt ? (
        <p className="hint" role="status">
          Finish signing in in your browser, then come back.{' '}
          <button type="button" onClick={() => void actions.oauthCancel(attempt)}>
            Cancel sign-in
          </button>
        </p>
      ) : (
        <button
          type="button"
          disabled={starting || (!identifier.trim() && !service.trim())}
          onClick={() => void start()}
        >
          {starting ? 'Opening your provider…' : 'Sign in with your provider'}
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
