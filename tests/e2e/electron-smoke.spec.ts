import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { electronBinary } from '../../scripts/demo/app'
import { expect, test } from './fixtures'

const ROOT = resolve(import.meta.dirname, '..', '..')

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
