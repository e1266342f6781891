// One upload from the content page: multipart streamed to a staged file under the size cap of its kind, checked
// from its bytes, then stored by SHA-256 and added to the library (or refused with nothing stored).
import type { AppDeps } from '../context.ts'
import { checkContent, sniff, sniffBytes, type Refusal } from './check.ts'
import { boundaryOf, readMultipart, MultipartError } from './multipart.ts'
import { nameAgrees } from './page.ts'
import type { StagingWriter } from './store.ts'
import {
  addContentItem,
  itemDurationS,
  itemName,
  replaceContentFile,
  shaInUse,
  type ContentItem,
} from '../../models/content.ts'

export type UploadRefusal =
  Refusal | 'name-mismatch' | 'malformed' | 'no-file' | 'invalid-input' | 'unavailable'
export type UploadOutcome =
  // outsideReferences: what a page loads by URL, which the screens will not show (the uploader is told)
  | { ok: true; item: ContentItem; replaced: boolean; outsideReferences: number }
  | { ok: false; reason: UploadRefusal; details?: string[] }

export const defaultImageDurationS = 10
// a page is read, not glanced at
export const defaultPageDurationS = 15
// multipart overhead allowed on top of the largest file
const envelopeBytes = 64 * 1024

export async function receiveUpload(
  deps: AppDeps,
  request: Request,
  officeId: string,
): Promise<UploadOutcome> {
  const store = deps.content
  if (!store) return { ok: false, reason: 'unavailable' }
  const {
    contentMaxVideoBytes: videoCap,
    contentMaxImageBytes: imageCap,
    contentMaxPageBytes: pageCap,
  } = deps.config
  const largestCap = Math.max(videoCap, imageCap, pageCap)
  const boundary = boundaryOf(request.headers.get('content-type') ?? undefined)
  if (!boundary || !request.body) return { ok: false, reason: 'malformed' }
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > largestCap + envelopeBytes) return { ok: false, reason: 'too-large' }

  const fields = new Map<string, string>()
  let staging: StagingWriter | null = null
  let files = 0
  let received = 0
  let head = new Uint8Array(0)
  // the cap of the kind the first bytes claim; until they are in, the largest
  let cap = largestCap
  let tooLarge = false
  const finishHead = async () => {
    const type = await sniff(head)
    if (type) cap = { video: videoCap, image: imageCap, page: pageCap }[type.kind]
  }
  try {
    await readMultipart(request.body, boundary, {
      onField: (name, value) => void fields.set(name, value),
      onFile: (part) => {
        files++
        if (files === 1) fields.set('filename', part.filename)
        return {
          async write(chunk) {
            if (files > 1) return
            received += chunk.byteLength
            // a sender that goes on far past the cap is cut off (the connection closes)
            if (received > 2 * cap + envelopeBytes) throw new MultipartError('field-too-large')
            if (tooLarge) return
            if (!staging) staging = await store.stage()
            const headWasShort = head.length < sniffBytes
            if (headWasShort) {
              const joined = new Uint8Array(Math.min(sniffBytes, head.length + chunk.byteLength))
              joined.set(head)
              joined.set(chunk.subarray(0, joined.length - head.length), head.length)
              head = joined
              if (head.length === sniffBytes) await finishHead()
            }
            if (received > cap) {
              // refused: what was written goes; the rest of the request is read and dropped, so the browser
              // gets the answer instead of a reset connection
              tooLarge = true
              await staging.abort()
              staging = null
              return
            }
            await staging.write(chunk)
          },
          async close() {
            if (files === 1 && !tooLarge && head.length < sniffBytes) await finishHead()
            if (received > cap && !tooLarge) {
              tooLarge = true
              await staging?.abort()
              staging = null
            }
          },
        }
      },
    })
  } catch (error) {
    await (staging as StagingWriter | null)?.abort()
    if (error instanceof MultipartError) return { ok: false, reason: tooLarge ? 'too-large' : 'malformed' }
    throw error
  }
  if (tooLarge) return { ok: false, reason: 'too-large' }
  if (files !== 1) {
    await (staging as StagingWriter | null)?.abort()
    return { ok: false, reason: files ? 'malformed' : 'no-file' }
  }
  if (!staging) return { ok: false, reason: 'empty' }
  const staged = await (staging as StagingWriter).finish()
  const checked = await checkContent(staged)
  if (!checked.ok) {
    await staged.discard()
    return { ok: false, reason: checked.reason }
  }
  const filename = fields.get('filename') ?? ''
  if (!nameAgrees(filename, checked.kind)) {
    await staged.discard()
    return { ok: false, reason: 'name-mismatch' }
  }
  const name = itemName.safeParse(
    fields.get('name') || checked.title || filename.replace(/\.[^.]*$/, '') || 'item',
  )
  const durationField = fields.get('durationS') ?? ''
  const mediaDurationS = checked.durationMs ? Math.max(1, Math.ceil(checked.durationMs / 1000)) : null
  const kindDurationS = checked.kind === 'page' ? defaultPageDurationS : defaultImageDurationS
  const duration = itemDurationS.safeParse(durationField || mediaDurationS || kindDurationS)
  if (!name.success || !duration.success) {
    await staged.discard()
    const issues = [...(name.error?.issues ?? []), ...(duration.error?.issues ?? [])]
    return { ok: false, reason: 'invalid-input', details: issues.map((i) => i.message) }
  }
  await staged.commit()
  const now = deps.clock.now()
  const file = {
    kind: checked.kind,
    mediaType: checked.mediaType,
    sha256: staged.sha256,
    bytes: staged.bytes,
    durationMs: duration.data * 1000,
  }
  const replaces = fields.get('replaces') || null
  try {
    const result = await deps.database.write(async (tx) => {
      if (replaces) {
        const replaced = await replaceContentFile({ tx, input: { officeId, itemId: replaces, ...file }, now })
        if (!replaced) return null
        const orphan = (await shaInUse(tx, replaced.previousSha)) ? null : replaced.previousSha
        return { item: replaced.item, replaced: true, orphan }
      }
      const item = await addContentItem({ tx, input: { officeId, name: name.data, ...file }, now })
      return { item, replaced: false, orphan: null }
    })
    if (!result) {
      if (!(await shaInUse(deps.database.db, staged.sha256))) await store.remove(staged.sha256)
      return { ok: false, reason: 'invalid-input', details: ['replaces: no such item'] }
    }
    if (result.orphan) await store.remove(result.orphan)
    return {
      ok: true,
      item: result.item,
      replaced: result.replaced,
      outsideReferences: checked.outsideReferences ?? 0,
    }
  } catch (error) {
    if (!(await shaInUse(deps.database.db, staged.sha256))) await store.remove(staged.sha256)
    throw error
  }
}
