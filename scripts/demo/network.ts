/**
 * The demo's AT Protocol network on loopback, from @atproto/dev-env like the
 * tests use: the full one (PLC + PDS + AppView + Ozone) where PostgreSQL and
 * Redis are configured (DB_POSTGRES_URL, REDIS_HOST), the light one (PLC +
 * PDS) otherwise. Either way a second PDS on the same PLC stands for another
 * hosting provider.
 */
import { randomBytes } from 'node:crypto'
import { mockNetworkUtilities, TestNetwork, TestNetworkNoAppView, TestPds } from '@atproto/dev-env'
import { type ProfileService, startProfileService } from './profile-service'

export interface DemoPds {
  url: string
  adminAuth: string
}

export interface DemoNetwork {
  kind: 'full' | 'light'
  /** One line for the console: what runs. */
  description: string
  plcUrl: string
  pds: DemoPds
  secondPds: DemoPds
  profiles: ProfileService
  /** Lets the AppView catch up with what was written (full network only). */
  settle(): Promise<void>
  close(): Promise<void>
}

export function fullNetworkConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DB_POSTGRES_URL && env.REDIS_HOST)
}

export async function startDemoNetwork(opts: { full?: boolean } = {}): Promise<DemoNetwork> {
  const profiles = await startProfileService()
  const viaProfiles = { bskyAppViewUrl: profiles.url, bskyAppViewDid: profiles.did }
  const closers: (() => Promise<unknown>)[] = [() => profiles.close()]
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined)
  }
  try {
    const full = opts.full ?? fullNetworkConfigured()
    let main: TestNetworkNoAppView
    let description: string
    if (full) {
      const net = await TestNetwork.create({ dbPostgresSchema: `skyswitch_demo_${randomBytes(4).toString('hex')}` })
      main = net
      description = `full network: PLC, PDS, AppView ${net.bsky.url}, Ozone (PostgreSQL ${process.env.DB_POSTGRES_URL}, Redis ${process.env.REDIS_HOST})`
    } else {
      main = await TestNetworkNoAppView.create({ pds: viaProfiles })
      description = 'light network: PLC and PDS, no AppView (set DB_POSTGRES_URL and REDIS_HOST for the full one)'
    }
    closers.push(() => main.close())
    // The second provider answers profiles through the stand-in in both cases:
    // the AppView only follows the first PDS.
    const second = await TestPds.create({ didPlcUrl: main.plc.url, ...viaProfiles })
    mockNetworkUtilities(second)
    closers.push(() => second.close())
    return {
      kind: full ? 'full' : 'light',
      description,
      plcUrl: main.plc.url,
      pds: { url: main.pds.url, adminAuth: main.pds.adminAuth() },
      secondPds: { url: second.url, adminAuth: second.adminAuth() },
      profiles,
      settle: () => (main instanceof TestNetwork ? main.processAll() : Promise.resolve()),
      close: closeAll,
    }
  } catch (err) {
    await closeAll()
    throw err
  }
}
