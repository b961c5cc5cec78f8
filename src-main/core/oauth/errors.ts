import {
  FetchError,
  OAuthCallbackError,
  OAuthResolverError,
  OAuthResponseError,
  TokenInvalidError,
  TokenRefreshError,
  TokenRevokedError,
} from '@atproto/oauth-client-node'
import type { MessageParams } from '../../ipc/contract'
import { SkyswitchError } from '../errors'

/**
 * The OAuth client's errors as Skyswitch's typed ones. Messages name what
 * happened, never a token or a code.
 */
export function fromOAuthError(err: unknown, provider?: string): SkyswitchError {
  if (err instanceof SkyswitchError) return err
  const at = provider ? ` at ${provider}` : ''
  // The window's words: the same message with or without the provider named.
  const k = (key: string, params: MessageParams = {}) =>
    provider ? { key: `oauth.${key}At`, params: { ...params, provider } } : { key: `oauth.${key}`, params }
  if (err instanceof OAuthCallbackError) {
    const error = err.params.get('error')
    if (error === 'access_denied') {
      return new SkyswitchError('Cancelled', `Access was not granted${at}; nothing was saved.`, {
        detail: error,
        ...k('denied'),
      })
    }
    if (error)
      return new SkyswitchError('ServerRefused', `The provider ended the sign-in (${error}).`, {
        detail: error,
        key: 'oauth.endedSignIn',
        params: { reason: error },
      })
    return fromOAuthError(err.cause, provider)
  }
  if (err instanceof TokenRefreshError || err instanceof TokenRevokedError || err instanceof TokenInvalidError) {
    return new SkyswitchError('SignedOut', `The provider ended this session${at}; sign in again.`, {
      detail: err.constructor.name,
      ...k('ended'),
    })
  }
  if (err instanceof OAuthResolverError) {
    // Metadata that could not be fetched because the network is down is not a resolution failure.
    if (causedByNetwork(err.cause))
      return new SkyswitchError('Offline', `Could not reach the provider${at}.`, k('unreachable'))
    return new SkyswitchError('ResolutionFailed', `${err.message}.`, { detail: 'OAuthResolverError' })
  }
  if (err instanceof OAuthResponseError) {
    if (err.status === 429) {
      const reset = Number(err.headers.get('ratelimit-reset'))
      const retryAt = Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined
      // Said with its time when the provider gave one; else the rate limit's own message.
      return new SkyswitchError('RateLimited', `The provider asked to wait${at}.`, {
        ...(retryAt === undefined ? {} : k('wait')),
        retryAt,
        detail: '429',
      })
    }
    if (err.status >= 500) {
      return new SkyswitchError('Offline', `The provider${at} is not answering properly.`, k('notAnswering'))
    }
    if (err.error === 'invalid_grant' || err.status === 401) {
      return new SkyswitchError('SignedOut', `The provider ended this session${at}; sign in again.`, {
        detail: err.error,
        ...k('ended'),
      })
    }
    return new SkyswitchError('ServerRefused', `The provider refused the request${at} (${err.error ?? err.status}).`, {
      detail: err.error,
      ...k('refused', { reason: String(err.error ?? err.status) }),
    })
  }
  if (err instanceof FetchError) {
    return err.statusCode >= 500 || err.statusCode === 0 || err.statusCode === undefined
      ? new SkyswitchError('Offline', `Could not reach the provider${at}.`, k('unreachable'))
      : new SkyswitchError(
          'ServerRefused',
          `The provider refused the request${at} (${err.statusCode}).`,
          k('refused', { reason: String(err.statusCode) }),
        )
  }
  if (err instanceof TypeError || (err as { name?: string })?.name === 'AbortError') {
    return new SkyswitchError('Offline', `Could not reach the provider${at}.`, k('unreachable'))
  }
  return new SkyswitchError('Internal', 'The OAuth sign-in failed unexpectedly.', { key: 'oauth.failed' })
}

/** A network failure somewhere down the cause chain (undici's TypeError, a fetch wrapper's error). */
function causedByNetwork(err: unknown, depth = 0): boolean {
  if (!err || depth > 5) return false
  if (err instanceof FetchError && !(err.statusCode >= 400 && err.statusCode < 500)) return true
  if (err instanceof TypeError && /fetch failed|network|ECONN|ENOTFOUND|EAI_AGAIN/i.test(err.message)) return true
  return causedByNetwork((err as { cause?: unknown }).cause, depth + 1)
}
