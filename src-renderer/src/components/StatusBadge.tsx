import type { AccountView } from '../../../src-main/ipc/contract'
import { badgeOf, moderationOf, unreadText } from '../status'

export function StatusBadge({ account }: { account: AccountView }) {
  const b = badgeOf(account)
  return (
    <span className={`badge badge-${b.tone}`} data-status={b.label}>
      {b.label}
    </span>
  )
}

/** The AppView's moderation, as its own badge beside the hosting/session one. */
export function ModerationBadge({ account }: { account: AccountView }) {
  const m = moderationOf(account)
  if (!m) return null
  return (
    <span className={`badge badge-${m.tone}`} data-moderation={m.label}>
      {m.label}
    </span>
  )
}

/** The unread notification count; nothing when there is none. */
export function UnreadBadge({ account }: { account: AccountView }) {
  const text = unreadText(account.unread)
  if (!text) return null
  const n = account.unread!
  return (
    <span className="unread" aria-label={`${n} unread notification${n === 1 ? '' : 's'}`}>
      {text}
    </span>
  )
}
