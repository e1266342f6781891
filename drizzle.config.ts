// drizzle-kit configuration: the schema lives in models/, generated SQL in drizzle/.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'turso',
  schema: './models/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'file:./data/showroom.db' },
})
