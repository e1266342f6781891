// One playlist (a display's own, or the office default): entries in order with windows, add/move/remove, preview.
import type { Language } from '../models/consents.ts'
import type { ContentItem } from '../models/content.ts'
import type { SignedIn } from '../server/context.ts'
import type { ManifestEntry } from '../signage/player/manifest.ts'
import { Csrf, Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { Thumb } from './content.tsx'

const text = {
  'zh-CN': {
    title: '播放列表',
    officeDefault: '案场默认列表',
    usesDefault: '此屏幕没有自己的列表，正在播放案场默认列表。',
    back: '返回内容库',
    item: '内容',
    duration: '时长（秒）',
    durationHint: '留空用内容时长',
    window: '有效期',
    always: '一直有效',
    fromDay: '开始日期',
    toDay: '结束日期',
    weekdays: '星期',
    hours: '时段',
    fromTime: '开始时间',
    toTime: '结束时间',
    add: '加入列表',
    up: '上移',
    down: '下移',
    remove: '移除',
    edit: '修改时长与有效期',
    save: '保存',
    preview: '预览：现在播放',
    nothingNow: '此刻没有可播放的内容（屏幕显示展区名称）。',
    loop: '一轮共 {s} 秒',
    empty: '列表为空。',
    days: '一,二,三,四,五,六,日',
  },
  en: {
    title: 'Playlist',
    officeDefault: 'Office default playlist',
    usesDefault: 'This display has no playlist of its own; it plays the office default.',
    back: 'Back to the library',
    item: 'Item',
    duration: 'Duration (s)',
    durationHint: "empty: the item's duration",
    window: 'Valid',
    always: 'always',
    fromDay: 'From date',
    toDay: 'To date',
    weekdays: 'Weekdays',
    hours: 'Hours',
    fromTime: 'From',
    toTime: 'To',
    add: 'Add to playlist',
    up: 'Up',
    down: 'Down',
    remove: 'Remove',
    edit: 'Edit duration and window',
    save: 'Save',
    preview: 'Preview: playing now',
    nothingNow: 'Nothing may play right now (the screen shows its zone name).',
    loop: 'one loop: {s} s',
    empty: 'The playlist is empty.',
    days: 'Mon,Tue,Wed,Thu,Fri,Sat,Sun',
  },
} satisfies Texts<Record<string, string>>

export const playlistIds = { entries: 'playlist-entries', add: 'playlist-add', preview: 'playlist-preview' }

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

export type PlaylistRow = Omit<ManifestEntry, 'entry' | 'item' | 'version' | 'kind' | 'url'> & {
  id: string
  ownDurationMs: number | null
  item: ContentItem
}

function windowText(row: PlaylistRow, t: (typeof text)['en']) {
  const days = t.days.split(',')
  const parts: string[] = []
  if (row.fromDay || row.toDay) parts.push(`${row.fromDay ?? '…'} – ${row.toDay ?? '…'}`)
  if (row.weekdays !== 0b1111111) parts.push(days.filter((_, i) => row.weekdays & (1 << i)).join(' '))
  if (row.fromMinute !== 0 || row.toMinute !== 1440)
    parts.push(`${hhmm(row.fromMinute)}–${hhmm(row.toMinute)}`)
  return parts.length ? parts.join(' · ') : t.always
}

// duration and validity window of an entry: empty for a new one, the entry's own values when editing
function EntryFields({ t, row }: { t: (typeof text)['en']; row?: PlaylistRow }) {
  return (
    <>
      <label>
        {t.duration}{' '}
        <input
          name="durationS"
          inputmode="numeric"
          placeholder={t.durationHint}
          value={row?.ownDurationMs ? String(row.ownDurationMs / 1000) : ''}
        />
      </label>
      <div class="grid">
        <label>
          {t.fromDay} <input type="date" name="fromDay" value={row?.fromDay ?? ''} />
        </label>
        <label>
          {t.toDay} <input type="date" name="toDay" value={row?.toDay ?? ''} />
        </label>
        <label>
          {t.fromTime}{' '}
          <input
            type="time"
            name="fromTime"
            value={row && row.fromMinute !== 0 ? hhmm(row.fromMinute) : ''}
          />
        </label>
        <label>
          {t.toTime}{' '}
          <input type="time" name="toTime" value={row && row.toMinute !== 1440 ? hhmm(row.toMinute) : ''} />
        </label>
      </div>
      <fieldset>
        <legend>{t.weekdays}</legend>
        {t.days.split(',').map((d, i) => (
          <label class="check">
            <input
              type="checkbox"
              name="weekday"
              value={String(i)}
              checked={!row || (row.weekdays & (1 << i)) !== 0}
            />{' '}
            {d}
          </label>
        ))}
      </fieldset>
    </>
  )
}

export function PlaylistPage({
  lang,
  csrfToken,
  account,
  scope,
  stationName,
  usesDefault,
  rows,
  nowPlaying,
  items,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  scope: string
  stationName: string | null
  usesDefault: boolean
  rows: PlaylistRow[]
  nowPlaying: PlaylistRow[]
  items: ContentItem[]
}) {
  const t = pick(text, lang)
  const heading = stationName ? `${t.title} · ${stationName}` : t.officeDefault
  const loopS = nowPlaying.reduce((s, r) => s + r.durationMs, 0) / 1000
  return (
    <Layout lang={lang} title={heading} csrfToken={csrfToken} account={account} bodyClass="console">
      <p>
        <a href="/content">{t.back}</a>
      </p>
      <h1>{heading}</h1>
      {usesDefault ? <p class="notice">{t.usesDefault}</p> : null}
      <section class="card" id={playlistIds.preview}>
        <h2>{t.preview}</h2>
        {nowPlaying.length ? (
          <>
            <ol class="preview-strip">
              {nowPlaying.map((r) => (
                <li data-item={r.item.id}>
                  <Thumb item={r.item} />
                  <span>{`${r.item.name} · ${r.durationMs / 1000} s`}</span>
                </li>
              ))}
            </ol>
            <p class="muted">{t.loop.replace('{s}', String(loopS))}</p>
          </>
        ) : (
          <p class="empty">{t.nothingNow}</p>
        )}
      </section>
      <section class="card" id={playlistIds.entries}>
        {rows.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t.item}</th>
                  <th>{t.duration}</th>
                  <th>{t.window}</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr data-entry={r.id}>
                    <td>{i + 1}</td>
                    <td>
                      <Thumb item={r.item} /> {r.item.name}
                    </td>
                    <td>{r.durationMs / 1000}</td>
                    <td>{windowText(r, t)}</td>
                    <td class="actions">
                      {(['up', 'down'] as const).map((dir) => (
                        <form method="post" action={`/content/entries/${r.id}/move`} class="inline">
                          <Csrf token={csrfToken} />
                          <input type="hidden" name="by" value={dir === 'up' ? '-1' : '1'} />
                          <button type="submit">{t[dir]}</button>
                        </form>
                      ))}
                      <form method="post" action={`/content/entries/${r.id}/delete`} class="inline">
                        <Csrf token={csrfToken} />
                        <button type="submit">{t.remove}</button>
                      </form>
                      <details class="entry-edit">
                        <summary>{t.edit}</summary>
                        <form method="post" action={`/content/entries/${r.id}`} class="stack">
                          <Csrf token={csrfToken} />
                          <EntryFields t={t} row={r} />
                          <button type="submit" class="primary">
                            {t.save}
                          </button>
                        </form>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="empty">{t.empty}</p>
        )}
      </section>
      <section class="card" id={playlistIds.add}>
        <h2>{t.add}</h2>
        <form method="post" action={`/content/playlists/${scope}/entries`} class="stack">
          <Csrf token={csrfToken} />
          <label>
            {t.item}
            <select name="itemId" required>
              {items.map((i) => (
                <option value={i.id}>{`${i.name} (v${i.version})`}</option>
              ))}
            </select>
          </label>
          <EntryFields t={t} />
          <button type="submit" class="primary">
            {t.add}
          </button>
        </form>
      </section>
    </Layout>
  )
}
