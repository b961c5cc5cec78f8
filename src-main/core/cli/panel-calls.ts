/** The contract's tool calls: the proxy's switch and the tools panel's copies (made in main). */
import type { CallRequests, CallResults } from '../../ipc/contract'
import type { AccountService } from '../accounts/account-service'
import type { ClipboardGuard } from '../clipboard/clipboard-guard'
import type { ProxyService } from '../proxy/proxy-service'
import { execLine } from './tool-env'

type ToolCallName = 'proxy:status' | 'proxy:setRunning' | 'tools:copy'

export function toolCalls(
  accounts: AccountService,
  clipboard: ClipboardGuard,
  proxy: ProxyService,
): { [N in ToolCallName]: (req: CallRequests[N]) => Promise<CallResults[N]> | CallResults[N] } {
  return {
    'proxy:status': () => proxy.status(),
    'proxy:setRunning': (r) => (r.running ? proxy.start() : proxy.stop()),
    'tools:copy': async (r) => {
      const { did, kind } = r
      const a = accounts.get(did)
      const text =
        kind === 'proxyUrl'
          ? proxy.requireUrl()
          : kind === 'proxyKey'
            ? proxy.keyFor(did)
            : execLine(a.handle, kind === 'proxyExecLine')
      return { clearsAt: await clipboard.copy(text, kind === 'proxyKey') }
    },
  }
}
