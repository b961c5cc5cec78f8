import type { LoginRequest } from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import type { IdentityResolver, ResolvedIdentity } from './identity'
import type { SessionClient, SessionReply } from './session-client'

export interface NewSession {
  reply: SessionReply
  /** Where the session was created (the service it belongs to). */
  loginAt: string
  resolved: ResolvedIdentity | null
}

/**
 * The network half of a login: find where the account lives, create a
 * session there, and make sure it is the account the user named. Touches
 * no saved state; a session that turns out to be the wrong account is
 * revoked before the error is raised.
 */
export async function createLoginSession(
  deps: { sessions: SessionClient; identity: IdentityResolver; defaultService: string },
  named: string,
  req: LoginRequest,
  signal?: AbortSignal,
): Promise<NewSession> {
  const resolved = await deps.identity.resolve(req.identifier, named, deps.sessions, signal)
  // A provider the user typed wins. With the default one, sign in where the
  // account lives, unless that is behind the default entryway (bsky.social's
  // PDSes only accept logins through it).
  const chosen = named !== deps.defaultService
  const loginAt =
    !chosen && resolved && !new URL(resolved.pdsUrl).hostname.endsWith('.bsky.network') ? resolved.pdsUrl : named
  const reply = await deps.sessions.createSession(
    loginAt,
    {
      identifier: req.identifier.replace(/^@/, ''),
      password: req.password,
      authFactorToken: req.authFactorToken,
      allowTakendown: req.allowTakendown,
    },
    signal,
  )
  if (resolved && resolved.did !== reply.did && !req.identifier.includes('@')) {
    // Not the account that was named: its new session must not stay alive.
    await deps.sessions.deleteSession(loginAt, reply.refreshJwt).catch(() => undefined)
    throw new SkyswitchError('ResolutionFailed', `${req.identifier} belongs to a different account on that server.`, {
      key: 'session.otherAccount',
      params: { identifier: req.identifier },
    })
  }
  return { reply, loginAt, resolved }
}
