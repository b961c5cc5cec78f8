import { describe, expect, it } from 'vitest'
import { MAX_BATCH_MS, Notifier, QUIET_MS } from '../../src-main/core/notices/notifier'
import { HOUR_MS } from '../../src-main/core/notices/standing'
import type { Notice } from '../../src-main/core/notices/texts'
import type { AccountView } from '../../src-main/ipc/contract'
import { FakeClock } from '../support/fake-clock'
import { NoticeHost, view } from '../support/notice-host'

const DAY = 24 * HOUR_MS
const refused = { code: 'SignedOut', message: 'The session has ended; sign in again.' } as const
const offline = { code: 'Offline', message: 'The server could not be reached.' } as const

function setup(accounts: AccountView[] = [view(0), view(1), view(2)]) {
  const clock = new FakeClock()
  const host = new NoticeHost(accounts)
  const notices: Notice[] = []
  const start = () => {
    const n = new Notifier(host, () => host.settings, { clock, formatTime: (t) => new Date(t).toISOString() })
    n.onNotice((x) => notices.push(x))
    return n
  }
  return { clock, host, notices, start, did: (i: number) => `did:plc:acct${i}` }
}

describe('notifier: each kind names its account', () => {
  it('signed out by the server: one notice after a quiet gap, naming the handle', async () => {
    const t = setup()
    t.start()
    t.host.change(t.did(0), { session: 'signed-out', lastError: refused })
    await t.clock.advance(QUIET_MS - 1)
    expect(t.notices).toEqual([])
    await t.clock.advance(1)
    expect(t.notices).toHaveLength(1)
    expect(t.notices[0]).toMatchObject({ title: '@a0.test was signed out', dids: [t.did(0)] })
    expect(t.notices[0]!.body).toMatch(/password was changed, the app password revoked/)
  })

  it('a sign-out the user asked for is not news', async () => {
    const t = setup()
    t.start()
    t.host.change(t.did(0), { session: 'signed-out' })
    await t.clock.advance(MAX_BATCH_MS)
    expect(t.notices).toEqual([])
  })

  it('taken down, suspended, deactivated, and back to active', async () => {
    const t = setup()
    t.start()
    const titles: string[] = []
    for (const hosting of ['takendown', 'suspended', 'deactivated', 'active'] as const) {
      t.host.change(t.did(1), { hosting })
      await t.clock.advance(QUIET_MS)
      titles.push(t.notices.at(-1)!.title)
    }
    expect(titles).toEqual([
      '@a1.test was taken down',
      '@a1.test is suspended',
      '@a1.test is deactivated',
      '@a1.test is active again',
    ])
    expect(t.notices.every((n) => n.dids.join() === t.did(1))).toBe(true)
  })

  it('taken down and back within one batch: nothing to tell', async () => {
    const t = setup()
    t.start()
    t.host.change(t.did(0), { hosting: 'takendown', session: 'signed-out' })
    await t.clock.advance(500)
    t.host.change(t.did(0), { hosting: 'active', session: 'signed-in' })
    await t.clock.advance(MAX_BATCH_MS)
    expect(t.notices).toEqual([])
  })

  it('an OAuth session a day from its fixed end: once, with the time; a new sign-in starts over', async () => {
    const t = setup()
    const end = t.clock.now() + 3 * DAY
    t.host.accounts[2] = view(2, { auth: 'oauth', refreshExpiresAt: end })
    t.start()
    await t.clock.advance(2 * DAY - 1)
    expect(t.notices).toEqual([])
    await t.clock.advance(QUIET_MS + 1)
    expect(t.notices.map((n) => n.title)).toEqual([`@a2.test: sign in again before ${new Date(end).toISOString()}`])
    t.host.change(t.did(2), { lastRefreshAt: t.clock.now() })
    await t.clock.advance(DAY / 2)
    expect(t.notices).toHaveLength(1)
    // Past the end the refresh is refused: signed out, which is its own news.
    await t.clock.advance(DAY)
    t.host.change(t.did(2), { session: 'signed-out', lastError: refused })
    await t.clock.advance(QUIET_MS)
    expect(t.notices.at(-1)!.title).toBe('@a2.test was signed out')
    const again = t.clock.now() + 14 * DAY
    t.host.change(t.did(2), { session: 'signed-in', lastError: undefined, refreshExpiresAt: again })
    await t.clock.advance(13 * DAY + QUIET_MS)
    expect(t.notices.at(-1)!.title).toBe(`@a2.test: sign in again before ${new Date(again).toISOString()}`)
    expect(t.notices).toHaveLength(3)
  })

  it('refreshes failing for twelve hours: once, and never while the app itself is offline', async () => {
    const t = setup()
    t.start()
    const last = t.clock.now()
    t.host.change(t.did(0), { session: 'offline', lastError: offline, lastRefreshAt: last })
    t.host.change(t.did(1), { session: 'offline', lastError: offline, lastRefreshAt: last })
    t.host.online = false
    t.host.announceState()
    await t.clock.advance(11 * HOUR_MS)
    // Retries come and go (a call under way, then offline again): no news.
    t.host.change(t.did(0), { session: 'refreshing', lastError: undefined })
    t.host.change(t.did(0), { session: 'offline', lastError: offline })
    t.host.online = true
    t.host.announceState()
    await t.clock.advance(HOUR_MS + QUIET_MS)
    expect(t.notices).toHaveLength(1)
    expect(t.notices[0]!.title).toBe('2 accounts need attention')
    expect(t.notices[0]!.body).toBe('@a0.test: not refreshed for 12 hours\n@a1.test: not refreshed for 12 hours')
    t.host.change(t.did(0), { session: 'refreshing', lastError: undefined })
    t.host.change(t.did(0), { session: 'rate-limited', lastError: offline })
    await t.clock.advance(HOUR_MS)
    expect(t.notices).toHaveLength(1)
    // A refresh that works ends it; the next long failure is news again.
    t.host.change(t.did(0), { session: 'signed-in', lastError: undefined, lastRefreshAt: t.clock.now() })
    t.host.change(t.did(0), { session: 'offline', lastError: offline })
    await t.clock.advance(12 * HOUR_MS + QUIET_MS)
    expect(t.notices.at(-1)!.title).toBe('@a0.test has not refreshed for 12 hours')
  })
})

