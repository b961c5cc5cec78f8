/**
 * Load + decrypt 1,000 accounts, against reading and JSON-parsing the same
 * file; and one save with 1,000 accounts (the main file plus its last-good
 * copy, each written atomically).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { openConf, tempDir } from '../support/core'
import { fakeMeta, fakeTokens } from '../support/fake-tokens'
import { median, report } from './report'

export async function benchVault(count = 1000, rounds = 15, warmup = 5): Promise<void> {
  const dir = tempDir('skyswitch-bench-')
  const cipher = new KeyFileCipher(dir)
  const v = await Vault.open({ dataDir: dir, cipher, openStore: openConf })
  for (let i = 0; i < count; i++) await v.saveAccount(fakeMeta(i), fakeTokens())
  const path = join(dir, 'vault.json')

  const parse: number[] = []
  const load: number[] = []
  // Both sides warm up first: the figure is steady-state cost, not JIT compilation.
  for (let r = 0; r < warmup + rounds; r++) {
    if (r === warmup) {
      parse.length = 0
      load.length = 0
    }
    let t = performance.now()
    JSON.parse(readFileSync(path, 'utf8'))
    parse.push(performance.now() - t)
    t = performance.now()
    const opened = await Vault.open({ dataDir: dir, cipher: new KeyFileCipher(dir), openStore: openConf })
    load.push(performance.now() - t)
    if (opened.list().length !== count || !opened.getTokens(fakeMeta(count - 1).did)) throw new Error('bad load')
  }
  const save: number[] = []
  for (let r = 0; r < warmup + rounds; r++) {
    const t = performance.now()
    await v.saveAccount({ ...fakeMeta(r % count), lastRefreshAt: r }, fakeTokens())
    if (r >= warmup) save.push(performance.now() - t)
  }
  const p = median(parse)
  const l = median(load)
  report('vault_read_parse_1000', p, 'ms')
  report('vault_load_decrypt_1000', l, 'ms')
  report('vault_load_vs_parse_ratio', l / p, 'x')
  report('vault_save_1000', median(save), 'ms')
}
