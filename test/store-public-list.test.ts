import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import SQLite from 'better-sqlite3';
import assert from 'node:assert/strict';
import type { Contribution } from '../src/domain/index.ts';
import { moderateContribution } from '../src/store/moderation.ts';
import { rankCandidates } from '../src/store/search-rank.ts';
import { pageContributions, pageSearch } from '../src/store/moderation-page.ts';
import { Store, type ContributionFilter } from '../src/store/index.ts';
import { storeTest } from './helpers/stores.ts';
import { testConsultation, testDocument } from './helpers/fixtures.ts';

const SUBJECTS = ['les urgences ferment la nuit', 'un médecin traitant pour chaque patient', 'la prévention à l’école',
  'les urgences et le médecin de garde', 'loger les internes en stage', 'attendre aux urgences pendant des heures'];

function contributions(n: number): Contribution[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `formulaire:l${i}`, consultation: 'essai', channel: 'formulaire', text: `Contribution ${i} : ${SUBJECTS[i % SUBJECTS.length]}${i % 5 === 0 ? ', urgences encore' : ''}.`,
    themes: i % 4 === 3 ? [] : [{ theme: String((i % 3) + 1), provenance: { by: 'source', documentId: 'formulaire' } }],
    moderation: { status: i % 7 === 0 ? 'rejected' : i % 3 === 0 ? 'pending' : 'published' }, source: { documentId: 'formulaire', file: 'formulaire en ligne' },
    ...(i % 2 ? { kind: 'proposition' as const } : { kind: 'constat' as const }), ...(i % 3 === 1 ? { authorCollege: 'usagers' as const } : {}),
  }));
}

storeTest('public list pages: same items, order and totals as filtering every row, newest first', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(['Un atelier sur les urgences.', 'Un atelier sur la prévention.']));
  await store.addContributions('essai', contributions(130));
  for (const filter of [{ moderation: 'published' }, { moderation: 'published', theme: '2' }, { moderation: 'published', kind: 'proposition', college: 'usagers' },
    { moderation: 'pending', theme: '1', kind: 'constat', college: 'usagers' }, { moderation: 'published', channel: 'atelier' }] as ContributionFilter[]) {
    const expected = (await store.listContributions('essai', filter)).map((c) => c.id).reverse();
    for (const [offset, limit] of [[0, 20], [20, 20], [40, 7], [Math.max(0, expected.length - 3), 20], [expected.length + 5, 20]] as const) {
      const page = await pageContributions(store, 'essai', filter, offset, limit);
      assert.equal(page.total, expected.length, JSON.stringify(filter));
      assert.deepEqual(page.items.map((x) => x.id), expected.slice(offset, offset + limit), `${JSON.stringify(filter)} @${offset}`);
    }
  }
});

storeTest('public search is paged in SQL among the filtered contributions, ranked as searchContributions', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.addContributions('essai', contributions(130));
  for (const [q, filter] of [['urgences', { moderation: 'published' }], ['médecin', { moderation: 'published', kind: 'proposition' }], ['urgences médecin', { moderation: 'published' }]] as const) {
    const f = filter as ContributionFilter;
    const allowed = new Set((await store.listContributions('essai', f)).map((c) => c.id));
    const expected = (await store.searchContributions('essai', q, 1000)).map((c) => c.id).filter((id) => allowed.has(id));
    assert.ok(expected.length > 3, q);
    for (const [offset, limit] of [[0, 10], [10, 10], [Math.max(0, expected.length - 2), 10]] as const) {
      const page = await pageSearch(store, 'essai', q, f, offset, limit);
      assert.equal(page.total, expected.length, q);
      assert.deepEqual(page.items.map((x) => x.id), expected.slice(offset, offset + limit), `${q} @${offset}`);
    }
  }
  assert.deepEqual(await pageSearch(store, 'essai', '  "\' ) OR 1=1 --', { moderation: 'published' }, 0, 10), { items: [], total: 0 });
});

