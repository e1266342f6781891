// Office-local calendar helpers: a visit's day and an hour bucket in the office's time zone.
const formatters = new Map<string, Intl.DateTimeFormat>()

// Intl formatters are costly to build; one per zone and purpose is kept
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = make()))
  return f
}

export function localDay(at: number, timeZone: string): string {
  return formatter(`day:${timeZone}`, () =>
    Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(at)
}

export function localHour(at: number, timeZone: string): number {
  return Number(
    formatter(`hour:${timeZone}`, () =>
      Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }),
    ).format(at),
  )
}

export function localMinute(at: number, timeZone: string): number {
  return Number(
    formatter(`minute:${timeZone}`, () =>
      Intl.DateTimeFormat('en-GB', { timeZone, minute: '2-digit' }),
    ).format(at),
  )
}

// epoch ms of the next local midnight after `at` (end of a visit pass's life, of a same-day protection)
export function endOfLocalDay(at: number, timeZone: string): number {
  const day = localDay(at, timeZone)
  let lo = at
  let hi = at + 26 * 3600_000
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2)
    if (localDay(mid, timeZone) === day) lo = mid
    else hi = mid
  }
  // midnights fall on whole minutes in every zone; hi is within a second after it
  return Math.floor(hi / 60_000) * 60_000
}

// epoch ms of local midnight at the start of `day` (YYYY-MM-DD) in the zone
export function startOfLocalDay(day: string, timeZone: string): number {
  // 16 h before UTC midnight is before local midnight in every zone
  let start = endOfLocalDay(Date.parse(`${day}T00:00:00Z`) - 16 * 3600_000, timeZone)
  while (localDay(start, timeZone) < day) start = endOfLocalDay(start, timeZone)
  return start
}
