/**
 * `npm run i18n:check`: the catalogs against the code, for each tree of
 * catalogs (the window's, main's). i18next-cli's extractor finds every key
 * the code uses (t(), i18n.t(), <Trans i18nKey>); this fails when one is
 * missing from a language, when a catalog holds a key no code uses, when a
 * Japanese or Portuguese value is empty or still the English one, or when a
 * translation drops or adds a {{placeholder}} or a <tag>. Plural keys need
 * exactly the forms each language has (Intl.PluralRules: Japanese only
 * _other). A tree whose catalogs do not exist is skipped and said so.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { findKeys } from 'i18next-cli'
import { LANGUAGES } from '../src-main/ipc/languages'

export interface Tree {
  name: string
  /** Globs of the sources, from the root. */
  sources: string[]
  ignore?: string[]
  /** Folder of <language>.json catalogs, from the root. */
  catalogs: string
  /**
   * Keys are built at run time from the code's own tables (error codes, menu
   * roles, notice kinds), which no extractor can follow: English's catalog is
   * the list of keys, the other languages are held to it, and a key counts as
   * used only where the code names it (see `mentioned`).
   */
  keysFromEnglish?: boolean
}

export const TREES: Tree[] = [
  { name: 'window', sources: ['src-renderer/src/**/*.{ts,tsx}'], catalogs: 'src-renderer/src/locales' },
  {
    name: 'main',
    sources: ['src-main/**/*.ts'],
    ignore: ['src-main/i18n/locales/**'],
    catalogs: 'src-main/i18n/locales',
    keysFromEnglish: true,
  },
]

/** Values a translation may share with English: names, and words the languages borrow as they are. */
export const SAME_IN_EVERY_LANGUAGE = new Set(['Skyswitch', 'Bluesky', 'PDS', 'OAuth', 'DID', 'OK', 'demo', 'Zoom'])

export type ProblemKind = 'missing' | 'unused' | 'untranslated' | 'placeholders'
export interface Problem {
  tree: string
  kind: ProblemKind
  language: string
  key: string
}

const PLURAL = /_(zero|one|two|few|many|other)$/
type Catalog = Record<string, string>

function flatten(value: unknown, prefix = '', out: Catalog = {}): Catalog {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else out[prefix] = typeof value === 'string' ? value : String(value)
  return out
}

/** The placeholders and tags of a value, sorted: a translation must keep the same. */
const marks = (v: string) => [...v.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}|<\/?(\w+)\s*\/?>/g)].map((m) => m[0]).sort()
/** Whether a value has words to translate, apart from its placeholders and tags. */
const hasWords = (v: string) =>
  /\p{L}/u.test(
    v
      .replace(/\{\{[^}]*\}\}|<[^>]*>/g, '')
      .split(/\s+/)
      .filter((w) => !SAME_IN_EVERY_LANGUAGE.has(w.replace(/\p{P}+$/u, '')))
      .join(' '),
  )

/** Every key the sources use, each plural key once per form the language has. */
async function usedKeys(tree: Tree, root: string): Promise<{ plain: Set<string>; plural: Set<string> }> {
  // Globs from the root, with forward slashes (what the extractor's glob expects).
  const at = (glob: string) => `${root.replaceAll('\\', '/')}/${glob}`
  const { allKeys } = await findKeys({
    locales: [...LANGUAGES],
    extract: {
      input: tree.sources.map(at),
      ignore: tree.ignore?.map(at),
      output: `${tree.catalogs}/{{language}}.json`,
      functions: ['t', 'i18n.t', 'i18next.t'],
      transComponents: ['Trans'],
      defaultNS: false,
      nsSeparator: false,
      keySeparator: '.',
    },
  })
  const plain = new Set<string>()
  const plural = new Set<string>()
  for (const k of allKeys.values()) {
    if (k.hasCount) plural.add(k.key.replace(PLURAL, ''))
    else plain.add(k.key)
  }
  return { plain, plural }
}

/** The string literals of the sources, and their template literals as patterns (each ${…} one key segment). */
function literalsOf(tree: Tree, root: string): { strings: Set<string>; templates: RegExp[] } {
  const strings = new Set<string>()
  const templates: RegExp[] = []
  const top = resolve(root, tree.sources[0]!.split('/**')[0]!)
  const skip = (tree.ignore ?? []).map((g) => resolve(root, g.split('/**')[0]!))
  const files = readdirSync(top, { recursive: true, encoding: 'utf8' })
    .map((f) => join(top, f))
    .filter((f) => f.endsWith('.ts') && !skip.some((s) => !relative(s, f).startsWith('..')))
  for (const file of files) {
    const src = readFileSync(file, 'utf8')
    for (const m of src.matchAll(/'([^'\n]*)'|"([^"\n]*)"/g)) strings.add(m[1] ?? m[2]!)
    for (const m of src.matchAll(/`([^`]*)`/g)) {
      const parts = m[1]!.split(/\$\{[^}]*\}/)
      if (parts.length === 1) strings.add(parts[0]!)
      else if (parts.some(Boolean))
        templates.push(new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('([\\w-]+)')}$`))
    }
  }
  return { strings, templates }
}

