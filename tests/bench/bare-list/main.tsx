/**
 * The floor for the renderer's first render: a minimal React component that
 * renders the same 1,000 rows' texts as the account list, with no store, no
 * virtual window and no styles. It loads the same getState reply (served by
 * the bench) and renders it synchronously, as the app's store update does.
 */
import { useEffect, useState } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import type { AccountView } from '../../../src-main/ipc/contract'
import { i18n } from '../../../src-renderer/src/i18n'
import { badgeOf, moderationOf, unreadText } from '../../../src-renderer/src/status'

const t = i18n.t.bind(i18n)

function BareList() {
  const [accounts, setAccounts] = useState<AccountView[] | null>(null)
  useEffect(() => {
    void fetch('./state.json')
      .then((r) => r.json() as Promise<{ value: { accounts: AccountView[] } }>)
      .then((r) => flushSync(() => setAccounts(r.value.accounts)))
  }, [])
  if (!accounts) return <p>Loading accounts…</p>
  return (
    <ul role="listbox" aria-label="Accounts">
      {accounts.map((a, i) => {
        const unread = unreadText(a.unread)
        return (
          <li key={a.did} role="option" aria-selected={false} aria-posinset={i + 1} aria-setsize={accounts.length}>
            <span>{a.displayName || a.handle}</span>
            <span>@{a.handle}</span>
            {unread && <span>{unread}</span>}
            <span>{badgeOf(a, t).label}</span>
            {moderationOf(a, t) && <span>{moderationOf(a, t)!.label}</span>}
          </li>
        )
      })}
    </ul>
  )
}

createRoot(document.getElementById('root')!).render(<BareList />)
