import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures'

/** What has focus, and whether it shows it (matches :focus-visible and draws an outline or a ring). */
function focusNow(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return null
    const cs = getComputedStyle(el)
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0
    return {
      name: (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 50),
      shown: el.matches(':focus-visible') && (outline || cs.boxShadow !== 'none'),
    }
  })
}

/** The focused control shows a focus indicator. */
export async function expectFocusVisible(page: Page, step: string): Promise<void> {
  const f = await focusNow(page)
  expect(f, `${step}: nothing in the window has focus`).not.toBeNull()
  expect(f!.shown, `${step}: focus on "${f!.name}" is not visible`).toBe(true)
}

/** `target` has focus, and shows it. */
export async function expectFocusOn(page: Page, target: Locator, step: string): Promise<void> {
  await expect(target, step).toBeFocused()
  await expectFocusVisible(page, step)
}

/**
 * Presses Tab (Shift+Tab with `back`) until `target` has focus; at every stop
 * in the window, focus is visible.
 */
export async function tabTo(page: Page, target: Locator, back = false): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return expectFocusVisible(page, 'tabbed to')
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
    if ((await focusNow(page)) !== null) await expectFocusVisible(page, `tabbing to ${String(target)}`)
  }
  throw new Error(`Tab never reached ${String(target)}`)
}

/** Tabs to a button and presses Enter on it. */
export async function press(page: Page, target: Locator, back = false): Promise<void> {
  await tabTo(page, target, back)
  await page.keyboard.press('Enter')
}
