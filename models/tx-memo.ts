// What a write transaction would otherwise make again on every verb, made once per transaction: reads it repeats
// (the office, its developer's offices, its current channel rules) and statements it runs again and again. Only
// inside a transaction: the memo dies with it, and the verbs that change what was read forget it in the same
// transaction. Outside one (page reads) every call reads and builds.
import { SQLiteTransaction } from 'drizzle-orm/sqlite-core'

const memos = new WeakMap<object, Map<string, unknown>>()

// the value under `key` for this transaction, made by `make` the first time
function once<T>(db: object, key: string, make: () => T): { value: T; made: boolean } {
  if (!(db instanceof SQLiteTransaction)) return { value: make(), made: true }
  let memo = memos.get(db)
  if (!memo) memos.set(db, (memo = new Map()))
  if (memo.has(key)) return { value: memo.get(key) as T, made: false }
  const value = make()
  memo.set(key, value)
  return { value, made: true }
}

export function memoInTx<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  const { value, made } = once(db, key, load)
  // a failed read is not remembered
  if (made) value.catch(() => memos.get(db)?.delete(key))
  return value
}

// after a write to what `key` names (a prefix forgets every key under it)
export function forgetInTx(db: object, prefix: string) {
  const memo = memos.get(db)
  if (!memo) return
  for (const key of [...memo.keys()]) if (key.startsWith(prefix)) memo.delete(key)
}

// a statement built once per transaction, run with placeholders: for a one-row statement drizzle's builder costs
// more than SQLite's work (an audit insert: 45 µs built each time, 10 µs prepared; bench/demo-seed.ts replays
// thousands in one transaction). Statement keys share the memo with reads: `statement:` keeps them apart from
// every prefix a write forgets.
export function preparedInTx<T>(db: object, key: string, build: () => T): T {
  return once(db, `statement:${key}`, build).value
}
