/**
 * What electron-updater's errors mean for the user (one typed failure, one
 * message each) and its log lines made safe to print. No Electron here.
 */
import type { UpdateInfo } from 'electron-updater'
import { UPDATE_ERROR_CODES, type UpdateErrorCode } from '../ipc/contract'
import { translator } from '../i18n'
import { redactTokens } from '../core/errors'
import { UpdateFailure } from '../core/updates/update-service'

/** The English message of each failure (logs, the state); the window and the menu say it in the language by its code. */
const MESSAGES = Object.fromEntries(
  UPDATE_ERROR_CODES.map((code) => [code, translator('en')(`updates.errors.${code}`)]),
) as Record<UpdateErrorCode, string>

/** electron-updater's codes for a feed it could not use. */
const FEED_CODES = new Set([
  'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
  'ERR_UPDATER_INVALID_UPDATE_INFO',
  'ERR_UPDATER_INVALID_VERSION',
  'ERR_UPDATER_NO_FILES_PROVIDED',
  'ERR_UPDATER_NO_CHECKSUM',
])
/** Chromium's errors for a network that is down or a server it cannot reach. */
const UNREACHABLE =
  /net::ERR_(INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|NETWORK_CHANGED|NETWORK_ACCESS_DENIED|ADDRESS_UNREACHABLE|CONNECTION_\w+|TIMED_OUT|PROXY_\w+)/

/** What an updater error means for the user: one typed failure with its own message. */
export function classifyUpdateError(err: unknown, fallback: UpdateErrorCode = 'Failed'): UpdateFailure {
  if (err instanceof UpdateFailure) return err
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown }
  const text = typeof message === 'string' ? message : ''
  let kind: UpdateErrorCode = fallback
  if (code === 'ERR_CHECKSUM_MISMATCH') kind = 'ChecksumMismatch'
  else if (typeof code === 'string' && FEED_CODES.has(code)) kind = 'FeedMalformed'
  else if (UNREACHABLE.test(text) || text === 'Request timed out') kind = 'Offline'
  return new UpdateFailure(kind, MESSAGES[kind])
}

/** Every file the feed lists must carry a sha512; a feed without one is refused before anything downloads. */
export function requireSha512(info: UpdateInfo): void {
  const files = info.files?.length ? info.files : info.path ? [{ sha512: info.sha512 }] : []
  if (files.length === 0 || files.some((f) => typeof f.sha512 !== 'string' || f.sha512 === '')) {
    throw new UpdateFailure('FeedMalformed', MESSAGES.FeedMalformed)
  }
}

/** The updater's own log lines, with anything token- or credential-shaped taken out. */
export function redactLogLine(line: unknown): string {
  const text = line instanceof Error ? (line.stack ?? line.message) : String(line)
  return redactTokens(text)
    .replace(/\b(bearer|dpop|basic|token)\s+[^\s,"']+/gi, '$1 [redacted]')
    .replace(/("?(?:authorization|private-token|cookie)"?\s*[:=]\s*)"?[^",}\s]+"?/gi, '$1[redacted]')
    .replace(/(\/\/)[^/@\s]+@/g, '$1[redacted]@')
}
