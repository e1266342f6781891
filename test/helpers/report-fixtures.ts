// Report test data inserted straight into the tables (no check-in flow needed): visitors, visits, sessions, referrals.
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../models/db.ts'
import { visitors, visits, visitNotes } from '../../models/visits.ts'
import { consents, cameraSessions, notices } from '../../models/consents.ts'
import { referrals } from '../../models/referrals.ts'
import { staff, brokers } from '../../models/staff.ts'
import { stations } from '../../models/offices.ts'
import { newId } from '../../models/ids.ts'
import { localDayHour } from '../../models/report-period.ts'

export type FixtureVisit = {
  at: number
  broker?: string | null
  firstVisit?: boolean
  phone?: string
  assigned?: boolean
  note?: boolean
  consent?: boolean
  // zones (station zone names) the visitor spent a camera session at, each with dwell and attention
  sessions?: { zone: string; dwellMs: number; attentionMs: number }[]
}

// everything personal a fixture wrote, so leak tests can look for it in exports
export type PersonalTrace = { ids: string[]; phoneHashes: string[]; masked: string[]; timestamps: number[] }

export async function reportFixtures(database: Database, officeId: string, timeZone = 'Asia/Shanghai') {
  const { db } = database
  const [notice] = await db.select().from(notices).where(eq(notices.officeId, officeId)).limit(1)
  const [consultant] = await db.select().from(staff).where(eq(staff.officeId, officeId)).limit(1)
  const stationRows = await db.select().from(stations).where(eq(stations.officeId, officeId))
  const trace: PersonalTrace = { ids: [], phoneHashes: [], masked: [], timestamps: [] }
  let serial = 0

  const stationFor = (zone: string) => {
    const station = stationRows.find((s) => s.zone === zone)
    if (!station) throw new Error(`no station with zone ${zone}`)
    return station.id
  }

  async function visit(input: FixtureVisit) {
    serial++
    const visitorId = newId()
    const visitId = newId()
    const phone = input.phone ?? `1380000${String(1000 + serial).slice(-4)}`
    const phoneHash = `hash-${newId(16)}`
    const phoneMasked = `${phone.slice(0, 3)}****${phone.slice(-4)}`
    await database.write(async (tx) => {
      await tx.insert(visitors).values({
        id: visitorId,
        officeId,
        phoneHash,
        phoneMasked,
        phoneEncrypted: `cipher-${newId()}`,
        createdAt: input.at,
      })
      await tx.insert(visits).values({
        id: visitId,
        officeId,
        visitorId,
        day: localDayHour(input.at, timeZone).day,
        checkedInAt: input.at,
        checkedOutAt: input.at + 45 * 60_000 + serial,
        channel: input.broker ? 'broker' : 'walk-in',
        brokerId: input.broker ?? null,
        attributionReason: input.broker ? 'referral' : 'no-referral',
        firstVisit: input.firstVisit ?? true,
        status: 'left',
        consultantId: input.assigned ? consultant!.id : null,
        assignedAt: input.assigned ? input.at + 60_000 : null,
      })
      if (input.note) {
        await tx
          .insert(visitNotes)
          .values({ id: newId(), visitId, staffId: consultant!.id, body: 'follow up', createdAt: input.at })
      }
      if (input.consent || input.sessions?.length) {
        const consentId = newId()
        await tx.insert(consents).values({
          id: consentId,
          officeId,
          visitId,
          noticeId: notice!.id,
          noticeSha256: notice!.sha256,
          grantedAt: input.at + 1000,
        })
        trace.ids.push(consentId)
        let start = input.at + 2000
        for (const s of input.sessions ?? []) {
          const sessionId = newId()
          await tx.insert(cameraSessions).values({
            id: sessionId,
            officeId,
            stationId: stationFor(s.zone),
            consentId,
            visitId,
            startedAt: start,
            endedAt: start + s.dwellMs,
            endReason: 'gone',
            dwellMs: s.dwellMs,
            attentionMs: s.attentionMs,
            lastEventAt: start + s.dwellMs,
          })
          trace.ids.push(sessionId)
          trace.timestamps.push(start, start + s.dwellMs)
          start += s.dwellMs + 1000
        }
      }
    })
    trace.ids.push(visitorId, visitId)
    trace.phoneHashes.push(phoneHash)
    trace.masked.push(phoneMasked)
    trace.timestamps.push(input.at, input.at + 45 * 60_000 + serial)
    return { visitId, visitorId }
  }

  async function disputedReferral({ broker, at }: { broker: string; at: number }) {
    const id = newId()
    await database.write((tx) =>
      tx.insert(referrals).values({
        id,
        officeId,
        brokerId: broker,
        clientLabel: '王先生',
        createdAt: at,
        expiresAt: at + 30 * 86_400_000,
        status: 'disputed',
        reason: 'earlier-walk-in',
        evidenceAt: at - 86_400_000,
      }),
    )
    trace.ids.push(id)
    trace.timestamps.push(at)
    return id
  }

  async function brokerId(username: string) {
    const [b] = await db
      .select({ id: brokers.id, name: brokers.displayName })
      .from(brokers)
      .where(and(eq(brokers.officeId, officeId), eq(brokers.username, username)))
    return b!
  }

  return { visit, disputedReferral, brokerId, trace, stationFor }
}

// epoch ms of a Shanghai local wall-clock time ('2026-11-20', 10) → 02:00Z
export function shanghai(day: string, hour: number, minute = 0): number {
  return Date.parse(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`)
}

export const craftedDays = ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']
export const loneDay = '2026-11-20'

// Five days of ordinary traffic, plus ONE visitor who is the only client broker2 ever brought and the only
// person at the model unit on 2026-11-20: a unique channel × zone × day cell that must never be shown.
export async function craftedDataset(fx: Awaited<ReturnType<typeof reportFixtures>>) {
  const chen = await fx.brokerId('broker1')
  const liu = await fx.brokerId('broker2')
  for (const day of craftedDays) {
    for (let i = 0; i < 8; i++) {
      await fx.visit({
        at: shanghai(day, 10, i * 5),
        firstVisit: i % 3 !== 0,
        assigned: i < 6,
        note: i < 2,
        consent: i < 6,
        sessions:
          i < 6
            ? [
                { zone: 'sand-table', dwellMs: 20_000 + i * 9_000, attentionMs: 10_000 + i * 3_000 },
                ...(day === loneDay ? [] : [{ zone: 'model-unit', dwellMs: 70_000, attentionMs: 30_000 }]),
              ]
            : [],
      })
    }
    for (let i = 0; i < 6; i++) {
      await fx.visit({
        at: shanghai(day, 14, i * 7),
        broker: chen.id,
        assigned: true,
        sessions: i < 5 ? [{ zone: 'sand-table', dwellMs: 45_000, attentionMs: 20_000 }] : [],
      })
    }
  }
  const lone = await fx.visit({
    at: shanghai(loneDay, 15, 17),
    broker: liu.id,
    phone: '13912345678',
    assigned: true,
    sessions: [{ zone: 'model-unit', dwellMs: 400_000, attentionMs: 250_000 }],
  })
  await fx.disputedReferral({ broker: chen.id, at: shanghai('2026-11-19', 11) })
  return { chen, liu, lone }
}
