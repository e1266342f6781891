// Office-local calendar helpers: a visit's day and an hour bucket in the office's time zone.
export function localDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

export function localHour(at: number, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at)
  return Number(hour)
}

export function localMinute(at: number, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, minute: '2-digit' }).format(at))
}

// epoch ms of the next local midnight after `at` (end of a visit pass's life)
export function endOfLocalDay(at: number, timeZone: string): number {
  const day = localDay(at, timeZone)
  let lo = at
  let hi = at + 26 * 3600_000
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2)
    if (localDay(mid, timeZone) === day) lo = mid
    else hi = mid
  }
  return hi
}
