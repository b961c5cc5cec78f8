import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { expect, test } from './fixtures'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** The Electron binary if one is on disk (ELECTRON_OVERRIDE_DIST_PATH or a finished download). */
function electronBinary(): string | null {
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

const binary = electronBinary()

test('Electron: the app window opens sandboxed, with the bridge and no Node', async () => {
  test.skip(!binary, 'no Electron binary on this machine (set ELECTRON_OVERRIDE_DIST_PATH to run the smoke test)')
  const userData = mkdtempSync(join(tmpdir(), 'skyswitch-electron-'))
  const app = await electron.launch({
    executablePath: binary!,
    args: [join(ROOT, 'out/main/index.js'), `--user-data-dir=${userData}`, '--no-sandbox'],
    env: { ...process.env, ELECTRON_ENABLE_LOGGING: '0' },
  })
  try {
    const page = await app.firstWindow()
    await expect(page.getByRole('heading', { name: 'Add an account' })).toBeVisible()
    const exposed = await page.evaluate(() => ({
      bridge: typeof window.skyswitch?.invoke,
      node: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }))
    expect(exposed).toEqual({ bridge: 'function', node: 'undefined', process: 'undefined' })
    // No new windows, no navigation away from the app.
    expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true)
    const before = page.url()
    await page.evaluate(() => {
      location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe(before)
    expect(app.windows()).toHaveLength(1)
  } finally {
    await app.close()
  }
})
