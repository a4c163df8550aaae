/**
 * The follow-up's back-office API (issue 15) through in-process HTTP: an action gets an owner account and an owner
 * organisation, moves « en cours » then « réalisée », and the objective's and the plan's progress follow; visitors
 * are refused on every route; an owner account updates the action assigned to it and no other, and can neither
 * assign nor import; hostile input is refused with French messages. The plan is made up (test/helpers/link-plan.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser, deleteUser } from '../src/store/accounts.ts';
import { listAudit } from '../src/store/audit.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { hashPassword } from '../src/server/password.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { Client, PASSWORD, testServer, USERS, type TestServer } from './helpers/server.ts';

const NOW = () => new Date('2026-12-01T10:00:00.000Z');
const OTHER_OWNER = 'autre-porteur@ars.test';
const enc = encodeURIComponent;

describe('API du suivi des actions (back-office)', () => {
  let t: TestServer;
  let planId: string;
  let analyst: Client;
  let owner: Client;
  let a: string; // the action assigned to the owner (E1D1O1)
  let b: string; // another action (E1D1O2)
  let otherOwnerId: string;
  const plan = (rest = '') => `/api/admin/plans/${enc(planId)}${rest}`;
  const action = (id: string, rest = '') => `/api/admin/actions/${enc(id)}${rest}`;

  before(async () => {
    t = await testServer();
    otherOwnerId = (await createUser(t.store, { email: OTHER_OWNER, role: 'owner', passwordHash: await hashPassword(PASSWORD) })).id;
    await t.store.upsertConsultation({ slug: 'suivi', title: 'Consultation du suivi', territory: '46', status: 'open', themes: [] });
    const r = await importPlan(context(t.store, CLI_ACTOR, NOW), { bytes: new TextEncoder().encode('plan du suivi'), fileName: 'sts-suivi.md', consultation: 'suivi' },
      async () => linkTestPlan('first'));
    planId = r.planId;
    analyst = await (await Client.create(t.app, '10.50.0.1')).login('analyst');
    owner = await (await Client.create(t.app, '10.50.0.2')).login('owner');
    const ca = await analyst.post(plan('/actions'), { objective: 'E1D1O1', title: 'Ouvrir une maison de santé au nord du département' });
    assert.equal(ca.statusCode, 201, ca.body);
    a = ca.json().id;
    const cb = await analyst.post(plan('/actions'), { objective: 'E1D1O2', title: 'Organiser des consultations avancées' });
    assert.equal(cb.statusCode, 201, cb.body);
    b = cb.json().id;
  });
  after(() => t?.close());

  test('un visiteur est refusé partout (401), sans rien écrire', async () => {
    const v = await Client.create(t.app, '10.50.1.1');
    const calls: [string, string, unknown?][] = [
      ['GET', plan('/actions')], ['POST', plan('/actions/import'), {}], ['POST', plan('/actions'), { objective: 'E1D1O1', title: 'x' }],
      ['GET', action(a)], ['PATCH', action(a), { status: 'en_cours' }], ['PUT', action(a, '/accounts'), { accounts: [] }],
      ['GET', '/api/admin/followup/actions'], ['GET', plan('/indicators')], ['POST', plan('/indicators/oqos'), {}],
      ['POST', plan('/indicators'), { label: 'x', baseline: { value: 1, source: 'x' }, target: { value: 2 } }],
      ['POST', '/api/admin/indicators/ind-x/measurements', { value: 1, date: '2026-01-01' }], ['GET', plan('/followup/dashboard')],
    ];
    for (const [method, url, payload] of calls) {
      const res = await v.request({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
      assert.ok(res.statusCode === 401 || res.statusCode === 403, `${method} ${url} → ${res.statusCode}`);
      assert.match(res.json().error.message, /Connexion requise|rôle/);
    }
    const got = (await analyst.get(action(a))).json();
    assert.equal(got.timeline.length, 1, 'seule la création est à l’historique');
  });

  test('un porteur ne voit ni ne modifie une action qui ne lui est pas affectée ; il ne peut ni affecter ni importer', async () => {
    const refused = await owner.patch(action(a), { status: 'engagee' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error.message, /ne vous est pas affectée/);
    assert.equal((await owner.get(action(a))).statusCode, 403);
    assert.equal((await owner.get(plan('/actions'))).json().actions.length, 0, 'aucune action affectée : liste vide');
    assert.equal((await owner.put(action(a, '/accounts'), { accounts: [USERS.owner] })).statusCode, 403);
    assert.equal((await owner.post(plan('/actions/import'), {})).statusCode, 403);
    assert.equal((await owner.post(plan('/actions'), { objective: 'E1D1O1', title: 'Action du porteur' })).statusCode, 403);
    assert.equal((await owner.get(plan('/followup/dashboard'))).statusCode, 403, 'le tableau de bord est celui des équipes');
  });

  test('l’analyste affecte des comptes : porteurs et animateurs seulement, comptes existants ; audité', async () => {
    const unknown = await analyst.put(action(a, '/accounts'), { accounts: ['personne@ars.test'] });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.json().error.message, /Aucun compte/);
    const analystAccount = await analyst.put(action(a, '/accounts'), { accounts: [USERS.analyst] });
    assert.equal(analystAccount.statusCode, 400);
    assert.match(analystAccount.json().error.message, /déjà toutes les actions/);
    const ok = await analyst.put(action(a, '/accounts'), { accounts: [` ${USERS.owner.toUpperCase()} `] });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { action: a, accounts: [USERS.owner], changed: true });
    const again = await analyst.put(action(a, '/accounts'), { accounts: [USERS.owner] });
    assert.equal(again.json().changed, false);
    const audit = (await listAudit(t.store, {})).filter((e) => e.action === 'action.accounts');
    assert.equal(audit.length, 1, 'une entrée, pas de seconde pour un envoi identique');
    const view = (await analyst.get(action(a))).json();
    assert.deepEqual(view.accounts.map((x: { email: string }) => x.email), [USERS.owner]);
  });

  test('le porteur fait avancer son action : porteur, « en cours » puis « réalisée » ; objectif et schéma suivent', async () => {
    const before = (await analyst.get(plan('/actions'))).json();
    assert.equal(before.progress, 0);
    const o1 = (l: { objectives: { code: string; progress: number | null }[] }) => l.objectives.find((o) => o.code === 'E1D1O1')!.progress;
    assert.equal(o1(before), 0);

    const mine = (await owner.get(plan('/actions'))).json();
    assert.deepEqual(mine.actions.map((x: { id: string }) => x.id), [a], 'le porteur ne voit que son action');
    assert.deepEqual(mine.objectives.map((o: { code: string }) => o.code), ['E1D1O1']);

    const p1 = await owner.patch(action(a), { owner: { organisation: 'CPTS du Causse', contact: 'Coordination' }, status: 'en_cours', progress: 40, comment: 'Local trouvé.' });
    assert.equal(p1.statusCode, 200, p1.body);
    assert.deepEqual(p1.json().changed.sort(), ['owner', 'progress', 'status']);
    const mid = (await analyst.get(plan('/actions'))).json();
    assert.equal(o1(mid), 40);
    assert.equal(mid.progress, 20, 'deux actions de poids 1 : (40 + 0) / 2');

    const p2 = await owner.patch(action(a), { status: 'réalisée', comment: 'Ouverte.' });
    assert.equal(p2.statusCode, 200, p2.body);
    assert.equal(p2.json().action.progress, 100);
    const done = (await analyst.get(plan('/actions'))).json();
    assert.equal(o1(done), 100);
    assert.equal(done.progress, 50);

    const { timeline, mayUpdate } = (await owner.get(action(a))).json();
    assert.equal(mayUpdate, true);
    assert.deepEqual(timeline.map((e: { kind: string }) => e.kind), ['created', 'updated', 'updated']);
    assert.equal(timeline[2].actor, USERS.owner);
    assert.equal(timeline[2].comment, 'Ouverte.');
    assert.deepEqual(timeline[2].changes.status, { before: 'en_cours', after: 'realisee' });

    const mineList = (await owner.get('/api/admin/followup/actions')).json();
    assert.deepEqual(mineList.actions.map((x: { id: string; plan: { id: string } }) => [x.id, x.plan.id]), [[a, planId]]);

    const other = await owner.patch(action(b), { status: 'engagee' });
    assert.equal(other.statusCode, 403, 'pas l’action d’un autre');
    assert.equal((await owner.patch(action(a), { weight: 3 })).statusCode, 403, 'le poids reste aux analystes');

    const stranger = await (await Client.create(t.app, '10.50.0.3')).post('/api/auth/login', { email: OTHER_OWNER, password: PASSWORD });
    assert.equal(stranger.statusCode, 200);
  });

  test('un animateur modifie les actions qui lui sont affectées, lit les autres', async () => {
    const f = await (await Client.create(t.app, '10.50.0.4')).login('facilitator');
    assert.equal((await f.get(plan('/actions'))).json().actions.length, 2, 'l’animateur lit toutes les actions');
    assert.equal((await f.patch(action(b), { status: 'engagee' })).statusCode, 403);
    assert.equal((await analyst.put(action(b, '/accounts'), { accounts: [USERS.facilitator] })).statusCode, 200);
    const ok = await f.patch(action(b), { status: 'engagee', dueDate: '2027-06-30' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await f.get(plan('/followup/dashboard'))).statusCode, 200, 'l’animateur du CTS lit le tableau de bord');
  });

  test('entrées hostiles : statut inconnu, avancement 150, caractères bidi, identifiants encodés', async () => {
    const status = await analyst.patch(action(b), { status: 'terminée' });
    assert.equal(status.statusCode, 400);
    assert.match(status.json().error.message, /Statut inconnu « terminée »/);
    const progress = await analyst.patch(action(b), { progress: 150 });
    assert.equal(progress.statusCode, 400);
    assert.match(progress.json().error.message, /avancement/);
    const unknownField = await analyst.patch(action(b), { owner_contact: 'x' });
    assert.equal(unknownField.statusCode, 400, 'un champ inconnu est refusé');
    const bidi = await analyst.patch(action(b), { comment: 'Réunion\u202E faite\u2066 le 3\u200B mars' });
    assert.equal(bidi.statusCode, 200, bidi.body);
    const last = (await analyst.get(action(b))).json().timeline.at(-1);
    assert.equal(last.comment, 'Réunion faite le 3 mars', 'ni contrôle bidi ni caractère invisible');
    const onlyBidi = await analyst.patch(action(b), { owner: { organisation: '\u202E\u2066\u200B' } });
    assert.equal(onlyBidi.statusCode, 200);
    assert.equal(onlyBidi.json().action.owner.organisation, null, 'rien de visible : champ vidé');
    for (const id of ['../../plans', '%2e%2e%2fplans', 'x\u0000y', `${a}\u202E`, 'a'.repeat(201)]) {
      const res = await analyst.get(`/api/admin/actions/${enc(id)}`);
      // too long an address part is refused by the router itself (414)
      assert.ok([400, 404, 414].includes(res.statusCode), `${JSON.stringify(id)} → ${res.statusCode}`);
      assert.equal(typeof res.json().error.message, 'string');
    }
    const abandon = await analyst.patch(action(b), { status: 'abandonnee' });
    assert.equal(abandon.statusCode, 400);
    assert.match(abandon.json().error.message, /motif de l’abandon/);
    const backwards = await analyst.patch(action(a), { status: 'proposee' });
    assert.equal(backwards.statusCode, 409);
  });

  test('le tableau de bord par HTTP : filtres, erreurs en français', async () => {
    const d = await analyst.get(plan('/followup/dashboard'));
    assert.equal(d.statusCode, 200, d.body);
    assert.deepEqual(d.json().objectivesWithoutAction.map((o: { code: string }) => o.code), ['E1D2O1', 'E1D2O2']);
    const byOwner = (await analyst.get(plan(`/followup/dashboard?owner=${enc('cpts du causse')}&status=${enc('réalisée')}`))).json();
    assert.deepEqual([byOwner.filters.owner, byOwner.filters.status, byOwner.counts.actions], ['cpts du causse', 'realisee', 1]);
    const status = await analyst.get(plan('/followup/dashboard?status=termin%C3%A9e'));
    assert.equal(status.statusCode, 400);
    assert.match(status.json().error.message, /Statut inconnu « terminée »/);
    const engagement = await analyst.get(plan('/followup/dashboard?engagement=E9'));
    assert.equal(engagement.statusCode, 400);
    assert.match(engagement.json().error.message, /pas d’engagement « E9 »/);
    assert.equal((await analyst.get('/api/admin/plans/aucun/followup/dashboard')).statusCode, 404);
  });

  test('une nouvelle version du schéma garde les comptes de ses actions', async () => {
    const r = await importPlan(context(t.store, CLI_ACTOR, NOW), { bytes: new TextEncoder().encode('plan du suivi, version 2'), fileName: 'sts-suivi.md', consultation: 'suivi' },
      async () => linkTestPlan('first'));
    assert.equal(r.outcome, 'replaced');
    const view = (await analyst.get(action(a))).json();
    assert.equal(view.action.planId, r.planId);
    assert.deepEqual(view.accounts.map((x: { email: string }) => x.email), [USERS.owner]);
    assert.equal((await owner.patch(action(a), { comment: 'Toujours là après la nouvelle version.' })).statusCode, 200, 'le porteur garde la main');
    planId = r.planId;
  });

  test('un compte supprimé ne laisse aucune affectation', async () => {
    assert.equal((await analyst.put(action(b, '/accounts'), { accounts: [USERS.facilitator, OTHER_OWNER] })).statusCode, 200);
    const before = await t.store.db.selectFrom('action_accounts').selectAll().execute();
    assert.equal(before.filter((r) => r.user_id === otherOwnerId).length, 1);
    await deleteUser(t.store, OTHER_OWNER, 'test');
    const rows = await t.store.db.selectFrom('action_accounts').selectAll().execute();
    assert.equal(rows.filter((r) => r.user_id === otherOwnerId).length, 0, 'plus aucune ligne du compte supprimé');
    assert.deepEqual(rows.map((r) => r.action_id).sort(), [a, b].sort(), 'le porteur et l’animateur restants');
    const view = (await analyst.get(action(b))).json();
    assert.deepEqual(view.accounts.map((x: { email: string }) => x.email), [USERS.facilitator]);
  });
});
