import type { FastifyReply } from 'fastify'
import type { Static } from 'typebox'
import type { JsonText } from '../lib/json-text.js'
import type { ListMeta } from './schemas.js'

/**
 * Sends a list answer (`ListEnvelope`) whose `data` the store already wrote as JSON: the
 * envelope is written around it and the text goes out as it is — Fastify sends a string
 * with a JSON content type without serializing it again. The route still declares its
 * `ListEnvelope(item)` response, for the OpenAPI document and for the tests that check the
 * bytes against it (the schema does not shape this answer, so those tests are what keep
 * the two in step).
 */
export async function sendWrittenList (reply: FastifyReply, page: { data: JsonText, meta: Static<typeof ListMeta> }): Promise<FastifyReply> {
  const { total, limit, offset, next_cursor: nextCursor, last_event_at: lastEventAt } = page.meta
  // The meta's fields in the schema's order, as the serializer would write them.
  const meta = JSON.stringify({ total, limit, offset, next_cursor: nextCursor, last_event_at: lastEventAt })
  return await sendWrittenJson(reply, 'application/json; charset=utf-8', `{"success":true,"data":${page.data},"meta":${meta}}`)
}

/**
 * Sends JSON text as it is, under a JSON content type (Fastify adds `charset=utf-8` when it
 * is missing). Fastify does not serialize a string sent with a JSON content type, so the
 * route's response schema documents this answer but does not shape it: whoever writes the
 * text must hold it to that schema (and test it).
 */
export async function sendWrittenJson (reply: FastifyReply, contentType: string, json: string): Promise<FastifyReply> {
  return await reply.type(contentType).send(json)
}
