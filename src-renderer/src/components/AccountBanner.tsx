import type { AccountView } from '../../../src-main/ipc/contract'
import { actions } from '../actions'
import { hostOf, moderationOf } from '../status'
import { useStore } from '../store'
import { countdown, relative, useNow } from '../time'

const APPEAL_URL = 'https://bsky.social/about/support/community-guidelines#appeals'

/** The one banner an account's state calls for; the slot keeps its height either way. */
export function AccountBanner({ account }: { account: AccountView }) {
  const openLogin = useStore((s) => s.openLogin)
  const relogin = (allowTakendown = false) =>
    openLogin({
      kind: 'login',
      prefill: { identifier: account.handle, service: account.service, did: account.did },
      allowTakendown,
    })

  let body: React.ReactNode = null
  let tone = 'info'
  if (account.hosting === 'takendown') {
    tone = 'bad'
    body = (
      <>
        <p>
          <strong>Taken down.</strong> {hostOf(account.service)} has taken this account down. You can appeal the
          decision; signing in again shows the account’s details.
        </p>
        <div className="banner-actions">
          <a href={APPEAL_URL} target="_blank" rel="noreferrer noopener">
            Appeal the takedown
          </a>
          {account.scope !== 'takendown' && (
            <button type="button" onClick={() => relogin(true)}>
              Sign in to see details
            </button>
          )}
        </div>
      </>
    )
  } else if (account.hosting === 'suspended') {
    tone = 'bad'
    body = (
      <p>
        <strong>Suspended.</strong> This account is suspended by {hostOf(account.service)}. It cannot post until the
        suspension ends.
      </p>
    )
  } else if (account.hosting === 'deactivated') {
    tone = 'warn'
    body = (
      <>
        <p>
          <strong>Deactivated.</strong> This account is deactivated and hidden. Reactivating needs a session from the
          account’s main password; an app password cannot do it.
        </p>
        <div className="banner-actions">
          <button
            type="button"
            onClick={() => void actions.activate(account.did)}
            disabled={account.session === 'signed-out'}
          >
            Reactivate
          </button>
        </div>
      </>
    )
  } else if (account.session === 'signed-out') {
    tone = 'muted'
    body = (
      <>
        <p>
          <strong>Signed out.</strong> {account.lastError ? `${account.lastError.message} ` : ''}Skyswitch kept the
          account so you can sign in again.
        </p>
        <div className="banner-actions">
          <button type="button" onClick={() => relogin()}>
            Sign in again
          </button>
        </div>
      </>
    )
  } else if (account.session === 'rate-limited' && account.retryAt) {
    tone = 'warn'
    body = <RateLimited retryAt={account.retryAt} host={hostOf(account.pdsUrl)} />
  } else if (account.session === 'offline') {
    tone = 'warn'
    body = (
      <>
        <p>
          <strong>Offline.</strong> Cannot reach {hostOf(account.pdsUrl)}. The sign-in is kept and Skyswitch retries on
          its own.
        </p>
        <div className="banner-actions">
          <button type="button" onClick={() => void actions.retry(account.did)}>
            Retry now
          </button>
        </div>
      </>
    )
  }

  // The AppView's moderation comes after the host's own status and the session.
  const moderation = body ? null : moderationOf(account)
  if (moderation) {
    tone = moderation.tone
    body = (
      <>
        <p>
          <strong>{moderation.title}</strong> {moderation.body}
        </p>
        {moderation.next === 'appeal' && (
          <div className="banner-actions">
            <a href={APPEAL_URL} target="_blank" rel="noreferrer noopener">
              Appeal the moderation decision
            </a>
          </div>
        )}
      </>
    )
  }
  if (!body) {
    tone = 'ok'
    body = <AllGood account={account} />
  }
  return (
    <div className="banner-slot">
      <div className={`banner banner-${tone}`} role="status" aria-label="Account status">
        {body}
      </div>
    </div>
  )
}

function AllGood({ account }: { account: AccountView }) {
  const now = useNow(1000)
  if (account.session === 'refreshing') {
    return (
      <p>
        <strong>Refreshing…</strong> Getting a fresh session from {hostOf(account.pdsUrl)}.
      </p>
    )
  }
  if (account.scope === 'takendown') {
    return <p>Signed in read-only.</p>
  }
  return (
    <p>
      <strong>Signed in.</strong> Skyswitch keeps this session fresh on its own
      {account.accessExpiresAt ? `; the current token expires ${relative(account.accessExpiresAt, now)}.` : '.'}
    </p>
  )
}

function RateLimited({ retryAt, host }: { retryAt: number; host: string }) {
  const now = useNow(1000)
  return (
    <p>
      <strong>Rate-limited.</strong> {host} asked Skyswitch to wait. Trying again in{' '}
      <span className="countdown" aria-label="time until retry">
        {countdown(retryAt, now)}
      </span>
      .
    </p>
  )
}
