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
import { moderateContribution } from '../src/usecases/contributions.ts';
import { decideLink, linkReview, listLinks, suggestPlanLinks } from '../src/usecases/links.ts';
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

// The fixes' own checks (FIXB, 2026-12-01): the neighbours of the three defects above.

storeTest('revue (correction) : position d’élément écrite autrement, 400 ; hors plan, 404', async (store) => {
  const { ctx, planId } = await setup(store);
  for (const id of ['01', '+1', '1.0', '1e0', ' 1', '-0']) {
    await assert.rejects(decideLink(ctx, { plan: planId, source: { kind: 'planItem', id }, target: 'E1D1O1', decision: 'confirm' }),
      (e: unknown) => e instanceof UserError && e.code === 'invalid', id);
  }
  await assert.rejects(decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '99' }, target: 'E1D1O1', decision: 'confirm' }),
    (e: unknown) => e instanceof UserError && e.code === 'not_found');
});

storeTest('revue (correction) : une note perd ses caractères de contrôle, de direction et invisibles, et se normalise (NFC)', async (store) => {
  const { ctx, planId } = await setup(store);
  const link = await decideLink(ctx, {
    plan: planId, source: { kind: 'planItem', id: '0' }, decision: 'not_taken_up',
    note: '\u202eHors\u0000 du\u0007 champ\u200b du sche\u0301ma\u2066\u2069\ufeff\u0085 ',
  });
  assert.equal(link.note, 'Hors du champ du schéma');
  assert.equal(link.note, link.note!.normalize('NFC'));
  // an optional note made of invisible characters is no note
  const national = await decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '1' }, decision: 'national', note: '\u200e\u2067 \u200d' });
  assert.equal(national.note, null);
});

storeTest('revue (correction) : la couverture d’un schéma sans consultation ne vaut que pour une consultation à laquelle ses liens appartiennent', async (store) => {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(STORE_TEXTS));
  const ctx = context(store, CLI_ACTOR, NOW);
  const plan = await importPlan(ctx, { bytes: new TextEncoder().encode('sans consultation'), fileName: 'sts-essai.md' }, async () => linkTestPlan('first'));
  await assert.rejects(coverageReport(ctx, { plan: plan.planId, consultation: 'essai' }), (e: unknown) => e instanceof UserError && e.code === 'conflict');
  const [c] = await store.listContributions('essai');
  await decideLink(ctx, { plan: plan.planId, source: { kind: 'contribution', id: c!.id }, target: 'E1D1O1', decision: 'confirm' });
  const r = await coverageReport(ctx, { plan: plan.planId, consultation: 'essai' });
  assert.ok(r.verification.ok);
  // and the plan's own consultation is still its report's default
  const own = await importPlan(ctx, { bytes: new TextEncoder().encode('avec'), fileName: 'sts-essai-2.md', consultation: 'essai' }, async () => linkTestPlan('first'));
  assert.equal((await coverageReport(ctx, { plan: own.planId })).verification.ok, true);
});

storeTest('revue (correction) : pas de suggestion pour une contribution rejetée (les anciennes s’effacent), une en attente en a ; la relecture dit leur statut', async (store) => {
  const { ctx, planId } = await setup(store);
  await suggestPlanLinks(ctx, { plan: planId, sources: ['contribution'] });
  const suggestedFor = async () => new Set((await listLinks(ctx, { plan: planId, statuses: ['suggested'], sources: ['contribution'] })).map((l) => l.source.id));
  // the imported contributions are pending: they are suggested for
  const [a, b] = [...await suggestedFor()];
  assert.ok(a && b, 'des contributions en attente ont des suggestions');
  await moderateContribution(ctx, { id: a!, action: 'reject', reason: 'hors sujet' });
  await moderateContribution(ctx, { id: b!, action: 'publish' });
  await suggestPlanLinks(ctx, { plan: planId, sources: ['contribution'] });
  const after = await suggestedFor();
  assert.ok(!after.has(a!), 'la rejetée n’en a plus');
  assert.ok(after.has(b!));
  const review = await linkReview(ctx, { plan: planId, kind: 'contribution' });
  const status = new Map(review.sources.map((s) => [s.source.id, s.moderation]));
  assert.equal(status.get(b!), 'published');
  assert.ok(!status.has(a!), 'sans lien, la rejetée ne paraît plus à la relecture');
  assert.ok(review.sources.every((s) => s.moderation === 'published' || s.moderation === 'pending'));
});
