import { useTranslation } from 'react-i18next'
import type { AccountView } from '../../../src-main/ipc/contract'
import { dateTime } from '../time'

/** Which kind of sign-in an account uses, and honestly how long it can last. */
export function SignInKind({ account }: { account: AccountView }) {
  const { t } = useTranslation()
  if (account.auth === 'oauth') {
    return <span data-testid="sign-in-kind">{t('signInKind.oauth', { ends: dateTime(account.refreshExpiresAt) })}</span>
  }
  return (
    <span data-testid="sign-in-kind">
      {account.scope === 'app-password' ? t('signInKind.appPassword') : t('signInKind.password')}
    </span>
  )
}
