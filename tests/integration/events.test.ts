import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core/app-core'
import type { CoreEventName } from '../../src-main/core/events'
import { coreAt, tempDir } from '../support/core'

const cores: Core[] = []
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop()
})

describe('core events', () => {
  it('every event and every getState reply carries one increasing revision', async () => {
    const core = await coreAt(tempDir())
    cores.push(core)
    const sent: { event: CoreEventName; revision: number }[] = []
    core.events.onAny((event, payload) => sent.push({ event, revision: payload.revision }))
    const state = async () => {
      const env = await core.dispatch('app:getState', undefined)
      if (!env.ok) throw new Error(env.error.message)
      return env.value as { revision: number }
    }
    const before = (await state()).revision
    await core.dispatch('storage:choosePersistence', { persistence: 'memory' })
    await core.dispatch('storage:choosePersistence', { persistence: 'disk' })
    expect(sent.map((s) => s.event)).toEqual(['state:changed', 'state:changed'])
    expect(sent.map((s) => s.revision)).toEqual([before + 1, before + 2])
    // A reply stamps the revision of the last event sent before it.
    expect((await state()).revision).toBe(before + 2)
  })

  it('listeners stop with the core and unsubscribe on their own', async () => {
    const core = await coreAt(tempDir())
    const seen: number[] = []
    const off = core.events.onAny((_e, p) => seen.push(p.revision))
    await core.dispatch('storage:choosePersistence', { persistence: 'memory' })
    off()
    await core.dispatch('storage:choosePersistence', { persistence: 'disk' })
    expect(seen).toHaveLength(1)
    await core.stop()
  })
})
