/**
 * Child process for the persist-first test: refreshes one account and "dies"
 * between the server's reply and the vault write (the write never happens;
 * the parent SIGKILLs us). Prints a hash of the successor token's id, never the token.
 * argv: dataDir plcUrl did
 */
import { createHash } from 'node:crypto'
import { decodeJwt } from 'jose'
import { coreAt } from './core'

const [dataDir, plcUrl, did] = process.argv.slice(2) as [string, string, string]
const core = await coreAt(dataDir, { plcUrl })
core.vault.saveAccount = async (_meta, tokens) => {
  // The successor's id (jti): the PDS hands back the same one on a retry,
  // re-signed with a new iat, so the token text itself may differ.
  const hash = createHash('sha256')
    .update(String(decodeJwt(tokens?.refreshJwt ?? '').jti))
    .digest('hex')
  process.stdout.write(`rotated ${hash}\n`)
  return new Promise<void>(() => {})
}
void core.accounts.refresh(did)
