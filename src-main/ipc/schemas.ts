/**
 * Runtime schemas for every call in the contract. Main-side only (the
 * renderer and preload never load a validator): main checks each request
 * here before anything runs.
 */
import { z } from 'zod'
import { type CallName, type CallRequests, COPY_KINDS, TOOL_COPY_KINDS } from './contract'

const did = z
  .string()
  .min(8)
  .max(2048)
  .regex(/^did:[a-z]+:[a-zA-Z0-9._:%-]+$/, 'must be a DID')
const service = z.string().trim().min(1).max(2048)

const loginRequest = z.strictObject({
  identifier: z.string().trim().min(1).max(2048),
  password: z.string().min(1).max(4096),
  service: service.optional(),
  authFactorToken: z.string().trim().min(1).max(256).optional(),
  allowTakendown: z.boolean().optional(),
})

const byDid = z.strictObject({ did })
const none = z.strictObject({}).optional()

/** name -> request schema. */
export const requestSchemas = {
  'app:getState': none,
  'accounts:login': loginRequest,
  'accounts:setActive': byDid,
  'accounts:reorder': z.strictObject({ dids: z.array(did).max(100_000) }),
  'accounts:check': byDid,
  'accounts:checkAll': none,
  'accounts:refresh': byDid,
  'accounts:signOut': byDid,
  'accounts:remove': byDid,
  'accounts:activate': byDid,
  'accounts:retry': byDid,
  'tokens:copy': z.strictObject({ did, kind: z.enum(COPY_KINDS) }),
  'tokens:revealAccess': byDid,
  'storage:choosePersistence': z.strictObject({ persistence: z.enum(['disk', 'memory']) }),
  'notices:dismiss': z.strictObject({ id: z.string().min(1).max(200) }),
  'proxy:status': none,
  'proxy:setRunning': z.strictObject({ running: z.boolean() }),
  'tools:copy': z.strictObject({ did, kind: z.enum(TOOL_COPY_KINDS) }),
  'settings:get': none,
  'settings:set': z.strictObject({
    clipboardClearSeconds: z.number().int().min(0).max(3600).optional(),
    closeToTray: z.boolean().optional(),
    startAtLogin: z.boolean().optional(),
  }),
  'glance:refresh': none,
  'accounts:oauthBegin': z.strictObject({ identifier: z.string().trim().max(2048), service: service.optional() }),
  'accounts:oauthFinish': z.strictObject({ attemptId: z.uuid() }),
  'accounts:oauthCancel': z.strictObject({ attemptId: z.uuid() }),
} as const satisfies { [N in CallName]: z.ZodType<CallRequests[N]> }

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, name)
}
