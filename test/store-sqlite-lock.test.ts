/**
 * SQLite shared with another process (issue 9, point 6), fast in-process checks: a write waiting for
 * another connection's lock leaves the event loop free and succeeds once the lock is released; a lock
 * held too long is a clear 503; a large import is written in stages that readers see all at once or
 * not at all, and leaves nothing when it fails. The end-to-end check with a real CLI import next to
 * the server is test/faults/sqlite-import-alongside-server.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import type { Contribution } from '../src/domain/contribution.ts';
import type { ParsedDocument } from '../src/ingest/types.ts';
import { Store } from '../src/store/index.ts';
import { privateTexts } from '../src/store/moderation.ts';
import { Client, testServer } from './helpers/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'fabrique-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `f${n++}.sqlite`);

/** Holds the write lock of `store` (another connection, as a CLI import would) until `release` is called. */
function holdLock(store: Store): { held: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  let held!: () => void;
  const heldP = new Promise<void>((r) => { held = r; });
  const done = store.db.transaction().execute(async (trx) => {
    await trx.updateTable('consultations').set({ title: 'verrou' }).where('slug', '=', 'essai').execute();
    held();
    await new Promise<void>((r) => { release = r; });
  });
  return { held: heldP, release: () => release(), done };
}

const consultation = { slug: 'essai', title: 'Essai', territory: '12', status: 'open' as const, themes: [] };

test('a write waiting for another connection\'s lock does not block the event loop, and succeeds after', async () => {
  const path = dbPath();
  const holder = await Store.open({ sqlitePath: path });
  const writer = await Store.open({ sqlitePath: path });
  try {
    await holder.upsertConsultation(consultation);
    const lock = holdLock(holder);
    await lock.held;
    const events: string[] = [];
    const write = writer.upsertConsultation({ ...consultation, slug: 'autre', title: 'Autre' }).then(() => { events.push('write done'); });
    // Only a free event loop runs this timer; it releases the lock. With a blocking busy wait the
    // timer could not fire before the write gave up with "database is locked".
    setTimeout(() => { events.push('timer'); lock.release(); }, 50);
    await Promise.all([write, lock.done]);
    assert.deepEqual(events, ['timer', 'write done']);
    assert.ok(await writer.getConsultation('autre'));
  } finally {
    await holder.close();
    await writer.close();
  }
});

test('a lock held longer than the wait: 503 database_busy with a French message, nothing written', async () => {
  const path = dbPath();
  const t = await testServer({}, await Store.open({ sqlitePath: path, sqliteLockWaitMs: 200 }));
  const holder = await Store.open({ sqlitePath: path });
  try {
    const client = await Client.create(t.app);
    const lock = holdLock(holder);
    await lock.held;
    const res = await client.post('/api/auth/login', { email: 'admin@ars.test', password: 'mot-de-passe-de-test-42' });
    lock.release();
    await lock.done;
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json().error.code, 'database_busy');
    assert.match(res.json().error.message, /occupée par une autre opération/);
    assert.equal(Number((await sql<{ n: number }>`SELECT count(*) AS n FROM sessions`.execute(t.store.db)).rows[0]!.n), 0);
  } finally {
    await holder.close();
    await t.close();
  }
});

function bigDocument(id: string, count: number, clash?: { at: number; id: string }): ParsedDocument {
  const contributions: Contribution[] = Array.from({ length: count }, (_, i) => ({
    id: clash && i === clash.at ? clash.id : `${id}:${i}`, consultation: 'essai', channel: 'atelier', text: `Proposition ${i} : un centre de santé ouvert le samedi.`,
    themes: [], moderation: { status: 'pending' }, source: { documentId: id, file: `${id}.csv`, row: i + 2 },
  } as Contribution));
  return {
    documentId: id, fileName: `${id}.csv`, mediaType: 'text/csv', sizeBytes: 1000, parser: 'tabulaire', parserVersion: '1',
    meetings: [], contributions, syntheses: [], themes: [], warnings: [],
  } as unknown as ParsedDocument;
}

