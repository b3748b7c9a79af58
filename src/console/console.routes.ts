import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyReply } from 'fastify'
import { AppError } from '../errors.js'
import type { App } from '../http/types.js'

/** The console's build (`npm install` builds it); the same path from src/ (tsx) and dist/ (compiled). */
export const CONSOLE_DIST = fileURLToPath(new URL('../../packages/console/dist/', import.meta.url))

/**
 * Only the console's own origin: its scripts and styles are files (no inline code), it
 * talks to this same API, and it is never framed. Set here rather than left to the
 * API-wide headers because a browser page needs it and JSON answers do not.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"
].join('; ')

function pageHeaders (reply: FastifyReply): FastifyReply {
  return reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer')
}

/**
 * The triage console at /console: hashed assets cached for a year, the page itself never
 * cached (so a deploy is picked up at once), and every other /console path answered with
 * the page so that links into the app (/console/complaints/…) work on reload.
 */
export async function consoleRoutes (app: App): Promise<void> {
  if (!existsSync(CONSOLE_DIST)) {
    app.get('/console*', { schema: { hide: true } }, async () => {
      throw new AppError('NOT_FOUND', 'the console is not built: run `npm run build -w @ombuds/console`')
    })
    return
  }
  // Only the hashed assets are served as files; the page goes through the routes below.
  await app.register(fastifyStatic, {
    root: join(CONSOLE_DIST, 'assets'),
    prefix: '/console/assets/',
    index: false,
    wildcard: false,
    maxAge: 365 * 24 * 60 * 60 * 1000,
    immutable: true,
    setHeaders: (response) => {
      response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
      response.setHeader('x-content-type-options', 'nosniff')
    }
  })
  const page = async (_request: unknown, reply: FastifyReply) =>
    await pageHeaders(reply).header('cache-control', 'no-cache').sendFile('index.html', CONSOLE_DIST, { cacheControl: false })
  app.get('/console', { schema: { hide: true } }, page)
  app.get('/console/', { schema: { hide: true } }, page)
  app.get('/console/*', { schema: { hide: true } }, async (request, reply) => {
    // A missing asset is a 404, not the page: a stale tab must not run HTML as a script.
    if (request.url.startsWith('/console/assets/')) throw new AppError('NOT_FOUND', 'no such file')
    return await page(request, reply)
  })
}
