import type { AccountView } from '../../../src-main/ipc/contract'
import { dateTime } from '../time'

/** Which kind of sign-in an account uses, and honestly how long it can last. */
export function SignInKind({ account }: { account: AccountView }) {
  if (account.auth === 'oauth') {
    return (
      <span data-testid="sign-in-kind">
        OAuth (signed in at the provider; no password kept). Ends by about {dateTime(account.refreshExpiresAt)}:
        providers end an app’s session a fixed time after sign-in (two weeks on Bluesky’s servers), however often it is
        refreshed. Tools reach it through the local proxy.
      </span>
    )
  }
  const kind = account.scope === 'app-password' ? 'App password' : 'Password'
  return (
    <span data-testid="sign-in-kind">
      {kind}. Stays signed in as long as Skyswitch keeps refreshing it (each refresh token lasts 90 days).
    </span>
  )
}
