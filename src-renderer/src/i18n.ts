/**
 * The window's words: one i18next instance, the catalogs of every language
 * Skyswitch speaks (./locales, keys named by where they are shown), and the
 * language the window follows: the setting, else the system's (Electron) or
 * the browser's preferred languages.
 */
import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { type Language, resolveLanguage } from '../../src-main/ipc/languages'
import type { AppState } from '../../src-main/ipc/contract'
import en from './locales/en.json'
import ja from './locales/ja.json'
import ptBR from './locales/pt-BR.json'

export const i18n = i18next.createInstance()
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ja: { translation: ja }, 'pt-BR': { translation: ptBR } },
  lng: 'en',
  fallbackLng: 'en',
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  initAsync: false,
})

/** The language this window speaks for a state main sent. */
export function languageFor(state: Pick<AppState, 'settings' | 'systemLanguages'>): Language {
  return resolveLanguage(state.settings?.language ?? 'system', state.systemLanguages ?? navigator.languages)
}

/** Follows the state: switches the catalogs and the document's lang when the language changes. */
export function followLanguage(state: Pick<AppState, 'settings' | 'systemLanguages'>): void {
  const lang = languageFor(state)
  if (i18n.language === lang) return
  void i18n.changeLanguage(lang)
  document.documentElement.lang = lang
}
