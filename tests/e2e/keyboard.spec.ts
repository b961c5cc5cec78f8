/**
 * The window by keyboard alone, with focus always visible and given back
 * when a dialog or pane closes; reduced motion; text at 200 %.
 */
import type { Page } from '@playwright/test'
import { createAccount, type TestAccount } from '../support/network'
import { expect, net, signInThroughUi, test } from './fixtures'
import { expectFocusOn, press, tabTo } from './keys'
import { intersects, layout } from './layout'
import { statusBanner } from './locators'

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const listRow = (page: Page, a: TestAccount) =>
  page.getByRole('listbox', { name: 'Accounts' }).getByRole('option', { name: new RegExp(`@${esc(a.handle)}`) })
const heading = (page: Page, a: TestAccount) => page.getByRole('heading', { level: 1, name: a.handle })

/** Fills the open login form with the keyboard and submits it with Enter. */
async function addByKeyboard(page: Page, a: TestAccount) {
  await expectFocusOn(page, page.getByLabel('Handle, DID or email'), 'the form opens on its first field')
  await page.keyboard.type(a.handle)
  await tabTo(page, page.getByLabel('Password'))
  await page.keyboard.type(a.password)
  await tabTo(page, page.getByLabel('Hosting provider'))
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type(net.pdsUrl)
  await page.keyboard.press('Enter')
  await expect(heading(page, a)).toBeVisible()
}

test('keyboard only: add, switch, check, copy, sign out, remove, settings; focus visible and given back', async ({
  page,
  app,
}) => {
  const [a, b] = (await Promise.all(['kba', 'kbb'].map((p) => createAccount(net.pdsUrl, p)))) as [
    TestAccount,
    TestAccount,
  ]
  const toast = page.locator('.toast')
  await page.goto(app.url)
  await addByKeyboard(page, a)
  const add = page.getByRole('button', { name: 'Add account' })
  await press(page, add, true)
  await addByKeyboard(page, b)
  await expectFocusOn(page, add, 'signed in: focus is back on Add account')

  // Arrows view an account, Enter makes it the one in use.
  await tabTo(page, listRow(page, b))
  await page.keyboard.press('ArrowUp')
  await expectFocusOn(page, listRow(page, a), 'ArrowUp')
  await expect(heading(page, a)).toBeVisible()
  await page.keyboard.press('ArrowDown')
  await expectFocusOn(page, listRow(page, b), 'ArrowDown')
  await page.keyboard.press('Enter')
  await expect(listRow(page, b)).toContainText('In use')

  // The quick switcher: type, Enter; focus comes back to the row it was opened from. Escape too.
  const dialog = page.getByRole('dialog', { name: 'Switch account' })
  await page.keyboard.press('Control+k')
  await expectFocusOn(page, dialog.getByLabel('Filter accounts'), 'the switcher opens on its filter')
  await page.keyboard.type('kba')
  await expect(dialog.getByRole('option')).toHaveCount(1)
  await page.keyboard.press('Enter')
  await expect(dialog).toHaveCount(0)
  await expect(listRow(page, a)).toContainText('In use')
  await expectFocusOn(page, listRow(page, b), 'the switcher closed')
  await page.keyboard.press('Control+k')
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expectFocusOn(page, listRow(page, b), 'the switcher closed with Escape')

  // Check and copy, in the details of the account in use; the status bar says what happened.
  const check = page.getByRole('button', { name: 'Check now' })
  await press(page, check)
  await expect(toast).toHaveText(`Checked @${a.handle}: the session works.`)
  await expectFocusOn(page, check, 'checked: focus stays on Check now')
  await press(page, page.getByRole('button', { name: 'Copy access token' }))
  await expect(toast).toHaveText(
    new RegExp(`^Access token of @${esc(a.handle)} copied\\. Clipboard clears in \\d+ s\\.$`),
  )

  // Sign out: the confirmation opens on Cancel, Escape gives focus back, Tab stays inside it.
  const signOut = page.getByRole('button', { name: 'Sign out', exact: true })
  const confirm = page.getByRole('alertdialog')
  await press(page, signOut, true)
  await expectFocusOn(page, confirm.getByRole('button', { name: 'Cancel' }), 'the confirmation opens on Cancel')
  await page.keyboard.press('Escape')
  await expect(confirm).toHaveCount(0)
  await expectFocusOn(page, signOut, 'the confirmation closed with Escape')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await expectFocusOn(page, confirm.getByRole('button', { name: 'Sign out' }), 'Tab in the confirmation')
  await page.keyboard.press('Tab')
  await expectFocusOn(page, confirm.getByRole('button', { name: 'Cancel' }), 'Tab wraps inside the confirmation')
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Enter')
  await expect(statusBanner(page)).toContainText('Signed out')
  await expectFocusOn(page, listRow(page, a), 'signed out: Sign out is disabled, focus goes to the account in the list')

  // Remove, confirmed: focus goes to the account left in the list.
  await press(page, page.getByRole('button', { name: 'Remove from this device' }))
  await page.keyboard.press('Tab')
  await expectFocusOn(page, confirm.getByRole('button', { name: 'Remove' }), 'Tab to Remove')
  await page.keyboard.press('Enter')
  await expect(listRow(page, a)).toHaveCount(0)
  await expectFocusOn(page, listRow(page, b), 'removed: focus on the account left')

  // Settings: change one with Space, Done gives focus back to Settings.
  const settingsButton = page.getByRole('button', { name: 'Settings', exact: true })
  await press(page, settingsButton, true)
  const settings = page.getByRole('region', { name: 'Settings' })
  const attention = settings.getByLabel('Tell me when an account needs attention')
  await tabTo(page, attention)
  await page.keyboard.press('Space')
  await expect(toast).toHaveText('Settings saved.')
  await expect(attention).not.toBeChecked()
  await press(page, settings.getByRole('button', { name: 'Done' }), true)
  await expect(settings).toHaveCount(0)
  await expectFocusOn(page, settingsButton, 'Settings closed with Done')
})

