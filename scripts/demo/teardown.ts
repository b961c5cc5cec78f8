/**
 * Everything the demo starts is stopped, and its temporary directory removed,
 * on Ctrl+C (SIGINT), SIGTERM, SIGHUP, when its parent goes away, or when the
 * app window closes. Signals that arrive during the teardown (a terminal and
 * npm both forward Ctrl+C) do not cut it short.
 */
import { rmSync } from 'node:fs'

const STEP_TIMEOUT_MS = 10_000

export class Teardown {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = []
  private running: Promise<void> | null = null

  constructor(private readonly root: string) {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void this.exit(0))
    // Last resort: whatever path the process leaves by, the directory goes.
    process.on('exit', () => rmSync(this.root, { recursive: true, force: true }))
    const parent = process.ppid
    setInterval(() => {
      if (process.ppid !== parent) void this.exit(0)
    }, 1000).unref()
  }

  /** Steps run in reverse order of adding: the app before the network it talks to. */
  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run })
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<void>((ok) => {
          timer = setTimeout(() => {
            process.stderr.write(`Skyswitch demo: stopping ${step.name} took too long; moving on\n`)
            ok()
          }, STEP_TIMEOUT_MS)
        })
        await Promise.race([step.run().catch(() => undefined), timeout])
        clearTimeout(timer)
      }
      rmSync(this.root, { recursive: true, force: true })
    })()
    return this.running
  }

  async exit(code: number): Promise<never> {
    const first = this.running === null
    if (first) process.stdout.write('\nSkyswitch demo: stopping and deleting its data…\n')
    await this.run()
    if (first) process.stdout.write('Skyswitch demo: stopped; nothing left behind.\n')
    process.exit(code)
  }
}
