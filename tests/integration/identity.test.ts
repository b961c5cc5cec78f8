/**
 * Special-use names (RFC 6761 and friends) never reach DNS or a well-known
 * fetch: they resolve only through the service the user named. DNS is
 * observed at Node's own resolver functions, which @atproto/identity and
 * fetch both go through; the observer answers "not found" itself, so no
 * query leaves the machine.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { IdentityResolver, isSpecialUseHandle } from '../../src-main/core/session/identity'
import { SessionClient } from '../../src-main/core/session/session-client'
import { useNetwork } from '../support/harness'
import { createAccount } from '../support/network'

const h = useNetwork()
const require = createRequire(import.meta.url)
const dns = require('node:dns') as typeof import('node:dns')
const dnsPromises = require('node:dns/promises') as typeof import('node:dns/promises')

/** Every name anything in this process asked DNS about, loopback names aside. */
const asked: string[] = []
const saved = { lookup: dns.lookup, lookupP: dnsPromises.lookup, txt: dnsPromises.resolveTxt }
const notFound = (name: string) => Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
const loopback = (name: string) => name === 'localhost' || name === '127.0.0.1' || name === '::1'

beforeAll(() => {
  const lookup = ((name: string, opts: unknown, cb?: unknown) => {
    if (loopback(name)) return (saved.lookup as (...a: unknown[]) => void)(name, opts, cb)
    asked.push(name)
    const callback = (typeof opts === 'function' ? opts : cb) as (e: Error) => void
    process.nextTick(() => callback(notFound(name)))
  }) as typeof dns.lookup
  dns.lookup = lookup
  dnsPromises.lookup = (async (name: string, opts?: unknown) => {
    if (loopback(name)) return (saved.lookupP as (...a: unknown[]) => unknown)(name, opts)
    asked.push(name)
    throw notFound(name)
  }) as typeof dnsPromises.lookup
  dnsPromises.resolveTxt = async (name: string) => {
    asked.push(name)
    throw notFound(name)
  }
  syncBuiltinESMExports()
})
afterAll(() => {
  dns.lookup = saved.lookup
  dnsPromises.lookup = saved.lookupP
  dnsPromises.resolveTxt = saved.txt
  syncBuiltinESMExports()
})
beforeEach(() => {
  asked.length = 0
})

const resolver = () => new IdentityResolver({ plcUrl: h.net.plcUrl, allowLoopback: true, timeoutMs: 2_000 })
const sessions = new SessionClient({ timeoutMs: 5_000 })

describe('special-use handles', () => {
  it('a .test handle resolves through the named service and never reaches DNS', async () => {
    const account = await createAccount(h.net.pdsUrl, 'ident')
    const proxy = await h.proxy()
    const found = await resolver().resolve(account.handle, proxy.url, sessions)
    expect(found).toEqual({ did: account.did, pdsUrl: expect.stringMatching(/^http:\/\/localhost:\d+$/) })
    expect(proxy.counts.get('com.atproto.identity.resolveHandle')).toBe(1)
    expect(asked.filter((n) => n.includes(account.handle))).toEqual([])
  })

  it('signing in with a .test handle through the core asks DNS nothing about it', async () => {
    const account = await createAccount(h.net.pdsUrl, 'ident')
    const { core } = await h.core()
    const view = await core.accounts.login({
      identifier: account.handle,
      password: account.password,
      service: h.net.pdsUrl,
    })
    expect(view.did).toBe(account.did)
    expect(asked.filter((n) => n.includes(account.handle))).toEqual([])
  })

  it('upper case, a leading @ and a trailing dot are the same special-use name', async () => {
    const account = await createAccount(h.net.pdsUrl, 'ident')
    const proxy = await h.proxy()
    const found = await resolver().resolve(`@${account.handle.toUpperCase()}.`, proxy.url, sessions)
    expect(found?.did).toBe(account.did)
    expect(asked.filter((n) => n.toLowerCase().includes(account.handle))).toEqual([])
  })

  it.each(['example', 'invalid', 'localhost', 'local', 'internal', 'arpa', 'onion', 'alt'])(
    'a .%s handle goes only to the named service',
    async (tld) => {
      const proxy = await h.proxy()
      const handle = `nobody${Math.random().toString(36).slice(2, 7)}.${tld}`
      expect(isSpecialUseHandle(handle)).toBe(true)
      expect(await resolver().resolve(handle, proxy.url, sessions)).toBeNull()
      expect(proxy.counts.get('com.atproto.identity.resolveHandle')).toBe(1)
      expect(asked.filter((n) => n.includes(handle))).toEqual([])
    },
  )

  it('an ordinary handle is looked up in DNS (the observer sees it)', async () => {
    const proxy = await h.proxy()
    const handle = `nobody${Math.random().toString(36).slice(2, 7)}.skyswitch-example.com`
    expect(isSpecialUseHandle(handle)).toBe(false)
    expect(await resolver().resolve(handle, proxy.url, sessions)).toBeNull()
    expect(asked).toContain(`_atproto.${handle}`)
    // Then the named service, as before.
    expect(proxy.counts.get('com.atproto.identity.resolveHandle')).toBe(1)
  })

  it('a did:web on a special-use host is not fetched', async () => {
    const proxy = await h.proxy()
    expect(await resolver().resolve('did:web:alice.test', proxy.url, sessions)).toBeNull()
    expect(asked.filter((n) => n.includes('alice.test'))).toEqual([])
  })
})
