import { startNetwork } from '../support/network'

/** One real PLC + PDS for the whole e2e run, torn down at the end. */
export default async function globalSetup() {
  const net = await startNetwork()
  process.env.SKYSWITCH_TEST_PDS = net.pdsUrl
  process.env.SKYSWITCH_TEST_PLC = net.plcUrl
  process.env.SKYSWITCH_TEST_ADMIN = net.adminAuth
  return async () => {
    await net.close()
  }
}
