import type { AccountView } from '../../src-main/ipc/contract'

/** An account as main shows it: signed in with a password and active on its host, unless `over` says otherwise. */
export function accountView(
  did: string,
  handle: string,
  over: Partial<AccountView> = {},
  host = 'https://pds.example',
): AccountView {
  return {
    did,
    handle,
    service: host,
    pdsUrl: host,
    hosting: 'active',
    session: 'signed-in',
    scope: 'full',
    ...over,
  }
}
