import type { AccountService } from '../core/accounts/account-service'

/**
 * Browser mode has no powerMonitor: a timer that fires late by far more than
 * its period means the machine slept (or the clock jumped), so wake the
 * scheduler to refresh whatever fell due meanwhile.
 */
export function watchForSleep(accounts: Pick<AccountService, 'wake'>, periodMs = 5_000, slackMs = 20_000) {
  let last = Date.now()
  const timer = setInterval(() => {
    const now = Date.now()
    if (now - last > periodMs + slackMs || now < last) accounts.wake()
    last = now
  }, periodMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
