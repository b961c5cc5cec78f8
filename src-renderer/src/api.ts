import type {
  CallName,
  CallRequest,
  CallResult,
  ErrorInfo,
  EventName,
  EventPayloads,
} from '../../src-main/ipc/contract'

/** A failed call, with the typed code main sent. */
export class CallError extends Error {
  readonly code: ErrorInfo['code']
  readonly retryAt?: number
  constructor(info: ErrorInfo) {
    super(info.message)
    this.code = info.code
    this.retryAt = info.retryAt
  }
}

function bridge() {
  const api = window.skyswitch
  if (!api) throw new CallError({ code: 'Internal', message: 'Skyswitch’s bridge is missing.' })
  return api
}

export async function call<N extends CallName>(name: N, request?: CallRequest<N>): Promise<CallResult<N>> {
  const res = await bridge().invoke(name, request)
  if (!res.ok) throw new CallError(res.error)
  return res.value
}

export function subscribe<E extends EventName>(event: E, listener: (p: EventPayloads[E]) => void): () => void {
  return bridge().on(event, listener)
}
