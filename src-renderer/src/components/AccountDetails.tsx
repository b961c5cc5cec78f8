import { useState } from 'react'
import type { AccountView, CopyKind } from '../../../src-main/ipc/contract'
import { actions, CallError } from '../actions'
import { focusListAfterRemoval } from '../focus'
import { hostOf } from '../status'
import { useStore } from '../store'
import { dateTime, relative, useNow } from '../time'
import { AccountBanner } from './AccountBanner'
import { AccountNotices } from './AccountNotices'
import { Avatar } from './Avatar'
import { Confirm } from './Confirm'
import { SignInKind } from './SignInKind'
import { ModerationBadge, StatusBadge, UnreadBadge } from './StatusBadge'
import { ToolsPanel } from './ToolsPanel'

const COPIES: { kind: CopyKind; label: string; secret: boolean }[] = [
  { kind: 'accessToken', label: 'access token', secret: true },
  { kind: 'authHeader', label: 'Authorization header', secret: true },
  { kind: 'env', label: 'env block', secret: true },
  { kind: 'did', label: 'DID', secret: false },
  { kind: 'handle', label: 'handle', secret: false },
  { kind: 'pdsUrl', label: 'PDS URL', secret: false },
]

type Pending = 'signOut' | 'remove' | null

export function AccountDetails({ did }: { did: string }) {
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
            <span className="active-mark" aria-label="Active account">
              ● In use
            </span>
          ) : (
            <button type="button" className="primary" onClick={() => void actions.switchTo(did)}>
              Use this account
            </button>
          )}
        </div>
      </header>

      <AccountBanner account={account} />

      <dl className="facts">
        <Fact label="Handle" value={`@${account.handle}`} />
        <Fact label="DID" value={account.did} mono />
        <Fact label="PDS" value={account.pdsUrl} mono />
        {account.service !== account.pdsUrl && <Fact label="Signed in at" value={hostOf(account.service)} />}
        <Fact
          label="Email"
          value={account.email ? `${account.email} (${account.emailConfirmed ? 'confirmed' : 'not confirmed'})` : '—'}
        />
        <Fact label="Status" value={<StatusBadge account={account} />} />
        <Fact
          label="Unread notifications"
          value={<span className="unread-fact">{account.unread === undefined ? '—' : account.unread}</span>}
        />
        <Fact label="Session" value={sessionText(account)} />
        <Fact label="Sign-in" value={<SignInKind account={account} />} />
        <ExpiryFacts account={account} />
      </dl>

      {signedIn && <TokenPreview account={account} />}

      <div className="action-group" role="group" aria-label="Session actions">
        <button
          type="button"
          // The running button stays enabled (and says it is busy), so it keeps keyboard focus.
          disabled={!signedIn || (busy !== null && busy !== 'check')}
          aria-disabled={busy === 'check' || undefined}
          onClick={() => void run('check', () => actions.check(did))}
        >
          {busy === 'check' ? 'Checking…' : 'Check now'}
        </button>
        <button
          type="button"
          disabled={!signedIn || account.scope === 'takendown' || (busy !== null && busy !== 'refresh')}
          aria-disabled={busy === 'refresh' || undefined}
          onClick={() => void run('refresh', () => actions.refresh(did))}
        >
          {busy === 'refresh' ? 'Refreshing…' : 'Refresh now'}
        </button>
        <button type="button" disabled={!signedIn || busy !== null} onClick={() => setConfirm('signOut')}>
          Sign out
        </button>
        <button type="button" className="danger" disabled={busy !== null} onClick={() => setConfirm('remove')}>
          Remove from this device
        </button>
      </div>

      {signedIn && account.scope !== 'takendown' && (
        <section className="copy-section" aria-labelledby="copy-title">
          <h2 id="copy-title">Copy for tools</h2>
          <p className="hint">
            Copying happens in Skyswitch; secrets are cleared from the clipboard after {clearSeconds} s. The refresh
            token is never offered: a copied refresh token would sign this app out.
          </p>
          <div className="copy-grid">
            {COPIES.map((c) => (
              <button
                key={c.kind}
                type="button"
                onClick={() => void actions.copy(did, c.kind, c.label[0]!.toUpperCase() + c.label.slice(1))}
              >
                Copy {c.label}
              </button>
            ))}
          </div>
        </section>
      )}

      <AccountNotices account={account} />

      <ToolsPanel account={account} />

      {confirm === 'signOut' && (
        <Confirm
          title={`Sign out of @${account.handle}?`}
          body="The session is revoked at the server. The account stays in the list so you can sign in again."
          confirmLabel="Sign out"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null)
            void run('signOut', () => actions.signOut(did))
          }}
        />
      )}
      {confirm === 'remove' && (
        <Confirm
          title={`Remove @${account.handle} from this device?`}
          body="Skyswitch revokes the session if the server answers and deletes everything it keeps for this account."
          confirmLabel="Remove"
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

function sessionText(a: AccountView): string {
  const scope = a.scope === 'app-password' ? ' (app password)' : a.scope === 'takendown' ? ' (takedown, read-only)' : ''
  switch (a.session) {
    case 'signed-in':
      return `Signed in${scope}`
    case 'refreshing':
      return 'Refreshing…'
    case 'signed-out':
      return 'Signed out'
    case 'rate-limited':
      return 'Waiting for the rate limit'
    case 'offline':
      return 'Offline, sign-in kept'
  }
}

function ExpiryFacts({ account }: { account: AccountView }) {
  const now = useNow(1000)
  const signedIn = account.session !== 'signed-out'
  return (
    <>
      <Fact
        label="Access token expires"
        // Tokens are opaque: one that does not say when it expires is shown as unknown.
        value={!signedIn ? '—' : account.accessExpiresAt ? relative(account.accessExpiresAt, now) : 'unknown'}
      />
      <Fact label="Last refresh" value={account.lastRefreshAt ? relative(account.lastRefreshAt, now) : '—'} />
      <Fact label="Refresh token expires" value={signedIn ? dateTime(account.refreshExpiresAt) : '—'} />
      <Fact label="Last checked" value={account.lastCheckedAt ? relative(account.lastCheckedAt, now) : '—'} />
    </>
  )
}

/** Masked by default; revealing asks main for the token, which is never kept in the store. */
function TokenPreview({ account }: { account: AccountView }) {
  const [shown, setShown] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  return (
    <div className="token-preview">
      <span className="fact-label">Access token</span>
      <code className="mono token-text" aria-label="Access token">
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
            setError(err instanceof CallError ? err.message : 'Could not reveal the token.')
          }
        }}
      >
        {shown ? 'Hide' : 'Reveal'}
      </button>
      {error && <span role="alert">{error}</span>}
    </div>
  )
}
