import type { Core } from '../core/app-core'
import type { Language } from '../i18n'

export interface SpokenLanguage {
  /** The language main speaks now. */
  now(): Language
  /** Called once each time it changes (the setting changed, or resolves to another language). */
  onChange(listener: () => void): void
}

/** What the menus and the tray follow: rebuilt in the new language when the setting changes it. */
export function watchLanguage(core: Pick<Core, 'language' | 'settings'>): SpokenLanguage {
  let spoken = core.language()
  const listeners = new Set<() => void>()
  core.settings.on(() => {
    if (core.language() === spoken) return
    spoken = core.language()
    for (const l of listeners) l()
  })
  return { now: () => spoken, onChange: (l) => void listeners.add(l) }
}
