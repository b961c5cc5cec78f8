import { Menu, nativeImage, Tray } from 'electron'
import type { AccountService } from '../core/accounts'
import type { Dispatch } from '../core/dispatcher'
import type { AppState } from '../ipc/contract'

// A 32x32 PNG of the app mark, inline so the tray needs no resource files.
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAiklEQVR42u2XQQ6AIBADOftQ38xv9OpBSeu2oRibcJ4JhLK09ofMtvdjtKaBbSIsWCpShZckVPBXEmo4JeGCwxJTBdSwayAJNZQScECfBG4lXGB4F1xQiYAi9BE4oLCAC2oTkBSS4mqVG5EtFHkdIzW63Huw1msYMZBEjGQRQ2nEWB7xMYn5mn02J+MyTt+a8Qm8AAAAAElFTkSuQmCC'

/** The tray: every account with its status (click to switch) and a copy of the active token. */
export function createTray(accounts: AccountService, dispatch: Dispatch, showWindow: () => void): Tray {
  const tray = new Tray(nativeImage.createFromDataURL(ICON).resize({ width: 16, height: 16 }))
  tray.setToolTip('Skyswitch')
  const rebuild = (state: AppState) => {
    const active = state.accounts.find((a) => a.did === state.activeDid)
    const items: Electron.MenuItemConstructorOptions[] = state.accounts.map((a) => ({
      type: 'radio',
      label: `${a.handle}${a.unread ? ` (${a.unread} unread)` : ''} — ${a.hosting !== 'active' ? a.hosting : a.appview?.status === 'takendown' ? 'hidden by moderation' : a.session}`,
      checked: a.did === state.activeDid,
      click: () => void accounts.setActive(a.did),
    }))
    if (items.length === 0) items.push({ label: 'No accounts yet', enabled: false })
    items.push(
      { type: 'separator' },
      {
        label: 'Copy access token',
        enabled: !!active && active.session !== 'signed-out',
        click: () => void (active && dispatch('tokens:copy', { did: active.did, kind: 'accessToken' })),
      },
      { label: 'Open Skyswitch', click: showWindow },
      { type: 'separator' },
      { label: 'Quit', role: 'quit' },
    )
    tray.setContextMenu(Menu.buildFromTemplate(items))
  }
  rebuild(accounts.state())
  accounts.on('state', rebuild)
  accounts.on('account', () => rebuild(accounts.state()))
  tray.on('click', showWindow)
  return tray
}
