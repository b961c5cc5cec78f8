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

  it('the proxy starting and stopping is an event like the others, and every state says where it stands', async () => {
    const core = await coreAt(tempDir())
    cores.push(core)
    const sent: { event: CoreEventName; payload: unknown }[] = []
    core.events.onAny((event, payload) => sent.push({ event, payload }))
    const state = async () => {
      const env = await core.dispatch('app:getState', undefined)
      if (!env.ok) throw new Error(env.error.message)
      return env.value as { revision: number; proxy?: { running: boolean; url: string | null } }
    }
    const before = await state()
    expect(before.proxy).toMatchObject({ running: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) })

    await core.dispatch('proxy:setRunning', { running: false })
    // Started from elsewhere (the CLI's endpoint calls the service itself): the window hears it all the same;
    // a start that changes nothing sends nothing.
    await core.proxy.start()
    await core.proxy.start()
    expect(sent.map((s) => s.event)).toEqual(['proxy:changed', 'proxy:changed'])
    expect(sent.map((s) => s.payload)).toEqual([
      { running: false, enabled: false, url: null, revision: before.revision + 1 },
      { running: true, enabled: true, url: expect.stringMatching(/^http:/), revision: before.revision + 2 },
    ])
    const after = await state()
    expect(after.revision).toBe(before.revision + 2)
    expect(after.proxy).toEqual(core.proxy.status())
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
