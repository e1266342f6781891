// First start: the first office and admin account, and (unless SHOWROOM_DEMO=0) a demo office to try things in.
import { count, eq } from 'drizzle-orm'
import { forgetInTx } from './tx-memo.ts'
import type { Database } from './db.ts'
import { staff } from './staff.ts'
import { createOffice, createStation, offices } from './offices.ts'
import { createDeveloper } from './developers.ts'
import { createStaff, createBroker } from './staff.ts'
import { publishNotice, languages } from './consents.ts'
import { defaultNotice } from './notice-defaults.ts'
import { generatePassword } from './passwords.ts'
import { appendAudit } from './audit.ts'

export type SeedResult = {
  officeId: string
  developerId: string
  admin: { username: string; password: string | null }
  demoAccounts: { username: string; role: string; password: string }[]
  stations: { id: string; kind: string; name: string }[]
}

export async function seedFirstStart({
  database,
  adminPassword,
  demo,
  now,
}: {
  database: Database
  adminPassword?: string
  demo: boolean
  now: number
}): Promise<SeedResult | null> {
  // never over a database that already has an office (a restored one, or a server shared with other offices)
  const [existing] = await database.db.select({ n: count() }).from(offices)
  if ((existing?.n ?? 0) > 0) return null
  return database.write(async (tx) => {
    const office = {
      name: demo ? '示范案场 · 滨江壹号售楼处' : '我的售楼处',
      nameEn: demo ? 'Demo sales office · Riverside One' : 'My sales office',
      processorName: demo
        ? '示范置业有限公司 (Demo Properties Ltd.)'
        : '（请在隐私设置中填写个人信息处理者名称）',
      privacyContact: demo ? 'privacy@demo.example · 400-000-0000' : '（请填写联系方式）',
    }
    // the office's developer (开发商): its further offices share referral protection and a developer report
    const developerId = await createDeveloper({
      tx,
      input: demo
        ? { name: '示范置业集团', nameEn: 'Demo Properties Group' }
        : { name: '我的开发商', nameEn: 'My developer' },
      now,
    })
    const officeId = await createOffice({ tx, input: { ...office, developerId, demo }, now })
    // a real office starts with placeholders: its admin is led to the settings page, and no screen shows them
    if (!demo) {
      await tx.update(offices).set({ needsSetup: true }).where(eq(offices.id, officeId))
      forgetInTx(tx, 'offices/')
    }
    for (const lang of languages) {
      await publishNotice({ tx, input: { officeId, lang, body: defaultNotice(lang, office) }, now })
    }
    const password = adminPassword ?? generatePassword()
    const adminId = await createStaff({
      tx,
      input: { officeId, username: 'admin', displayName: '管理员 Admin', role: 'admin', password },
      now,
    })
    // a printed password has been on a screen: the first sign-in replaces it
    if (!adminPassword) await tx.update(staff).set({ mustChangePassword: true }).where(eq(staff.id, adminId))
    await appendAudit(tx, {
      at: now,
      officeId,
      actorType: 'system',
      action: 'seed.first-start',
      target: officeId,
    })
    const result: SeedResult = {
      officeId,
      developerId,
      admin: { username: 'admin', password: adminPassword ? null : password },
      demoAccounts: [],
      stations: [],
    }
    if (!demo) return result
    for (const station of [
      { kind: 'entrance', name: '入口签到屏 Entrance', zone: 'entrance' },
      { kind: 'kiosk', name: '同意屏 Consent kiosk', zone: 'lobby' },
      { kind: 'display', name: '沙盘 Sand table', zone: 'sand-table' },
      { kind: 'display', name: '样板间 Model unit', zone: 'model-unit' },
    ] as const) {
      const id = await createStation({ tx, input: { officeId, ...station }, now })
      result.stations.push({ id, kind: station.kind, name: station.name })
    }
    for (const [username, displayName, role] of [
      ['sales', '张顾问 Zhang (sales)', 'sales'],
      ['sales2', '李顾问 Li (sales)', 'sales'],
      ['manager', '周经理 Zhou (sales manager)', 'manager'],
      ['marketing', '王市场 Wang (marketing)', 'marketing'],
      ['privacy', '赵隐私 Zhao (privacy officer)', 'privacy'],
    ] as const) {
      const pw = generatePassword()
      await createStaff({ tx, input: { officeId, username, displayName, role, password: pw }, now })
      result.demoAccounts.push({ username, role, password: pw })
    }
    for (const [username, displayName, company] of [
      ['broker1', '陈经纪 Chen', '链居地产（示范） Lianju Realty (demo)'],
      ['broker2', '刘经纪 Liu', '安家好房（示范） Anjia Homes (demo)'],
    ] as const) {
      const pw = generatePassword()
      await createBroker({ tx, input: { officeId, username, displayName, company, password: pw }, now })
      result.demoAccounts.push({ username, role: 'broker', password: pw })
    }
    return result
  })
}
