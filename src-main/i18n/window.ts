/**
 * The messages main sends the window, in the window's language: the `message`
 * of every error (envelopes, an account's last error, a check's result), the
 * app's notices and the updater's errors. Only the window's path (the
 * dispatcher and the core's events, shared by Electron's IPC and the
 * browser-mode bridge) comes here; the CLI and the tool endpoint keep English.
 * English is left exactly as written at the throw site.
 */
import type { AppNotice, ErrorInfo, MessageParams, UpdateError } from '../ipc/contract'
import { ERROR_CODES, UPDATE_ERROR_CODES } from '../ipc/contract'
import { formatWhen, hasKey, type Language, translator } from './index'

const ERROR_CODE_SET = new Set<string>(ERROR_CODES)
const UPDATE_CODE_SET = new Set<string>(UPDATE_ERROR_CODES)
const NOTICE_KINDS = new Set<string>(['vault-recovered', 'backend-changed', 'vault-unwritable', 'other'])

/** An error's message in the language: by its key, else the message of its code. */
export function localizeError(info: ErrorInfo, lang: Language, now = Date.now()): ErrorInfo {
  if (lang === 'en') return info
  const t = translator(lang)
  const params: MessageParams = { ...info.params }
  if (info.retryAt !== undefined) params.time = formatWhen(lang, info.retryAt, now)
  const keyed = info.key && hasKey(lang, `errors.${info.key}`, params) ? `errors.${info.key}` : null
  const message =
    keyed !== null
      ? t(keyed, params)
      : info.code === 'RateLimited' && info.retryAt !== undefined
        ? t('errors.codes.RateLimitedUntil', params)
        : t(`errors.codes.${info.code}`)
  return { ...info, message }
}

export function localizeNotice(n: AppNotice, lang: Language): AppNotice {
  if (lang === 'en') return n
  const t = translator(lang)
  if (!n.key || !hasKey(lang, `notices.${n.key}`, n.params)) return { ...n, message: t(`notices.kinds.${n.kind}`) }
  const params: MessageParams = { ...n.params }
  // Why a file could not be read is itself a phrase of the catalog.
  if (typeof params.why === 'string') params.why = t(`notices.why.${params.why}`)
  return { ...n, message: t(`notices.${n.key}`, params) }
}

export function localizeUpdateError(e: UpdateError, lang: Language): UpdateError {
  return lang === 'en' ? e : { ...e, message: translator(lang)(`updates.errors.${e.code}`) }
}

type Plain = Record<string, unknown>
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A value on its way to the window, with every message in the language: a
 * copy where something changed, the value itself where nothing did. Errors
 * are objects with a known `code` and a `message`; notices have an `id` and a
 * notice `kind`; the updater's errors sit under an update state's `error`.
 */
export function forWindow<T>(value: T, lang: Language, now = Date.now()): T {
  if (lang === 'en') return value
  return walk(value, lang, now, false) as T
}

function walk(value: unknown, lang: Language, now: number, inUpdate: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, lang, now, false))
  if (!isPlain(value)) return value
  if (typeof value.code === 'string' && typeof value.message === 'string') {
    if (inUpdate && UPDATE_CODE_SET.has(value.code)) return localizeUpdateError(value as unknown as UpdateError, lang)
    if (ERROR_CODE_SET.has(value.code)) return localizeError(value as unknown as ErrorInfo, lang, now)
  }
  if (typeof value.id === 'string' && typeof value.kind === 'string' && NOTICE_KINDS.has(value.kind)) {
    if (typeof value.message === 'string') return localizeNotice(value as unknown as AppNotice, lang)
  }
  const update = typeof value.status === 'string' && 'error' in value
  let copy: Plain | null = null
  for (const [k, v] of Object.entries(value)) {
    if (v === null || typeof v !== 'object') continue
    const next = walk(v, lang, now, update && k === 'error')
    if (next !== v) (copy ??= { ...value })[k] = next
  }
  return copy ?? value
}
