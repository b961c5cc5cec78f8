import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KEY_PREFIX, keyDigest, LinkTable, type SignAnswer, type ToThread } from '../../src-main/core/proxy/proxy-link'

const key = (id: string) => `${KEY_PREFIX}${id.replace(/\W/g, '')}`
const account = (did: string) => ({ did, oauth: false, baseUrl: `https://pds.example/${did}` })

describe("the proxy thread's picture of the accounts", () => {
  it('resolves keys by their hash: the active key follows, unknown and removed accounts are refused', () => {
    let gen = 0
    const table = new LinkTable(
      () => gen,
      () => 0,
    )
    const state = (dids: string[], active: string | null, known = dids): Extract<ToThread, { t: 'state' }> => ({
      t: 'state',
      gen: ++gen,
      accounts: dids.map(account),
      active,
      digests: [[keyDigest(key('active')), 'active'], ...known.map((d): [string, string] => [keyDigest(key(d)), d])],
      busy: [],
    })
    table.apply(state(['did:plc:a', 'did:plc:b'], 'did:plc:a'))
    expect(table.resolve(key('did:plc:b'))).toEqual({ ok: true, account: account('did:plc:b') })
    expect(table.resolve(key('active'))).toEqual({ ok: true, account: account('did:plc:a') })
    expect(table.resolve(`${key('did:plc:b')}x`)).toEqual({ ok: false, message: 'Unknown local key.' })
    expect(table.resolve('did:plc:b')).toEqual({ ok: false, message: 'Unknown local key.' })
    // Removed, though its key's hash is still known: refused.
    table.apply(state(['did:plc:a'], null, ['did:plc:a', 'did:plc:b']))
    expect(table.resolve(key('did:plc:b'))).toEqual({ ok: false, message: 'Unknown local key.' })
    expect(table.resolve(key('active'))).toEqual({ ok: false, message: 'No account is active.' })
  })

  /**
   * A model of main and the thread, stepped in any order: main's operations
   * (begin, refresh, sign out, end, an address change announced by an event,
   * removal, a new account), the thread's requests, main reading a token for
   * what the thread asked and (maybe after other steps) posting it, the port
   * delivering a few messages, and time passing. Tokens change only inside
   * operations, as the ownership rule has it. Whenever the thread uses a
   * token without asking, it must be the token main would hand out at that
   * moment, valid for as long as the request needs, for an account that is
   * signed in and has nothing under way.
   */
  it('never uses a token main would not hand out right now (model-based; fast-check prints the seed)', () => {
    const DIDS = ['did:plc:a', 'did:plc:b']
    // Weighted towards what the thread does most: requests, and the port delivering.
    const kinds = {
      post: 4,
      begin: 2,
      refresh: 2,
      signOut: 1,
      end: 2,
      event: 1,
      remove: 1,
      add: 1,
      request: 8,
      answer: 4,
      deliver: 8,
      tick: 2,
    }
    const step = fc.record({
      kind: fc.oneof(...Object.entries(kinds).map(([k, weight]) => ({ arbitrary: fc.constant(k), weight }))),
      who: fc.integer({ min: 0, max: DIDS.length - 1 }),
      n: fc.integer({ min: 0, max: 40 }),
    })
    let fastUses = 0
    fc.assert(
      fc.property(fc.array(step, { minLength: 30, maxLength: 150, size: 'max' }), (steps) => {
        let gen = 0
        let now = 0
        type Held = { version: number; signedIn: boolean; busy: boolean; expiresAt: number }
        const main = new Map<string, Held>(
          DIDS.map((d) => [d, { version: 0, signedIn: true, busy: false, expiresAt: 20 }]),
        )
        const port: ToThread[] = []
        const asks: { did: string; minValidMs: number }[] = []
        const reads: { did: string; gen: number; value: SignAnswer }[] = []
        const table = new LinkTable(
          () => gen,
          () => now,
        )
        const push = (msg: Record<string, unknown>) => port.push({ ...msg, gen: ++gen } as ToThread)
        const fullState = () => {
          const busy = [...main].filter(([, h]) => h.busy).map(([d]) => d)
          push({ t: 'state', accounts: [...main.keys()].map(account), active: null, digests: [], busy })
        }
        const tokenOf = (did: string) => `${did}#${main.get(did)!.version}`
        fullState()

        for (const { kind, who, n } of steps) {
          const did = DIDS[who]!
          const held = main.get(did)
          if (kind === 'begin' && held && !held.busy) {
            held.busy = true
            push({ t: 'busy', did, busy: true })
          } else if (kind === 'refresh' && held?.busy && held.signedIn) {
            held.version++
            held.expiresAt = now + 20
          } else if (kind === 'signOut' && held?.busy) {
            held.signedIn = false
          } else if (kind === 'end' && held?.busy) {
            // The thread is told nothing of the new token: only that the account is idle again.
            held.busy = false
            push({ t: 'busy', did, busy: false })
          } else if (kind === 'event' && held) {
            // Something the thread holds changed (the account's address): the token did not.
            push({ t: 'account', account: account(did), digest: keyDigest(key(did)) })
          } else if (kind === 'remove' && held && !held.busy) {
            main.delete(did)
            fullState()
          } else if (kind === 'add' && !held) {
            main.set(did, { version: 100 + n, signedIn: true, busy: false, expiresAt: now + 20 })
            fullState()
          } else if (kind === 'request') {
            const minValidMs = n % 20
            const jwt = table.token(did, minValidMs)
            if (jwt === null) asks.push({ did, minValidMs })
            else {
              fastUses++
              expect(held, 'a removed account').toBeDefined()
              expect(held!.signedIn, 'a signed-out account').toBe(true)
              expect(held!.busy, 'an account with an operation under way').toBe(false)
              expect(jwt, 'the token main holds').toBe(tokenOf(did))
              expect(held!.expiresAt - now, 'valid for as long as asked').toBeGreaterThanOrEqual(minValidMs)
            }
          } else if (kind === 'answer' && asks.length > 0) {
            // Main reads the token in the account's turn, which may come between two operations on it.
            const q = asks.shift()!
            const h = main.get(q.did)
            if (!h?.signedIn) continue // answered with an error: nothing to keep
            const before = gen
            if (h.expiresAt - now < q.minValidMs && !h.busy) {
              // A refresh first: an operation of its own.
              push({ t: 'busy', did: q.did, busy: true })
              h.version++
              h.expiresAt = now + 20
              push({ t: 'busy', did: q.did, busy: false })
            } else if (h.expiresAt - now < q.minValidMs) continue // waits for the operation under way
            reads.push({ did: q.did, gen: before, value: { accessJwt: tokenOf(q.did), validUntil: h.expiresAt } })
          } else if (kind === 'post' && reads.length > 0) {
            // The answer goes out later: main may have done other things since it read the token.
            const r = reads.shift()!
            port.push({ t: 'answer', id: 0, gen: r.gen, value: { did: r.did, ...r.value } })
          } else if (kind === 'deliver') {
            // The port delivers a few messages, in order.
            for (const msg of port.splice(0, 1 + (n % 5))) {
              if (msg.t === 'answer') {
                const { did: asked, ...value } = msg.value as SignAnswer & { did: string }
                table.remember(asked, msg.gen, value)
              } else if (msg.t === 'state' || msg.t === 'account' || msg.t === 'busy') table.apply(msg)
            }
          } else if (kind === 'tick') {
            now += n % 10
          }
        }
      }),
      { numRuns: 300, verbose: true },
    )
    // The property is only worth something if the thread did use its tokens.
    expect(fastUses).toBeGreaterThan(100)
  })
})
