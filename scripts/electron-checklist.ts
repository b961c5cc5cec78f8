/**
 * Electron's security checklist, kept by @doyensec/electronegativity: scans
 * the sources (main, preload, renderer) and the staged app (what
 * `npm run dist` packs, from out/), compares the findings with
 * scripts/electron-checklist/accepted.json and fails on any finding not
 * listed there, and on any entry that no longer matches a finding.
 * Usage: npm run build && npm run checklist   (offline; a few seconds)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { stageApp } from '../build/stage-app.mjs'
import { compare, type Finding, parseAccepted, summaryLine } from './electron-checklist/compare'
import { filesUnder, scan } from './electron-checklist/scan'

const root = resolve(import.meta.dirname, '..')
const ACCEPTED = 'scripts/electron-checklist/accepted.json'
const out = (line: string) => process.stdout.write(`${line}\n`)

async function main(): Promise<number> {
  if (!existsSync(join(root, 'out/renderer/index.html'))) {
    out('electron checklist: out/ is missing; run `npm run build` first')
    return 1
  }
  const started = Date.now()
  const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string
  }
  const accepted = parseAccepted(JSON.parse(readFileSync(join(root, ACCEPTED), 'utf8')))

  const sources = ['package.json', ...filesUnder(root, 'src-main'), ...filesUnder(root, 'src-renderer')]
  // The staged app as build/stage-app.mjs makes it, in a scratch folder (.stage is left as it is).
  const scratch = mkdtempSync(join(tmpdir(), 'skyswitch-stage-'))
  try {
    const stage = stageApp(root, join(scratch, '.stage'))
    const staged = ['package.json', ...filesUnder(stage, 'out')]
    const a = await scan(root, sources, 'sources', electron.version)
    const b = await scan(stage, staged, '.stage', electron.version)
    // Staged files are named as `npm run dist` leaves them: .stage/...
    const inStage = (f: Finding): Finding => ({ ...f, file: f.file === '.stage' ? f.file : `.stage/${f.file}` })
    const findings = [...a.findings, ...b.findings.map(inStage)]
    const unread = [...a.unread, ...b.unread.map((u) => ({ ...u, file: `.stage/${u.file}` }))]

    const verdict = compare(findings, accepted)
    for (const f of verdict.fresh) {
      out(`NEW    ${f.check}  ${f.file}:${f.line}:${f.column}  ${f.text}`)
    }
    for (const e of verdict.stale) out(`STALE  ${e.check}  ${e.file}  "${e.near}" is no longer found: remove it`)
    for (const u of unread) out(`UNREAD ${u.file}: ${u.message}`)
    if (verdict.fresh.length) out(`Fix each NEW finding, or list it in ${ACCEPTED} with a one-line reason.`)
    out(summaryLine(verdict, { files: sources.length + staged.length, ms: Date.now() - started }))
    return verdict.fresh.length || verdict.stale.length || unread.length ? 1 : 0
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

process.exitCode = await main()
