/**
 * The follow-up funnel and report (issue 15, package FIGURES): the small consultation and scheme of the coverage tests
 * (written for the tests, never from the corpus), its « En pratique » items imported as actions, statuses moved, a
 * measurement entered, a contribution linked; the funnel follows, and every figure of the report verifies against
 * the store (an altered one fails, named).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../src/store/index.ts';
import { importPlanActions, listActions, updateAction } from '../src/usecases/actions.ts';
import { CLI_ACTOR, context, type Actor } from '../src/usecases/context.ts';
import { followupFunnel } from '../src/usecases/followup-report.ts';
import { decideLink } from '../src/usecases/links.ts';
import { decideTestLinks, seedCoverage } from './helpers/coverage-fixture.ts';
import { storeTest } from './helpers/stores.ts';

const ANALYST: Actor = { name: 'analyste@example.org', role: 'analyst' };
let tick = 0;
const NOW = () => new Date(Date.UTC(2026, 11, 1, 10, 0, tick++));

const counts = async (store: Store, plan: string) =>
  Object.fromEntries((await followupFunnel(context(store, ANALYST, NOW), { plan })).steps.map((s) => [s.key, s.count]));

/** The fixture with its decided links and its three actions (E1D2O3: two, E1D2O4: one). */
async function seeded(store: Store): Promise<{ planId: string; ids: string[]; actions: { id: string; objectiveCode: string }[] }> {
  const { planId, ids } = await seedCoverage(store);
  const ctx = context(store, CLI_ACTOR, NOW);
  await decideTestLinks(ctx, planId, ids);
  await importPlanActions(ctx, { plan: planId });
  const actions = (await listActions(ctx, { plan: planId })).actions;
  return { planId, ids, actions };
}

storeTest('funnel: contributions → ideas → objectives → engaged → done follows statuses and links', async (store) => {
  const { planId, ids, actions } = await seeded(store);
  assert.equal(actions.length, 3);
  const f = await followupFunnel(context(store, ANALYST, NOW), { plan: planId });
  assert.equal(f.plan, planId);
  assert.equal(f.consultation, 'couverture-test');
  assert.deepEqual(f.steps.map((s) => s.key), ['contributions', 'ideas', 'objectives', 'engaged', 'done']);
  assert.ok(f.steps.every((s) => s.label.length > 0));
  // 5 public contributions (one withheld), one idea, two objectives (the idea's E1D2O3, a contribution's E1D2O4 partly)
  assert.deepEqual(await counts(store, planId), { contributions: 5, ideas: 1, objectives: 2, engaged: 0, done: 0 });

  const ctx = context(store, ANALYST, NOW);
  const o3 = actions.filter((a) => a.objectiveCode === 'E1D2O3');
  const o4 = actions.find((a) => a.objectiveCode === 'E1D2O4')!;
  await updateAction(ctx, { action: o3[0]!.id, status: 'engagee' });
  await updateAction(ctx, { action: o4.id, status: 'en_cours' });
  assert.deepEqual(await counts(store, planId), { contributions: 5, ideas: 1, objectives: 2, engaged: 2, done: 0 });
  await updateAction(ctx, { action: o4.id, status: 'realisee' });
  await updateAction(ctx, { action: o3[1]!.id, status: 'abandonnee', reason: 'remplacée par une autre action' });
  assert.deepEqual(await counts(store, planId), { contributions: 5, ideas: 1, objectives: 2, engaged: 2, done: 1 });

  // the contribution behind E1D2O4 decided « non repris »: the objective leaves the funnel, and so do its actions
  await decideLink(context(store, CLI_ACTOR, NOW), { plan: planId, source: { kind: 'contribution', id: ids[2]! }, decision: 'not_taken_up', note: 'hors du champ du schéma' });
  const after = await counts(store, planId);
  assert.equal(after.objectives, 1);
  assert.deepEqual([after.engaged, after.done], [1, 0]);
});
