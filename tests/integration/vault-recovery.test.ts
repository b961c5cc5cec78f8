/**
 * The vault keeps its last good generation: a damaged main file recovers
 * every account as of the last successful write, leftovers of interrupted
 * writes are cleaned at start, and every file it keeps is the owner's alone.
 */
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { type Clock, systemClock } from '../../src-main/core/clock'
import { type Tokens, Vault } from '../../src-main/core/vault/vault'
import { openConf, tempDir } from '../support/core'
import { fakeMeta, fakeTokens } from '../support/fake-tokens'

const open = (dataDir: string, clock?: Clock) =>
  Vault.open({ dataDir, cipher: new KeyFileCipher(dataDir), openStore: openConf, clock })
const main = (dir: string) => join(dir, 'vault.json')
const modeOf = (path: string) => statSync(path).mode & 0o777
const backups = (dir: string, label: string) => readdirSync(dir).filter((f) => f.startsWith(`vault.${label}-`))

/** Three signed-in accounts, a chosen order and active account: what must come back. */
async function populated(dir: string) {
  const v = await open(dir)
  const tokens = new Map<string, Tokens>()
  for (const i of [1, 2, 3]) {
    const t = fakeTokens()
    tokens.set(fakeMeta(i).did, t)
    await v.saveAccount(fakeMeta(i), t)
  }
  await v.setOrder([fakeMeta(3).did, fakeMeta(1).did, fakeMeta(2).did])
  await v.setActive(fakeMeta(2).did)
  return { list: v.list(), activeDid: v.activeDid, tokens, generation: v.generation }
}

async function expectRestored(dir: string, before: Awaited<ReturnType<typeof populated>>) {
  const v = await open(dir)
  expect(v.list()).toEqual(before.list)
  expect(v.activeDid).toBe(before.activeDid)
  for (const [did, t] of before.tokens) expect(v.getTokens(did)).toEqual(t)
  expect(v.notices).toHaveLength(1)
  expect(v.notices[0]).toMatchObject({ kind: 'vault-recovered' })
  expect(v.notices[0]?.message).toMatch(/restored 3 accounts as of the last successful save/)
  return v
}

