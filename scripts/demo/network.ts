/**
 * The demo's AT Protocol network on loopback, from @atproto/dev-env like the
 * tests use: the full one (PLC + PDS + AppView + Ozone, on a throwaway
 * PostgreSQL and Redis the demo starts itself) where PostgreSQL's server and
 * redis-server are installed, the light one (PLC + PDS) otherwise. Either way
 * a second PDS on the same PLC stands for another hosting provider.
 */
import { mockNetworkUtilities, TestNetworkNoAppView, TestPds } from '@atproto/dev-env'
import type { NetworkChoice } from './choose-network'
import { type ProfileService, startProfileService } from './profile-service'

export interface DemoPds {
  url: string
  adminAuth: string
}

export interface DemoNetwork {
  kind: 'full' | 'light'
  /** One line for the console: what runs, and why. */
  description: string
  plcUrl: string
  pds: DemoPds
  secondPds: DemoPds
  /** The light network's getProfile stand-in; the full network has a real AppView instead. */
  profiles?: ProfileService
  /** Lets the AppView catch up with what was written (full network only). */
  settle(): Promise<void>
  close(): Promise<void>
}

export async function startDemoNetwork(choice: NetworkChoice): Promise<DemoNetwork> {
  return choice.full ? startFull(choice) : startLight(choice)
}

async function startFull(choice: NetworkChoice): Promise<DemoNetwork> {
  // The support module reads PG_BIN when it loads, and brings the AppView's
  // code: load it only for the full network.
  process.env.PG_BIN = choice.pgBin
  const { startFullNetwork } = await import('../../tests/support/full-network')
  const full = await startFullNetwork()
  try {
    const secondUrl = await full.secondPds()
    // Every dev-env PDS has the same admin password.
    return {
      kind: 'full',
      description: `full network: PLC, PDS, AppView ${full.appviewUrl}, Ozone, on a throwaway PostgreSQL and Redis (${choice.why})`,
      plcUrl: full.plcUrl,
      pds: { url: full.pdsUrl, adminAuth: full.adminAuth },
      secondPds: { url: secondUrl, adminAuth: full.adminAuth },
      settle: () => full.settle(),
      close: () => full.close(),
    }
  } catch (err) {
    await full.close().catch(() => undefined)
    throw err
  }
}

async function startLight(choice: NetworkChoice): Promise<DemoNetwork> {
  const profiles = await startProfileService()
  const viaProfiles = { bskyAppViewUrl: profiles.url, bskyAppViewDid: profiles.did }
  const closers: (() => Promise<unknown>)[] = [() => profiles.close()]
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined)
  }
  try {
    const main = await TestNetworkNoAppView.create({ pds: viaProfiles })
    closers.push(() => main.close())
    const second = await TestPds.create({ didPlcUrl: main.plc.url, ...viaProfiles })
    mockNetworkUtilities(second)
    closers.push(() => second.close())
    return {
      kind: 'light',
      description: `light network: PLC and PDS, no AppView, so no unread counts (${choice.why})`,
      plcUrl: main.plc.url,
      pds: { url: main.pds.url, adminAuth: main.pds.adminAuth() },
      secondPds: { url: second.url, adminAuth: second.adminAuth() },
      profiles,
      settle: () => Promise.resolve(),
      close: closeAll,
    }
  } catch (err) {
    await closeAll()
    throw err
  }
}
