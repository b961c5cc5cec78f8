/**
 * What the Electron stand-in shares across "processes": every fresh import of
 * tests/support/electron.ts (after vi.resetModules) is one app process; the
 * machine they run on (desktop keyring, single-instance locks, network) is here.
 */
export type Backend = 'gnome_libsecret' | 'kwallet6' | 'basic_text' | 'unavailable' | 'keychain'

export interface Machine {
  /** What the desktop session offers when nothing is pinned. */
  desktopBackend: Backend
  /** Milliseconds each safeStorage encryption takes (a keychain prompt, a slow keyring). */
  encryptDelayMs: number
  online: boolean
  /** userData of every process launched next. */
  userData: string
  /** appData (XDG_CONFIG_HOME on Linux): the autostart folder lives under it. */
  appData: string
  notificationsSupported: boolean
  /** What app.getPreferredSystemLanguages() answers. */
  systemLanguages: string[]
  /** Held until it settles: every safeStorage encryption waits for it (a keyring prompt the test answers). */
  encryptGate: Promise<void> | null
  /** app.isPackaged of every process launched next (an installed app, not `npm start`). */
  packaged: boolean
  /** process.resourcesPath of every process launched next ('' leaves it unset): app-update.yml lives there. */
  resourcesPath: string
  /** Single-instance locks: userData -> the process holding it. */
  locks: Map<string, { emit(event: string, ...args: unknown[]): boolean }>
  /** Every process launched, in order. */
  processes: unknown[]
}

const KEY = Symbol.for('skyswitch.electron-stand-in.machine')

export function machine(): Machine {
  const g = globalThis as unknown as Record<symbol, Machine | undefined>
  g[KEY] ??= {
    desktopBackend: 'gnome_libsecret',
    encryptDelayMs: 0,
    online: true,
    userData: '',
    appData: '',
    notificationsSupported: true,
    systemLanguages: ['en-US'],
    encryptGate: null,
    packaged: false,
    resourcesPath: '',
    locks: new Map(),
    processes: [],
  }
  return g[KEY]
}

/** A fresh machine for the next test. */
export function resetMachine(patch: Partial<Machine>): Machine {
  const m = machine()
  Object.assign(m, {
    desktopBackend: 'gnome_libsecret',
    encryptDelayMs: 0,
    online: true,
    notificationsSupported: true,
    systemLanguages: ['en-US'],
    encryptGate: null,
    packaged: false,
    resourcesPath: '',
    locks: new Map(),
    processes: [],
    ...patch,
  })
  return m
}
