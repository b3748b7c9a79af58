/** One JSON object per line: what scripts read (`--json`). */
export function writeJsonLine (value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

/**
 * Rows as aligned columns for people; a null cell prints as `-`. Cells are cut to
 * `maxWidth` characters so one long excerpt does not push the table off the screen.
 */
export function writeTable (columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>, maxWidth = 48): void {
  const cell = (value: unknown): string => {
    const text = value === null || value === undefined ? '-' : String(value).replace(/\s+/g, ' ')
    return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text
  }
  const cells = rows.map((row) => columns.map((column) => cell(row[column])))
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]?.length ?? 0)))
  const line = (values: readonly string[]): string => values.map((value, i) => value.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  process.stdout.write([line(columns.map((column) => column.toUpperCase())), ...cells.map(line)].join('\n') + '\n')
}
