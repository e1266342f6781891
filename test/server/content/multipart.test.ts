// The streaming multipart reader: any split of the body into chunks gives the same fields and file bytes;
// malformed bodies and oversized fields are refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { boundaryOf, readMultipart, MultipartError } from '../../../server/content/multipart.ts'

const boundary = '----formBoundary7MA4YWxkTrZu0gW'
const encoder = new TextEncoder()

function body(fields: Record<string, string>, file: Uint8Array) {
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  )
  const head = encoder.encode(
    parts.join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const out = new Uint8Array(head.length + file.length + tail.length)
  out.set(head)
  out.set(file, head.length)
  out.set(tail, head.length + file.length)
  return out
}

function streamOf(bytes: Uint8Array, cuts: number[]) {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const pieces: Uint8Array[] = []
  let last = 0
  for (const p of [...points, bytes.length]) {
    if (p > last) pieces.push(bytes.slice(last, p))
    last = p
  }
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pieces.shift()
      if (next) controller.enqueue(next)
      else controller.close()
    },
  })
}

async function parse(stream: ReadableStream<Uint8Array>) {
  const fields: Record<string, string> = {}
  const chunks: Uint8Array[] = []
  let filename = ''
  await readMultipart(stream, boundary, {
    onField: (name, value) => void (fields[name] = value),
    onFile: (part) => {
      filename = part.filename
      return { write: async (c) => void chunks.push(c), close: async () => undefined }
    },
  })
  return { fields, filename, file: Buffer.concat(chunks) }
}

test('any chunking: the same fields and the same file bytes (even bytes that look like a boundary)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 3000 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.string({ maxLength: 40 }).filter((s) => !s.includes('\r') && !s.includes('\n')),
      async (file, cuts, name) => {
        // a near-boundary inside the file: must stay file content
        const tricky = new Uint8Array([...file, ...encoder.encode(`\r\n--${boundary.slice(0, -1)}`), 1, 2])
        const got = await parse(streamOf(body({ name, durationS: '7' }, tricky), cuts))
        assert.deepEqual(got.fields, { name, durationS: '7' })
        assert.equal(got.filename, 'a.bin')
        assert.deepEqual(new Uint8Array(got.file), tricky)
      },
    ),
    { numRuns: 150 },
  )
})

test('malformed bodies and oversized fields are refused', async () => {
  const good = body({ name: 'x' }, new Uint8Array([1, 2, 3]))
  const cut = good.slice(0, good.length - 10)
  await assert.rejects(parse(streamOf(cut, [])), MultipartError)
  await assert.rejects(parse(streamOf(encoder.encode('no boundary here'), [])), MultipartError)
  await assert.rejects(
    parse(streamOf(body({ name: 'x'.repeat(5000) }, new Uint8Array(1)), [])),
    /field-too-large/,
  )
  assert.equal(boundaryOf(`multipart/form-data; boundary=${boundary}`), boundary)
  assert.equal(boundaryOf('multipart/form-data; boundary="quoted"'), 'quoted')
  assert.equal(boundaryOf('application/json'), null)
})
