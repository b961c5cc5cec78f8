/**
 * Runs @doyensec/electronegativity on a set of files, offline, and returns
 * its findings located in the repository and quoted (compare.ts).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { type Finding, quote } from './compare'

interface Issue {
  id: string
  file: string
  location: { line: number; column: number }
}
interface RunResult {
  issues: Issue[]
  errors: { file: string; message: string; tolerable: boolean }[]
}
type Run = (options: Record<string, unknown>) => Promise<RunResult>

/** The one check that asks the network (GitHub's list of Electron releases); the scan must run offline. */
const ONLINE_CHECKS = ['AvailableSecurityFixesGlobalCheck']

let runner: Run | null = null

function loadRunner(): Run {
  if (runner) return runner
  const require = createRequire(import.meta.url)
  const main = require.resolve('@doyensec/electronegativity')
  const inPackage = createRequire(main)
  // Its messages would first be fetched from the network; the copies it ships are used instead.
  const got = createRequire(join(dirname(main), 'locales/i18n.js')).resolve('got')
  require.cache[got] = {
    id: got,
    filename: got,
    loaded: true,
    exports: () => Promise.resolve({ statusCode: 404 }),
  } as unknown as NodeJS.Module
  // Its tree walker stops at syntax it does not know (class private fields in the bundled main),
  // which would leave that file unread; walking such nodes' children reads it whole.
  const estraverse = inPackage('estraverse-fb') as {
    Controller: { prototype: { traverse(root: unknown, visitor: object): unknown } }
  }
  const traverse = estraverse.Controller.prototype.traverse
  estraverse.Controller.prototype.traverse = function (root, visitor) {
    return traverse.call(this, root, { fallback: 'iteration', ...visitor })
  }
  runner = require(main) as Run
  return runner
}

/** The extensions it reads are js, jsx, ts, tsx, html, htm and package.json: other scripts are copied under one. */
const AS_READ: Record<string, string> = { '.cjs': '.js', '.mjs': '.js', '.cts': '.ts', '.mts': '.ts' }
const READ = /\.(js|jsx|ts|tsx|html|htm)$|(^|\/)package\.json$/

/** Every file under `dir` (repository-relative, '/'-separated), as electronegativity would list it. */
export function filesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'))
    .filter((f) => !f.includes('node_modules') && READ.test(f.replace(/\.[cm]([jt]s)$/, '.$1')))
    .sort()
}

export interface ScanResult {
  findings: Finding[]
  /** Files it could not read: a scan that skipped a file proves nothing about it. */
  unread: { file: string; message: string }[]
}

/**
 * Scans `files` (relative to `root`) together, so checks that look across
 * files (navigation limits, the permission handler) see the whole app.
 * `scope` names the findings that belong to no file.
 */
export async function scan(root: string, files: string[], scope: string, electronVersion: string): Promise<ScanResult> {
  const work = mkdtempSync(join(tmpdir(), 'skyswitch-checklist-'))
  const origin = new Map<string, string>()
  try {
    for (const file of files) {
      const copy = file.replace(/\.[cm][jt]s$/, (ext) => AS_READ[ext] ?? ext)
      origin.set(copy, file)
      mkdirSync(dirname(join(work, copy)), { recursive: true })
      copyFileSync(join(root, file), join(work, copy))
    }
    const result = await loadRunner()({
      input: work,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: ONLINE_CHECKS,
    })
    const located = (file: string) => origin.get(file.split(sep).join('/'))
    const findings = result.issues.map((issue): Finding => {
      const file = located(issue.file)
      const { line, column } = issue.location
      const text = file ? quote(readFileSync(join(root, file), 'utf8'), line, column) : ''
      return { check: issue.id, file: file ?? scope, line, column, text }
    })
    const unread = result.errors
      .filter((e) => !e.tolerable)
      .map((e) => ({ file: located(relative(work, e.file)) ?? e.file, message: e.message }))
    return { findings, unread }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
