/**
 * The stored traceability links (issue 14, migration 0020_links), on SQLite and PostgreSQL: suggestions replaced
 * without touching decisions, a decision and its undo, the links of an erased contribution and of a vanished idea
 * group removed in the same transaction, and decisions carried over to the plan that replaces theirs.
 * Plans and texts are made up (test/helpers/link-plan.ts).
 */
import assert from 'node:assert/strict';
import { UserError } from '../src/domain/errors.ts';
import type { PlanLink } from '../src/domain/links.ts';
import type { Store } from '../src/store/index.ts';
import { listAudit } from '../src/store/audit.ts';
import { analysisVersion, saveAnalysis } from '../src/store/analysis.ts';
import { deleteConsultation as deleteConsultationCase, deleteContribution } from '../src/store/deletion.ts';
import { linkCounts, listPlanLinks, newLinkId, replaceSuggestedLinks, undoLinkChange, writeLinkDecision } from '../src/store/links.ts';
import { CLI_ACTOR, context, VISITOR } from '../src/usecases/context.ts';
import { moderateContribution } from '../src/usecases/contributions.ts';
import { decidedLinks, decideLink, listLinks, suggestPlanLinks, undoLinkDecision } from '../src/usecases/links.ts';
import { correctPlanElement, importPlan } from '../src/usecases/plan.ts';
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

// ---- the use cases (src/usecases/links.ts) ----

const ANALYST = { name: 'analyste@test.invalid', role: 'analyst' as const };

storeTest('suggestPlanLinks : propositions, idées et éléments du plan classés ; une nouvelle passe garde les décisions', async (store) => {
  const { ids, planId } = await setup(store);
  await store.saveIdeaGroups('essai', [
    { id: 'g1', consultation: 'essai', parent: null, label: 'Maison de santé', labelByHuman: false, members: [{ contribution: ids[4]!, provenance: { by: 'model', model: 'essai', version: '1', at: AT } }], quotes: [ids[4]!], lineage: [] },
  ]);
  const ctx = context(store, ANALYST, NOW);
  const first = await suggestPlanLinks(ctx, { plan: planId });
  const kinds = first.map((s) => s.source.kind);
  // testDocument: even positions are « constat », odd ones « proposition »: only proposals are ranked
  assert.deepEqual(first.filter((s) => s.source.kind === 'contribution').map((s) => s.source.id), [ids[1], ids[3], ids[5]]);
  assert.equal(kinds.filter((k) => k === 'idea').length, 1);
  assert.equal(kinds.filter((k) => k === 'planItem').length, 3);
  const stored = await listLinks(ctx, { plan: planId, statuses: ['suggested'] });
  assert.equal(stored.length, first.reduce((n, s) => n + s.candidates.length, 0));
  assert.ok(stored.length > 0, 'au moins une suggestion');
  // the maison de santé item: its best candidate is the maisons de santé objective
  const item = first.find((s) => s.source.kind === 'planItem' && s.source.id === '2')!;
  assert.equal(item.candidates[0]?.target, 'E1D1O2');

  const decided = await decideLink(ctx, { plan: planId, source: item.source, target: 'E1D1O2', decision: 'confirm' });
  await suggestPlanLinks(ctx, { plan: planId, sources: ['planItem'] });
  const again = await listLinks(ctx, { plan: planId, source: item.source });
  assert.deepEqual(again.filter((l) => l.status !== 'suggested'), [decided], 'la décision reste telle quelle');
  const entry = (await listAudit(store)).find((e) => e.action === 'links.suggest')!;
  assert.equal(entry.targetId, planId);
  for (const t of STORE_TEXTS) assert.ok(!JSON.stringify(entry).includes(t.slice(0, 20)), 'aucun texte dans le journal');
  // a facilitator or a visitor may not
  await assert.rejects(suggestPlanLinks(context(store, { name: 'animateur', role: 'facilitator' }, NOW), { plan: planId }), (e: UserError) => e.code === 'forbidden');
  await assert.rejects(suggestPlanLinks(ctx, { plan: 'inconnu' }), (e: UserError) => e.code === 'not_found');
  await assert.rejects(suggestPlanLinks(ctx, { plan: planId, sources: ['avis' as never] }), (e: UserError) => e.code === 'invalid' && /avis/.test(e.message));
});

