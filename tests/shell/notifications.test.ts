/**
 * Notifications and the tray through the real main.ts (Electron stand-in) on
 * a real PDS: what each notification says, that a click opens the account it
 * names and no other, and what the tray shows at a glance.
 */
import { describe, expect, it, vi } from 'vitest'
import type { AccountView, AppState } from '../../src-main/ipc/contract'
import type { TrayHost } from '../../src-main/shell/tray'
import { TRAY_ICON, TRAY_ICON_ATTENTION } from '../../src-main/shell/tray-icons'
import { invoke, launch, mainWindow, sentEvents, useShell, waitFor } from '../support/electron-launch'
import { adminTakedown, adminUpdatePassword } from '../support/network'
import { accountView } from '../support/account-view'

const shell = useShell({ network: true })

describe('notifications (real main.ts, Electron stand-in)', () => {
  it('each names its account; clicked in reverse order, each opens its own account; the tray marks both', async () => {
    const e = await launch()
    const win = await mainWindow(e)
    const ann = await shell.signIn(e)
    const ben = await shell.signIn(e)

    // Ann's password is changed elsewhere: the next check is refused and she is signed out.
    await adminUpdatePassword(shell.net, ann.did, 'changed-elsewhere-1')
    expect((await invoke(e, 'accounts:check', { did: ann.did })).ok).toBe(false)
    await waitFor(() => e.notifications.length === 1, 'the first notification')
    // Ben is taken down by his host, a little later: a notification of its own.
    await adminTakedown(shell.net, ben.did)
    expect((await invoke(e, 'accounts:check', { did: ben.did })).ok).toBe(false)
    await waitFor(() => e.notifications.length === 2, 'the second notification')

    const [first, second] = e.notifications
    expect(first).toMatchObject({ title: `@${ann.handle} was signed out` })
    expect(first!.body).toMatch(/password was changed/)
    expect(second).toMatchObject({ title: `@${ben.handle} was taken down` })
    expect(second!.body).toMatch(/taken the account down/)
    // No avatar known (no AppView here): the app's own mark.
    for (const n of [first!, second!]) expect(n.icon).toMatchObject({ source: TRAY_ICON })

    // The tray: a dot on the icon, who needs what, in the tooltip and the menu.
    const tray = e.Tray.all()[0]!
    expect(tray.image).toMatchObject({ source: TRAY_ICON_ATTENTION })
    expect(tray.tooltip).toBe('Skyswitch: 2 accounts need attention')
    const labels = tray.menu!.items.map((i) => i.label ?? '')
    expect(labels).toContain(`⚠ @${ann.handle} — Signed out`)
    expect(labels).toContain(`⚠ @${ben.handle} — Taken down`)
    expect(e.app.getBadgeCount()).toBe(0)

    // Clicked in reverse order, from the tray (window hidden): each opens its own account.
    win.close()
    expect(win.isVisible()).toBe(false)
    second!.click()
    expect(win.isVisible()).toBe(true)
    expect(sentEvents(win, 'account:open')).toEqual([{ did: ben.did }])

    // With the window gone altogether (macOS closes it; here another window keeps Linux's app from
    // quitting with its last one), the click waits for the new page before naming the account.
    const other = new e.BrowserWindow({ show: false })
    win.destroy()
    first!.click()
    const again = await waitFor(
      () => e.BrowserWindow.getAllWindows().find((w) => w !== other && w.webContents.getURL() !== ''),
      'a new window',
    )
    expect(again.isVisible()).toBe(true)
    await waitFor(() => sentEvents(again, 'account:open').length === 1, 'the new window to be told')
    expect(sentEvents(again, 'account:open')).toEqual([{ did: ann.did }])
    // Nothing more about the accounts; the one other notification is the tray's "still running".
    expect(e.notifications.map((n) => n.title).slice(2)).toEqual(['Skyswitch is still running'])
  })

  it('the global switch and a muted account keep quiet', async () => {
    const e = await launch()
    await mainWindow(e)
    const cat = await shell.signIn(e)
    const dan = await shell.signIn(e)
    const muted = await invoke<AppState['settings']>(e, 'notices:setAccount', { did: cat.did, muted: true })
    expect(muted).toMatchObject({ ok: true, value: { mutedDids: [cat.did], notifications: true } })
    expect((await invoke(e, 'notices:setAccount', { did: 'did:plc:nobody0000', muted: true })).ok).toBe(false)
    await adminTakedown(shell.net, cat.did)
    await invoke(e, 'accounts:check', { did: cat.did })
    await invoke(e, 'settings:set', { notifications: false })
    await adminTakedown(shell.net, dan.did)
    await invoke(e, 'accounts:check', { did: dan.did })
    // Both accounts are marked in the tray, but nothing was said.
    await waitFor(() => e.Tray.all()[0]!.tooltip === 'Skyswitch: 2 accounts need attention', 'the tray')
    await new Promise((ok) => setTimeout(ok, 2_500))
    expect(e.notifications).toEqual([])
  })
})

