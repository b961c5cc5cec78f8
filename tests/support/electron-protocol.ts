/**
 * The stand-in's `protocol` module (tests/support/electron.ts): schemes made
 * privileged, which Electron allows only before the app is ready, and the
 * handlers given to protocol.handle, which it allows only after; a test calls
 * a recorded handler with a Request, as Chromium would.
 */
type Handler = (request: Request) => Response | Promise<Response>

export interface CustomScheme {
  scheme: string
  privileges?: Record<string, boolean>
}

export function standInProtocol(isReady: () => boolean) {
  return {
    privileged: [] as CustomScheme[],
    handlers: new Map<string, Handler>(),
    registerSchemesAsPrivileged(schemes: CustomScheme[]) {
      if (isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
      this.privileged.push(...schemes)
    },
    handle(scheme: string, handler: Handler) {
      if (!isReady()) throw new Error('protocol.handle cannot be used before the app is ready')
      if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`)
      this.handlers.set(scheme, handler)
    },
    unhandle(scheme: string) {
      this.handlers.delete(scheme)
    },
    isProtocolHandled(scheme: string) {
      return this.handlers.has(scheme)
    },
  }
}
