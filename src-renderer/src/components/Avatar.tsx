import { useState } from 'react'
import type { AccountView } from '../../../src-main/ipc/contract'
import { initials } from '../status'

export function Avatar({ account, size = 36 }: { account: AccountView; size?: number }) {
  // Remembered per address, not per component: the details pane keeps this
  // component when it moves to another account, whose avatar may load fine.
  const [failed, setFailed] = useState<string | null>(null)
  const style = { width: size, height: size, fontSize: size * 0.4 }
  const src = account.avatar
  if (src && failed !== src) {
    return <img className="avatar" src={src} alt="" style={style} onError={() => setFailed(src)} />
  }
  return (
    <span className="avatar avatar-initials" aria-hidden="true" style={style} data-hue={hue(account.did)}>
      {initials(account)}
    </span>
  )
}

/** A stable colour per account, so initials are easy to tell apart. */
function hue(did: string): number {
  let h = 0
  for (let i = 0; i < did.length; i++) h = (h * 31 + did.charCodeAt(i)) % 8
  return h
}
