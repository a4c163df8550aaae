/**
 * Public accountability (issue 15, item 3): the public follow-up of a plan, « Que sont devenues vos propositions ? »
 * for a contribution and an idea, through the use cases and the public routes. The small consultation and scheme of
 * the coverage tests (test/helpers/coverage-fixture.ts, written for the tests) with its link decisions, the plan's
 * « En pratique » items imported as actions and followed (test/helpers/followup-fixture.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../src/domain/errors.ts';
import type { Store } from '../src/store/index.ts';
import { CLI_ACTOR, context, VISITOR } from '../src/usecases/context.ts';
import { contributionFollowup, ideaFollowup, publicFollowup, publicTimelineEntry, type PublicFollowup } from '../src/usecases/followup-public.ts';
import { NOW, TEXTS, coverageStore, decideTestLinks, seedCoverage } from './helpers/coverage-fixture.ts';
import { CONTACT, PILOT, seedFollowup } from './helpers/followup-fixture.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const WITHHELD = TEXTS[5]!.text;

describe('suivi public d’un schéma et de ses propositions', () => {
  let store: Store;
  let planId: string;
  let ids: string[];
  let server: TestServer;
  let doc: PublicFollowup;
  let guichet: string;
  const visitor = () => context(store, VISITOR, () => NOW);

  before(async () => {
    const fx = await coverageStore();
    ({ store, planId, ids } = fx);
    const cli = context(store, CLI_ACTOR, () => NOW);
    await decideTestLinks(cli, planId, ids);
    ({ guichet } = await seedFollowup(store, planId));
    server = await testServer({}, store);
    doc = await publicFollowup(visitor(), { plan: planId });
  });
  after(async () => { await server.app.close(); });

  test('the plan’s follow-up: progress per objective and engagement, statuses, owner organisation, public timeline', () => {
    assert.equal(doc.format, 'fabrique.followup.public');
    assert.equal(doc.version, 1);
    const [o3, o4] = doc.engagements[0]!.objectives;
    assert.equal(o3!.code, 'E1D2O3');
    // weight 2 at 60 %, the abandoned one left out
    assert.equal(o3!.progress, 60);
    assert.deepEqual(o3!.byStatus, { proposee: 0, engagee: 0, en_cours: 1, realisee: 0, abandonnee: 1 });
    // the parent's progress is its only child's (réalisée: 100)
    assert.equal(o4!.progress, 100);
    const parent = o4!.actions.find((a) => a.parent === null)!;
    assert.equal(parent.progress, 100);
    assert.equal(parent.progressComputed, true);
    assert.equal(doc.engagements[0]!.progress, 73.3, '(60 × 2 + 100 × 1) / 3, rounded');
    assert.equal(doc.progress, 73.3);
    const g = o3!.actions.find((a) => a.id === guichet)!;
    assert.equal(g.owner, 'Conseil départemental de la Lozère');
    assert.equal(g.status, 'en_cours');
    assert.equal(g.statusLabel, 'en cours');
    assert.deepEqual([g.startDate, g.dueDate], ['2026-01-15', '2027-06-30']);
    assert.equal(g.timeline.length, 3, 'created, engaged, en cours; the contact-and-weight change is not public');
    assert.deepEqual(g.timeline[1]!.changes.map((c) => c.field), ['owner', 'status', 'startDate', 'dueDate']);
    assert.deepEqual(g.timeline[1]!.changes[0], { field: 'owner', label: 'porteur', before: null, after: 'Conseil départemental de la Lozère' });
    assert.equal(g.timeline[2]!.comment, 'Le guichet reçoit ses premiers rendez-vous.');
    assert.equal(g.timeline[2]!.date, '2026-12-01');
    const abandoned = o3!.actions.find((a) => a.status === 'abandonnee')!;
    assert.equal(abandoned.statusReason, 'Remplacée par une action régionale.');
  });

  test('nothing private: no contact person, no account, no withheld text, no weight-only entry', () => {
    const body = JSON.stringify(doc);
    assert.ok(!body.includes(CONTACT) && !body.includes('Une autre personne'), 'contact person');
    assert.ok(!body.includes('pilote.suivi') && !body.includes('analyste@') && !body.includes('ligne de commande'), 'accounts');
    assert.ok(!body.includes(WITHHELD) && !body.includes(ids[5]!), 'withheld contribution');
    assert.ok(!body.includes('"contact"') && !body.includes('"actor"') && !body.includes('enteredBy') && !body.includes('createdBy'));
    assert.equal(publicTimelineEntry({ id: 1, actionId: 'a', at: '2026-12-01T00:00:00Z', actor: 'x@y', kind: 'updated', changes: { weight: { before: 1, after: 2 } }, comment: null }), null);
    // 23:30 UTC on 1 December is 2 December in France, the day the back office shows for the same entry
    assert.equal(publicTimelineEntry({ id: 2, actionId: 'a', at: '2026-12-01T23:30:00.000Z', actor: 'x@y', kind: 'updated', changes: {}, comment: 'Réunion tenue' })!.date, '2026-12-02');
  });

  test('indicators with baseline, target, measurements and progress; the taken-up share from the decided public links', () => {
    const ind = doc.indicators.find((i) => i.label === 'Unités de dialyse médicalisée')!;
    assert.deepEqual(ind.baseline, { value: 2, date: null, source: 'OQOS, existant' });
    assert.deepEqual(ind.measurements, [{ value: 3, date: '2026-11-15', source: 'autorisation de l’ARS' }]);
    assert.deepEqual([ind.progress.reached, ind.progress.needed, ind.progress.percent], [1, 3, 33]);
    assert.deepEqual(doc.engagements[0]!.objectives[1]!.indicators, [ind.id]);
    // 4 public proposals: the idea's two members taken up, one partly, one national; the withheld one is not counted
    assert.ok(doc.takenUp);
    assert.equal(doc.takenUp.total, 4);
    assert.deepEqual(doc.takenUp.counts, { taken_up: 2, partly: 1, national: 1, not_taken_up: 0, undecided: 0 });
    assert.equal(doc.takenUp.share, 75);
    assert.deepEqual([doc.takenUp.ideas.total, doc.takenUp.ideas.counts.taken_up], [1, 1]);
    // public contributions linked to each objective (the rejected link of ids[1] to E1D2O4 does not count)
    assert.deepEqual(doc.engagements[0]!.objectives.map((o) => o.contributions), [2, 1]);
  });

  test('the funnel of package FIGURES: public contributions → ideas → linked objectives → actions engaged → done', () => {
    assert.ok(doc.funnel);
    // 5 public contributions (the withheld one left out), the idea, both objectives, the guichet en cours, none done
    assert.deepEqual(doc.funnel.steps.map((s) => [s.key, s.count]), [['contributions', 5], ['ideas', 1], ['objectives', 2], ['engaged', 1], ['done', 0]]);
    assert.ok(doc.funnel.steps.every((s) => s.label.length > 0));
  });

  test('a contribution’s follow-up: its idea, the objective taken up through it, its actions and timeline', async () => {
    const f = await contributionFollowup(visitor(), { id: ids[0]! });
    assert.equal(f.contribution.text, TEXTS[0]!.text);
    assert.deepEqual(f.ideas.map((i) => [i.id, i.contributions]), [['g-install', 2]]);
    assert.deepEqual(f.elements.map((e) => [e.code, e.outcome, e.throughIdea?.id]), [['E1D2O3', 'taken_up', 'g-install']]);
    assert.equal(f.elements[0]!.progress, 60);
    assert.ok(f.elements[0]!.actions.some((a) => a.id === guichet && a.status === 'en_cours' && a.timeline.some((t) => t.comment)));
    // rejected for E1D2O4 by itself: only its idea's objective applies
    const rejected = await contributionFollowup(visitor(), { id: ids[1]! });
    assert.deepEqual(rejected.elements.map((e) => e.code), ['E1D2O3']);
    const partly = await contributionFollowup(visitor(), { id: ids[2]! });
    assert.deepEqual(partly.elements.map((e) => [e.code, e.outcome, e.note, e.throughIdea]), [['E1D2O4', 'partly', 'les consultations de cardiologie seulement', null]]);
    assert.equal(partly.elements[0]!.progress, 100);
    const national = await contributionFollowup(visitor(), { id: ids[3]! });
    assert.deepEqual(national.elements, []);
    assert.deepEqual(national.others.map((o) => [o.outcome, o.note]), [['national', 'la prise en charge des transports relève de l’Assurance maladie']]);
    const none = await contributionFollowup(visitor(), { id: ids[4]! });
    assert.deepEqual([none.elements.length, none.others.length], [0, 0], 'a suggested link is not a decision');
    assert.ok(!JSON.stringify([f, rejected, partly, national]).includes(CONTACT));
  });

  test('an idea’s follow-up: its public contributions only, its objective and actions', async () => {
    const f = await ideaFollowup(visitor(), { id: 'g-install' });
    assert.equal(f.idea.label, 'Faciliter l’installation des médecins');
    assert.equal(f.idea.contributions, 2);
    assert.deepEqual(f.examples.map((e) => e.id).sort(), [ids[0]!, ids[1]!].sort());
    assert.deepEqual(f.elements.map((e) => [e.code, e.outcome, e.throughIdea]), [['E1D2O3', 'taken_up', null]]);
    assert.ok(!JSON.stringify(f).includes(WITHHELD));
  });

  test('a contribution that is not public is not found, even for an analyst; unknown and hostile ids too', async () => {
    for (const actor of [VISITOR, PILOT]) {
      await assert.rejects(contributionFollowup(context(store, actor, () => NOW), { id: ids[5]! }), (e) => e instanceof UserError && e.code === 'not_found');
    }
    for (const id of ['', ' ', 'x'.repeat(500), '../../etc/passwd', "' OR 1=1 --", 'g-install\u0000', '%00']) {
      await assert.rejects(contributionFollowup(visitor(), { id }), (e) => e instanceof UserError && e.code === 'not_found', JSON.stringify(id));
      await assert.rejects(ideaFollowup(visitor(), { id }), (e) => e instanceof UserError && e.code === 'not_found', JSON.stringify(id));
    }
    await assert.rejects(ideaFollowup(visitor(), { id: ids[0]! }), (e) => e instanceof UserError && e.code === 'not_found', 'a contribution id is no idea');
  });

  test('the public routes: follow-up, open-data download, contribution and idea pages; 404 for what is not public', async () => {
    const get = (url: string) => server.app.inject({ method: 'GET', url });
    const res = await get(`/api/plans/${encodeURIComponent(planId)}/followup`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual({ ...(res.json() as object), generatedAt: null }, { ...JSON.parse(JSON.stringify(doc)), generatedAt: null }, 'the route sends the use case’s document, every field declared');
    const file = await get(`/api/plans/${encodeURIComponent(planId)}/followup.json`);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="suivi-48-2026-12-\d\d\.json"$/);
    assert.match(String(file.headers['content-type']), /application\/json/);
    assert.equal(file.json().format, 'fabrique.followup.public');
    const c = await get(`/api/contributions/${encodeURIComponent(ids[0]!)}/followup`);
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json().elements[0].code, 'E1D2O3');
    const i = await get('/api/ideas/g-install/followup');
    assert.equal(i.statusCode, 200, i.body);
    for (const body of [res.body, file.body, c.body, i.body]) {
      assert.ok(!body.includes(CONTACT) && !body.includes('pilote.suivi') && !body.includes(WITHHELD));
    }
    const hidden = await get(`/api/contributions/${encodeURIComponent(ids[5]!)}/followup`);
    assert.equal(hidden.statusCode, 404);
    assert.ok(!hidden.body.includes(WITHHELD));
    for (const url of ['/api/plans/inconnu/followup', '/api/plans/inconnu/followup.json', '/api/ideas/inconnue/followup', `/api/contributions/${encodeURIComponent('../../etc/passwd')}/followup`,
      `/api/contributions/${encodeURIComponent("' OR 1=1 --")}/followup`, '/api/ideas/%2e%2e%2f%2e%2e/followup']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
    assert.ok([400, 414].includes((await get(`/api/contributions/${'x'.repeat(300)}/followup`)).statusCode), 'an id longer than any of ours');
    // read-only: no write method on these addresses
    const post = await server.app.inject({ method: 'POST', url: `/api/plans/${encodeURIComponent(planId)}/followup`, payload: {} });
    assert.ok([403, 404, 405].includes(post.statusCode), String(post.statusCode));
  });

  test('a draft consultation’s contributions are not followed publicly', async () => {
    const c = (await store.getConsultation('couverture-test'))!;
    await store.upsertConsultation({ ...c, status: 'draft' });
    try {
      await assert.rejects(contributionFollowup(visitor(), { id: ids[0]! }), (e) => e instanceof UserError && e.code === 'not_found');
      await assert.rejects(ideaFollowup(visitor(), { id: 'g-install' }), (e) => e instanceof UserError && e.code === 'not_found');
      const d = await publicFollowup(visitor(), { plan: planId });
      assert.equal(d.takenUp, null);
      assert.equal(d.funnel, null);
      assert.deepEqual(d.engagements[0]!.objectives.map((o) => o.contributions), [null, null]);
    } finally {
      await store.upsertConsultation(c);
    }
  });
});

describe('flow through the API (issue acceptance): an action gets an owner, goes « en cours » then « réalisée »', () => {
  test('the objective’s and the plan’s progress and the funnel follow; the contribution’s public page shows the action and its timeline; a visitor changes nothing (403)', async () => {
    const fx = await coverageStore();
    await decideTestLinks(context(fx.store, CLI_ACTOR, () => NOW), fx.planId, fx.ids);
    const server = await testServer({}, fx.store);
    try {
      const analyst = await (await Client.create(server.app)).login('analyst');
      const plan = encodeURIComponent(fx.planId);
      assert.equal((await analyst.post(`/api/admin/plans/${plan}/actions/import`, {})).statusCode, 200);
      const list = (await analyst.get(`/api/admin/plans/${plan}/actions`)).json() as { actions: { id: string; objectiveCode: string; title: string }[] };
      const action = list.actions.find((a) => a.objectiveCode === 'E1D2O3' && /guichet/.test(a.title))!.id;
      const read = async () => (await server.app.inject({ method: 'GET', url: `/api/plans/${plan}/followup` })).json() as PublicFollowup;
      const o3 = (d: PublicFollowup) => d.engagements[0]!.objectives.find((o) => o.code === 'E1D2O3')!;
      const step = (d: PublicFollowup, key: string) => d.funnel!.steps.find((s) => s.key === key)!.count;
      const before = await read();
      assert.deepEqual([o3(before).progress, before.progress, step(before, 'engaged'), step(before, 'done')], [0, 0, 0, 0]);

      const visitor = await Client.create(server.app);
      const refused = await visitor.patch(`/api/admin/actions/${encodeURIComponent(action)}`, { status: 'en_cours' });
      assert.ok([401, 403].includes(refused.statusCode), `visiteur : ${refused.statusCode}`);
      for (const [method, url] of [['POST', `/api/plans/${plan}/followup`], ['PATCH', `/api/plans/${plan}/followup`], ['DELETE', `/api/contributions/${encodeURIComponent(fx.ids[0]!)}/followup`]] as const) {
        const r = await visitor.request({ method, url, payload: {} });
        assert.ok([403, 404, 405].includes(r.statusCode), `${method} ${url} : ${r.statusCode}`);
      }
      assert.deepEqual(await read().then((d) => [o3(d).progress, step(d, 'engaged')]), [0, 0], 'rien n’a changé');

      const owner = await analyst.patch(`/api/admin/actions/${encodeURIComponent(action)}`, { owner: { organisation: 'Maison départementale de l’autonomie', contact: CONTACT } });
      assert.equal(owner.statusCode, 200, owner.body);
      assert.equal((await analyst.patch(`/api/admin/actions/${encodeURIComponent(action)}`, { status: 'en_cours', progress: 50, comment: 'Premières permanences ouvertes.' })).statusCode, 200);
      const during = await read();
      // O3: the guichet at 50, the stages at 0 → 25; the plan: (50 + 0 + 0) / 3
      assert.deepEqual([o3(during).progress, during.progress, step(during, 'engaged'), step(during, 'done')], [25, 16.7, 1, 0]);

      assert.equal((await analyst.patch(`/api/admin/actions/${encodeURIComponent(action)}`, { status: 'realisee', comment: 'Le guichet est ouvert.' })).statusCode, 200);
      const done = await read();
      assert.deepEqual([o3(done).progress, done.progress, step(done, 'engaged'), step(done, 'done')], [50, 33.3, 1, 1]);

      const page = await server.app.inject({ method: 'GET', url: `/api/contributions/${encodeURIComponent(fx.ids[0]!)}/followup` });
      assert.equal(page.statusCode, 200);
      const f = page.json() as Awaited<ReturnType<typeof contributionFollowup>>;
      const shown = f.elements.find((e) => e.code === 'E1D2O3')!.actions.find((a) => a.id === action)!;
      assert.equal(shown.status, 'realisee');
      assert.equal(shown.progress, 100);
      assert.equal(shown.owner, 'Maison départementale de l’autonomie');
      assert.deepEqual(shown.timeline.map((t) => t.changes.map((c) => c.field).join(',')), ['status', 'owner', 'status,progress', 'status,progress']);
      assert.deepEqual(shown.timeline.map((t) => t.comment), [null, null, 'Premières permanences ouvertes.', 'Le guichet est ouvert.']);
      assert.ok(!page.body.includes(CONTACT) && !page.body.includes('analyste@ars.test'));
    } finally {
      await server.app.close();
    }
  });
});

storeTest('the public follow-up reads the same on SQLite and PostgreSQL', async (store) => {
  const { planId, ids } = await seedCoverage(store);
  await decideTestLinks(context(store, CLI_ACTOR, () => NOW), planId, ids);
  await seedFollowup(store, planId);
  const v = context(store, VISITOR, () => NOW);
  const doc = await publicFollowup(v, { plan: planId });
  assert.deepEqual(doc.engagements[0]!.objectives.map((o) => [o.code, o.progress, o.contributions]), [['E1D2O3', 60, 2], ['E1D2O4', 100, 1]]);
  assert.equal(doc.progress, 73.3);
  assert.equal(doc.takenUp!.share, 75);
  assert.deepEqual(doc.indicators.map((i) => [i.baseline.value, i.measurements.map((m) => m.value), i.progress.reached]), [[2, [3], 1]]);
  assert.ok(!JSON.stringify(doc).includes(CONTACT));
  const c = await contributionFollowup(v, { id: ids[0]! });
  assert.deepEqual(c.elements.map((e) => [e.code, e.throughIdea?.id, e.progress]), [['E1D2O3', 'g-install', 60]]);
  await assert.rejects(contributionFollowup(v, { id: ids[5]! }), (e) => e instanceof UserError && e.code === 'not_found');
  assert.equal((await ideaFollowup(v, { id: 'g-install' })).idea.contributions, 2);
});
