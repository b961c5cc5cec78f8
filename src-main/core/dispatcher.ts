import type { AppState, Envelope } from '../ipc/contract'
import { type CallName, type CallResults, isCallName, type ParsedRequests, requestSchema } from '../ipc/calls'
import type { AccountService } from './accounts/account-service'
import type { CoreEvents } from './events'
import { toErrorInfo } from './errors'
import type { ClipboardGuard } from './clipboard/clipboard-guard'
import { copyText } from './cli/copy-texts'
import type { ProxyService } from './proxy/proxy-service'
import { toolCalls } from './cli/panel-calls'
import type { SettingsStore } from './settings'
import type { Glance } from './glance/glance'
import { SkyswitchError } from './errors'
import type { UpdateService } from './updates/update-service'
import type { Language } from '../ipc/languages'
import { forWindow } from '../i18n/window'

/** The handler of call N: takes its parsed request, answers its result. */
type Handlers = {
  [N in CallName]: (req: ParsedRequests[N]) => Promise<CallResults[N]> | CallResults[N]
}

export type Dispatch = (name: unknown, request: unknown) => Promise<Envelope<unknown>>

const SECRET_COPIES = new Set(['accessToken', 'env', 'authHeader'])
/** Where nothing updates the app (browser mode). */
const NO_UPDATES = { status: 'unavailable', reason: 'no-feed' } as const

/**
 * The contract's server side, shared by Electron's ipcMain and the
 * browser-mode bridge: validates every request against its schema, runs it,
 * and answers with an envelope. A bad request changes nothing. Every
 * message in an answer is in `language()` (the window's); the tool endpoint
 * and the CLI never come through here and keep English.
 */
export function createDispatcher(
  accounts: AccountService,
  clipboard: ClipboardGuard,
  events: CoreEvents,
  proxy: ProxyService,
  parts: {
    settings?: SettingsStore
    glance?: Pick<Glance, 'setAttention'>
    updates?: Pick<UpdateService, 'state' | 'check' | 'restart'>
    /** The window's language, and what the window says its own preferred languages are (browser mode). */
    language?: () => Language
    setWindowLanguages?: (languages: readonly string[]) => void
  } = {},
): Dispatch {
  const { settings, glance, updates, language = () => 'en' } = parts
  const handlers: Handlers = {
    ...toolCalls(accounts, clipboard, proxy),
    'app:getState': () => events.snapshot(),
    'accounts:login': (r) => accounts.login(r),
    'accounts:setActive': (r) => accounts.setActive(r.did).then(() => null),
    'accounts:reorder': (r) => accounts.reorder(r.dids).then(() => null),
    'accounts:check': (r) => accounts.check(r.did),
    'accounts:checkAll': () => accounts.checkAll(),
    'accounts:refresh': (r) => accounts.refresh(r.did),
    'accounts:signOut': (r) => accounts.signOut(r.did),
    'accounts:remove': (r) => accounts.remove(r.did).then(() => null),
    'accounts:activate': (r) => accounts.activate(r.did),
    'accounts:retry': (r) => accounts.retry(r.did),
    'tokens:copy': async (r) => {
      const text = await copyText(accounts, r.did, r.kind)
      return { clearsAt: await clipboard.copy(text, SECRET_COPIES.has(r.kind)) }
    },
    'tokens:revealAccess': async (r) => {
      const { accessJwt, expiresAt } = await accounts.accessToken(r.did, 60_000)
      return { accessJwt, expiresAt }
    },
    'storage:choosePersistence': (r) => accounts.choosePersistence(r.persistence),
    'notices:dismiss': (r) => {
      accounts.dismissNotice(r.id)
      return null
    },
    'settings:get': () => requireSettings(settings).get(),
    'settings:set': (r) => requireSettings(settings).set(r),
    'notices:setAccount': (r) => {
      accounts.get(r.did)
      return requireSettings(settings).setAccountNotices(r.did, r)
    },
    'app:windowLanguages': (r) => {
      parts.setWindowLanguages?.(r.languages)
      return null
    },
    // Sets how often unread counts are read; gaining focus starts a round (counts arrive as events).
    'app:attention': (r) => glance?.setAttention(r) ?? { visible: r.visible, focused: r.visible && r.focused },
    'accounts:oauthBegin': (r) => accounts.beginOAuth(r),
    'accounts:oauthFinish': (r) => accounts.finishOAuth(r.attemptId),
    'accounts:oauthCancel': (r) => {
      accounts.cancelOAuth(r.attemptId)
      return null
    },
    'updates:get': () => updates?.state() ?? NO_UPDATES,
    'updates:check': () => updates?.check() ?? NO_UPDATES,
    'updates:restart': () => {
      if (!updates) throw new SkyswitchError('NotFound', 'No update is ready to install.', { key: 'accounts.noUpdate' })
      return updates.restart()
    },
  }

  async function run<N extends CallName>(name: N, request: unknown): Promise<Envelope<CallResults[N]>> {
    const parsed = requestSchema(name).safeParse(request ?? undefined)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
      return {
        ok: false,
        error: { code: 'BadRequest', message: `Invalid request for ${name}${where}: ${issue?.message ?? 'invalid'}.` },
      }
    }
    const handler: Handlers[N] = handlers[name]
    try {
      return { ok: true, value: await handler(parsed.data) }
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) }
    }
  }

  return async (name, request) => {
    if (!isCallName(name)) {
      return forWindow({ ok: false, error: { code: 'BadRequest', message: 'Unknown call.' } }, language())
    }
    return forWindow(await run(name, request), language())
  }
}

/**
 * The app state as the window is sent it: with the current settings (the
 * clipboard delay shown is the one in force) and the proxy's status, read at
 * the same moment, so a snapshot's revision orders it against proxy:changed.
 */
export function windowState(
  state: AppState,
  settings?: SettingsStore,
  proxy?: Pick<ProxyService, 'status'>,
  systemLanguages?: readonly string[],
): AppState {
  const base = systemLanguages ? { ...state, systemLanguages: [...systemLanguages] } : state
  const withProxy = proxy ? { ...base, proxy: proxy.status() } : base
  if (!settings) return withProxy
  const s = settings.get()
  return { ...withProxy, settings: s, clipboardClearSeconds: s.clipboardClearSeconds }
}

function requireSettings(settings: SettingsStore | undefined): SettingsStore {
  if (!settings) throw new SkyswitchError('NotFound', 'Settings are not available here.')
  return settings
}
