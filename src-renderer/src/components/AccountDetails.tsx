import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccountView, CopyKind } from '../../../src-main/ipc/contract'
import { actions, CallError } from '../actions'
import { focusListAfterRemoval } from '../focus'
import { hostOf } from '../status'
import { useStore } from '../store'
import { dateTime, number, relative, useNow } from '../time'
import { AccountBanner } from './AccountBanner'
import { AccountNotices } from './AccountNotices'
import { Avatar } from './Avatar'
import { Confirm } from './Confirm'
import { SignInKind } from './SignInKind'
import { ModerationBadge, StatusBadge, UnreadBadge } from './StatusBadge'
import { ToolsPanel } from './ToolsPanel'

/** Each copy: its button, and what the toast calls it. */
const copies = (t: TFunction): { kind: CopyKind; button: string; what: string }[] => [
  { kind: 'accessToken', button: t('details.copy.accessToken'), what: t('details.copied.accessToken') },
  { kind: 'authHeader', button: t('details.copy.authHeader'), what: t('details.copied.authHeader') },
  { kind: 'env', button: t('details.copy.env'), what: t('details.copied.env') },
  { kind: 'did', button: t('details.copy.did'), what: 'DID' },
  { kind: 'handle', button: t('details.copy.handle'), what: t('details.copied.handle') },
  { kind: 'pdsUrl', button: t('details.copy.pdsUrl'), what: t('details.copied.pdsUrl') },
]

type Pending = 'signOut' | 'remove' | null

export function AccountDetails({ did }: { did: string }) {
  const { t } = useTranslation()
  const account = useStore((s) => s.accounts[did])
  const activeDid = useStore((s) => s.activeDid)
  const clearSeconds = useStore((s) => s.clipboardClearSeconds)
  const [confirm, setConfirm] = useState<Pending>(null)
  const [busy, setBusy] = useState<string | null>(null)
  if (!account) return null
  const signedIn = account.session !== 'signed-out'
  const run = async (name: string, work: () => Promise<unknown>) => {
    if (busy) return
    setBusy(name)
    try {
      await work()
    } finally {
      setBusy(null)
    }
  }

  return (
    <section className="details" aria-labelledby="details-title">
      <header className="details-header">
        <Avatar account={account} size={56} />
        <div className="details-names">
          <h1 id="details-title">{account.displayName || account.handle}</h1>
          <p className="account-handle">@{account.handle}</p>
        </div>
        <div className="details-header-side">
          <UnreadBadge account={account} />
          <StatusBadge account={account} />
          <ModerationBadge account={account} />
          {did === activeDid ? (
            <span className="active-mark" aria-label={t('list.activeAccount')}>
              ● {t('list.inUse')}
            </span>
          ) : (
            <button type="button" className="primary" onClick={() => void actions.switchTo(did)}>
              {t('details.use')}
            </button>
          )}
        </div>
      </header>

      <AccountBanner account={account} />

      <dl className="facts">
        <Fact label={t('details.handle')} value={`@${account.handle}`} />
        <Fact label="DID" value={account.did} mono />
        <Fact label="PDS" value={account.pdsUrl} mono />
        {account.service !== account.pdsUrl && <Fact label={t('details.signedInAt')} value={hostOf(account.service)} />}
        <Fact
          label={t('details.email')}
          value={
            account.email
              ? account.emailConfirmed
                ? t('details.emailConfirmed', { email: account.email })
                : t('details.emailUnconfirmed', { email: account.email })
              : '—'
          }
        />
        <Fact label={t('details.status')} value={<StatusBadge account={account} />} />
        <Fact
          label={t('details.unread')}
          value={<span className="unread-fact">{account.unread === undefined ? '—' : number(account.unread)}</span>}
        />
        <Fact label={t('details.session')} value={sessionText(account, t)} />
        <Fact label={t('details.signIn')} value={<SignInKind account={account} />} />
        <ExpiryFacts account={account} />
      </dl>

      {signedIn && <TokenPreview account={account} />}

      <div className="action-group" role="group" aria-label={t('details.actions')}>
        <button
          type="button"
          // The running button stays enabled (and says it is busy), so it keeps keyboard focus.
          disabled={!signedIn || (busy !== null && busy !== 'check')}
          aria-disabled={busy === 'check' || undefined}
          onClick={() => void run('check', () => actions.check(did))}
        >
          {busy === 'check' ? t('details.checking') : t('details.check')}
        </button>
        <button
          type="button"
          disabled={!signedIn || account.scope === 'takendown' || (busy !== null && busy !== 'refresh')}
          aria-disabled={busy === 'refresh' || undefined}
          onClick={() => void run('refresh', () => actions.refresh(did))}
        >
          {busy === 'refresh' ? t('details.refreshing') : t('details.refresh')}
        </button>
        <button type="button" disabled={!signedIn || busy !== null} onClick={() => setConfirm('signOut')}>
          {t('details.signOut')}
        </button>
        <button type="button" className="danger" disabled={busy !== null} onClick={() => setConfirm('remove')}>
          {t('details.remove')}
        </button>
      </div>

      {signedIn && account.scope !== 'takendown' && (
        <section className="copy-section" aria-labelledby="copy-title">
          <h2 id="copy-title">{t('details.copyTitle')}</h2>
          <p className="hint">
            {clearSeconds > 0 ? t('details.copyHint', { count: clearSeconds }) : t('details.copyHintNever')}
          </p>
          <div className="copy-grid">
            {copies(t).map((c) => (
              <button key={c.kind} type="button" onClick={() => void actions.copy(did, c.kind, c.what)}>
                {c.button}
              </button>
            ))}
          </div>
        </section>
      )}

      <AccountNotices account={account} />

      <ToolsPanel account={account} />

      {confirm === 'signOut' && (
        <Confirm
          title={t('details.confirmSignOut.title', { handle: account.handle })}
          body={t('details.confirmSignOut.body')}
          confirmLabel={t('details.confirmSignOut.confirm')}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null)
            void run('signOut', () => actions.signOut(did))
          }}
        />
      )}
      {confirm === 'remove' && (
        <Confirm
          title={t('details.confirmRemove.title', { handle: account.handle })}
          body={t('details.confirmRemove.body')}
          confirmLabel={t('details.confirmRemove.confirm')}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null)
            // Focus moves to the list once the account has left it.
            void run('remove', async () => (await actions.remove(did)) && focusListAfterRemoval(did))
          }}
        />
      )}
    </section>
  )
}

