import { type FormEvent, useEffect, useRef, useState } from 'react'
import { actions, CallError } from '../actions'
import { useReturnFocus } from '../focus'
import { useStore } from '../store'
import { countdown, useNow } from '../time'
import { ProviderSignIn } from './ProviderSignIn'

const APP_PASSWORDS_URL = 'https://bsky.app/settings/app-passwords'

type Step = 'credentials' | 'code'

/** Add an account, sign in again, or sign in to a taken-down account; with the email-code step. */
export function LoginForm() {
  const pane = useStore((s) => s.pane)
  const defaultService = useStore((s) => s.defaultService)
  const hasAccounts = useStore((s) => s.order.length > 0)
  const closeLogin = useStore((s) => s.closeLogin)
  const prefill = pane.kind === 'login' ? pane.prefill : undefined
  const [identifier, setIdentifier] = useState(prefill?.identifier ?? '')
  const [password, setPassword] = useState('')
  const [service, setService] = useState(prefill?.service ?? defaultService)
  const [code, setCode] = useState('')
  const [step, setStep] = useState<Step>('credentials')
  const [allowTakendown, setAllowTakendown] = useState(pane.kind === 'login' && !!pane.allowTakendown)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<{ code: string; message: string; retryAt?: number } | null>(null)
  const firstRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)
  const codeRef = useRef<HTMLInputElement>(null)
  // Signed in or cancelled: focus goes back to what opened the form (Add account), else to the list.
  const sectionRef = useReturnFocus<HTMLElement>()

  useEffect(() => {
    if (step === 'code') codeRef.current?.focus()
    else if (prefill?.identifier) passwordRef.current?.focus()
    else firstRef.current?.focus()
  }, [step, prefill?.identifier])

  const submit = async (e?: FormEvent, opts: { allowTakendown?: boolean } = {}) => {
    e?.preventDefault()
    if (pending) return
    setPending(true)
    setError(null)
    const takedown = opts.allowTakendown ?? allowTakendown
    try {
      const account = await actions.signIn({
        identifier: identifier.trim(),
        password,
        service: service.trim() || undefined,
        authFactorToken: step === 'code' ? code.trim() : undefined,
        allowTakendown: takedown || undefined,
      })
      setPassword('')
      actions.signedIn(account)
    } catch (err) {
      const info = err instanceof CallError ? err : new CallError({ code: 'Internal', message: 'Sign-in failed.' })
      if (info.code === 'AuthFactorTokenRequired') {
        setStep('code')
        setError(
          step === 'code' ? { code: info.code, message: 'That code did not work. Check the latest email.' } : null,
        )
      } else {
        setError({ code: info.code, message: messageFor(info), retryAt: info.retryAt })
      }
    } finally {
      setPending(false)
    }
  }

  const title = prefill ? `Sign in again to @${prefill.identifier}` : 'Add an account'

  return (
    <section ref={sectionRef} className="login" aria-labelledby="login-title">
      <form
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && hasAccounts) {
            e.preventDefault()
            closeLogin()
          }
        }}
        noValidate
      >
        <h1 id="login-title">{title}</h1>
        {step === 'credentials' ? (
          <>
            <label className="field">
              <span>Handle, DID or email</span>
              <input
                ref={firstRef}
                name="identifier"
                autoComplete="username"
                spellCheck={false}
                autoCapitalize="off"
                placeholder="alice.bsky.social"
                value={identifier}
                onChange={(e) => setIdentifier(e.target.value)}
                required
              />
            </label>
            <label className="field">
              <span>Password</span>
              <input
                ref={passwordRef}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </label>
            <p className="hint">
              Use an app password: it can be revoked on its own and cannot change your account.{' '}
              <a href={APP_PASSWORDS_URL} target="_blank" rel="noreferrer noopener">
                Create an app password
              </a>
            </p>
            <label className="field">
              <span>Hosting provider</span>
              <input
                name="service"
                spellCheck={false}
                autoCapitalize="off"
                value={service}
                onChange={(e) => setService(e.target.value)}
              />
              <small>bsky.social, or the address of your own PDS.</small>
            </label>
            <ProviderSignIn identifier={identifier} service={service} />
            {allowTakendown && (
              <p className="hint">Signing in to a taken-down account shows its details; it cannot post or refresh.</p>
            )}
          </>
        ) : (
          <label className="field">
            <span>Sign-in code from email</span>
            <input
              ref={codeRef}
              name="code"
              autoComplete="one-time-code"
              spellCheck={false}
              placeholder="XXXXX-XXXXX"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <small>We sent a code to the email address of {identifier}. Enter it to finish signing in.</small>
          </label>
        )}

        <div className="form-error" role="alert" aria-live="assertive">
          {error && <FormError error={error} />}
        </div>
        {error?.code === 'AccountTakedown' && !allowTakendown && (
          <button
            type="button"
            onClick={() => {
              setAllowTakendown(true)
              void submit(undefined, { allowTakendown: true })
            }}
          >
            Sign in anyway to see details
          </button>
        )}

        <div className="form-actions">
          {(hasAccounts || step === 'code') && (
            <button
              type="button"
              onClick={() => {
                if (step === 'code') {
                  setStep('credentials')
                  setCode('')
                  setError(null)
                } else closeLogin()
              }}
            >
              {step === 'code' ? 'Back' : 'Cancel'}
            </button>
          )}
          <button type="submit" className="primary" disabled={pending || !identifier.trim() || !password}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  )
}

function FormError({ error }: { error: { message: string; retryAt?: number } }) {
  const now = useNow(1000)
  return (
    <p>
      {error.message}
      {error.retryAt && error.retryAt > now ? ` Try again in ${countdown(error.retryAt, now)}.` : ''}
    </p>
  )
}

/** The "at sign-in" column of the README's error table, in words for people. */
function messageFor(err: CallError): string {
  switch (err.code) {
    case 'AuthenticationRequired':
      return 'Wrong handle or password. If you use two-factor sign-in or a password manager, try an app password.'
    case 'AccountTakedown':
      return 'This account has been taken down by its hosting provider.'
    case 'RateLimited':
      return 'Too many sign-in attempts. The provider asks to wait before trying again.'
    case 'Offline':
      return `${err.message} Check the hosting provider address and your connection.`
    case 'ResolutionFailed':
    case 'BadRequest':
    case 'MalformedResponse':
    case 'ServerRefused':
      return err.message
    default:
      return err.message || 'Sign-in failed.'
  }
}