test('large SQLite import: staged, visible all at once, idempotent; a failed one leaves nothing', async () => {
  const path = dbPath();
  const store = await Store.open({ sqlitePath: path });
  try {
    await store.upsertConsultation(consultation);
    const first = await store.importParsed('essai', bigDocument('doc-a', 2500));
    assert.equal(first.outcome, 'imported');
    assert.equal(await store.countContributions('essai', { documentId: 'doc-a' }), 2500);
    assert.equal((await store.listDocuments('essai')).length, 1);
    assert.deepEqual((await store.listConsultations()).map((c) => c.slug), ['essai']);
    assert.equal((await store.importParsed('essai', bigDocument('doc-a', 2500))).outcome, 'unchanged');

    // the last chunk collides with a stored id: the import fails after most chunks were written
    const before = await store.tableCounts();
    await assert.rejects(store.importParsed('essai', bigDocument('doc-b', 2500, { at: 2400, id: 'doc-a:0' })));
    assert.deepEqual(await store.tableCounts(), before, 'nothing left, not even hidden staging rows');
    assert.equal((await store.importParsed('essai', bigDocument('doc-b', 2500))).outcome, 'imported');
    assert.equal(await store.countContributions('essai'), 5000);
  } finally {
    await store.close();
  }
});

test('large SQLite import: gated and pseudonymised like any other (pending unless published as a whole)', async () => {
  const path = dbPath();
  const store = await Store.open({ sqlitePath: path });
  try {
    await store.upsertConsultation(consultation);
    const doc = bigDocument('doc-g', 2500);
    // the parser says "published" and the text names someone: neither may survive the staged path
    for (const c of doc.contributions) c.moderation = { status: 'published' };
    doc.contributions[7]!.text = 'Le docteur Fictivier ne prend plus de patients, appelez le 06 12 34 56 78.';
    const result = await store.importParsed('essai', doc);
    assert.equal(result.publication, null);
    assert.equal(await store.countContributions('essai', { moderation: 'pending' }), 2500);
    const masked = await store.getContribution('doc-g:7');
    assert.ok(masked && !masked.text.includes('Fictivier') && !masked.text.includes('06 12'), masked?.text);
    assert.match((await privateTexts(store, ['doc-g:7'])).get('doc-g:7')!.original, /Fictivier/);

    const published = await store.importParsed('essai', bigDocument('doc-h', 2500), { publishBy: 'Analyste fictive' });
    assert.equal(published.publication?.by, 'Analyste fictive');
    assert.equal(await store.countContributions('essai', { documentId: 'doc-h', moderation: 'published' }), 2500);
  } finally {
    await store.close();
  }
});

test('what a killed import left is removed at start-up once stale', async () => {
  const path = dbPath();
  const store = await Store.open({ sqlitePath: path });
  await store.upsertConsultation(consultation);
  const old = new Date(Date.now() - 3600_000).toISOString();
  await store.db.insertInto('consultations').values({
    slug: '~import~mort', title: 'Import en cours', territory: '', territory_level: null, period_start: null, period_end: null,
    status: 'draft', description: null, themes_json: '[]', created_at: old,
  }).execute();
  await store.addContributions('~import~mort', bigDocument('mort', 3).contributions);
  assert.equal((await store.tableCounts()).contributions, 3);
  assert.deepEqual((await store.listConsultations()).map((c) => c.slug), ['essai'], 'never listed');
  assert.equal(await store.getConsultation('~import~mort'), undefined);
  await store.close();
  const reopened = await Store.open({ sqlitePath: path });
  try {
    assert.equal((await reopened.tableCounts()).contributions, 0);
    assert.equal((await reopened.tableCounts()).consultations, 1);
  } finally {
    await reopened.close();
  }
});
