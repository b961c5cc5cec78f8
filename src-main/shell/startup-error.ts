import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { app, dialog } from 'electron'
import { SkyswitchError, toErrorInfo } from '../core/errors'
import { type Language, translator } from '../i18n'
import { localizeError } from '../i18n/window'
import { LANGUAGE_SETTINGS, type LanguageSetting, resolveLanguage } from '../ipc/languages'

/** What the dialog says when Skyswitch cannot start; the files are never touched on this path. */
export function startupErrorText(
  err: unknown,
  dataDir: string,
  lang: Language = 'en',
): { title: string; body: string } {
  const t = translator(lang)
  const info = toErrorInfo(err)
  // The advice follows the English message (its wording is the core's); what is shown is in the language.
  const said = localizeError(info, lang).message
  if (err instanceof SkyswitchError && err.code === 'StorageError') {
    const m = info.message
    const advice = /disk is full/.test(m)
      ? t('startup.diskFull')
      : /permission denied/.test(m)
        ? t('startup.permission', { dir: dataDir })
        : /newer version/.test(m)
          ? ''
          : t('startup.check', { dir: dataDir })
    return {
      title: t('startup.vaultTitle'),
      body: [said, advice, t('startup.unchanged')].filter(Boolean).join('\n\n'),
    }
  }
  const errno = (err as NodeJS.ErrnoException)?.code
  const what = typeof errno === 'string' ? t('startup.withCode', { message: said, code: errno }) : said
  return { title: t('startup.title'), body: `${what}\n\n${t('startup.unchanged')}` }
}

/**
 * The language of a start that failed: the setting saved in the account file
 * when it can be read (the core that would say it did not start), else the
 * system's.
 */
export function startupLanguage(dataDir: string, systemLanguages: readonly string[]): Language {
  let setting: LanguageSetting = 'system'
  try {
    const raw = JSON.parse(readFileSync(join(dataDir, 'vault.json'), 'utf8')) as { settings?: { language?: unknown } }
    const saved = raw?.settings?.language
    if (LANGUAGE_SETTINGS.includes(saved as LanguageSetting)) setting = saved as LanguageSetting
  } catch {
    // Unreadable or missing: the system's language.
  }
  return resolveLanguage(setting, systemLanguages)
}

export function showStartupError(err: unknown, dataDir: string, lang?: Language): void {
  const { title, body } = startupErrorText(err, dataDir, lang ?? startupLanguage(dataDir, systemLanguages()))
  process.stderr.write(`${title}: ${body.split('\n')[0]}\n`)
  dialog.showErrorBox(title, body)
}

function systemLanguages(): readonly string[] {
  try {
    return app.getPreferredSystemLanguages()
  } catch {
    return []
  }
}
