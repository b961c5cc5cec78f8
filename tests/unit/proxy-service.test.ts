import { Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import type { AccountService } from '../../src-main/core/accounts/account-service'
import type { ProxyStatus } from '../../src-main/core/cli/tool-protocol'
import { ProxyService } from '../../src-main/core/proxy/proxy-service'
import { tempDir } from '../support/core'

// Starting and stopping never touches an account.
const accounts = {} as AccountService
let opened: ProxyService[] = []

async function open(dir = tempDir()): Promise<ProxyService> {
  const proxy = await ProxyService.open({ dataDir: dir, cipher: new KeyFileCipher(dir), accounts })
  opened.push(proxy)
  return proxy
}

afterEach(async () => {
  for (const p of opened) await p.close()
  opened = []
})

describe('the proxy service tells what changes', () => {
  it('start, stop and close each tell listeners the new status once; unsubscribed listeners hear nothing', async () => {
    const proxy = await open()
    const url = proxy.status().url!
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const heard: ProxyStatus[] = []
    const off = proxy.onChange((s) => heard.push(s))
    await proxy.stop()
    expect(heard).toEqual([{ running: false, enabled: false, url: null }])
    // Stopping again changes nothing.
    await proxy.stop()
    expect(heard).toHaveLength(1)
    await proxy.start()
    // The remembered port is taken again.
    expect(heard).toEqual([
      { running: false, enabled: false, url: null },
      { running: true, enabled: true, url },
    ])
    await proxy.start()
    expect(heard).toHaveLength(2)
    await proxy.close()
    expect(heard[2]).toEqual({ running: false, enabled: true, url: null })
    off()
    await proxy.start()
    expect(heard).toHaveLength(3)
    expect(proxy.status().running).toBe(true)
  })

  it('a stop during a start is told as stopped, never as running', async () => {
    const proxy = await open()
    await proxy.stop()
    const heard: ProxyStatus[] = []
    proxy.onChange((s) => heard.push(s))
    const starting = proxy.start()
    await proxy.stop()
    await starting.catch(() => undefined)
    expect(heard.some((s) => s.running)).toBe(false)
    expect(proxy.status()).toEqual({ running: false, enabled: false, url: null })
  })

  it('a start that cannot listen is told (enabled, not running), and a listener that throws stops no one', async () => {
    const proxy = await open()
    await proxy.stop()
    const heard: ProxyStatus[] = []
    proxy.onChange(() => {
      throw new Error('a broken listener')
    })
    proxy.onChange((s) => heard.push(s))
    // Stands for a loopback where nothing may listen.
    const real = Server.prototype.listen
    Server.prototype.listen = function (this: Server) {
      queueMicrotask(() => this.emit('error', Object.assign(new Error('EACCES'), { code: 'EACCES' })))
      return this
    } as typeof real
    try {
      await expect(proxy.start()).rejects.toMatchObject({ code: 'Internal' })
    } finally {
      Server.prototype.listen = real
    }
    expect(heard).toEqual([{ running: false, enabled: true, url: null }])
  })
})