storeTest('decideLink : règles des décisions (en partie avec note, non repris avec raison, cible du plan), annulation exacte', async (store) => {
  const { ids, planId } = await setup(store);
  const ctx = context(store, ANALYST, NOW);
  const source = { kind: 'contribution' as const, id: ids[1]! };
  const fails = (input: Partial<Parameters<typeof decideLink>[1]>, code: string, re: RegExp) =>
    assert.rejects(decideLink(ctx, { plan: planId, source, decision: 'confirm', ...input } as never), (e: UserError) => e.code === code && re.test(e.message));
  await fails({ target: 'E9D9O9' }, 'not_found', /ni un objectif ni un défi/);
  await fails({ target: 'E1' }, 'not_found', /ni un objectif ni un défi/);
  await fails({ target: 'E1D1O1', kind: 'partly' }, 'invalid', /ce qui n’est pas repris/);
  await fails({ decision: 'not_taken_up' }, 'invalid', /raison/);
  await fails({ decision: 'national', target: 'E1D1O1' }, 'invalid', /retirez la cible/);
  await fails({ decision: 'reject', target: 'E1D1O1' }, 'not_found', /Aucun lien/);
  await fails({ decision: 'national', kind: 'taken_up' }, 'invalid', /qu’en confirmant/);
  await fails({ decision: 'avis' as never }, 'invalid', /Décision inconnue/);
  await fails({ source: { kind: 'contribution', id: 'inconnue' }, target: 'E1D1O1' }, 'not_found', /Contribution inconnue/);
  await fails({ source: { kind: 'planItem', id: '3' }, target: 'E1D1O1' }, 'not_found', /Élément de consultation/);
  await fails({ target: 'E1D1O1', note: 'x'.repeat(2000) }, 'invalid', /trop longue/);
  await assert.rejects(decideLink(context(store, { name: 'animateur', role: 'facilitator' }, NOW), { plan: planId, source, target: 'E1D1O1', decision: 'confirm' }),
    (e: UserError) => e.code === 'forbidden');

  // partly taken up by one objective (a défi too), then marked not taken up: the confirmed targets are set aside
  const partly = await decideLink(ctx, { plan: planId, source, target: 'e1d1o1', decision: 'confirm', kind: 'partly', note: '  Le volet salarié n’est pas repris.  ' });
  assert.deepEqual([partly.target, partly.kind, partly.status, partly.note, partly.decidedBy], ['E1D1O1', 'partly', 'confirmed', 'Le volet salarié n’est pas repris.', ANALYST.name]);
  await decideLink(ctx, { plan: planId, source, target: 'E1D2', decision: 'confirm' });
  await assert.rejects(decideLink(ctx, { plan: planId, source, target: 'E1D2', decision: 'confirm' }), (e: UserError) => e.code === 'conflict');
  const beforeMark = await listLinks(ctx, { plan: planId, source });
  const mark = await decideLink(ctx, { plan: planId, source, decision: 'not_taken_up', note: 'Hors du champ de l’ARS.' });
  assert.equal(mark.target, null);
  const marked = await listLinks(ctx, { plan: planId, source });
  assert.deepEqual(marked.map((l) => [l.target, l.kind, l.status]), [[null, 'not_taken_up', 'confirmed'], ['E1D1O1', 'partly', 'rejected'], ['E1D2', 'taken_up', 'rejected']]);
  // confirming again removes the mark; undo twice gives back the exact state before the mark
  const back = await decideLink(ctx, { plan: planId, source, target: 'E1D2', decision: 'confirm' });
  assert.deepEqual((await listLinks(ctx, { plan: planId, source })).filter((l) => l.target === null), []);
  assert.equal((await undoLinkDecision(ctx, { plan: planId, link: back.id }))?.status, 'rejected');
  assert.equal(await undoLinkDecision(ctx, { plan: planId, link: mark.id }), null, 'la marque créée par la décision disparaît');
  assert.deepEqual(await listLinks(ctx, { plan: planId, source }), beforeMark);
  await assert.rejects(undoLinkDecision(ctx, { plan: planId, link: mark.id }), (e: UserError) => e.code === 'not_found');

  // the audit holds codes, kinds and note lengths, never the note's words
  const entries = (await listAudit(store)).filter((e) => e.action.startsWith('link.'));
  assert.deepEqual(entries.map((e) => e.action).reverse(), ['link.confirm', 'link.confirm', 'link.not_taken_up', 'link.confirm', 'link.undo', 'link.undo']);
  assert.ok(entries.every((e) => !JSON.stringify(e).includes('salarié') && !JSON.stringify(e).includes('champ de l’ARS')));
  assert.ok(JSON.stringify(entries.at(-1)!.after).includes(`"noteLength":${'Le volet salarié n’est pas repris.'.length}`));
});

