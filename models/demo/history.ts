// Two months of a demo office's life, replayed in time order through the product's own write verbs and clock.
import type { Tx } from '../db.ts'
import type { ProtectedPhone, PhoneKeys } from '../phone.ts'
import { protectPhone } from '../phone.ts'
import { checkInVisit } from '../visits.ts'
import { createReferral } from '../referrals.ts'
import { assignNext, checkOut, addNote, queueHead } from '../reception.ts'
import { assignToOwner } from '../ownership-queue.ts'
import { fileAppeal, decideAppeal, confirmBrokerPresent } from '../appeals.ts'
import { localDay, startOfLocalDay } from '../time.ts'
import { addDays } from '../report-period.ts'
import type { Random } from './random.ts'
import { clientLabel, mobileNumber } from './names.ts'
import { arrivalMinutes, dayKind, dayVolume, historyDays } from './shape.ts'
import { EventQueue } from './event-queue.ts'
import { cameraConsents } from './camera-consents.ts'

export type DemoCast = {
  officeId: string
  timeZone: string
  entranceId: string
  kioskId: string
  // display stations where consenting visitors spend time (沙盘, 样板间)
  zoneStationIds: string[]
  noticeIds: { zh: string; en: string }
  // consultants who click "next" and write notes; the manager decides appeals
  consultantIds: string[]
  managerId: string
  // brokers with how often each brings clients
  brokers: { id: string; weight: number }[]
}

export type HistoryCounts = {
  arrivals: number
  referrals: number
  appeals: number
  consents: number
  withdrawn: number
  sessions: number
}

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour

const notes = [
  '意向三居，关注学区 / wants 3 bedrooms, asks about schools',
  '预算有限，推荐小户型 / tight budget, shown the smaller units',
  '二次到访带家人 / back with family',
  '关注车位和物业费 / asked about parking and fees',
  '约了下周看样板间 / booked a model-unit viewing next week',
]

const appealReasons = [
  '客户此前只是路过，未进入售楼处 / the client only passed by earlier',
  '我方报备在先，请核实 / our registration came first, please check',
  '客户由我带看，有聊天记录为证 / I brought the client, chat log available',
]

