// The content store on the Node file system: DATA_DIR/content/<sha256>, 0600, written through a temp file.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { sha256Pattern, type ContentStore, type StagedFile } from './store.ts'

export function nodeContentStore(dir: string): ContentStore {
  const ready = mkdir(path.join(dir, 'incoming'), { recursive: true, mode: 0o700 })
  const fileOf = (sha256: string) => {
    if (!sha256Pattern.test(sha256)) throw new Error('not a sha256')
    return path.join(dir, sha256)
  }
  return {
    async stage() {
      await ready
      const temp = path.join(dir, 'incoming', randomBytes(12).toString('hex'))
      const handle: FileHandle = await open(temp, 'wx', 0o600)
      const hash = createHash('sha256')
      let bytes = 0
      let closed = false
      const close = async () => {
        if (!closed) await handle.close()
        closed = true
      }
      const staged = (sha256: string): StagedFile => ({
        sha256,
        bytes,
        async read(offset, length) {
          const reader = await open(temp, 'r')
          try {
            const buffer = new Uint8Array(Math.max(0, Math.min(length, bytes - offset)))
            const { bytesRead } = await reader.read(buffer, 0, buffer.length, offset)
            return buffer.subarray(0, bytesRead)
          } finally {
            await reader.close()
          }
        },
        async commit() {
          const target = fileOf(sha256)
          const existing = await stat(target).catch(() => null)
          if (existing) await rm(temp, { force: true })
          else await rename(temp, target)
        },
        discard: () => rm(temp, { force: true }),
      })
      return {
        async write(chunk) {
          hash.update(chunk)
          bytes += chunk.byteLength
          // one write at a time: the request is read no faster than the disk takes it (no buffering)
          let done = 0
          while (done < chunk.byteLength) {
            const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done)
            done += bytesWritten
          }
        },
        async finish() {
          await handle.sync()
          await close()
          return staged(hash.digest('hex'))
        },
        async abort() {
          await close()
          await rm(temp, { force: true })
        },
      }
    },
    async open(sha256) {
      if (!sha256Pattern.test(sha256)) return null
      const file = fileOf(sha256)
      const info = await stat(file).catch(() => null)
      if (!info?.isFile()) return null
      return {
        size: info.size,
        stream: (start = 0, end = info.size - 1) =>
          Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>,
      }
    },
    async remove(sha256) {
      await rm(fileOf(sha256), { force: true })
    },
    async list() {
      await ready
      const names = await readdir(dir)
      const incoming = await readdir(path.join(dir, 'incoming'))
      return [...names.filter((n) => sha256Pattern.test(n)), ...incoming.map((n) => `incoming/${n}`)]
    },
  }
}
