/**
 * The only bridge between the sandboxed renderer and main: one frozen API
 * object with a typed invoke and event subscriptions that return their own
 * unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  type EventName,
  type EventPayloads,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type SkyswitchApi,
} from '../ipc/contract'

type AnyListener = (payload: unknown) => void
const listeners = new Map<EventName, Set<AnyListener>>()

// One IPC listener for all events; subscribers are kept here, so removing one
// removes exactly the function that was added.
ipcRenderer.on(IPC_EVENT_CHANNEL, (_e: IpcRendererEvent, event: EventName, payload: unknown) => {
  listeners.get(event)?.forEach((l) => l(payload))
})

const api: SkyswitchApi = {
  invoke: (name, request) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, request),
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    const l = listener as AnyListener
    set.add(l)
    return () => {
      set.delete(l)
    }
  },
}

contextBridge.exposeInMainWorld('skyswitch', Object.freeze(api))
