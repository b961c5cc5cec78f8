import { describe, expect, it } from 'vitest'
import type { UpdateState } from '../../src-main/ipc/contract'
import {
  CHECK_EVERY_MS,
  CHECK_JITTER,
  FIRST_CHECK_MS,
  type FoundUpdate,
  UpdateFailure,
  type UpdaterPort,
  UpdateService,
} from '../../src-main/core/updates/update-service'
import { SequencerByKey } from '../../src-main/core/accounts/sequencer'
import { FakeClock, flush } from '../support/fake-clock'

/** A port whose answers the test sets; it counts what it was asked. */
function fakePort(answer: () => Promise<FoundUpdate | null> = async () => null) {
  const port = {
    checks: [] as number[],
    installs: 0,
    installError: null as UpdateFailure | null,
    answer,
    check: () => {
      port.checks.push(clock.now())
      return port.answer()
    },
    install: () => {
      if (port.installError) throw port.installError
      port.installs++
    },
  }
  return port satisfies UpdaterPort
}

let clock: FakeClock

function service(port: UpdaterPort | null, random = () => 0.5, sequencer = new SequencerByKey(90_000, clock)) {
  const s = new UpdateService(port, {
    clock,
    random,
    accounts: { idle: () => sequencer.allSettled(), busy: () => sequencer.anyBusy() },
  })
  const seen: UpdateState[] = []
  s.onChange((st) => seen.push(st))
  return { s, seen, sequencer }
}

function deferred() {
  let resolve!: () => void
  let reject!: (e: unknown) => void
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)))
  return { promise, resolve, reject }
}

describe('update policy (fake clock)', () => {
  it('no feed: never asks, never schedules, says so', async () => {
    clock = new FakeClock()
    const { s, seen } = service(null)
    s.start()
    expect(clock.pending).toBe(0)
    expect(await s.check()).toEqual({ status: 'unavailable', reason: 'no-feed' })
    expect(() => s.restart()).toThrow(/No update is ready/)
    expect(seen).toEqual([])
  })

  it('checks a while after start, then daily, each wait jittered within its bounds', async () => {
    clock = new FakeClock()
    const start = clock.now()
    const port = fakePort()
    // The lowest draw: every wait is as short as the jitter allows.
    const { s } = service(port, () => 0)
    s.start()
    await clock.advance(FIRST_CHECK_MS * (1 - CHECK_JITTER) - 1)
    expect(port.checks).toEqual([])
    await clock.advance(1)
    expect(port.checks).toEqual([start + FIRST_CHECK_MS * (1 - CHECK_JITTER)])
    await clock.advance(3 * CHECK_EVERY_MS)
    const gaps = port.checks.slice(1).map((t, i) => t - port.checks[i]!)
    expect(gaps).toEqual([1, 2, 3].map(() => CHECK_EVERY_MS * (1 - CHECK_JITTER)))
    expect(s.state()).toMatchObject({ status: 'idle', checkedAt: port.checks.at(-1) })
    s.stop()
    expect(clock.pending).toBe(0)
  })

  it('the highest draw waits the longest the jitter allows', async () => {
    clock = new FakeClock()
    const start = clock.now()
    const port = fakePort()
    const { s } = service(port, () => 1)
    s.start()
    await clock.advance(FIRST_CHECK_MS * (1 + CHECK_JITTER) + CHECK_EVERY_MS * (1 + CHECK_JITTER))
    expect(port.checks).toEqual([
      start + FIRST_CHECK_MS * (1 + CHECK_JITTER),
      start + FIRST_CHECK_MS * (1 + CHECK_JITTER) + CHECK_EVERY_MS * (1 + CHECK_JITTER),
    ])
    s.stop()
  })

  it('a newer version: downloading, then offered once verified; a refused download offers nothing', async () => {
    clock = new FakeClock()
    const download = deferred()
    const port = fakePort(async () => ({ version: '0.2.0', downloaded: download.promise }))
    const { s, seen } = service(port)
    expect(await s.check()).toEqual({ status: 'downloading', version: '0.2.0' })
    // While it downloads (or once ready), another check asks nothing.
    await s.check()
    expect(port.checks).toHaveLength(1)
    download.resolve()
    await flush()
    expect(seen.map((x) => x.status)).toEqual(['checking', 'downloading', 'ready'])
    expect(s.state()).toEqual({ status: 'ready', version: '0.2.0' })

    const refused = deferred()
    const { s: s2, seen: seen2 } = service(fakePort(async () => ({ version: '0.2.0', downloaded: refused.promise })))
    await s2.check()
    refused.reject(new UpdateFailure('ChecksumMismatch', 'The downloaded update did not match its sha512.'))
    await flush()
    expect(seen2.map((x) => x.status)).toEqual(['checking', 'downloading', 'idle'])
    expect(s2.state()).toMatchObject({ status: 'idle', error: { code: 'ChecksumMismatch' } })
    expect(() => s2.restart()).toThrow(/No update is ready/)
  })

  it('a failed check is typed; an unknown error says nothing it does not know', async () => {
    clock = new FakeClock()
    const port = fakePort(async () => {
      throw new UpdateFailure('Offline', 'No network.')
    })
    const { s } = service(port)
    expect(await s.check()).toMatchObject({ status: 'idle', error: { code: 'Offline', message: 'No network.' } })
    port.answer = async () => {
      throw new Error('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig leaked')
    }
    const st = await s.check()
    expect(st).toMatchObject({ status: 'idle', error: { code: 'Failed' } })
    expect(JSON.stringify(st)).not.toContain('eyJ')
  })

  it('after sleep, an overdue daily check runs on wake', async () => {
    clock = new FakeClock()
    const port = fakePort()
    const { s } = service(port)
    s.start()
    await clock.advance(FIRST_CHECK_MS * 2)
    expect(port.checks).toHaveLength(1)
    s.wake()
    await clock.advance(0)
    expect(port.checks).toHaveLength(1)
    clock.jump(CHECK_EVERY_MS + 1)
    s.wake()
    await clock.advance(0)
    expect(port.checks).toHaveLength(2)
    s.stop()
  })

  it('restart waits while an account operation is in flight and installs once it drains', async () => {
    clock = new FakeClock()
    const port = fakePort(async () => ({ version: '0.2.0', downloaded: Promise.resolve() }))
    const { s, sequencer } = service(port)
    await s.check()
    await flush()
    expect(s.state().status).toBe('ready')

    const op = deferred()
    const inFlight = sequencer.run('did:plc:alice', () => op.promise)
    expect(s.restart()).toEqual({ status: 'restarting', version: '0.2.0' })
    await clock.advance(60_000)
    expect(port.installs).toBe(0)
    // The first operation ends just as another account's starts: still not yet.
    const next = deferred()
    const second = sequencer.run('did:plc:bob', () => next.promise)
    op.resolve()
    await inFlight
    await flush()
    expect(port.installs).toBe(0)
    next.resolve()
    await second
    await s.restarting
    expect(port.installs).toBe(1)
  })

  it('an install that cannot run says so, and the app keeps going', async () => {
    clock = new FakeClock()
    const port = fakePort(async () => ({ version: '0.2.0', downloaded: Promise.resolve() }))
    port.installError = new UpdateFailure('InstallFailed', 'The update could not replace the app.')
    const { s } = service(port)
    await s.check()
    await flush()
    s.restart()
    await s.restarting
    expect(s.state()).toMatchObject({ status: 'idle', error: { code: 'InstallFailed' } })
  })
})
