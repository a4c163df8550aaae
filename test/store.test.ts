import assert from 'node:assert/strict';
import { storeTest } from './helpers/stores.ts';
import { STORE_TEXTS, testConsultation, testDocument } from './helpers/fixtures.ts';

const TEXTS = STORE_TEXTS;

storeTest('migrations create the schema and consultations round-trip', async (store) => {
  assert.equal((await store.listConsultations()).length, 0);
  assert.equal(await store.upsertConsultation(testConsultation()), true);
  assert.equal(await store.upsertConsultation({ ...testConsultation(), title: 'Nouveau titre' }), false);
  const c = await store.requireConsultation('essai');
  assert.equal(c.title, 'Nouveau titre');
  assert.equal(c.themes.length, 4);
  await assert.rejects(store.requireConsultation('inconnue'), /Consultation inconnue : « inconnue »/);
});

storeTest('import is atomic, idempotent and replaces on a newer parser', async (store) => {
  await store.upsertConsultation(testConsultation());
  const first = await store.importParsed('essai', testDocument(TEXTS));
  assert.equal(first.outcome, 'imported');
  assert.equal(await store.countContributions('essai'), 6);

  const again = await store.importParsed('essai', testDocument(TEXTS));
  assert.equal(again.outcome, 'unchanged');
  assert.equal(await store.countContributions('essai'), 6);

  // A human theme decision survives re-import by a newer parser.
  const id = (await store.listContributions('essai'))[0]!.id;
  await store.assignThemes(id, [{ theme: '3', provenance: { by: 'human', reviewer: 'analyste', at: '2026-01-01T00:00:00Z' } }]);
  const replaced = await store.importParsed('essai', testDocument(TEXTS.slice(0, 5), { parserVersion: '1.1.0' }));
  assert.equal(replaced.outcome, 'replaced');
  assert.equal(await store.countContributions('essai'), 5);
  const c = await store.getContribution(id);
  assert.deepEqual(c!.themes.map((t) => [t.theme, t.provenance.by]), [['1', 'source'], ['3', 'human']]);
  assert.equal((await store.listMeetings('essai')).length, 1);
});

storeTest('a failing import writes nothing', async (store) => {
  await store.upsertConsultation(testConsultation());
  const before = await store.tableCounts();
  const doc = testDocument(TEXTS);
  doc.contributions.push({ ...doc.contributions[0]! }); // duplicate id: fails mid-way
  await assert.rejects(store.importParsed('essai', doc), /en double/);
  assert.deepEqual(await store.tableCounts(), before);
  const bad = testDocument(TEXTS, { documentId: 'b'.repeat(64) });
  bad.contributions[3]!.meeting = 'no-such-meeting'; // foreign key violation after some rows
  await assert.rejects(store.importParsed('essai', bad));
  assert.deepEqual(await store.tableCounts(), before);
});

storeTest('French full-text search: stems and accents, same results on both databases', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(TEXTS));
  const texts = async (q: string) => (await store.searchContributions('essai', q)).map((c) => c.text).sort();
  assert.deepEqual(await texts('installer'), [TEXTS[1], TEXTS[4]].sort());
  assert.deepEqual(await texts('medecin'), [TEXTS[0], TEXTS[5]].sort());
  assert.deepEqual(await texts('URGENCE'), [TEXTS[2]]);
  assert.deepEqual(await texts('prévention écoles'), [TEXTS[3]]);
  assert.deepEqual(await texts('médecin dimanche'), [TEXTS[5]]);
  assert.deepEqual(await texts('inexistant'), []);
  assert.deepEqual(await texts('  "\' ) OR 1=1 --'), []);
});

storeTest('stats count by theme, kind, meeting, college and channel', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(TEXTS));
  const s = await store.stats('essai');
  assert.equal(s.contributions, 6);
  assert.deepEqual(s.byTheme, { 1: 2, 2: 2, 3: 1, 4: 1 });
  assert.deepEqual(s.byKind, { constat: 3, proposition: 3 });
  assert.equal(s.byChannel.atelier, 6);
  assert.equal(s.withoutTheme, 0);
  assert.equal(s.meetings, 1);
  assert.equal(s.documents, 1);
  const theme1 = await store.listContributions('essai', { theme: '1' });
  assert.equal(theme1.length, 2);
});

storeTest('the same file lands in two consultations, once in each (issue 12: idempotence per consultation)', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.upsertConsultation(testConsultation('autre'));
  await store.importParsed('essai', testDocument(TEXTS));
  const other = await store.importParsed('autre', testDocument(TEXTS, { consultation: 'autre' }));
  assert.equal(other.outcome, 'imported');
  assert.notEqual(other.documentId, testDocument(TEXTS).documentId, 'an id of its own in the second consultation');
  assert.equal((await store.importParsed('autre', testDocument(TEXTS, { consultation: 'autre' }))).outcome, 'unchanged');
  assert.equal((await store.listContributions('autre')).length, TEXTS.length);
});

storeTest('model assignments never overwrite human ones', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(TEXTS));
  const id = (await store.listContributions('essai'))[1]!.id;
  await store.assignThemes(id, [{ theme: '2', provenance: { by: 'human', reviewer: 'r', at: '2026-01-01T00:00:00Z' } }]);
  await store.assignThemes(id, [{ theme: '2', provenance: { by: 'model', model: 'm', version: '1', probability: 0.4, at: '2026-01-02T00:00:00Z' } }]);
  const c = await store.getContribution(id);
  assert.equal(c!.themes.find((t) => t.theme === '2')!.provenance.by, 'human');
});

storeTest('idea groups round-trip with members, quotes and lineage', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(TEXTS));
  const ids = (await store.listContributions('essai')).map((c) => c.id);
  const by = { by: 'model' as const, model: 'grouping', version: '1', at: '2026-01-01T00:00:00Z' };
  await store.saveIdeaGroups('essai', [
    { id: 'g1', consultation: 'essai', parent: null, theme: '1', label: 'Installer des médecins', labelByHuman: false,
      members: [{ contribution: ids[1]!, provenance: by }, { contribution: ids[4]!, provenance: by }], quotes: [ids[4]!],
      lineage: [{ op: 'create', at: '2026-01-01T00:00:00Z', by: 'grouping' }] },
    { id: 'g1a', consultation: 'essai', parent: 'g1', theme: '1', label: 'Maisons de santé', labelByHuman: true,
      members: [{ contribution: ids[4]!, provenance: by }], quotes: [], lineage: [] },
  ]);
  const groups = await store.listIdeaGroups('essai');
  assert.deepEqual(groups.map((g) => [g.id, g.parent, g.members.length, g.labelByHuman]), [['g1', null, 2, false], ['g1a', 'g1', 1, true]]);
  assert.deepEqual(groups[0]!.quotes, [ids[4]]);
  await store.saveIdeaGroups('essai', [], '1');
  assert.equal((await store.listIdeaGroups('essai')).length, 0);
  assert.equal((await store.tableCounts()).idea_members, 0);
});
