import type { ErrorCode, ErrorInfo, MessageParams } from '../ipc/contract'

export interface SkyswitchErrorOptions {
  retryAt?: number
  detail?: string
  /** The message's key in main's catalogs (under `errors.`), for the window; the English message stays as is. */
  key?: string
  params?: MessageParams
}

/**
 * The one error type core raises. Messages are written for people and never
 * carry a token: callers pass only codes, handles and URLs. The message is
 * English (logs, the CLI, the tool endpoint); `key` and `params` let the path
 * to the window say it in the user's language (src-main/i18n/window.ts).
 */
export class SkyswitchError extends Error {
  readonly code: ErrorCode
  /** For RateLimited: epoch ms when the server accepts requests again. */
  readonly retryAt?: number
  /** The XRPC error name or HTTP status behind this, for diagnostics. */
  readonly detail?: string
  readonly key?: string
  readonly params?: MessageParams

  constructor(code: ErrorCode, message: string, opts: SkyswitchErrorOptions = {}) {
    super(redactTokens(message))
    this.name = 'SkyswitchError'
    this.code = code
    this.retryAt = opts.retryAt
    this.detail = opts.detail
    this.key = opts.key
    this.params = opts.params && redactParams(opts.params)
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message }
    if (this.retryAt !== undefined) info.retryAt = this.retryAt
    if (this.key !== undefined) info.key = this.key
    if (this.params !== undefined) info.params = this.params
    return info
  }
}

/** Parameters can carry what a server said: each text is redacted like the message. */
function redactParams(params: MessageParams): MessageParams {
  const out: MessageParams = {}
  for (const [k, v] of Object.entries(params)) {
    out[k] = typeof v === 'string' ? redactTokens(v) : Array.isArray(v) ? v.map((x) => redactTokens(x)) : v
  }
  return out
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
