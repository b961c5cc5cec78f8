import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Notifier } from '../../src-main/core/notices/notifier'
import type { Notice, NoticeKind } from '../../src-main/core/notices/texts'
import type { AccountView } from '../../src-main/ipc/contract'
import { FakeClock } from '../support/fake-clock'
import { NoticeHost, view } from '../support/notice-host'

const refused = { code: 'SignedOut', message: 'The session has ended.' } as const
const STANDINGS: Partial<AccountView>[] = [
  { hosting: 'active', session: 'signed-in', lastError: undefined },
  { hosting: 'active', session: 'refreshing', lastError: undefined },
  { hosting: 'active', session: 'signed-out', lastError: refused },
  { hosting: 'active', session: 'signed-out', lastError: undefined },
  { hosting: 'takendown', session: 'signed-out', lastError: undefined },
  { hosting: 'suspended', session: 'signed-in', lastError: undefined },
  { hosting: 'deactivated', session: 'signed-in', lastError: undefined },
]

type Step =
  | { op: 'change'; who: number; standing: number; unread: number }
  | { op: 'wait'; ms: number }
  | { op: 'mute'; who: number; muted: boolean }
  | { op: 'unreadOptIn'; who: number; on: boolean }

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('change' as const),
      who: fc.nat(3),
      standing: fc.nat(STANDINGS.length - 1),
      unread: fc.nat(4),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 12_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('mute' as const), who: fc.nat(3), muted: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unreadOptIn' as const), who: fc.nat(3), on: fc.boolean() }) },
)

/** Whether a view is in the state an event of `kind` reached (what "leaving" it means). */
function holds(kind: NoticeKind, v: AccountView): boolean {
  switch (kind) {
    case 'signed-out':
      return v.hosting === 'active' && v.session === 'signed-out' && v.lastError?.code === 'SignedOut'
    case 'takendown':
    case 'suspended':
    case 'deactivated':
      return v.hosting === kind
    case 'active-again':
      return v.hosting === 'active'
    default:
      return true
  }
}

describe('notifier (property)', () => {
  it('never repeats an event before its account left that state, never names an account not involved', async () => {
    const seed = Number(process.env.NOTICES_SEED ?? Date.now() % 2_147_483_647)
    console.log(`notices property seed ${seed} (NOTICES_SEED=${seed} replays it)`)
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
        const clock = new FakeClock()
        const host = new NoticeHost([0, 1, 2, 3].map((i) => view(i, { unread: 0 })))
        const notifier = new Notifier(host, () => host.settings, { clock })
        const notices: Notice[] = []
        notifier.onNotice((n) => notices.push(n))
        // Per did+kind: whether its state was left (in a settled view) since it was last told.
        const left = new Map<string, boolean>()
        const touched = new Set<string>()
        const told = new Set<string>()
        const settled = new Map(host.accounts.map((a) => [a.did, a]))
        const check = () => {
          for (const n of notices.splice(0)) {
            const { notifications, mutedDids } = host.settings
            expect(notifications).toBe(true)
            const named = new Set(n.dids)
            expect(named.size).toBe(n.dids.length)
            for (const e of n.events) {
              expect(named.has(e.did)).toBe(true)
              expect(touched.has(e.did)).toBe(true)
              expect(mutedDids).not.toContain(e.did)
              // A call under way says nothing new: the state is the last settled one.
              expect(holds(e.kind, settled.get(e.did)!)).toBe(true)
              const key = `${e.did}|${e.kind}`
              if (e.kind !== 'unread') expect(!told.has(key) || left.get(key)).toBe(true)
              told.add(key)
              left.set(key, false)
            }
            // Every handle the text names is one of the accounts it is about, and each is named.
            const text = `${n.title}\n${n.body}`
            const handles = new Set([...text.matchAll(/@([a-z0-9.]+\.test)/g)].map((m) => m[1]))
            const expected = new Set(n.dids.map((d) => host.accounts.find((a) => a.did === d)!.handle))
            if (n.dids.length > 1 || handles.size > 0) expect(handles).toEqual(expected)
          }
        }
        for (const s of steps) {
          if (s.op === 'wait') await clock.advance(s.ms)
          else if (s.op === 'mute' || s.op === 'unreadOptIn') {
            const did = `did:plc:acct${s.who}`
            const field = s.op === 'mute' ? 'mutedDids' : 'unreadDids'
            const on = s.op === 'mute' ? s.muted : s.on
            const list = host.settings[field].filter((d) => d !== did)
            host.settings = { ...host.settings, [field]: on ? [...list, did] : list }
          } else {
            const did = `did:plc:acct${s.who}`
            touched.add(did)
            host.change(did, { ...STANDINGS[s.standing], unread: s.unread })
            const v = host.accounts[s.who]!
            if (v.session !== 'refreshing') {
              settled.set(did, v)
              for (const kind of ['signed-out', 'takendown', 'suspended', 'deactivated', 'active-again'] as const) {
                const key = `${did}|${kind}`
                // Back to active is left by going down; the others by not holding.
                if (kind === 'active-again' ? v.hosting !== 'active' : !holds(kind, v)) left.set(key, true)
              }
            }
          }
          check()
        }
        await clock.advance(60_000)
        check()
        notifier.stop()
      }),
      { seed, numRuns: 300 },
    )
  })
})
