/**
 * The stored traceability links (issue 14, migration 0020_links), on SQLite and PostgreSQL: suggestions replaced
 * without touching decisions, a decision and its undo, the links of an erased contribution and of a vanished idea
 * group removed in the same transaction, and decisions carried over to the plan that replaces theirs.
 * Plans and texts are made up (test/helpers/link-plan.ts).
 */
import assert from 'node:assert/strict';
import type { PlanLink } from '../src/domain/links.ts';
import type { Store } from '../src/store/index.ts';
import { listAudit } from '../src/store/audit.ts';
import { deleteContribution } from '../src/store/deletion.ts';
import { linkCounts, listPlanLinks, newLinkId, replaceSuggestedLinks, undoLinkChange, writeLinkDecision } from '../src/store/links.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { STORE_TEXTS, testConsultation, testDocument } from './helpers/fixtures.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { storeTest } from './helpers/stores.ts';

const NOW = () => new Date('2026-12-01T10:00:00.000Z');
const AT = '2026-12-01T10:00:00.000Z';

async function setup(store: Store) {
  await store.upsertConsultation(testConsultation());
  await store.importParsed('essai', testDocument(STORE_TEXTS));
  const ids = (await store.listContributions('essai')).map((c) => c.id);
  const ctx = context(store, CLI_ACTOR, NOW);
  const plan = await importPlan(ctx, { bytes: new TextEncoder().encode('premier'), fileName: 'sts-essai.md', consultation: 'essai' }, async () => linkTestPlan('first'));
  return { ctx, ids, planId: plan.planId };
}

const suggestion = (id: string, target: string, score: number) => ({
  source: { kind: 'contribution' as const, id }, consultation: 'essai', target, score,
  evidence: [{ kind: 'term' as const, text: 'médecin', field: 'title' }], model: 'essai', modelVersion: '1',
});

function confirmChange(current: PlanLink[], target: string, planId: string, source: PlanLink['source'], who = 'analyste'): { upsert: PlanLink[]; remove: string[]; main: string } {
  const row = current.find((l) => l.target === target);
  const base: PlanLink = row ?? {
    id: newLinkId(), planId, consultation: 'essai', source, target, kind: 'taken_up', status: 'suggested', score: null, evidence: [],
    model: null, modelVersion: null, note: null, decidedBy: null, decidedAt: null, createdAt: AT,
  };
  return { upsert: [{ ...base, status: 'confirmed', decidedBy: who, decidedAt: AT }], remove: [], main: base.id };
}

storeTest('liens : suggestions remplacées sans toucher aux décisions, ordre du meilleur au moins bon', async (store) => {
  const { ids, planId } = await setup(store);
  const [a, b] = ids as [string, string];
  const sources = [{ kind: 'contribution' as const, id: a }, { kind: 'contribution' as const, id: b }];
  const first = await replaceSuggestedLinks(store, {
    planId, sources, at: AT, links: [suggestion(a, 'E1D1O1', 0.4), suggestion(a, 'E1D1O2', 0.7), suggestion(b, 'E1D2O1', 0.5)],
    audit: { actor: 'cli', action: 'links.suggest', targetType: 'plan', targetId: planId },
  });
  assert.deepEqual(first, { inserted: 3, removed: 0, keptDecided: 0 });
  const listed = await listPlanLinks(store, { planId, source: sources[0] });
  assert.deepEqual(listed.map((l) => [l.target, l.score, l.status]), [['E1D1O2', 0.7, 'suggested'], ['E1D1O1', 0.4, 'suggested']]);
  assert.deepEqual(listed[0]!.evidence, [{ kind: 'term', text: 'médecin', field: 'title' }]);

  // a reviewer confirms E1D1O1 for a; a new run suggests other scores and drops E1D1O2
  const source = sources[0]!;
  await writeLinkDecision(store, {
    planId, source, decision: 'confirm', actor: 'analyste', at: AT,
    decide: (current) => confirmChange(current, 'E1D1O1', planId, source),
    audit: (_b, _a, main) => ({ actor: 'analyste', action: 'link.confirm', targetType: 'plan_link', targetId: main!.id }),
  });
  const keptId = listed[1]!.id;
  const second = await replaceSuggestedLinks(store, {
    planId, sources: [source], at: AT, links: [suggestion(a, 'E1D1O1', 0.9), suggestion(a, 'E1D2O2', 0.3)],
    audit: { actor: 'cli', action: 'links.suggest', targetType: 'plan', targetId: planId },
  });
  assert.deepEqual(second, { inserted: 1, removed: 1, keptDecided: 1 }, 'E1D1O1 décidé : ni supprimé ni réécrit');
  const now = await listPlanLinks(store, { planId, source });
  assert.deepEqual(now.map((l) => [l.target, l.status, l.score]), [['E1D1O1', 'confirmed', 0.4], ['E1D2O2', 'suggested', 0.3]]);
  assert.equal(now[0]!.id, keptId, 'la décision garde son lien');
  assert.equal((await listPlanLinks(store, { planId, statuses: ['suggested'] })).length, 2, 'b garde sa suggestion (non recalculé)');
  assert.equal((await listPlanLinks(store, { consultation: 'essai', statuses: ['confirmed'] })).length, 1);
  assert.equal((await listAudit(store)).filter((e) => e.action === 'links.suggest').length, 2);
});

