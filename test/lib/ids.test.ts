import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newId, newIds } from '../../src/lib/ids.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
/** The millisecond a UUIDv7 carries in its first 48 bits. */
const millisecondOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16)

test('newId: UUIDv7s of the current millisecond, strictly increasing within the process, across refills of the random pool', () => {
  const before = Date.now()
  // 20,000 ids draw the pooled 4 KiB of randomness about eighty times over, mostly many per millisecond.
  const ids = Array.from({ length: 20_000 }, () => newId())
  const after = Date.now()
  for (const [index, id] of ids.entries()) {
    assert.match(id, UUID_V7)
    if (index > 0) assert.ok((ids[index - 1] as string) < id, `${ids[index - 1]} then ${id}`)
  }
  assert.equal(new Set(ids).size, ids.length)
  assert.ok(millisecondOf(ids[0] as string) >= before)
  // The counter may carry into the next millisecond within a burst; never far.
  assert.ok(millisecondOf(ids[ids.length - 1] as string) <= after + 1)
})

test('newIds: one bulk write\'s ids are UUIDv7s in order', () => {
  const ids = newIds(1000)
  for (const [index, id] of ids.entries()) {
    assert.match(id, UUID_V7)
    if (index > 0) assert.ok((ids[index - 1] as string) < id)
  }
})
