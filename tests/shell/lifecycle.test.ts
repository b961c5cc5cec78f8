import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { AccountView } from '../../src-main/ipc/contract'
import {
  invoke,
  launch,
  mainWindow,
  savedTokens,
  sentEvents,
  state,
  useShell,
  value,
  waitFor,
} from '../support/electron-launch'
import { resetMachine } from '../support/electron-world'

const shell = useShell({ network: true })

/** Collects what is written to a stream (and completes each write, as a pipe would). */
function capture(stream: NodeJS.WriteStream, into: string[]) {
  return vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    into.push(String(chunk))
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined
    cb?.()
    return true
  }) as never)
}

describe('the shell, through the real main.ts (Electron stand-in)', () => {
  it('closing the window on Linux hides it, says so once, and keeps refreshing', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    await waitFor(() => win.isVisible(), 'the window to show')
    const account = await shell.signIn(e)

    win.close()
    expect(win.isDestroyed()).toBe(false)
    expect(win.isVisible()).toBe(false)
    expect(e.app.exitCode).toBeNull()
    await waitFor(() => e.notifications.length === 1, 'the tray notice')
    expect(e.notifications[0]!.title).toMatch(/still running/)

    // The hidden app still refreshes, and the new tokens are saved.
    const before = await savedTokens(e, shell.dir, account.did)
    const refreshed = await value<AccountView>(e, 'accounts:refresh', { did: account.did })
    expect(refreshed.session).toBe('signed-in')
    expect(await savedTokens(e, shell.dir, account.did)).not.toBe(before)

    // The tray brings it back; closing again gives no second notice.
    e.Tray.all()[0]!.emit('click')
    expect(win.isVisible()).toBe(true)
    win.close()
    await new Promise((ok) => setTimeout(ok, 100))
    expect(e.notifications).toHaveLength(1)
  })

  it('hiding the window to the tray tells the core nobody is looking, whatever the page last said', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    await waitFor(() => win.isVisible(), 'the window to show')
    // The same module graph main.ts loaded: watch what the core's glance is told.
    const { Glance } = await import('../../src-main/core/glance/glance')
    const told = vi.spyOn(Glance.prototype, 'setAttention')
    // The page says it is seen and focused, as the renderer does at start and on focus.
    expect(await value(e, 'app:attention', { visible: true, focused: true })).toEqual({ visible: true, focused: true })
    const glance = told.mock.contexts[0] as InstanceType<typeof Glance>
    expect(glance.looking).toEqual({ visible: true, focused: true })

    win.close()
    expect(win.isVisible()).toBe(false)
    await waitFor(() => !glance.looking.visible, 'the core to hear the window is hidden')
    expect(glance.looking).toEqual({ visible: false, focused: false })
    told.mockRestore()
  })

  it('with close-to-tray off, closing the window quits on Linux', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    await value(e, 'settings:set', { closeToTray: false })
    win.close()
    expect(await e.app.exited).toBe(0)
  })

  it('Quit in the tray waits for a refresh in flight and its write, then exits', async () => {
    const e = await launch()
    const account = await shell.signIn(e)
    const loginTokens = await savedTokens(e, shell.dir, account.did)
    // A slow keyring: the refreshed tokens take a while to be sealed and written.
    resetMachine({ userData: shell.dir, encryptDelayMs: 400 })
    const win = await mainWindow(e)
    const refresh = invoke<AccountView>(e, 'accounts:refresh', { did: account.did })
    await waitFor(
      () => sentEvents(win, 'account:changed').some((a) => (a as AccountView).session === 'refreshing'),
      'the refresh to start',
    )
    e.Tray.all()[0]!.menu!.click('Quit')
    // What is on disk at the moment the process ends.
    const onDisk = await e.app.exited.then(() => readFileSync(join(shell.dir, 'vault.json'), 'utf8'))
    expect((await refresh).ok).toBe(true)
    const saved = await savedTokens(e, shell.dir, account.did, onDisk)
    expect(saved).not.toBeNull()
    expect(saved).not.toBe(loginTokens)
    expect(e.Tray.all()[0]!.isDestroyed()).toBe(true)
  })

  it('a second instance hands over to the first and quits without a window', async () => {
    const first = await launch()
    const win = await mainWindow(first)
    win.close()
    expect(win.isVisible()).toBe(false)

    const second = await launch()
    expect(await second.app.exited).toBe(0)
    expect(second.BrowserWindow.getAllWindows()).toHaveLength(0)
    await waitFor(() => win.isVisible() && win.isFocused(), 'the first window to come back')
    expect(first.app.exitCode).toBeNull()
  })

  it('CLI mode runs the skyswitch command through the app binary: no window, no lock', async () => {
    const appProcess = await launch()
    const account = await shell.signIn(appProcess)
    const tokens = await savedTokens(appProcess, shell.dir, account.did)

    const out: string[] = []
    const write = capture(process.stdout, out)
    try {
      const cli = await launch(['--cli', 'token', account.handle])
      expect(await cli.app.exited).toBe(0)
      expect(cli.app.lockRequested).toBe(false)
      expect(cli.app.isReady()).toBe(false)
      expect(cli.BrowserWindow.getAllWindows()).toHaveLength(0)
      expect(cli.Tray.all()).toHaveLength(0)
      expect(out.join('').trim()).toBe(tokens!.split(' ')[0])
    } finally {
      write.mockRestore()
    }
    expect((await state(appProcess)).accounts).toHaveLength(1)
  })

  it('CLI mode with no app running says so with exit code 2', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw Object.assign(new Error(`exit ${code}`), { exitCode: code })
    }) as never)
    const said: string[] = []
    const err = capture(process.stderr, said)
    try {
      const cli = await launch(['--cli', 'status'])
      await cli.app.exited
      expect(exit).toHaveBeenCalledWith(2)
      expect(said.join('')).toMatch(/not running/)
      expect(cli.BrowserWindow.getAllWindows()).toHaveLength(0)
      expect(cli.app.lockRequested).toBe(false)
    } finally {
      exit.mockRestore()
      err.mockRestore()
    }
  })
})
