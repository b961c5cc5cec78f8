/**
 * Main's catalogs (src-main/i18n/locales): every key in every language, none
 * empty, the same placeholders, Japanese and Brazilian Portuguese actually
 * translated; and the words main puts together from them.
 */
import { describe, expect, it } from 'vitest'
import { CATALOGS, translator } from '../../src-main/i18n'
import { LANGUAGES, type Language } from '../../src-main/ipc/languages'

const PLURAL = /_(zero|one|two|few|many|other)$/

/** Every leaf as [dotted key, value]. */
function leaves(obj: object, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? leaves(v as object, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]],
  )
}
const base = (key: string) => key.replace(PLURAL, '')
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort()

/** Values that are the same in every language: names, symbols and layouts of other words. */
const SAME_AS_ENGLISH = new Set([
  'tray.tooltip',
  'tray.tooltipWith',
  'tray.account',
  'tray.accountMark',
  'tray.accountNote',
  'tray.summaryBoth',
  'notifications.line',
  'notifications.oneNews',
  'notifications.phraseSeparator',
  'startup.withCode',
  'menu.roles.zoom',
])

describe("main's catalogs", () => {
  const keys = (lang: Language) => new Set(leaves(CATALOGS[lang]).map(([k]) => base(k)))

  it('every key exists in all three languages, with a non-empty value', () => {
    const en = keys('en')
    expect(en.size).toBeGreaterThan(150)
    for (const lang of LANGUAGES) {
      expect([...keys(lang)].sort(), lang).toEqual([...en].sort())
      for (const [key, value] of leaves(CATALOGS[lang])) {
        expect(typeof value, `${lang} ${key}`).toBe('string')
        expect((value as string).trim(), `${lang} ${key}`).not.toBe('')
      }
    }
  })

  it('each plural has the forms its language needs, and every form the same placeholders as English', () => {
    const english = new Map(leaves(CATALOGS.en).map(([k, v]) => [base(k), placeholders(v as string)]))
    for (const lang of LANGUAGES) {
      const forms = new Map<string, Set<string>>()
      for (const [key, value] of leaves(CATALOGS[lang])) {
        const m = PLURAL.exec(key)
        if (m) forms.set(base(key), (forms.get(base(key)) ?? new Set()).add(m[1]!))
        expect(placeholders(value as string), `${lang} ${key}`).toEqual(english.get(base(key)))
      }
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
      for (const [key, have] of forms) expect([...have].sort(), `${lang} ${key}`).toEqual([...needed].sort())
    }
  })

  it('Japanese and Brazilian Portuguese differ from English, except a short list', () => {
    const en = new Map(leaves(CATALOGS.en))
    for (const lang of ['ja', 'pt-BR'] as const) {
      const same = leaves(CATALOGS[lang])
        .filter(([k, v]) => en.get(k) === v)
        .map(([k]) => k)
      expect(
        same.filter((k) => !SAME_AS_ENGLISH.has(k)),
        lang,
      ).toEqual([])
    }
  })

  it('product names stay untranslated', () => {
    for (const lang of LANGUAGES) {
      const text = leaves(CATALOGS[lang])
        .map(([, v]) => v)
        .join('\n')
      expect(text).toMatch(/Skyswitch/)
      expect(text).toMatch(/Bluesky/)
      expect(text).toMatch(/OAuth/)
      expect(text).not.toMatch(/スカイスイッチ|ブルースカイ/)
    }
  })

  it('plurals and numbers through the library, in the language', () => {
    expect(translator('en')('tray.needAttention', { count: 1 })).toBe('1 account needs attention')
    expect(translator('en')('tray.unread', { count: 1234 })).toBe('1,234 unread')
    expect(translator('pt-BR')('tray.needAttention', { count: 1 })).toBe('1 conta precisa de atenção')
    expect(translator('pt-BR')('tray.needAttention', { count: 3 })).toBe('3 contas precisam de atenção')
    expect(translator('pt-BR')('tray.unread', { count: 1_000_000 })).toBe('1.000.000 não lidas')
    expect(translator('ja')('tray.unread', { count: 1234 })).toBe('未読 1,234 件')
    expect(translator('pt-BR')('notices.unreadable', { who: ['ana.test', 'bia.test'], path: '/x' })).toMatch(
      /^Não foi possível descriptografar o acesso salvo de ana\.test e bia\.test;/,
    )
  })
})
