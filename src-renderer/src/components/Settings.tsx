import { Trans, useTranslation } from 'react-i18next'
import { backendNameOf } from '../status'
import { useShallow } from 'zustand/react/shallow'
import type { AppSettings } from '../../../src-main/ipc/contract'
import { LANGUAGE_SETTINGS, type Language, type LanguageSetting } from '../../../src-main/ipc/languages'
import { actions } from '../actions'
import { useReturnFocus } from '../focus'
import { languageFor } from '../i18n'
import { useStore } from '../store'

const CLEAR_DELAYS = [15, 30, 60, 120, 300, 0]

/** Each language by its own name, the same in every language. */
const NAMES: Record<Language, string> = { en: 'English', ja: '日本語', 'pt-BR': 'Português (Brasil)' }

/** "15 seconds", "2 minutes", in the window's language (Intl). */
function delayText(seconds: number, lang: string): string {
  const [value, unit] = seconds < 60 ? [seconds, 'second'] : [seconds / 60, 'minute']
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(value)
}

/** Settings: language, clipboard clearing, the tray, start at login, notifications, where tokens are kept. */
export function Settings() {
  const { t, i18n } = useTranslation()
  const { settings, storage, mode, systemLanguages } = useStore(
    useShallow((s) => ({ settings: s.settings, storage: s.storage, mode: s.mode, systemLanguages: s.systemLanguages })),
  )
  // Done puts focus back on what opened Settings.
  const ref = useReturnFocus<HTMLElement>()
  if (!settings || !storage) return null
  const systemLanguage = NAMES[languageFor({ systemLanguages })]
  const desktop = mode === 'electron'
  const set = (patch: Partial<AppSettings>) => void actions.saveSettings(patch)
  const noCipher = storage.backend === 'unavailable'

  return (
    <section ref={ref} className="settings" aria-labelledby="settings-title">
      <div className="settings-head">
        <h1 id="settings-title">{t('settings.title')}</h1>
        <button type="button" onClick={() => useStore.getState().closeLogin()}>
          {t('settings.done')}
        </button>
      </div>

      <fieldset>
        <legend>{t('settings.language')}</legend>
        <label className="field">
          <span>{t('settings.languageLabel')}</span>
          <select value={settings.language} onChange={(e) => set({ language: e.target.value as LanguageSetting })}>
            {LANGUAGE_SETTINGS.map((l) => (
              <option key={l} value={l} lang={l === 'system' ? undefined : l}>
                {l === 'system' ? t('settings.languageSystem', { language: systemLanguage }) : NAMES[l]}
              </option>
            ))}
          </select>
          <small>{t('settings.languageHint')}</small>
        </label>
      </fieldset>

      <fieldset>
        <legend>{t('settings.clipboard')}</legend>
        <label className="field">
          <span>{t('settings.clearAfter')}</span>
          <select
            value={settings.clipboardClearSeconds}
            onChange={(e) => set({ clipboardClearSeconds: Number(e.target.value) })}
          >
            {CLEAR_DELAYS.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? t('settings.never') : delayText(s, i18n.language)}
              </option>
            ))}
          </select>
          <small>{t('settings.clearHint')}</small>
        </label>
      </fieldset>

      <fieldset disabled={!desktop}>
        <legend>{t('settings.background')}</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.closeToTray}
            onChange={(e) => set({ closeToTray: e.target.checked })}
          />
          <span>{t('settings.closeToTray')}</span>
        </label>
        <small className="hint">{t('settings.closeToTrayHint')}</small>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.startAtLogin}
            onChange={(e) => set({ startAtLogin: e.target.checked })}
          />
          <span>{t('settings.startAtLogin')}</span>
        </label>
        {!desktop && <small className="hint">{t('settings.desktopOnly')}</small>}
      </fieldset>

      <fieldset>
        <legend>{t('settings.notifications')}</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.notifications}
            onChange={(e) => set({ notifications: e.target.checked })}
          />
          <span>{t('settings.notify')}</span>
        </label>
        <small className="hint">{desktop ? t('settings.notifyHint') : t('settings.notifyHintBrowser')}</small>
      </fieldset>

      <fieldset>
        <legend>{t('settings.storage')}</legend>
        <p className="hint">
          {noCipher ? (
            <Trans i18nKey="settings.protectedByNothing" components={{ b: <strong /> }} />
          ) : storage.weak ? (
            <Trans
              i18nKey="settings.protectedByWeak"
              values={{ backend: backendNameOf(storage, t) }}
              components={{ b: <strong /> }}
            />
          ) : (
            <Trans
              i18nKey="settings.protectedBy"
              values={{ backend: backendNameOf(storage, t) }}
              components={{ b: <strong /> }}
            />
          )}
        </p>
        <label className="check">
          <input
            type="radio"
            name="persistence"
            checked={storage.persistence === 'disk'}
            disabled={noCipher}
            onChange={() => void actions.choosePersistence('disk')}
          />
          <span>{t('settings.disk')}</span>
        </label>
        <label className="check">
          <input
            type="radio"
            name="persistence"
            checked={storage.persistence === 'memory'}
            onChange={() => void actions.choosePersistence('memory')}
          />
          <span>{t('settings.memory')}</span>
        </label>
        {noCipher && <small className="hint">{t('settings.noKeyring')}</small>}
      </fieldset>
    </section>
  )
}
