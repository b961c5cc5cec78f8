import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** safeStorage's backend names (getSelectedStorageBackend) -> Chromium's --password-store values. */
const PASSWORD_STORE: Record<string, string> = {
  basic_text: 'basic',
  gnome_libsecret: 'gnome-libsecret',
  kwallet: 'kwallet',
  kwallet5: 'kwallet5',
  kwallet6: 'kwallet6',
}

/**
 * The --password-store value that keeps the backend the vault's tokens were
 * sealed with (Element Desktop's approach): a desktop-session change must not
 * silently pick another keyring that cannot read them. Null when nothing
 * sealed is on disk (nothing to keep) or the file cannot be read (the vault
 * reports that itself once the app is ready).
 */
export function recordedPasswordStore(dataDir: string): string | null {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(join(dataDir, 'vault.json'), 'utf8'))
  } catch {
    return null
  }
  const v = raw as { backend?: { name?: unknown }; accounts?: Record<string, { sealedTokens?: unknown }> }
  const name = typeof v?.backend?.name === 'string' ? v.backend.name : null
  const sealed = Object.values(v?.accounts ?? {}).some((a) => typeof a?.sealedTokens === 'string')
  return name && sealed ? (PASSWORD_STORE[name] ?? null) : null
}
