import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { test as base, expect, type Page } from '@playwright/test'
import { createAccount, type TestAccount } from '../support/network'

const ROOT = resolve(import.meta.dirname, '..', '..')

export const net = {
  get pdsUrl() {
    return required('SKYSWITCH_TEST_PDS')
  },
  get plcUrl() {
    return required('SKYSWITCH_TEST_PLC')
  },
  get adminAuth() {
    return required('SKYSWITCH_TEST_ADMIN')
  },
}

function required(name: string): string {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the e2e tests through tests/playwright.config.ts`)
  return v
}

export interface RunningApp {
  url: string
  dataDir: string
  proc: ChildProcess
  output: () => string
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Starts browser mode (the real core in a child Node process) on a data directory. */
export async function launchBrowserMode(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  network: { pdsUrl: string; plcUrl: string } = net,
): Promise<RunningApp> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src-main/browser/cli.ts',
      '--data-dir',
      dataDir,
      '--service',
      network.pdsUrl,
      '--plc-url',
      network.plcUrl,
    ],
    { cwd: ROOT, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`browser mode did not start:\n${out}`)), 30_000)
    const check = () => {
      const m = /Skyswitch browser mode: (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!)
      }
    }
    proc.stdout!.on('data', check)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`browser mode exited with ${code}:\n${out}`))
    })
  })
  return {
    url,
    dataDir,
    proc,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((ok) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return ok()
        proc.once('exit', () => ok())
        proc.kill(signal)
      }),
  }
}

/** Every file under a directory, at any depth. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    const s = statSync(path)
    return s.isDirectory() ? filesUnder(path) : s.isFile() ? [path] : []
  })
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'skyswitch-e2e-'))
}

type Fixtures = { app: RunningApp; account: TestAccount }

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const app = await launchBrowserMode(newDataDir())
    await use(app)
    await app.stop()
  },
  // eslint-disable-next-line no-empty-pattern
  account: async ({}, use) => {
    await use(await createAccount(net.pdsUrl, 'e2e'))
  },
})

export { expect }

/** Signs in through the login form the way a person would. */
export async function signInThroughUi(page: Page, a: TestAccount, opts: { service?: string } = {}) {
  const form = page.getByRole('region', { name: /add an account|sign in again/i })
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'Add account' }).click()
  await page.getByLabel('Handle, DID or email').fill(a.handle)
  await page.getByLabel('Password').fill(a.password)
  await page.getByLabel('Hosting provider').fill(opts.service ?? net.pdsUrl)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

export const SKYSWITCH_BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'skyswitch.mjs')

/** Runs the real `skyswitch` command against a data directory; never throws. */
export async function skyswitch(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SKYSWITCH_BIN, ...args], {
      env: { ...process.env, SKYSWITCH_DATA_DIR: dataDir },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}
