// The demo office's signage content: generated at first start with ffmpeg, checked like an upload, on the
// office default playlist (no binary file in the repository).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { makeTestApp } from '../../helpers/app.ts'
import { nodeContentStore } from '../../../server/content/store-node.ts'
import { seedDemoContent } from '../../../server/content/demo-node.ts'
import { manifestFor } from '../../../server/content/manifest.ts'

test('demo content: a floor plan, an H.264 film and a price-policy page on the office default playlist', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-demo-content-'))
  try {
    const t = await makeTestApp({ content: nodeContentStore(dir) })
    await seedDemoContent(t.deps, t.seeded.officeId)
    const display = t.seeded.stations.find((s) => s.kind === 'display')!
    const manifest = await manifestFor(t.database.db, { id: display.id, officeId: t.seeded.officeId })
    assert.deepEqual(
      manifest.entries.map((e) => [e.kind, e.durationMs]),
      [
        ['image', 8000],
        ['video', 6000],
        ['page', 12000],
      ],
    )
    assert.equal((await nodeContentStore(dir).list()).length, 3)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