storeTest('deep pages of a status list start from the counted arrival buckets: same items as skipping every row', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.upsertConsultation(testConsultation('autre'));
  // 23k contributions over three buckets of 10,000 (seq), interleaved with another consultation's
  const many = contributions(23_000).map((c, i) => (i % 10 === 9 ? { ...c, consultation: 'autre', id: `autre:${i}` } : c));
  await store.addContributions('essai', many.filter((c) => c.consultation === 'essai'));
  await store.addContributions('autre', many.filter((c) => c.consultation === 'autre'));
  await store.db.deleteFrom('contributions').where('id', 'in', ['formulaire:l4', 'formulaire:l15001', 'formulaire:l22998']).execute();
  const published = await store.db.selectFrom('contributions').select('id').where('consultation', '=', 'essai').where('moderation_status', '=', 'published')
    .orderBy('seq', 'desc').execute();
  for (const offset of [9_990, 10_000, 12_345, published.length - 5, published.length]) {
    const page = await pageContributions(store, 'essai', { moderation: 'published' }, offset, 20);
    assert.equal(page.total, published.length);
    assert.deepEqual(page.items.map((x) => x.id), published.slice(offset, offset + 20).map((r) => r.id), `@${offset}`);
  }
});

storeTest('public search follows moderation decisions, deletions and consultations (rows keyed by scope in the index)', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.upsertConsultation(testConsultation('autre-consultation'));
  await store.addContributions('essai', contributions(40));
  await store.addContributions('autre-consultation', contributions(40).map((c) => ({ ...c, id: `autre:${c.id}`, consultation: 'autre-consultation' })));
  const search = async (slug: string) => (await pageSearch(store, slug, 'urgences', { moderation: 'published' }, 0, 1000)).items;
  const expected = async (slug: string) => {
    const published = new Set((await store.listContributions(slug, { moderation: 'published' })).map((c) => c.id));
    return (await store.searchContributions(slug, 'urgences', 1000)).map((c) => c.id).filter((id) => published.has(id)).sort();
  };
  const before = await search('essai');
  assert.ok(before.length > 3);
  assert.ok(before.every((x) => x.status === 'published' && !x.id.startsWith('autre:')));
  assert.deepEqual(before.map((x) => x.id).sort(), await expected('essai'));

  // a pending match becomes visible when published, a published one disappears when rejected or deleted
  const pending = (await store.searchContributions('essai', 'urgences', 1000)).find((c) => c.moderation.status === 'pending')!;
  const shown = before[0]!.id;
  await moderateContribution(store, pending.id, { status: 'published', by: 'moderatrice', action: 'contribution.moderate' });
  await moderateContribution(store, shown, { status: 'rejected', by: 'moderatrice', action: 'contribution.moderate' });
  await store.db.deleteFrom('contributions').where('id', '=', before[1]!.id).execute();
  const after = (await search('essai')).map((x) => x.id);
  assert.ok(after.includes(pending.id));
  assert.ok(!after.includes(shown) && !after.includes(before[1]!.id));
  assert.deepEqual([...after].sort(), await expected('essai'));
  // the other consultation is untouched, and the queue (no status filter) still finds every status
  assert.deepEqual((await search('autre-consultation')).map((x) => x.id).sort(), await expected('autre-consultation'));
  const queue = await pageSearch(store, 'essai', 'urgences', {}, 0, 1000);
  assert.equal(queue.total, (await store.searchContributions('essai', 'urgences', 1000)).length);
});

