/**
 * SQLite through better-sqlite3 without blocking the event loop on another process's write lock.
 *
 * better-sqlite3 is synchronous: with a long `busy_timeout`, a server waiting for the lock held by a
 * CLI import sleeps inside the native call and freezes every request. Here the native busy timeout
 * stays short and a statement that still finds the database locked is retried asynchronously with
 * backoff, up to `lockWaitMs`. Transactions start with BEGIN IMMEDIATE, so the write lock is taken
 * (and waited for) before anything runs: the wait is always retryable, and a transaction never
 * fails half-way with "database is locked" because another writer got in first.
 */
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely';

/** Native busy timeout: the longest the event loop may sleep inside one SQLite call. */
export const SQLITE_NATIVE_BUSY_MS = 20;
/** Default total wait for the write lock before giving up with a "database busy" error. */
export const SQLITE_LOCK_WAIT_MS = 30_000;

export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class WaitingSqliteConnection implements DatabaseConnection {
  constructor(private readonly db: SQLite.Database, private readonly lockWaitMs: number) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const deadline = Date.now() + this.lockWaitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
      // Inside a transaction the lock is already held (BEGIN IMMEDIATE): a retry would be wrong there.
      const retryable = !this.db.inTransaction;
      try {
        const stmt = this.db.prepare(sql);
        if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) as R[] };
        const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
        return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
      } catch (e) {
        if (!retryable || !isSqliteBusy(e) || Date.now() + pause > deadline) throw e;
        await sleep(pause);
      }
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query)) throw new Error('Sqlite driver only supports streaming of select queries');
    for (const row of this.db.prepare(sql).iterate(parameters as unknown[])) yield { rows: [row as R] };
  }
}

class WaitingSqliteDriver implements Driver {
  private readonly connection: WaitingSqliteConnection;
  private lock: Promise<void> | undefined;
  private unlock: (() => void) | undefined;

  constructor(private readonly db: SQLite.Database, lockWaitMs: number) {
    this.connection = new WaitingSqliteConnection(db, lockWaitMs);
  }

  async init(): Promise<void> {}

  /** One connection, used by one query or transaction at a time (as in Kysely's own driver). */
  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.lock) await this.lock;
    this.lock = new Promise((r) => { this.unlock = r; });
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.unlock;
    this.lock = undefined;
    this.unlock = undefined;
    unlock?.();
  }

  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    // SQLite already rolled back on some errors (SQLITE_FULL, I/O errors): a second rollback would
    // fail and hide the original error.
    if (this.db.inTransaction) await c.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`savepoint "${name.replace(/"/g, '""')}"`));
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`rollback to "${name.replace(/"/g, '""')}"`));
  }

  async releaseSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`release "${name.replace(/"/g, '""')}"`));
  }

  async destroy(): Promise<void> {
    this.db.close();
  }
}

export class WaitingSqliteDialect implements Dialect {
  constructor(private readonly db: SQLite.Database, private readonly lockWaitMs = SQLITE_LOCK_WAIT_MS) {}
  createAdapter() { return new SqliteAdapter(); }
  createDriver(): Driver { return new WaitingSqliteDriver(this.db, this.lockWaitMs); }
  createQueryCompiler() { return new SqliteQueryCompiler(); }
  createIntrospector(db: Kysely<any>) { return new SqliteIntrospector(db); }
}
