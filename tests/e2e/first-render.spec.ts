import { expect, launchBrowserMode, newDataDir, test } from './fixtures'

/**
 * Records every layout read made between the first state of `n` accounts
 * parsed in the page and the list reaching the DOM. React renders that state
 * synchronously (the store is read through useSyncExternalStore) and runs the
 * list's effects in the same task, so a read there forces the whole window's
 * first layout before anything is shown.
 */
const RECORD_LAYOUT_READS = `(() => {
  const n = 200
  const w = window
  w.__layoutReads = []
  let armed = false
  let done = false
  function seen(r) {
    const accounts = (r && r.payload && r.payload.accounts) || (r && r.value && r.value.accounts)
    if (!done && accounts && accounts.length === n) armed = true
    return r
  }
  const parse = JSON.parse
  JSON.parse = function (text, reviver) { return seen(parse(text, reviver)) }
  const json = Response.prototype.json
  Response.prototype.json = async function () { return seen(await json.call(this)) }
  for (const name of ['clientHeight', 'clientWidth', 'scrollTop', 'scrollHeight', 'offsetHeight', 'offsetWidth', 'offsetTop']) {
    const owner = name.startsWith('offset') ? HTMLElement.prototype : Element.prototype
    const d = Object.getOwnPropertyDescriptor(owner, name)
    Object.defineProperty(owner, name, { ...d, get() { if (armed) w.__layoutReads.push(name); return d.get.call(this) } })
  }
  const rect = Element.prototype.getBoundingClientRect
  Element.prototype.getBoundingClientRect = function () { if (armed) w.__layoutReads.push('getBoundingClientRect'); return rect.call(this) }
  new MutationObserver(function (_m, obs) {
    if (armed && document.querySelector('[role=option][aria-setsize="' + n + '"]')) {
      armed = false
      done = true
      obs.disconnect()
    }
  }).observe(document, { childList: true, subtree: true })
})()`

test('the first render of a long list forces no layout before the list is in the DOM', async ({ page }) => {
  const dataDir = newDataDir()
  const { Vault } = await import('../../src-main/core/vault/vault')
  const { KeyFileCipher } = await import('../../src-main/browser/key-file-cipher')
  const { openConf } = await import('../support/core')
  const { fakeMeta } = await import('../support/fake-tokens')
  const vault = await Vault.open({ dataDir, cipher: new KeyFileCipher(dataDir), openStore: openConf })
  for (let i = 0; i < 200; i++) await vault.saveAccount({ ...fakeMeta(i), signedIn: false }, null)
  const app = await launchBrowserMode(dataDir)
  try {
    await page.addInitScript(RECORD_LAYOUT_READS)
    await page.goto(app.url)
    const first = page.getByRole('listbox', { name: 'Accounts' }).getByRole('option').first()
    await expect(first).toHaveAttribute('aria-setsize', '200')
    expect(await page.evaluate(() => (window as unknown as { __layoutReads: string[] }).__layoutReads)).toEqual([])
    // The list still learns its real height afterwards: scrolling to the end shows the last rows.
    await page.getByRole('listbox', { name: 'Accounts' }).evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await expect(page.getByRole('option', { name: /^user199\.test/ })).toBeInViewport()
  } finally {
    await app.stop()
  }
})
