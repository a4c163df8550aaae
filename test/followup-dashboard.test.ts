/**
 * The CTS dashboard (issue 15, item 4) on SQLite and PostgreSQL: late actions (with the injected clock), open
 * actions without an owner, indicators without a measurement in the last 12 months (the boundary day included),
 * objectives without action, objectives taking up a proposal and still without action; the filters; who may read.
 * Also `fabrique actions update --account`. The plan and texts are made up (test/helpers/link-plan.ts, fixtures).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UserError } from '../src/domain/errors.ts';
import { createUser } from '../src/store/accounts.ts';
import { Store } from '../src/store/index.ts';
import { listActionAccounts } from '../src/store/action-accounts.ts';
import { createAction, updateAction } from '../src/usecases/actions.ts';
import { CLI_ACTOR, context, VISITOR, type Actor } from '../src/usecases/context.ts';
import { followupDashboard, RECENT_MONTHS } from '../src/usecases/followup-dashboard.ts';
import { addIndicator, addMeasurement } from '../src/usecases/followup-indicators.ts';
import { decideLink } from '../src/usecases/links.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { runCli } from './helpers/cli.ts';
import { STORE_TEXTS, testDocument } from './helpers/fixtures.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { storeTest } from './helpers/stores.ts';

const NOW = () => new Date('2026-12-01T10:00:00.000Z');
const ANALYST: Actor = { name: 'analyste@example.org', role: 'analyst' };

async function seedPlan(store: Store): Promise<string> {
  await store.upsertConsultation({ slug: 'tdb', title: 'Consultation du tableau de bord', territory: '46', status: 'open', themes: [] });
  await store.importParsed('tdb', testDocument(STORE_TEXTS, { consultation: 'tdb', documentId: 'd'.repeat(64) }));
  const r = await importPlan(context(store, CLI_ACTOR, NOW), { bytes: new TextEncoder().encode('plan du tableau de bord'), fileName: 'sts-tdb.md', consultation: 'tdb' },
    async () => linkTestPlan('first'));
  return r.planId;
}

storeTest('tableau de bord du CTS : retards, sans porteur, indicateurs sans mesure récente, objectifs sans action, propositions reprises sans action ; filtres', async (store) => {
  const ctx = context(store, ANALYST, NOW);
  const plan = await seedPlan(store);
  const make = async (objective: string, title: string, patch: Record<string, unknown> = {}) => {
    const a = await createAction(ctx, { plan, objective, title });
    if (Object.keys(patch).length) await updateAction(ctx, { action: a.id, ...patch });
    return a.id;
  };
  const late = await make('E1D1O1', 'Action en retard', { owner: { organisation: 'CPTS du Causse' }, status: 'en_cours', dueDate: '2026-06-30' });
  const dueToday = await make('E1D1O1', 'Échéance aujourd’hui', { owner: { organisation: 'MSP de Figeac' }, status: 'engagee', dueDate: '2026-12-01' });
  const noOwner = await make('E1D1O1', 'Action sans porteur');
  await make('E1D2O1', 'Action réalisée en retard', { status: 'en_cours', dueDate: '2026-01-31' }).then((id) => updateAction(ctx, { action: id, status: 'realisee' }));
  await make('E1D2O1', 'Action abandonnée', { status: 'abandonnee', reason: 'Remplacée par une autre' });
  // an objective whose only action is abandoned has, for the dashboard, no action
  await make('E1D2O2', 'Seule action, abandonnée', { status: 'abandonnee', reason: 'Hors compétence' });

  const contributions = await store.listContributions('tdb');
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: contributions[0]!.id }, target: 'E1D1O2', decision: 'confirm', kind: 'taken_up' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: contributions[1]!.id }, target: 'E1D1O2', decision: 'confirm', kind: 'partly', note: 'Sans le volet transport' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: contributions[2]!.id }, target: 'E1D1O1', decision: 'confirm', kind: 'taken_up' });
  await decideLink(ctx, { plan, source: { kind: 'contribution', id: contributions[3]!.id }, decision: 'not_taken_up', note: 'Hors du schéma' });

  const ind = async (label: string, dates: string[]) => {
    const i = await addIndicator(ctx, { plan, label, baseline: { value: 2, source: 'constat' }, target: { value: 5 }, objective: 'E1D1O1' });
    for (const date of dates) await addMeasurement(ctx, { indicator: i.id, value: 3, date, source: 'essai' });
    return i.id;
  };
  await ind('Mesuré ce printemps', ['2026-03-01']);
  await ind('Mesuré au jour limite', ['2024-01-01', '2025-12-01']);
  const stale = await ind('Mesuré il y a plus d’un an', ['2025-11-30']);
  const never = await ind('Jamais mesuré', []);

  const d = await followupDashboard(ctx, { plan });
  assert.equal(RECENT_MONTHS, 12);
  assert.equal(d.today, '2026-12-01');
  assert.equal(d.recentSince, '2025-12-01');
  assert.deepEqual(d.late.map((a) => [a.id, a.daysLate]), [[late, 154]], 'l’échéance du jour n’est pas un retard ; une action réalisée non plus');
  assert.ok(!d.late.some((a) => a.id === dueToday));
  assert.deepEqual(d.withoutOwner.map((a) => a.id), [noOwner], 'ni la réalisée ni l’abandonnée sans porteur');
  assert.deepEqual(d.staleIndicators.map((i) => [i.id, i.lastMeasurement, i.measurements]), [[stale, '2025-11-30', 1], [never, null, 0]]);
  assert.deepEqual(d.objectivesWithoutAction.map((o) => o.code), ['E1D1O2', 'E1D2O2']);
  assert.deepEqual(d.takenUpWithoutAction, [{ code: 'E1D1O2', title: d.objectivesWithoutAction[0]!.title, engagement: 'E1', contributions: 2, ideas: 0 }]);
  assert.deepEqual(d.counts, { actions: 6, late: 1, withoutOwner: 1, staleIndicators: 2, objectivesWithoutAction: 2, takenUpWithoutAction: 1 });
  assert.deepEqual(d.options.owners, ['CPTS du Causse', 'MSP de Figeac']);

  const byOwner = await followupDashboard(ctx, { plan, owner: '  cpts DU causse ' });
  assert.deepEqual(byOwner.late.map((a) => a.id), [late]);
  assert.deepEqual(byOwner.withoutOwner, []);
  assert.equal(byOwner.counts.actions, 1);
  const proposed = await followupDashboard(ctx, { plan, status: 'proposée' });
  assert.deepEqual([proposed.late.length, proposed.withoutOwner.map((a) => a.id)], [0, [noOwner]]);
  assert.equal(proposed.filters.status, 'proposee');
  const e1 = await followupDashboard(ctx, { plan, engagement: 'E1' });
  assert.deepEqual(e1.counts, d.counts);

  await assert.rejects(followupDashboard(ctx, { plan, engagement: 'E9' }), (e: unknown) => e instanceof UserError && /pas d’engagement « E9 »/.test(e.message));
  await assert.rejects(followupDashboard(ctx, { plan, status: 'terminée' }), (e: unknown) => e instanceof UserError && e.code === 'invalid');
  await assert.rejects(followupDashboard(context(store, VISITOR, NOW), { plan }), (e: unknown) => e instanceof UserError && e.code === 'forbidden');
  await assert.rejects(followupDashboard(context(store, { name: 'porteur@example.org', role: 'owner' }, NOW), { plan }), (e: unknown) => e instanceof UserError && e.code === 'forbidden');

  // an action under the taken-up objective takes it off both lists; the clock moving on makes another action late
  await make('E1D1O2', 'Nouvelle action');
  const after1 = await followupDashboard(context(store, ANALYST, () => new Date('2026-12-02T08:00:00.000Z')), { plan });
  assert.deepEqual(after1.takenUpWithoutAction, []);
  assert.deepEqual(after1.objectivesWithoutAction.map((o) => o.code), ['E1D2O2']);
  assert.deepEqual(after1.late.map((a) => a.id), [late, dueToday]);
  assert.equal(after1.recentSince, '2025-12-02');
  assert.equal(after1.staleIndicators.length, 3, 'la mesure du jour limite ne l’est plus');
});

const dir = mkdtempSync(join(tmpdir(), 'fabrique-suivi-'));
after(() => rmSync(dir, { recursive: true, force: true }));

storeTest('tableau de bord : le jour de référence est celui de la France, comme le bilan (une échéance d’hier est en retard à 0 h 30 à Paris)', async (store) => {
  const plan = await seedPlan(store);
  // 23:30 UTC on 1 December is 00:30 on 2 December in Paris
  const ctx = context(store, ANALYST, () => new Date('2026-12-01T23:30:00.000Z'));
  const a = await createAction(ctx, { plan, objective: 'E1D1O1', title: 'Échéance le 1er décembre' });
  await updateAction(ctx, { action: a.id, status: 'engagee', owner: { organisation: 'CPTS du Causse' }, dueDate: '2026-12-01' });
  const d = await followupDashboard(ctx, { plan });
  assert.equal(d.today, '2026-12-02');
  assert.deepEqual(d.late.map((x) => [x.id, x.daysLate]), [[a.id, 1]]);
});

test('fabrique actions update --account : affecte les comptes, remplace la liste, vide avec une valeur vide', async () => {
  const file = join(dir, 'cli.sqlite');
  const store = await Store.open({ sqlitePath: file });
  let id: string;
  try {
    const plan = await seedPlan(store);
    id = (await createAction(context(store, ANALYST, NOW), { plan, objective: 'E1D1O1', title: 'Action de la ligne de commande' })).id;
    await createUser(store, { email: 'porteur@example.org', role: 'owner', passwordHash: 'x' });
    await createUser(store, { email: 'animation@example.org', role: 'facilitator', passwordHash: 'x' });
  } finally { await store.close(); }
  const env = { FABRIQUE_DB: file };
  const one = await runCli(['actions', 'update', id, '--account', 'porteur@example.org,animation@example.org'], env);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /comptes animation@example\.org, porteur@example\.org/);
  assert.doesNotMatch(one.stdout, /rien à changer/, 'seuls les comptes sont demandés');
  const both = await runCli(['actions', 'update', id, '--account', 'porteur@example.org', '--status', 'engagée', '--json'], env);
  assert.equal(both.code, 0, both.stderr);
  const out = JSON.parse(both.stdout) as { accounts: string[]; changed: string[] };
  assert.deepEqual(out.accounts, ['porteur@example.org']);
  assert.deepEqual(out.changed, ['status']);
  const bad = await runCli(['actions', 'update', id, '--account', 'inconnu@example.org'], env);
  assert.equal(bad.code, 3, 'introuvable');
  assert.match(bad.stderr, /Aucun compte « inconnu@example\.org »/);
  assert.equal((await runCli(['actions', 'update', id, '--account', ''], env)).code, 0);
  const check = await Store.open({ sqlitePath: file });
  try {
    assert.equal((await listActionAccounts(check, [id])).size, 0, 'liste vidée');
  } finally { await check.close(); }
});
