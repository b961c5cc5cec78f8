// A vitest reporter that writes, for every test that ran, how long it took and
// the limit it ran under (its own timeout, or its project's testTimeout), so
// tests/run-all.mjs can say how close each came to failing on time.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'

export default class LimitsReporter {
  constructor(options = {}) {
    this.outputFile = options.outputFile ?? 'reports/vitest-limits.json'
  }

  onInit(vitest) {
    this.root = vitest.config.root
  }

  onTestRunEnd(testModules) {
    const rows = []
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const duration = test.diagnostic()?.duration
        if (test.result().state === 'skipped' || duration === undefined) continue
        rows.push({
          file: relative(this.root ?? process.cwd(), mod.moduleId),
          name: test.fullName,
          durationMs: duration,
          limitMs: test.options.timeout,
        })
      }
    }
    mkdirSync(dirname(this.outputFile), { recursive: true })
    writeFileSync(this.outputFile, JSON.stringify(rows, null, 1))
  }
}
