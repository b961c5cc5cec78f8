import { Trans, useTranslation } from 'react-i18next'
import type { AccountView } from '../../../src-main/ipc/contract'
import { actions } from '../actions'
import { hostOf, moderationOf } from '../status'
import { useStore } from '../store'
import { countdown, relative, useNow } from '../time'

const APPEAL_URL = 'https://bsky.social/about/support/community-guidelines#appeals'

/** The one banner an account's state calls for; the slot keeps its height either way. */
/** The banners' headlines in bold. */
const B = { b: <strong /> }

export function AccountBanner({ account }: { account: AccountView }) {
  const { t } = useTranslation()
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
          <Trans i18nKey="banner.takendown" values={{ host: hostOf(account.service) }} components={B} />
        </p>
        <div className="banner-actions">
          <a href={APPEAL_URL} target="_blank" rel="noreferrer noopener">
            {t('banner.appealTakedown')}
          </a>
          {account.scope !== 'takendown' && (
            <button type="button" onClick={() => relogin(true)}>
              {t('banner.signInForDetails')}
            </button>
          )}
        </div>
      </>
    )
  } else if (account.hosting === 'suspended') {
    tone = 'bad'
    body = (
      <p>
        <Trans i18nKey="banner.suspended" values={{ host: hostOf(account.service) }} components={B} />
      </p>
    )
  } else if (account.hosting === 'deactivated') {
    tone = 'warn'
    body = (
      <>
        <p>
          <Trans i18nKey="banner.deactivated" components={B} />
        </p>
        <div className="banner-actions">
          <button
            type="button"
            onClick={() => void actions.activate(account.did)}
            disabled={account.session === 'signed-out'}
          >
            {t('banner.reactivate')}
          </button>
        </div>
      </>
    )
  } else if (account.session === 'signed-out') {
    tone = 'muted'
    body = (
      <>
        <p>
          {account.lastError ? (
            // The reason is main's message, shown as it came.
            <Trans
              i18nKey="banner.signedOutWhy"
              values={{ why: account.lastError.message }}
              components={{ ...B, m: <span data-source="main" /> }}
            />
          ) : (
            <Trans i18nKey="banner.signedOut" components={B} />
          )}
        </p>
        <div className="banner-actions">
          <button type="button" onClick={() => relogin()}>
            {t('banner.signInAgain')}
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
          <Trans i18nKey="banner.offline" values={{ host: hostOf(account.pdsUrl) }} components={B} />
        </p>
        <div className="banner-actions">
          <button type="button" onClick={() => void actions.retry(account.did)}>
            {t('banner.retry')}
          </button>
        </div>
      </>
    )
  }

  // The AppView's moderation comes after the host's own status and the session.
  const moderation = body ? null : moderationOf(account, t)
  if (moderation) {
    tone = moderation.tone
    body = (
      <>
        <p>
          <Trans
            i18nKey="banner.moderation"
            values={{ title: moderation.title, body: moderation.body }}
            components={B}
          />
        </p>
        {moderation.next === 'appeal' && (
          <div className="banner-actions">
            <a href={APPEAL_URL} target="_blank" rel="noreferrer noopener">
              {t('moderation.appeal')}
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
      <div className={`banner banner-${tone}`} role="status" aria-label={t('banner.label')}>
        {body}
      </div>
    </div>
  )
}

function AllGood({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  const now = useNow(1000)
  if (account.session === 'refreshing') {
    return (
      <p>
        <Trans i18nKey="banner.refreshing" values={{ host: hostOf(account.pdsUrl) }} components={B} />
      </p>
    )
  }
  if (account.scope === 'takendown') {
    return <p>{t('banner.readOnly')}</p>
  }
  return (
    <p>
      {account.accessExpiresAt ? (
        <Trans
          i18nKey="banner.signedInExpires"
          values={{ when: relative(account.accessExpiresAt, now) }}
          components={B}
        />
      ) : (
        <Trans i18nKey="banner.signedIn" components={B} />
      )}
    </p>
  )
}

function RateLimited({ retryAt, host }: { retryAt: number; host: string }) {
  const { t } = useTranslation()
  const now = useNow(1000)
  return (
    <p>
      <Trans
        i18nKey="banner.rateLimited"
        values={{ host, countdown: countdown(retryAt, now) }}
        components={{ ...B, c: <span className="countdown" aria-label={t('banner.untilRetry')} /> }}
      />
    </p>
  )
}
