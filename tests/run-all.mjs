#!/usr/bin/env node
// Runs every suite (unit + integration with vitest, end-to-end + Electron smoke
// with Playwright), names the five tests that came closest to their time limit,
// and ends with one line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { relative, resolve } from 'node:path'

// Not test-results/: Playwright empties that folder when it starts.
mkdirSync('reports', { recursive: true })
const VITEST_JSON = resolve('reports/vitest.json')
const VITEST_LIMITS = resolve('reports/vitest-limits.json')
const E2E_JSON = resolve('reports/e2e.json')
for (const f of [VITEST_JSON, VITEST_LIMITS, E2E_JSON]) rmSync(f, { force: true })

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1

const vitestCode = run('npx', [
  'vitest',
  'run',
  '--config',
  'tests/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${VITEST_JSON}`,
  '--reporter=./tests/support/limits-reporter.mjs',
])
const e2eCode = run('npx', ['playwright', 'test', '--config', 'tests/playwright.config.ts'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: E2E_JSON,
})

let passed = 0
let failed = 0
let skipped = 0
const suites = []
/** { where, durationMs, limitMs } for every test that ran, from both runners. */
const timings = []

if (existsSync(VITEST_JSON)) {
  const v = JSON.parse(readFileSync(VITEST_JSON, 'utf8'))
  passed += v.numPassedTests
  failed += v.numFailedTests
  skipped += v.numPendingTests + (v.numTodoTests ?? 0)
  suites.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed`)
  if (existsSync(VITEST_LIMITS)) {
    for (const t of JSON.parse(readFileSync(VITEST_LIMITS, 'utf8'))) {
      timings.push({ where: `${t.file} › ${t.name}`, durationMs: t.durationMs, limitMs: t.limitMs })
    }
  }
} else {
  failed += 1
  suites.push('vitest: no report (crashed)')
}
if (existsSync(E2E_JSON)) {
  const report = JSON.parse(readFileSync(E2E_JSON, 'utf8'))
  const s = report.stats
  for (const reason of skipReasons(report.suites ?? [])) console.log(`skipped: ${reason}`)
  timings.push(...playwrightTimings(report))
  passed += s.expected + s.flaky
  failed += s.unexpected
  skipped += s.skipped
  suites.push(`playwright: ${s.expected + s.flaky} passed, ${s.unexpected} failed, ${s.skipped} skipped`)
} else {
  failed += 1
  suites.push('playwright: no report (crashed)')
}
// A runner that exited non-zero without a failing test still fails the run.
if (failed === 0 && (vitestCode !== 0 || e2eCode !== 0)) failed = 1

console.log(`\n${suites.join('\n')}`)
for (const line of slowest(timings, 5)) console.log(line)

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 ? 1 : 0)

/** The `n` tests that used the largest share of their time limit, one line each. */
function slowest(rows, n) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`
  return rows
    .filter((r) => r.limitMs > 0)
    .sort((a, b) => b.durationMs / b.limitMs - a.durationMs / a.limitMs)
    .slice(0, n)
    .map((r) => {
      const share = Math.round((100 * r.durationMs) / r.limitMs)
      return `slowest: ${share}% of limit — ${r.where} (${s(r.durationMs)} of ${s(r.limitMs)})`
    })
}

/**
 * Each Playwright test's longest attempt and its limit: the timeout the report
 * gives (config, describe.configure), tripled for test.slow(); `testDir` is
 * made relative to the project so the file reads as it does for vitest.
 */
function playwrightTimings(report) {
  const out = []
  const testDir = report.config?.rootDir ?? ''
  const rel = (file) => (testDir ? relative(process.cwd(), resolve(testDir, file)) : file)
  const walk = (suite, titles) => {
    const here = suite.title && !suite.file?.endsWith(suite.title) ? [...titles, suite.title] : titles
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const ran = (t.results ?? []).filter((r) => r.status !== 'skipped')
        if (ran.length === 0) continue
        // test.slow() in the body shows in the attempt's annotations, at declaration in the test's.
        const notes = [...(t.annotations ?? []), ...ran.flatMap((r) => r.annotations ?? [])]
        const slow = notes.some((a) => a.type === 'slow')
        out.push({
          where: `${rel(spec.file)} › ${[...here, spec.title].join(' > ')}`,
          durationMs: Math.max(...ran.map((r) => r.duration)),
          limitMs: (t.timeout ?? 0) * (slow ? 3 : 1),
        })
      }
    }
    for (const child of suite.suites ?? []) walk(child, here)
  }
  for (const s of report.suites ?? []) walk(s, [])
  return out
}

/** The one-line reasons Playwright tests gave for skipping. */
function skipReasons(suites) {
  const out = []
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue
        const note = (t.annotations ?? []).find((a) => a.type === 'skip')
        out.push(`${spec.title}: ${note?.description ?? 'no reason given'}`)
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  suites.forEach(walk)
  return out
}
