import { benchProxyDayOnly } from './proxy'
await benchProxyDayOnly()
process.exit(0)