/** Every element's transitions and animations, where any would take time. */
const moving = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('*')].flatMap((el) =>
      [null, '::before', '::after'].flatMap((pseudo) => {
        const cs = getComputedStyle(el, pseudo)
        const times = [cs.transitionDuration, cs.transitionDelay, cs.animationDuration].join(',').split(',')
        return times.some((t) => parseFloat(t) > 0)
          ? [`${el.tagName.toLowerCase()}.${el.className}${pseudo ?? ''}`]
          : []
      }),
    ),
  )

/** Nothing spills sideways, nothing is cut off, no control overlaps another or sits under a notice. */
async function expectIntact(page: Page, what: string, scope?: string) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth), `${what}: sideways`).toBe(0)
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const cs = getComputedStyle(el)
        const hides = (v: string) => v === 'hidden' || v === 'clip'
        const control = el.matches('button, select')
        return (
          ((hides(cs.overflowX) || control) && el.scrollWidth > el.clientWidth + 1) ||
          (hides(cs.overflowY) && el.scrollHeight > el.clientHeight + 1)
        )
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 40)}"`),
  )
  expect(cut, `${what}: cut off`).toEqual([])
  const { notices, controls } = await layout(page, undefined, scope)
  for (const [i, c] of controls.entries()) {
    for (const d of controls.slice(i + 1)) {
      expect(intersects(c.box!, d.box!), `${what}: "${c.text}" overlaps "${d.text}"`).toBe(false)
    }
    // A dialog lies over the notices, which cannot cover it.
    if (scope) continue
    for (const n of notices) expect(intersects(n.box!, c.box!), `${what}: "${n.text}" covers "${c.text}"`).toBe(false)
  }
}

test('reduced motion: nothing moves; text at 200 %: nothing cut or overlapping, at 1400 and 400 px', async ({
  page,
  app,
}) => {
  const accounts = await Promise.all(['tz', 'tzz'].map((p) => createAccount(net.pdsUrl, p)))
  await page.goto(app.url)
  for (const a of accounts) {
    await signInThroughUi(page, a)
    await expect(heading(page, a)).toBeVisible()
  }
  await page.getByRole('button', { name: 'Check all accounts' }).click()
  await expect(page.locator('.toast')).toContainText('All OK')

  // Reduced motion: nothing in the window, nor anything that would animate, takes time.
  await page.emulateMedia({ reducedMotion: 'reduce' })
  await page.evaluate(() => {
    const probe = Object.assign(document.createElement('div'), { className: 'probe' })
    probe.style.transition = 'opacity 1s'
    probe.style.animation = 'spin 2s infinite'
    document.body.append(probe)
  })
  expect(await moving(page)).toEqual([])
  await page.keyboard.press('Control+k')
  await expect(page.getByRole('dialog')).toBeVisible()
  expect(await moving(page)).toEqual([])
  await page.keyboard.press('Escape')
  await page.emulateMedia({ reducedMotion: 'no-preference' })
  expect(await moving(page)).toEqual(['div.probe'])
  await page.evaluate(() => document.querySelector('.probe')?.remove())

  // Text at 200 %: the root font size doubled, and every text follows it.
  const title = page.locator('.details-names h1')
  const size = () => title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  const before = await size()
  await page.evaluate(() => {
    const root = document.documentElement
    root.style.fontSize = `${2 * parseFloat(getComputedStyle(root).fontSize)}px`
  })
  expect(await size()).toBeCloseTo(2 * before, 1)
  for (const width of [1400, 400]) {
    await page.setViewportSize({ width, height: width === 400 ? 900 : 820 })
    await expectIntact(page, `details at ${width} px`)
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await expectIntact(page, `confirmation at ${width} px`, '.modal')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Control+k')
    await expectIntact(page, `quick switcher at ${width} px`, '.modal')
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Add account' }).click()
    await expectIntact(page, `login at ${width} px`)
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    await expectIntact(page, `settings at ${width} px`)
    await page.getByRole('button', { name: 'Done' }).click()
  }
})
