// Visit pass reader: placeholder until the visitor issue (issue 3) lands its real version of this file.
import type { Context } from 'hono'
import type { AppEnv } from './context.ts'

export type VisitPass = { visitId: string; visitorId: string; officeId: string }

// no visit pass is recognised yet: /s/:stationId then explains how to check in first
export async function readVisitPass(_c: Context<AppEnv>): Promise<VisitPass | null> {
  return null
}
