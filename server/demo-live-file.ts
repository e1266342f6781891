// What `npm run demo:live` needs to find the demo office: the demo brokers' sign-ins (the same passwords the first
// start prints) and a demo-office admin of its own that sets up the script's entrance screen, in DATA_DIR beside
// keys.json and private like it.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Database } from '../models/db.ts'
import type { SeedResult } from '../models/seed.ts'
import { createStaff } from '../models/staff.ts'
import { generatePassword } from '../models/passwords.ts'
import { appendAudit } from '../models/audit.ts'

export type DemoLiveFile = {
  officeId: string
  // the script's own admin account in the demo office (removed with the demo): it creates and pairs the
  // script's entrance station, never the office's real entrance screen
  admin: { username: string; password: string }
  brokers: { username: string; password: string }[]
}

export const demoLiveFileName = 'demo.json'
export const demoLiveUsername = 'demo-live'

export async function writeDemoLiveFile(
  database: Database,
  dataDir: string,
  seeded: SeedResult,
  now: number,
) {
  const password = generatePassword()
  await database.write(async (tx) => {
    const id = await createStaff({
      tx,
      input: {
        officeId: seeded.officeId,
        username: demoLiveUsername,
        displayName: '演示模拟 demo:live',
        role: 'admin',
        password,
      },
      now,
    })
    await appendAudit(tx, {
      at: now,
      officeId: seeded.officeId,
      actorType: 'system',
      action: 'staff.created',
      target: id,
      detail: { role: 'admin', for: 'demo:live' },
    })
  })
  const file: DemoLiveFile = {
    officeId: seeded.officeId,
    admin: { username: demoLiveUsername, password },
    brokers: seeded.demoAccounts
      .filter((a) => a.role === 'broker')
      .map(({ username, password }) => ({ username, password })),
  }
  await writeFile(path.join(dataDir, demoLiveFileName), JSON.stringify(file, null, 2), { mode: 0o600 })
}
