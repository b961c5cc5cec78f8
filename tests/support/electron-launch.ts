/**
 * Launching the real src-main/shell/main.ts against the Electron stand-in:
 * every launch is a fresh module graph (one app process) on the shared machine.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest'
import type { AccountView, AppState, Envelope } from '../../src-main/ipc/contract'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src-main/ipc/contract'
import { tempDir } from './core'
import { resetMachine } from './electron-world'
import type { Network } from './network'

export type StandIn = typeof import('./electron')

const launched: StandIn[] = []
const argv = process.argv

/** Quits whatever a test left running, so no timers or sockets outlive it. */
export function useLaunches(): void {
  afterEach(async () => {
    for (const e of launched.splice(0)) {
      if (e.app.exitCode !== null) continue
      e.app.quit()
      await Promise.race([e.app.exited, new Promise((ok) => setTimeout(ok, 10_000))])
    }
    process.argv = argv
  })
}

/**
 * A shell test file's world: launches quit after each test, a fresh machine
 * (its own userData and appData) before each, and with `network`, one real
 * PDS for the whole file and a sign-in through the window's IPC.
 */
export function useShell(opts: { network?: boolean } = {}) {
  let net: Network | undefined
  if (opts.network) {
    beforeAll(async () => {
      // Imported here: files without a network do not load the PDS.
      net = await (await import('./network')).startNetwork()
    })
    afterAll(() => net?.close())
  }
  useLaunches()
  const world = {
    /** This test's userData directory. */
    dir: '',
    get net(): Network {
      if (!net) throw new Error('useShell({ network: true }) starts the network in beforeAll')
      return net
    },
    /** A new account on the file's PDS, signed in through the app's window. */
    signIn: async (e: StandIn): Promise<AccountView> => {
      const user = await (await import('./network')).createAccount(world.net.pdsUrl)
      return value<AccountView>(e, 'accounts:login', {
        identifier: user.handle,
        password: user.password,
        service: world.net.pdsUrl,
      })
    },
  }
  beforeEach(() => {
    world.dir = tempDir('skyswitch-shell-')
    resetMachine({ userData: world.dir, appData: tempDir('skyswitch-appdata-') })
  })
  return world
}

/** Starts Skyswitch's main process as Electron would, with these command-line arguments. */
export async function launch(args: string[] = []): Promise<StandIn> {
  process.argv = [process.execPath, 'out/main/index.js', ...args]
  vi.resetModules()
  const e = (await import('./electron')) as StandIn
  launched.push(e)
  // process.argv stays as launched until the test ends (the CLI reads it later).
  await import('../../src-main/shell/main')
  return e
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, ms = 20_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((ok) => setTimeout(ok, 20))
  }
}

/** The app window once it has loaded the renderer. */
export function mainWindow(e: StandIn) {
  return waitFor(() => e.BrowserWindow.getAllWindows().find((w) => w.webContents.getURL() !== ''), 'the window')
}

/** A call from the renderer, through the preload's channel. */
export async function invoke<T = unknown>(e: StandIn, name: string, request?: unknown): Promise<Envelope<T>> {
  const win = await mainWindow(e)
  return (await e.invokeFrom(win, IPC_INVOKE_CHANNEL, name, request)) as Envelope<T>
}

export async function value<T = unknown>(e: StandIn, name: string, request?: unknown): Promise<T> {
  const r = await invoke<T>(e, name, request)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.value
}

export const state = (e: StandIn) => value<AppState>(e, 'app:getState')

/** Events main sent to the window, by name. */
export function sentEvents(win: { webContents: { sent: { channel: string; args: unknown[] }[] } }, name: string) {
  return win.webContents.sent.filter((m) => m.channel === IPC_EVENT_CHANNEL && m.args[0] === name).map((m) => m.args[1])
}

/** The saved (sealed) tokens of an account, opened with this process's safeStorage. */
export async function savedTokens(e: StandIn, dataDir: string, did: string, text?: string): Promise<string | null> {
  const vault = JSON.parse(text ?? readFileSync(join(dataDir, 'vault.json'), 'utf8')) as {
    accounts: Record<string, { sealedTokens?: string }>
  }
  const sealed = vault.accounts[did]?.sealedTokens
  if (!sealed) return null
  return (await e.safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result
}
