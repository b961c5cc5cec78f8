import type { ErrorCode, ErrorInfo } from '../ipc/contract'

/**
 * The one error type core raises. Messages are written for people and never
 * carry a token: callers pass only codes, handles and URLs.
 */
export class SkyswitchError extends Error {
  readonly code: ErrorCode
  /** For RateLimited: epoch ms when the server accepts requests again. */
  readonly retryAt?: number
  /** The XRPC error name or HTTP status behind this, for diagnostics. */
  readonly detail?: string

  constructor(code: ErrorCode, message: string, opts: { retryAt?: number; detail?: string } = {}) {
    super(redactTokens(message))
    this.name = 'SkyswitchError'
    this.code = code
    this.retryAt = opts.retryAt
    this.detail = opts.detail
  }

  toInfo(): ErrorInfo {
    return this.retryAt === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAt: this.retryAt }
  }
}

/** Anything thrown, as the typed info the contract carries. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof SkyswitchError) return err.toInfo()
  return { code: 'Internal', message: 'Something went wrong inside Skyswitch.' }
}

const JWT_LIKE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g

/** Belt and braces: no JWT-shaped string survives into a message or log line. */
export function redactTokens(text: string): string {
  return text.replace(JWT_LIKE, '[token]')
}
