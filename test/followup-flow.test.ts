/**
 * Issue 15's flow through the API only, as the people involved would go through it: an analyst links a
 * contribution to an objective and imports the plan's actions; an action gets an owner organisation and an owner
 * account; that account moves it « en cours » then « réalisée »; after each step the objective's progress, the
 * plan's progress and the consultation's funnel follow, and the public page of the linked contribution shows the
 * action and its timeline. A visitor changes nothing, nor does an account the action is not assigned to. The
 * consultation and the scheme are the ones written for the coverage tests (test/helpers/coverage-fixture.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedCoverage } from './helpers/coverage-fixture.ts';
import { Client, testServer, USERS, type TestServer } from './helpers/server.ts';

const enc = encodeURIComponent;

interface Funnel { steps: { key: string; count: number }[] }
const steps = (f: Funnel | null) => Object.fromEntries((f?.steps ?? []).map((s) => [s.key, s.count]));

describe('suivi d’une action de bout en bout, par l’API', () => {
  let t: TestServer;
  let planId: string;
  let ids: string[];
  let analyst: Client;
  let owner: Client;
  let visitor: Client;
  let action: string;
  let other: string;
  const admin = (rest: string) => `/api/admin/plans/${enc(planId)}${rest}`;

  const progressOf = async () => {
    const res = await analyst.get(admin('/actions'));
    assert.equal(res.statusCode, 200, res.body);
    const list = res.json() as { objectives: { code: string; progress: number | null; byStatus: Record<string, number> }[]; progress: number | null };
    return { objective: list.objectives.find((o) => o.code === 'E1D2O4')!, plan: list.progress };
  };
  const publicFollowup = async () => {
    const res = await visitor.get(`/api/plans/${enc(planId)}/followup`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { funnel: Funnel | null; progress: number | null };
  };
  const contributionPage = async () => {
    const res = await visitor.get(`/api/contributions/${enc(ids[2]!)}/followup`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  before(async () => {
    t = await testServer();
    ({ planId, ids } = await seedCoverage(t.store));
    analyst = await (await Client.create(t.app, '10.60.0.1')).login('analyst');
    owner = await (await Client.create(t.app, '10.60.0.2')).login('owner');
    visitor = await Client.create(t.app, '10.60.0.3');
    // the contribution asking for visiting cardiologists is linked to « Développer les consultations avancées »
    const decided = await analyst.post(admin('/links/decisions'), { source: { kind: 'contribution', id: ids[2] }, target: 'E1D2O4', decision: 'confirm' });
    assert.equal(decided.statusCode, 200, decided.body);
    const imported = await analyst.post(admin('/actions/import'), {});
    assert.equal(imported.statusCode, 200, imported.body);
    const list = (await analyst.get(admin('/actions'))).json() as { actions: { id: string; objectiveCode: string; title: string }[] };
    assert.equal(list.actions.length, 3, 'the three « En pratique » items of the scheme');
    action = list.actions.find((a) => a.objectiveCode === 'E1D2O4')!.id;
    other = list.actions.find((a) => a.objectiveCode === 'E1D2O3')!.id;
  });
  after(() => t?.close());

  test('the action moves from proposed to done and every figure follows', async () => {
    const before0 = await progressOf();
    assert.equal(before0.objective.progress, 0);
    assert.equal(before0.objective.byStatus.proposee, 1);
    const funnel0 = steps((await publicFollowup()).funnel);
    assert.equal(funnel0.contributions, 5, 'five public contributions (the sixth is withheld in moderation)');
    assert.ok(funnel0.objectives! >= 1, 'E1D2O4 is linked');
    assert.equal(funnel0.engaged, 0);
    assert.equal(funnel0.done, 0);
    const page0 = await contributionPage();
    assert.equal(page0.elements.find((e: { code: string }) => e.code === 'E1D2O4')?.actions[0]?.status, 'proposee', JSON.stringify(page0));

    // the analyst names the owner organisation and assigns the owner's account
    const named = await analyst.patch(`/api/admin/actions/${enc(action)}`, { owner: { organisation: 'CPTS du Haut-Lot', contact: 'Dominique Contactprivé' } });
    assert.equal(named.statusCode, 200, named.body);
    const assigned = await analyst.put(`/api/admin/actions/${enc(action)}/accounts`, { accounts: [USERS.owner] });
    assert.equal(assigned.statusCode, 200, assigned.body);

    // the owner's account moves it « en cours » with a public comment
    const started = await owner.patch(`/api/admin/actions/${enc(action)}`, { status: 'en_cours', progress: 40, comment: 'Premières consultations de cardiologie ouvertes à Mende.' });
    assert.equal(started.statusCode, 200, started.body);
    const during = await progressOf();
    assert.equal(during.objective.progress, 40);
    assert.equal(during.objective.byStatus.en_cours, 1);
    assert.ok(during.plan! > before0.plan!, `plan progress ${before0.plan} → ${during.plan}`);
    const funnel1 = steps((await publicFollowup()).funnel);
    assert.equal(funnel1.engaged, 1);
    assert.equal(funnel1.done, 0);

    // then « réalisée »: the action counts 100 %
    const done = await owner.patch(`/api/admin/actions/${enc(action)}`, { status: 'realisee', comment: 'Une journée par mois est assurée.' });
    assert.equal(done.statusCode, 200, done.body);
    const after1 = await progressOf();
    assert.equal(after1.objective.progress, 100);
    assert.equal(after1.objective.byStatus.realisee, 1);
    assert.ok(after1.plan! > during.plan!, `plan progress ${during.plan} → ${after1.plan}`);
    const pub = await publicFollowup();
    assert.equal(pub.progress, after1.plan, 'the public page shows the back office’s plan progress');
    const funnel2 = steps(pub.funnel);
    assert.equal(funnel2.engaged, 1, 'a done action is still an engaged one');
    assert.equal(funnel2.done, 1);
  });

  test('the public page of the linked contribution shows the action, its status and its timeline, nothing private', async () => {
    const page = await contributionPage();
    const raw = JSON.stringify(page);
    const objective = page.elements.find((o: { code: string }) => o.code === 'E1D2O4');
    assert.ok(objective, raw);
    const shown = objective.actions.find((a: { id: string }) => a.id === action);
    assert.equal(shown.status, 'realisee');
    assert.equal(objective.progress, 100);
    assert.equal(shown.owner, 'CPTS du Haut-Lot');
    assert.ok(shown.timeline.some((e: { comment: string | null }) => e.comment === 'Premières consultations de cardiologie ouvertes à Mende.'), raw);
    assert.ok(shown.timeline.some((e: { comment: string | null }) => e.comment === 'Une journée par mois est assurée.'), raw);
    for (const secret of ['Dominique Contactprivé', USERS.owner, USERS.analyst]) assert.ok(!raw.includes(secret), `« ${secret} » is not public`);
  });

  test('a visitor changes nothing, nor does an account the action is not assigned to', async () => {
    const writes: [string, string, unknown][] = [
      ['PATCH', `/api/admin/actions/${enc(action)}`, { status: 'abandonnee', reason: 'x' }],
      ['PUT', `/api/admin/actions/${enc(action)}/accounts`, { accounts: [] }],
      ['POST', admin('/actions/import'), {}],
      ['POST', admin('/actions'), { objective: 'E1D2O4', title: 'Une action d’un visiteur' }],
      ['POST', admin('/links/decisions'), { source: { kind: 'contribution', id: ids[2] }, target: 'E1D2O3', decision: 'confirm' }],
      ['POST', admin('/indicators'), { label: 'x', baseline: { value: 1, source: 'x' }, target: { value: 2 } }],
    ];
    for (const [method, url, payload] of writes) {
      const res = await visitor.request({ method, url, payload: payload as object });
      // not signed in: 401 (the API's answer to a visitor); a signed-in role that may not: 403
      assert.ok(res.statusCode === 401 || res.statusCode === 403, `${method} ${url} → ${res.statusCode}`);
    }
    const foreign = await owner.patch(`/api/admin/actions/${enc(other)}`, { status: 'en_cours' });
    assert.equal(foreign.statusCode, 403, foreign.body);
    const facilitator = await (await Client.create(t.app, '10.60.0.4')).login('facilitator');
    const notAssigned = await facilitator.patch(`/api/admin/actions/${enc(action)}`, { status: 'abandonnee', reason: 'essai' });
    assert.equal(notAssigned.statusCode, 403, notAssigned.body);
    // nothing changed
    const still = (await analyst.get(`/api/admin/actions/${enc(action)}`)).json() as { action: { status: string } };
    assert.equal(still.action.status, 'realisee');
    const list = (await analyst.get(admin('/actions'))).json() as { actions: unknown[] };
    assert.equal(list.actions.length, 3);
  });
});
