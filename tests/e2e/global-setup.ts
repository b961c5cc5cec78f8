import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startNetwork } from '../support/network'

export const NETWORK_FILE = join(import.meta.dirname, '..', '..', 'test-results', 'network.json')

/** One real PLC + PDS for the whole e2e run, torn down at the end. */
export default async function globalSetup() {
  const net = await startNetwork()
  process.env.SKYSWITCH_TEST_PDS = net.pdsUrl
  process.env.SKYSWITCH_TEST_PLC = net.plcUrl
  process.env.SKYSWITCH_TEST_ADMIN = net.adminAuth
  void writeFileSync
  return async () => {
    await net.close()
  }
}
