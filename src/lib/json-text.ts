/**
 * JSON that is already written (PostgreSQL builds some pages as JSON text), to be sent as it
 * is. A distinct type, so an arbitrary string cannot be passed where written JSON is expected.
 */
export type JsonText = string & { readonly jsonText: unique symbol }

/** Marks `text` as JSON. The caller vouches for it: it comes from PostgreSQL's JSON functions. */
export function jsonText (text: string): JsonText {
  return text as JsonText
}
