// A playlist entry's duration and validity window are edited in place: same item and position, the form shows the
// entry's own values, bad windows and other offices' entries change nothing, and the edit is audited.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../../helpers/app.ts'
import { makeTestMedia, type TestMedia } from '../../helpers/media.ts'
import { nodeContentStore } from '../../../server/content/store-node.ts'
import { contentItems, playlistEntries } from '../../../models/content.ts'
import { uploadPath } from '../../../views/content.tsx'
import { auditLog } from '../../../models/audit.ts'

let media: TestMedia
let dir: string
let t: TestApp
let marketing: Client

before(async () => {
  media = await makeTestMedia()
  dir = await mkdtemp(path.join(tmpdir(), 'showroom-playlist-'))
  t = await makeTestApp({ content: nodeContentStore(dir) })
  marketing = new Client(t.app)
  await marketing.login('marketing', t.passwordOf('marketing'))
})
after(async () => {
  await media.cleanup()
  await rm(dir, { recursive: true, force: true })
})

async function uploadItem(name: string) {
  const form = new FormData()
  form.set('name', name)
  form.set('file', new Blob([await readFile(media.png)]), 'plan.png')
  const response = await marketing.request(`${uploadPath}?_csrf=${marketing.csrf}`, {
    method: 'POST',
    body: form,
  })
  assert.equal(response.status, 200)
  const [item] = await t.database.db.select().from(contentItems).where(eq(contentItems.name, name))
  return item!
}

// a form with repeated fields (one weekday box each), as the browser sends it
function postForm(client: Client, url: string, fields: Record<string, string | string[]>, csrf = true) {
  const body = new URLSearchParams(csrf ? { _csrf: client.csrf } : {})
  for (const [name, value] of Object.entries(fields))
    for (const one of ([] as string[]).concat(value)) body.append(name, one)
  return client.request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
}

const entries = () => t.database.db.select().from(playlistEntries).orderBy(playlistEntries.position)

test('an entry’s duration, dates, weekdays and hours change in place; the page shows them in the edit form', async () => {
  const plan = await uploadItem('户型图 Plan')
  const brochure = await uploadItem('楼书 Brochure')
  const display = t.seeded.stations.find((s) => s.kind === 'display')!
  for (const item of [plan, brochure]) {
    const added = await postForm(marketing, `/content/playlists/${display.id}/entries`, {
      itemId: item.id,
      weekday: ['0', '1', '2', '3', '4', '5', '6'],
    })
    assert.equal(added.status, 303, await added.clone().text())
  }
  const [first, second] = await entries()
  const edited = await postForm(marketing, `/content/entries/${first!.id}`, {
    durationS: '7',
    fromDay: '2026-12-01',
    toDay: '2026-12-31',
    weekday: ['5', '6'],
    fromTime: '09:30',
    toTime: '18:00',
  })
  assert.equal(edited.status, 303)
  assert.equal(edited.headers.get('location'), `/content/playlists/${display.id}`)
  const [after1, after2] = await entries()
  assert.deepEqual(
    {
      id: after1!.id,
      itemId: after1!.itemId,
      position: after1!.position,
      durationMs: after1!.durationMs,
      fromDay: after1!.fromDay,
      toDay: after1!.toDay,
      weekdays: after1!.weekdays,
      fromMinute: after1!.fromMinute,
      toMinute: after1!.toMinute,
    },
    {
      id: first!.id,
      itemId: plan.id,
      position: first!.position,
      durationMs: 7000,
      fromDay: '2026-12-01',
      toDay: '2026-12-31',
      weekdays: 0b1100000,
      fromMinute: 570,
      toMinute: 1080,
    },
  )
  assert.deepEqual(after2, second, 'the other entry is untouched')

  const page = await (await marketing.get(`/content/playlists/${display.id}?lang=en`)).text()
  const form = page.slice(page.indexOf(`action="/content/entries/${first!.id}"`))
  assert.match(form, /name="durationS"[^>]*value="7"/)
  assert.match(form, /name="fromDay" value="2026-12-01"/)
  assert.match(form, /name="fromTime" value="09:30"/)
  assert.match(page, /Sat Sun · 09:30–18:00|2026-12-01 – 2026-12-31 · Sat Sun · 09:30–18:00/)

  const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'playlist.edited'))
  assert.deepEqual(
    audit.map((a) => a.target),
    [first!.id],
  )

  // back to "the item's duration, always"
  await postForm(marketing, `/content/entries/${first!.id}`, {
    weekday: ['0', '1', '2', '3', '4', '5', '6'],
  })
  const [reset] = await entries()
  assert.deepEqual(
    [reset!.durationMs, reset!.fromDay, reset!.toDay, reset!.weekdays, reset!.fromMinute, reset!.toMinute],
    [null, null, null, 0b1111111, 0, 1440],
  )
})

test('a bad window, an unknown entry, a forged form or a sales account change nothing', async () => {
  const before = await entries()
  assert.ok(before.length > 0)
  const id = before[0]!.id
  for (const [fields, status] of [
    [{ fromTime: '18:00', toTime: '09:00', weekday: '0' }, 400],
    [{ fromDay: '2026-12-31', toDay: '2026-12-01', weekday: '0' }, 400],
    [{ durationS: '7' }, 400],
    [{ durationS: '-3', weekday: '0' }, 400],
    [{ fromDay: '<script>', weekday: '0' }, 400],
  ] as const) {
    const response = await marketing.post(`/content/entries/${id}`, fields)
    assert.equal(response.status, status, JSON.stringify(fields))
  }
  assert.equal((await marketing.post('/content/entries/no-such-entry', { weekday: '0' })).status, 404)
  const forged = await postForm(marketing, `/content/entries/${id}`, { durationS: '9', weekday: '0' }, false)
  assert.equal(forged.status, 403)
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  assert.equal((await sales.post(`/content/entries/${id}`, { durationS: '9', weekday: '0' })).status, 403)
  assert.deepEqual(await entries(), before)
})