/**
 * Whether the code names a key: the key, or its tail of two segments or more
 * (`key: 'session.wrongPassword'` under `errors.`), as a literal; or a template
 * such as `menu.roles.${r}` whose every ${…} stands for a literal of the code.
 */
function mentioned(key: string, code: { strings: Set<string>; templates: RegExp[] }): boolean {
  const segments = key.split('.')
  const tails = segments.slice(0, -1).map((_, i) => segments.slice(i).join('.'))
  if (tails.some((t) => code.strings.has(t))) return true
  return tails.some((t) =>
    code.templates.some((rx) => {
      const m = rx.exec(t)
      return m !== null && m.slice(1).every((v) => code.strings.has(v))
    }),
  )
}

/** A catalog's keys, plural keys once (without their form). */
function keysOf(catalog: Catalog): { plain: Set<string>; plural: Set<string> } {
  const plain = new Set<string>()
  const plural = new Set<string>()
  for (const key of Object.keys(catalog)) {
    if (PLURAL.test(key)) plural.add(key.replace(PLURAL, ''))
    else plain.add(key)
  }
  return { plain, plural }
}

/** The problems of one tree, or null when its catalogs do not exist (yet). */
export async function checkTree(tree: Tree, root: string): Promise<Problem[] | null> {
  const dir = resolve(root, tree.catalogs)
  if (!existsSync(dir)) return null
  const problems: Problem[] = []
  const say = (kind: ProblemKind, language: string, key: string) =>
    problems.push({ tree: tree.name, kind, language, key })
  const catalogs = Object.fromEntries(
    LANGUAGES.map((l) => {
      const file = join(dir, `${l}.json`)
      return [l, existsSync(file) ? flatten(JSON.parse(readFileSync(file, 'utf8'))) : {}]
    }),
  ) as Record<string, Catalog>
  const english = catalogs.en!
  const { plain, plural } = tree.keysFromEnglish ? keysOf(english) : await usedKeys(tree, root)
  if (tree.keysFromEnglish) {
    const code = literalsOf(tree, root)
    for (const key of [...plain, ...plural]) {
      if (mentioned(key, code)) continue
      for (const language of LANGUAGES) say('unused', language, key)
    }
  }
  for (const language of LANGUAGES) {
    const catalog = catalogs[language]!
    const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories
    const wanted = new Set([...plain, ...[...plural].flatMap((k) => forms.map((f) => `${k}_${f}`))])
    for (const key of wanted) if (!(key in catalog) || catalog[key]!.trim() === '') say('missing', language, key)
    for (const key of Object.keys(catalog)) if (!wanted.has(key)) say('unused', language, key)
    if (language === 'en') continue
    for (const [key, value] of Object.entries(catalog)) {
      if (!wanted.has(key) || value.trim() === '') continue
      // A plural form English lacks (Portuguese _many) is compared with English's _other.
      const source = english[key] ?? english[key.replace(PLURAL, '_other')]
      if (source === undefined) continue
      if (value === source && hasWords(value) && !SAME_IN_EVERY_LANGUAGE.has(value)) say('untranslated', language, key)
      if (marks(value).join() !== marks(source).join()) say('placeholders', language, key)
    }
  }
  return problems
}

async function main() {
  const root = resolve(import.meta.dirname, '..')
  let failed = false
  for (const tree of TREES) {
    const problems = await checkTree(tree, root)
    if (problems === null) {
      process.stdout.write(`i18n: ${tree.name}: no catalogs in ${tree.catalogs}, skipped\n`)
      continue
    }
    for (const p of problems) process.stderr.write(`i18n: ${p.tree}: ${p.kind} in ${p.language}: ${p.key}\n`)
    if (problems.length > 0) failed = true
    else if (tree.keysFromEnglish)
      process.stdout.write(`i18n: ${tree.name}: every key in ${tree.catalogs} is named by the code and translated\n`)
    else process.stdout.write(`i18n: ${tree.name}: every key in ${tree.catalogs} is used and translated\n`)
  }
  if (failed) process.exitCode = 1
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main()
