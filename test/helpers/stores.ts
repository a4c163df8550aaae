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
    const { store, schema } = await openFreshSchema(url!);
    try {
      await fn(store);
    } finally {
      await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await store.close();
    }
  });
}

/**
 * A store in a fresh schema. Twice in CI, with two test processes migrating their schemas at once, a migration
 * failed with « schema … / relation t_….audit_log does not exist » (cause not found yet, not reproduced alone):
 * a new schema is tried, at most twice more, for that error only; every other error fails the test.
 */
export async function openFreshSchema(url: string): Promise<{ store: Store; schema: string }> {
  for (let attempt = 0; ; attempt++) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    try {
      return { store: await Store.open({ databaseUrl: url, pgSchema: schema }), schema };
    } catch (e) {
      if (attempt >= 2 || !/Échec de la migration .*does not exist/.test((e as Error).message)) throw e;
      console.log(`# migration du schéma ${schema} en échec (${(e as Error).message}) : nouvel essai`);
    }
  }
}
