import type { CopyKind } from '../../ipc/contract'
import type { AccountService } from '../accounts'
import { SkyswitchError } from '../errors'

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
      return envBlock(a.pdsUrl, a.handle, a.did, (await accounts.accessToken(did)).accessJwt)
    default:
      throw new SkyswitchError('BadRequest', 'Unknown copy kind.')
  }
}

export function envBlock(pds: string, handle: string, did: string, jwt: string): string {
  return [
    `export ATP_PDS_URL=${pds}`,
    `export ATP_HANDLE=${handle}`,
    `export ATP_DID=${did}`,
    `export ATP_ACCESS_JWT=${jwt}`,
    '',
  ].join('\n')
}
