// Stands in for the undici_v6/v7/v8 packages @atproto-labs/fetch-node bundles
// to build its SSRF guard (an Agent it hands to the global fetch). It picks the
// major that matches process.versions.undici; this gives it the runtime's own
// Agent class, the one Node's fetch dispatches through, so the guard is built
// from the same code the request runs on and no second HTTP client is bundled.
// Reading a lazy fetch global loads Node's undici, which installs its Agent as
// the global dispatcher; this runs as the bundle loads, before any app code.
const loaded = typeof globalThis.Headers === 'function'
const RuntimeAgent = loaded ? globalThis[Symbol.for('undici.globalDispatcher.1')]?.constructor : undefined

export function Agent(options) {
  if (typeof RuntimeAgent !== 'function' || RuntimeAgent.name !== 'Agent' || !RuntimeAgent.prototype.compose) {
    throw new Error(`no undici Agent found in this runtime (undici ${process.versions.undici})`)
  }
  return new RuntimeAgent(options)
}
