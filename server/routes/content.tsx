// Content library and playlists (marketing and above), and /media/:sha256, the files the displays play.
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppContext, AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { badRequest, describeIssues } from '../respond.tsx'
import { auditChange } from './console.ts'
import {
  addPlaylistEntry,
  deleteContentItem,
  displayStations,
  editContentItem,
  editPlaylistEntry,
  effectivePlaylist,
  entryEdit,
  entryInput,
  listContentItems,
  movePlaylistEntry,
  playlistOf,
  removePlaylistEntry,
  shaInUse,
  liveMediaType,
} from '../../models/content.ts'
import { getOffice, getStation } from '../../models/offices.ts'
import { ContentPage, contentText, uploadPath, type ContentMessage } from '../../views/content.tsx'
import { PlaylistPage, type PlaylistRow } from '../../views/content-playlist.tsx'
import { receiveUpload } from '../content/upload.ts'
import { pushPlaylists } from '../content/manifest.ts'
import { entryValidAt } from '../../signage/player/manifest.ts'
import { sha256Pattern } from '../content/store.ts'

const refusalStatus = {
  'too-large': 413,
  'unsupported-type': 415,
  'name-mismatch': 415,
  unavailable: 503,
} as Record<string, number>

async function renderLibrary(c: AppContext, message: ContentMessage | null, status = 200) {
  const { database, config } = c.var.deps
  const account = c.var.account!
  const [items, stations] = await Promise.all([
    listContentItems(database.db, account.officeId),
    displayStations(database.db, account.officeId),
  ])
  c.header('Cache-Control', 'no-store')
  return c.html(
    <ContentPage
      lang={c.var.lang}
      csrfToken={c.var.csrfToken}
      account={account}
      items={items}
      stations={stations}
      message={message}
      caps={{
        videoBytes: config.contentMaxVideoBytes,
        imageBytes: config.contentMaxImageBytes,
        pageBytes: config.contentMaxPageBytes,
      }}
    />,
    status as 200,
  )
}

const audit = (c: AppContext, action: string, target: string, detail?: Record<string, unknown>) =>
  c.var.deps.database.write((tx) => auditChange(tx, c, action, target, detail))

const minuteOf = (v: string | undefined, fallback: number) => {
  const m = /^(\d{2}):(\d{2})$/.exec(v ?? '')
  return m ? Number(m[1]) * 60 + Number(m[2]) : fallback
}

// a playlist entry form (add and edit): item, duration, dates, weekday boxes, hours
async function entryForm(c: AppContext) {
  const form = await c.req.parseBody({ all: true })
  const one = (k: string) => {
    const v = form[k]
    return typeof v === 'string' ? v : undefined
  }
  const days = ([] as unknown[]).concat(form.weekday ?? []).map(Number)
  return {
    itemId: one('itemId') ?? '',
    durationS: one('durationS') ? one('durationS') : null,
    fromDay: one('fromDay') || null,
    toDay: one('toDay') || null,
    weekdays: days.reduce<number>(
      (mask, d) => (Number.isInteger(d) && d >= 0 && d < 7 ? mask | (1 << d) : mask),
      0,
    ),
    fromMinute: minuteOf(one('fromTime'), 0),
    toMinute: minuteOf(one('toTime'), 1440) || 1440,
  }
}

