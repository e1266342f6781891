// docs/privacy.md stays true: every schema column is either named in its data-point table or known to hold no personal data.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core'
import * as schema from '../../models/schema.ts'

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

// columns that hold no personal data: random ids, office references, settings, anonymous aggregates.
// A new column must be added either here (say why in review) or as a row of docs/privacy.md.
const notPersonal: Record<string, string[] | 'all'> = {
  appeals: ['id', 'office_id'],
  assessments: ['id', 'office_id', 'generated_at', 'body'],
  audit_guard: 'all',
  audit_log: ['id', 'office_id'],
  brokers: ['id', 'office_id'],
  camera_sessions: ['id', 'office_id'],
  channel_rules: ['id', 'office_id', 'version', 'body', 'created_at'],
  client_owners: ['id', 'office_id', 'rule_version'],
  // a channel's id, office and kind (wecom, dingtalk, webhook): settings
  notify_channels: ['id', 'office_id', 'kind'],
  notify_outbox: ['id', 'office_id', 'channel_id'],
  ownership_conflicts: ['id', 'office_id', 'rule_version'],
  reception_credits: ['visit_id', 'office_id'],
  consents: ['id', 'office_id'],
  // signage: marketing's files, playlists and proof of play (what a screen showed, not who saw it)
  content_items: 'all',
  content_plays: 'all',
  content_attention: ['office_id', 'item_id', 'item_version'],
  daily_rollups: 'all',
  // which key set the database belongs to: a fingerprint, nothing about a person
  deployment_keys: 'all',
  data_requests: ['id', 'office_id'],
  // a property group's name: a company, not a person
  developers: 'all',
  // an entrance screen's rotating code: a random id, its station, its minute, how many check-ins it made
  entrance_codes: 'all',
  notices: ['id', 'office_id', 'lang', 'version', 'sha256', 'body', 'published_at'],
  offices: 'all',
  playlist_entries: 'all',
  purge_runs: 'all',
  referrals: ['id', 'office_id', 'rule_version'],
  retention_policies: ['office_id', 'kind', 'days', 'updated_at'],
  // how far each office's roll-ups reach: an office and a day, nothing about a person
  rollup_watermarks: 'all',
  staff: ['id', 'office_id'],
  station_events: 'all',
  stations: 'all',
  used_tokens: 'all',
  visit_notes: ['id', 'visit_id'],
  visitors: ['office_id'],
  visits: ['id', 'office_id', 'revision', 'rule_version'],
}

function schemaColumns() {
  const columns: string[] = []
  for (const value of Object.values(schema)) {
    if (!(value instanceof SQLiteTable)) continue
    const config = getTableConfig(value)
    for (const column of config.columns) columns.push(`${config.name}.${snake(column.name)}`)
  }
  return columns
}

async function documentedColumns() {
  const doc = await readFile('docs/privacy.md', 'utf8')
  const header = doc.indexOf('| data point | example | kept? | how long | why |')
  assert.ok(header >= 0, 'docs/privacy.md has the data-point table')
  const rows = doc
    .slice(header)
    .split('\n')
    .filter((line) => line.startsWith('|'))
  return new Set(rows.flatMap((row) => [...row.matchAll(/`([a-z_]+\.[a-z0-9_]+)`/g)].map((m) => m[1]!)))
}

test('every schema column holding personal data has a row in docs/privacy.md', async () => {
  const documented = await documentedColumns()
  const missing = schemaColumns().filter((column) => {
    const [table, name] = column.split('.') as [string, string]
    const exempt = notPersonal[table]
    return !documented.has(column) && exempt !== 'all' && !exempt?.includes(name)
  })
  assert.deepEqual(missing, [], `add these to the data-point table of docs/privacy.md: ${missing.join(', ')}`)
})

test('the data-point table names only columns that exist', async () => {
  const all = new Set(schemaColumns())
  const stale = [...(await documentedColumns())].filter((column) => !all.has(column))
  assert.deepEqual(stale, [])
})
