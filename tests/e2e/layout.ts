import type { Page } from '@playwright/test'

export type Box = { x: number; y: number; width: number; height: number }

export const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/**
 * Every visible box of `covers` (notices and toasts by default) and every
 * visible control outside them (within `scope`, say an open dialog), each
 * cut to what is actually on screen.
 */
export async function layout(page: Page, covers = '.app-banners .banner, .toast', scope = 'body') {
  return page.evaluate(
    ([coverSelector, scopeSelector]) => {
      // The part of an element actually on screen: clipped by every scrolling ancestor.
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect()
        let [l, t, rt, b] = [r.left, r.top, r.right, r.bottom]
        for (let p = el.parentElement; p; p = p.parentElement) {
          if (getComputedStyle(p).overflow === 'visible') continue
          const c = p.getBoundingClientRect()
          ;[l, t, rt, b] = [Math.max(l, c.left), Math.max(t, c.top), Math.min(rt, c.right), Math.min(b, c.bottom)]
        }
        ;[l, t, rt, b] = [Math.max(l, 0), Math.max(t, 0), Math.min(rt, innerWidth), Math.min(b, innerHeight)]
        return rt - l > 0 && b - t > 0 ? { x: l, y: t, width: rt - l, height: b - t } : null
      }
      const notices = [...document.querySelectorAll(coverSelector)]
        .map((el) => ({ text: el.textContent?.slice(0, 60) ?? '', box: visible(el) }))
        .filter((n) => n.box)
      const within = document.querySelector(scopeSelector) ?? document.body
      const controls = [...within.querySelectorAll('button, a[href], input, select, [role=option]')]
        .filter((el) => !el.closest('.app-banners, .toast-region'))
        .map((el) => ({ text: (el.textContent || el.getAttribute('aria-label') || '').slice(0, 40), box: visible(el) }))
        .filter((c) => c.box)
      return { notices, controls }
    },
    [covers, scope] as const,
  )
}
