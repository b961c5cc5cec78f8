import { useTranslation } from 'react-i18next'
import type { AccountView } from '../../../src-main/ipc/contract'
import { badgeOf, moderationOf, unreadText } from '../status'

export function StatusBadge({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  const b = badgeOf(account, t)
  return (
    <span className={`badge badge-${b.tone}`} data-status={b.code}>
      {b.label}
    </span>
  )
}

/** The AppView's moderation, as its own badge beside the hosting/session one. */
export function ModerationBadge({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  const m = moderationOf(account, t)
  if (!m) return null
  return (
    <span className={`badge badge-${m.tone}`} data-moderation={m.code}>
      {m.label}
    </span>
  )
}

/** The unread notification count; nothing when there is none. */
export function UnreadBadge({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  const text = unreadText(account.unread)
  if (!text) return null
  return (
    <span className="unread" aria-label={t('list.unreadLabel', { count: account.unread })}>
      {text}
    </span>
  )
}
