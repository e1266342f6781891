// The playlist a display receives (shared by server and player) and which of its entries may play at a moment.
export type ManifestEntry = {
  entry: string
  item: string
  version: number
  kind: 'image' | 'video' | 'page'
  // a page's url is /display/page/<sha256> (shown in a frame, sandboxed by its response's policy)
  url: string
  durationMs: number
  // validity window: office-local dates (inclusive), weekdays bitmask (bit 0 = Monday), minutes [from, to)
  fromDay: string | null
  toDay: string | null
  weekdays: number
  fromMinute: number
  toMinute: number
}

export type Manifest = {
  station: string
  timeZone: string
  // changes whenever anything in it changes (the player compares it, the cache keys on it)
  revision: string
  entries: ManifestEntry[]
}

const parts = new Map<string, Intl.DateTimeFormat>()

// the office-local date, weekday (0 = Monday) and minute of the day of a moment
export function localMoment(at: number, timeZone: string) {
  let f = parts.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    parts.set(timeZone, f)
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]))
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!)
  return {
    day: `${p.year}-${p.month}-${p.day}`,
    weekday,
    minute: Number(p.hour) * 60 + Number(p.minute),
  }
}

// an entry's window (dates, weekdays, minutes of the day) holds at `at` in the office's zone
export function entryValidAt(
  entry: Pick<ManifestEntry, 'fromDay' | 'toDay' | 'weekdays' | 'fromMinute' | 'toMinute'>,
  at: number,
  timeZone: string,
): boolean {
  const m = localMoment(at, timeZone)
  if (entry.fromDay && m.day < entry.fromDay) return false
  if (entry.toDay && m.day > entry.toDay) return false
  if (!(entry.weekdays & (1 << m.weekday))) return false
  return m.minute >= entry.fromMinute && m.minute < entry.toMinute
}

// the entry to play after `current` (by entry id, in playlist order), skipping those outside their window;
// null when nothing may play now
export function nextEntry(manifest: Manifest, current: string | null, at: number): ManifestEntry | null {
  const list = manifest.entries
  if (!list.length) return null
  const from = current ? list.findIndex((e) => e.entry === current) : -1
  for (let step = 1; step <= list.length; step++) {
    const candidate = list[(from + step + list.length) % list.length]!
    if (entryValidAt(candidate, at, manifest.timeZone)) return candidate
  }
  return null
}
