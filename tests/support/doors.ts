import { xrpc } from './network'

/**
 * Whether a refresh token still mints a session at the PDS (the PDS honours
 * a rotated-away one for 2 h). A token that does is a door left open: the
 * session it minted is revoked again, so asking changes nothing.
 */
export async function mintsSession(pdsUrl: string, refreshJwt: string): Promise<boolean> {
  let minted: { refreshJwt: string }
  try {
    minted = (await xrpc(pdsUrl, 'com.atproto.server.refreshSession', {
      auth: `Bearer ${refreshJwt}`,
      method: 'POST',
    })) as { refreshJwt: string }
  } catch {
    return false
  }
  await xrpc(pdsUrl, 'com.atproto.server.deleteSession', { auth: `Bearer ${minted.refreshJwt}`, method: 'POST' })
  return true
}

/** The tokens of `held` that still mint a session (by their position, so no token is printed). */
export async function openDoors(pdsUrl: string, held: string[]): Promise<number[]> {
  const open: number[] = []
  for (const [i, jwt] of held.entries()) if (await mintsSession(pdsUrl, jwt)) open.push(i)
  return open
}
