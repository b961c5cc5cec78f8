/**
 * What the per-language test looks for on each screen: English left over
 * (runs of three words from an English catalog value, so the detector is
 * built from the catalogs, never kept by hand) and controls that are clipped
 * or overlap at a width.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'

const ROOT = resolve(import.meta.dirname, '..', '..')
/** The window's catalogs, and main's once they exist (main's messages shown in the window). */
const CATALOGS = { window: 'src-renderer/src/locales', main: 'src-main/i18n/locales' }
export const mainHasCatalogs = existsSync(resolve(ROOT, CATALOGS.main, 'en.json'))

type Json = { [k: string]: string | Json }
export function catalog(tree: keyof typeof CATALOGS, lang: string): Json {
  const file = resolve(ROOT, CATALOGS[tree], `${lang}.json`)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : {}
}

const values = (c: Json | string): string[] => (typeof c === 'string' ? [c] : Object.values(c).flatMap(values))

/** A catalog value by key, for locating controls by what a person reads. */
export function text(c: Json, key: string, vars: Record<string, string | number> = {}): string {
  const v = key.split('.').reduce<Json | string | undefined>((o, k) => (typeof o === 'object' ? o[k] : undefined), c)
  if (typeof v !== 'string') throw new Error(`no catalog value ${key}`)
  return v.replace(/\{\{\s*(\w+)[^}]*\}\}/g, (_, name: string) => String(vars[name] ?? '')).replace(/<[^>]+>/g, '')
}

/** Names and technical words that stay as they are in every language: they break a run of English words. */
const NAMES =
  /\b(Skyswitch|Bluesky|PDS|OAuth|DID|AppView|Ozone|GNOME|Keyring|gnome-keyring|KWallet|KDE|macOS|Dock|Bearer|Authorization|basic_text|CMD|exec|env|URL|OK|Ctrl)\b/gi

/** Runs of Latin words, handles, addresses and names taken out; anything else (Japanese, digits) ends a run. */
function runs(s: string): string[][] {
  const cleaned = s
    .replace(/\{\{[^}]*\}\}|<[^>]+>/g, ' | ')
    .replace(/https?:\/\/\S+|@[\w.-]+|[\w.-]+\.(test|social|app)\b/g, ' | ')
    .replace(NAMES, ' | ')
  return cleaned
    .split(/[^A-Za-z’'\s,.;:!?()“”"-]+|\|/)
    .map((r) => (r.match(/[A-Za-z]+(?:['’][A-Za-z]+)?/g) ?? []).map((w) => w.toLowerCase()))
    .filter((r) => r.length >= 3)
}

const shingles = (words: string[]) => words.slice(0, -2).map((_, i) => words.slice(i, i + 3).join(' '))

/** Every three-word run of the English catalogs. */
export function englishDetector(): (s: string) => string[] {
  const known = new Set(
    [...values(catalog('window', 'en')), ...values(catalog('main', 'en'))].flatMap((v) => runs(v).flatMap(shingles)),
  )
  return (s) =>
    runs(s)
      .flatMap(shingles)
      .filter((w) => known.has(w))
}

/** Words that mark a sentence as English, for main's messages while main has no catalogs. */
const ENGLISH_WORDS = /\b(the|is|was|and|to|of|could|not|this|that|with|again|your)\b/gi
export const looksEnglish = (s: string) => (s.match(ENGLISH_WORDS) ?? []).length >= 2

export interface Shown {
  text: string
  /** Inside what main wrote ([data-source=main]). */
  main: boolean
}

/** What a person sees or hears on the screen: visible text, labels, titles, placeholders, options, the title. */
export async function shownTexts(page: Page): Promise<Shown[]> {
  return page.evaluate(() => {
    const out: { text: string; main: boolean }[] = [{ text: document.title, main: false }]
    const skip = 'code, kbd, .account-handle, .account-name, .mono, [aria-hidden="true"]'
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || !n.textContent?.trim() || el.closest(skip)) continue
      if (!el.checkVisibility() && el.tagName !== 'OPTION') continue
      out.push({ text: n.textContent, main: !!el.closest('[data-source="main"]') })
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!el.checkVisibility()) continue
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a)
        if (v) out.push({ text: v, main: false })
      }
    }
    return out
  })
}

/** Controls cut off by their own box or a clipping ancestor, overlapping another, or a page wider than the window. */
export async function fitProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    if (document.documentElement.scrollWidth > innerWidth) problems.push('the page scrolls sideways')
    const modal = document.querySelector('.modal')
    const scope = modal ?? document.body
    const controls = [
      ...scope.querySelectorAll<HTMLElement>(
        'button, a[href], input, select, [role=option], .badge, .active-mark, legend, label',
      ),
    ].filter((el) => el.checkVisibility())
    const name = (el: HTMLElement) =>
      (el.textContent || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 40)
    for (const el of controls) {
      if (el.tagName !== 'INPUT' && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto')
        problems.push(`"${name(el)}" is wider than its box`)
      const r = el.getBoundingClientRect()
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflow
        if (o === 'visible' || o.includes('auto') || o.includes('scroll')) continue
        const c = p.getBoundingClientRect()
        if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1)
          problems.push(`"${name(el)}" is clipped by its container`)
      }
    }
    // The part of a control actually on screen: a scrolling list shows only some rows.
    const onScreen = (el: Element) => {
      const r = el.getBoundingClientRect()
      let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom]
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflow === 'visible') continue
        const c = p.getBoundingClientRect()
        ;[left, top] = [Math.max(left, c.left), Math.max(top, c.top)]
        ;[right, bottom] = [Math.min(right, c.right), Math.min(bottom, c.bottom)]
      }
      return right > left && bottom > top ? { left, top, right, bottom } : null
    }
    const boxes = controls.flatMap((el) => {
      const r = onScreen(el)
      return r ? [{ el, r }] : []
    })
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!
        const b = boxes[j]!
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left)
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top)
        if (w > 1 && h > 1) problems.push(`"${name(a.el)}" overlaps "${name(b.el)}"`)
      }
    }
    return problems
  })
}