describe('the last good generation', () => {
  it('a half-truncated file brings back every account as of the last write', async () => {
    const dir = tempDir()
    const before = await populated(dir)
    const text = readFileSync(main(dir), 'utf8')
    truncateSync(main(dir), Math.floor(text.length / 2))
    const v = await expectRestored(dir, before)
    // The damaged file is kept aside, byte for byte, and named in the notice.
    const aside = backups(dir, 'corrupt')
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text.slice(0, Math.floor(text.length / 2)))
    expect(v.notices[0]?.message).toContain(aside[0])
    expect(v.notices[0]?.message).toContain('cut short')
  })

  it('an empty file, unparsable JSON and JSON that is not an object all recover', async () => {
    for (const damage of ['', '\u0000\u0000\u0000', '{"schemaVersion": 2, "accounts": {"did:', 'null', '[1,2]']) {
      const dir = tempDir()
      const before = await populated(dir)
      writeFileSync(main(dir), damage)
      await expectRestored(dir, before)
    }
  })

  it('a header damaged inside valid JSON recovers too', async () => {
    const dir = tempDir()
    const before = await populated(dir)
    const file = JSON.parse(readFileSync(main(dir), 'utf8'))
    file.order = 'garbage'
    writeFileSync(main(dir), JSON.stringify(file))
    await expectRestored(dir, before)
  })

  it('a missing main file beside a previous copy recovers, and says so', async () => {
    const dir = tempDir()
    const before = await populated(dir)
    unlinkSync(main(dir))
    const v = await expectRestored(dir, before)
    expect(v.notices[0]?.message).toMatch(/was missing/)
  })

  it('the restore is written back: the next start is clean, and later writes go on from it', async () => {
    const dir = tempDir()
    const before = await populated(dir)
    writeFileSync(main(dir), '{')
    const v = await expectRestored(dir, before)
    await v.saveAccount(fakeMeta(4), fakeTokens())
    const again = await open(dir)
    expect(again.notices).toEqual([])
    expect(again.list()).toHaveLength(4)
    expect(again.generation).toBeGreaterThan(before.generation)
  })

  it('when the previous copy is damaged as well, both are kept aside and the list starts empty', async () => {
    const dir = tempDir()
    await populated(dir)
    writeFileSync(main(dir), '{"broken')
    writeFileSync(`${main(dir)}.prev`, 'also broken')
    const v = await open(dir)
    expect(v.list()).toEqual([])
    expect(v.notices).toHaveLength(1)
    expect(v.notices[0]?.message).toMatch(/no good earlier copy/)
    expect(backups(dir, 'corrupt')).toHaveLength(2)
    expect(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(
      expect.arrayContaining(['{"broken', 'also broken']),
    )
  })

  it('a file from a newer version is not damage: Skyswitch refuses to start and leaves it untouched', async () => {
    const dir = tempDir()
    await populated(dir)
    const newer = JSON.stringify({ schemaVersion: 99, somethingNew: true })
    writeFileSync(main(dir), newer)
    await expect(open(dir)).rejects.toMatchObject({ code: 'StorageError', message: /newer version/ })
    expect(readFileSync(main(dir), 'utf8')).toBe(newer)
    expect(backups(dir, 'unknown')).toEqual([])
  })

  it('a backup is never overwritten, even two in the same millisecond', async () => {
    const dir = tempDir()
    const frozen: Clock = { ...systemClock, now: () => Date.UTC(2026, 0, 1) }
    await populated(dir)
    writeFileSync(main(dir), 'first damage')
    await open(dir, frozen)
    writeFileSync(main(dir), 'second damage')
    await open(dir, frozen)
    const contents = backups(dir, 'corrupt').map((f) => readFileSync(join(dir, f), 'utf8'))
    expect(contents.sort()).toEqual(['first damage', 'second damage'])
  })

  it('memory-only persistence: the previous copy holds no tokens either', async () => {
    const dir = tempDir()
    const v = await open(dir)
    await v.saveAccount(fakeMeta(1), fakeTokens())
    expect(readFileSync(`${main(dir)}.prev`, 'utf8')).toContain('sealedTokens')
    await v.setPersistence('memory')
    expect(readFileSync(`${main(dir)}.prev`, 'utf8')).not.toContain('sealedTokens')
    expect(readFileSync(`${main(dir)}.prev`, 'utf8')).toBe(readFileSync(main(dir), 'utf8'))
  })
})

type VaultOp =
  | { kind: 'save'; i: number }
  | { kind: 'signOut'; i: number }
  | { kind: 'remove'; i: number }
  | { kind: 'activate'; i: number }
  | { kind: 'reverse' }
type Damage = { kind: 'truncate'; at: number } | { kind: 'delete' } | { kind: 'garbage'; text: string }

