/**
 * `npm run bench`: every figure as `BENCH <name> <value> <unit>`. Each group
 * runs in a fresh process, one after another, so none measures the heap,
 * timers or sockets an earlier one left behind.
 */
import { spawnSync } from 'node:child_process'

const groups: Record<string, () => Promise<void>> = {
  vault: async () => (await import('./vault')).benchVault(),
  requests: async () => (await import('./scheduler')).benchRequests(),
  scale: async () => (await import('./scheduler')).benchScale(),
  takedown: async () => (await import('./takedown')).benchTakedown(),
  renderer: async () => (await import('./renderer')).benchRenderer(),
  proxy: async () => (await import('./proxy')).benchProxy(),
  background: async () => (await import('./background')).benchBackground(),
  startup: async () => (await import('./startup')).benchStartup(),
}

const only = process.argv[2]
if (only) {
  const group = groups[only]
  if (!group) throw new Error(`no benchmark group "${only}"; one of: ${Object.keys(groups).join(', ')}`)
  await group()
  process.exit(0)
}
let failed = 0
for (const name of Object.keys(groups)) {
  const run = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, name], { stdio: 'inherit' })
  if (run.status !== 0) {
    failed++
    process.stderr.write(`benchmark group ${name} failed (exit ${run.status ?? run.signal})\n`)
  }
}
process.exit(failed === 0 ? 0 : 1)
