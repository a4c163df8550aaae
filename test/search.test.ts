/**
 * Finding things on the public site (issue 16): GET /api/search (consultations, défis and objectifs, ideas of
 * published restitutions, published contributions; French stems; matched words marked; pages) and the public list's
 * sort and date filters. Only what the public may see is ever found. On SQLite and, when available, PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import type { Store } from '../src/store/index.ts';
import { context, type Actor } from '../src/usecases/context.ts';
import { editSynthesisEditorial, generateSynthesis, publishSynthesis, synthesisDraft } from '../src/usecases/syntheses.ts';
import { seedCoverage, SLUG, TEXTS } from './helpers/coverage-fixture.ts';
import { testServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const ANALYST: Actor = { name: 'analyste@test.invalid', role: 'analyst' };

async function publishRestitution(store: Store) {
  const ctx = context(store, ANALYST);
  const target = { consultation: SLUG };
  await generateSynthesis(ctx, target);
  const draft = await synthesisDraft(ctx, target);
  const keys = draft.problems.filter((p) => p.code === 'placeholder').map((p) => (p as { path?: string }).path).filter((k): k is string => !!k);
  if (keys.length) await editSynthesisEditorial(ctx, { ...target, texts: Object.fromEntries(keys.map((k) => [k, `Texte de test pour la rubrique (${k}).`])) });
  await publishSynthesis(ctx, target);
}

interface Hit { kind: string; id: string; href: string; title: { text: string; marks: [number, number][] }; excerpt: { text: string; marks: [number, number][] } | null }
interface Result { counts: Record<'consultation' | 'plan' | 'idea' | 'contribution', number>; total: number; page: number; pageSize: number; items: Hit[]; kind: string | null }

const marked = (m: { text: string; marks: [number, number][] }) => m.marks.map(([a, b]) => m.text.slice(a, b));

async function scenario(store: Store, fn: (get: (url: string) => Promise<LightMyRequestResponse>, ids: string[]) => Promise<void>) {
  const server = await testServer({}, store);
  try {
    const { ids } = await seedCoverage(store);
    // a draft consultation: even a contribution marked published there is never found
    await store.upsertConsultation({ slug: 'brouillon', title: 'Brouillon sur l’installation', territory: '12', status: 'draft', themes: [...CNR_SANTE_THEMES] });
    await store.addContributions('brouillon', [{ id: 'brouillon:1', consultation: 'brouillon', channel: 'formulaire', text: 'Installer des médecins au brouillon.', themes: [],
      moderation: { status: 'published' }, source: { documentId: 'formulaire', file: 'formulaire en ligne' } }]);
    await fn((url) => server.app.inject({ url }), ids);
  } finally { await server.app.close(); }
}

storeTest('la recherche du site trouve ce que le public voit, par racines françaises, mots marqués', (store) => scenario(store, async (get, ids) => {
  const search = async (q: string, extra = '') => {
    const res = await get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Result;
  };
  // « installation » finds « Installer », « s’installer », the objective « l’installation » and the consultation-less draft never
  let r = await search('installation');
  const contributions = r.items.filter((h) => h.kind === 'contribution');
  assert.deepEqual(contributions.map((h) => h.href), [`/contributions/${encodeURIComponent(ids[0]!)}`]);
  assert.deepEqual(marked(contributions[0]!.excerpt!), ['Installer', 'installer']);
  const plan = r.items.filter((h) => h.kind === 'plan');
  assert.ok(plan.some((h) => h.title.text.includes('Accompagner l’installation') && marked(h.title).includes('installation')), JSON.stringify(plan));
  assert.ok(plan.every((h) => h.href.startsWith('/schemas/')));
  assert.equal(r.items.some((h) => h.id === 'brouillon' || h.id === 'brouillon:1'), false, 'rien d’un brouillon');
  // no restitution published yet: no idea
  assert.equal(r.counts.idea, 0);
  assert.equal(r.total, r.counts.consultation + r.counts.plan + r.counts.idea + r.counts.contribution);
  // accents and case do not matter; a withheld contribution (ids[5], « médecins remplaçants ») is never found
  r = await search('MEDECINS');
  assert.ok(r.items.some((h) => h.id === ids[0]));
  assert.equal(r.items.some((h) => h.id === ids[5]), false, 'une contribution en attente de modération n’est pas trouvée');
  // every word must be there
  assert.equal((await search('installer cardiologues')).counts.contribution, 0);
  // the consultation itself, by its title
  assert.deepEqual((await search('Lozère fictive', '&kind=consultation')).items.map((h) => h.href), [`/consultations/${SLUG}`]);

  // once the restitution is published, its common ideas are found, with their public page
  await publishRestitution(store);
  r = await search('faciliter installation');
  assert.equal(r.counts.idea, 1);
  const idea = r.items.find((h) => h.kind === 'idea')!;
  assert.equal(idea.href, '/idees/g-install');
  assert.deepEqual(marked(idea.title), ['Faciliter', 'installation']);
  // groups in order: consultations, plan, ideas, contributions
  const order = ['consultation', 'plan', 'idea', 'contribution'];
  const kinds = r.items.map((h) => order.indexOf(h.kind));
  assert.deepEqual(kinds, [...kinds].sort((a, b) => a - b));

  // one kind only, and pages
  r = await search('installation', '&kind=plan');
  assert.equal(r.kind, 'plan');
  assert.ok(r.items.length > 0 && r.items.every((h) => h.kind === 'plan'));
  assert.equal(r.total, r.counts.plan);
  const far = await search('installation', '&page=50');
  assert.equal(far.items.length, 0);
  assert.equal(far.total, (await search('installation')).total);

  // bad input: French messages
  for (const [q, message] of [['', /Indiquez ce que vous cherchez/], ['  ', /Indiquez ce que vous cherchez/], ['… !', /au moins un mot/]] as const) {
    const res = await get(`/api/search?q=${encodeURIComponent(q)}`);
    assert.equal(res.statusCode, 400, q);
    assert.match(res.json().error.message, message);
  }
  assert.equal((await get('/api/search?q=a&kind=autre')).statusCode, 400);
  assert.equal((await get('/api/search')).statusCode, 400);
}));

storeTest('la liste publique des contributions : tri, dates du / au, erreurs en français', (store) => scenario(store, async (get, ids) => {
  // dates for the published contributions of the fixture: one a day from 2022-10-01 (the withheld one too)
  for (const [i, id] of ids.entries()) {
    await store.db.updateTable('contributions').set({ date: `2022-10-0${i + 1}${i % 2 ? 'T10:30:00' : ''}` }).where('id', '=', id).execute();
  }
  const list = async (qs: string) => {
    const res = await get(`/api/consultations/${SLUG}/contributions?${qs}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: { id: string; date: string | null }[]; total: number };
  };
  const recent = await list('');
  assert.equal(recent.total, TEXTS.length - 1);
  assert.deepEqual((await list('sort=recentes')).items.map((c) => c.id), recent.items.map((c) => c.id));
  assert.deepEqual((await list('sort=anciennes')).items.map((c) => c.id), [...recent.items].reverse().map((c) => c.id));
  assert.deepEqual((await list('sort=anciennes&page=2&pageSize=2')).items.map((c) => c.id), [...recent.items].reverse().slice(2, 4).map((c) => c.id));
  // du / au: whole days, inclusive, a day with a time too
  assert.deepEqual((await list('du=2022-10-02&au=2022-10-04&sort=anciennes')).items.map((c) => c.id), [ids[1], ids[2], ids[3]]);
  assert.equal((await list('du=2022-10-05')).total, 1, 'ids[4] ; ids[5] est en attente');
  assert.equal((await list('au=2022-10-01')).total, 1);
  // a query: relevance by default, or the order asked
  const q = await list(`q=${encodeURIComponent('maisons santé')}`);
  assert.ok(q.total >= 1);
  assert.deepEqual((await list(`q=${encodeURIComponent('installer')}&sort=anciennes&du=2022-10-01`)).items.map((c) => c.id), [ids[0]]);
  for (const [qs, message] of [
    ['du=2022-02-30', /La date de début \(« du »\) n’est pas une date valide/], ['au=31/10/2022', /La date de fin \(« au »\) n’est pas une date valide/],
    ['du=2022-10-05&au=2022-10-01', /doit précéder la date de fin/], ['sort=pertinence', /demande une recherche/],
  ] as const) {
    const res = await get(`/api/consultations/${SLUG}/contributions?${qs}`);
    assert.equal(res.statusCode, 400, qs);
    assert.match(res.json().error.message, message, qs);
  }
  assert.equal((await get(`/api/consultations/${SLUG}/contributions?sort=hasard`)).statusCode, 400);
}));

test('les sortes de résultats : la même liste dans le cas d’usage et dans le contrat de l’API', async () => {
  const { SEARCH_KINDS } = await import('../src/usecases/search.ts');
  const { SearchKindSchema } = await import('../src/server/routes/search-schemas.ts');
  assert.deepEqual([...SEARCH_KINDS], SearchKindSchema.options);
});
