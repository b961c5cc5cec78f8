import { readFileSync } from 'node:fs'
import { Agent } from '@atproto/api'
import { KeyFileCipher } from '../../src-main/browser/key-file-cipher'
import { Vault } from '../../src-main/core/vault/vault'
import { openConf } from '../support/core'
import { expect, filesUnder, signInThroughUi, skyswitch, test } from './fixtures'

test('tools panel: proxy status, start/stop shared with the CLI, copies made in main; no token or key leaks', async ({
  page,
  app,
  account,
}) => {
  await page.goto(app.url)
  await signInThroughUi(page, account)
  await expect(page.getByRole('heading', { level: 1, name: account.handle })).toBeVisible()
  await page.getByRole('button', { name: 'Keep on disk' }).click()

  const panel = page.getByRole('region', { name: 'Tools without a token' })
  const status = panel.getByRole('status', { name: 'Proxy status' })
  await expect(status).toContainText(/Proxy running at http:\/\/127\.0\.0\.1:\d+/)
  await expect(panel).toContainText(`skyswitch exec ${account.handle} --proxy -- CMD`)
  await panel.getByRole('button', { name: 'Copy local key' }).click()
  await expect(page.getByText(/Local key copied\. Clipboard clears in \d+ s\./)).toBeVisible()
  await panel.getByRole('button', { name: 'Copy exec line (proxy)' }).click()
  await expect(page.getByText('Exec line (proxy) copied.')).toBeVisible()

  // Stopped in the UI: the CLI sees it. Stopped or started by the CLI: the open panel follows main's
  // proxy:changed event at once, with no focus change to prompt it.
  await page.evaluate(() => {
    const w = window as unknown as { focusEvents: number }
    w.focusEvents = 0
    // The window's own focus (a button taking focus inside it does not count).
    window.addEventListener('focus', (e) => void (e.target === window && w.focusEvents++), true)
  })
  await panel.getByRole('button', { name: 'Stop proxy' }).click()
  await expect(status).toContainText('Proxy stopped')
  await expect(panel.getByRole('button', { name: 'Copy proxy address' })).toBeDisabled()
  expect((await skyswitch(app.dataDir, 'proxy', 'status')).code).toBe(1)
  expect((await skyswitch(app.dataDir, 'proxy', 'start')).stdout).toMatch(/^running at /)
  await expect(status).toContainText('Proxy running at')
  await expect(panel.getByRole('button', { name: 'Copy proxy address' })).toBeEnabled()
  expect((await skyswitch(app.dataDir, 'proxy', 'stop')).code).toBe(0)
  await expect(status).toContainText('Proxy stopped')
  await expect(panel.getByRole('button', { name: 'Start proxy' })).toBeEnabled()
  expect((await skyswitch(app.dataDir, 'proxy', 'start')).code).toBe(0)
  await expect(status).toContainText('Proxy running at')
  expect(await page.evaluate(() => (window as unknown as { focusEvents: number }).focusEvents)).toBe(0)

  // A tool through the proxy, with what `skyswitch env --proxy` hands out.
  const env = (await skyswitch(app.dataDir, 'env', '--proxy')).stdout
  const url = /export ATP_PDS_URL=(\S+)/.exec(env)![1]!
  const key = /export ATP_ACCESS_JWT=(\S+)/.exec(env)![1]!
  const keys = [...env.matchAll(/skyswitch-local-[A-Za-z0-9_-]+/g)].map((m) => m[0])
  expect(keys.length).toBeGreaterThanOrEqual(2)
  const agent = new Agent({ service: url, headers: { authorization: `Bearer ${key}` } })
  const made = await agent.com.atproto.repo.createRecord({
    repo: account.did,
    collection: 'app.bsky.feed.post',
    record: { $type: 'app.bsky.feed.post', text: 'from a tool', createdAt: new Date().toISOString() },
  })
  expect(made.data.uri).toContain(account.did)
  const wrong = await fetch(`${url}/xrpc/com.atproto.server.getSession`, { headers: { authorization: 'Bearer x' } })
  expect(wrong.status).toBe(401)
  const token = (await skyswitch(app.dataDir, 'token')).stdout.trim()
  await app.stop()

  // Nothing leaked: no token or local key in the app's output or in clear in the data directory.
  const vault = await Vault.open({ dataDir: app.dataDir, cipher: new KeyFileCipher(app.dataDir), openStore: openConf })
  const t = vault.getTokens(account.did)!
  const secrets = [token, t.accessJwt, t.refreshJwt, ...keys].map((s) => s.slice(-24))
  const haystacks = [app.output(), ...filesUnder(app.dataDir).map((f) => readFileSync(f, 'latin1'))]
  for (const s of secrets) for (const h of haystacks) expect(h.includes(s)).toBe(false)
})
