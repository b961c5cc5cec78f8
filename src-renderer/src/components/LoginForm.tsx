import type { TFunction } from 'i18next'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { actions, CallError } from '../actions'
import { useReturnFocus } from '../focus'
import { useStore } from '../store'
import { countdown, useNow } from '../time'
import { ProviderSignIn } from './ProviderSignIn'

const APP_PASSWORDS_URL = 'https://bsky.app/settings/app-passwords'

type Step = 'credentials' | 'code'

/** Add an account, sign in again, or sign in to a taken-down account; with the email-code step. */
export function LoginForm() {
  const { t } = useTranslation()
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
  // `main`: the message is (or holds) main's own, shown as it came.
  const [error, setError] = useState<{ code: string; message: string; retryAt?: number; main?: boolean } | null>(null)
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
      const info = err instanceof CallError ? err : new CallError({ code: 'Internal', message: t('login.failed') })
      if (info.code === 'AuthFactorTokenRequired') {
        setStep('code')
        setError(step === 'code' ? { code: info.code, message: t('login.codeFailed') } : null)
      } else {
        setError({ code: info.code, ...messageFor(info, t), retryAt: info.retryAt })
      }
    } finally {
      setPending(false)
    }
  }

  const title = prefill ? t('login.titleAgain', { handle: prefill.identifier }) : t('login.title')

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
              <span>{t('login.identifier')}</span>
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
              <span>{t('login.password')}</span>
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
              <Trans
                i18nKey="login.appPasswordHint"
                components={{ a: <a href={APP_PASSWORDS_URL} target="_blank" rel="noreferrer noopener" /> }}
              />
            </p>
            <label className="field">
              <span>{t('login.service')}</span>
              <input
                name="service"
                spellCheck={false}
                autoCapitalize="off"
                value={service}
                onChange={(e) => setService(e.target.value)}
              />
              <small>{t('login.serviceHint')}</small>
            </label>
            <ProviderSignIn identifier={identifier} service={service} />
            {allowTakendown && <p className="hint">{t('login.takendownHint')}</p>}
          </>
        ) : (
          <label className="field">
            <span>{t('login.code')}</span>
            <input
              ref={codeRef}
              name="code"
              autoComplete="one-time-code"
              spellCheck={false}
              placeholder="XXXXX-XXXXX"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <small>{t('login.codeHint', { identifier })}</small>
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
            {t('login.signInAnyway')}
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
              {step === 'code' ? t('login.back') : t('login.cancel')}
            </button>
          )}
          <button type="submit" className="primary" disabled={pending || !identifier.trim() || !password}>
            {pending ? t('login.signingIn') : t('login.signIn')}
          </button>
        </div>
      </form>
    </section>
  )
}

function FormError({ error }: { error: { message: string; retryAt?: number; main?: boolean } }) {
  const { t } = useTranslation()
  const now = useNow(1000)
  return (
    <p data-source={error.main ? 'main' : undefined}>
      {error.retryAt && error.retryAt > now
        ? t('login.errorRetry', { message: error.message, countdown: countdown(error.retryAt, now) })
        : error.message}
    </p>
  )
}

/** The "at sign-in" column of the README's error table, in words for people. */
function messageFor(err: CallError, t: TFunction): { message: string; main?: boolean } {
  switch (err.code) {
    case 'AuthenticationRequired':
      return { message: t('login.errors.authentication') }
    case 'AccountTakedown':
      return { message: t('login.errors.takedown') }
    case 'RateLimited':
      return { message: t('login.errors.rateLimited') }
    case 'Offline':
      // What could not be reached is main's message, shown as it came.
      return { message: t('login.errors.offline', { message: err.message }), main: true }
    default:
      return err.message ? { message: err.message, main: true } : { message: t('login.failed') }
  }
}
