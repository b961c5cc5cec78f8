/**
 * The languages Skyswitch speaks, and which one a user gets: the setting when
 * it names one, otherwise the first of the system's (Electron) or browser's
 * preferred languages that Skyswitch speaks, English when none is.
 */
export const LANGUAGES = ['en', 'ja', 'pt-BR'] as const
export type Language = (typeof LANGUAGES)[number]

export const LANGUAGE_SETTINGS = ['system', ...LANGUAGES] as const
export type LanguageSetting = (typeof LANGUAGE_SETTINGS)[number]

/** The first preferred language tag Skyswitch speaks (any Portuguese gets Brazilian Portuguese). */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0]
    if (base === 'en') return 'en'
    if (base === 'ja') return 'ja'
    if (base === 'pt') return 'pt-BR'
  }
  return 'en'
}

export function resolveLanguage(setting: LanguageSetting, preferred: readonly string[]): Language {
  return setting === 'system' ? pickLanguage(preferred) : setting
}
