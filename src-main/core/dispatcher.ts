import type { CallName, CallResults, CopyKind, Envelope } from '../ipc/contract'
import { isCallName, requestSchemas } from '../ipc/schemas'
import type { AccountService } from './accounts'
import type { ClipboardGuard } from './tools/clipboard-guard'
import { SkyswitchError, toErrorInfo } from './errors'

type Handlers = {
  [N in CallName]: (req: NonNullable<unknown>) => Promise<CallResults[N]> | CallResults[N]
}

export type Dispatch = (name: unknown, request: unknown) => Promise<Envelope<unknown>>

/**
 * The contract's server side, shared by Electron's ipcMain and the
 * browser-mode bridge: validates every request against its schema, runs it,
 * and answers with an envelope. A bad request changes nothing.
 */
export function createDispatcher(accounts: AccountService, clipboard: ClipboardGuard): Dispatch {
  const handlers: Handlers = {
    'app:getState': () => accounts.state(),
    'accounts:login': (r) => accounts.login(r as never),
    'accounts:setActive': (r) => accounts.setActive(did(r)).then(() => null),
    'accounts:reorder': (r) => accounts.reorder((r as { dids: string[] }).dids).then(() => null),
    'accounts:check': (r) => accounts.check(did(r)),
    'accounts:checkAll': () => accounts.checkAll(),
    'accounts:refresh': (r) => accounts.refresh(did(r)),
    'accounts:signOut': (r) => accounts.signOut(did(r)),
    'accounts:remove': (r) => accounts.remove(did(r)).then(() => null),
    'accounts:activate': (r) => accounts.activate(did(r)),
    'accounts:retry': (r) => accounts.retry(did(r)),
    'tokens:copy': async (r) => {
      const { kind } = r as { kind: CopyKind }
      const text = await copyText(accounts, did(r), kind)
      const secret = kind === 'accessToken' || kind === 'env' || kind === 'authHeader'
      return { clearsAt: await clipboard.copy(text, secret) }
    },
    'tokens:revealAccess': async (r) => {
      const { accessJwt, expiresAt } = await accounts.accessToken(did(r), 60_000)
      return { accessJwt, expiresAt }
    },
    'storage:choosePersistence': (r) =>
      accounts.choosePersistence((r as { persistence: 'disk' | 'memory' }).persistence),
    'notices:dismiss': (r) => {
      accounts.dismissNotice((r as { id: string }).id)
      return null
    },
    'accounts:oauthBegin': (r) => accounts.beginOAuth(r as never),
    'accounts:oauthFinish': (r) => accounts.finishOAuth((r as { attemptId: string }).attemptId),
    'accounts:oauthCancel': (r) => {
      accounts.cancelOAuth((r as { attemptId: string }).attemptId)
      return null
    },
  }

  return async (name, request) => {
    if (!isCallName(name)) {
      return { ok: false, error: { code: 'BadRequest', message: 'Unknown call.' } }
    }
    const parsed = requestSchemas[name].safeParse(request ?? undefined)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
      return {
        ok: false,
        error: { code: 'BadRequest', message: `Invalid request for ${name}${where}: ${issue?.message ?? 'invalid'}.` },
      }
    }
    try {
      const value = await handlers[name](parsed.data ?? {})
      return { ok: true, value }
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) }
    }
  }
}

function did(r: unknown): string {
  return (r as { did: string }).did
}

/** What each copy button puts on the clipboard; the token never leaves main. */
export async function copyText(accounts: AccountService, did: string, kind: CopyKind): Promise<string> {
  const a = accounts.get(did)
  switch (kind) {
    case 'did':
      return a.did
    case 'handle':
      return a.handle
    case 'pdsUrl':
      return a.pdsUrl
    case 'accessToken':
      return (await accounts.accessToken(did)).accessJwt
    case 'authHeader':
      return `Authorization: Bearer ${(await accounts.accessToken(did)).accessJwt}`
    case 'env':
      return envBlock(a.pdsUrl, a.handle, a.did, (await accounts.accessToken(did)).accessJwt)
    default:
      throw new SkyswitchError('BadRequest', 'Unknown copy kind.')
  }
}

export function envBlock(pds: string, handle: string, did: string, jwt: string): string {
  return [
    `export ATP_PDS_URL=${pds}`,
    `export ATP_HANDLE=${handle}`,
    `export ATP_DID=${did}`,
    `export ATP_ACCESS_JWT=${jwt}`,
    '',
  ].join('\n')
}
