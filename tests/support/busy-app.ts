/**
 * The app in a process of its own, signed in to one account, for tests that
 * need its main thread held busy (the PDS runs in the test's process, which
 * stays free). Says {url, key} when ready; on {block: ms} it runs a busy loop
 * on its main thread for that long and then answers {from, to} (wall clock).
 */
import { coreAt, tempDir } from './core'

const [pdsUrl, plcUrl, handle, password] = process.argv.slice(2) as [string, string, string, string]
const core = await coreAt(tempDir('skyswitch-busy-'), { plcUrl, defaultService: pdsUrl, glance: false })
const a = await core.accounts.login({ identifier: handle, password })
// What follows a sign-in (its first check) ends before a tool comes.
await core.accounts.idle()

process.on('message', (msg: { block?: number; exit?: true }) => {
  if (msg.block) {
    const from = Date.now()
    while (Date.now() - from < msg.block) {
      // Held: nothing else runs on this thread.
    }
    process.send!({ from, to: Date.now() })
  } else if (msg.exit) void core.stop().then(() => process.exit(0))
})
process.send!({ url: core.proxy.status().url, key: core.proxy.keyFor(a.did) })