function Fact({ label, value, mono }: { label: string; value: React.ReactNode; mono?: boolean }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{value}</dd>
    </div>
  )
}

function sessionText(a: AccountView, t: TFunction): string {
  switch (a.session) {
    case 'signed-in':
      return a.scope === 'app-password'
        ? t('details.sessionAppPassword')
        : a.scope === 'takendown'
          ? t('details.sessionTakendown')
          : t('details.sessionSignedIn')
    case 'refreshing':
      return t('details.refreshing')
    case 'signed-out':
      return t('status.signedOut')
    case 'rate-limited':
      return t('details.sessionRateLimited')
    case 'offline':
      return t('details.sessionOffline')
  }
}

function ExpiryFacts({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  const now = useNow(1000)
  const signedIn = account.session !== 'signed-out'
  return (
    <>
      <Fact
        label={t('details.accessExpires')}
        // Tokens are opaque: one that does not say when it expires is shown as unknown.
        value={
          !signedIn ? '—' : account.accessExpiresAt ? relative(account.accessExpiresAt, now) : t('details.unknown')
        }
      />
      <Fact
        label={t('details.lastRefresh')}
        value={account.lastRefreshAt ? relative(account.lastRefreshAt, now) : '—'}
      />
      <Fact label={t('details.refreshExpires')} value={signedIn ? dateTime(account.refreshExpiresAt) : '—'} />
      <Fact
        label={t('details.lastChecked')}
        value={account.lastCheckedAt ? relative(account.lastCheckedAt, now) : '—'}
      />
    </>
  )
}

/** Masked by default; revealing asks main for the token, which is never kept in the store. */
function TokenPreview({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  const [shown, setShown] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  return (
    <div className="token-preview">
      <span className="fact-label">{t('details.accessToken')}</span>
      <code className="mono token-text" aria-label={t('details.accessToken')}>
        {shown ?? '••••••••••••••••••••••••'}
      </code>
      <button
        type="button"
        onClick={async () => {
          if (shown) return setShown(null)
          try {
            setShown(await actions.revealAccess(account.did))
            setError(null)
          } catch (err) {
            setError(err instanceof CallError ? err.message : t('details.revealFailed'))
          }
        }}
      >
        {shown ? t('details.hide') : t('details.reveal')}
      </button>
      {error && (
        <span role="alert" data-source="main">
          {error}
        </span>
      )}
    </div>
  )
}
