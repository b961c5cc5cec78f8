/**
 * The packaged app: electron-builder --dir with this project's config, against
 * a stand-in Electron dist (or a real one from ELECTRON_OVERRIDE_DIST_PATH),
 * then a look inside app.asar at what ships.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import { extractAll, extractFile, listPackage } from '@electron/asar'
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses'
import { build, Platform } from 'electron-builder'
import { load } from 'js-yaml'
import { _electron as electron } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { RENDERER_CSP } from '../../src-main/core/csp'
import { stageApp } from '../../build/stage-app.mjs'
import { DEFAULT_FUSES, standInElectronDist } from '../support/electron-dist'

const ROOT = resolve(import.meta.dirname, '../..')
const realDist = process.env.ELECTRON_OVERRIDE_DIST_PATH
const out = mkdtempSync(join(tmpdir(), 'skyswitch-dist-'))
let appDir = ''
let asar = ''
let files: string[] = []

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out/main/index.js'))) throw new Error('run `npm run build` before the packaging test')
  const stage = stageApp(ROOT, join(out, 'stage'))
  const config = load(readFileSync(join(stage, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>
  const electronDist = realDist ?? standInElectronDist(join(out, 'electron-dist'))
  await build({
    projectDir: stage,
    targets: Platform.LINUX.createTarget('dir'),
    config: { ...config, electronDist, directories: { output: join(out, 'dist'), buildResources: 'build' } },
    publish: 'never',
  })
  appDir = join(out, 'dist', 'linux-unpacked')
  asar = join(appDir, 'resources', 'app.asar')
  files = listPackage(asar, { isPack: false }).map((f) => f.replace(/\\/g, '/'))
}, 120_000)

describe('the packaged app (electron-builder --dir)', () => {
  it('ships main, preload, renderer and the CLI, with the CSP', () => {
    expect(files).toContain('/package.json')
    expect(files).toContain('/out/main/index.js')
    expect(files).toContain('/out/preload/index.cjs')
    expect(files).toContain('/out/renderer/index.html')
    const cli = files.filter((f) => /^\/out\/main\/.*skyswitch.*\.js$/.test(f))
    expect(cli).toHaveLength(1)
    expect(extractFile(asar, cli[0]!.slice(1)).toString()).toContain('usage: skyswitch')
    const html = extractFile(asar, 'out/renderer/index.html').toString()
    expect(html).toContain(`http-equiv="Content-Security-Policy"`)
    // The meta tag carries every directive but frame-ancestors (not allowed in a meta CSP).
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? ''
    const directives = RENDERER_CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors'))
    expect(meta.split('; ')).toEqual(directives)
    // Dependencies are bundled into main: no node_modules at all.
    expect(files.filter((f) => f.includes('node_modules'))).toEqual([])
    const size = statSync(asar).size
    console.log(`BENCH asar_size ${(size / 1024 / 1024).toFixed(2)} MB (${files.length} entries)`)
  })

  it('leaves out browser mode, tests, sources, source maps and dev dependencies', () => {
    const bad = files.filter(
      (f) =>
        /^\/(src-main|src-renderer|tests|docs|bin|build|\.ci|reports)\//.test(f) ||
        /\.map$/.test(f) ||
        /^\/node_modules\/(electron|electron-builder|electron-vite|vitest|vite|playwright-core|@playwright|@atproto\/(pds|dev-env)|fast-check|typescript|tsx|esbuild|react|react-dom|sharp)\//.test(
          f,
        ),
    )
    expect(bad).toEqual([])
    const main = extractFile(asar, 'out/main/index.js').toString()
    expect(main).not.toContain('startBrowserMode')
    expect(main).not.toContain('x-skyswitch-secret')
  })

  it('main carries one HTTP client, no polyfills Node 22 has, no package twice, in at most 2 MB', () => {
    const mains = files.filter((f) => /^\/out\/main\/[^/]+\.js$/.test(f))
    const text = mains.map((f) => extractFile(asar, f.slice(1)).toString()).join('\n')
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2 * 1024 * 1024)
    // Each bundled module is headed by its path: `// <...>/node_modules/<package>/<file>`.
    const roots = new Set(
      [...text.matchAll(/^\/\/ \S*?((?:node_modules\/(?:@[^/]+\/)?[^/\s]+\/)+)/gm)].map((m) => m[1]!),
    )
    const names = [...roots].map((r) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/$/.exec(r)![1]!)
    expect(names.filter((n) => /^(undici|undici_v\d|core-js|ajv|ajv-formats|@atproto\/api)$/.test(n))).toEqual([])
    // semver is electron-updater's alone: conf's is stubbed (build/main-bundle.mjs).
    expect([...roots].filter((r) => r.endsWith('/semver/'))).toEqual([
      'node_modules/electron-updater/node_modules/semver/',
    ])
    // Two copies of a name are two versions (zod 3 for @atproto, 4 for the app; jose 5 for @atproto's
    // keys, 6 for the app; fetch-node 0.3 and 0.4); say which, so a new one shows.
    const twice = names.filter((n, i) => names.indexOf(n) !== i).sort()
    expect(twice).toEqual(['@atproto-labs/fetch-node', 'jose', 'zod'])
  })

  it('the packaged main boots on its own (no node_modules) against the Electron stand-in', () => {
    const unpacked = join(out, 'unpacked-asar')
    extractAll(asar, unpacked)
    const userData = mkdtempSync(join(tmpdir(), 'skyswitch-packaged-'))
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './tests/support/electron-hook.mjs',
        'tests/support/run-packaged-main.ts',
        join(unpacked, 'out/main/index.js'),
        userData,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    )
    expect(run.stderr).toBe('')
    const seen = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>
    expect(seen).toMatchObject({ windows: 1, trays: 1, dialogs: [], exitCode: 0 })
    expect(seen.proxy).toEqual({ status: 401, error: 'AuthenticationRequired' })
    expect(seen.url).toBe('app://skyswitch/index.html')
    expect(seen.menu).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(existsSync(join(userData, 'vault.json'))).toBe(true)
    // No compiled-code cache: bytecode a same-user process could plant would run around the asar integrity check.
    expect(existsSync(join(userData, 'compile-cache'))).toBe(false)
  })

  it('the build flips the fuses of a token-holding app in the Electron binary', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'skyswitch'))
    const state = (o: FuseV1Options) => String.fromCharCode(wire[o] as number)
    expect(wire.version).toBe(FuseVersion.V1)
    expect(state(FuseV1Options.RunAsNode)).toBe('0')
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0')
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0')
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1')
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1')
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe('1')
    if (!realDist) expect(DEFAULT_FUSES[FuseV1Options.RunAsNode]).toBe('1')
  })

  it('the packaged app starts (needs a real Electron dist)', async (ctx) => {
    if (!realDist) {
      ctx.skip(true, 'no Electron binary on this machine (set ELECTRON_OVERRIDE_DIST_PATH to launch the packaged app)')
      return
    }
    // Playwright drives Electron through the inspector: re-enable it on this local copy only.
    await flipFuses(join(appDir, 'skyswitch'), {
      version: FuseVersion.V1,
      [FuseV1Options.EnableNodeCliInspectArguments]: true,
    })
    const userData = mkdtempSync(join(tmpdir(), 'skyswitch-packaged-'))
    const app = await electron.launch({
      executablePath: join(appDir, 'skyswitch'),
      args: [`--user-data-dir=${userData}`, '--no-sandbox'],
    })
    try {
      const page = await app.firstWindow()
      await page.getByRole('heading', { name: 'Add an account' }).waitFor()
      const exposed = await page.evaluate(() => ({
        bridge: typeof window.skyswitch?.invoke,
        node: typeof (globalThis as { require?: unknown }).require,
      }))
      expect(exposed).toEqual({ bridge: 'function', node: 'undefined' })
    } finally {
      await app.close()
    }
  })
})
