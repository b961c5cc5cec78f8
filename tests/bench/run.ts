/** `npm run bench`: every figure as `BENCH <name> <value> <unit>`. */
import { benchRenderer } from './renderer'
import { benchRequests, benchScale } from './scheduler'
import { benchTakedown } from './takedown'
import { benchVault } from './vault'

await benchVault()
await benchRequests()
await benchScale()
await benchTakedown()
await benchRenderer()
process.exit(0)