// replays the history inside the caller's transaction; every row comes from a product verb at a simulated `now`
export async function replayHistory({
  tx,
  cast,
  random,
  phoneKeys,
  now,
  days = historyDays,
}: {
  tx: Tx
  cast: DemoCast
  random: Random
  phoneKeys: PhoneKeys
  now: number
  // how many days back (tests of other things use a short history)
  days?: number
}): Promise<HistoryCounts> {
  const queue = new EventQueue(now)
  const counts: HistoryCounts = {
    arrivals: 0,
    referrals: 0,
    appeals: 0,
    consents: 0,
    withdrawn: 0,
    sessions: 0,
  }
  const { officeId, timeZone } = cast
  const today = localDay(now, timeZone)
  const brokerWeights = cast.brokers.map((b) => b.weight)
  const pickBroker = () => cast.brokers[random.weighted(brokerWeights)]!.id
  const clicker = () => random.pick(cast.consultantIds)

  // distinct mainland mobile numbers; each protected once (hash + mask + ciphertext), as the check-in form would
  const usedNumbers = new Set<string>()
  const protectedPhones = new Map<string, ProtectedPhone>()
  const newNumber = () => {
    for (;;) {
      const n = mobileNumber(random)
      if (!usedNumbers.has(n)) return (usedNumbers.add(n), n)
    }
  }
  const protect = async (n: string) => {
    let p = protectedPhones.get(n)
    if (!p) protectedPhones.set(n, (p = await protectPhone(phoneKeys, n)))
    return p
  }
  // visitors who left a number, for return visits: the number and the last day they came
  const returning: { number: string; lastDay: string }[] = []
  const returningByNumber = new Map<string, { number: string; lastDay: string }>()
  // a return visit picks, when it happens, someone who came on an earlier day (a new walk-in while there are few)
  const returnNumber = (visitDay: string) => {
    const candidates = returning.filter((r) => r.lastDay < visitDay)
    return candidates.length > 20 ? random.pick(candidates).number : newNumber()
  }

  const register = (at: number, brokerId: string, number: string | null, slot?: { id: string | null }) =>
    queue.at(at, async (t) => {
      const ruling = await createReferral({
        tx,
        input: { officeId, brokerId, clientLabel: clientLabel(random) },
        phone: number ? await protect(number) : null,
        now: t,
      })
      counts.referrals++
      if (slot) slot.id = ruling.id
      if (ruling.status !== 'pending' && random.chance(0.5))
        appeal(t + random.int(6, 60) * hour, ruling.id, brokerId)
    })

  const appeal = (at: number, referralId: string, brokerId: string) =>
    queue.at(at, async (t) => {
      const filed = await fileAppeal({
        tx,
        input: { referralId, brokerId, reason: random.pick(appealReasons) },
        now: t,
      })
      counts.appeals++
      if (!random.chance(0.7)) return
      const overturn = random.chance(0.35)
      queue.at(t + random.int(4, 40) * hour, (t2) =>
        decideAppeal({
          tx,
          input: {
            appealId: filed.id,
            officeId,
            decidedBy: cast.managerId,
            decision: overturn ? 'overturned' : 'upheld',
            reason: overturn
              ? '带看记录与到访时间一致 / the viewing record matches the arrival'
              : '自访记录在先，维持判定 / the walk-in came first; ruling stands',
          },
          now: t2,
        }),
      )
    })

  const arrive = (
    at: number,
    visit: {
      number: string | null | 'returning'
      referral?: { id: string | null }
      brokerId?: string
      waiting?: boolean
    },
  ) =>
    queue.at(at, async (t) => {
      const number = visit.number === 'returning' ? returnNumber(localDay(t, timeZone)) : visit.number
      const outcome = await checkInVisit({
        tx,
        input: {
          officeId,
          stationId: cast.entranceId,
          passVisitorId: null,
          phone: number ? await protect(number) : null,
          referralId: visit.referral?.id ?? null,
        },
        now: t,
      })
      if (!outcome.created) return
      counts.arrivals++
      const visitDay = outcome.visit.day
      if (number) {
        const known = returningByNumber.get(number)
        if (known) known.lastDay = visitDay
        else {
          const entry = { number, lastDay: visitDay }
          returning.push(entry)
          returningByNumber.set(number, entry)
        }
      }
      if (outcome.visit.referralId && visit.brokerId && random.chance(0.5)) {
        await confirmBrokerPresent({
          tx,
          input: { referralId: outcome.visit.referralId, brokerId: visit.brokerId },
          now: t,
        })
      }
      const line = waitingLine.get(visitDay) ?? []
      waitingLine.set(visitDay, [...line, outcome.visit.id])
      if (!visit.waiting)
        queue.at(t + random.int(1, 6) * minute, (t2) =>
          nextInQueue(t2, visitDay, outcome.visit.id, !outcome.visit.firstVisit),
        )
      if (random.chance(0.15)) consent(t + random.int(3, 12) * minute, outcome.visit.id)
    })

  // the waiting visitors of each day in order of arrival, as the queue page lists them to the clicker
  const waitingLine = new Map<string, string[]>()
  const leaveLine = (visitDay: string, visitId: string) =>
    waitingLine.set(
      visitDay,
      (waitingLine.get(visitDay) ?? []).filter((id) => id !== visitId),
    )

  // a consultant presses "next" a few minutes after each arrival, as the queue page offers it: a returning
  // client whose owner is on duty goes to that owner (客户归属); otherwise the rotation takes the oldest visitor
  // it may take. Each arrival's "next" serves one visitor, so the waiting line drains as in an office.
  const nextInQueue = async (t: number, visitDay: string, arrived: string, returns: boolean) => {
    const actorId = clicker()
    // only a return can have an owner: a first visit is never offered "to the owner"
    let assigned = returns
      ? await assignToOwner({ tx, officeId, actorId, input: { visitId: arrived, revision: 0 }, now: t })
      : null
    if (!assigned?.ok) {
      // the clicker saw the head of the line (an untouched visit is at revision 0); the verb re-checks it in
      // the transaction, and only when the page was out of step is the queue's own head asked for
      const seen = waitingLine.get(visitDay)?.[0]
      assigned = seen
        ? await assignNext({ tx, officeId, actorId, input: { visitId: seen, revision: 0 }, now: t })
        : null
      if (!assigned?.ok) {
        const head = await queueHead(tx, officeId, visitDay)
        // everyone left is kept for an owner on duty, whose own "next" serves them
        if (!head) return
        assigned = await assignNext({
          tx,
          officeId,
          actorId,
          input: { visitId: head.id, revision: head.revision },
          now: t,
        })
      }
    }
    if (!assigned.ok) throw new Error(`demo history: queue out of step (${assigned.conflict})`)
    const { visitId, consultantId } = assigned.value
    leaveLine(visitDay, visitId)
    if (random.chance(0.3)) {
      const body = random.pick(notes)
      queue.at(t + random.int(10, 30) * minute, (t2) =>
        addNote({ tx, officeId, actorId: consultantId, input: { visitId, body }, now: t2 }),
      )
    }
    queue.at(t + random.int(20, 90) * minute, (t2) =>
      checkOut({ tx, officeId, actorId: consultantId, input: { visitId }, now: t2 }),
    )
  }

  const consent = cameraConsents({ tx, cast, random, queue, counts })

  for (let ago = days - 1; ago >= 0; ago--) {
    const date = addDays(today, -ago)
    const midnight = startOfLocalDay(date, timeZone)
    const kind = dayKind(date, ago)
    // distinct arrival times keep the queue's order (check-in time) the order of arrival
    let previous = 0
    for (const minutes of arrivalMinutes(random, dayVolume(random, kind))) {
      const at = Math.max(previous + 1000, midnight + minutes * minute + random.int(0, 59) * 1000)
      previous = at
      const roll = random.next()
      if (roll < 0.25) {
        arrive(at, { number: 'returning' })
      } else if (roll < 0.63) {
        // brought by a broker who registered the client hours or days before
        const brokerId = pickBroker()
        const number = random.chance(0.9) ? newNumber() : null
        const slot = { id: null as string | null }
        const registeredAt = at - random.int(2, 6 * 24) * hour
        register(registeredAt, brokerId, number, slot)
        // another broker claims the same client a little later: ruled invalid (already registered)
        if (number && random.chance(0.06))
          register(registeredAt + random.int(1, 40) * hour, pickBroker(), number)
        arrive(at, { number, referral: slot, brokerId })
      } else {
        const number = random.chance(0.75) ? newNumber() : null
        arrive(at, { number })
        // a broker registers a client who already walked in on their own: disputed
        if (number && random.chance(0.05)) register(at + random.int(1, 10) * day, pickBroker(), number)
      }
    }
    // registrations whose client never came: expired after the protection period, or still pending
    if (ago > 31 || ago < 5) {
      for (let i = random.int(0, 2); i > 0; i--) {
        register(midnight + random.int(9 * 60, 21 * 60) * minute, pickBroker(), newNumber())
      }
    }
  }
  // visitors waiting right now, so the reception queue's "next" has someone to assign
  const startOfToday = startOfLocalDay(today, timeZone)
  for (const before of [11, 6, 2]) {
    arrive(Math.max(startOfToday + before * 1000, now - before * minute), {
      number: newNumber(),
      waiting: true,
    })
  }
  // the numbers known in advance are protected side by side (WebCrypto runs off the main thread) before the replay
  await Promise.all([...usedNumbers].map(protect))
  await queue.run()
  return counts
}
