// Office-local calendar helpers: a visit's day and an hour bucket in the office's time zone.
const offsetFormats = new Map<string, Intl.DateTimeFormat>()
const hourMs = 3600_000

// ms to add to epoch ms to get the zone's wall clock at `at`. Read from the zone's own offset rather than
// from formatted date parts: Intl prints years before 1 AD without their era and historic local mean
// times have seconds (Shanghai until 1901 was +08:05:43), and both broke day arithmetic before.
export function zoneOffsetAt(at: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    offsetFormats.set(timeZone, format)
  }
  const match = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(format.format(at))
  if (!match) throw new RangeError(`no UTC offset for ${timeZone}`)
  if (!match[1]) return 0
  const ms = (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)) * 1000
  return match[1] === '-' ? -ms : ms
}

let knownZones: Set<string> | null = null

// an IANA zone this runtime knows (an office's zone is checked against it before it is stored)
export function isTimeZone(zone: string): boolean {
  knownZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])
  return knownZones.has(zone)
}

// the wall clock at `at` as a UTC Date (proleptic Gregorian like Date.parse, years 0000–9999 padded)
function wallClock(at: number, timeZone: string): Date {
  if (!Number.isFinite(at)) throw new RangeError('not a time')
  return new Date(at + zoneOffsetAt(at, timeZone))
}

export function localDay(at: number, timeZone: string): string {
  return wallClock(at, timeZone).toISOString().slice(0, 10)
}

export function localHour(at: number, timeZone: string): number {
  return wallClock(at, timeZone).getUTCHours()
}

export function localMinute(at: number, timeZone: string): number {
  return wallClock(at, timeZone).getUTCMinutes()
}

// epoch ms of the next local midnight after `at` (end of a visit pass's life, of a same-day protection).
// Always later than `at` and on another local day, so loops built on it advance; a bounded number of steps.
export function endOfLocalDay(at: number, timeZone: string): number {
  const day = localDay(at, timeZone)
  let lo = at
  let hi = at + 26 * hourMs
  // a zone that turned its clock back by hours made a day longer than 26 h (Antarctica/Casey, 2010)
  for (let i = 0; i < 4 && localDay(hi, timeZone) === day; i++) hi += 24 * hourMs
  if (localDay(hi, timeZone) === day) return hi
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2)
    if (localDay(mid, timeZone) === day) lo = mid
    else hi = mid
  }
  // zone offsets are whole seconds, so the midnight is the whole second at or just before hi
  const second = Math.floor(hi / 1000) * 1000
  return second > lo && localDay(second, timeZone) !== day ? second : hi
}

// epoch ms of local midnight at the start of `day` (YYYY-MM-DD) in the zone: the first instant whose
// local day is `day` or later (a day a zone skipped, like Apia's 2011-12-30, starts at the next one)
export function startOfLocalDay(day: string, timeZone: string): number {
  const naive = Date.parse(`${day}T00:00:00Z`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !Number.isFinite(naive)) throw new RangeError(`not a day: ${day}`)
  // 30 h before UTC midnight is on an earlier local day in every zone (offsets stay within ±16 h)
  let start = naive - 30 * hourMs
  for (let i = 0; i < 8 && localDay(start, timeZone) < day; i++) start = endOfLocalDay(start, timeZone)
  return start
}
