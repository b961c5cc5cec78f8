import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppSettings, AppState } from '../../src-main/ipc/contract'
import { invoke, launch, mainWindow, sentEvents, state, useShell, value, waitFor } from '../support/electron-launch'
import { machine } from '../support/electron-world'

useShell()

const roles = (menu: { items: { role?: string }[] } | undefined) => menu?.items.map((i) => i.role).filter(Boolean)

describe('menus and settings (real main.ts, Electron stand-in)', () => {
  it('the Help menu links the website when the build names one', async () => {
    const { appMenuTemplate } = await import('../../src-main/shell/app-menu')
    const help = appMenuTemplate('linux', { openSettings: () => undefined }, 'https://skyswitch.example/').find(
      (m) => m.label === 'Help',
    )!
    const items = help.submenu as { label?: string }[]
    expect(items.map((i) => i.label)).toEqual(['About Skyswitch', 'Skyswitch website'])
  })

  it('sets an application menu: Edit with the standard roles, Window, Help with the project link', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    const menu = e.Menu.getApplicationMenu()!
    expect(menu.items.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(roles(menu.find('Edit')!.submenu)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll'])
    expect(roles(menu.find('Window')!.submenu)).toContain('minimize')
    expect(roles(menu.find('Help')!.submenu)).toEqual(['about'])
    // No website item unless package.json names one at build time.
    expect(menu.find('Skyswitch website')).toBeUndefined()
    // A .deb puts the command on PATH itself: no install item on Linux outside an AppImage.
    expect(menu.find('Install command-line tool')).toBeUndefined()

    win.close()
    menu.click('Settings')
    expect(win.isVisible()).toBe(true)
    expect(sentEvents(win, 'settings:open')).toHaveLength(1)

    // The tray: open and quit, and the (empty) account list.
    const tray = e.Tray.all()[0]!.menu!
    expect(tray.find('Open Skyswitch')).toBeDefined()
    expect(tray.find('No accounts yet')?.enabled).toBe(false)
    tray.click('Quit')
    expect(await e.app.exited).toBe(0)
  })

  it('macOS and Windows menus offer the command-line tool; macOS keeps its app menu', async () => {
    await launch()
    const { appMenuTemplate } = await import('../../src-main/shell/app-menu')
    const actions = { openSettings: () => undefined, installCli: () => undefined }
    const mac = appMenuTemplate('darwin', actions)
    expect(mac[0]!.label).toBe('Skyswitch')
    const macItems = mac[0]!.submenu as { label?: string; role?: string }[]
    expect(macItems.map((i) => i.label ?? i.role)).toEqual(
      expect.arrayContaining(['about', 'Settings…', 'Install command-line tool', 'quit']),
    )
    expect((mac[1]!.submenu as { role?: string }[]).map((i) => i.role)).toContain('pasteAndMatchStyle')
    const win = appMenuTemplate('win32', actions)
    expect((win[0]!.submenu as { label?: string }[]).map((i) => i.label)).toContain('Install command-line tool')
  })

  it('settings go through the contract, are validated, persist, and reach the window', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    expect((await state(e)).settings).toEqual({
      clipboardClearSeconds: 60,
      closeToTray: true,
      startAtLogin: false,
      notifications: true,
      mutedDids: [],
      unreadDids: [],
      language: 'system',
    })

    const bad = await invoke(e, 'settings:set', { clipboardClearSeconds: -1 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'BadRequest' } })
    const extra = await invoke(e, 'settings:set', { closeToTray: false, secret: 1 })
    expect(extra).toMatchObject({ ok: false, error: { code: 'BadRequest' } })
    expect((await state(e)).settings?.closeToTray).toBe(true)

    const set = await value<AppSettings>(e, 'settings:set', { clipboardClearSeconds: 15 })
    expect(set.clipboardClearSeconds).toBe(15)
    const pushed = sentEvents(win, 'state:changed').at(-1) as AppState
    expect(pushed.settings?.clipboardClearSeconds).toBe(15)
    expect(pushed.clipboardClearSeconds).toBe(15)

    e.app.quit()
    await e.app.exited
    const again = await launch()
    expect((await state(again)).settings?.clipboardClearSeconds).toBe(15)
  })

  it('start at login writes an XDG autostart entry that starts hidden, and removes it again', async () => {
    const e = await launch()
    await mainWindow(e)
    const entry = join(machine().appData, 'autostart', 'skyswitch.desktop')
    expect(existsSync(entry)).toBe(false)
    await value(e, 'settings:set', { startAtLogin: true })
    expect(readFileSync(entry, 'utf8')).toMatch(/^Exec=".+" --hidden$/m)
    await value(e, 'settings:set', { startAtLogin: false })
    expect(existsSync(entry)).toBe(false)

    // Windows and macOS use the OS login item.
    const { applyLoginItem } = await import('../../src-main/shell/login-item')
    applyLoginItem(true, 'win32')
    expect(e.app.getLoginItemSettings()).toMatchObject({ openAtLogin: true, args: ['--hidden'] })
  })

  it('started at login: no window, only the tray, until asked', async () => {
    const e = await launch(['--hidden'])
    await waitFor(() => e.Tray.all().length === 1, 'the tray')
    expect(e.BrowserWindow.getAllWindows()).toHaveLength(0)
    e.Tray.all()[0]!.emit('click')
    const win = await mainWindow(e)
    expect(win.isVisible()).toBe(true)
  })
})
