// The whole schema, one re-export per table family: drizzle-kit and the database handle read it from here.
export * from './offices.ts'
export * from './staff.ts'
export * from './visits.ts'
export * from './referrals.ts'
export * from './consents.ts'
export * from './audit.ts'
export * from './privacy.ts'
export * from './rollups.ts'
