/**
 * The renderer's store against every order in which main's events and the
 * getState reply can reach it: events arrive in the order sent, the reply
 * anywhere among them (or an extra snapshot first, as browser mode's stream
 * sends). The proxy's status rides in every state and in proxy:changed
 * events, ordered by the same revision. Whatever the order,
 * the store never goes back to an older view and ends showing what main
 * holds. The bridge is a stand-in for the preload (Electron's IPC cannot run
 * here); the store, its rules and the actions' connect() are the real ones.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type {
  AccountView,
  AppState,
  EventName,
  ProxyStatus,
  Revisioned,
  SkyswitchApi,
} from '../../src-main/ipc/contract'

type Op =
  | { kind: 'add' }
  | { kind: 'remove'; i: number }
  | { kind: 'reorder'; by: number }
  | { kind: 'touch'; i: number }
  | { kind: 'proxy' }
type Sent =
  | { event: 'state:changed'; payload: AppState & Revisioned }
  | { event: 'account:changed'; payload: AccountView & Revisioned }
  | { event: 'proxy:changed'; payload: ProxyStatus & Revisioned }

/** What main holds: accounts whose `lastCheckedAt` is their version, and a state version. */
class Main {
  revision = 0
  version = 0
  order: string[] = []
  accounts = new Map<string, AccountView>()
  /** The proxy's version rides in its port. */
  proxyVersion = 0
  private next = 0
  sent: Sent[] = []

  constructor(n: number) {
    for (let i = 0; i < n; i++) this.addAccount()
  }
  state(): AppState & Revisioned {
    return {
      accounts: this.order.map((d) => ({ ...this.accounts.get(d)! })),
      activeDid: this.order[0] ?? null,
      storage: {
        backend: 'key-file',
        backendName: 'key file',
        weak: true,
        persistence: 'disk',
        persistenceChosen: true,
      },
      notices: [],
      online: true,
      // The state's own version rides in a field the store copies through.
      clipboardClearSeconds: this.version,
      mode: 'browser',
      defaultService: 'https://pds.test',
      proxy: this.proxy(),
      revision: this.revision,
    }
  }
  proxy(): ProxyStatus {
    const running = this.proxyVersion % 2 === 0
    return { running, enabled: running, url: `http://127.0.0.1:${1000 + this.proxyVersion}` }
  }
  apply(op: Op): void {
    if (op.kind === 'proxy') {
      this.proxyVersion++
      this.sent.push({ event: 'proxy:changed', payload: { ...this.proxy(), revision: ++this.revision } })
      return
    }
    const pick = (i: number) => this.order[i % this.order.length]!
    if (op.kind === 'touch' && this.order.length > 0) {
      const did = pick(op.i)
      const a = { ...this.accounts.get(did)!, lastCheckedAt: this.accounts.get(did)!.lastCheckedAt! + 1 }
      this.accounts.set(did, a)
      this.sent.push({ event: 'account:changed', payload: { ...a, revision: ++this.revision } })
      return
    }
    if (op.kind === 'add') this.addAccount()
    if (op.kind === 'remove' && this.order.length > 0) {
      const did = pick(op.i)
      this.accounts.delete(did)
      this.order = this.order.filter((d) => d !== did)
    }
    if (op.kind === 'reorder' && this.order.length > 1) {
      const k = op.by % this.order.length
      this.order = [...this.order.slice(k), ...this.order.slice(0, k)]
    }
    this.version++
    this.revision++
    this.sent.push({ event: 'state:changed', payload: this.state() })
  }
  private addAccount(): void {
    const did = `did:plc:acct${this.next++}`
    this.accounts.set(did, {
      did,
      handle: `${did.slice(8)}.test`,
      service: 'https://pds.test',
      pdsUrl: 'https://pds.test',
      hosting: 'active',
      session: 'signed-in',
      scope: 'full',
      lastCheckedAt: 0,
    })
    this.order.push(did)
  }
}

