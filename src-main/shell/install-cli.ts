import { execFile } from 'node:child_process'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A `skyswitch` launcher that runs the app's binary in CLI mode. */
export function launcherScript(exe: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return `@echo off\r\n"${exe}" --cli %*\r\n`
  return `#!/bin/sh\n# Installed by Skyswitch: the skyswitch command, run by the app itself.\nexec '${exe.replace(/'/g, `'\\''`)}' --cli "$@"\n`
}

/**
 * "Install command-line tool", as VS Code does: macOS puts the launcher in
 * /usr/local/bin (asking for an administrator password when needed), Windows
 * and Linux AppImages in a per-user folder that is added to PATH.
 * Returns where it went.
 */
export async function installCli(exe: string, platform: NodeJS.Platform): Promise<string> {
  const script = launcherScript(exe, platform)
  if (platform === 'darwin') {
    const target = '/usr/local/bin/skyswitch'
    try {
      mkdirSync('/usr/local/bin', { recursive: true })
      writeFileSync(target, script, { mode: 0o755 })
    } catch {
      const tmp = join(homedir(), '.skyswitch-cli')
      writeFileSync(tmp, script, { mode: 0o755 })
      const cmd = `mkdir -p /usr/local/bin && mv -f '${tmp}' '${target}' && chmod 755 '${target}'`
      await run('osascript', ['-e', `do shell script "${cmd}" with administrator privileges`])
    }
    return target
  }
  if (platform === 'win32') {
    const dir = join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Skyswitch', 'bin')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'skyswitch.cmd'), script)
    // The user's own PATH (no administrator rights), read and written without setx's 1024-character cut.
    const ps =
      `$p=[Environment]::GetEnvironmentVariable('Path','User'); $d='${dir.replace(/'/g, "''")}';` +
      `if (-not ($p -split ';' -contains $d)) { [Environment]::SetEnvironmentVariable('Path', (@($p,$d) -ne '' -join ';'), 'User') }`
    await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', ps])
    return join(dir, 'skyswitch.cmd')
  }
  const dir = join(homedir(), '.local', 'bin')
  mkdirSync(dir, { recursive: true })
  const target = join(dir, 'skyswitch')
  writeFileSync(target, script)
  chmodSync(target, 0o755)
  return target
}
