import { app } from 'electron'
import { AppShell } from './app-shell'
import { cliArguments, runCliMode } from './cli-mode'
import { startedHidden } from './login-item'
import { recordedPasswordStore } from './storage-pin'

/** electron-builder.yml's appId, which the Windows installer registers (tests/shell/parts.test.ts keeps them equal). */
export const APP_USER_MODEL_ID = 'app.skyswitch.desktop'

/**
 * Everything the Electron main process does, from its first line. The CLI
 * mode returns before any of the app's machinery (lock, window, refresher).
 */
export function startShell(argv: readonly string[] = process.argv, platform = process.platform): void {
  const cli = cliArguments(argv)
  if (cli) {
    void runCliMode(cli)
    return
  }
  // Before ready: keep the keyring the saved tokens were sealed with.
  const store = platform === 'linux' ? recordedPasswordStore(app.getPath('userData')) : null
  if (store) app.commandLine.appendSwitch('password-store', store)
  // Windows shows notifications, and routes their clicks back, only for an app with its installer's id.
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID)
  if (!app.requestSingleInstanceLock()) {
    // Another Skyswitch owns the vault and the refresh timers; it shows its window.
    app.quit()
    return
  }
  new AppShell(platform, { hidden: startedHidden(argv, platform) }).start()
}
