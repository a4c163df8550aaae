import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Store } from '../../src/store/index.ts';

/**
 * Runs a storage test on every database available: SQLite always, PostgreSQL when
 * FABRIQUE_TEST_DATABASE_URL is set (CI sets it). Each PostgreSQL run works in a fresh schema.
 */
export function storeTest(name: string, fn: (store: Store) => Promise<void>): void {
  test(`${name} [sqlite]`, async () => {
    const store = await Store.open({ sqlitePath: ':memory:' });
    try { await fn(store); } finally { await store.close(); }
  });
  const url = process.env.FABRIQUE_TEST_DATABASE_URL;
  test(`${name} [postgres]`, { skip: url ? false : 'PostgreSQL absent : définir FABRIQUE_TEST_DATABASE_URL (fait par .ci/run)' }, async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const store = await Store.open({ databaseUrl: url!, pgSchema: schema });
    try {
      await fn(store);
    } finally {
      await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close();
    }
  });
}