async function freshStore(bridge: SkyswitchApi) {
  vi.resetModules()
  ;(globalThis as { window?: unknown }).window = { skyswitch: bridge, addEventListener: () => undefined }
  // The window's attention (visible, focused) is sent at connect: a page that is shown and focused.
  ;(globalThis as { document?: unknown }).document = {
    visibilityState: 'visible',
    hasFocus: () => true,
    addEventListener: () => undefined,
  }
  const { connect } = await import('../../src-renderer/src/actions')
  const { useStore } = await import('../../src-renderer/src/store')
  return { connect, useStore }
}

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'add' }),
  fc.nat(9).map<Op>((i) => ({ kind: 'remove', i })),
  fc.nat(9).map<Op>((by) => ({ kind: 'reorder', by })),
  fc.nat(9).map<Op>((i) => ({ kind: 'touch', i })),
  fc.constant<Op>({ kind: 'proxy' }),
)

const portOf = (p: ProxyStatus | null) => (p?.url ? Number(new URL(p.url).port) : -1)

describe('renderer store: revisions', () => {
  it('an older snapshot never replaces a newer one, in any delivery order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.array(op, { maxLength: 25 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        async (n, ops, snapAt, deliverAt, streamSnapshot) => {
          const main = new Main(n)
          const listeners = new Map<EventName, (p: unknown) => void>()
          const replies = new Map<string, (v: unknown) => void>()
          const bridge: SkyswitchApi = {
            on: (event, l) => (listeners.set(event, l as (p: unknown) => void), () => undefined),
            invoke: ((name: string) => new Promise<unknown>((r) => replies.set(name, r))) as SkyswitchApi['invoke'],
          }
          const { connect, useStore } = await freshStore(bridge)
          connect()
          // The window's languages, one state request, the app's update, and the window's attention (once at start).
          expect([...replies.keys()]).toEqual(['app:windowLanguages', 'app:getState', 'updates:get', 'app:attention'])
          const first = streamSnapshot ? main.state() : null
          // getState is answered after `snapAt` changes; the page gets it after `deliverAt` events.
          const k = snapAt % (ops.length + 1)
          ops.slice(0, k).forEach((o) => main.apply(o))
          const snapshot = main.state()
          ops.slice(k).forEach((o) => main.apply(o))
          const p = deliverAt % (main.sent.length + 1)

          const seen = new Map<string, number>()
          let version = -1
          let proxyVersion = -1
          const check = () => {
            const s = useStore.getState()
            expect(portOf(s.proxy)).toBeGreaterThanOrEqual(proxyVersion)
            proxyVersion = portOf(s.proxy)
            if (!s.ready) return
            expect(s.clipboardClearSeconds).toBeGreaterThanOrEqual(version)
            version = s.clipboardClearSeconds
            for (const did of s.order) {
              const v = s.accounts[did]!.lastCheckedAt!
              expect(v).toBeGreaterThanOrEqual(seen.get(did) ?? 0)
              seen.set(did, v)
            }
          }
          const deliver = async (i: number) => {
            if (i === p) {
              replies.get('app:getState')!({ ok: true, value: snapshot })
              await new Promise((r) => setTimeout(r, 0))
              check()
            }
          }
          if (first) listeners.get('state:changed')!(first)
          for (let i = 0; i < main.sent.length; i++) {
            await deliver(i)
            listeners.get(main.sent[i]!.event)!(main.sent[i]!.payload)
            check()
          }
          await deliver(main.sent.length)

          const s = useStore.getState()
          expect(s.ready).toBe(true)
          expect(s.order).toEqual(main.order)
          expect(s.clipboardClearSeconds).toBe(main.version)
          expect(s.proxy).toEqual(main.proxy())
          for (const did of main.order) expect(s.accounts[did]).toEqual(main.accounts.get(did))
        },
      ),
      { numRuns: 300 },
    )
  })
})
