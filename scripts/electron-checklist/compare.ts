/**
 * Electron's security checklist, kept: what electronegativity found, against
 * the findings accepted with a reason (accepted.json). Pure, for the unit test.
 */

/** One finding, located in the repository (or the staged app) and quoted. */
export interface Finding {
  check: string
  /** Repository-relative path (`.stage/...` for the staged app); a scope name for findings without a file. */
  file: string
  line: number
  column: number
  /** The flagged line from its column, whitespace collapsed: what an accepted entry names it by. */
  text: string
}

/** A finding looked at and kept, with why. Lines are not part of it: they move with every edit. */
export interface Accepted {
  check: string
  file: string
  /** A piece of the flagged line's text ("" for findings without a file). */
  near: string
  reason: string
}

export interface Verdict {
  accepted: { finding: Finding; entry: Accepted }[]
  /** Found and not accepted: the build fails. */
  fresh: Finding[]
  /** Accepted and no longer found: the build fails until the entry is removed. */
  stale: Accepted[]
}

const KEYS = ['check', 'file', 'near', 'reason'] as const

/** The accepted list, checked: every entry names its finding and gives a one-line reason. */
export function parseAccepted(json: unknown): Accepted[] {
  if (!Array.isArray(json)) throw new Error('the accepted list must be a JSON array')
  return json.map((e: unknown, i) => {
    const entry = e as Record<string, unknown>
    for (const k of KEYS) {
      if (typeof entry?.[k] !== 'string') throw new Error(`entry ${i}: "${k}" must be a string`)
    }
    const extra = Object.keys(entry).filter((k) => !(KEYS as readonly string[]).includes(k))
    if (extra.length) throw new Error(`entry ${i}: unknown field ${extra.join(', ')}`)
    const reason = (entry.reason as string).trim()
    if (!reason || reason.includes('\n')) throw new Error(`entry ${i}: the reason must be one line`)
    return { check: entry.check as string, file: entry.file as string, near: entry.near as string, reason }
  })
}

/** Each entry accepts one finding (the first unclaimed one it matches), so a second such call is new. */
export function compare(findings: readonly Finding[], accepted: readonly Accepted[]): Verdict {
  const unclaimed = [...findings]
  const verdict: Verdict = { accepted: [], fresh: [], stale: [] }
  for (const entry of accepted) {
    const i = unclaimed.findIndex(
      (f) => f.check === entry.check && f.file === entry.file && f.text.includes(entry.near),
    )
    if (i < 0) verdict.stale.push(entry)
    else verdict.accepted.push({ finding: unclaimed.splice(i, 1)[0]!, entry })
  }
  verdict.fresh = unclaimed
  return verdict
}

/** The flagged line's text from the column, whitespace collapsed, at most 120 characters. */
export function quote(source: string, line: number, column: number): string {
  const text = source.split('\n')[line - 1] ?? ''
  return text.slice(column).replace(/\s+/g, ' ').trim().slice(0, 120)
}

export function summaryLine(v: Verdict, scanned: { files: number; ms: number }): string {
  const total = v.accepted.length + v.fresh.length
  const ok = v.fresh.length === 0 && v.stale.length === 0
  return (
    `electron checklist: ${ok ? 'ok' : 'FAILED'}, ${scanned.files} files in ${(scanned.ms / 1000).toFixed(1)} s; ` +
    `${total} findings, ${v.accepted.length} accepted, ${v.fresh.length} new, ${v.stale.length} stale`
  )
}
