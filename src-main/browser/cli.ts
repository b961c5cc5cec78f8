/**
 * `npm run browser`: the core in Node, the renderer on 127.0.0.1. Prints one
 * line with the URL (and its per-launch secret) on stdout.
 *
 *   --data-dir DIR   (SKYSWITCH_DATA_DIR)   where the vault lives; default ./.data/browser
 *   --port N         (SKYSWITCH_PORT)       default 0: any free port
 *   --service URL    (SKYSWITCH_SERVICE)    hosting provider prefilled in the login form
 *   --plc-url URL    (SKYSWITCH_PLC_URL)    PLC directory for DID resolution (tests)
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startBrowserMode } from './server'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    service: { type: 'string' },
    'plc-url': { type: 'string' },
    help: { type: 'boolean' },
  },
})

if (values.help) {
  process.stdout.write(
    'skyswitch browser mode: --data-dir DIR --port N --service URL --plc-url URL (or SKYSWITCH_* env)\n',
  )
  process.exit(0)
}

const dataDir = resolve(values['data-dir'] ?? process.env.SKYSWITCH_DATA_DIR ?? '.data/browser')
const port = Number(values.port ?? process.env.SKYSWITCH_PORT ?? 0)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('skyswitch: --port must be a number from 0 to 65535\n')
  process.exit(2)
}
mkdirSync(dataDir, { recursive: true, mode: 0o700 })

try {
  const mode = await startBrowserMode({
    dataDir,
    port,
    defaultService: values.service ?? process.env.SKYSWITCH_SERVICE,
    plcUrl: values['plc-url'] ?? process.env.SKYSWITCH_PLC_URL,
  })
  process.stdout.write(`Skyswitch browser mode: ${mode.url}\n`)
  const shutdown = () => {
    void mode.close().finally(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
} catch (err) {
  process.stderr.write(`skyswitch: ${err instanceof Error ? err.message : 'could not start'}\n`)
  process.exit(1)
}
