// The one CSV writer of every export: RFC 4180 quoting, CRLF, UTF-8 with BOM, and no cell a spreadsheet runs as a formula.
import { stringify } from 'csv-stringify/sync'

export const bom = '\uFEFF'

// a cell that starts like a formula or a DDE call (= + - @, or a tab or CR before one) is read by Excel,
// LibreOffice and Sheets as code; a leading apostrophe makes it text. Plain numbers ("-3") stay numbers.
const formulaStart = /^[=+\-@\t\r]/
const plainNumber = /^-?\d+(\.\d+)?$/

export function neutralise(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text
}

export function csvRows(rows: readonly (readonly unknown[])[]): string {
  if (!rows.length) return ''
  return stringify(
    rows.map((row) => row.map(neutralise)),
    { record_delimiter: '\r\n' },
  )
}

// a whole file: BOM (Excel then reads Chinese right), "# …" comment lines each kept in one cell, header, rows
export function csvFile({
  comments = [],
  header,
  rows,
}: {
  comments?: readonly string[]
  header: readonly string[]
  rows: readonly (readonly unknown[])[]
}): string {
  return bom + csvHead({ comments, header }) + csvRows(rows)
}

// the start of a streamed file; the rows follow in batches through csvRows
export function csvHead({
  comments = [],
  header,
}: {
  comments?: readonly string[]
  header: readonly string[]
}) {
  const oneLine = comments.map((line) => [line.replace(/[\r\n]+/g, ' ')])
  return csvRows([...oneLine, header])
}
