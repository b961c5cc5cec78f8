/**
 * A child process that writes the vault as fast as it can, for the crash
 * test: the parent SIGKILLs it mid-write and checks what is left on disk.
 * argv: dataDir count
 */
import Conf from 'conf'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { fakeMeta, fakeTokens } from './fake-tokens'

const [dataDir, countArg] = process.argv.slice(2)
const count = Number(countArg)
const vault = await Vault.open({
  dataDir: dataDir!,
  cipher: new KeyFileCipher(dataDir!),
  openStore: ({ cwd, configName }) => new Conf({ cwd, configName, projectName: 'skyswitch', watch: false }),
})
for (let i = 0; i < count; i++) {
  if (!vault.get(fakeMeta(i).did)) await vault.saveAccount(fakeMeta(i), fakeTokens())
}
process.stdout.write('ready\n')
// Rotate tokens forever; every write is a whole-file atomic replace.
for (let n = 0; ; n++) {
  const i = n % count
  await vault.saveAccount({ ...fakeMeta(i), lastRefreshAt: Date.now() }, fakeTokens())
}
