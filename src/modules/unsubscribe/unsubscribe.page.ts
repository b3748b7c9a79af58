import { createHash } from 'node:crypto'
import type { UnsubscribeView } from './unsubscribe.service.js'

/**
 * The pages a person sees at /u/{token}: self-contained HTML, no script, one inline
 * style sheet allowed by its hash, so the page works under a CSP that allows nothing
 * else (`default-src 'none'`).
 */

const STYLE = [
  '*{box-sizing:border-box}',
  'body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f4f5}',
  'main{max-width:32rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #d4d4d8;border-radius:.5rem}',
  'h1{font-size:1.375rem;line-height:1.3;margin:0 0 1rem}',
  'p{margin:0 0 1rem;overflow-wrap:anywhere}',
  'button{font:inherit;font-weight:600;width:100%;min-height:2.75rem;padding:.625rem 1rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff;cursor:pointer}',
  'button:hover{background:#1e40af}',
  'button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}',
  '.small{font-size:.875rem;color:#52525b;margin:1rem 0 0}',
  '@media (max-width:26rem){main{margin:0;min-height:100vh;border:0;border-radius:0}}'
].join('')

/** The page's Content-Security-Policy: its own style by hash, forms to itself only, nothing else. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'"
].join('; ')

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string)

function page (title: string, body: string): string {
  return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="robots" content="noindex, nofollow">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main>${body}</main></body></html>\n`
}

function whatStops (view: UnsubscribeView): string {
  const organization = `<strong>${escapeHtml(view.organization)}</strong>`
  return view.scope === 'organization'
    ? `email from ${organization}`
    : `email from ${organization} sent from ${escapeHtml(view.domain)}`
}

/**
 * The question. The form posts back to this same URL (no `action`), with the RFC 8058
 * body, so the button does exactly what a mailbox provider's one-click POST does.
 *
 * No CSRF token, by design: the link's token is itself the capability (it names one
 * recipient and cannot be forged), no cookie or session is involved, and the only thing
 * a POST can do is unsubscribe the person the link was sent to, which anyone holding the
 * link could do anyway. A GET changes nothing, so mail scanners that fetch links
 * unsubscribe no one.
 */
export function confirmPage (view: UnsubscribeView): string {
  return page(`Unsubscribe from ${view.organization}`,
    `<h1>Unsubscribe from ${escapeHtml(view.organization)}?</h1>` +
    `<p>${escapeHtml(view.recipient)} will no longer receive ${whatStops(view)}.</p>` +
    '<form method="post">' +
    '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
    '<input type="hidden" name="via" value="page">' +
    '<button type="submit">Unsubscribe</button>' +
    '</form>' +
    '<p class="small">If you did not mean to open this page, close it: nothing has changed.</p>')
}

export function donePage (view: UnsubscribeView): string {
  return page('Unsubscribed',
    '<h1>You are unsubscribed</h1>' +
    `<p>${escapeHtml(view.recipient)} will no longer receive ${whatStops(view)}.</p>` +
    '<p class="small">It can take a moment for messages already on their way to stop.</p>')
}

/**
 * A refusal (4xx) or a failure (5xx). Every refusal of a link reads the same, whatever
 * its cause (cut, altered, retired key, unknown organization): nothing to probe with.
 */
export function errorPage (status: number): string {
  if (status === 429) {
    return page('Too many attempts', '<h1>Too many attempts</h1><p>Please try again in a minute.</p>')
  }
  if (status < 500) {
    return page('Unsubscribe link not valid',
      '<h1>This unsubscribe link cannot be used</h1>' +
      '<p>It may have been cut short when it was copied, or it is no longer valid.</p>' +
      '<p class="small">To stop these messages, use the unsubscribe link of a more recent message, or reply to the sender.</p>')
  }
  return page('Unsubscribe unavailable',
    '<h1>Unsubscribing is not possible right now</h1>' +
    '<p>Please try again in a few minutes: nothing has changed yet.</p>')
}