export function contentRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'content:manage' })

  app.get('/content', manage, async (c) => {
    const t = contentText[c.var.lang]
    const done = c.req.query('done')
    const message: ContentMessage | null =
      done === 'deleted'
        ? { kind: 'ok', text: t.deleted }
        : done === 'saved'
          ? { kind: 'ok', text: t.saved }
          : null
    return renderLibrary(c, message)
  })

  app.post(uploadPath, manage, async (c) => {
    const account = c.var.account!
    const t = contentText[c.var.lang]
    const outcome = await receiveUpload(c.var.deps, c.req.raw, account.officeId)
    if (!outcome.ok) {
      await audit(c, 'content.refused', outcome.reason)
      const text = t[`refused.${outcome.reason}` as keyof typeof t]
      return renderLibrary(
        c,
        { kind: 'refused', text, details: outcome.details },
        refusalStatus[outcome.reason] ?? 400,
      )
    }
    const { item } = outcome
    await audit(c, outcome.replaced ? 'content.replaced' : 'content.uploaded', item.id, {
      version: item.version,
      bytes: item.bytes,
      mediaType: item.mediaType,
    })
    await pushPlaylists(c.var.deps, account.officeId)
    const uploaded = `${t.uploaded}${item.name} (v${item.version})`
    const warning = outcome.outsideReferences
      ? ` ${t.outsideReferences.replace('{n}', String(outcome.outsideReferences))}`
      : ''
    return renderLibrary(c, { kind: 'ok', text: uploaded + warning })
  })

  app.post('/content/items/:id', manage, async (c) => {
    const account = c.var.account!
    const form = await c.req.parseBody()
    const result = await c.var.deps.database
      .write((tx) =>
        editContentItem({
          tx,
          input: {
            officeId: account.officeId,
            itemId: c.req.param('id'),
            name: form.name,
            durationS: form.durationS,
          },
          now: c.var.deps.clock.now(),
        }),
      )
      .catch((error) => (error instanceof z.ZodError ? error : Promise.reject(error)))
    if (result instanceof z.ZodError) return badRequest(c, 'invalid-input', 400, describeIssues(result))
    if (!result) return badRequest(c, 'not-found', 404)
    await audit(c, 'content.edited', result)
    await pushPlaylists(c.var.deps, account.officeId)
    return c.redirect('/content?done=saved', 303)
  })

  app.post('/content/items/:id/delete', manage, async (c) => {
    const { deps } = c.var
    const account = c.var.account!
    const deleted = await deps.database.write((tx) =>
      deleteContentItem({
        tx,
        input: { officeId: account.officeId, itemId: c.req.param('id') },
        now: deps.clock.now(),
      }),
    )
    if (!deleted) return badRequest(c, 'not-found', 404)
    // the screens first (they drop it at once), then the file
    await pushPlaylists(deps, account.officeId)
    if (deleted.orphanSha && !(await shaInUse(deps.database.db, deleted.orphanSha))) {
      await deps.content?.remove(deleted.orphanSha)
    }
    await audit(c, 'content.deleted', deleted.item.id, {
      name: deleted.item.name,
      version: deleted.item.version,
    })
    return c.redirect('/content?done=deleted', 303)
  })

  app.get('/content/playlists/:scope', manage, async (c) => {
    const { database, clock } = c.var.deps
    const account = c.var.account!
    const scope = await scopeOf(c)
    if (!scope) return badRequest(c, 'not-found', 404)
    const office = await getOffice(database.db, account.officeId)
    // a display without a playlist of its own plays the office default
    const { source, entries } = scope.stationId
      ? await effectivePlaylist(database.db, account.officeId, scope.stationId)
      : { source: 'office' as const, entries: await playlistOf(database.db, account.officeId, null) }
    const usesDefault = !!scope.stationId && source === 'office'
    const rows: PlaylistRow[] = entries.map((e) => ({
      ...e,
      ownDurationMs: e.durationMs,
      durationMs: e.durationMs ?? e.item.durationMs,
    }))
    const now = clock.now()
    const timeZone = office?.timeZone ?? 'Asia/Shanghai'
    const nowPlaying = rows.filter((r) => entryValidAt(r, now, timeZone))
    c.header('Cache-Control', 'no-store')
    return c.html(
      <PlaylistPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        scope={scope.stationId ?? 'office'}
        stationName={scope.name}
        usesDefault={usesDefault}
        rows={usesDefault ? [] : rows}
        nowPlaying={nowPlaying}
        items={await listContentItems(database.db, account.officeId)}
      />,
    )
  })

  app.post('/content/playlists/:scope/entries', manage, async (c) => {
    const { deps } = c.var
    const account = c.var.account!
    const scope = await scopeOf(c)
    if (!scope) return badRequest(c, 'not-found', 404)
    const parsed = entryInput.safeParse(await entryForm(c))
    if (!parsed.success) return badRequest(c, 'invalid-input', 400, describeIssues(parsed.error))
    const id = await deps.database.write((tx) =>
      addPlaylistEntry({
        tx,
        input: { officeId: account.officeId, stationId: scope.stationId, ...parsed.data },
        now: deps.clock.now(),
      }),
    )
    if (!id) return badRequest(c, 'not-found', 404)
    await audit(c, 'playlist.added', id, { station: scope.stationId, item: parsed.data.itemId })
    await pushPlaylists(deps, account.officeId)
    return c.redirect(`/content/playlists/${scope.stationId ?? 'office'}`, 303)
  })

  app.post('/content/entries/:id', manage, async (c) => {
    const account = c.var.account!
    const { itemId: _item, ...fields } = await entryForm(c)
    const parsed = entryEdit.safeParse(fields)
    if (!parsed.success) return badRequest(c, 'invalid-input', 400, describeIssues(parsed.error))
    const entry = await c.var.deps.database.write((tx) =>
      editPlaylistEntry({ tx, input: { officeId: account.officeId, id: c.req.param('id'), ...parsed.data } }),
    )
    if (!entry) return badRequest(c, 'not-found', 404)
    await audit(c, 'playlist.edited', entry.id, { station: entry.stationId, item: entry.itemId })
    await pushPlaylists(c.var.deps, account.officeId)
    return c.redirect(`/content/playlists/${entry.stationId ?? 'office'}`, 303)
  })

  app.post('/content/entries/:id/move', manage, async (c) => {
    const account = c.var.account!
    const form = await c.req.parseBody()
    const by = form.by === '-1' ? -1 : 1
    const entry = await c.var.deps.database.write((tx) =>
      movePlaylistEntry({ tx, input: { officeId: account.officeId, id: c.req.param('id'), by } }),
    )
    if (!entry) return badRequest(c, 'not-found', 404)
    await pushPlaylists(c.var.deps, account.officeId)
    return c.redirect(`/content/playlists/${entry.stationId ?? 'office'}`, 303)
  })

  app.post('/content/entries/:id/delete', manage, async (c) => {
    const account = c.var.account!
    const entry = await c.var.deps.database.write((tx) =>
      removePlaylistEntry({ tx, input: { officeId: account.officeId, id: c.req.param('id') } }),
    )
    if (!entry) return badRequest(c, 'not-found', 404)
    await audit(c, 'playlist.removed', entry.id, { station: entry.stationId, item: entry.itemId })
    await pushPlaylists(c.var.deps, account.officeId)
    return c.redirect(`/content/playlists/${entry.stationId ?? 'office'}`, 303)
  })

  // the displays' service worker: at the root so that it may take /display/ as its scope
  app.get('/display-sw.js', async (c) => {
    const body = await c.var.deps.assets('assets/signage/display-sw.mjs')
    if (!body) return badRequest(c, 'not-found', 404)
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    })
  })

  // what the displays play: public by an unguessable content hash (screens have no staff session), only while
  // a live item uses it; verified media types only, never sniffed by the browser
  app.get('/media/:sha256', async (c) => {
    const sha = c.req.param('sha256')
    const { deps } = c.var
    if (!sha256Pattern.test(sha) || !deps.content) return badRequest(c, 'not-found', 404)
    const item = await liveMediaType(deps.database.db, sha)
    // a page is only ever served sandboxed, from /display/page/ (never with our origin)
    const file = item && item.kind !== 'page' ? await deps.content.open(sha) : null
    if (!item || !file) return badRequest(c, 'not-found', 404)
    const headers: Record<string, string> = {
      'Content-Type': item.mediaType,
      'Cache-Control': 'private, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Accept-Ranges': 'bytes',
      ETag: `"${sha}"`,
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(c.req.header('range') ?? '')
    if (range && file.size > 0) {
      const start = range[1] ? Number(range[1]) : Math.max(0, file.size - Number(range[2]))
      const end = range[1] && range[2] ? Math.min(Number(range[2]), file.size - 1) : file.size - 1
      if (start > end || start >= file.size) {
        return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${file.size}` } })
      }
      return new Response(file.stream(start, end), {
        status: 206,
        headers: {
          ...headers,
          'Content-Range': `bytes ${start}-${end}/${file.size}`,
          'Content-Length': String(end - start + 1),
        },
      })
    }
    return new Response(file.stream(), { headers: { ...headers, 'Content-Length': String(file.size) } })
  })

  // an uploaded web page, for the displays' frames and the library's preview: public like /media; server/app.ts
  // gives this path its sandboxing CSP (server/content/page.ts) instead of the site's
  app.get('/display/page/:sha256', async (c) => {
    const sha = c.req.param('sha256')
    const { deps } = c.var
    if (!sha256Pattern.test(sha) || !deps.content) return badRequest(c, 'not-found', 404)
    const item = await liveMediaType(deps.database.db, sha)
    const file = item?.kind === 'page' ? await deps.content.open(sha) : null
    if (!file) return badRequest(c, 'not-found', 404)
    return new Response(file.stream(), {
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
        // not from the browser's HTTP cache: offline, the display's service worker answers from the Cache API
        // (where the player keeps exactly the pages its playlist uses) — one path, the one the tests check
        'Cache-Control': 'no-cache',
        'Content-Length': String(file.size),
        ETag: `"${sha}"`,
      },
    })
  })

  return app
}

// 'office' (the default playlist) or one of the office's display stations
async function scopeOf(c: AppContext) {
  const scope = c.req.param('scope')!
  if (scope === 'office') return { stationId: null, name: null }
  const station = await getStation(c.var.deps.database.db, scope)
  if (!station || station.officeId !== c.var.account!.officeId || station.kind !== 'display') return null
  return { stationId: station.id, name: station.name }
}
