/**
 * The demo's accounts and the states a user should recognise. Each account is
 * signed in through the app's own contract (the calls its window makes), then
 * changed on the server the way it happens for real, then checked or
 * refreshed so Skyswitch finds out.
 */
import type { CallName, CallRequest, CallResult, ErrorCode } from '../../src-main/ipc/contract'
import { type EntrywayProxy, startEntrywayProxy } from '../../tests/support/entryway-proxy'
import { adminTakedown, deactivate, xrpc } from '../../tests/support/network'
import type { DemoAccount } from './accounts'
import type { DemoNetwork } from './network'
import type { DemoState, StateSpec } from './plan'

/** One call of the contract; throws DemoCallError when the envelope says no. */
export type Call = <N extends CallName>(name: N, request: CallRequest<N>) => Promise<CallResult<N>>

export class DemoCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** The entryway-like proxies some states need: rate limits, `suspended`, a server that goes away. */
export interface StateProxies {
  rateLimited?: EntrywayProxy
  suspended?: EntrywayProxy
  offline?: EntrywayProxy
  close(): Promise<void>
}

export async function startStateProxies(net: DemoNetwork, plan: readonly StateSpec[]): Promise<StateProxies> {
  const has = (s: DemoState) => plan.some((p) => p.state === s)
  const proxies: StateProxies = {
    async close() {
      for (const p of [this.rateLimited, this.suspended, this.offline]) await p?.close()
    },
  }
  if (has('rate-limited')) proxies.rateLimited = await startEntrywayProxy(net.pds.url)
  if (has('suspended')) proxies.suspended = await startEntrywayProxy(net.pds.url, { suspended: new Set() })
  if (has('offline')) proxies.offline = await startEntrywayProxy(net.pds.url)
  return proxies
}

/** Where each state signs in: its PDS, the second PDS, or a proxy standing in for an entryway. */
export function serviceFor(state: DemoState, net: DemoNetwork, proxies: StateProxies): string {
  switch (state) {
    case 'second-pds':
      return net.secondPds.url
    case 'rate-limited':
      return proxies.rateLimited!.url
    case 'suspended':
      return proxies.suspended!.url
    case 'offline':
      return proxies.offline!.url
    default:
      return net.pds.url
  }
}

export async function signIn(call: Call, a: DemoAccount, state: DemoState, service: string, proxies: StateProxies) {
  if (state === 'suspended') proxies.suspended!.behaviour.suspended!.add(a.did)
  await call('accounts:login', { identifier: a.handle, password: a.password, service })
}

const RATE_LIMIT_SECONDS = 15 * 60

/**
 * Skyswitch loads each profile just after sign-in; the states below would cut
 * some of those loads off (a takedown, a stopped server), so let them land first.
 */
export async function waitForProfiles(call: Call, dids: readonly string[], timeoutMs = 30_000): Promise<void> {
  const wanted = new Set(dids)
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const { accounts } = await call('app:getState', undefined)
    if (accounts.filter((a) => wanted.has(a.did) && a.displayName).length >= wanted.size) return
    await new Promise((ok) => setTimeout(ok, 200))
  }
}

/** Changes the account on the server, then lets Skyswitch find out the way it would on its own. */
export async function applyState(call: Call, a: DemoAccount, state: DemoState, proxies: StateProxies) {
  const admin = { pdsUrl: a.pds.url, adminAuth: a.pds.adminAuth }
  switch (state) {
    case 'deactivated':
      await deactivate(a.pds.url, { ...a, email: '' })
      await call('accounts:check', { did: a.did })
      return
    case 'takendown':
      await adminTakedown(admin, a.did)
      return expectCode(call('accounts:refresh', { did: a.did }), 'AccountTakedown', a)
    case 'signed-out':
      // Another client changed the password: every session of the account is revoked.
      await xrpc(a.pds.url, 'com.atproto.admin.updateAccountPassword', {
        auth: a.pds.adminAuth,
        body: { did: a.did, password: a.password },
      })
      return expectCode(call('accounts:refresh', { did: a.did }), 'SignedOut', a)
    case 'rate-limited':
      proxies.rateLimited!.behaviour.rateLimitUntil = Math.ceil(Date.now() / 1000) + RATE_LIMIT_SECONDS
      return expectCode(call('accounts:refresh', { did: a.did }), 'RateLimited', a)
    case 'offline':
      await proxies.offline!.stop()
      return expectCode(call('accounts:refresh', { did: a.did }), 'Offline', a)
    default:
      return
  }
}

async function expectCode(p: Promise<unknown>, code: ErrorCode, a: DemoAccount): Promise<void> {
  try {
    await p
  } catch (err) {
    if (err instanceof DemoCallError && err.code === code) return
    throw new Error(`${a.handle}: expected ${code}, got ${err instanceof Error ? err.message : String(err)}`)
  }
  throw new Error(`${a.handle}: expected ${code}, but the call succeeded`)
}
