/**
 * REVIEW REGRESSIONS (issue 14, second review « walk », 2026-12-01): each test shows a defect found while walking the
 * traceability work; they FAIL on the reviewed state on purpose, until the defect is fixed.
 * 1. a plan item position written « 01 » is taken as a new source, distinct from item « 1 »: the same item can be
 *    « non repris » and taken up at once, and the public plan page shows it under an objective (Number('01') === 1);
 * 2. a « non repris » reason made only of invisible characters (zero-width spaces) is accepted, while the reason is
 *    required and is printed in the public coverage report;
 * 3. a coverage report of a plan against a consultation the plan does not answer is built (and served publicly by
 *    GET /api/plans/:id/coverage?consultation=…), whereas the links use cases refuse that pairing.
 * Plans and texts are made up (test/helpers/link-plan.ts).
 */
import assert from 'node:assert/strict';
import { UserError } from '../src/domain/errors.ts';
import type { Store } from '../src/store/index.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { coverageReport } from '../src/usecases/coverage.ts';
import { decideLink } from '../src/usecases/links.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { STORE_TEXTS, testConsultation, testDocument } from './helpers/fixtures.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { storeTest } from './helpers/stores.ts';

const NOW = () => new Date('2026-12-01T10:00:00.000Z');

async function setup(store: Store) {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(STORE_TEXTS));
  const ctx = context(store, CLI_ACTOR, NOW);
  const plan = await importPlan(ctx, { bytes: new TextEncoder().encode('premier'), fileName: 'sts-essai.md', consultation: 'essai' }, async () => linkTestPlan('first'));
  return { ctx, planId: plan.planId };
}

storeTest('revue : la position « 01 » d’un élément du plan n’est pas une autre source que « 1 »', async (store) => {
  const { ctx, planId } = await setup(store);
  await decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '1' }, decision: 'not_taken_up', note: 'Hors du champ du schéma' });
  let link;
  try {
    link = await decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '01' }, target: 'E1D1O1', decision: 'confirm' });
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return; // refused: fine
  }
  assert.equal(link.source.id, '1', 'la position « 01 » doit être refusée ou ramenée à « 1 » (sinon deux décisions contraires sur le même élément)');
});

storeTest('revue : une raison « non repris » faite de caractères invisibles est refusée', async (store) => {
  const { ctx, planId } = await setup(store);
  await assert.rejects(
    decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '0' }, decision: 'not_taken_up', note: '\u200b\u200b\u200b' }),
    (e: unknown) => e instanceof UserError && e.code === 'invalid',
  );
});

storeTest('revue : pas de rapport de couverture d’un schéma pour une consultation à laquelle il ne répond pas', async (store) => {
  const { ctx, planId } = await setup(store);
  await store.upsertConsultation(testConsultation('autre'));
  await assert.rejects(
    coverageReport(ctx, { plan: planId, consultation: 'autre' }),
    (e: unknown) => e instanceof UserError && (e.code === 'conflict' || e.code === 'invalid' || e.code === 'not_found'),
  );
});
