import { app, Menu, nativeImage, Tray } from 'electron'
import type { Dispatch } from '../core/dispatcher'
import { nextChangeAt } from '../core/notices/standing'
import { type Language, translator } from '../i18n'
import type { AccountView, AppState } from '../ipc/contract'
import { TRAY_ICON, TRAY_ICON_ATTENTION } from './tray-icons'
import { accountLabel, trayGlance } from './tray-words'

export { accountLabel, trayGlance }

/** What the tray needs of the account service. */
export interface TrayHost {
  state(): AppState
  on(event: 'state', listener: (s: AppState) => void): () => void
  on(event: 'account', listener: (a: AccountView) => void): () => void
  setActive(did: string): Promise<void>
}

/**
 * The tray: the unread total (tooltip; the dock or launcher badge on macOS and
 * Linux; beside the icon on macOS), a dot on the icon while any account needs
 * attention, every account with its standing (click to switch) and a copy of
 * the active token. It speaks `words.language()` at every rebuild, and
 * rebuilds when `words.onChange` says the language changed.
 */
export function createTray(
  accounts: TrayHost,
  dispatch: Dispatch,
  showWindow: () => void,
  platform: NodeJS.Platform = process.platform,
  words: { language: () => Language; onChange?: (listener: () => void) => void } = { language: () => 'en' },
): Tray {
  const icons = {
    plain: nativeImage.createFromDataURL(TRAY_ICON).resize({ width: 16, height: 16 }),
    attention: nativeImage.createFromDataURL(TRAY_ICON_ATTENTION).resize({ width: 16, height: 16 }),
  }
  const tray = new Tray(icons.plain)
  let shown = { marked: false, badge: -1 }
  let timer: NodeJS.Timeout | null = null
  const rebuild = (state: AppState) => {
    // Quitting destroys the tray while the core may still announce a refresh that lands.
    if (tray.isDestroyed()) return
    const now = Date.now()
    const lang = words.language()
    const glance = trayGlance(state, now, lang)
    const marked = glance.attention.length > 0
    if (marked !== shown.marked) tray.setImage(marked ? icons.attention : icons.plain)
    tray.setToolTip(glance.tooltip)
    if (platform === 'darwin') tray.setTitle(glance.unread > 0 ? String(glance.unread) : '')
    // The dock (macOS) and Unity launchers (Linux); Windows has no app badge.
    if ((platform === 'darwin' || platform === 'linux') && glance.unread !== shown.badge) {
      app.setBadgeCount(glance.unread)
    }
    shown = { marked, badge: glance.unread }
    tray.setContextMenu(Menu.buildFromTemplate(menuItems(state, now, lang, accounts, dispatch, showWindow)))
    // An OAuth end or a long failure comes with time alone: look again then.
    if (timer) clearTimeout(timer)
    const next = Math.min(...state.accounts.map((a) => nextChangeAt(a, now) ?? Infinity))
    timer = Number.isFinite(next) ? setTimeout(() => rebuild(accounts.state()), next - now + 1_000) : null
    timer?.unref()
  }
  rebuild(accounts.state())
  accounts.on('state', rebuild)
  accounts.on('account', () => rebuild(accounts.state()))
  words.onChange?.(() => rebuild(accounts.state()))
  tray.on('click', showWindow)
  return tray
}

/** A menu is for a glance: the first accounts in the user's order, and the rest one click away in the window. */
export const TRAY_ACCOUNTS = 20

function menuItems(
  state: AppState,
  now: number,
  lang: Language,
  accounts: TrayHost,
  dispatch: Dispatch,
  showWindow: () => void,
): Electron.MenuItemConstructorOptions[] {
  const t = translator(lang)
  const active = state.accounts.find((a) => a.did === state.activeDid)
  // The active account is always there (checked), even when it is further down the list.
  const first = state.accounts.slice(0, TRAY_ACCOUNTS)
  if (active && !first.includes(active)) first.splice(TRAY_ACCOUNTS - 1, 1, active)
  const items: Electron.MenuItemConstructorOptions[] = first.map((a) => ({
    type: 'radio',
    label: accountLabel(a, now, lang),
    checked: a.did === state.activeDid,
    click: () => void accounts.setActive(a.did),
  }))
  if (items.length === 0) items.push({ label: t('tray.noAccounts'), enabled: false })
  const rest = state.accounts.length - TRAY_ACCOUNTS
  if (rest > 0) items.push({ label: t('tray.more', { count: rest }), click: showWindow })
  items.push(
    { type: 'separator' },
    {
      label: t('tray.copyAccessToken'),
      enabled: !!active && active.session !== 'signed-out',
      click: () => void (active && dispatch('tokens:copy', { did: active.did, kind: 'accessToken' })),
    },
    { label: t('tray.open'), click: showWindow },
    { type: 'separator' },
    { label: t('tray.quit'), role: 'quit' },
  )
  return items
}
