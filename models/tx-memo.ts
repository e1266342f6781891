// Reads a write transaction repeats on every verb (the office, its developer's offices, its current channel
// rules) are made once per transaction. Only inside a transaction: the memo dies with it, and the verbs that
// change what was read forget it in the same transaction. Outside one (page reads) every call reads.
import { SQLiteTransaction } from 'drizzle-orm/sqlite-core'

const memos = new WeakMap<object, Map<string, Promise<unknown>>>()

export function memoInTx<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  if (!(db instanceof SQLiteTransaction)) return load()
  let memo = memos.get(db)
  if (!memo) memos.set(db, (memo = new Map()))
  const known = memo.get(key)
  if (known) return known as Promise<T>
  const loading = load()
  memo.set(key, loading)
  // a failed read is not remembered
  loading.catch(() => memo.delete(key))
  return loading
}

// after a write to what `key` names (a prefix forgets every key under it)
export function forgetInTx(db: object, prefix: string) {
  const memo = memos.get(db)
  if (!memo) return
  for (const key of [...memo.keys()]) if (key.startsWith(prefix)) memo.delete(key)
}

const statements = new WeakMap<object, Map<string, unknown>>()

// a statement built once per transaction, run with placeholders: for a one-row statement drizzle's builder costs
// more than SQLite's work (an audit insert: 45 µs built each time, 10 µs prepared; bench/demo-seed.ts replays
// thousands in one transaction). Outside a transaction it is built for each call, as before.
export function preparedInTx<T>(db: object, key: string, build: () => T): T {
  if (!(db instanceof SQLiteTransaction)) return build()
  let known = statements.get(db)
  if (!known) statements.set(db, (known = new Map()))
  let statement = known.get(key) as T | undefined
  if (statement === undefined) known.set(key, (statement = build()))
  return statement
}
