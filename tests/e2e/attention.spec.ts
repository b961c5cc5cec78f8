/**
 * The window tells the core whether anyone is looking (it sets how often
 * unread counts are read): at start, on visibilitychange, focus and blur,
 * through the real renderer, the bridge and the core's dispatcher. The core's
 * answer is the attention it now holds.
 */
import type { Page, Response } from '@playwright/test'
import { expect, test } from './fixtures'

/** The next app:attention call the page makes with this visibility, and the core's answer. */
function attention(page: Page, visible: boolean) {
  return page
    .waitForResponse((r: Response) => {
      const body = r.request().postDataJSON() as { name?: string; request?: { visible?: boolean } } | null
      return r.url().endsWith('/api/invoke') && body?.name === 'app:attention' && body.request?.visible === visible
    })
    .then(async (r) => ({
      sent: (r.request().postDataJSON() as { request: { visible: boolean; focused: boolean } }).request,
      answer: (await r.json()) as { ok: boolean; value?: { visible: boolean; focused: boolean } },
    }))
}

test('attention: the window says when it is seen, hidden and seen again, and the core holds it', async ({
  page,
  app,
}) => {
  const atStart = attention(page, true)
  await page.goto(app.url)
  const first = await atStart
  expect(first.answer).toEqual({ ok: true, value: first.sent })

  // Hidden (minimised, another tab, or the tray in Electron): visibilitychange says so.
  const hidden = attention(page, false)
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    document.dispatchEvent(new Event('visibilitychange'))
  })
  expect((await hidden).answer).toEqual({ ok: true, value: { visible: false, focused: false } })

  // Back and focused: the core hears it is seen again.
  const back = attention(page, true)
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
    Object.defineProperty(document, 'hasFocus', { configurable: true, value: () => true })
    document.dispatchEvent(new Event('visibilitychange'))
  })
  expect((await back).answer).toEqual({ ok: true, value: { visible: true, focused: true } })

  // Blur: still seen, no longer focused.
  const blurred = page.waitForResponse(async (r) => {
    const body = r.request().postDataJSON() as { name?: string; request?: { focused?: boolean } } | null
    return body?.name === 'app:attention' && body.request?.focused === false
  })
  await page.evaluate(() => {
    Object.defineProperty(document, 'hasFocus', { configurable: true, value: () => false })
    window.dispatchEvent(new Event('blur'))
  })
  expect(await (await blurred).json()).toEqual({ ok: true, value: { visible: true, focused: false } })
})
