import { Menu, nativeImage, Tray } from 'electron'
import type { AccountService } from '../core/accounts/account-service'
import type { Dispatch } from '../core/dispatcher'
import type { AppState } from '../ipc/contract'

// A 32x32 PNG of the app mark (build/icons/32x32.png), inline so the tray needs no resource files.
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAACXBIWXMAACxLAAAsSwGlPZapAAAD80lEQVR4nO2WbWhbVRzG82EfU6GO4RyClIHMidSBjK6vMtZRs35RBhN0NGxQnZ0WqhUL2qmzGlZdKW2NuDqmyZZsRrslY6ItrrRNh37wZSLJmqbpkiZtmpfmpTcvN/feR86Nnabn3BQn8Yv+4ffhnv9zn/+Tc25uolL9X4w6YEOdxiaaNTbRr7GJwgGbhLuB3Kuxigsaq2hqtqJWtVE1XMemphFR/+RlESViiMxQDNBoyen3f5lDSbHkhtjDzXz9vks8/g0azXwNFWCvKXNxrymLf0qjOYtxr4jhX4QiuswF+vwNaX+DMY2NaDKn0WPnccMvwhuXsMoDCwkJk14B79p5HPwqA1LRtKToUW9ML1ABas9xQt1nKRSjcyyLSEpCsVrmJOREgKj2Gdk+ZBYVoObsKoox8ENWNiX1a1DEe5MZHLKksN/A4RlLSr52R8WCMKSv5EcFqDqThBJdY2mIEmT6bmSwZ12/ejgJV6RwOCntCKfoSQXYrY+DRd2ZOEJc/rN/OJVmaqo+jsMVFhBPS3CGBEx4eHz0fVpeV/KlAjw+GAML3XhKHn5zUWD21+j6hsPUfA7Tt3MYdfE4fDFZVE8F2NW/AhaD0/ntf3EkyewTnvo8Afs8j2kS4A++neGxe5CtJ1ABKk9HoESDPorDpjh6xzm0X0liV19hv8OalAOsp/lsTNGTCvBobxhK9E9wd74BpCbcWVR+8Gf/ufMx2D18AURT1R9R9KQC7NQtg0V1fxgC/YCjzRK7o3lEtwy9ncPUXFZm0p1Fx+U4028NKsCOniBYPP1phPnC0Y0lC3QP9wRx6FwUL1liaNKHsacvxPRbgwrw0DuLYFH5/hJWUoVbQI7j4HCYqSccMUblB/f0dwlFDRVg+4kAlNAaIljh8iHIcZwaTShqCT/7eFnbfTWmqKECVLzhB4vtb/rRO5rAqCMNxxIv74ZjkZfXWfqT12Ly8GBCwI63AkwNgQrw4Os+sGgeCFLnTwJUdBXqyPXJqzF5h8j2txrCTL81qAAPdHrBolYXoIa/cimCJ3oXsbN7AfWnAnj1iwh+8mbzz4cEvG1dYXr9FSrAtg6PsK1jHuupeO22bJoTJQRiAorVUlzAs58EKQ8aD/1zvLV9zr+13QMWoWR+8GPdPrQZQvj6Jgf3Mo8YJ2I2yGPst5S8XtE5z7x/Pfe1e3xUgC3H3aYtx91g0WON4MqPq7j/5Tlm/2/TNmukAtz7wkzV5mMuafOxWZSa8udn6T+lpMpbXUPlrS6UlpkBlWKduL6p7OitoXuO3kIpKDviHCAzVBuVusVZo25xXlC3OHxqrUNQa524OxyC7NHiPF+mdVRvOFj1X6zfAaubeCka5WnEAAAAAElFTkSuQmCC'

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
