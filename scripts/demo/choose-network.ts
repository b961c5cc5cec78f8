/**
 * Which network the demo runs: the full one (AppView, Ozone) needs
 * PostgreSQL's server binaries and redis-server on this machine; --light, or
 * either one missing, gives the light one. Kept apart from the network code so
 * the check loads nothing heavy.
 */
import { existsSync, readdirSync } from 'node:fs'
import { delimiter, join } from 'node:path'

export interface NetworkChoice {
  full: boolean
  why: string
  /** PostgreSQL's server binaries, when found. */
  pgBin?: string
}

/** The full network needs PostgreSQL's server binaries (PG_BIN, or Debian's path) and redis-server. */
export function chooseNetwork(opts: { light?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): NetworkChoice {
  if (opts.light) return { full: false, why: '--light asked for it' }
  const pgBin = postgresBin(env)
  const redis = onPath('redis-server', env)
  if (pgBin && redis) return { full: true, why: `PostgreSQL in ${pgBin} and ${redis} are installed`, pgBin }
  const missing = [pgBin ? null : 'PostgreSQL (postgres)', redis ? null : 'redis-server'].filter(Boolean)
  return { full: false, why: `${missing.join(' and ')} not installed; install them for the full network` }
}

function postgresBin(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PG_BIN) return existsSync(join(env.PG_BIN, 'postgres')) ? env.PG_BIN : undefined
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a))
  return versions.map((v) => join(base, v, 'bin')).find((bin) => existsSync(join(bin, 'postgres')))
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((p) => existsSync(p))
}