storeTest('liens : une décision annulée rend l’état d’avant exactement ; un lien créé par la décision disparaît', async (store) => {
  const { ids, planId } = await setup(store);
  const source = { kind: 'contribution' as const, id: ids[0]! };
  await replaceSuggestedLinks(store, { planId, sources: [source], at: AT, links: [suggestion(source.id, 'E1D1O1', 0.6)], audit: { actor: 'cli', action: 'links.suggest', targetType: 'plan', targetId: planId } });
  const [before] = await listPlanLinks(store, { planId, source });
  const decide = (target: string) => writeLinkDecision(store, {
    planId, source, decision: 'confirm', actor: 'analyste', at: '2026-12-01T11:00:00.000Z',
    decide: (current) => confirmChange(current, target, planId, source),
    audit: (_b, _a, main) => ({ actor: 'analyste', action: 'link.confirm', targetType: 'plan_link', targetId: main!.id }),
  });
  const confirmed = await decide('E1D1O1');
  assert.equal(confirmed?.status, 'confirmed');
  const created = await decide('E1D2O1');
  assert.equal(created?.score, null, 'cible non suggérée, confirmée quand même');
  const audit = (r: PlanLink[], u: PlanLink[], l: PlanLink | null) => ({ actor: 'analyste', action: 'link.undo', targetType: 'plan_link', targetId: l?.id ?? u[0]!.id });
  const undone = await undoLinkChange(store, { planId, linkId: confirmed!.id, actor: 'analyste', at: AT, audit });
  assert.equal(undone.outcome, 'undone');
  assert.deepEqual((await listPlanLinks(store, { planId, source })).find((l) => l.id === before!.id), before, 'suggestion d’avant, à l’identique');
  const gone = await undoLinkChange(store, { planId, linkId: created!.id, actor: 'analyste', at: AT, audit });
  assert.deepEqual(gone.outcome === 'undone' && gone.link, null);
  assert.deepEqual((await listPlanLinks(store, { planId, source })).map((l) => l.target), ['E1D1O1']);
  assert.equal((await undoLinkChange(store, { planId, linkId: created!.id, actor: 'analyste', at: AT, audit })).outcome, 'none');
});

storeTest('liens : ceux d’une contribution effacée disparaissent avec elle ; ceux d’une idée disparue sont cachés puis nettoyés', async (store) => {
  const { ids, planId } = await setup(store);
  const [a, b] = ids as [string, string];
  await store.saveIdeaGroups('essai', [
    { id: 'g1', consultation: 'essai', parent: null, label: 'Médecins', labelByHuman: false, members: [{ contribution: b, provenance: { by: 'model', model: 'essai', version: '1', at: AT } }], quotes: [b], lineage: [] },
  ]);
  const idea = { kind: 'idea' as const, id: 'g1' };
  await replaceSuggestedLinks(store, {
    planId, sources: [{ kind: 'contribution', id: a }, idea], at: AT,
    links: [suggestion(a, 'E1D1O1', 0.6), { ...suggestion(a, 'E1D1O2', 0.2), source: idea }],
    audit: { actor: 'cli', action: 'links.suggest', targetType: 'plan', targetId: planId },
  });
  assert.equal((await listPlanLinks(store, { planId })).length, 2);
  await deleteContribution(store, a, 'erase', { actor: 'cli', at: AT });
  assert.deepEqual((await listPlanLinks(store, { planId })).map((l) => l.source), [idea], 'le lien de la contribution effacée est parti');
  // a human merge removed the group: hidden at once, kept for an undo of the merge
  await store.saveIdeaGroups('essai', []);
  assert.equal((await listPlanLinks(store, { planId })).length, 0);
  assert.deepEqual(await linkCounts(store, planId), { suggested: 1 });
});

storeTest('liens : un plan remplacé par un fichier plus récent lui transmet ses décisions dont la cible existe encore', async (store) => {
  const { ctx, ids, planId } = await setup(store);
  const source = { kind: 'contribution' as const, id: ids[0]! };
  const item = { kind: 'planItem' as const, id: '2' }; // « Créer des maisons de santé », position 0 in the newer file
  for (const [s, target] of [[source, 'E1D1O1'], [source, 'E1D1O2'], [item, 'E1D2O2']] as const) {
    await writeLinkDecision(store, {
      planId, source: s, decision: 'confirm', actor: 'analyste', at: AT,
      decide: (current) => confirmChange(current, target, planId, s),
      audit: (_b, _a, main) => ({ actor: 'analyste', action: 'link.confirm', targetType: 'plan_link', targetId: main!.id }),
    });
  }
  await replaceSuggestedLinks(store, { planId, sources: [source], at: AT, links: [suggestion(source.id, 'E1D2O1', 0.5)], audit: { actor: 'cli', action: 'links.suggest', targetType: 'plan', targetId: planId } });
  const newer = await importPlan(ctx, { bytes: new TextEncoder().encode('second'), fileName: 'sts-essai.md', consultation: 'essai' }, async () => linkTestPlan('second'));
  assert.equal(newer.outcome, 'replaced');
  const links = await listPlanLinks(store, { planId: newer.planId });
  assert.deepEqual(links.map((l) => [l.source.kind, l.source.id, l.target, l.status, l.decidedBy]), [
    ['contribution', source.id, 'E1D1O1', 'confirmed', 'analyste'],
    ['planItem', '0', 'E1D2O2', 'confirmed', 'analyste'],
  ], 'E1D1O2 n’existe plus ; la suggestion n’est pas transmise ; l’élément du plan suit son texte');
  assert.equal((await listPlanLinks(store, { planId })).length, 0);
  const entry = (await listAudit(store)).find((e) => e.action === 'plan.import' && e.targetId === newer.planId);
  assert.deepEqual((entry?.after as { links?: unknown }).links, { carried: 2, dropped: 1 });
});
