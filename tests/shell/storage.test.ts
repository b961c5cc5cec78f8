import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { StorageInfo } from '../../src-main/ipc/contract'
import { tempDir } from '../support/core'
import { invoke, launch, mainWindow, state, useShell, value } from '../support/electron-launch'
import { machine, resetMachine } from '../support/electron-world'
import { xrpc } from '../support/network'

const shell = useShell({ network: true })

describe('token storage on every machine (real main.ts, Electron stand-in)', () => {
  it('no keyring at all: sign-in works in memory only, nothing sealed or clear on disk', async () => {
    resetMachine({ userData: shell.dir, desktopBackend: 'unavailable' })
    const e = await launch()
    const before = await state(e)
    expect(before.storage).toMatchObject({ backend: 'unavailable', persistence: 'memory' })

    const account = await shell.signIn(e)
    expect(account.session).toBe('signed-in')
    const file = readFileSync(join(shell.dir, 'vault.json'), 'utf8')
    expect(file).toContain(account.did)
    expect(file).not.toContain('sealedTokens')
    expect(file).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/)

    // The memory-held token works: copy it, then use it at the PDS.
    await value(e, 'tokens:copy', { did: account.did, kind: 'accessToken' })
    const jwt = e.clipboard.readText()
    const me = (await xrpc(shell.net.pdsUrl, 'com.atproto.server.getSession', {
      auth: `Bearer ${jwt}`,
      method: 'GET',
    })) as {
      did: string
    }
    expect(me.did).toBe(account.did)

    // "Keep on disk" cannot work here and says so; nothing changes.
    const disk = await invoke<StorageInfo>(e, 'storage:choosePersistence', { persistence: 'disk' })
    expect(disk).toMatchObject({ ok: false, error: { code: 'StorageError' } })
    expect(readFileSync(join(shell.dir, 'vault.json'), 'utf8')).not.toContain('sealedTokens')
  })

  it('pins the recorded keyring before ready, so a desktop change signs nobody out', async () => {
    const first = await launch()
    const account = await shell.signIn(first)
    first.app.quit()
    await first.app.exited

    // Next session the desktop would pick another keyring, which cannot read the tokens.
    machine().desktopBackend = 'kwallet6'
    const second = await launch()
    await mainWindow(second)
    expect(second.app.switchesAtReady?.get('password-store')).toBe('gnome-libsecret')
    const s = await state(second)
    expect(s.storage.backendName).toBe('gnome_libsecret')
    expect(s.accounts.find((a) => a.did === account.did)?.session).toBe('signed-in')
    expect(s.notices).toEqual([])
  })

  it('nothing sealed on disk: nothing to pin, the desktop chooses', async () => {
    const first = await launch()
    await mainWindow(first)
    first.app.quit()
    await first.app.exited
    const second = await launch()
    await mainWindow(second)
    expect(second.app.switchesAtReady?.has('password-store')).toBe(false)
  })

  it('a vault from a newer version: its own dialog, exit, the file untouched', async () => {
    const text = JSON.stringify({ schemaVersion: 99, generation: 5, accounts: {} })
    writeFileSync(join(shell.dir, 'vault.json'), text)
    const e = await launch()
    expect(await e.app.exited).toBe(1)
    expect(e.dialogs).toHaveLength(1)
    expect(e.dialogs[0]).toMatchObject({ kind: 'error', title: 'Skyswitch cannot open its account file' })
    expect(e.dialogs[0]!.message).toMatch(/newer version/)
    expect(readFileSync(join(shell.dir, 'vault.json'), 'utf8')).toBe(text)
    expect(e.BrowserWindow.getAllWindows()).toHaveLength(0)
  })

  it('a data directory that cannot be created: a clear dialog, not "something went wrong"', async () => {
    const blocker = join(tempDir('skyswitch-blocked-'), 'a-file')
    writeFileSync(blocker, 'not a directory')
    resetMachine({ userData: join(blocker, 'Skyswitch') })
    const e = await launch()
    expect(await e.app.exited).toBe(1)
    expect(e.dialogs[0]!.message).toMatch(/Cannot create the data directory/)
    expect(e.dialogs[0]!.message).not.toMatch(/Something went wrong/)
  })
})
