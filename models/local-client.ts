// The embedded-file database client: the part of @libsql/client's `Client` that drizzle and this app use, over the
// same native `libsql` connections, with two changes that matter under load (measured in bench/checkin.ts):
// - one writer connection behind an in-process queue. Every write outside a transaction waits its turn instead of
//   hitting SQLITE_BUSY: the native busy handler sleeps on the event-loop thread, so with the stock client a write
//   issued while a group-commit transaction awaited between statements froze the whole server for the 5 s timeout
//   and then failed (test/models/local-client.test.ts shows it can no longer happen);
// - prepared statements and their column names are cached per connection, and rows are built without
//   per-cell property definitions (the stock client spent ~75 µs a query there; this one ~10 µs).
// Reads outside a transaction run on a separate read-only connection (WAL: they see the last commit and never
// wait). `:memory:` has a single connection, so there everything queues. Remote URLs keep @libsql/client.
import Database from 'libsql'
import {
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type ResultSet,
  type Row,
} from '@libsql/client'

type Native = InstanceType<typeof Database>
type NativeStatement = ReturnType<Native['prepare']>
type Prepared = { statement: NativeStatement; reader: boolean; columns: string[]; rowProto: object | null }

const statementCacheSize = 256
// as long as the native busy timeout: a write that cannot get the writer in this time fails like SQLITE_BUSY
export const writerWaitMs = 5000

const values = Symbol('values')

// a row as @libsql/client gives it: named fields (first of a repeated name wins) plus indices and length
function rowPrototype(columns: string[]): object {
  const proto: PropertyDescriptorMap = { length: { value: columns.length } }
  columns.forEach((_, i) => {
    proto[i] = {
      get(this: { [values]: unknown[] }) {
        return this[values][i]
      },
    }
  })
  return Object.create(Object.prototype, proto)
}

function fromSql(value: unknown) {
  return value instanceof Uint8Array
    ? value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)
    : value
}

function toSql(value: unknown) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers can be passed as arguments')
    return value
  }
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof ArrayBuffer) return Buffer.from(value)
  if (value instanceof Date) return value.valueOf()
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database')
  return value
}

function bind(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (!args) return []
  if (Array.isArray(args)) return args.map(toSql)
  const named: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(args))
    named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(value)
  return named
}

function asLibsqlError(error: unknown): unknown {
  const failure = error as { code?: string; rawCode?: number; message?: string }
  if (error instanceof Error && typeof failure.rawCode === 'number') {
    // the base code, as @libsql/client reports it: SQLITE_CONSTRAINT_PRIMARYKEY → SQLITE_CONSTRAINT
    const code = failure.code?.split('_').slice(0, 2).join('_') ?? `SQLITE_UNKNOWN_${failure.rawCode & 0xff}`
    return new LibsqlError(error.message, code, failure.code, failure.rawCode, error)
  }
  return error
}

class Connection {
  readonly #cache = new Map<string, Prepared>()
  constructor(readonly native: Native) {}

  prepare(sql: string): Prepared {
    let prepared = this.#cache.get(sql)
    if (prepared) {
      // least recently used goes first: re-insert on use
      this.#cache.delete(sql)
      this.#cache.set(sql, prepared)
      return prepared
    }
    const statement = this.native.prepare(sql)
    const reader = statement.reader
    const columns = reader ? statement.columns().map((column: { name: string }) => column.name) : []
    if (reader) statement.raw(true)
    prepared = { statement, reader, columns, rowProto: reader ? rowPrototype(columns) : null }
    this.#cache.set(sql, prepared)
    if (this.#cache.size > statementCacheSize) this.#cache.delete(this.#cache.keys().next().value!)
    return prepared
  }

  execute(stmt: InStatement | string, args?: InArgs): ResultSet {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql
    const bound = bind(typeof stmt === 'string' ? args : stmt.args)
    try {
      const { statement, reader, columns, rowProto } = this.prepare(sql)
      if (reader) {
        const raw = statement.all(bound) as unknown[][]
        const rows = raw.map((cells) => {
          const converted = cells.map(fromSql)
          const row = Object.create(rowProto) as Record<string | symbol, unknown>
          Object.defineProperty(row, values, { value: converted })
          for (let i = 0; i < columns.length; i++)
            if (!Object.hasOwn(row, columns[i]!)) row[columns[i]!] = converted[i]
          return row as unknown as Row
        })
        return resultSet(columns, rows, 0, undefined)
      }
      const info = statement.run(bound) as { changes: number; lastInsertRowid: number | bigint }
      return resultSet([], [], info.changes, BigInt(info.lastInsertRowid))
    } catch (error) {
      throw asLibsqlError(error)
    }
  }

  exec(sql: string) {
    try {
      this.native.exec(sql)
    } catch (error) {
      throw asLibsqlError(error)
    }
  }

  close() {
    this.#cache.clear()
    if (this.native.open) this.native.close()
  }
}

function resultSet(
  columns: string[],
  rows: Row[],
  rowsAffected: number,
  lastInsertRowid?: bigint,
): ResultSet {
  return {
    columns,
    columnTypes: columns.map(() => ''),
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({ columns, rows: rows.map((row) => Array.from(row as ArrayLike<unknown>)), rowsAffected }),
  }
}

// FIFO ownership of the writer connection
class WriterQueue {
  #held = false
  readonly #waiting: { grant: () => void; refuse: (error: Error) => void }[] = []

  acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer)
          resolve()
        },
        refuse: reject,
      }
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1)
        reject(new LibsqlError('database is locked (the in-process writer stayed busy)', 'SQLITE_BUSY'))
      }, writerWaitMs)
      this.#waiting.push(waiter)
    })
  }

  release() {
    const next = this.#waiting.shift()
    if (next) next.grant()
    else this.#held = false
  }

  refuseAll(error: Error) {
    for (const waiter of this.#waiting.splice(0)) waiter.refuse(error)
  }
}

// reads outside a transaction: SELECT (or WITH … SELECT) with no data-changing keyword
const readOnly = /^\s*(select|with)\b/i
const changesData = /\b(insert|update|delete|replace)\b/i

export function createLocalClient({ path, timeoutMs = 5000 }: { path: string; timeoutMs?: number }): Client {
  const memory = path === ':memory:'
  const open = () => new Connection(new Database(path, { timeout: timeoutMs }))
  const writer = open()
  // deleted cells are zeroed in place; set once on the only connection that deletes (a per-connection setting,
  // and a file-only one: a libsql server refuses the PRAGMA, so it is not issued inside transactions)
  writer.exec('PRAGMA secure_delete = ON')
  const reader = memory ? null : open()
  // a misrouted write fails loudly on the read connection instead of waiting on the file lock
  reader?.exec('PRAGMA query_only = ON')
  const queue = new WriterQueue()
  let closed = false

  const checkOpen = () => {
    if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED')
  }
  async function withWriter<T>(work: () => T): Promise<T> {
    checkOpen()
    await queue.acquire()
    try {
      return work()
    } finally {
      queue.release()
    }
  }
  // a statement list in one transaction; a failure rolls all of it back
  const inTransaction = (begin: string, stmts: (InStatement | [string, InArgs?])[]) => {
    writer.exec(begin)
    try {
      const results = stmts.map((stmt) =>
        Array.isArray(stmt) ? writer.execute(stmt[0], stmt[1]) : writer.execute(stmt),
      )
      writer.exec('COMMIT')
      return results
    } catch (error) {
      if (writer.native.inTransaction) writer.exec('ROLLBACK')
      throw error
    }
  }
  const begin = (mode?: string) =>
    mode === 'read' || mode === 'deferred' ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE'

  const client = {
    protocol: 'file',
    get closed() {
      return closed
    },
    async execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
      checkOpen()
      const sql = typeof stmt === 'string' ? stmt : stmt.sql
      if (reader && readOnly.test(sql) && !changesData.test(sql)) return reader.execute(stmt, args)
      return withWriter(() => writer.execute(stmt, args))
    },
    async batch(stmts: (InStatement | [string, InArgs?])[], mode?: string): Promise<ResultSet[]> {
      return withWriter(() => inTransaction(begin(mode), stmts))
    },
    async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
      return withWriter(() => {
        writer.exec('PRAGMA foreign_keys = OFF')
        try {
          return inTransaction('BEGIN DEFERRED', stmts)
        } finally {
          writer.exec('PRAGMA foreign_keys = ON')
        }
      })
    },
    async executeMultiple(sql: string): Promise<void> {
      return withWriter(() => writer.exec(sql))
    },
    async transaction(mode?: string) {
      checkOpen()
      await queue.acquire()
      try {
        writer.exec(begin(mode))
      } catch (error) {
        queue.release()
        throw error
      }
      let settled = false
      const settle = () => {
        if (settled) return
        settled = true
        if (writer.native.open && writer.native.inTransaction) writer.exec('ROLLBACK')
        queue.release()
      }
      const active = () => {
        if (settled) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED')
      }
      return {
        get closed() {
          return settled
        },
        async execute(stmt: InStatement) {
          active()
          return writer.execute(stmt)
        },
        async batch(stmts: InStatement[]) {
          active()
          return stmts.map((stmt) => writer.execute(stmt))
        },
        async executeMultiple(sql: string) {
          active()
          writer.exec(sql)
        },
        async commit() {
          active()
          try {
            writer.exec('COMMIT')
          } finally {
            settle()
          }
        },
        async rollback() {
          settle()
        },
        close: settle,
      }
    },
    async sync() {
      return undefined
    },
    reconnect() {},
    close() {
      if (closed) return
      closed = true
      queue.refuseAll(new LibsqlError('The client is closed', 'CLIENT_CLOSED'))
      reader?.close()
      writer.close()
    },
  }
  return client as unknown as Client
}
