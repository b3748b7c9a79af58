import { v7 as uuidv7 } from 'uuid'

/** UUIDv7: time-ordered, so new rows land at the right edge of the primary key index. */
export const newId = (): string => uuidv7()

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isUuid = (value: string): boolean => UUID_PATTERN.test(value)
