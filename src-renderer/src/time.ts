import { useEffect, useState } from 'react'

/** The current time, re-rendering every `ms` while mounted. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}

/** "in 1 h 12 min", "in 42 s", "3 min ago". */
export function relative(at: number, now: number): string {
  const diff = at - now
  const abs = Math.abs(diff)
  // Clocks of two processes disagree by a few ms: never say "in 1 s" for the past.
  if (abs < 5_000) return 'just now'
  let text: string
  if (abs < 60_000) text = `${Math.max(0, Math.round(abs / 1000))} s`
  else if (abs < 3_600_000) text = `${Math.round(abs / 60_000)} min`
  else if (abs < 172_800_000) {
    const minutes = Math.round(abs / 60_000)
    const h = Math.floor(minutes / 60)
    const m = minutes % 60
    text = m ? `${h} h ${m} min` : `${h} h`
  } else text = `${Math.round(abs / 86_400_000)} days`
  return diff >= 0 ? `in ${text}` : `${text} ago`
}

/** m:ss for countdowns. */
export function countdown(at: number, now: number): string {
  const s = Math.max(0, Math.ceil((at - now) / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

export function dateTime(at: number | undefined): string {
  return at ? new Date(at).toLocaleString() : '—'
}
