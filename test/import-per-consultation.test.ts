/**
 * The same file in two consultations of one database (issue 12, point 9): idempotence is per consultation.
 * Runs on SQLite and PostgreSQL (storeTest); the large case goes through the staged SQLite import too.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CNR_SANTE_THEMES, type Theme } from '../src/domain/theme.ts';
import { consultationDocumentId } from '../src/ingest/rebase.ts';
import { STAGED_IMPORT_MIN } from '../src/store/staged-import.ts';
import { test } from 'node:test';
import { Store } from '../src/store/index.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { deleteDocument } from '../src/usecases/deletion.ts';
import { importFiles } from '../src/usecases/imports.ts';
import { storeTest } from './helpers/stores.ts';

const THEMES: Theme[] = CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] }));
const utf8 = (s: string) => new TextEncoder().encode(s);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function table(rows: number): Uint8Array {
  const lines = ['Contribution;Thème'];
  for (let i = 0; i < rows; i++) lines.push(`Texte fictif numéro ${i} sur le cabinet médical du bourg;${(i % 4) + 1}`);
  return utf8(lines.join('\n') + '\n');
}

async function twoConsultations(store: Store): Promise<void> {
  for (const slug of ['premiere', 'seconde']) {
    await store.upsertConsultation({ slug, title: `Consultation ${slug}`, territory: '12', status: 'open', themes: THEMES });
  }
}

const importInto = (store: Store, consultation: string, bytes: Uint8Array) =>
  importFiles(context(store, CLI_ACTOR), { consultation, files: [{ name: 'contributions.csv', bytes }] }).then((r) => r[0]!);

storeTest('le même fichier s’importe dans deux consultations, une fois dans chacune', async (store) => {
  await twoConsultations(store);
  const bytes = table(5);
  const a = await importInto(store, 'premiere', bytes);
  assert.equal(a.outcome, 'imported');
  assert.equal(a.documentId, sha(bytes), 'la première garde l’empreinte comme identifiant');
  const b = await importInto(store, 'seconde', bytes);
  assert.equal(b.outcome, 'imported');
  assert.equal(b.contributions, 5);
  assert.equal(b.documentId, consultationDocumentId(sha(bytes), 'seconde'));
  // idempotent in each consultation
  assert.equal((await importInto(store, 'seconde', bytes)).outcome, 'unchanged');
  assert.equal((await importInto(store, 'premiere', bytes)).outcome, 'unchanged');
  const first = await store.listContributions('premiere');
  const second = await store.listContributions('seconde');
  assert.equal(first.length, 5);
  assert.equal(second.length, 5);
  assert.ok(second.every((c) => c.id.startsWith(`${b.documentId.slice(0, 12)}:`) && c.source.documentId === b.documentId));
  assert.ok(second.every((c) => c.themes.every((t) => t.provenance.by === 'source' && t.provenance.documentId === b.documentId)));
  assert.deepEqual(second.map((c) => c.text), first.map((c) => c.text));
  const counts = await store.tableCounts();
  assert.equal(counts.source_documents, 2);
  assert.equal(counts.source_files, 2, 'les octets gardés pour chacune');
  // the first copy deleted: the second keeps its own id, and stays idempotent
  await deleteDocument(context(store, CLI_ACTOR), { documentId: a.documentId });
  assert.equal((await importInto(store, 'seconde', bytes)).outcome, 'unchanged');
  assert.equal((await store.listContributions('seconde')).length, 5);
  const again = await importInto(store, 'premiere', bytes);
  assert.equal(again.outcome, 'imported');
  assert.equal(again.documentId, sha(bytes));
});

// staged imports exist on SQLite only: PostgreSQL takes the single transaction of the test above
test('un gros fichier (import par étapes sur SQLite) dans une seconde consultation', async (t) => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  t.after(() => store.close());
  await twoConsultations(store);
  const bytes = table(STAGED_IMPORT_MIN + 10);
  assert.equal((await importInto(store, 'premiere', bytes)).outcome, 'imported');
  const b = await importInto(store, 'seconde', bytes);
  assert.equal(b.outcome, 'imported');
  assert.equal((await store.listContributions('seconde')).length, STAGED_IMPORT_MIN + 10);
  assert.equal((await importInto(store, 'seconde', bytes)).outcome, 'unchanged');
  assert.equal((await store.tableCounts()).contributions, 2 * (STAGED_IMPORT_MIN + 10));
});
