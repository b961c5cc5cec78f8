import { describe, expect, it } from 'vitest'
import { RENDERER_CSP } from '../../src-main/core/csp'
import { IPC_INVOKE_CHANNEL } from '../../src-main/ipc/contract'
import { launch, mainWindow, useShell } from '../support/electron-launch'

useShell()

type Win = Awaited<ReturnType<typeof mainWindow>>

/** What Chromium asks before following a link or a location change: true when the shell refused. */
function navigationRefused(win: Win, url: string): boolean {
  let prevented = false
  win.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url)
  return prevented
}

describe('the renderer on its own origin (Electron stand-in)', () => {
  it('registers app:// as a privileged scheme before ready and loads the window from it', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    expect(e.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
    expect(e.protocol.isProtocolHandled('app')).toBe(true)
    expect(win.webContents.getURL()).toBe('app://skyswitch/index.html')
    // Every protection, written where the window is made.
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    })
  })

  it('the handler refuses traversal, unknown files and other hosts, with the CSP on every answer', async () => {
    const e = await launch()
    await mainWindow(e)
    const handle = e.protocol.handlers.get('app')!
    const ask = async (url: string) => {
      const r = await handle(new Request(url))
      return [r.status, r.headers.get('content-security-policy')]
    }
    expect(await ask('app://skyswitch/assets/..%2f..%2f..%2fpackage.json')).toEqual([400, RENDERER_CSP])
    expect(await ask('app://skyswitch/..%5c..%5cpackage.json')).toEqual([400, RENDERER_CSP])
    expect(await ask('app://skyswitch/package.json')).toEqual([404, RENDERER_CSP])
    expect(await ask('app://elsewhere/index.html')).toEqual([404, RENDERER_CSP])
  })

  it('refuses navigation to file:// and anywhere but the app page, and IPC from them', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    expect(navigationRefused(win, 'app://skyswitch/index.html#/settings')).toBe(false)
    expect(navigationRefused(win, 'file:///opt/Skyswitch/resources/app.asar/out/renderer/index.html')).toBe(true)
    expect(navigationRefused(win, 'file:///etc/passwd')).toBe(true)
    expect(navigationRefused(win, 'app://elsewhere/index.html')).toBe(true)
    expect(navigationRefused(win, 'https://bsky.app/')).toBe(true)

    const ok = (await e.invokeFrom(win, IPC_INVOKE_CHANNEL, 'app:getState')) as { ok: boolean }
    expect(ok.ok).toBe(true)
    win.webContents.url = 'file:///opt/Skyswitch/resources/app.asar/out/renderer/index.html'
    const refused = (await e.invokeFrom(win, IPC_INVOKE_CHANNEL, 'app:getState')) as {
      ok: boolean
      error?: { code: string }
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'NotAllowed' } })
  })
})
