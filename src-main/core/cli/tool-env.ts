/**
 * The environment a tool gets, as variables (for `skyswitch exec`) and as an
 * `export` block (for `skyswitch env` and the copy button). With the proxy,
 * ATP_PDS_URL is the proxy and ATP_ACCESS_JWT carries the account's local key,
 * not a token: a tool that sends ATP_ACCESS_JWT as its Bearer to ATP_PDS_URL
 * works unchanged either way.
 */
import type { AccountService } from '../accounts/account-service'
import { SkyswitchError } from '../errors'
import type { ProxyService } from '../proxy/proxy-service'

export type ToolVars = Record<string, string>

export async function tokenVars(accounts: AccountService, did: string, minValidMs: number): Promise<ToolVars> {
  const { accessJwt, expiresAt } = await accounts.accessToken(did, minValidMs)
  if (expiresAt && expiresAt - Date.now() < minValidMs) {
    const left = Math.floor((expiresAt - Date.now()) / 60_000)
    throw new SkyswitchError('NotAllowed', `A fresh token from this server lasts only ${left} min; ask for less.`)
  }
  const a = accounts.get(did)
  return {
    ATP_PDS_URL: a.pdsUrl,
    ATP_PDS_HOST: a.pdsUrl,
    ATP_HANDLE: a.handle,
    ATP_DID: a.did,
    ATP_ACCESS_JWT: accessJwt,
  }
}

export function proxyVars(accounts: AccountService, proxy: ProxyService, did: string): ToolVars {
  const url = proxy.requireUrl()
  const a = accounts.get(did)
  return {
    ATP_PDS_URL: url,
    ATP_PDS_HOST: url,
    ATP_HANDLE: a.handle,
    ATP_DID: a.did,
    ATP_ACCESS_JWT: proxy.keyFor(did),
  }
}

export function exportBlock(vars: ToolVars, notes: string[] = []): string {
  const lines = Object.entries(vars).map(([k, v]) => `export ${k}=${shellQuote(v)}`)
  return [...lines, ...notes.map((n) => `# ${n}`), ''].join('\n')
}

/** The other local keys, as comments after an `env --proxy` block. */
export function keyNotes(accounts: AccountService, proxy: ProxyService, did: string): string[] {
  const notes = ['ATP_ACCESS_JWT above is a Skyswitch local key for the proxy, not a token.', 'Other local keys:']
  for (const a of accounts.state().accounts) if (a.did !== did) notes.push(`${a.handle}  ${proxy.keyFor(a.did)}`)
  notes.push(`(whichever account is active)  ${proxy.keyFor('active')}`)
  return notes
}

/** A ready command line for the copy panel. */
export function execLine(handle: string, viaProxy: boolean): string {
  return `skyswitch exec ${handle}${viaProxy ? ' --proxy' : ''} -- `
}

function shellQuote(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`
}
