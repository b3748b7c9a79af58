import { Presets, SingleBar } from 'cli-progress'

/** How a long operation reports how far it is: rows done, against a total in rows or in bytes read. */
export interface Progress {
  /** `rows` more are done; `position` is where the work stands in units of the total (rows by default). */
  advance (rows: number, position?: number): void
  /** Sets (or corrects) the total once it is known. */
  setTotal (total: number): void
  /** Ends the bar; prints the summary line unless the operation failed (its error is the one line then). */
  finish (succeeded: boolean): void
}

const PLAIN_EVERY_MS = 2000

/**
 * A progress bar on stderr when stderr is a terminal (rows, rate, ETA), plain lines at
 * most every 2 s otherwise (logs and CI). Either way a summary line at the end; stdout
 * stays for the data.
 */
export function startProgress (action: string, total: number | null, interactive = process.stderr.isTTY): Progress {
  const started = Date.now()
  let rows = 0
  let position = 0
  let knownTotal = total
  const rate = (): number => Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001))
  const bar = interactive
    ? new SingleBar({
      stream: process.stderr,
      format: `${action} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
      etaBuffer: 50,
      fps: 5,
      hideCursor: true
    }, Presets.shades_classic)
    : null
  bar?.start(knownTotal ?? 0, 0, { rows: 0, rate: 0 })
  let lastLine = started

  return {
    advance (done, at) {
      rows += done
      position = at ?? rows
      if (bar !== null) {
        bar.update(position, { rows: rows.toLocaleString('en'), rate: rate().toLocaleString('en') })
        return
      }
      if (Date.now() - lastLine < PLAIN_EVERY_MS) return
      lastLine = Date.now()
      const share = knownTotal !== null && knownTotal > 0 ? position / knownTotal : null
      const eta = share !== null && share > 0 ? `, ETA ${Math.round((Date.now() - started) / 1000 * (1 - share) / share)} s` : ''
      process.stderr.write(`ombuds: ${action}: ${rows.toLocaleString('en')} rows${share !== null ? ` (${Math.floor(share * 100)}%)` : ''}, ${rate().toLocaleString('en')} rows/s${eta}\n`)
    },
    setTotal (value) {
      knownTotal = value
      bar?.setTotal(value)
    },
    finish (succeeded) {
      bar?.stop()
      if (!succeeded) return
      const seconds = (Date.now() - started) / 1000
      process.stderr.write(`ombuds: ${action}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (${rate().toLocaleString('en')} rows/s)\n`)
    }
  }
}
