/** Cheap checks of the storage for `GET /api/health`: the database answers, and every migration is applied. */
import { Migrator, sql } from 'kysely';
import { databaseFault } from './faults.ts';
import { migrationProvider } from './migrations.ts';
import type { Store } from './store.ts';

export interface StorageHealth {
  database: { status: 'ok' | 'unavailable'; dialect: Store['dialect']; fault?: string };
  migrations: { status: 'ok' | 'pending' | 'unknown'; applied?: number; pending?: number };
}

export async function storageHealth(store: Store): Promise<StorageHealth> {
  const dialect = store.dialect;
  try {
    await sql`SELECT 1`.execute(store.db);
  } catch (e) {
    return {
      database: { status: 'unavailable', dialect, fault: databaseFault(e)?.kind ?? 'unknown' },
      migrations: { status: 'unknown' },
    };
  }
  try {
    const all = await new Migrator({ db: store.db, provider: migrationProvider(dialect) }).getMigrations();
    const pending = all.filter((m) => m.executedAt === undefined).length;
    return {
      database: { status: 'ok', dialect },
      migrations: { status: pending === 0 ? 'ok' : 'pending', applied: all.length - pending, pending },
    };
  } catch {
    return { database: { status: 'ok', dialect }, migrations: { status: 'unknown' } };
  }
}
