/**
 * `npm run demo`: Skyswitch with demo accounts in every state, on a local AT
 * Protocol network, with a throwaway data directory. Ctrl+C stops it all and
 * deletes its data. Your own Skyswitch data is never read or written.
 *
 *   --accounts N   sign in N accounts in all (1 to 1000; default: one per state)
 *   --browser      browser mode even where the Electron binary exists
 *   --port N       browser mode's port on 127.0.0.1 (default: any free port)
 *   --light        the light network (no AppView) even where PostgreSQL and Redis are installed
 *   --no-build     use out/ as it is (by default it is rebuilt when older than the sources)
 */
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createDemoAccount, DEMO_PASSWORD } from './demo/accounts'
import { mapLimit } from './demo/map-limit'
import { DEMO_STATES, planAccounts } from './demo/plan'
import { type DemoApp, electronBinary, openBrowserMode, openElectron } from './demo/app'
import { build, buildIsFresh } from './demo/build'
import { chooseNetwork } from './demo/choose-network'
import { startDemoNetwork } from './demo/network'
import { makeUnreadNotifications } from './demo/social'
import { applyState, serviceFor, signIn, startStateProxies, waitForProfiles } from './demo/states'
import { Teardown } from './demo/teardown'

const ROOT = resolve(import.meta.dirname, '..')
const MAX_ACCOUNTS = 1000
const PARALLEL = 8

const { values } = parseArgs({
  options: {
    accounts: { type: 'string' },
    browser: { type: 'boolean' },
    port: { type: 'string' },
    'no-build': { type: 'boolean' },
    light: { type: 'boolean' },
    help: { type: 'boolean' },
  },
})
const say = (line: string) => process.stdout.write(`${line}\n`)

if (values.help) {
  say('npm run demo [-- --accounts N] [--browser] [--port N] [--no-build] [--light]')
  process.exit(0)
}
const count = Number(values.accounts ?? DEMO_STATES.length)
const port = Number(values.port ?? 0)
if (!Number.isInteger(count) || count < 1 || count > MAX_ACCOUNTS) {
  process.stderr.write(`Skyswitch demo: --accounts must be a whole number from 1 to ${MAX_ACCOUNTS}\n`)
  process.exit(64)
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('Skyswitch demo: --port must be a number from 0 to 65535\n')
  process.exit(64)
}

// One directory holds everything the demo writes; the network's own temporary
// files go in it too, so removing it leaves nothing behind.
const tempRoot = mkdtempSync(join(tmpdir(), 'skyswitch-demo-'))
const dataDir = join(tempRoot, 'app')
mkdirSync(join(tempRoot, 'tmp'))
process.env.TMPDIR = join(tempRoot, 'tmp')
const teardown = new Teardown(tempRoot)

try {
  await run()
} catch (err) {
  process.stderr.write(`Skyswitch demo could not start: ${err instanceof Error ? err.message : String(err)}\n`)
  await teardown.run()
  process.exit(1)
}

async function run(): Promise<void> {
  if (!values['no-build'] && !buildIsFresh(ROOT)) {
    say('Skyswitch demo: building the app first…')
    await build(ROOT)
  }
  const started = Date.now()
  const choice = chooseNetwork({ light: values.light })
  // As root, PostgreSQL runs as the postgres user, which must reach its
  // directory inside this one: let others traverse (not list) it.
  if (choice.full && process.getuid?.() === 0) for (const d of [tempRoot, join(tempRoot, 'tmp')]) chmodSync(d, 0o711)
  say(`Skyswitch demo: starting the ${choice.full ? 'full' : 'light'} network…`)
  const net = await startDemoNetwork(choice).catch((err: unknown) => {
    // PostgreSQL or Redis installed but unable to start here: still a demo, on the light network.
    if (!choice.full) throw err
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err)
    say(`Skyswitch demo: the full network could not start (${why}); starting the light one`)
    return startDemoNetwork({ full: false, why: 'the full network could not start' })
  })
  teardown.add('the network', () => net.close())
  say(`Skyswitch demo: ${net.description}`)
  say(`  PLC ${net.plcUrl}, PDS ${net.pds.url}, second PDS ${net.secondPds.url}`)

  const plan = planAccounts(count)
  const proxies = await startStateProxies(net, plan)
  teardown.add('the proxies', () => proxies.close())
  const created = progress('created', plan.length)
  const accounts = await mapLimit(plan, PARALLEL, (spec) =>
    createDemoAccount(spec.state === 'second-pds' ? net.secondPds : net.pds, spec, net.profiles).finally(created),
  )
  const unread = net.kind === 'full' ? await makeUnreadNotifications(plan, accounts, () => net.settle()) : []
  await net.settle()

  const binary = values.browser ? null : electronBinary()
  const app: DemoApp = binary
    ? await openElectron(binary, ROOT, dataDir, net)
    : await openBrowserMode(dataDir, net, port)
  teardown.add('the app', () => app.close())

  const signedIn = progress('signed in', plan.length)
  await mapLimit(plan, PARALLEL, (spec, i) =>
    signIn(app.call, accounts[i]!, spec.state, serviceFor(spec.state, net, proxies), proxies).finally(signedIn),
  )
  await waitForProfiles(
    app.call,
    accounts.map((a) => a.did),
  )
  for (const [i, spec] of plan.entries()) await applyState(app.call, accounts[i]!, spec.state, proxies)
  await app.call('accounts:reorder', { dids: accounts.map((a) => a.did) })
  await app.call('accounts:setActive', { did: accounts[0]!.did })

  say(`Skyswitch demo: ${accounts.length} accounts signed in in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  for (const [i, spec] of plan.slice(0, DEMO_STATES.length).entries()) {
    say(`  ${accounts[i]!.handle.padEnd(12)} ${spec.displayName.padEnd(14)} ${spec.state}`)
  }
  if (plan.length > DEMO_STATES.length) say(`  … and ${plan.length - DEMO_STATES.length} more active accounts`)
  if (unread.length) say(`  unread notifications: ${unread.map((u) => `${u.handle} ${u.unread}`).join(', ')}`)
  say(`  every demo account's password: ${DEMO_PASSWORD}`)
  say(`Skyswitch demo: data in ${tempRoot} (deleted when the demo stops)`)
  say(`  tools: SKYSWITCH_DATA_DIR=${dataDir} node bin/skyswitch.mjs status`)
  if (app.kind === 'browser') say(`Skyswitch demo (browser mode): ${app.url}`)
  else say('Skyswitch demo: the Electron window is open')
  say('Press Ctrl+C to stop the demo and delete its data.')

  await app.closed
  await teardown.exit(0)
}

/** A line every 100 accounts, for long runs (--accounts 1000). */
function progress(what: string, total: number): () => void {
  let done = 0
  return () => {
    done++
    if (total >= 100 && (done % 100 === 0 || done === total)) say(`  ${what} ${done}/${total}`)
  }
}
