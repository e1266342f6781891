// A streaming multipart/form-data reader on Web streams: small fields in memory, a file part handed on chunk by
// chunk (never the whole file in memory), every size bounded.
export class MultipartError extends Error {
  constructor(readonly code: 'malformed' | 'too-many-parts' | 'field-too-large') {
    super(`multipart: ${code}`)
  }
}

export type FilePart = { field: string; filename: string; contentType: string }
export type MultipartHandlers = {
  onField(name: string, value: string): void
  // called once per file part; the sink receives its bytes in order, then close()
  onFile(part: FilePart): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> }
}

export const multipartLimits = { headerBytes: 8 * 1024, fieldBytes: 4 * 1024, parts: 12 }

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType)
  return match ? (match[1] ?? match[2])! : null
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!
  for (let i = haystack.indexOf(first, from); i !== -1; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.length > haystack.length) return -1
    let j = 1
    while (j < needle.length && haystack[i + j] === needle[j]) j++
    if (j === needle.length) return i
  }
  return -1
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

function parseHeaders(text: string) {
  const headers = new Map<string, string>()
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const disposition = headers.get('content-disposition') ?? ''
  if (!/^form-data\s*;/i.test(disposition)) throw new MultipartError('malformed')
  const param = (key: string) =>
    new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(disposition)?.[1] ??
    new RegExp(`;\\s*${key}=([^;\\s]*)`, 'i').exec(disposition)?.[1]
  const name = param('name')
  if (name === undefined) throw new MultipartError('malformed')
  return { name, filename: param('filename'), contentType: headers.get('content-type') ?? '' }
}

// reads the whole body; resolves when the closing boundary is seen, rejects on anything malformed or too big
export async function readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  handlers: MultipartHandlers,
): Promise<void> {
  const delimiter = encoder.encode(`\r\n--${boundary}`)
  const reader = body.getReader()
  // the first boundary has no CRLF before it; pretending one was there makes every boundary look alike
  let buffer: Uint8Array = encoder.encode('\r\n')
  let state: 'preamble' | 'after-boundary' | 'headers' | 'field' | 'file' = 'preamble'
  let parts = 0
  let field: { name: string; bytes: Uint8Array } = { name: '', bytes: new Uint8Array(0) }
  let sink: ReturnType<MultipartHandlers['onFile']> | null = null
  let ended = false
  const more = async () => {
    const { done, value } = await reader.read()
    if (done) ended = true
    else buffer = concat(buffer, value)
    return !done
  }
  try {
    for (;;) {
      if (state === 'preamble') {
        const at = indexOf(buffer, delimiter)
        if (at === -1) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length))
          if (!(await more())) throw new MultipartError('malformed')
          continue
        }
        buffer = buffer.subarray(at + delimiter.length)
        state = 'after-boundary'
      } else if (state === 'after-boundary') {
        if (buffer.length < 2) {
          if (!(await more())) throw new MultipartError('malformed')
          continue
        }
        if (buffer[0] === 0x2d && buffer[1] === 0x2d) return // "--": the closing boundary
        if (buffer[0] !== 0x0d || buffer[1] !== 0x0a) throw new MultipartError('malformed')
        buffer = buffer.subarray(2)
        state = 'headers'
      } else if (state === 'headers') {
        const end = indexOf(buffer, encoder.encode('\r\n\r\n'))
        if (end === -1) {
          if (buffer.length > multipartLimits.headerBytes) throw new MultipartError('malformed')
          if (!(await more())) throw new MultipartError('malformed')
          continue
        }
        if (++parts > multipartLimits.parts) throw new MultipartError('too-many-parts')
        const head = parseHeaders(decoder.decode(buffer.subarray(0, end)))
        buffer = buffer.subarray(end + 4)
        if (head.filename !== undefined) {
          sink = handlers.onFile({ field: head.name, filename: head.filename, contentType: head.contentType })
          state = 'file'
        } else {
          field = { name: head.name, bytes: new Uint8Array(0) }
          state = 'field'
        }
      } else {
        const at = indexOf(buffer, delimiter)
        // without a delimiter, everything but a tail that could be the start of one belongs to this part
        const usable = at === -1 ? Math.max(0, buffer.length - delimiter.length + 1) : at
        if (usable > 0) {
          const chunk = buffer.subarray(0, usable)
          if (state === 'file') await sink!.write(chunk.slice())
          else {
            field.bytes = concat(field.bytes, chunk.slice())
            if (field.bytes.length > multipartLimits.fieldBytes) throw new MultipartError('field-too-large')
          }
          buffer = buffer.subarray(usable)
        }
        if (at === -1) {
          if (!(await more())) throw new MultipartError('malformed')
          continue
        }
        buffer = buffer.subarray(delimiter.length)
        if (state === 'file') {
          await sink!.close()
          sink = null
        } else handlers.onField(field.name, decoder.decode(field.bytes))
        state = 'after-boundary'
      }
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined)
  }
}
