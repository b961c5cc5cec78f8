import { useEffect, useState } from 'react'
import { currentLanguage, i18n } from './i18n'

/** The current time, re-rendering every `ms` while mounted. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}

const HOUR = 3_600_000

/** "in 42 seconds", "3 minutes ago", "in 1.2 hours", in the window's language (Intl.RelativeTimeFormat). */
export function relative(at: number, now: number, lang: string = currentLanguage()): string {
  const diff = at - now
  const abs = Math.abs(diff)
  // Clocks of two processes disagree by a few ms: never say "in 1 s" for the past.
  if (abs < 5_000) return i18n.t('time.justNow', { lng: lang })
  const sign = diff >= 0 ? 1 : -1
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'always' })
  if (abs < 60_000) return rtf.format(sign * Math.round(abs / 1000), 'second')
  if (abs < HOUR) return rtf.format(sign * Math.round(abs / 60_000), 'minute')
  // Under ten hours a tenth of an hour still matters (a token's two hours); past that, whole hours.
  if (abs < 48 * HOUR) return rtf.format(sign * round(abs / HOUR, abs < 10 * HOUR ? 1 : 0), 'hour')
  return rtf.format(sign * Math.round(abs / (24 * HOUR)), 'day')
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** m:ss for countdowns (the same in every language Skyswitch speaks). */
export function countdown(at: number, now: number): string {
  const s = Math.max(0, Math.ceil((at - now) / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** A date and time in the window's language; a dash when unknown. */
export function dateTime(at: number | undefined, lang: string = currentLanguage()): string {
  return at ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at) : '—'
}

/** A count in the window's language (digit grouping). */
export function number(n: number, lang: string = currentLanguage()): string {
  return new Intl.NumberFormat(lang).format(n)
}
