import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { updateFeed } from '../../build/update-feed.mjs'
import { builderConfig } from '../../build/stage-app.mjs'
import { classifyUpdateError, redactLogLine } from '../../src-main/shell/update-errors'

const yaml = readFileSync(resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8')

describe('the update feed, set at build time', () => {
  it('none set: no feed, and the staged electron-builder config has no publish target', () => {
    expect(updateFeed({})).toBe('')
    expect(updateFeed({ SKYSWITCH_UPDATE_URL: '  ' })).toBe('')
    expect(builderConfig(yaml, {})).toBe(yaml)
    expect((load(builderConfig(yaml, {})) as Record<string, unknown>).publish).toBeUndefined()
  })

  it('set: the same URL in the bundle and as the generic publish target', () => {
    const env = { SKYSWITCH_UPDATE_URL: 'https://updates.skyswitch.example/linux' }
    expect(updateFeed(env)).toBe('https://updates.skyswitch.example/linux/')
    const staged = load(builderConfig(yaml, env)) as Record<string, unknown>
    expect(staged.publish).toEqual({ provider: 'generic', url: 'https://updates.skyswitch.example/linux/' })
    expect(staged.appId).toBe('app.skyswitch.desktop')
  })

  it('refuses a feed that is not https (but loopback), or that carries credentials', () => {
    expect(updateFeed({ SKYSWITCH_UPDATE_URL: 'http://127.0.0.1:8080/r' })).toBe('http://127.0.0.1:8080/r/')
    expect(() => updateFeed({ SKYSWITCH_UPDATE_URL: 'http://updates.skyswitch.example/' })).toThrow(/https/)
    expect(() => updateFeed({ SKYSWITCH_UPDATE_URL: 'https://u:p@updates.skyswitch.example/' })).toThrow(/credentials/)
    expect(() => updateFeed({ SKYSWITCH_UPDATE_URL: 'not a url' })).toThrow(/not a URL/)
  })
})

describe('updater errors and log lines', () => {
  it('each failure has its own typed message', () => {
    const mismatch = Object.assign(new Error('sha512 checksum mismatch, expected a, got b'), {
      code: 'ERR_CHECKSUM_MISMATCH',
    })
    expect(classifyUpdateError(mismatch).code).toBe('ChecksumMismatch')
    const yml = Object.assign(new Error('Cannot parse update info'), { code: 'ERR_UPDATER_INVALID_UPDATE_INFO' })
    expect(classifyUpdateError(yml).code).toBe('FeedMalformed')
    expect(classifyUpdateError(new Error('net::ERR_INTERNET_DISCONNECTED')).code).toBe('Offline')
    expect(classifyUpdateError(new Error('net::ERR_CONNECTION_REFUSED')).code).toBe('Offline')
    expect(classifyUpdateError(new Error('500 Internal Server Error')).code).toBe('Failed')
    expect(classifyUpdateError('??', 'InstallFailed').code).toBe('InstallFailed')
  })

  it('never prints a token, a credential or an authorization header', () => {
    const line = redactLogLine(
      'Request: {"headers":{"authorization":"Bearer abc.def"},"url":"https://me:secret@feed.example/x"} ' +
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOngifQ.c2ln token ghp_abcdef',
    )
    for (const secret of ['abc.def', 'secret', 'eyJ', 'ghp_abcdef']) expect(line).not.toContain(secret)
    expect(line).toContain('feed.example/x')
  })
})
