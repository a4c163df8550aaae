import assert from 'node:assert/strict';
import type { Contribution } from '../src/domain/index.ts';
import { pageContributions, pageSearch } from '../src/store/moderation-page.ts';
import type { ContributionFilter } from '../src/store/index.ts';
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
