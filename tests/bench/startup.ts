/**
 * What every start of the app pays: the main bundle's size (in all and per
 * package), and the built main, booted on a data directory with 1,000 accounts,
 * from process start to the first app state that lists them all (vault read,
 * decrypted, scheduled), against the floor of starting Node at all.
 *
 * The timed child is plain Node (no tsx, no off-thread loader): it boots
 * out/main/index.js against the Electron stand-in, built here into one file.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { IPC_INVOKE_CHANNEL } from '../../src-main/ipc/contract'
import { Vault } from '../../src-main/core/vault/vault'
import { SafeStorageCipher } from '../../src-main/shell/safe-storage-cipher'
import { openConf, tempDir } from '../support/core'
import { fakeMeta, fakeTokens } from '../support/fake-tokens'
import { median, report } from './report'

const ROOT = resolve(import.meta.dirname, '../..')
const OUT = join(ROOT, 'out/main')
const ACCOUNTS = 1000
const RUNS = 5

export async function benchStartup(): Promise<void> {
  reportBundle()
  const dir = await vaultOf(ACCOUNTS)
  const floor: number[] = []
  const starts: { ms: number; rssMb: number }[] = []
  const standIn = await buildStandIn()
  coreStart(dir, standIn) // once untimed: the first boot on a directory writes what later boots only read
  for (let i = 0; i < RUNS; i++) {
    floor.push(nodeStart())
    starts.push(coreStart(dir, standIn))
  }
  const start = median(starts.map((s) => s.ms))
  const nodeFloor = median(floor)
  report('node_start_floor_ms', nodeFloor, 'ms')
  report(`core_start_${ACCOUNTS}_ms`, start, 'ms')
  report('core_start_ratio', start / nodeFloor, 'x')
  report(`core_rss_${ACCOUNTS}_mb`, median(starts.map((s) => s.rssMb)), 'MB')
}

/** out/main/index.js and the chunks beside it. */
function mainFiles(): string[] {
  return readdirSync(OUT)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(OUT, f))
}

function reportBundle(): void {
  const bytes = mainFiles().reduce((n, f) => n + statSync(f).size, 0)
  report('main_bundle_kb', Math.round(bytes / 1024), 'kB')
  // The bundle's own labels: rolldown heads each module with its path (`// node_modules/<pkg>/...`).
  const perPackage = new Map<string, number>()
  for (const file of mainFiles()) {
    let pkg = 'app'
    for (const line of readFileLines(file)) {
      const head = /^\/\/ (\S+\.(?:[mc]?[jt]s|json))$/.exec(line)?.[1]
      if (head) pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(head)?.[1] ?? 'app'
      perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + line.length + 1)
    }
  }
  for (const [pkg, n] of [...perPackage].sort((a, b) => b[1] - a[1])) {
    if (n > 100 * 1024)
      report(`main_bundle_pkg_${pkg.replace(/[@/.-]+/g, '_').replace(/^_/, '')}`, Math.round(n / 1024), 'kB')
  }
}

function readFileLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n')
}

/** A data directory as the app leaves it, sealed with the stand-in's safeStorage. */
async function vaultOf(count: number): Promise<string> {
  const dir = tempDir('skyswitch-bench-start-')
  const { app, safeStorage } = await import('../support/electron')
  await app.whenReady()
  const cipher = await SafeStorageCipher.create(safeStorage, 'linux')
  const vault = await Vault.open({ dataDir: dir, cipher, openStore: openConf })
  for (let i = 0; i < count; i++) await vault.saveAccount(fakeMeta(i), fakeTokens())
  return dir
}

function nodeStart(): number {
  const t = performance.now()
  spawnSync(process.execPath, ['-e', '0'], { cwd: ROOT })
  return performance.now() - t
}

function coreStart(dir: string, standIn: StandIn): { ms: number; rssMb: number } {
  const job = { dir, count: ACCOUNTS, ...standIn, main: pathToFileURL(join(OUT, 'index.js')).href }
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, SKYSWITCH_BENCH_CHILD: JSON.stringify(job) },
  })
  const line = run.stdout.trim().split('\n').at(-1) ?? ''
  if (run.status !== 0 || !line.startsWith('{')) throw new Error(`core start failed: ${run.stderr}`)
  return JSON.parse(line) as { ms: number; rssMb: number }
}

interface StandIn {
  world: string
  electron: string
}

/** tests/support's Electron stand-in as plain JavaScript (its machine state lives on globalThis, shared by both). */
async function buildStandIn(): Promise<StandIn> {
  const { build } = await import('esbuild')
  const outdir = tempDir('skyswitch-bench-standin-')
  const support = join(ROOT, 'tests/support')
  await build({
    entryPoints: { world: join(support, 'electron-world.ts'), electron: join(support, 'electron.ts') },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  })
  return {
    world: pathToFileURL(join(outdir, 'world.mjs')).href,
    electron: pathToFileURL(join(outdir, 'electron.mjs')).href,
  }
}

/**
 * The child: boot the built main, then ask for the app state (as the window
 * does) until it lists every account. performance.now() counts from the
 * process's time origin, taken as Node starts.
 */
const CHILD = `
import { registerHooks } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
const job = JSON.parse(process.env.SKYSWITCH_BENCH_CHILD)
registerHooks({ resolve: (s, c, next) => (s === 'electron' ? { url: job.electron, shortCircuit: true } : next(s, c)) })
;(await import(job.world)).resetMachine({ userData: job.dir, appData: job.dir })
const e = await import(job.electron)
await import(job.main)
for (;;) {
  const win = e.BrowserWindow.getAllWindows()[0]
  const r = win && (await e.invokeFrom(win, ${JSON.stringify(IPC_INVOKE_CHANNEL)}, 'app:getState').catch(() => null))
  if (r?.ok && r.value.accounts.length === job.count) break
  await sleep(1)
}
const ms = performance.now()
process.stdout.write(JSON.stringify({ ms, rssMb: process.memoryUsage().rss / 1024 / 1024 }) + '\\n')
process.exit(0)
`
