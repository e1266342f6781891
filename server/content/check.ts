// What an uploaded file is, from its bytes alone: the type by signature (file-type), then its structure
// (an MP4 whose boxes tile the file and hold an H.264 track; images whose container ends where it should;
// a page that opens as HTML and is UTF-8 text throughout).
import { fileTypeFromBuffer } from 'file-type/core'
import type { ContentKind, ContentMediaType } from '../../models/content.ts'
import { looksLikeHtml, pageTitle, readPageText } from './page.ts'

export type Refusal = 'empty' | 'unsupported-type' | 'damaged' | 'not-h264' | 'not-utf8' | 'too-large'
export type Checked =
  | {
      ok: true
      kind: ContentKind
      mediaType: ContentMediaType
      durationMs: number | null
      // a page's <title> (its default name), and how many things it loads by URL (they will not show)
      title?: string | null
      outsideReferences?: number
    }
  | { ok: false; reason: Refusal }

export type RandomRead = { bytes: number; read(offset: number, length: number): Promise<Uint8Array> }

// bytes file-type needs to recognise every type it knows
export const sniffBytes = 4100

const supported: Record<string, { kind: ContentKind; mediaType: ContentMediaType }> = {
  'image/jpeg': { kind: 'image', mediaType: 'image/jpeg' },
  'image/png': { kind: 'image', mediaType: 'image/png' },
  'image/webp': { kind: 'image', mediaType: 'image/webp' },
  'video/mp4': { kind: 'video', mediaType: 'video/mp4' },
}
const page = { kind: 'page', mediaType: 'text/html' } as const

// from the first bytes: which of our types this claims to be (null: none), so the size cap can apply early
export async function sniff(head: Uint8Array) {
  const type = await fileTypeFromBuffer(head).catch(() => undefined)
  // file-type calls some MP4 brands video/quicktime or audio/mp4; the box walk decides what they hold
  const mime = type?.mime === 'video/quicktime' || type?.mime === 'video/x-m4v' ? 'video/mp4' : type?.mime
  if (mime) return supported[mime] ?? null
  // text has no signature: a page is what opens as an HTML document
  return looksLikeHtml(head) ? page : null
}

export async function checkContent(file: RandomRead): Promise<Checked> {
  if (file.bytes === 0) return { ok: false, reason: 'empty' }
  const head = await file.read(0, sniffBytes)
  const type = await sniff(head)
  if (!type) return { ok: false, reason: 'unsupported-type' }
  if (type.kind === 'page') {
    const text = await readPageText(file)
    if (!text) return { ok: false, reason: 'not-utf8' }
    return { ok: true, ...type, durationMs: null, title: pageTitle(head), ...text }
  }
  if (type.kind === 'video') {
    const mp4 = await walkMp4(file)
    if (mp4 === 'damaged' || mp4 === 'not-h264') return { ok: false, reason: mp4 }
    return { ok: true, ...type, durationMs: mp4.durationMs }
  }
  const tail = await file.read(Math.max(0, file.bytes - 32), 32)
  if (!imageIntact(type.mediaType, head, tail, file.bytes)) return { ok: false, reason: 'damaged' }
  return { ok: true, ...type, durationMs: null }
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n))
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at)

function imageIntact(mediaType: ContentMediaType, head: Uint8Array, tail: Uint8Array, bytes: number) {
  if (mediaType === 'image/png') {
    // IHDR first, IEND last (a PNG header glued to anything else has no IEND at its end)
    return ascii(head, 12, 4) === 'IHDR' && ascii(tail, tail.length - 8, 4) === 'IEND'
  }
  if (mediaType === 'image/webp') {
    const riffSize = new DataView(head.buffer, head.byteOffset).getUint32(4, true)
    const chunk = ascii(head, 12, 4)
    return riffSize + 8 + (riffSize % 2) >= bytes && riffSize + 8 <= bytes && chunk.startsWith('VP8')
  }
  // JPEG: an end-of-image marker near the end (encoders may pad after it)
  for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true
  return false
}

// the largest moov we read into memory (a 200 MB, 1-hour video's moov is a few MB)
const maxMoovBytes = 32 * 1024 * 1024
const containers = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl'])

type Box = { type: string; start: number; headerBytes: number; size: number }

// boxes laid end to end from `start` to `end` of a byte source; null when they do not tile it exactly
async function boxesIn(
  read: (offset: number, length: number) => Promise<Uint8Array>,
  start: number,
  end: number,
): Promise<Box[] | null> {
  const boxes: Box[] = []
  for (let at = start; at < end;) {
    if (end - at < 8) return null
    const head = await read(at, 16)
    let size = u32(head, 0)
    const type = ascii(head, 4, 4)
    if (!/^[A-Za-z0-9 ©_-]{4}$/.test(type)) return null
    let headerBytes = 8
    if (size === 1) {
      if (head.length < 16) return null
      size = u32(head, 8) * 2 ** 32 + u32(head, 12)
      headerBytes = 16
    } else if (size === 0) size = end - at
    if (size < headerBytes || at + size > end) return null
    boxes.push({ type, start: at, headerBytes, size })
    at += size
  }
  return boxes
}

async function walkMp4(file: RandomRead): Promise<{ durationMs: number | null } | 'damaged' | 'not-h264'> {
  const top = await boxesIn((o, n) => file.read(o, n), 0, file.bytes)
  if (!top || top[0]?.type !== 'ftyp') return 'damaged'
  const moov = top.find((b) => b.type === 'moov')
  if (!moov || !top.some((b) => b.type === 'mdat') || moov.size > maxMoovBytes) return 'damaged'
  const bytes = await file.read(moov.start, moov.size)
  const inMoov = async (o: number, n: number) => bytes.subarray(o, o + n)
  let durationMs: number | null = null
  let h264 = false
  const walk = async (box: Box): Promise<boolean> => {
    const body = box.start + box.headerBytes
    if (box.type === 'mvhd') {
      const v = bytes[body]
      const [scale, duration] =
        v === 1
          ? [u32(bytes, body + 20), u32(bytes, body + 24) * 2 ** 32 + u32(bytes, body + 28)]
          : [u32(bytes, body + 12), u32(bytes, body + 16)]
      if (scale > 0 && Number.isFinite(duration)) durationMs = Math.round((duration / scale) * 1000)
    }
    if (box.type === 'stsd') {
      // version/flags, entry count, then sample entries: box headers whose type names the codec
      const entries = await boxesIn(inMoov, body + 8, box.start + box.size)
      if (!entries) return false
      if (entries.some((e) => e.type === 'avc1' || e.type === 'avc3')) h264 = true
      return true
    }
    if (!containers.has(box.type)) return true
    const children = await boxesIn(inMoov, body, box.start + box.size)
    if (!children) return false
    for (const child of children) if (!(await walk(child))) return false
    return true
  }
  if (!(await walk({ ...moov, start: 0 }))) return 'damaged'
  return h264 ? { durationMs } : 'not-h264'
}
