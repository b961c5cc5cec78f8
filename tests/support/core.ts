import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Conf from 'conf'
import { startCore, type Core, type CoreOptions } from '../../src-main/core/app-core'
import { processClipboard } from '../../src-main/core/clipboard/clipboard-guard'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import type { OpenStore } from '../../src-main/core/vault/vault'

export function tempDir(prefix = 'skyswitch-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** conf in plain Node: the same engine (and file format) electron-store uses. */
export const openConf: OpenStore = ({ cwd, configName }) =>
  new Conf<Record<string, unknown>>({ cwd, configName, projectName: 'skyswitch', watch: false })

/** The real core with the browser-mode cipher, on a real data directory. */
export async function coreAt(dataDir: string, opts: Partial<CoreOptions> = {}): Promise<Core> {
  return startCore({
    dataDir,
    cipher: new KeyFileCipher(dataDir),
    openStore: openConf,
    clipboard: processClipboard(),
    mode: 'browser',
    allowLoopback: true,
    ...opts,
  })
}
