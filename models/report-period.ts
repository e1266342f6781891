// Calendar arithmetic for reports: office-local day/hour of an instant, day ranges, weeks and date presets.
import { zoneOffsetAt } from './time.ts'

// the zone's wall clock at `at` as a UTC Date (see zoneOffsetAt for why not formatted parts)
function wallClock(at: number, timeZone: string): Date {
  return new Date(at + zoneOffsetAt(at, timeZone))
}

const quarterCache = new Map<string, Map<number, { day: string; hour: number }>>()

// zone offsets since the local-mean-time era are whole quarter hours, so a UTC quarter hour has one local
// day and hour:
// caching by quarter turns a year of roll-ups from a million Intl calls into tens of thousands
export function localDayHour(at: number, timeZone: string): { day: string; hour: number } {
  let cache = quarterCache.get(timeZone)
  if (!cache || cache.size > 200_000) quarterCache.set(timeZone, (cache = new Map()))
  const quarter = Math.floor(at / 900_000)
  let hit = cache.get(quarter)
  if (!hit) {
    const wall = wallClock(at, timeZone)
    cache.set(quarter, (hit = { day: wall.toISOString().slice(0, 10), hour: wall.getUTCHours() }))
  }
  return hit
}

// epoch ms of local midnight starting `day` in `timeZone` (two passes settle the zone offset)
export function localMidnight(day: string, timeZone: string): number {
  const naive = Date.parse(`${day}T00:00:00Z`)
  let guess = naive
  for (let i = 0; i < 2; i++) guess = naive - zoneOffsetAt(guess, timeZone)
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

// a year and a bit: a full-year export fits, a runaway range does not (reports, commission, every period)
export const maxPeriodDays = 400

// what is wrong with a user-supplied period, or null: calendar days, in order, at most maxPeriodDays long
export function periodIssue(from: string, to: string): string | null {
  if (!isCalendarDay(from)) return 'from: not a calendar day (YYYY-MM-DD)'
  if (!isCalendarDay(to)) return 'to: not a calendar day (YYYY-MM-DD)'
  if (from > to) return 'to: before from'
  if (daysBetween(from, to) >= maxPeriodDays) return `to: at most ${maxPeriodDays} days after from`
  return null
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
