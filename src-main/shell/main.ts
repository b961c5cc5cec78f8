import { startShell } from './start'

startShell()