describe('notifier: storms, repeats, settings', () => {
  it('events that arrive together become one notice naming every account, in order', async () => {
    const t = setup()
    t.start()
    t.host.change(t.did(2), { session: 'signed-out', lastError: refused })
    await t.clock.advance(QUIET_MS - 100)
    t.host.change(t.did(0), { hosting: 'takendown' })
    await t.clock.advance(QUIET_MS - 100)
    t.host.change(t.did(1), { hosting: 'deactivated' })
    await t.clock.advance(QUIET_MS)
    expect(t.notices).toHaveLength(1)
    expect(t.notices[0]).toMatchObject({
      title: '3 accounts need attention',
      dids: [t.did(2), t.did(0), t.did(1)],
      body: '@a2.test: signed out by its server; sign in again\n@a0.test: taken down by its host\n@a1.test: deactivated',
    })
  })

  it('a steady trickle still closes the batch within its bound', async () => {
    const t = setup([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => view(i)))
    t.start()
    for (let i = 0; i < 9; i++) {
      t.host.change(t.did(i), { hosting: 'suspended' })
      await t.clock.advance(QUIET_MS - 500)
    }
    expect(t.notices.map((n) => n.dids.length)).toEqual([7])
    await t.clock.advance(QUIET_MS)
    expect(t.notices.map((n) => n.dids.length)).toEqual([7, 2])
  })

  it('the same event is never repeated; leaving the state and coming back is news again', async () => {
    const t = setup()
    t.start()
    for (let i = 0; i < 3; i++) {
      t.host.change(t.did(0), { session: 'signed-out', lastError: refused })
      await t.clock.advance(QUIET_MS)
    }
    expect(t.notices).toHaveLength(1)
    t.host.change(t.did(0), { session: 'signed-in', lastError: undefined })
    t.host.change(t.did(0), { session: 'signed-out', lastError: refused })
    await t.clock.advance(QUIET_MS)
    expect(t.notices).toHaveLength(2)
  })

  it('left and reached again within one batch: told once (the property found it with seed 1395383876)', async () => {
    const t = setup()
    t.start()
    t.host.change(t.did(0), { hosting: 'deactivated' })
    t.host.change(t.did(0), { hosting: 'takendown' })
    t.host.change(t.did(0), { hosting: 'deactivated' })
    await t.clock.advance(QUIET_MS)
    expect(t.notices.map((n) => [n.title, n.events.length])).toEqual([['@a0.test is deactivated', 1]])
  })

  it('signed out and signed in again before the batch closes: dropped', async () => {
    const t = setup()
    t.start()
    t.host.change(t.did(0), { session: 'signed-out', lastError: refused })
    t.host.change(t.did(0), { session: 'signed-in', lastError: undefined })
    await t.clock.advance(MAX_BATCH_MS)
    expect(t.notices).toEqual([])
  })

  it('what holds at start is not news; accounts added later start from how they are', async () => {
    const t = setup([view(0, { hosting: 'takendown' }), view(1, { session: 'signed-out', lastError: refused })])
    t.start()
    t.host.accounts.push(view(2, { hosting: 'suspended' }))
    t.host.announceState()
    await t.clock.advance(MAX_BATCH_MS)
    expect(t.notices).toEqual([])
  })

  it('a muted account says nothing, others still do; muting during a batch drops its part', async () => {
    const t = setup()
    t.host.settings = { ...t.host.settings, mutedDids: [t.did(0)] }
    t.start()
    t.host.change(t.did(0), { hosting: 'takendown' })
    t.host.change(t.did(1), { hosting: 'takendown' })
    t.host.change(t.did(2), { hosting: 'takendown' })
    await t.clock.advance(100)
    t.host.settings = { ...t.host.settings, mutedDids: [t.did(0), t.did(2)] }
    await t.clock.advance(QUIET_MS)
    expect(t.notices.map((n) => n.dids)).toEqual([[t.did(1)]])
    // Unmuting does not bring old news back.
    t.host.settings = { ...t.host.settings, mutedDids: [] }
    t.host.change(t.did(0), { hosting: 'takendown' })
    await t.clock.advance(QUIET_MS)
    expect(t.notices).toHaveLength(1)
  })

  it('the global switch silences everything, and switching back on does not replay', async () => {
    const t = setup()
    t.host.settings = { ...t.host.settings, notifications: false }
    t.start()
    t.host.change(t.did(0), { session: 'signed-out', lastError: refused })
    await t.clock.advance(QUIET_MS)
    t.host.settings = { ...t.host.settings, notifications: true }
    t.host.change(t.did(0), { session: 'signed-out', lastError: refused })
    t.host.change(t.did(1), { hosting: 'deactivated' })
    await t.clock.advance(QUIET_MS)
    expect(t.notices.map((n) => n.title)).toEqual(['@a1.test is deactivated'])
  })

  it('unread rises: only for accounts that asked, never the first count, never the same count twice', async () => {
    const t = setup()
    t.host.settings = { ...t.host.settings, unreadDids: [t.did(1)] }
    t.start()
    t.host.change(t.did(0), { unread: 2 })
    t.host.change(t.did(1), { unread: 2 })
    await t.clock.advance(QUIET_MS)
    expect(t.notices).toEqual([])
    t.host.change(t.did(0), { unread: 5 })
    t.host.change(t.did(1), { unread: 3 })
    t.host.change(t.did(1), { unread: 5 })
    t.host.change(t.did(1), { unread: 5 })
    await t.clock.advance(QUIET_MS)
    expect(t.notices).toHaveLength(1)
    expect(t.notices[0]).toMatchObject({ title: '@a1.test: 3 new notifications', body: '5 unread on Bluesky.' })
    t.host.change(t.did(1), { unread: 5 })
    t.host.change(t.did(1), { unread: 0 })
    t.host.change(t.did(1), { unread: 1 })
    await t.clock.advance(QUIET_MS)
    expect(t.notices.map((n) => n.title)).toEqual(['@a1.test: 3 new notifications', '@a1.test: 1 new notification'])
  })

  it('a removed account is forgotten, and its pending news with it', async () => {
    const t = setup()
    t.start()
    t.host.change(t.did(0), { hosting: 'takendown' })
    t.host.accounts.splice(0, 1)
    t.host.announceState()
    await t.clock.advance(QUIET_MS)
    expect(t.notices).toEqual([])
  })

  it('a notice about one account carries the avatar the app already has', async () => {
    const t = setup([view(0, { avatar: 'https://cdn.example/a0.jpg' }), view(1)])
    t.start()
    t.host.change(t.did(0), { hosting: 'suspended' })
    await t.clock.advance(QUIET_MS)
    t.host.change(t.did(0), { hosting: 'active' })
    t.host.change(t.did(1), { hosting: 'suspended' })
    await t.clock.advance(QUIET_MS)
    expect(t.notices.map((n) => n.avatar)).toEqual(['https://cdn.example/a0.jpg', undefined])
    expect(t.notices[1]).toMatchObject({ title: '2 accounts need attention', dids: [t.did(0), t.did(1)] })
  })
})
