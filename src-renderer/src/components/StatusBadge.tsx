import type { AccountView } from '../../../src-main/ipc/contract'
import { badgeOf } from '../status'

export function StatusBadge({ account }: { account: AccountView }) {
  const b = badgeOf(account)
  return (
    <span className={`badge badge-${b.tone}`} data-status={b.label}>
      {b.label}
    </span>
  )
}
