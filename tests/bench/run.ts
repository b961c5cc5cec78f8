/** `npm run bench`: every figure as `BENCH <name> <value> <unit>`. */
import { benchProxy } from './proxy'
import { benchRenderer } from './renderer'
import { benchRequests, benchScale } from './scheduler'
import { benchTakedown } from './takedown'
import { benchVault } from './vault'

await benchVault()
await benchRequests()
await benchScale()
await benchTakedown()
await benchRenderer()
await benchProxy()
process.exit(0)
