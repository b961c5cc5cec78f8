import type { AccountView, LoginRequest } from '../../ipc/contract'
import { SkyswitchError } from '../errors'
import type { OAuthSignedIn } from '../oauth/oauth-sessions'
import type { NewSession } from '../session/login'
import type { AccountViews } from './account-views'
import type { OAuthOps } from './oauth-ops'
import type { PasswordOps } from './password-ops'

export interface SignInDeps {
  views: AccountViews
  password: PasswordOps
  /** The network half of a password sign-in (session/login.ts): touches no saved state. */
  login(req: LoginRequest, service: string, signal?: AbortSignal): Promise<NewSession>
  defaultService: string
  /** Runs a task in the account's turn (AccountService). */
  turn<T>(did: string, task: (signal: AbortSignal) => Promise<T>): Promise<T>
  /** Starts the status watch on an account. */
  watch(did: string): void
}

/**
 * Adding or signing in again to an account, password or OAuth: the session
 * is created, then saved in that account's turn. Adding an account never
 * makes it the active one (the vault makes the first account active).
 */
export class SignIn {
  constructor(private readonly deps: SignInDeps) {}

  async password(req: LoginRequest, signal?: AbortSignal): Promise<AccountView> {
    // A re-sign-in of a known account runs in its turn from the first request, so a reply
    // that predates another operation (a reactivation, say) is never installed after it.
    const known = this.deps.views.findByHandleOrDid(req.identifier)?.did
    const tried = known
      ? await this.deps.turn(known, (s) => this.tryLogin(req, signal ? AbortSignal.any([s, signal]) : s, known))
      : await this.tryLogin(req, signal)
    if ('error' in tried) {
      // Only the server can say an account is taken down; a known one is marked so in its own turn.
      const did = this.deps.views.findByHandleOrDid(req.identifier)?.did
      const err = tried.error
      if (did && did !== known && err instanceof SkyswitchError && err.code === 'AccountTakedown') {
        await this.deps.turn(did, () => this.deps.password.loginFailed(did, err))
      }
      throw err
    }
    // A session for another account than the one named (a handle that moved) is adopted in its own turn.
    const view =
      tried.view ?? (await this.deps.turn(tried.created.reply.did, () => this.deps.password.adoptLogin(tried.created)))
    this.deps.watch(view.did)
    void this.deps.turn(view.did, () => this.deps.password.loadProfile(view.did))
    return view
  }

  /** Creates the session; adopts it when it is the account whose turn this runs in. */
  private async tryLogin(
    req: LoginRequest,
    signal: AbortSignal | undefined,
    inTurnOf?: string,
  ): Promise<{ created: NewSession; view?: AccountView } | { error: unknown }> {
    let created: NewSession
    try {
      created = await this.deps.login(req, req.service ?? this.deps.defaultService, signal)
    } catch (error) {
      if (inTurnOf && error instanceof SkyswitchError && error.code === 'AccountTakedown') {
        await this.deps.password.loginFailed(inTurnOf, error)
      }
      return { error }
    }
    const view = created.reply.did === inTurnOf ? await this.deps.password.adoptLogin(created) : undefined
    return { created, view }
  }

  /** Waits for the browser to come back, then saves the account in its turn. */
  async oauth(ops: OAuthOps, attemptId: string): Promise<AccountView> {
    const signedIn: OAuthSignedIn = await ops.sessions.finish(attemptId)
    const view = await this.deps.turn(signedIn.did, () => ops.adopt(signedIn))
    this.deps.watch(signedIn.did)
    return view
  }
}
