import type { CopyKind } from '../../ipc/contract'
import type { AccountService } from '../accounts/account-service'
import { SkyswitchError } from '../errors'
import { exportBlock, tokenVars } from './tool-env'

/** What each copy button puts on the clipboard; the token never leaves main. */
export async function copyText(accounts: AccountService, did: string, kind: CopyKind): Promise<string> {
  const a = accounts.get(did)
  switch (kind) {
    case 'did':
      return a.did
    case 'handle':
      return a.handle
    case 'pdsUrl':
      return a.pdsUrl
    case 'accessToken':
      return (await accounts.accessToken(did)).accessJwt
    case 'authHeader':
      return `Authorization: Bearer ${(await accounts.accessToken(did)).accessJwt}`
    case 'env':
      return exportBlock(await tokenVars(accounts, did, 5 * 60_000))
    default:
      throw new SkyswitchError('BadRequest', 'Unknown copy kind.')
  }
}