storeTest('decidedLinks : le public ne voit que les liens décidés de sources publiques (contributions publiées, idées publiques, éléments du plan)', async (store) => {
  const { ids, planId } = await setup(store);
  const ctx = context(store, ANALYST, NOW);
  const [a, b] = [ids[1]!, ids[3]!];
  await store.saveIdeaGroups('essai', [
    { id: 'g1', consultation: 'essai', parent: null, label: 'Urgences', labelByHuman: true, members: [{ contribution: b, provenance: { by: 'model', model: 'essai', version: '1', at: AT } }], quotes: [b], lineage: [] },
  ]);
  await decideLink(ctx, { plan: planId, source: { kind: 'contribution', id: a }, target: 'E1D1O1', decision: 'confirm' });
  await decideLink(ctx, { plan: planId, source: { kind: 'contribution', id: b }, decision: 'national' });
  await decideLink(ctx, { plan: planId, source: { kind: 'idea', id: 'g1' }, target: 'E1D2O1', decision: 'confirm' });
  await decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '1' }, target: 'E1D2O1', decision: 'confirm' });
  const rejected = await decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '0' }, target: 'E1D1O1', decision: 'confirm' });
  await decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '0' }, target: rejected.target, decision: 'reject' });
  const visitor = context(store, VISITOR, NOW);
  const view = async () => (await decidedLinks(visitor, { plan: planId, publicOnly: true })).map((l) => `${l.source.kind}:${l.source.id}→${l.target ?? l.kind}`);
  assert.deepEqual(await view(), ['planItem:1→E1D2O1'], 'imports en attente de modération : rien de public');
  await moderateContribution(ctx, { id: a, action: 'publish' });
  await moderateContribution(ctx, { id: b, action: 'publish' });
  assert.deepEqual(await view(), [`contribution:${a}→E1D1O1`, `contribution:${b}→national`, 'idea:g1→E1D2O1', 'planItem:1→E1D2O1']);
  assert.equal((await decidedLinks(ctx, { consultation: 'essai', publicOnly: false })).length, 4);
  await assert.rejects(decidedLinks(visitor, { plan: planId, publicOnly: false }), (e: UserError) => e.code === 'forbidden');
});

storeTest('liens : une analyse qui réécrit les idées supprime ceux des idées disparues ; un code corrigé emporte ses liens ; une consultation supprimée laisse ceux du plan', async (store) => {
  const { ids, planId } = await setup(store);
  const ctx = context(store, ANALYST, NOW);
  const member = (id: string) => ({ contribution: id, provenance: { by: 'model' as const, model: 'essai', version: '1', at: AT } });
  const group = (id: string, label: string, c: string) => ({ id, consultation: 'essai', parent: null, label, labelByHuman: false, members: [member(c)], quotes: [c], lineage: [] });
  await store.saveIdeaGroups('essai', [group('g1', 'Médecins', ids[0]!), group('g2', 'Urgences', ids[2]!)]);
  await decideLink(ctx, { plan: planId, source: { kind: 'idea', id: 'g1' }, target: 'E1D1O1', decision: 'confirm' });
  await decideLink(ctx, { plan: planId, source: { kind: 'idea', id: 'g2' }, target: 'E1D2O1', decision: 'confirm' });
  await decideLink(ctx, { plan: planId, source: { kind: 'planItem', id: '1' }, target: 'E1D2O1', decision: 'confirm' });
  // a new analysis keeps g1 (its id inherited) and not g2
  const saved = await saveAnalysis(store, {
    consultation: 'essai', expectedVersion: await analysisVersion(store, 'essai'), at: AT, models: [], themes: [], kinds: [],
    groups: [group('g1', 'Médecins traitants', ids[0]!)], audit: { actor: 'cli', themes: {}, kinds: {} },
  });
  assert.equal(saved.outcome, 'saved');
  assert.deepEqual((await store.db.selectFrom('plan_links').select('source_id').where('source_kind', '=', 'idea').execute()).map((r) => r.source_id), ['g1']);
  assert.equal((await store.db.selectFrom('plan_link_history').select('id').where('source_id', '=', 'g2').execute()).length, 0, 'son historique aussi');
  assert.equal((((await listAudit(store)).find((e) => e.action === 'groups.analyze')!.after) as { linksRemoved?: number }).linksRemoved, 1);

  // E1D2 → E1D3: E1D2O1 becomes E1D3O1, and so do its links
  await correctPlanElement(ctx, { plan: planId, code: 'E1D2', field: 'code', value: 'E1D3' });
  assert.deepEqual((await listLinks(ctx, { plan: planId, source: { kind: 'planItem', id: '1' } })).map((l) => l.target), ['E1D3O1']);

  await deleteConsultationCase(store, 'essai', { actor: 'cli', at: AT });
  const left = await listPlanLinks(store, { planId });
  assert.deepEqual(left.map((l) => [l.source.kind, l.source.id, l.consultation]), [['planItem', '1', null]], 'le plan reste, sans consultation, avec ses liens');
});

storeTest('decideLink : deux décisions identiques en même temps, une seule passe (l’autre : conflit), une seule ligne', async (store) => {
  const { ids, planId } = await setup(store);
  const ctx = context(store, ANALYST, NOW);
  const source = { kind: 'contribution' as const, id: ids[1]! };
  const results = await Promise.allSettled([0, 1].map(() => decideLink(ctx, { plan: planId, source, target: 'E1D2O2', decision: 'confirm' })));
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
  assert.equal((refused.reason as UserError).code, 'conflict');
  assert.equal((await listLinks(ctx, { plan: planId, source })).length, 1);
});
