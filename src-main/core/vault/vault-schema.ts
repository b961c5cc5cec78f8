import { z } from 'zod'
import { HOSTING_STATUSES } from '../../ipc/contract'

/** The current on-disk schema version; migrations bring older files up to it. */
export const VAULT_SCHEMA_VERSION = 2

export const storedAccount = z.object({
  did: z.string().startsWith('did:'),
  handle: z.string().min(1),
  service: z.string().url(),
  pdsUrl: z.string().url(),
  email: z.string().optional(),
  emailConfirmed: z.boolean().optional(),
  hosting: z.enum(HOSTING_STATUSES),
  signedIn: z.boolean(),
  scope: z.enum(['full', 'app-password', 'takendown', 'unknown']),
  /** How the account signs in; absent means password (every account before OAuth). */
  auth: z.enum(['password', 'oauth']).optional(),
  displayName: z.string().optional(),
  avatar: z.string().optional(),
  accessExpiresAt: z.number().optional(),
  refreshExpiresAt: z.number().optional(),
  lastRefreshAt: z.number().optional(),
  lastCheckedAt: z.number().optional(),
  /** safeStorage / key-file ciphertext of {accessJwt, refreshJwt}; never clear text. */
  sealedTokens: z.string().optional(),
})
export type StoredAccount = z.infer<typeof storedAccount>

export const vaultHeader = z.object({
  schemaVersion: z.literal(VAULT_SCHEMA_VERSION),
  /** Bumped on every write: a later write always carries a larger number. */
  generation: z.number().int().nonnegative(),
  backend: z.object({ id: z.string(), name: z.string() }).nullable(),
  persistence: z.enum(['disk', 'memory']),
  persistenceChosen: z.boolean(),
  activeDid: z.string().nullable(),
  order: z.array(z.string()),
  dialects: z.record(z.string(), z.enum(['current', 'legacy'])),
  /** App settings (core/settings.ts vets each field); absent in older files. */
  settings: z.record(z.string(), z.unknown()).optional(),
  // Entries are checked one by one (a bad one must not sink the rest).
  accounts: z.custom<Record<string, unknown>>((v) => !!v && typeof v === 'object' && !Array.isArray(v)),
})
export type VaultHeader = z.infer<typeof vaultHeader>

export interface VaultData extends Omit<VaultHeader, 'accounts'> {
  accounts: Record<string, StoredAccount>
}

export function emptyVault(): VaultData {
  return {
    schemaVersion: VAULT_SCHEMA_VERSION,
    generation: 0,
    backend: null,
    persistence: 'disk',
    persistenceChosen: false,
    activeDid: null,
    order: [],
    dialects: {},
    accounts: {},
  }
}

/**
 * Version 1 (the first release) kept accounts as an array with `status` and
 * `tokens`; version 2 keys them by DID and splits hosting status from the
 * session. Each step takes the previous version's object and returns the next.
 */
const migrations: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  1: (old) => {
    const list = Array.isArray(old.accounts) ? (old.accounts as Record<string, unknown>[]) : []
    const accounts: Record<string, unknown> = {}
    for (const a of list) {
      if (typeof a?.did !== 'string') continue
      const status = typeof a.status === 'string' ? a.status : 'active'
      accounts[a.did] = {
        did: a.did,
        handle: a.handle,
        service: a.service,
        pdsUrl: a.pdsUrl ?? a.service,
        hosting: ['takendown', 'suspended', 'deactivated'].includes(status) ? status : 'active',
        signedIn: typeof a.tokens === 'string',
        scope: 'unknown',
        accessExpiresAt: a.accessExpiresAt,
        sealedTokens: typeof a.tokens === 'string' ? a.tokens : undefined,
      }
    }
    return {
      schemaVersion: 2,
      generation: typeof old.generation === 'number' ? old.generation : 0,
      backend: old.backend ?? null,
      persistence: 'disk',
      persistenceChosen: false,
      activeDid: typeof old.activeDid === 'string' ? old.activeDid : null,
      order: Object.keys(accounts),
      dialects: {},
      accounts,
    }
  },
}

export function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  let data = raw
  let version = typeof data.schemaVersion === 'number' ? data.schemaVersion : 1
  while (version < VAULT_SCHEMA_VERSION) {
    const step = migrations[version]
    if (!step) throw new Error(`no migration from schema ${version}`)
    data = step(data)
    version = data.schemaVersion as number
  }
  return data
}
