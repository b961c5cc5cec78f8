import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { schemas } from '@atproto/api'
import type { LexiconDoc } from '@atproto/lexicon'
import { describe, expect, it } from 'vitest'
import { sessionLexicons } from '../../src-main/core/session/session-lexicons'

const SESSION = resolve(import.meta.dirname, '../../src-main/core/session')
const byId = new Map<string, LexiconDoc>(schemas.map((d) => [d.id, d as LexiconDoc]))

/** Every method the session client names (the legacy com.atproto.session.* are in legacy-lexicons.ts). */
function calledMethods(): string[] {
  const source = readFileSync(resolve(SESSION, 'session-client.ts'), 'utf8')
  const names = [...source.matchAll(/'((?:com|app|chat|tools)\.[a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1]!)
  return [...new Set(names)].filter((n) => !n.startsWith('com.atproto.session.'))
}

/** Those methods' lexicons and, transitively, every lexicon they refer to (ref / refs), in a stable order. */
function closure(roots: string[]): LexiconDoc[] {
  const seen = new Set<string>()
  const visit = (id: string) => {
    if (seen.has(id)) return
    const doc = byId.get(id)
    if (!doc) throw new Error(`@atproto/api has no lexicon ${id}`)
    seen.add(id)
    const ref = (r: string) => {
      const target = r.replace(/^lex:/, '').split('#')[0]
      if (target) visit(target)
    }
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk)
      if (!v || typeof v !== 'object') return
      for (const [k, x] of Object.entries(v)) {
        if (k === 'ref' && typeof x === 'string') ref(x)
        else if (k === 'refs' && Array.isArray(x)) x.forEach((r) => ref(String(r)))
        else walk(x)
      }
    }
    walk(doc.defs)
  }
  roots.forEach(visit)
  return [...seen].sort().map((id) => byId.get(id)!)
}

describe('the lexicons the session client carries', () => {
  it('are exactly the ones its calls need, as @atproto/api ships them', () => {
    const wanted = closure(calledMethods())
    if (process.env.SKYSWITCH_UPDATE_LEXICONS === '1') {
      writeFileSync(resolve(SESSION, 'session-lexicons.json'), `${JSON.stringify(wanted, null, 2)}\n`)
      return
    }
    expect(calledMethods()).toContain('app.bsky.actor.getProfile')
    expect(sessionLexicons).toEqual(wanted)
  })
})
