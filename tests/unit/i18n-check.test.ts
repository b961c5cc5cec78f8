import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkTree, type Tree } from '../../scripts/i18n-check'

const root = mkdtempSync(join(tmpdir(), 'skyswitch-i18n-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const tree: Tree = { name: 'fixture', sources: ['src/**/*.tsx'], catalogs: 'locales' }
const good = {
  en: {
    screen: { title: 'Accounts', items_one: '{{count}} account', items_other: '{{count}} accounts', app: 'Bluesky' },
  },
  ja: { screen: { title: 'アカウント', items_other: '{{count}} 件のアカウント', app: 'Bluesky' } },
  'pt-BR': {
    screen: {
      title: 'Contas',
      items_one: '{{count}} conta',
      items_many: '{{count}} de contas',
      items_other: '{{count}} contas',
      app: 'Bluesky',
    },
  },
}

/** A source using the keys, and catalogs changed by `edit`; the check's problems. */
async function check(edit: (c: typeof good) => void = () => undefined, extraKey?: string) {
  const dir = mkdtempSync(join(root, 'case-'))
  mkdirSync(join(dir, 'src'))
  mkdirSync(join(dir, 'locales'))
  const uses = ["t('screen.title')", "t('screen.items', { count: n })", "t('screen.app')"]
  if (extraKey) uses.push(`t('${extraKey}')`)
  writeFileSync(
    join(dir, 'src', 'screen.tsx'),
    `import { useTranslation } from 'react-i18next'\nexport function S({ n }: { n: number }) {\n  const { t } = useTranslation()\n  return <p>{[${uses.join(', ')}].join()}</p>\n}\n`,
  )
  const catalogs = structuredClone(good)
  edit(catalogs)
  for (const [lang, c] of Object.entries(catalogs))
    writeFileSync(join(dir, 'locales', `${lang}.json`), JSON.stringify(c))
  return checkTree(tree, dir)
}

describe('npm run i18n:check', () => {
  it('passes catalogs that match the code, with each language’s plural forms and names left as they are', async () => {
    expect(await check()).toEqual([])
  })

  it('fails on a key the code uses that a catalog lacks', async () => {
    expect(await check(undefined, 'screen.subtitle')).toEqual(
      expect.arrayContaining([
        { tree: 'fixture', kind: 'missing', language: 'en', key: 'screen.subtitle' },
        { tree: 'fixture', kind: 'missing', language: 'ja', key: 'screen.subtitle' },
        { tree: 'fixture', kind: 'missing', language: 'pt-BR', key: 'screen.subtitle' },
      ]),
    )
    // A plural form the language has (Portuguese _many) counts as a key.
    expect(await check((c) => delete (c['pt-BR'].screen as Partial<(typeof c)['pt-BR']['screen']>).items_many)).toEqual(
      [{ tree: 'fixture', kind: 'missing', language: 'pt-BR', key: 'screen.items_many' }],
    )
  })

  it('fails on a key no code uses, and on a plural form the language does not have', async () => {
    const problems = await check((c) => {
      Object.assign(c.en.screen, { old: 'Old' })
      Object.assign(c.ja.screen, { old: '古い', items_one: '{{count}} 件' })
    })
    expect(problems).toEqual([
      { tree: 'fixture', kind: 'unused', language: 'en', key: 'screen.old' },
      { tree: 'fixture', kind: 'unused', language: 'ja', key: 'screen.old' },
      { tree: 'fixture', kind: 'unused', language: 'ja', key: 'screen.items_one' },
    ])
  })

  it('fails on a value left in English or empty, and on a translation that drops a placeholder', async () => {
    const problems = await check((c) => {
      c.ja.screen.title = 'Accounts'
      c['pt-BR'].screen.title = ''
      c['pt-BR'].screen.items_other = 'contas'
    })
    expect(problems).toEqual(
      [
        { tree: 'fixture', kind: 'missing', language: 'pt-BR', key: 'screen.title' },
        { tree: 'fixture', kind: 'placeholders', language: 'pt-BR', key: 'screen.items_other' },
        { tree: 'fixture', kind: 'untranslated', language: 'ja', key: 'screen.title' },
      ].sort(byLanguageThenKind),
    )
  })

  it('skips a tree whose catalogs do not exist yet', async () => {
    expect(await checkTree({ ...tree, catalogs: 'nowhere' }, root)).toBeNull()
  })
})

function byLanguageThenKind(a: { language: string }, b: { language: string }) {
  return a.language.localeCompare(b.language)
}

describe('npm run i18n:check, on keys main builds from its tables', () => {
  it('a key counts as used only where the code names it, or a template of literals the code has', async () => {
    const dir = mkdtempSync(join(root, 'main-'))
    mkdirSync(join(dir, 'src'))
    mkdirSync(join(dir, 'locales'))
    writeFileSync(
      join(dir, 'src', 'menu.ts'),
      "const ROLES = ['quit', 'about']\nexport const labels = (t: (k: string) => string) => ROLES.map((r) => t(`menu.roles.${r}`))\nexport const err = { key: 'session.gone' }\n",
    )
    const catalog = (v: string) => ({
      menu: { roles: { quit: `${v} quit`, about: `${v} about`, fly: `${v} fly` } },
      errors: { session: { gone: `${v} gone`, lost: `${v} lost` } },
    })
    for (const [lang, v] of [
      ['en', 'EN'],
      ['ja', 'JA'],
      ['pt-BR', 'PT'],
    ] as const)
      writeFileSync(join(dir, 'locales', `${lang}.json`), JSON.stringify(catalog(v)))
    const mainTree: Tree = { name: 'main', sources: ['src/**/*.ts'], catalogs: 'locales', keysFromEnglish: true }
    const problems = await checkTree(mainTree, dir)
    expect(problems!.filter((p) => p.language === 'en')).toEqual([
      { tree: 'main', kind: 'unused', language: 'en', key: 'menu.roles.fly' },
      { tree: 'main', kind: 'unused', language: 'en', key: 'errors.session.lost' },
    ])
  })
})
