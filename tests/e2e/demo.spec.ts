import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chooseNetwork } from '../../scripts/demo/choose-network'
import { DEMO_STATES } from '../../scripts/demo/plan'
import { demoScreenshots } from './demo-screens'
import { accountRow, statusBanner } from './locators'
import { expect, test } from './fixtures'

const ROOT = resolve(import.meta.dirname, '..', '..')

interface RunningDemo {
  proc: ChildProcess
  url: string
  /** The demo's own temporary directory, as it printed it. */
  dataRoot: string
  /** The TMPDIR the demo ran with: nothing of the demo's may stay in it. */
  tmp: string
  output: () => string
  exited: Promise<void>
}

/** `npm run demo` the way the README says, in its own process group (as a terminal starts it). */
async function startDemo(args: string[] = []): Promise<RunningDemo> {
  const tmp = mkdtempSync(join(tmpdir(), 'skyswitch-demo-test-'))
  // As root, the demo's PostgreSQL runs as the postgres user, which must reach its directory in here.
  chmodSync(tmp, 0o711)
  const proc = spawn('npm', ['run', 'demo', '--', '--browser', ...args], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the demo printed no URL:\n${out}`)), 200_000)
    const check = () => {
      const m = /^Skyswitch demo \(browser mode\): (\S+)$/m.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!)
      }
    }
    proc.stdout!.on('data', check)
    void exited.then(() => {
      clearTimeout(timer)
      fail(new Error(`the demo exited early:\n${out}`))
    })
  })
  const dataRoot = /data in (\S+) \(deleted when the demo stops\)/.exec(out)?.[1]
  if (!dataRoot) throw new Error(`the demo did not say where its data is:\n${out}`)
  return { proc, url, dataRoot, tmp, output: () => out, exited }
}

/** Live processes whose process group is `pgid` (Linux /proc). */
function processesInGroup(pgid: number): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) === pgid && state !== 'Z') found.push(`${pid} ${stat.slice(0, stat.lastIndexOf(')') + 1)}`)
    } catch {
      // The process ended while we looked.
    }
  }
  return found
}

/** Live processes whose command line names `path`: PostgreSQL and Redis run with their directory in the demo's. */
function processesNaming(path: string): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      if (cmd.includes(path)) found.push(`${pid} ${cmd}`)
    } catch {
      // The process ended while we looked.
    }
  }
  return found
}

async function expectNothingLeft(demo: RunningDemo): Promise<void> {
  try {
    await demo.exited
    await expect.poll(() => processesInGroup(demo.proc.pid!), { timeout: 30_000 }).toEqual([])
    expect(processesNaming(demo.dataRoot)).toEqual([])
    expect(existsSync(demo.dataRoot)).toBe(false)
    // Compile caches of the loaders may stay, and dev-env's shared port-lock
    // directory (every dev-env process on the machine uses it) with none of the
    // demo's claims left in it; nothing else.
    const left = readdirSync(demo.tmp).filter((e) => !e.startsWith('tsx-') && e !== 'node-compile-cache')
    for (const e of left.filter((e) => e.startsWith('atproto-dev-env-ports-'))) {
      expect(readdirSync(join(demo.tmp, e)).filter((f) => !f.startsWith('.sweep-'))).toEqual([])
    }
    expect(left.filter((e) => !e.startsWith('atproto-dev-env-ports-'))).toEqual([])
    expect(demo.output()).toContain('Skyswitch demo: stopped; nothing left behind.')
  } finally {
    rmSync(demo.tmp, { recursive: true, force: true })
  }
}

const banner = statusBanner

test.describe.configure({ timeout: 300_000 })

// Where PostgreSQL and Redis are installed (here and in CI) the demo must run the full network.
const full = chooseNetwork().full

test('npm run demo: the full network where it can, unread counts, every demo state shows its banner, the README screenshots; Ctrl+C leaves nothing', async ({
  page,
}) => {
  const demo = await startDemo()
  try {
    expect(demo.output()).toContain(full ? 'Skyswitch demo: full network:' : 'Skyswitch demo: light network:')
    await page.goto(demo.url)
    await expect(page).toHaveTitle(/demo/i)
    await expect(page.getByRole('status', { name: 'Weak token storage' })).toContainText('Demo.')
    await expect(page.getByRole('option')).toHaveCount(DEMO_STATES.length)
    if (full) {
      // The accounts the demo gave unread notifications show a count on their rows
      // (the AppView's count may have grown since the demo printed it).
      const handles = (/unread notifications: (.+)$/m.exec(demo.output())?.[1] ?? '')
        .split(', ')
        .map((e) => e.split(' ')[0]!)
      expect(handles).toContain('alice.test')
      for (const handle of handles) {
        const row = accountRow(page, handle)
        await expect(row.getByLabel(/^[1-9]\d* unread notifications?$/)).toBeVisible()
      }
    }
    for (const spec of DEMO_STATES) {
      await accountRow(page, `${spec.name}.test`).click()
      await expect(page.getByRole('heading', { level: 1, name: spec.displayName })).toBeVisible()
      await expect(banner(page), spec.state).toContainText(spec.banner)
    }
    // Profiles came from the PDS (light) or the AppView (full): display names
    // above, avatars as images, in the list and the open account's details.
    // On the light network every account shows its avatar. The AppView serves
    // avatars from the PDS, which withholds the blobs of accounts not in good
    // standing, and what it has indexed of the others varies with timing: there
    // the accounts in good standing are what is certain.
    if (full) {
      for (const name of ['alice', 'farah']) {
        const row = accountRow(page, `${name}.test`)
        await expect(row.locator('img.avatar')).toBeVisible()
      }
    } else {
      await expect(page.locator('img.avatar')).toHaveCount(DEMO_STATES.length + 1)
    }
    // The second-PDS account lives on another server than the first account.
    const secondPds = /second PDS (\S+)/.exec(demo.output())![1]!
    await page.getByRole('option', { name: /@bruno\.test/ }).click()
    await page.getByRole('option', { name: /@farah\.test/ }).click()
    await expect(page.locator('dl')).toContainText(secondPds)
    // An avatar the server withheld for the account shown before (deactivated) does not stick to this one.
    await expect(page.locator('.details-header img.avatar')).toBeVisible()
    await demoScreenshots(page)
  } finally {
    process.kill(-demo.proc.pid!, 'SIGINT')
    await expectNothingLeft(demo)
  }
})

test('npm run demo -- --accounts 12 --light: twelve accounts on the light network; SIGTERM to npm leaves nothing', async ({
  page,
}) => {
  const demo = await startDemo(['--accounts', '12', '--light'])
  try {
    expect(demo.output()).toContain(
      'light network: PLC and PDS, no AppView, so no unread counts (--light asked for it)',
    )
    expect(demo.output()).toContain('12 accounts signed in')
    await page.goto(demo.url)
    await expect(page.getByRole('option')).toHaveCount(12)
    await page.getByRole('option', { name: /@user0012\.test/ }).click()
    await expect(banner(page)).toContainText('Signed in.')
    await page.keyboard.press('Control+k')
    await page.keyboard.type('user0010')
    await expect(page.getByRole('dialog').getByRole('option')).toHaveCount(1)
  } finally {
    // Only npm gets the signal, as from `kill <pid>`: the demo still stops itself.
    demo.proc.kill('SIGTERM')
    await expectNothingLeft(demo)
  }
})
