import { createWriteStream } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../errors.js'

export interface SpooledFile {
  path: string
  bytes: number
  dispose (): Promise<void>
}

/**
 * Writes an upload to a private temporary file as it arrives (memory stays flat), so
 * the database work starts only once the whole body is in: a client that stalls or
 * disconnects mid-upload holds a file descriptor until the body timeout, never a
 * connection or a transaction. The file is removed on failure and by `dispose`.
 */
export async function spoolToFile (stream: Readable, request: IncomingMessage): Promise<SpooledFile> {
  const folder = await mkdtemp(join(tmpdir(), 'ombuds-upload-'))
  const path = join(folder, 'upload')
  const dispose = async (): Promise<void> => { await rm(folder, { recursive: true, force: true }) }
  let bytes = 0
  stream.on('data', (chunk: Buffer) => { bytes += chunk.length })
  // The multipart parser does not always end the part when the connection is closed
  // mid-body (the body timeout, a client gone): end it here, or the spool waits forever.
  const onClose = (): void => { if (!request.complete) stream.destroy(new AppError('INVALID_INPUT', 'the upload was cut off')) }
  request.once('close', onClose)
  try {
    await pipeline(stream, createWriteStream(path, { mode: 0o600 }))
  } catch (error) {
    await dispose()
    throw error
  } finally {
    request.off('close', onClose)
  }
  return { path, bytes, dispose }
}
