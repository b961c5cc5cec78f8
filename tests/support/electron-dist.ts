import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** @electron/fuses finds the fuse wire after this marker in the Electron binary. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/**
 * Electron's shipped defaults, one byte per fuse ('1' on, '0' off): RunAsNode,
 * EnableCookieEncryption, EnableNodeOptionsEnvironmentVariable,
 * EnableNodeCliInspectArguments, EnableEmbeddedAsarIntegrityValidation,
 * OnlyLoadAppFromAsar, LoadBrowserProcessSpecificV8Snapshot,
 * GrantFileProtocolExtraPrivileges, WasmTrapHandlers.
 */
export const DEFAULT_FUSES = '101100011'

/**
 * An unpacked Linux Electron distribution as electron-builder's electronDist
 * expects one (it copies the folder and renames `electron` to the app's
 * executable), with a binary that cannot run but carries a real fuse wire, so
 * the build's fuse flipping can be read back.
 */
export function standInElectronDist(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true })
  mkdirSync(join(dir, 'locales'), { recursive: true })
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'ascii'),
    Buffer.from([1, DEFAULT_FUSES.length]),
    Buffer.from(DEFAULT_FUSES, 'ascii'),
  ])
  const script = Buffer.from('#!/bin/sh\necho "stand-in Electron: this binary cannot run" >&2\nexit 1\n# ')
  writeFileSync(join(dir, 'electron'), Buffer.concat([script, wire, Buffer.from('\n')]))
  chmodSync(join(dir, 'electron'), 0o755)
  writeFileSync(join(dir, 'chrome-sandbox'), '')
  writeFileSync(join(dir, 'locales', 'en-US.pak'), '')
  writeFileSync(join(dir, 'LICENSE'), 'stand-in')
  writeFileSync(join(dir, 'version'), '45.4.1')
  return dir
}
