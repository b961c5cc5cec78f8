import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type Accepted,
  compare,
  type Finding,
  parseAccepted,
  quote,
  summaryLine,
} from '../../scripts/electron-checklist/compare'

const finding = (over: Partial<Finding> = {}): Finding => ({
  check: 'OPEN_EXTERNAL_JS_CHECK',
  file: 'src-main/shell/window.ts',
  line: 48,
  column: 8,
  text: 'shell.openExternal(url)',
  ...over,
})
const entry = (over: Partial<Accepted> = {}): Accepted => ({
  check: 'OPEN_EXTERNAL_JS_CHECK',
  file: 'src-main/shell/window.ts',
  near: 'shell.openExternal(url)',
  reason: 'the one call, after mayOpenInBrowser',
  ...over,
})

describe('the Electron checklist comparison', () => {
  it('passes a finding that is accepted, wherever its line moved', () => {
    const v = compare([finding({ line: 120, column: 2 })], [entry()])
    expect(v.fresh).toEqual([])
    expect(v.stale).toEqual([])
    expect(v.accepted).toHaveLength(1)
    expect(summaryLine(v, { files: 3, ms: 1500 })).toBe(
      'electron checklist: ok, 3 files in 1.5 s; 1 findings, 1 accepted, 0 new, 0 stale',
    )
  })

  it('fails a new finding: another check, another file, or a second call the entry does not cover', () => {
    const v = compare(
      [
        finding(),
        finding({ text: 'shell.openExternal(url)' }),
        finding({ file: 'src-main/shell/tray.ts' }),
        finding({ check: 'SANDBOX_JS_CHECK', text: 'new BrowserWindow({' }),
      ],
      [entry()],
    )
    expect(v.accepted).toHaveLength(1)
    expect(v.fresh.map((f) => `${f.check} ${f.file}`)).toEqual([
      'OPEN_EXTERNAL_JS_CHECK src-main/shell/window.ts',
      'OPEN_EXTERNAL_JS_CHECK src-main/shell/tray.ts',
      'SANDBOX_JS_CHECK src-main/shell/window.ts',
    ])
    expect(summaryLine(v, { files: 1, ms: 0 })).toMatch(/^electron checklist: FAILED, .* 3 new, 0 stale$/)
  })

  it('reports an accepted entry that no longer matches anything as stale', () => {
    const v = compare([finding({ text: 'shell.openExternal(link)' })], [entry()])
    expect(v.stale).toEqual([entry()])
    expect(v.fresh).toHaveLength(1)
    expect(summaryLine(v, { files: 1, ms: 0 })).toMatch(/FAILED.* 1 new, 1 stale$/)
  })

  it('quotes the flagged line from its column, and reads only well-formed entries', () => {
    expect(quote('a\n    x.openExternal(  url )  // why\n', 2, 4)).toBe('x.openExternal( url ) // why')
    expect(quote('', 9, 0)).toBe('')
    expect(() => parseAccepted({})).toThrow(/array/)
    expect(() => parseAccepted([{ check: 'A', file: 'f', near: '' }])).toThrow(/reason/)
    expect(() => parseAccepted([{ ...entry(), reason: '  ' }])).toThrow(/one line/)
    expect(() => parseAccepted([{ ...entry(), reason: 'two\nlines' }])).toThrow(/one line/)
    expect(() => parseAccepted([{ ...entry(), line: 3 }])).toThrow(/unknown field line/)
  })

  it('the checked-in list is well formed', () => {
    const list = parseAccepted(JSON.parse(readFileSync('scripts/electron-checklist/accepted.json', 'utf8')))
    expect(list.length).toBeGreaterThan(0)
  })
})
