import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SkyswitchError } from '../../src-main/core/errors'
import { cliArguments } from '../../src-main/shell/cli-mode'
import { launcherScript } from '../../src-main/shell/install-cli'
import { autostartEntry } from '../../src-main/shell/login-item'
import { startupErrorText } from '../../src-main/shell/startup-error'
import { recordedPasswordStore } from '../../src-main/shell/storage-pin'
import { APP_USER_MODEL_ID } from '../../src-main/shell/start'

describe('shell parts', () => {
  it('on Windows the app speaks for itself with the id its installer registers', () => {
    const appId = /^appId:\s*(\S+)$/m.exec(readFileSync('electron-builder.yml', 'utf8'))?.[1]
    expect(APP_USER_MODEL_ID).toBe(appId)
  })

  it('startup errors say what happened and what to do', () => {
    const full = startupErrorText(
      new SkyswitchError('StorageError', 'Could not save the account file: the disk is full.'),
      '/d',
    )
    expect(full.title).toBe('Skyswitch cannot open its account file')
    expect(full.body).toMatch(/Free some disk space/)
    expect(full.body).toMatch(/Nothing was changed/)
    const denied = startupErrorText(new SkyswitchError('StorageError', 'Cannot read x: permission denied.'), '/d')
    expect(denied.body).toMatch(/Make sure \/d belongs to you/)
    const other = startupErrorText(Object.assign(new Error('listen'), { code: 'EADDRINUSE' }), '/d')
    expect(other).toMatchObject({ title: 'Skyswitch could not start' })
    expect(other.body).toMatch(/EADDRINUSE/)
  })

  it('pins only a backend that sealed something, by its --password-store name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyswitch-pin-'))
    const write = (v: unknown) => writeFileSync(join(dir, 'vault.json'), JSON.stringify(v))
    expect(recordedPasswordStore(dir)).toBeNull()
    write({ backend: { id: 'keychain', name: 'kwallet6' }, accounts: { 'did:plc:a': { sealedTokens: 'x' } } })
    expect(recordedPasswordStore(dir)).toBe('kwallet6')
    write({ backend: { id: 'basic_text', name: 'basic_text' }, accounts: { 'did:plc:a': { sealedTokens: 'x' } } })
    expect(recordedPasswordStore(dir)).toBe('basic')
    write({ backend: { id: 'keychain', name: 'gnome_libsecret' }, accounts: { 'did:plc:a': {} } })
    expect(recordedPasswordStore(dir)).toBeNull()
    writeFileSync(join(dir, 'vault.json'), '{ not json')
    expect(recordedPasswordStore(dir)).toBeNull()
  })

  it('CLI arguments are what follows --cli', () => {
    expect(cliArguments(['/opt/Skyswitch/skyswitch', '--cli', 'token', '@me'])).toEqual(['token', '@me'])
    expect(cliArguments(['/opt/Skyswitch/skyswitch', '--hidden'])).toBeNull()
  })

  it('launchers and desktop entries quote the binary path', () => {
    expect(launcherScript("/Apps/It's/Skyswitch", 'darwin')).toContain(`exec '/Apps/It'\\''s/Skyswitch' --cli "$@"`)
    expect(launcherScript('C:\\P\\Skyswitch.exe', 'win32')).toBe('@echo off\r\n"C:\\P\\Skyswitch.exe" --cli %*\r\n')
    expect(autostartEntry('/opt/a "b"/skyswitch')).toContain('Exec="/opt/a \\"b\\"/skyswitch" --hidden')
  })
})
