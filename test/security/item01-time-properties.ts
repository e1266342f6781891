// Runs the date/time helpers' properties for item01-time-hang.test.ts in a child process, so a helper that never returns fails the test instead of hanging it.
import fc from 'fast-check'
import { endOfLocalDay, localDay, localHour, localMinute, startOfLocalDay } from '../../models/time.ts'
import { localDayHour, localMidnight, isCalendarDay, addDays, mondayOf } from '../../models/report-period.ts'
import { startOfLocalDay as dashboardStartOfDay } from '../../models/dashboard.ts'

const zones = Intl.supportedValuesOf('timeZone')
const runs = Number(process.argv[2] ?? 3000)
const pad = (n: number, width = 2) => String(n).padStart(width, '0')
// any calendar day of years 1–9999 (day 29–31 of short months are filtered out as not days)
const dayArb = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ year, month, day }) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`)
  .filter(isCalendarDay)
const zoneArb = fc.constantFrom(...zones)
const minAt = Date.parse('0001-01-02T00:00:00Z')
const maxAt = Date.parse('9999-12-30T00:00:00Z')
const atArb = fc.integer({ min: minAt, max: maxAt })

function checkDay(day: string, timeZone: string) {
  const start = startOfLocalDay(day, timeZone)
  if (!(localDay(start, timeZone) >= day))
    throw new Error(`${timeZone} ${day}: start ${start} is on ${localDay(start, timeZone)}`)
  if (!(localDay(start - 1000, timeZone) < day))
    throw new Error(`${timeZone} ${day}: a second before start is on ${localDay(start - 1000, timeZone)}`)
  const end = endOfLocalDay(start, timeZone)
  if (!(end > start)) throw new Error(`${timeZone} ${day}: end ${end} not after start ${start}`)
  const midnight = localMidnight(day, timeZone)
  if (!Number.isFinite(midnight)) throw new Error(`${timeZone} ${day}: report midnight is ${midnight}`)
  if (mondayOf(day) > day || addDays(day, -1) >= day) throw new Error(`${day}: calendar arithmetic`)
}

function checkInstant(at: number, timeZone: string) {
  const day = localDay(at, timeZone)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`${timeZone} ${at}: day ${day}`)
  const end = endOfLocalDay(at, timeZone)
  if (!(end > at) || localDay(end, timeZone) === day || localDay(end - 1000, timeZone) !== day)
    throw new Error(`${timeZone} ${new Date(at).toISOString()}: end of day ${end} is wrong`)
  const hour = localHour(at, timeZone)
  const minute = localMinute(at, timeZone)
  if (!(hour >= 0 && hour < 24 && minute >= 0 && minute < 60))
    throw new Error(`${timeZone} ${at}: ${hour}:${minute}`)
  const bucket = localDayHour(at, timeZone)
  if (!isCalendarDay(bucket.day)) throw new Error(`${timeZone} ${at}: report day ${bucket.day}`)
  if (!Number.isFinite(dashboardStartOfDay(at, timeZone)))
    throw new Error(`${timeZone} ${at}: dashboard day start`)
}

// the day of the report, and the zone's oldest era (local mean time) for every zone it lists
checkDay('1900-12-31', 'Asia/Shanghai')
for (const timeZone of zones) {
  for (const day of ['0001-01-01', '1582-10-10', '1900-12-31', '2026-11-30', '9999-12-31'])
    checkDay(day, timeZone)
}
fc.assert(
  fc.property(dayArb, zoneArb, (day, timeZone) => checkDay(day, timeZone)),
  { numRuns: runs },
)
fc.assert(
  fc.property(atArb, zoneArb, (at, timeZone) => checkInstant(at, timeZone)),
  { numRuns: runs },
)
process.stdout.write('properties held\n')