describe('the tray at a glance (stand-in, a fake account list)', () => {
  const view = (i: number, over: Partial<AccountView> = {}) => accountView(`did:plc:tray${i}`, `t${i}.test`, over)

  async function trayWith(accounts: AccountView[], platform: NodeJS.Platform, activeDid = accounts[0]?.did ?? null) {
    vi.resetModules()
    const e = await import('../support/electron')
    const { createTray } = await import('../../src-main/shell/tray')
    const listeners: ((s: AppState) => void)[] = []
    const state = () => ({ accounts, activeDid, online: true }) as AppState
    const on = (event: string, l: (s: AppState) => void) => {
      if (event === 'state') listeners.push(l)
      return () => undefined
    }
    const host: TrayHost = { state, on: on as unknown as TrayHost['on'], setActive: async () => undefined }
    const tray = createTray(
      host,
      async () => ({ ok: true, value: null }),
      () => undefined,
      platform,
    )
    return {
      e,
      tray: tray as unknown as InstanceType<typeof e.Tray>,
      announce: () => listeners.forEach((l) => l(state())),
    }
  }

  it('the unread total in the badge (macOS, Linux), the tooltip and, on macOS, beside the icon', async () => {
    const accounts = [view(0, { unread: 3 }), view(1, { unread: 4 }), view(2)]
    const linux = await trayWith(accounts, 'linux')
    expect(linux.e.app.badgeCounts).toEqual([7])
    expect(linux.tray.tooltip).toBe('Skyswitch: 7 unread')
    expect(linux.tray.image).toMatchObject({ source: TRAY_ICON })
    expect(linux.tray.menu!.items.map((i) => i.label).slice(0, 3)).toEqual([
      '@t0.test — Active · 3 unread',
      '@t1.test — Active · 4 unread',
      '@t2.test — Active',
    ])
    // The badge is set when the total changes, not on every event.
    linux.announce()
    accounts[2] = view(2, { unread: 1 })
    linux.announce()
    expect(linux.e.app.badgeCounts).toEqual([7, 8])

    const mac = await trayWith([view(0, { unread: 3 })], 'darwin')
    expect(mac.e.app.badgeCounts).toEqual([3])
    expect(mac.tray.title).toBe('3')
    const windows = await trayWith([view(0, { unread: 3 })], 'win32')
    expect(windows.e.app.badgeCounts).toEqual([])
    expect(windows.tray.tooltip).toBe('Skyswitch: 3 unread')
  })

  it('a mark while any account needs attention, each named with why', async () => {
    const now = Date.now()
    const accounts = [
      view(0, { session: 'rate-limited', retryAt: now + 2 * 3_600_000 }),
      view(1, { auth: 'oauth', refreshExpiresAt: now + 3_600_000 }),
      view(2, { session: 'rate-limited', retryAt: now + 60_000 }),
      view(3, { hosting: 'suspended' }),
    ]
    const t = await trayWith(accounts, 'linux')
    expect(t.tray.image).toMatchObject({ source: TRAY_ICON_ATTENTION })
    expect(t.tray.tooltip).toBe('Skyswitch: 3 accounts need attention')
    expect(t.tray.menu!.items.map((i) => i.label).slice(0, 4)).toEqual([
      '⚠ @t0.test — Rate-limited',
      '⚠ @t1.test — Active (sign in again soon)',
      '@t2.test — Rate-limited',
      '⚠ @t3.test — Suspended',
    ])
    accounts.splice(0, 4, view(0), view(1))
    t.announce()
    expect(t.tray.image).toMatchObject({ source: TRAY_ICON })
    expect(t.tray.tooltip).toBe('Skyswitch')
  })

  it('a menu for a glance: the first 20 accounts, the rest one click away in the window', async () => {
    const accounts = Array.from({ length: 25 }, (_, i) => view(i))
    const t = await trayWith(accounts, 'linux')
    const labels = t.tray.menu!.items.map((i) => i.label)
    expect(labels.filter((l) => l?.startsWith('@t')).length).toBe(20)
    expect(labels).toContain('5 more accounts in Skyswitch…')
    expect(labels).not.toContain('@t20.test — Active')
    // The active account is listed, checked, wherever it is.
    const far = await trayWith(accounts, 'linux', accounts[24]!.did)
    const radios = far.tray.menu!.items.filter((i) => i.type === 'radio')
    expect(radios).toHaveLength(20)
    expect(radios.at(-1)).toMatchObject({ label: '@t24.test — Active', checked: true })
  })
})

describe('notification icons (stand-in)', () => {
  it('the avatar the app already has, fetched once, https and small only; else the app mark', async () => {
    vi.resetModules()
    const e = await import('../support/electron')
    const { showNotices } = await import('../../src-main/shell/notify')
    const fetched: string[] = []
    const fakeFetch = (async (url: string) => {
      fetched.push(url)
      if (url.includes('big'))
        return new Response('x', { headers: { 'content-type': 'image/jpeg', 'content-length': '5000000' } })
      if (url.includes('page')) return new Response('<html>', { headers: { 'content-type': 'text/html' } })
      return new Response('JPEG of ann', { headers: { 'content-type': 'image/jpeg' } })
    }) as unknown as typeof fetch
    let send: (n: import('../../src-main/core/notices/texts').Notice) => void = () => undefined
    const opened: string[] = []
    showNotices({ onNotice: (l) => ((send = l), () => undefined) }, (did) => opened.push(did), fakeFetch)
    const notice = (avatar?: string) => ({ title: 't', body: 'b', dids: ['did:plc:ann'], avatar, events: [] })
    for (const url of [
      'https://cdn.example/ann.jpg',
      'https://cdn.example/ann.jpg',
      'http://cdn.example/ann.jpg',
      'https://cdn.example/big.jpg',
      'https://cdn.example/page',
      undefined,
    ]) {
      send(notice(url))
    }
    await waitFor(() => e.notifications.length === 6, 'six notifications')
    expect(e.notifications.map((n) => (n.icon as { source: string }).source)).toEqual([
      'buffer:JPEG of ann',
      'buffer:JPEG of ann',
      TRAY_ICON,
      TRAY_ICON,
      TRAY_ICON,
      TRAY_ICON,
    ])
    expect(fetched).toEqual(['https://cdn.example/ann.jpg', 'https://cdn.example/big.jpg', 'https://cdn.example/page'])
    e.notifications[3]!.click()
    expect(opened).toEqual(['did:plc:ann'])
  })
})
