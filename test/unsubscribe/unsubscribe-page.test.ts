import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { BROWSER_SKIP_REASON, launchBrowser, overflowsHorizontally, PHONE_VIEWPORT, screenshot, seriousAccessibilityViolations } from '../browser.js'
import { startTestApp, type TestContext, testDatabases } from '../helper.js'
import { registerDomain } from '../lists/fixtures.js'

// The page is the same whatever the store; the store-specific behaviour is in unsubscribe.test.ts.
const [database] = testDatabases()

describe(`the unsubscribe page in Chromium (${database})`, { skip: BROWSER_SKIP_REASON }, () => {
  let ctx: TestContext
  let browser: Browser
  let origin: string
  before(async () => {
    ctx = await startTestApp(database ?? 'pglite')
    await ctx.app.listen({ host: '127.0.0.1', port: 0 })
    origin = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await ctx?.close()
  })

  const pageUrl = async (recipient: string, orgName: string) => {
    const org = await ctx.createOrg(orgName)
    const domain = await registerDomain(ctx, org)
    const response = await ctx.request(org.ownerKey, { method: 'POST', url: '/v1/unsubscribe-links', payload: { channel: 'email', from_domain: domain.name, recipient } })
    assert.equal(response.statusCode, 200, response.body)
    const url = new URL((response.json().data as { url: string }).url)
    return { org, url: `${origin}${url.pathname}` }
  }

  test('at 375 px, without JavaScript: accessible, no CSP violation, one click unsubscribes, then a confirmation', async () => {
    const { org, url } = await pageUrl('maria.fernanda.de.los.santos-gutierrez@correo.example-universidad.edu', 'Northwind Traders Newsletter Department')
    // JavaScript off proves the page needs none; a second context with it on runs axe.
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT, javaScriptEnabled: false })
    const audit = await browser.newContext({ viewport: PHONE_VIEWPORT })
    try {
      const page = await context.newPage()
      const cspViolations: string[] = []
      page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text()) })
      const shown = await page.goto(url)
      assert.equal(shown?.status(), 200)
      await page.getByRole('heading', { level: 1, name: 'Unsubscribe from Northwind Traders Newsletter Department?' }).waitFor()
      await screenshot(page, 'unsubscribe-page-375')

      const auditPage = await audit.newPage()
      await auditPage.goto(url)
      assert.deepEqual(await seriousAccessibilityViolations(auditPage), [])
      assert.equal(await overflowsHorizontally(auditPage), false, 'no sideways scrolling at 375 px')
      // The inline style sheet is applied, so the page's CSP (style by hash only) allows it.
      assert.equal(await auditPage.evaluate("getComputedStyle(document.querySelector('button')).backgroundColor"), 'rgb(29, 78, 216)')
      const button = await auditPage.getByRole('button', { name: 'Unsubscribe' }).boundingBox()
      assert.ok(button !== null && button.height >= 44 && button.width <= PHONE_VIEWPORT.width, `a thumb-sized button: ${JSON.stringify(button)}`)
      // Loading the page twice (and auditing it) unsubscribed no one.
      const before = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/suppressions?reason=unsubscribe' })
      assert.equal(before.json().data.length, 0)

      await page.getByRole('button', { name: 'Unsubscribe' }).click()
      await page.getByRole('heading', { level: 1, name: 'You are unsubscribed' }).waitFor()
      assert.equal(new URL(page.url()).pathname, new URL(url).pathname, 'no redirect')
      await screenshot(page, 'unsubscribe-done-375')
      assert.deepEqual(cspViolations, [])

      const done = await ctx.request(org.memberKey, { method: 'GET', url: '/v1/suppressions?reason=unsubscribe' })
      assert.deepEqual(done.json().data.map((row: { address: string }) => row.address), ['maria.fernanda.de.los.santos-gutierrez@correo.example-universidad.edu'])
      const [recorded] = await ctx.store.db.selectFrom('unsubscribes').select('method').where('org_id', '=', org.id).execute()
      assert.equal(recorded?.method, 'page')

      // The confirmation and the refusal pages pass too.
      await auditPage.goto(url)
      await auditPage.getByRole('button', { name: 'Unsubscribe' }).click()
      await auditPage.getByRole('heading', { level: 1, name: 'You are unsubscribed' }).waitFor()
      assert.deepEqual(await seriousAccessibilityViolations(auditPage), [])
      const refused = await auditPage.goto(`${url.slice(0, -4)}AAAA`)
      assert.equal(refused?.status(), 400)
      assert.deepEqual(await seriousAccessibilityViolations(auditPage), [])
      await screenshot(auditPage, 'unsubscribe-invalid-375')
    } finally {
      await context.close()
      await audit.close()
    }
  })
})
