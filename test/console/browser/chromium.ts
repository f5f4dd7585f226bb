/**
 * The browser the console's page tests drive: Debian's Chromium, headless, through puppeteer-core
 * (which downloads no browser). `CHROMIUM_PATH` overrides where it is looked for. When it is
 * absent the tests are skipped, and say so loudly: install it with `apt-get install -y chromium`.
 * CI sets MEMKAFKA_REQUIRE_CHROMIUM=1 (after scripts/browser-install.sh): then a missing browser
 * fails the run instead of skipping it.
 */
import { existsSync } from 'node:fs'
import puppeteer, { type Browser, type ConsoleMessage, type Page } from 'puppeteer-core'

const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p)
export const chromiumPath = candidates.find((p) => existsSync(p))

if (!chromiumPath && process.env['MEMKAFKA_REQUIRE_CHROMIUM'] === '1') {
  throw new Error(`MEMKAFKA_REQUIRE_CHROMIUM=1 but no Chromium was found (looked at ${candidates.join(', ')})`)
}
if (!chromiumPath) {
  const banner = '!'.repeat(100)
  console.warn(`${banner}\nSKIPPING the console's browser tests: no Chromium found (looked at ${candidates.join(', ')}).\nInstall it with: apt-get install -y chromium   (or set CHROMIUM_PATH)\n${banner}`)
}

export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath!,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
  })
}

/** A page that records every console error and uncaught exception it meets. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage()
  await page.setViewport(viewport)
  const errors: string[] = []
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error: unknown) => errors.push(String(error)))
  await page.goto(url, { waitUntil: 'load' })
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 })
  return { page, errors }
}
