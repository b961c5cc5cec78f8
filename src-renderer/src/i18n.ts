/**
 * The window's words: one i18next instance, the catalogs of every language
 * Skyswitch speaks (./locales, keys grouped by screen), and the language the
 * window follows: the setting, else the system's (Electron) or the browser's
 * preferred languages. Numbers, dates and relative times go through Intl in
 * that language (./time).
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { type Language, pickLanguage, resolveLanguage } from '../../src-main/ipc/languages'
import type { AppSettings } from '../../src-main/ipc/contract'
import en from './locales/en.json' with { type: 'json' }
import ja from './locales/ja.json' with { type: 'json' }
import ptBR from './locales/pt-BR.json' with { type: 'json' }

/** What the browser prefers (Node has navigator.languages too, which the unit tests use). */
const browserLanguages = (): readonly string[] => (typeof navigator === 'undefined' ? [] : navigator.languages)

export const i18n = i18next.createInstance()
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ja: { translation: ja }, 'pt-BR': { translation: ptBR } },
  // Until main's first state says otherwise, the browser's (Electron: the app's) own languages.
  lng: pickLanguage(browserLanguages()),
  fallbackLng: 'en',
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  initAsync: false,
})
/** The page says which language it is in (screen readers, fonts, line breaking). */
const markPage = (lang: string) => {
  if (typeof document !== 'undefined' && document.documentElement) document.documentElement.lang = lang
}
markPage(i18n.language)

/** The language the window speaks now. */
export const currentLanguage = (): Language => i18n.language as Language

interface LanguageSource {
  settings?: Pick<AppSettings, 'language'> | null
  systemLanguages?: readonly string[] | null
}

/** The language this window speaks for a state main sent. */
export function languageFor(state: LanguageSource): Language {
  return resolveLanguage(state.settings?.language ?? 'system', state.systemLanguages ?? browserLanguages())
}

/** Follows the state: switches the catalogs and the document's lang when the language changes. */
export function followLanguage(state: LanguageSource): void {
  const lang = languageFor(state)
  if (i18n.language === lang) return
  void i18n.changeLanguage(lang)
  markPage(lang)
}
