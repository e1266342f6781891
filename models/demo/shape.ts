// The shape of a sales office's traffic: busy weekends, a midday dip, late-morning and mid-afternoon peaks, holidays.
import type { Random } from './random.ts'

// eight weeks of history: enough for the dashboard's same-weekday average and a month of reports
export const historyDays = 56

// arrivals per opening hour (09:00–17:59) relative to each other: peaks at 10–11 and 14–15, a dip at lunch
export const hourWeights: Record<number, number> = {
  9: 1.0,
  10: 2.3,
  11: 2.6,
  12: 1.1,
  13: 0.9,
  14: 2.1,
  15: 2.4,
  16: 1.7,
  17: 0.9,
}

// national holidays (MM-DD) when housing fairs draw crowds: 元旦, 劳动节, 国庆
const holidays = new Set([
  '01-01',
  '01-02',
  '01-03',
  '05-01',
  '05-02',
  '05-03',
  '05-04',
  '05-05',
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `10-${d}`),
])

export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'launch'

// a launch event (开盘) three weekends back gives every window a spike even when no national holiday falls in it
export function dayKind(day: string, daysAgo: number): DayKind {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay()
  const weekend = weekday === 0 || weekday === 6
  if (holidays.has(day.slice(5))) return 'holiday'
  if (weekend && daysAgo >= 15 && daysAgo <= 21) return 'launch'
  return weekend ? 'weekend' : 'weekday'
}

// visits on a day: ~30–38 on a weekday, 2–3× that at weekends, more again on a holiday or launch weekend
// (the low end of what offices report: first start replays every visit through the model verbs, and must stay fast)
export function dayVolume(random: Random, kind: DayKind): number {
  const weekday = random.int(30, 38)
  if (kind === 'weekday') return weekday
  const weekend = Math.round(weekday * (2.1 + random.next() * 0.5))
  return kind === 'weekend' ? weekend : Math.round(weekend * 1.4)
}

// minutes after local midnight of `count` arrivals, in order
export function arrivalMinutes(random: Random, count: number): number[] {
  const hours = Object.keys(hourWeights).map(Number)
  const weights = hours.map((h) => hourWeights[h]!)
  const minutes = Array.from(
    { length: count },
    () => hours[random.weighted(weights)]! * 60 + random.int(0, 59),
  )
  return minutes.sort((a, b) => a - b)
}
