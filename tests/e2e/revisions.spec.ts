import { expect, net, type RunningApp, test } from './fixtures'
import { accountRows } from './locators'
import { createAccount } from '../support/network'

const options = accountRows

/** A call to the running core from outside the page, as another window would make it. */
async function invoke(app: RunningApp, name: string, request: unknown): Promise<unknown> {
  const url = new URL(app.url)
  const secret = new URLSearchParams(url.hash.slice(1)).get('secret') ?? ''
  const res = await fetch(new URL('/api/invoke', url.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-skyswitch-secret': secret },
    body: JSON.stringify({ name, request }),
  })
  const env = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown }
  if (!env.ok) throw new Error(`${name}: ${JSON.stringify(env.error)}`)
  return env.value
}

test('an older getState reply that arrives after a newer event does not win', async ({ page, app }) => {
  const [a, b] = await Promise.all([createAccount(net.pdsUrl, 'rev'), createAccount(net.pdsUrl, 'rev')])
  for (const acc of [a!, b!]) {
    await invoke(app, 'accounts:login', { identifier: acc.handle, password: acc.password, service: net.pdsUrl })
  }

  // Hold the page's getState reply: the core answers at once (the older
  // snapshot, order a, b), the page gets it only after a newer event.
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  let taken!: () => void
  const snapshotTaken = new Promise<void>((r) => (taken = r))
  await page.route('**/api/invoke', async (route) => {
    const body = route.request().postDataJSON() as { name?: string } | null
    if (body?.name !== 'app:getState') return route.continue()
    const response = await route.fetch()
    taken()
    await held
    await route.fulfill({ response })
  })

  await page.goto(app.url)
  await snapshotTaken
  await expect(options(page)).toHaveCount(2)
  await expect(options(page).nth(0)).toContainText(a!.handle)

  // A newer change, pushed to the page as an event.
  await invoke(app, 'accounts:reorder', { dids: [b!.did, a!.did] })
  await expect(options(page).nth(0)).toContainText(b!.handle)

  const delivered = page.waitForResponse((r) => r.url().endsWith('/api/invoke'))
  release()
  await delivered
  // Let the page handle the reply before looking.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)))
  await expect(options(page).nth(0)).toContainText(b!.handle, { timeout: 1_000 })
  await expect(options(page).nth(1)).toContainText(a!.handle, { timeout: 1_000 })
})
