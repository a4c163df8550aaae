/**
 * Issue 14, item 6: the restitution names under each idea the plan elements a decided link says take it up, and
 * the public plan page lists under each objective « Ce que vous avez dit ». Pure parts first (which links count,
 * what the public may see, how each format prints it), then the whole chain in-process (see below).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Contribution } from '../src/domain/contribution.ts';
import type { IdeaGroup } from '../src/domain/ideas.ts';
import type { LinkKind, LinkSourceRef, LinkStatus, PlanLink } from '../src/domain/links.ts';
import type { Store } from '../src/store/store.ts';
import { compareCodes, linkedObjectives, objectivesForItem } from '../src/synthesis/links.ts';
import {
  buildSynthesis, dataChangesSince, reliedContributions, renderDocx, renderHtml, renderMarkdown, verifySynthesis, walkIdeas, walkSections, type IdeaItem, type SynthesisDocument,
} from '../src/synthesis/index.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { moderateContribution } from '../src/usecases/contributions.ts';
import { decideLink, undoLinkDecision } from '../src/usecases/links.ts';
import { listAudit } from '../src/store/audit.ts';
import { newLinkId, undoLinkChange, writeLinkDecision } from '../src/store/links.ts';
import { latestPublishedSynthesis } from '../src/store/moderation.ts';
import { savePublication } from '../src/store/syntheses.ts';
import type { UseCaseContext } from '../src/usecases/context.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { saidByElement, type PublicSources } from '../src/usecases/plan-said.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { DEPT_MEETINGS, DEPT_SLUG, buildParsed, departementStore } from './helpers/synthesis-fixture.ts';
import { storeTest } from './helpers/stores.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';

const NOW = new Date('2026-12-01T10:00:00Z');

function link(source: LinkSourceRef, target: string | null, status: LinkStatus, kind: LinkKind = 'taken_up', plan = 'sts-46-a', consultation: string | null = DEPT_SLUG): PlanLink {
  return {
    id: `${source.kind}-${source.id}-${target}-${status}`, planId: plan, consultation, source, target, kind, status, score: null, evidence: [],
    model: null, modelVersion: null, note: null, decidedBy: status === 'suggested' ? null : 'analyste@test.invalid', decidedAt: null, createdAt: NOW.toISOString(),
  };
}

function ideaItems(doc: SynthesisDocument): IdeaItem[] {
  return [...walkSections(doc.sections)].flatMap((s) => s.blocks.flatMap((b) => (b.type === 'ideas' ? [...walkIdeas(b.items)] : [])));
}

describe('liens au schéma : ce qui est montré (fonctions pures)', () => {
  const titles = new Map([['sts-46-a', new Map([['E1D1', 'Un défi'], ['E1D1O2', 'Deuxième objectif'], ['E1D1O10', 'Dixième objectif']])]]);
  const idea = (id: string): LinkSourceRef => ({ kind: 'idea', id });

  test('only decided links saying the plan takes a public idea up, once each, in code order', () => {
    const { byIdea, byContribution, unknown } = linkedObjectives([
      link(idea('g1'), 'E1D1O10', 'confirmed'),
      link(idea('g1'), 'E1D1O2', 'stated', 'partly'),
      link(idea('g1'), 'E1D1O2', 'confirmed'),
      link(idea('g1'), 'E1D1', 'suggested'),
      link(idea('g2'), 'E1D1O2', 'rejected'),
      link(idea('g2'), null, 'confirmed', 'not_taken_up'),
      link(idea('g2'), null, 'confirmed', 'national'),
      link(idea('hidden'), 'E1D1', 'confirmed'),
      link({ kind: 'contribution', id: 'c1' }, 'E1D1', 'confirmed'),
      link(idea('g3'), 'E9D9O9', 'confirmed'),
      link({ kind: 'contribution', id: 'c2' }, 'E1D1O2', 'confirmed', 'partly'),
      link({ kind: 'contribution', id: 'c-withheld' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'planItem', id: '0' }, 'E1D1O2', 'stated'),
    ], titles, { ideas: new Set(['g1', 'g2', 'g3']), contributions: new Set(['c1', 'c2']) });
    assert.deepEqual(byIdea.get('g1'), [
      { plan: 'sts-46-a', code: 'E1D1O2', title: 'Deuxième objectif', kind: 'taken_up' },
      { plan: 'sts-46-a', code: 'E1D1O10', title: 'Dixième objectif', kind: 'taken_up' },
    ], 'stated « partly » and confirmed « taken up » on the same element: shown once, taken up; O2 before O10');
    assert.equal(byIdea.has('g2'), false, 'rejected, not taken up and national links name no element');
    assert.equal(byIdea.has('hidden'), false, 'an idea the public does not see');
    assert.deepEqual(unknown.map((l) => l.target), ['E9D9O9'], 'an element the plan no longer has is reported');
    assert.deepEqual([...byContribution.keys()], ['c1', 'c2'], 'public contributions only; plan items are no source of a restitution');
    // an idea item: its group's links, then those of its own contributions, counted; the same element through both is the idea's
    assert.deepEqual(objectivesForItem('g1', ['c1', 'c2', 'c2'], { byIdea, byContribution }), [
      { plan: 'sts-46-a', code: 'E1D1', title: 'Un défi', kind: 'taken_up', contributions: 1 },
      { plan: 'sts-46-a', code: 'E1D1O2', title: 'Deuxième objectif', kind: 'taken_up' },
      { plan: 'sts-46-a', code: 'E1D1O10', title: 'Dixième objectif', kind: 'taken_up' },
    ]);
    assert.deepEqual(objectivesForItem(undefined, ['c2'], { byIdea, byContribution }), [{ plan: 'sts-46-a', code: 'E1D1O2', title: 'Deuxième objectif', kind: 'partly', contributions: 1 }]);
    assert.equal(objectivesForItem(undefined, [], { byIdea, byContribution }), undefined);
    assert.ok(compareCodes('E1D2O9', 'E1D2O10') < 0);
  });

  test('« said »: public sources only, ideas first by size, then contributions, then plan items', () => {
    const pub = (id: string, text: string, status: 'published' | 'pending'): Contribution => ({
      id, consultation: DEPT_SLUG, channel: 'atelier', text, themes: [], moderation: { status }, source: { documentId: 'd', file: 'f.txt' },
    } as Contribution);
    const group = (id: string, label: string): IdeaGroup => ({ id, consultation: DEPT_SLUG, parent: null, label, labelByHuman: true, members: [], quotes: [], lineage: [] });
    const sources: PublicSources = {
      // a pending contribution may slip into the map: the page checks again
      contributions: new Map([['c1', pub('c1', 'Un texte publié', 'published')], ['c2', pub('c2', 'Un texte en attente', 'pending')]]),
      groups: new Map([['g1', group('g1', 'Petite idée')], ['g2', group('g2', 'Grande idée')]]),
      members: (id) => (id === 'g2' ? 5 : 2),
    };
    const plan = { id: 'sts-46-a', consultationItems: [{ section: 'cnr' as const, group: null, text: 'Un élément du CNR', source: { documentId: 'p', file: 'p.md' } }] };
    const said = saidByElement([
      link({ kind: 'planItem', id: '0' }, 'E1D1O2', 'stated'),
      link({ kind: 'contribution', id: 'c1' }, 'E1D1O2', 'confirmed', 'partly'),
      link({ kind: 'contribution', id: 'c2' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'contribution', id: 'gone' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'idea', id: 'g1' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'idea', id: 'g2' }, 'E1D1O2', 'confirmed'),
      link({ kind: 'idea', id: 'g2' }, 'E1D1', 'suggested'),
      link({ kind: 'idea', id: 'g1' }, 'E1D1', 'rejected'),
      link({ kind: 'idea', id: 'g1' }, 'E1D1', 'confirmed', 'taken_up', 'other-plan'),
      link({ kind: 'planItem', id: '7' }, 'E1D1', 'stated'),
    ], plan, (slug) => (slug === DEPT_SLUG ? sources : undefined));
    assert.deepEqual(said.get('E1D1O2'), [
      { source: { kind: 'idea', id: 'g2' }, text: 'Grande idée', kind: 'taken_up', count: 5 },
      { source: { kind: 'idea', id: 'g1' }, text: 'Petite idée', kind: 'taken_up', count: 2 },
      { source: { kind: 'contribution', id: 'c1' }, text: 'Un texte publié', kind: 'partly', count: null },
      { source: { kind: 'planItem', id: '0' }, text: 'Un élément du CNR', kind: 'taken_up', count: null },
    ]);
    assert.equal(said.has('E1D1'), false, 'suggested, rejected, another plan’s and an unknown plan item: nothing');
  });
});

describe('liens au schéma : rendu et vérification d’une restitution', () => {
  let store: Store;
  let doc: SynthesisDocument;
  before(async () => {
    ({ store } = await departementStore());
    doc = await buildSynthesis(store, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
  });
  after(() => store?.close());

  test('an idea with linked elements prints them under its line in HTML, Markdown and DOCX; one not linked in the data fails verification, named', async () => {
    const item = ideaItems(doc).find((i) => !i.residual)!;
    assert.ok(item, 'the fixture has ideas');
    assert.equal(ideaItems(doc).some((i) => i.objectives), false, 'no link in the data: no element printed');
    const linked = structuredClone(doc);
    const it = ideaItems(linked).find((i) => i.key === item.key)!;
    it.objectives = [
      { plan: 'sts-46-a', code: 'E1D4O6', title: 'Renforcer l’accès aux soins de proximité', kind: 'taken_up' },
      { plan: 'sts-46-a', code: 'E2D1', title: 'Un défi <à> relever', kind: 'partly' },
    ];
    const html = renderHtml(linked);
    assert.match(html, /<p class="plan-links">Repris dans le schéma : <span class="plan-link"><span class="plan-code">E1D4O6<\/span> — Renforcer l’accès aux soins de proximité<\/span> ; <span class="plan-link"><span class="plan-code">E2D1<\/span> — Un défi &lt;à&gt; relever \(en partie\)<\/span><\/p>/);
    // under the idea's own line, before its quotes
    const li = html.slice(html.indexOf(`<span class="idea-label">${item.label.replace(/’/g, '’')}`));
    assert.ok(li.indexOf('plan-links') < li.indexOf('<ul class="quotes">') || !li.includes('<ul class="quotes">'));
    assert.doesNotMatch(renderHtml(doc), /Repris dans le schéma/);
    const md = renderMarkdown(linked);
    assert.match(md, /\n {2}- Repris dans le schéma : \*\*E1D4O6\*\* — Renforcer l’accès aux soins de proximité ; \*\*E2D1\*\* — Un défi \\<à\\> relever \(en partie\)\n/);
    const docx = unzipSync(new Uint8Array(await renderDocx(linked)));
    const xml = strFromU8(docx['word/document.xml']!);
    assert.match(xml, /Repris dans le schéma : /);
    assert.match(xml, /E1D4O6/);
    const v = await verifySynthesis(store, linked);
    assert.equal(v.ok, false);
    const named = v.failures.filter((f) => /E1D4O6|E2D1/.test(f.message));
    assert.equal(named.length, 2, v.failures.map((f) => f.message).join('\n'));
    assert.match(named[0]!.message, /n’est plus confirmé/);
    assert.equal((await verifySynthesis(store, doc)).ok, true, 'the document without links still verifies');
  });
});

// ---- the whole chain, in-process: a consultation with ideas, a plan, decisions through the use case ----

describe('liens au schéma : de la décision à la restitution et à la page publique', () => {
  let store: Store;
  let t: TestServer;
  let planId: string;
  let ids: string[];
  const analyst = () => context(store, { name: 'analyste@ars.test', role: 'analyst' }, () => NOW);
  before(async () => {
    let parsed;
    ({ store, parsed } = await departementStore());
    ids = parsed.contributions.map((c) => c.id);
    const prov = { by: 'human' as const, reviewer: 'test', at: NOW.toISOString() };
    // two ideas of propositions (fixture items 3–4, theme 1; 10, theme 3)
    await store.saveIdeaGroups(DEPT_SLUG, [
      { id: 'g-coord', consultation: DEPT_SLUG, parent: null, theme: '1', label: 'Coordonner les soins de proximité', labelByHuman: true,
        members: [{ contribution: ids[3]!, provenance: prov }, { contribution: ids[4]!, provenance: prov }], quotes: [ids[3]!], lineage: [] },
      { id: 'g-internes', consultation: DEPT_SLUG, parent: null, theme: '3', label: 'Loger les internes', labelByHuman: true,
        members: [{ contribution: ids[10]!, provenance: prov }], quotes: [], lineage: [] },
    ]);
    const plan = await importPlan(context(store, CLI_ACTOR, () => NOW), { bytes: new TextEncoder().encode('plan fictif'), fileName: 'sts-essai.md', consultation: DEPT_SLUG },
      async () => linkTestPlan());
    planId = plan.planId;
    t = await testServer({}, store);
  });
  after(() => t?.close());

  const restitution = () => buildSynthesis(store, { consultation: DEPT_SLUG, level: 'departement', now: NOW });
  const itemOf = (doc: SynthesisDocument, key: string) => ideaItems(doc).find((i) => i.key === key);
  const publicPlan = async () => {
    const c = await Client.create(t.app, '10.40.0.1');
    const res = await c.get(`/api/plans/${planId}`);
    assert.equal(res.statusCode, 200, res.body);
    const d1 = res.json().engagements[0].defis[0];
    return { body: res.body, defi: d1.said as unknown[], objective: (code: string) => d1.objectives.find((o: { code: string }) => o.code === code).said as { source: LinkSourceRef; text: string; kind: string; count: number | null }[] };
  };

  test('a confirmed link reaches the regenerated restitution (HTML, Markdown, verified) and the public plan page; a rejected one leaves both', async () => {
    const before = await restitution();
    assert.equal(itemOf(before, 'g:g-coord')?.objectives, undefined);
    await decideLink(analyst(), { plan: planId, source: { kind: 'idea', id: 'g-coord' }, target: 'E1D1O1', decision: 'confirm', kind: 'taken_up' });
    await decideLink(analyst(), { plan: planId, source: { kind: 'idea', id: 'g-internes' }, target: 'E1D1O2', decision: 'confirm', kind: 'partly', note: 'le logement seulement' });
    await decideLink(analyst(), { plan: planId, source: { kind: 'planItem', id: '0' }, target: 'E1D1', decision: 'confirm', kind: 'taken_up' });

    // the draft of before is out of date: the links changed
    const changes = await dataChangesSince(store, before);
    assert.equal(changes.links, true);
    assert.match(changes.summary, /Liens au schéma territorial de santé modifiés/);

    const doc = await restitution();
    // an idea's element is shown with the number of its public members the link applies to (the one rule, as coverage counts)
    assert.deepEqual(itemOf(doc, 'g:g-coord')?.objectives, [{ plan: planId, code: 'E1D1O1', title: 'Favoriser l’installation des médecins en zone rurale', kind: 'taken_up', contributions: 2 }]);
    assert.deepEqual(itemOf(doc, 'g:g-internes')?.objectives?.map((o) => [o.code, o.kind]), [['E1D1O2', 'partly']]);
    const v = await verifySynthesis(store, doc);
    assert.ok(v.ok, v.failures.map((f) => f.message).join('\n'));
    assert.match(renderHtml(doc), /Repris dans le schéma : <span class="plan-link"><span class="plan-code">E1D1O1<\/span> — Favoriser l’installation des médecins en zone rurale \(2 contributions\)<\/span>/);
    assert.match(renderMarkdown(doc), /- Repris dans le schéma : \*\*E1D1O2\*\* — Développer les maisons de santé pluriprofessionnelles \(1 contribution, en partie\)/);

    const page = await publicPlan();
    assert.deepEqual(page.objective('E1D1O1'), [{ source: { kind: 'idea', id: 'g-coord' }, text: 'Coordonner les soins de proximité', kind: 'taken_up', count: 2 }]);
    assert.deepEqual(page.objective('E1D1O2').map((s) => [s.source.kind, s.kind]), [['idea', 'partly']]);
    assert.deepEqual(page.defi, [{ source: { kind: 'planItem', id: '0' }, text: 'Faciliter l’installation des médecins', kind: 'taken_up', count: null }]);
    assert.doesNotMatch(page.body, /le logement seulement/, 'a reviewer’s note is not on the public page');

    // rejected: gone from the next restitution and from the page; the document of before no longer verifies, named
    await decideLink(analyst(), { plan: planId, source: { kind: 'idea', id: 'g-coord' }, target: 'E1D1O1', decision: 'reject' });
    const stale = await verifySynthesis(store, doc);
    assert.equal(stale.ok, false);
    assert.ok(stale.failures.some((f) => /Coordonner les soins de proximité/.test(f.message) && /E1D1O1/.test(f.message)), stale.failures.map((f) => f.message).join('\n'));
    assert.equal((await dataChangesSince(store, doc)).links, true);
    const again = await restitution();
    assert.equal(itemOf(again, 'g:g-coord')?.objectives, undefined);
    assert.doesNotMatch(renderHtml(again), /E1D1O1/);
    assert.equal((await verifySynthesis(store, again)).ok, true);
    assert.deepEqual((await publicPlan()).objective('E1D1O1'), []);
    const actions = (await listAudit(store, { consultation: DEPT_SLUG })).map((e) => e.action);
    assert.ok(actions.includes('link.confirm') && actions.includes('link.reject'), 'both decisions are in the audit log');
  });

  test('a contribution’s link shows under its idea, counted; a published restitution goes stale when a link changes what it shows, not otherwise', async () => {
    const doc = await restitution();
    const publish = (d: SynthesisDocument) => savePublication(store, d, { html: renderHtml(d), contributions: reliedContributions(d), after: null }, { actor: 'analyste@ars.test', at: NOW.toISOString() });
    await publish(doc);
    assert.ok(await latestPublishedSynthesis(store, DEPT_SLUG));
    await decideLink(analyst(), { plan: planId, source: { kind: 'planItem', id: '1' }, target: 'E1D2', decision: 'confirm', kind: 'taken_up' });
    assert.ok(await latestPublishedSynthesis(store, DEPT_SLUG), 'a plan item is in no restitution: still served');
    await decideLink(analyst(), { plan: planId, source: { kind: 'contribution', id: ids[3]! }, target: 'E1D1O2', decision: 'confirm', kind: 'taken_up' });
    assert.equal(await latestPublishedSynthesis(store, DEPT_SLUG), undefined, 'one of its contributions is linked: withdrawn');
    const staleAfter = async () => (await listAudit(store, { consultation: DEPT_SLUG })).filter((e) => e.action === 'synthesis.stale').map((e) => e.after as { idea?: string; contribution?: string });
    assert.deepEqual((await staleAfter()).map((a) => a.contribution ?? a.idea), [ids[3]]);

    const linked = await restitution();
    assert.deepEqual(itemOf(linked, 'g:g-coord')?.objectives, [{ plan: planId, code: 'E1D1O2', title: 'Développer les maisons de santé pluriprofessionnelles', kind: 'taken_up', contributions: 1 }]);
    assert.match(renderHtml(linked), /<span class="plan-code">E1D1O2<\/span> — Développer les maisons de santé pluriprofessionnelles \(1 contribution\)/);
    assert.ok((await verifySynthesis(store, linked)).ok);
    await publish(linked);
    await decideLink(analyst(), { plan: planId, source: { kind: 'idea', id: 'g-coord' }, target: 'E1D1O1', decision: 'confirm', kind: 'partly', note: 'sans le cabinet secondaire' });
    assert.equal(await latestPublishedSynthesis(store, DEPT_SLUG), undefined, 'the idea now names E1D1O1: withdrawn');
    assert.deepEqual((await staleAfter()).map((a) => a.contribution ?? a.idea).sort(), [ids[3], 'g-coord'].sort());
    const v = await verifySynthesis(store, await restitution());
    assert.ok(v.ok, v.failures.map((f) => f.message).join('\n'));
  });

  test('a link from a contribution withheld by moderation never reaches the public route', async () => {
    const text = 'Créer un transport à la demande pour les rendez-vous médicaux.';
    await decideLink(analyst(), { plan: planId, source: { kind: 'contribution', id: ids[5]! }, target: 'E1D1O1', decision: 'confirm', kind: 'taken_up' });
    const shown = await publicPlan();
    const contributions = (page: Awaited<ReturnType<typeof publicPlan>>) => page.objective('E1D1O1').filter((s) => s.source.kind === 'contribution');
    assert.deepEqual(contributions(shown).map((s) => [s.source.id, s.text]), [[ids[5], text]], 'published: shown with its text');
    await moderateContribution(context(store, { name: 'analyste@ars.test', role: 'analyst' }, () => NOW), { id: ids[5]!, action: 'reject', reason: 'hors sujet' });
    const hidden = await publicPlan();
    assert.deepEqual(contributions(hidden), []);
    assert.ok(!hidden.body.includes(text) && !hidden.body.includes(ids[5]!), 'neither its text nor its id');
  });
});

// the same chain on both databases (SQLite, PostgreSQL when FABRIQUE_TEST_DATABASE_URL is set), with an undo
storeTest('links: a confirmation and its undo reach the restitution and flag the published copy stale', async (store) => {
  const slug = 'liens-46';
  await store.upsertConsultation({ slug, title: 'Consultation fictive', territory: '46', status: 'closed', themes: [...CNR_SANTE_THEMES] });
  const { parsed } = buildParsed('atelier-liens.txt', slug, DEPT_MEETINGS(), [
    { meeting: 'm1', theme: '1', kind: 'proposition', text: 'Ouvrir une maison de santé dans chaque bassin de vie du département.' },
    { meeting: 'm2', theme: '1', kind: 'proposition', text: 'Financer les locaux des maisons de santé avec les communes.' },
    { meeting: 'm2', theme: '2', kind: 'proposition', text: 'Afficher le médecin de garde du week-end dans les pharmacies.' },
  ]);
  await store.importParsed(slug, parsed, { publishBy: 'analyste@test.invalid' });
  const [a, b] = parsed.contributions.map((c) => c.id);
  const prov = { by: 'human' as const, reviewer: 'test', at: NOW.toISOString() };
  await store.saveIdeaGroups(slug, [{ id: 'g-msp', consultation: slug, parent: null, theme: '1', label: 'Des maisons de santé', labelByHuman: true,
    members: [{ contribution: a!, provenance: prov }, { contribution: b!, provenance: prov }], quotes: [], lineage: [] }]);
  const { planId } = await importPlan(context(store, CLI_ACTOR, () => NOW), { bytes: new TextEncoder().encode('plan liens'), fileName: 'sts-essai.md', consultation: slug }, async () => linkTestPlan());
  const ctx = context(store, { name: 'analyste@ars.test', role: 'analyst' }, () => NOW);
  const build = () => buildSynthesis(store, { consultation: slug, level: 'departement', now: NOW });
  const publish = async (doc: SynthesisDocument) => savePublication(store, doc, { html: renderHtml(doc), contributions: reliedContributions(doc), after: null }, { actor: 'analyste@ars.test', at: NOW.toISOString() });
  const msp = (doc: SynthesisDocument) => ideaItems(doc).find((i) => i.key === 'g:g-msp');

  await publish(await build());
  const confirmed = await decideLink(ctx, { plan: planId, source: { kind: 'idea', id: 'g-msp' }, target: 'E1D1O2', decision: 'confirm', kind: 'taken_up' });
  assert.equal(await latestPublishedSynthesis(store, slug), undefined, 'confirmed: the published copy is withdrawn');
  const linked = await build();
  assert.deepEqual(msp(linked)?.objectives?.map((o) => o.code), ['E1D1O2']);
  assert.equal((await verifySynthesis(store, linked)).ok, true);
  await publish(linked);
  assert.ok(await latestPublishedSynthesis(store, slug));

  assert.equal(await undoLinkDecision(ctx, { plan: planId, link: confirmed.id }), null, 'the confirmation had created the link');
  assert.equal(await latestPublishedSynthesis(store, slug), undefined, 'undone: withdrawn again');
  assert.equal(msp(await build())?.objectives, undefined);
  const v = await verifySynthesis(store, linked);
  assert.ok(v.failures.some((f) => /E1D1O2/.test(f.message) && /Des maisons de santé/.test(f.message)), v.failures.map((f) => f.message).join('\n'));
});
