import { describe, expect, it } from 'vitest'
import { pickLanguage, resolveLanguage } from '../../src-main/ipc/languages'

describe('which language a user gets', () => {
  it('the first preferred language Skyswitch speaks, English when none is', () => {
    expect(pickLanguage(['ja-JP', 'en-US'])).toBe('ja')
    expect(pickLanguage(['de-DE', 'pt-BR', 'ja'])).toBe('pt-BR')
    expect(pickLanguage(['pt_PT'])).toBe('pt-BR')
    expect(pickLanguage(['fr', 'de'])).toBe('en')
    expect(pickLanguage([])).toBe('en')
    expect(pickLanguage(['EN-gb', 'ja'])).toBe('en')
  })

  it('a language chosen in Settings wins over the system’s', () => {
    expect(resolveLanguage('ja', ['pt-BR'])).toBe('ja')
    expect(resolveLanguage('system', ['pt-BR'])).toBe('pt-BR')
  })
})
