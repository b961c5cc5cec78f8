/**
 * Drives the dev-env PDS's own OAuth pages (sign-in, consent) in Debian's
 * Chromium, the way a user would in the system browser.
 */
import { type Browser, chromium, type Page } from 'playwright-core'

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
}

/** Signs in on the provider's page; leaves the page on the consent screen. */
export async function signInOnProvider(page: Page, url: string, password: string, username?: string): Promise<void> {
  await page.goto(url)
  // Signing in with a provider address gives the page no hint: the user types who they are.
  // Its welcome page first offers "Create a new account" or "Sign in".
  if (username) {
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('input[name=username]').fill(username)
  }
  await page.locator('input[name=password]').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Authorize' }).waitFor({ timeout: 20_000 })
}

/** Sign in and grant access; resolves once the browser is back on Skyswitch's loopback page. */
export async function approve(page: Page, url: string, password: string, username?: string): Promise<void> {
  await signInOnProvider(page, url, password, username)
  await page.getByRole('button', { name: 'Authorize' }).click()
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/, { timeout: 20_000 })
}

export async function deny(page: Page, url: string, password: string): Promise<void> {
  await signInOnProvider(page, url, password)
  await page.getByRole('button', { name: 'Deny access' }).click()
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/, { timeout: 20_000 })
}
