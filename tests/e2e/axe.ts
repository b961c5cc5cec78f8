import { AxeBuilder } from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures'

/** WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice']
const THEMES = ['light', 'dark'] as const
const WIDTHS = [1400, 400] as const

/** Every serious or critical violation seen so far in this file: rule, impact, screen, targets. */
export const blocking: string[] = []

/**
 * Runs axe on what is on screen now, in light and dark at 1400 and 400 px,
 * prints one line per run with its counts, and records serious and critical
 * violations (the caller asserts there are none, after every screen).
 * `ready` is waited for after each change of theme or width.
 */
export async function measure(page: Page, screen: string, ready?: Locator): Promise<void> {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme })
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
      if (ready) await expect(ready).toBeVisible()
      const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze()
      const count = (impact: string) =>
        violations.filter((v) => v.impact === impact).reduce((n, v) => n + v.nodes.length, 0)
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      for (const v of bad) {
        const targets = v.nodes.map((n) => n.target.join(' ')).join(' | ')
        blocking.push(`${v.id} (${v.impact}) on ${screen} ${theme} ${width}: ${targets}`)
      }
      const serious = bad.reduce((n, v) => n + v.nodes.length, 0)
      console.log(
        `axe ${screen} ${theme} ${width}: ${serious} serious/critical, ${count('moderate')} moderate, ${count('minor')} minor`,
      )
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1200, height: 800 })
}

/** Runs axe on the screen in both themes and widths; none of its runs may find a serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const before = blocking.length
  await measure(page, screen)
  expect(blocking.slice(before), blocking.slice(before).join('\n')).toEqual([])
}
