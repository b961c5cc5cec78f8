import { afterAll, afterEach, beforeAll } from 'vitest'
import type { Core, CoreOptions } from '../../src-main/core/app-core'
import { coreAt, tempDir } from './core'
import { type EntrywayProxy, type ProxyBehaviour, startEntrywayProxy } from './entryway-proxy'
import { type Network, startNetwork } from './network'

/**
 * One real PDS per test file, and cores and proxies that are stopped after
 * each test: registers the vitest hooks and hands out the pieces.
 */
export function useNetwork(pds: Record<string, unknown> = {}) {
  let net: Network | undefined
  const cores: Core[] = []
  const proxies: EntrywayProxy[] = []
  beforeAll(async () => {
    net = await startNetwork(pds)
  })
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.stop()
    for (const p of proxies.splice(0)) await p.close()
  })
  afterAll(async () => {
    await net?.close()
  })
  const network = () => {
    if (!net) throw new Error('the network starts in beforeAll')
    return net
  }
  return {
    get net() {
      return network()
    },
    /** A core on a fresh (or the given) data directory, pointed at this network. */
    async core(opts: Partial<CoreOptions> = {}, dir = tempDir()) {
      const core = await coreAt(dir, { plcUrl: network().plcUrl, defaultService: network().pdsUrl, ...opts })
      cores.push(core)
      return { core, dir }
    },
    async proxy(behaviour: ProxyBehaviour = {}) {
      const p = await startEntrywayProxy(network().pdsUrl, behaviour)
      proxies.push(p)
      return p
    },
    /** Stops a core early (the test restarts on its directory). */
    async stopCore(core: Core) {
      cores.splice(cores.indexOf(core), 1)
      await core.stop()
    },
  }
}