test('migration 0011 indexes the contributions of an existing database with their scope [sqlite]', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-0011-'));
  const path = join(dir, 'ancienne.sqlite');
  try {
    let store = await Store.open({ sqlitePath: path });
    await store.upsertConsultation(testConsultation());
    await store.addContributions('essai', contributions(60));
    await store.close();
    // the database as it was before 0011: external-content index of the stemmed column only
    const raw = new SQLite(path);
    raw.exec(`DROP TRIGGER contributions_fts_ai; DROP TRIGGER contributions_fts_ad; DROP TRIGGER contributions_fts_au; DROP TABLE contributions_fts; DROP TABLE search_scopes;
      CREATE VIRTUAL TABLE contributions_fts USING fts5(search_terms, content='contributions', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
      INSERT INTO contributions_fts(contributions_fts) VALUES ('rebuild');
      DELETE FROM kysely_migration WHERE name = '0011_search_scope';`);
    raw.close();
    store = await Store.open({ sqlitePath: path });
    try {
      const published = new Set((await store.listContributions('essai', { moderation: 'published' })).map((c) => c.id));
      const expected = (await store.searchContributions('essai', 'urgences', 1000)).map((c) => c.id).filter((id) => published.has(id)).sort();
      assert.ok(expected.length > 3);
      assert.deepEqual((await pageSearch(store, 'essai', 'urgences', { moderation: 'published' }, 0, 1000)).items.map((x) => x.id).sort(), expected);
    } finally { await store.close(); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('search on a SQLite file runs on read workers: same results as the main connection, sees every commit, survives a dead worker [sqlite]', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-readers-'));
  const path = join(dir, 'base.sqlite');
  const saved = process.env.FABRIQUE_READ_WORKERS;
  try {
    process.env.FABRIQUE_READ_WORKERS = '0';
    const inline = await Store.open({ sqlitePath: path });
    await inline.upsertConsultation(testConsultation());
    await inline.addContributions('essai', contributions(200));
    process.env.FABRIQUE_READ_WORKERS = '2';
    const pooled = await Store.open({ sqlitePath: path });
    try {
      for (const [q, f] of [['urgences', { moderation: 'published' }], ['médecin traitant', { moderation: 'published', kind: 'proposition' }], ['urgences', {}]] as const) {
        assert.deepEqual(await pageSearch(pooled, 'essai', q, f as ContributionFilter, 0, 50), await pageSearch(inline, 'essai', q, f as ContributionFilter, 0, 50), q);
      }
      const pool = (pooled as unknown as { readPool: { size: number; slots: ({ worker: { terminate(): Promise<number> } } | undefined)[] } }).readPool;
      assert.equal(pool.size, 2);
      assert.ok(pool.slots.some(Boolean), 'a worker started');
      const direct = await (pool as unknown as { query(q: unknown): Promise<{ n: number }[]> }).query({ sql: 'SELECT count(*) AS n FROM contributions', parameters: [] });
      assert.deepEqual(direct, [{ n: 200 }], 'the worker itself answers');
      // a write on the main connection is seen at once by the workers
      const pending = (await inline.searchContributions('essai', 'urgences', 1000)).find((c) => c.moderation.status === 'pending')!;
      await moderateContribution(inline, pending.id, { status: 'published', by: 'moderatrice', action: 'contribution.moderate' });
      assert.ok((await pageSearch(pooled, 'essai', 'urgences', { moderation: 'published' }, 0, 1000)).items.some((x) => x.id === pending.id));
      // the workers' connections only read
      await assert.rejects((pooled as unknown as { readPool: { query(q: unknown): Promise<unknown> } }).readPool.query({ sql: 'DELETE FROM contributions', parameters: [] }), /ne modifie rien|readonly/);
      // a worker that dies: the query still answers (main connection, for a pause, then a new worker)
      await Promise.all(pool.slots.map((s) => s?.worker.terminate()));
      assert.deepEqual(await pageSearch(pooled, 'essai', 'urgences', { moderation: 'published' }, 0, 20), await pageSearch(inline, 'essai', 'urgences', { moderation: 'published' }, 0, 20));
      assert.deepEqual(await pageSearch(pooled, 'essai', 'urgences', { moderation: 'published' }, 0, 20), await pageSearch(inline, 'essai', 'urgences', { moderation: 'published' }, 0, 20));
      assert.equal(await inline.countContributions('essai'), 200);
    } finally {
      await pooled.close();
      await inline.close();
    }
  } finally {
    if (saved === undefined) delete process.env.FABRIQUE_READ_WORKERS; else process.env.FABRIQUE_READ_WORKERS = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search relevance (BM25): more occurrences, rarer words and shorter texts rank first; ties keep arrival order', () => {
  const freq = new Map([['urgenc', 500], ['pediatr', 5]]);
  assert.deepEqual(rankCandidates(['urgenc'], [{ seq: 1, terms: 'urgenc la nuit' }, { seq: 2, terms: 'urgenc urgenc la nuit' }], freq, 10_000), [2, 1]);
  assert.deepEqual(rankCandidates(['urgenc', 'pediatr'], [{ seq: 1, terms: 'urgenc urgenc le soir' }, { seq: 2, terms: 'pediatr le soir aussi' }], freq, 10_000), [2, 1]);
  assert.deepEqual(rankCandidates(['urgenc'], [{ seq: 1, terms: 'urgenc ' + 'mot '.repeat(40).trim() }, { seq: 2, terms: 'urgenc court' }], freq, 10_000), [2, 1]);
  assert.deepEqual(rankCandidates(['urgenc'], [{ seq: 7, terms: 'urgenc a' }, { seq: 3, terms: 'urgenc b' }], freq, 10_000), [3, 7]);
});
