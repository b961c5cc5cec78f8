import { describe, expect, it } from 'vitest'
import { ClipboardGuard, processClipboard } from '../../src-main/core/clipboard/clipboard-guard'
import { redactTokens, SkyswitchError, toErrorInfo } from '../../src-main/core/errors'
import { pdsFromDidDoc } from '../../src-main/core/session/identity'
import { localExpiry, readClaims } from '../../src-main/core/session/jwt'
import { MinHeap } from '../../src-main/core/refresh/min-heap'
import { normalizeService } from '../../src-main/core/session/service-url'
import { hostingFrom } from '../../src-main/core/session/status'
import { FakeClock } from '../support/fake-clock'
import { fakeJwt } from '../support/fake-tokens'

describe('status from a session reply', () => {
  it('maps active/status to the hosting status', () => {
    expect(hostingFrom({})).toBe('active')
    expect(hostingFrom({ active: true })).toBe('active')
    expect(hostingFrom({ active: false, status: 'takendown' })).toBe('takendown')
    expect(hostingFrom({ active: false, status: 'suspended' })).toBe('suspended')
    expect(hostingFrom({ active: false, status: 'deactivated' })).toBe('deactivated')
    // An unknown status on an inactive account is not shown as active.
    expect(hostingFrom({ active: false, status: 'migrating' })).toBe('deactivated')
  })
})

describe('hosting provider field', () => {
  it('accepts hosts and https URLs, http only on loopback', () => {
    expect(normalizeService('')).toBe('https://bsky.social')
    expect(normalizeService('bsky.social')).toBe('https://bsky.social')
    expect(normalizeService(' https://pds.example.com/xrpc ')).toBe('https://pds.example.com')
    expect(normalizeService('http://localhost:2583')).toBe('http://localhost:2583')
    expect(normalizeService('http://127.0.0.1:2583')).toBe('http://127.0.0.1:2583')
    expect(() => normalizeService('http://pds.example.com')).toThrow(SkyswitchError)
    expect(() => normalizeService('javascript:alert(1)')).toThrow(SkyswitchError)
    expect(() => normalizeService('https://')).toThrow(SkyswitchError)
  })
})

describe('JWT claims', () => {
  it('reads the lifetime (exp - iat) and scope with jose', () => {
    const c = readClaims(fakeJwt({ exp: 2_000_000_000, iat: 1_999_992_800, scope: 'com.atproto.appPass' }))
    expect(c).toMatchObject({ lifetimeMs: 7_200_000, scope: 'app-password' })
    expect(readClaims(fakeJwt({ scope: 'com.atproto.takendown' })).scope).toBe('takendown')
  })

  it('tokens are opaque: no exp, no iat or not a JWT at all is accepted with an unknown lifetime', () => {
    expect(readClaims(fakeJwt({ exp: undefined }))).toEqual({ scope: 'full', lifetimeMs: undefined, sub: undefined })
    expect(readClaims(fakeJwt({ iat: undefined })).lifetimeMs).toBeUndefined()
    expect(readClaims('not-a-jwt')).toEqual({ scope: 'unknown' })
    expect(localExpiry('opaque-token', 1000)).toBeUndefined()
  })

  it('expiry is local receive time plus lifetime, whatever the token’s own clock says', () => {
    // Issued three hours "in the future" by a server whose clock is ahead.
    const skewed = fakeJwt({ iat: 2_000_010_800, exp: 2_000_018_000 })
    expect(localExpiry(skewed, 5_000)).toBe(5_000 + 7_200_000)
  })
})

describe('errors never carry tokens', () => {
  it('redacts JWT-shaped text from messages', () => {
    const jwt = fakeJwt()
    const err = new SkyswitchError('Internal', `oops ${jwt} happened`)
    expect(err.message).toBe('oops [token] happened')
    expect(redactTokens(`Bearer ${jwt}`)).toBe('Bearer [token]')
  })

  it('redacts them from the parameters the window’s language is written with', () => {
    const jwt = fakeJwt()
    const err = new SkyswitchError('Internal', 'refused', {
      key: 'x',
      params: { reason: `bad ${jwt}`, list: [jwt], n: 3 },
    })
    expect(err.toInfo().params).toEqual({ reason: 'bad [token]', list: ['[token]'], n: 3 })
  })

  it('unknown errors become a generic Internal error without their message', () => {
    expect(toErrorInfo(new Error(`secret ${fakeJwt()}`))).toEqual({
      code: 'Internal',
      message: 'Something went wrong inside Skyswitch.',
    })
  })
})

describe('DID documents', () => {
  const doc = (endpoint: string) => ({
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: 'did:plc:abc',
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: endpoint }],
  })
  it('finds the #atproto_pds endpoint', () => {
    expect(pdsFromDidDoc(doc('https://pds.example.com/'))).toBe('https://pds.example.com')
    expect(pdsFromDidDoc(doc('ftp://nope'))).toBeUndefined()
    expect(pdsFromDidDoc({ nonsense: true })).toBeUndefined()
    expect(pdsFromDidDoc(undefined)).toBeUndefined()
  })
})

describe('min-heap', () => {
  it('pops in priority order', () => {
    const h = new MinHeap<string>()
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000)
    values.forEach((v, i) => h.push(`k${i}`, v))
    const out: number[] = []
    for (let e = h.pop(); e; e = h.pop()) out.push(e.at)
    expect(out).toEqual([...values].sort((a, b) => a - b))
  })
})

describe('clipboard guard', () => {
  it('clears a copied secret after the delay if it is still there', async () => {
    const clock = new FakeClock()
    const board = processClipboard()
    const guard = new ClipboardGuard(board, clock, 60_000)
    const clearsAt = await guard.copy('secret-token', true)
    expect(clearsAt).toBe(clock.now() + 60_000)
    expect(board.readText()).toBe('secret-token')
    await clock.advance(59_999)
    expect(board.readText()).toBe('secret-token')
    await clock.advance(1)
    expect(board.readText()).toBe('')
  })

  it('leaves the clipboard alone if the user copied something else', async () => {
    const clock = new FakeClock()
    const board = processClipboard()
    const guard = new ClipboardGuard(board, clock, 60_000)
    await guard.copy('secret-token', true)
    board.writeText('my own text')
    await clock.advance(60_000)
    expect(board.readText()).toBe('my own text')
  })

  it('does not schedule a clear for non-secrets', async () => {
    const clock = new FakeClock()
    const guard = new ClipboardGuard(processClipboard(), clock, 60_000)
    expect(await guard.copy('did:plc:abc', false)).toBeNull()
    expect(clock.pending).toBe(0)
  })
})
