// `npm run admin:reset [-- <username>]`: a forgotten admin password, recovered by whoever can read DATA_DIR: a new
// one-time password, every session of that account ended, an audit row. Works with the server stopped or running.
import { access, constants } from 'node:fs/promises'
import path from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { configFromEnv } from '../server/config.ts'
import { openDatabase } from '../models/db.ts'
import { staff } from '../models/staff.ts'
import { generatePassword, hashPassword } from '../models/passwords.ts'
import { appendAudit } from '../models/audit.ts'

export const adminResetExit = { ok: 0, failed: 1, noLocalAccess: 3, noSuchAdmin: 4 } as const

export class AdminResetRefused extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

export async function resetAdminPassword({
  databaseUrl,
  databaseAuthToken,
  dataDir,
  username = 'admin',
  now = Date.now(),
}: {
  databaseUrl: string
  databaseAuthToken?: string
  dataDir: string
  username?: string
  now?: number
}): Promise<{ username: string; password: string }> {
  // the proof of local access: the keys file only the service's user can read (also on a libsql server)
  try {
    await access(path.join(dataDir, 'keys.json'), constants.R_OK)
  } catch {
    throw new AdminResetRefused(
      `not reset: ${path.join(dataDir, 'keys.json')} is not readable; run this as the service's user with its DATA_DIR`,
      adminResetExit.noLocalAccess,
    )
  }
  const database = await openDatabase({ url: databaseUrl, authToken: databaseAuthToken })
  try {
    const password = generatePassword()
    const passwordHash = await hashPassword(password)
    const reset = await database.write(async (tx) => {
      const [member] = await tx
        .update(staff)
        .set({
          passwordHash,
          mustChangePassword: true,
          // every session token carries the generation it was issued in: moving it on ends them all
          sessionGeneration: sql`${staff.sessionGeneration} + 1`,
          disabledAt: null,
        })
        .where(and(eq(staff.username, username), eq(staff.role, 'admin')))
        .returning({ id: staff.id, officeId: staff.officeId })
      if (!member) return null
      await appendAudit(tx, {
        at: now,
        officeId: member.officeId,
        actorType: 'system',
        action: 'password.reset-local',
        target: member.id,
        detail: { via: 'npm run admin:reset', sessionsRevoked: true },
      })
      return member
    })
    if (!reset) {
      throw new AdminResetRefused(`not reset: no admin account named ${username}`, adminResetExit.noSuchAdmin)
    }
    return { username, password }
  } finally {
    database.close()
  }
}

if (process.argv[1]?.endsWith('scripts/admin-reset.ts')) {
  const config = configFromEnv(process.env)
  try {
    const { username, password } = await resetAdminPassword({
      databaseUrl: config.databaseUrl,
      databaseAuthToken: config.databaseAuthToken,
      dataDir: config.dataDir,
      username: process.argv[2],
    })
    // for the person at this terminal only: the service's journal never sees it
    console.log(
      `New one-time password for ${username}: ${password}\n` +
        'Every session of this account has ended; the password must be changed at the next sign-in.',
    )
  } catch (error) {
    const refused = error instanceof AdminResetRefused
    console.error(refused ? error.message : `not reset: ${String(error)}`)
    process.exit(refused ? error.exitCode : adminResetExit.failed)
  }
}
