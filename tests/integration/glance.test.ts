/**
 * Unread counts, avatars and AppView moderation against the real stack:
 * PLC, two PDSes, the AppView and Ozone (one full network for this file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core/app-core'
import { coreAt, tempDir } from '../support/core'
import {
  createProfiledAccount,
  type FullNetwork,
  like,
  ozoneLabel,
  ozoneTakedown,
  post,
  sessionOf,
  solidPng,
  startFullNetwork,
  unreadCount,
} from '../support/full-network'
import { createAccount, type TestAccount } from '../support/network'

interface Seen {
  host: string
  url: string
  sub: string | null
}

/** The JWT subject of a bearer token (which account's identity a request carries). */
function subjectOf(auth: string | null): string | null {
  const jwt = auth?.replace(/^Bearer /, '')
  if (!jwt) return null
  try {
    return (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { sub?: string }).sub ?? null
  } catch {
    return null
  }
}

let full: FullNetwork
let pds2: string
let core: Core
const dataDir = tempDir()
let ada: TestAccount
let bob: TestAccount
let carl: TestAccount
const seen: Seen[] = []

beforeAll(async () => {
  full = await startFullNetwork()
  pds2 = await full.secondPds()
  ada = await createProfiledAccount(full.pdsUrl, 'ada', 'Ada Lovelace', await solidPng(210, 70, 60))
  bob = await createAccount(full.pdsUrl, 'bob')
  carl = await createProfiledAccount(pds2, 'carl', 'Carl Friedrich')
  await full.settle()
  const recording: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const headers = new Headers(input instanceof Request ? input.headers : init?.headers)
    seen.push({ host: url.host, url: url.href, sub: subjectOf(headers.get('authorization')) })
    return fetch(input, init)
  }
  core = await coreAt(dataDir, {
    plcUrl: full.plcUrl,
    defaultService: full.pdsUrl,
    fetch: recording,
    glance: { intervalMs: 3_600_000 },
  })
  await core.accounts.login({ identifier: ada.handle, password: ada.password, service: full.pdsUrl })
  await core.accounts.login({ identifier: carl.handle, password: carl.password, service: pds2 })
}, 120_000)

afterAll(async () => {
  await core?.stop()
  await full?.close()
}, 60_000)

describe('at a glance, against the real AppView', () => {
  it('unread counts match the AppView after another account likes and replies', async () => {
    const sBob = await sessionOf(full.pdsUrl, bob)
    const adaPost = await post(await sessionOf(full.pdsUrl, ada), 'hello from ada')
    const carlPost = await post(await sessionOf(pds2, carl), 'hello from carl')
    // A reply notifies only if the AppView has indexed its parent first (indexed at the same time,
    // neither transaction sees the other and the notification is lost).
    await full.settle()
    await like(sBob, adaPost)
    await post(sBob, 'nice one', { root: adaPost, parent: adaPost })
    await like(sBob, carlPost)
    await full.settle()
    await core.glance!.refreshAll()
    const adaCount = await unreadCount(await sessionOf(full.pdsUrl, ada))
    const carlCount = await unreadCount(await sessionOf(pds2, carl))
    expect(adaCount).toBe(2)
    expect(carlCount).toBe(1)
    expect(core.accounts.get(await didOf(ada)).unread).toBe(adaCount)
    expect(core.accounts.get(await didOf(carl)).unread).toBe(carlCount)
  })

  it('two accounts on two PDSes never cross: each server sees only its own account', async () => {
    const adaDid = await didOf(ada)
    const carlDid = await didOf(carl)
    const host1 = new URL(full.pdsUrl).host
    const host2 = new URL(pds2).host
    const toPds = seen.filter((s) => s.host === host1 || s.host === host2)
    expect(toPds.some((s) => s.url.includes('getUnreadCount') && s.host === host2)).toBe(true)
    for (const s of toPds) {
      const own = s.host === host1 ? adaDid : carlDid
      const other = s.host === host1 ? carlDid : adaDid
      if (s.sub) expect(s.sub, s.url).toBe(own)
      expect(decodeURIComponent(s.url), s.url).not.toContain(other)
      expect(s.url).not.toContain(s.host === host1 ? carl.handle : ada.handle)
    }
  })

  it('avatars are real: uploaded blobs served through the AppView image path', async () => {
    const view = core.accounts.get(await didOf(ada))
    expect(view.displayName).toBe('Ada Lovelace')
    expect(view.avatar).toMatch(new RegExp(`^${full.appviewUrl}/img/avatar/`))
    const img = await fetch(view.avatar!)
    expect(img.status).toBe(200)
    expect(img.headers.get('content-type')).toMatch(/^image\//)
  })

  it('an Ozone takedown: the AppView refuses the account while its PDS still hosts it', async () => {
    const did = await didOf(ada)
    expect(core.accounts.get(did).appview).toEqual({ status: 'ok', labels: [] })
    await ozoneTakedown(full, did)
    await core.glance!.refreshAll()
    const view = core.accounts.get(did)
    expect(view.appview?.status).toBe('takendown')
    expect(view.hosting).toBe('active')
    expect(view.session).toBe('signed-in')
    // The PDS's own answer agrees: still hosted, still active.
    await core.accounts.check(did)
    expect(core.accounts.get(did).hosting).toBe('active')
  })

  it('an Ozone label on the account shows as a label, not as a hosting status', async () => {
    const did = await didOf(carl)
    await ozoneLabel(full, did, '!hide')
    await core.glance!.refreshAll()
    const view = core.accounts.get(did)
    expect(view.appview).toEqual({ status: 'ok', labels: ['!hide'] })
    expect(view.hosting).toBe('active')
  })

  it('nobody is looking until the window says so; app:attention tells the core, a malformed one changes nothing', async () => {
    expect(core.glance!.looking).toEqual({ visible: false, focused: false })
    expect(await core.dispatch('app:attention', { visible: 'yes', focused: true })).toMatchObject({
      ok: false,
      error: { code: 'BadRequest' },
    })
    expect(core.glance!.looking).toEqual({ visible: false, focused: false })
    expect(await core.dispatch('app:attention', { visible: true, focused: true })).toEqual({
      ok: true,
      value: { visible: true, focused: true },
    })
    expect(core.glance!.looking).toEqual({ visible: true, focused: true })
    await core.dispatch('app:attention', { visible: false, focused: false })
    expect(core.glance!.looking).toEqual({ visible: false, focused: false })
  })

  it('counts live in memory only: the vault file holds none', async () => {
    const { readFileSync, readdirSync } = await import('node:fs')
    const { join } = await import('node:path')
    await core.vault.flush()
    const files = readdirSync(dataDir).filter((n) => n.endsWith('.json'))
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) expect(readFileSync(join(dataDir, f), 'utf8')).not.toMatch(/unread|appview|!hide/)
  })
})

const dids = new Map<string, string>()
async function didOf(a: TestAccount): Promise<string> {
  const known = dids.get(a.handle)
  if (known) return known
  const found = core.accounts.findByHandleOrDid(a.handle)
  if (!found) throw new Error(`${a.handle} is not signed in`)
  dids.set(a.handle, found.did)
  return found.did
}
