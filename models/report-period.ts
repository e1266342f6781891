// Calendar arithmetic for reports: office-local day/hour of an instant, day ranges, weeks and date presets.
const partFormatters = new Map<string, Intl.DateTimeFormat>()

// one formatter per zone: creating Intl formatters is far slower than using them (roll-ups call this per row)
function formatterFor(timeZone: string) {
  let formatter = partFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    partFormatters.set(timeZone, formatter)
  }
  return formatter
}

function localParts(at: number, timeZone: string) {
  const parts: Record<string, string> = {}
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value
  return parts
}

const quarterCache = new Map<string, Map<number, { day: string; hour: number }>>()

// every zone offset is a whole number of quarter hours, so a UTC quarter hour has one local day and hour:
// caching by quarter turns a year of roll-ups from a million Intl calls into tens of thousands
export function localDayHour(at: number, timeZone: string): { day: string; hour: number } {
  let cache = quarterCache.get(timeZone)
  if (!cache || cache.size > 200_000) quarterCache.set(timeZone, (cache = new Map()))
  const quarter = Math.floor(at / 900_000)
  let hit = cache.get(quarter)
  if (!hit) {
    const p = localParts(at, timeZone)
    cache.set(quarter, (hit = { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) }))
  }
  return hit
}

// epoch ms of local midnight starting `day` in `timeZone` (two passes settle the zone offset)
export function localMidnight(day: string, timeZone: string): number {
  const naive = Date.parse(`${day}T00:00:00Z`)
  let guess = naive
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, timeZone)
    const shown = Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00Z`)
    guess = naive - (shown - Math.floor(guess / 60_000) * 60_000)
  }
  return guess
}

export const dayPattern = /^\d{4}-\d{2}-\d{2}$/

export function isCalendarDay(day: string): boolean {
  if (!dayPattern.test(day)) return false
  const at = Date.parse(`${day}T00:00:00Z`)
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === day
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

// whole days from `from` to `to` (0 when equal)
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

// Monday of the ISO week containing `day`: weeks are labelled by their first day
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay()
  return addDays(day, -((weekday + 6) % 7))
}

export function* eachDay(from: string, to: string): Generator<string> {
  for (let day = from; day <= to; day = addDays(day, 1)) yield day
}

export const datePresets = ['today', '7d', '30d', 'month', 'custom'] as const
export type DatePreset = (typeof datePresets)[number]

// the day range of a preset, relative to the office's today
export function presetRange(
  preset: Exclude<DatePreset, 'custom'>,
  today: string,
): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: today, to: today }
    case '7d':
      return { from: addDays(today, -6), to: today }
    case '30d':
      return { from: addDays(today, -29), to: today }
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today }
  }
}
