/**
 * Main's words: the tray, the menus, dialogs, OS notifications, startup
 * errors, the updater's answers, and the messages main sends the window.
 * One i18next instance (core only) per language, made on first use; callers
 * ask for the language at the moment they speak (`core.language()`), so a
 * changed setting takes effect at the next tray rebuild or notification.
 * The CLI never comes here: it stays in English.
 */
import i18next, { type i18n as I18n } from 'i18next'
import type { MessageParams } from '../ipc/contract'
import { type Language, LANGUAGES } from '../ipc/languages'
import en from './locales/en.json' with { type: 'json' }
import ja from './locales/ja.json' with { type: 'json' }
import ptBR from './locales/pt-BR.json' with { type: 'json' }

export type { Language }
export type Translate = (key: string, params?: MessageParams) => string

export const CATALOGS: Record<Language, object> = { en, ja, 'pt-BR': ptBR }

const instances = new Map<Language, I18n>()

function instance(lang: Language): I18n {
  let i = instances.get(lang)
  if (!i) {
    i = i18next.createInstance()
    void i.init({
      resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: CATALOGS[l] }])),
      lng: lang,
      fallbackLng: 'en',
      // Plain text for menus, dialogs and notifications: nothing is HTML.
      interpolation: { escapeValue: false },
      initAsync: false,
      returnNull: false,
    })
    instances.set(lang, i)
  }
  return i
}

/** The words of one language: lists among the parameters are joined as that language joins them. */
export function translator(lang: Language): Translate {
  const i = instance(lang)
  return (key, params) => {
    if (!params) return i.t(key)
    const values: Record<string, string | number> = {}
    for (const [k, v] of Object.entries(params)) values[k] = Array.isArray(v) ? formatList(lang, v) : v
    return i.t(key, values)
  }
}

/** Whether this language's catalog (or English's) has the key (a plural's forms, given its count). */
export function hasKey(lang: Language, key: string, params?: MessageParams): boolean {
  const count = params?.count
  return instance(lang).exists(key, typeof count === 'number' ? { count } : undefined)
}

/** "a, b and c" in the language. */
export function formatList(lang: Language, items: readonly string[]): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items)
}

/** A date and time as the language writes it: "Tue, 8 Dec, 14:05", "12月8日(火) 14:05". */
export function formatDateTime(lang: Language, epochMs: number): string {
  return new Intl.DateTimeFormat(lang, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(epochMs)
}

/** A time of day, for the same day: "14:05" / "2:05 PM". */
export function formatTime(lang: Language, epochMs: number): string {
  return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(epochMs)
}

/** A date and time within the next day or so reads as a time; further out, with its date. */
export function formatWhen(lang: Language, epochMs: number, now = Date.now()): string {
  return Math.abs(epochMs - now) < 12 * 60 * 60 * 1000 ? formatTime(lang, epochMs) : formatDateTime(lang, epochMs)
}

export function formatNumber(lang: Language, n: number): string {
  return new Intl.NumberFormat(lang).format(n)
}
