// What `npm run demo:live` needs to find the demo office: its entrance screen and the demo brokers' sign-ins
// (the same passwords the first start prints), in DATA_DIR beside keys.json and private like it.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { SeedResult } from '../models/seed.ts'

export type DemoLiveFile = {
  officeId: string
  entranceStationId: string
  brokers: { username: string; password: string }[]
}

export const demoLiveFileName = 'demo.json'

export async function writeDemoLiveFile(dataDir: string, seeded: SeedResult) {
  const entrance = seeded.stations.find((s) => s.kind === 'entrance')
  if (!entrance) return
  const file: DemoLiveFile = {
    officeId: seeded.officeId,
    entranceStationId: entrance.id,
    brokers: seeded.demoAccounts
      .filter((a) => a.role === 'broker')
      .map(({ username, password }) => ({ username, password })),
  }
  await writeFile(path.join(dataDir, demoLiveFileName), JSON.stringify(file, null, 2), { mode: 0o600 })
}
