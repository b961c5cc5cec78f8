import { app } from 'electron'

/** The arguments after `--cli`, or null when the app was started normally. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const i = argv.indexOf('--cli')
  return i < 0 ? null : argv.slice(i + 1)
}

/**
 * `skyswitch` through the app's own binary: no window, no core, no refresher,
 * no single-instance lock. It runs the same command module as bin/skyswitch,
 * which talks to the running app over its tool endpoint, and then exits.
 */
export async function runCliMode(args: string[]): Promise<void> {
  app.dock?.hide()
  const hasDir = args.includes('--data-dir') || !!process.env.SKYSWITCH_DATA_DIR
  // The app's own data directory (honours --user-data-dir), not a guess.
  const cliArgs = hasDir ? args : ['--data-dir', app.getPath('userData'), ...args]
  process.argv = [process.argv[0] ?? 'skyswitch', 'skyswitch', ...cliArgs]
  let code = 0
  try {
    await import('../../bin/skyswitch.mjs')
  } catch (err) {
    process.stderr.write(`skyswitch: ${err instanceof Error ? err.message : 'failed'}\n`)
    code = 5
  }
  await Promise.all([drain(process.stdout), drain(process.stderr)])
  app.exit(typeof process.exitCode === 'number' ? process.exitCode : code)
}

function drain(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((ok) => stream.write('', () => ok()))
}
