/**
 * Opens Skyswitch for the demo: the Electron app where a binary is on disk,
 * browser mode otherwise. Both hand back the same `call`: the app's own
 * contract, which the demo uses to sign its accounts in.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { CallName, CallRequest, Envelope } from '../../src-main/ipc/contract'
import { startBrowserMode } from '../../src-main/browser/server'
import { type Call, DemoCallError } from './states'
import type { DemoNetwork } from './network'

export interface DemoApp {
  kind: 'electron' | 'browser'
  /** Browser mode: the URL to open (with its per-launch secret). */
  url?: string
  call: Call
  /** Settles when the user closes the app (Electron); browser mode runs until stopped. */
  closed: Promise<void>
  close(): Promise<void>
}

function unwrap<T>(env: Envelope<unknown>): T {
  if (!env.ok) throw new DemoCallError(env.error.code, env.error.message)
  return env.value as T
}

export async function openBrowserMode(dataDir: string, net: DemoNetwork, port = 0): Promise<DemoApp> {
  const mode = await startBrowserMode({ dataDir, port, plcUrl: net.plcUrl, defaultService: net.pds.url, demo: true })
  return {
    kind: 'browser',
    url: mode.url,
    call: async (name, request) => unwrap(await mode.core.dispatch(name, request)),
    closed: new Promise<void>(() => undefined),
    close: () => mode.close(),
  }
}

/** The Electron binary if one is on disk (ELECTRON_OVERRIDE_DIST_PATH or a finished download); never downloads. */
export function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const bin = join(override, process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron')
    return existsSync(bin) ? bin : null
  }
  try {
    const dir = join(createRequire(import.meta.url).resolve('electron/package.json'), '..')
    const pathTxt = join(dir, 'path.txt')
    if (!existsSync(pathTxt)) return null
    const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim())
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

export async function openElectron(binary: string, root: string, dataDir: string, net: DemoNetwork): Promise<DemoApp> {
  const { _electron } = await import('playwright-core')
  const args = [join(root, 'out/main/index.js'), `--user-data-dir=${dataDir}`]
  // Chromium refuses to run as root with its sandbox on.
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  const app = await _electron.launch({
    executablePath: binary,
    args,
    env: {
      ...process.env,
      SKYSWITCH_DEMO: '1',
      SKYSWITCH_PLC_URL: net.plcUrl,
      SKYSWITCH_SERVICE: net.pds.url,
    } as Record<string, string>,
  })
  const page = await app.firstWindow()
  await page.waitForFunction(() => typeof window.skyswitch?.invoke === 'function')
  const closed = new Promise<void>((ok) => app.once('close', () => ok()))
  return {
    kind: 'electron',
    call: async <N extends CallName>(name: N, request: CallRequest<N>) =>
      unwrap(
        await page.evaluate(([n, r]) => window.skyswitch!.invoke(n as N, r as CallRequest<N>), [
          name,
          request,
        ] as const),
      ),
    closed,
    close: async () => {
      await app.close().catch(() => undefined)
    },
  }
}
