import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { type Browser, chromium, type Page } from 'playwright-core'

/**
 * Headless Chromium for tests of the HTML the service serves (the unsubscribe page, the
 * console). The system's Chromium is used, not a downloaded one: a suite that needs it
 * skips with `BROWSER_SKIP_REASON` when it is absent.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Why browser tests cannot run here, or undefined when they can (for `describe(..., { skip })`). */
export const BROWSER_SKIP_REASON: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`

/** Quiet, sandbox-free flags for a container: no GPU, no background traffic to Google. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export async function launchBrowser (): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/** A phone-sized viewport: what "looks right at 375 px" is checked at. */
export const PHONE_VIEWPORT = { width: 375, height: 667 }

/** Where screenshots go (gitignored); look at them after a run. */
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', 'test-output')

export async function screenshot (page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/**
 * The page's axe violations of impact serious or critical (WCAG 2.x A and AA rules and
 * best practices), as "rule: targets" lines so an assertion failure says what to fix.
 */
export async function seriousAccessibilityViolations (page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
}

/** True when the page is wider than its viewport (content a phone user would scroll sideways to read). */
export async function overflowsHorizontally (page: Page): Promise<boolean> {
  return await page.evaluate('document.documentElement.scrollWidth > window.innerWidth') === true
}
