#!/usr/bin/env node
// Runs every suite (unit + integration with vitest, end-to-end + Electron smoke
// with Playwright) and ends with one line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'

// Not test-results/: Playwright empties that folder when it starts.
mkdirSync('reports', { recursive: true })
const VITEST_JSON = resolve('reports/vitest.json')
const E2E_JSON = resolve('reports/e2e.json')
for (const f of [VITEST_JSON, E2E_JSON]) rmSync(f, { force: true })

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
])
const e2eCode = run('npx', ['playwright', 'test', '--config', 'tests/playwright.config.ts'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: E2E_JSON,
})

let passed = 0
let failed = 0
let skipped = 0
const suites = []

if (existsSync(VITEST_JSON)) {
  const v = JSON.parse(readFileSync(VITEST_JSON, 'utf8'))
  passed += v.numPassedTests
  failed += v.numFailedTests
  skipped += v.numPendingTests + (v.numTodoTests ?? 0)
  suites.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed`)
} else {
  failed += 1
  suites.push('vitest: no report (crashed)')
}
if (existsSync(E2E_JSON)) {
  const report = JSON.parse(readFileSync(E2E_JSON, 'utf8'))
  const s = report.stats
  for (const reason of skipReasons(report.suites ?? [])) console.log(`skipped: ${reason}`)
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

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 ? 1 : 0)

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
