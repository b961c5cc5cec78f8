/**
 * A throwaway PostgreSQL cluster and Redis server on loopback for the full
 * test network (AppView, Ozone): Debian's postgresql 15 and redis-server,
 * started on free ports in a temporary directory and removed afterwards.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PgRedis {
  /** postgresql://postgres@127.0.0.1:PORT/postgres */
  postgresUrl: string
  /** 127.0.0.1:PORT, the form REDIS_HOST takes. */
  redisHost: string
  stop(): Promise<void>
}

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => ok(port))
    })
  })
}

/** As root: run as the postgres user, whose uid/gid also own the data directory. */
function pgUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

function waitForLine(proc: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((ok, fail) => {
    let out = ''
    let ready = false
    const timer = setTimeout(() => fail(new Error(`${what} did not start:\n${out}`)), timeoutMs)
    // Keeps draining the pipes after start-up, so the server never blocks on its log.
    const onData = (d: Buffer) => {
      if (ready) return
      out += d.toString()
      if (pattern.test(out)) {
        ready = true
        clearTimeout(timer)
        ok()
      }
    }
    proc.stdout?.on('data', onData)
    proc.stderr?.on('data', onData)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`${what} exited with ${code}:\n${out}`))
    })
  })
}

function stopProc(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((ok) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return ok()
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
    proc.once('exit', () => {
      clearTimeout(timer)
      ok()
    })
    proc.kill(signal)
  })
}

export async function startPgRedis(): Promise<PgRedis> {
  if (!existsSync(join(PG_BIN, 'postgres'))) {
    throw new Error(`PostgreSQL not found in ${PG_BIN}: apt-get install postgresql (or set PG_BIN)`)
  }
  const root = mkdtempSync(join(tmpdir(), 'skyswitch-pg-'))
  chmodSync(root, 0o755)
  const data = join(root, 'data')
  const user = pgUser()
  if (user) chownSync(root, user.uid, user.gid)
  const asPg = { uid: user?.uid, gid: user?.gid }
  execFileSync(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...asPg,
    cwd: root,
    stdio: 'pipe',
  })
  const pgPort = await freePort()
  // fsync off and a small footprint: the data is thrown away after the run.
  const pg = spawn(
    join(PG_BIN, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(pgPort),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${root}`,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
      '-c',
      'shared_buffers=32MB',
    ],
    { ...asPg, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const redisPort = await freePort()
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', root],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const stop = async () => {
    await Promise.all([stopProc(pg, 'SIGINT'), stopProc(redis, 'SIGTERM')])
    rmSync(root, { recursive: true, force: true })
  }
  try {
    await Promise.all([
      waitForLine(pg, /ready to accept connections/, 'PostgreSQL'),
      waitForLine(redis, /Ready to accept connections/i, 'Redis'),
    ])
  } catch (err) {
    await stop()
    throw err
  }
  return {
    postgresUrl: `postgresql://postgres@127.0.0.1:${pgPort}/postgres`,
    redisHost: `127.0.0.1:${redisPort}`,
    stop,
  }
}
