/**
 * What a server's answer to a session call means, as the typed errors core
 * raises (each with its key in main's catalogs for the window's language).
 */
import { ResponseType, XRPCError, XRPCInvalidResponseError } from '@atproto/xrpc'
import { SkyswitchError } from '../errors'

/** A sign-in (a 401 means a wrong password) or a call on a session (a 401 means it has ended). */
export type CallContext = 'login' | 'session'

export class NotImplemented extends Error {
  constructor(readonly detail: string) {
    super('not implemented')
  }
}

export function translate(err: unknown, origin: string, context: CallContext): Error {
  if (err instanceof SkyswitchError) return err
  const host = hostOf(origin)
  if (err instanceof XRPCInvalidResponseError) {
    return new SkyswitchError('MalformedResponse', `${host} sent a reply Skyswitch could not understand.`, {
      detail: err.validationError.message,
      key: 'session.malformed',
      params: { host },
    })
  }
  if (!(err instanceof XRPCError)) {
    return new SkyswitchError('Offline', `Could not reach ${host}.`, {
      detail: 'network',
      key: 'session.unreachable',
      params: { host },
    })
  }
  const name = err.error
  const detail = `${err.status} ${name}`
  const serverMessage = typeof err.message === 'string' && err.message !== name ? err.message : ''
  switch (name) {
    case 'AuthFactorTokenRequired':
      return new SkyswitchError('AuthFactorTokenRequired', 'Enter the sign-in code sent to your email.', {
        detail,
        key: 'session.codeRequired',
      })
    case 'AccountTakedown':
      return new SkyswitchError('AccountTakedown', 'This account has been taken down by its host.', {
        detail,
        key: 'session.takendown',
      })
    case 'ExpiredToken':
    case 'InvalidToken':
      return new SkyswitchError('SignedOut', 'The session has ended; sign in again.', { detail, key: 'session.ended' })
    case 'MethodNotImplemented':
      return new NotImplemented(detail)
  }
  if (err.status === ResponseType.XRPCNotSupported || err.status === ResponseType.MethodNotImplemented) {
    return new NotImplemented(detail)
  }
  if (err.status === ResponseType.RateLimitExceeded) {
    const reset = Number(err.headers?.['ratelimit-reset'])
    const retryAt = Number.isFinite(reset) && reset > 0 ? reset * 1000 : Date.now() + 60_000
    return new SkyswitchError('RateLimited', `${host} asks to wait before trying again.`, {
      retryAt,
      detail,
      key: 'session.wait',
      params: { host },
    })
  }
  if (err.status === ResponseType.AuthenticationRequired && context === 'login') {
    return new SkyswitchError('AuthenticationRequired', 'Wrong handle or password.', {
      detail,
      key: 'session.wrongPassword',
    })
  }
  if (err.status === ResponseType.Unknown || err.status >= 500) {
    return new SkyswitchError('Offline', `Could not reach ${host}.`, {
      detail,
      key: 'session.unreachable',
      params: { host },
    })
  }
  if (err.status === ResponseType.InvalidResponse) {
    return new SkyswitchError('MalformedResponse', `${host} sent a reply Skyswitch could not understand.`, {
      detail,
      key: 'session.malformed',
      params: { host },
    })
  }
  const suffix = serverMessage ? `: ${serverMessage}` : '.'
  return new SkyswitchError('ServerRefused', `${host} refused the request${suffix}`, {
    detail,
    ...(serverMessage
      ? { key: 'session.refusedWhy', params: { host, reason: serverMessage } }
      : { key: 'session.refused', params: { host } }),
  })
}

export function hostOf(origin: string): string {
  return new URL(origin).host
}