describe('the last good generation, for any history and any damage', () => {
  it('reopening after damage to the main file gives exactly the state of the last write', async () => {
    const vaultOp: fc.Arbitrary<VaultOp> = fc.oneof(
      fc.nat(5).map((i) => ({ kind: 'save' as const, i })),
      fc.nat(5).map((i) => ({ kind: 'signOut' as const, i })),
      fc.nat(5).map((i) => ({ kind: 'remove' as const, i })),
      fc.nat(5).map((i) => ({ kind: 'activate' as const, i })),
      fc.constant({ kind: 'reverse' as const }),
    )
    const damage: fc.Arbitrary<Damage> = fc.oneof(
      fc.double({ min: 0, max: 0.999, noNaN: true }).map((at) => ({ kind: 'truncate' as const, at })),
      fc.constant({ kind: 'delete' as const }),
      fc.string({ maxLength: 40 }).map((text) => ({ kind: 'garbage' as const, text })),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(vaultOp, { minLength: 1, maxLength: 12 }), damage, async (ops, hurt) => {
        const dir = tempDir()
        const v = await open(dir)
        for (const o of ops) {
          const did = fakeMeta(o.kind === 'reverse' ? 0 : o.i).did
          const known = !!v.get(did)
          if (o.kind === 'save') await v.saveAccount(fakeMeta(o.i), fakeTokens())
          if (o.kind === 'signOut' && known) await v.saveAccount(fakeMeta(o.i), null)
          if (o.kind === 'remove') await v.remove(did)
          if (o.kind === 'activate' && known) await v.setActive(did)
          if (o.kind === 'reverse')
            await v.setOrder(
              v
                .list()
                .map((a) => a.did)
                .reverse(),
            )
        }
        const expected = { list: v.list(), active: v.activeDid, tokens: v.list().map((a) => v.getTokens(a.did)) }
        const text = readFileSync(main(dir), 'utf8')
        if (hurt.kind === 'truncate') truncateSync(main(dir), Math.floor(text.length * hurt.at))
        if (hurt.kind === 'delete') unlinkSync(main(dir))
        if (hurt.kind === 'garbage') writeFileSync(main(dir), hurt.text.startsWith('{') ? hurt.text : `{${hurt.text}`)
        const again = await open(dir)
        expect(again.list()).toEqual(expected.list)
        expect(again.activeDid).toBe(expected.active)
        expect(again.list().map((a) => again.getTokens(a.did))).toEqual(expected.tokens)
        expect(again.notices.map((n) => n.kind)).toEqual(['vault-recovered'])
      }),
      { numRuns: 60 },
    )
  })
})

describe('files at start', () => {
  it('leftover temp files of interrupted writes are removed; nothing else is', async () => {
    const dir = tempDir()
    await populated(dir)
    const leftovers = ['vault.json.tmp-1763800000123abcdef', 'vault.json.prev.tmp-4242-0badcafe']
    const keep = ['vault.json.tmpnotes', 'notes.json.tmp-1763800000123abcdef']
    for (const f of [...leftovers, ...keep]) writeFileSync(join(dir, f), 'partial')
    await open(dir)
    for (const f of leftovers) expect(existsSync(join(dir, f)), f).toBe(false)
    for (const f of keep) expect(existsSync(join(dir, f)), f).toBe(true)
  })

  it('the vault, its previous copy and every backup are 0600', async () => {
    const dir = tempDir()
    await populated(dir)
    expect(modeOf(main(dir))).toBe(0o600)
    expect(modeOf(`${main(dir)}.prev`)).toBe(0o600)
    // A damaged entry, an undecryptable token, a damaged file: each leaves a backup.
    const file = JSON.parse(readFileSync(main(dir), 'utf8'))
    file.accounts[fakeMeta(1).did].hosting = 17
    const sealed: string = file.accounts[fakeMeta(2).did].sealedTokens
    file.accounts[fakeMeta(2).did].sealedTokens = sealed.slice(0, -6) + 'AAAAAA'
    writeFileSync(main(dir), JSON.stringify(file), { mode: 0o644 })
    chmodSync(main(dir), 0o644)
    await open(dir)
    writeFileSync(main(dir), '{', { mode: 0o644 })
    chmodSync(main(dir), 0o644)
    await open(dir)
    const kept = readdirSync(dir).filter((f) => f.startsWith('vault.'))
    expect(kept.filter((f) => /^vault\.(damaged|unreadable|corrupt)-/.test(f))).toHaveLength(3)
    for (const f of kept) expect(modeOf(join(dir, f)), f).toBe(0o600)
  })

  it('a vault file an older version left readable by others is made 0600 at start', async () => {
    const dir = tempDir()
    await populated(dir)
    chmodSync(main(dir), 0o644)
    await open(dir)
    expect(modeOf(main(dir))).toBe(0o600)
  })
})
