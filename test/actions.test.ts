/**
 * Follow-up actions (issue 15, item 1) on SQLite and PostgreSQL: the « En pratique » items of the two schémas
 * of the corpus (../shared/corpus, never copied here) imported as proposed actions with their source spans,
 * idempotently; an update flow with its timeline and the objective's and plan's progress; who may update.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UserError } from '../src/domain/errors.ts';
import { actionProgress, aggregateProgress, mayTransition, parseActionStatus, suggestPartners, type ProgressNode } from '../src/domain/followup.ts';
import { listTimeline } from '../src/store/actions.ts';
import { listAudit } from '../src/store/audit.ts';
import type { Store } from '../src/store/index.ts';
import { actionTitle, createAction, getAction, importPlanActions, listActions, updateAction } from '../src/usecases/actions.ts';
import { CLI_ACTOR, context, VISITOR, type Actor } from '../src/usecases/context.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { runCli } from './helpers/cli.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';
import { corpusPlans } from './helpers/corpus-plans.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { storeTest } from './helpers/stores.ts';

const LOT = 'sts-lot-2023-2028.txt';
const LOZERE = 'sts-lozere-2023-2028.md';
const skip = corpusSkip(LOT, LOZERE);
const ANALYST: Actor = { name: 'analyste@example.org', role: 'analyst' };
const FACILITATOR: Actor = { name: 'animatrice@example.org', role: 'facilitator' };

const { files, cached } = corpusPlans([LOT, LOZERE], skip);
let tick = 0;
const NOW = () => new Date(Date.UTC(2026, 11, 1, 10, 0, tick++));

function corpusStoreTest(name: string, fn: (store: Store) => Promise<void>): void {
  if (skip) test(name, { skip }, () => {});
  else storeTest(name, fn);
}

async function importOne(store: Store, name: string): Promise<string> {
  const r = await importPlan(context(store, CLI_ACTOR, NOW), { bytes: files.get(name)!.bytes, fileName: name }, cached);
  return r.planId;
}

corpusStoreTest('actions import: 91 proposed actions under the Lot’s 19 objectives, 37 under the Lozère’s 13 with the displaced lines reported; a second run creates nothing', async (store) => {
  const ctx = context(store, ANALYST, NOW);
  const lot = await importOne(store, LOT);
  const lozere = await importOne(store, LOZERE);

  const r1 = await importPlanActions(ctx, { plan: lot });
  assert.equal(r1.created, 91);
  assert.equal(Object.keys(r1.byObjective).length, 19);
  assert.deepEqual(r1.displaced, []);
  const listed = await listActions(ctx, { plan: lot });
  assert.equal(listed.actions.length, 91);
  assert.equal(listed.objectives.length, 19);
  assert.ok(listed.objectives.every((o) => o.actions > 0 && o.byStatus.proposee === o.actions), 'chaque objectif a ses actions, toutes proposées');
  const parsedLot = files.get(LOT)!.plan.plan.engagements.flatMap((e) => e.defis.flatMap((d) => d.objectives));
  for (const o of parsedLot) {
    const mine = listed.actions.filter((a) => a.objectiveCode === o.code);
    assert.deepEqual(mine.map((a) => a.description).sort(), o.actions.map((a) => a.text).sort(), `${o.code} : un item, une action`);
    for (const a of mine) {
      const item = o.actions.find((x) => x.text === a.description)!;
      assert.deepEqual(a.source, JSON.parse(JSON.stringify(item.source)), 'la plage source de l’item');
      assert.ok(a.source!.lineStart! > 0 && a.source!.lineEnd! >= a.source!.lineStart!);
      assert.equal(a.status, 'proposee');
      assert.deepEqual(a.owner, { organisation: null, contact: null }, 'le porteur n’est jamais déduit du texte');
      assert.ok(a.title.length > 0 && a.title.length <= 161);
    }
  }
  assert.ok(listed.actions.some((a) => a.partners.includes('CPTS')), 'des partenaires suggérés depuis le texte');
  assert.equal(listed.progress, 0);

  const r2 = await importPlanActions(ctx, { plan: lot });
  assert.deepEqual([r2.created, r2.existing], [0, 91]);
  assert.equal((await listActions(ctx, { plan: lot })).actions.length, 91);
  assert.equal((await listAudit(store)).filter((e) => e.action === 'actions.import').length, 1, 'une seule importation auditée');

  const z = await importPlanActions(ctx, { plan: lozere });
  assert.equal(z.created, 37);
  assert.equal(Object.keys(z.byObjective).length, 13);
  assert.deepEqual(z.displaced.map((d) => d.placement).sort(), ['displaced', 'displaced', 'displaced', 'orphan', 'orphan']);
  assert.ok(z.displaced.every((d) => d.actionId === null && d.source.lineStart! > 0), 'signalées avec leur ligne, pas importées');
  // once checked, the displaced lines come in too, the others untouched
  const z2 = await importPlanActions(ctx, { plan: lozere, includeDisplaced: true });
  assert.deepEqual([z2.created, z2.existing], [5, 37]);
  assert.ok(z2.displaced.every((d) => d.actionId !== null));
  assert.equal((await listActions(ctx, { plan: lot })).actions.length, 91, 'les plans restent séparés');
});

corpusStoreTest('actions update: owner, « en cours » then « réalisée », a timeline entry each, objective and plan progress move; visitors and facilitators may not', async (store) => {
  const ctx = context(store, ANALYST, NOW);
  const lot = await importOne(store, LOT);
  await importPlanActions(ctx, { plan: lot });
  const first = (await listActions(ctx, { plan: lot })).actions[0]!;
  const objective = first.objectiveCode;
  const siblings = (await listActions(ctx, { plan: lot, objective })).actions.length;
  assert.ok(siblings > 1);

  for (const actor of [VISITOR, FACILITATOR]) {
    await assert.rejects(updateAction(context(store, actor, NOW), { action: first.id, status: 'en cours' }),
      (e: unknown) => e instanceof UserError && e.code === 'forbidden');
    await assert.rejects(importPlanActions(context(store, actor, NOW), { plan: lot }), (e: unknown) => e instanceof UserError && e.code === 'forbidden');
  }
  await assert.rejects(listActions(context(store, VISITOR, NOW), { plan: lot }), (e: unknown) => e instanceof UserError && e.code === 'forbidden');

  await updateAction(ctx, { action: first.id, owner: { organisation: 'CPTS du Nord', contact: 'Coordinatrice' } });
  await assert.rejects(updateAction(ctx, { action: first.id, status: 'réalisée' }), (e: unknown) => e instanceof UserError && e.code === 'conflict', 'pas de « réalisée » sans « en cours »');
  await updateAction(ctx, { action: first.id, status: 'en cours', progress: 40, startDate: '2027-01-15', comment: 'Premières réunions tenues.' });
  let list = await listActions(ctx, { plan: lot, objective });
  const o1 = list.objectives[0]!.progress!;
  assert.equal(o1, Math.round((40 / siblings) * 10) / 10);
  const plan1 = (await listActions(ctx, { plan: lot })).progress!;
  assert.equal(plan1, Math.round((40 / 91) * 10) / 10);
  const done = await updateAction(ctx, { action: first.id, status: 'realisee' });
  assert.deepEqual(done.changed.sort(), ['progress', 'status']);
  assert.equal(done.action.progress, 100, 'réalisée : 100 %');
  list = await listActions(ctx, { plan: lot, objective });
  assert.ok(list.objectives[0]!.progress! > o1);
  assert.equal(list.objectives[0]!.byStatus.realisee, 1);
  assert.ok((await listActions(ctx, { plan: lot })).progress! > plan1);
  // nothing changed, nothing written
  assert.deepEqual((await updateAction(ctx, { action: first.id, status: 'réalisée' })).changed, []);

  const { action, timeline } = await getAction(ctx, first.id);
  assert.deepEqual(action.owner, { organisation: 'CPTS du Nord', contact: 'Coordinatrice' });
  assert.deepEqual(timeline.map((t) => t.kind), ['created', 'updated', 'updated', 'updated']);
  assert.deepEqual(timeline[1]!.changes, { owner: { before: { organisation: null, contact: null }, after: { organisation: 'CPTS du Nord', contact: 'Coordinatrice' } } });
  assert.deepEqual(timeline[2]!.changes.status, { before: 'proposee', after: 'en_cours' });
  assert.deepEqual(timeline[2]!.changes.progress, { before: null, after: 40 });
  assert.equal(timeline[2]!.comment, 'Premières réunions tenues.');
  assert.deepEqual(timeline[3]!.changes, { status: { before: 'en_cours', after: 'realisee' }, progress: { before: 40, after: 100 } });
  assert.ok(timeline.every((t, i) => i === 0 || t.at > timeline[i - 1]!.at) && timeline.every((t) => t.actor === ANALYST.name));
  const audits = (await listAudit(store)).filter((e) => e.action === 'action.update');
  assert.equal(audits.length, 3, 'une entrée d’audit par changement');
  assert.ok(audits.every((e) => !JSON.stringify(e).includes('Premières réunions')), 'le commentaire n’est pas recopié dans l’audit');

  // abandoning needs a reason; the reason goes with the status
  const second = (await listActions(ctx, { plan: lot, objective })).actions[1]!;
  await assert.rejects(updateAction(ctx, { action: second.id, status: 'abandonnée' }), (e: unknown) => e instanceof UserError && e.code === 'invalid' && e.field === 'reason');
  const ab = await updateAction(ctx, { action: second.id, status: 'abandonnée', reason: 'Financement non obtenu' });
  assert.equal(ab.action.statusReason, 'Financement non obtenu');
  list = await listActions(ctx, { plan: lot, objective });
  assert.equal(list.objectives[0]!.actions, siblings);
  assert.equal(list.objectives[0]!.progress, Math.round((100 / (siblings - 1)) * 10) / 10, 'une action abandonnée ne compte plus');
  assert.equal((await updateAction(ctx, { action: second.id, status: 'proposée' })).action.statusReason, null);

  // child actions with weights: the parent's progress is theirs, and can no longer be entered
  const third = (await listActions(ctx, { plan: lot, objective })).actions[2]!;
  const c1 = await createAction(ctx, { plan: lot, objective, parent: third.id, weight: 3, title: 'Volet A' });
  const c2 = await createAction(ctx, { plan: lot, objective, parent: third.id, weight: 1, title: 'Volet B' });
  await updateAction(ctx, { action: c1.id, status: 'en cours', progress: 50 });
  await updateAction(ctx, { action: c2.id, status: 'en cours', progress: 10 });
  const views = (await listActions(ctx, { plan: lot, objective })).actions;
  const t3 = views.find((a) => a.id === third.id)!;
  assert.equal(t3.effectiveProgress, 40);
  assert.equal(t3.progressComputed, true);
  await assert.rejects(updateAction(ctx, { action: third.id, progress: 10 }), (e: unknown) => e instanceof UserError && e.code === 'conflict');
  assert.equal((await listActions(ctx, { plan: lot, objective })).objectives[0]!.actions, siblings, 'les sous-actions ne comptent pas comme actions de l’objectif');
  assert.equal((await listTimeline(store, { actionId: c1.id })).length, 2);

  await assert.rejects(updateAction(ctx, { action: first.id, dueDate: '2026-02-30' }), (e: unknown) => e instanceof UserError && e.code === 'invalid');
  await assert.rejects(updateAction(ctx, { action: first.id, dueDate: '2026-12-31' }), (e: unknown) => e instanceof UserError && e.code === 'invalid', 'échéance avant le début');
  await assert.rejects(updateAction(ctx, { action: 'inconnue' }), (e: unknown) => e instanceof UserError && e.code === 'not_found');

  // a new version of the document replaces the plan: its follow-up is carried over, and a new import finds it
  const bytes = new Uint8Array([...files.get(LOT)!.bytes, 0x0a]);
  const replaced = await importPlan(context(store, CLI_ACTOR, NOW), { bytes, fileName: LOT }, cached);
  assert.equal(replaced.outcome, 'replaced');
  const carried = await getAction(ctx, first.id);
  assert.equal(carried.action.planId, replaced.planId);
  assert.equal(carried.action.status, 'realisee');
  assert.equal(carried.timeline.length, 4);
  assert.deepEqual([(await importPlanActions(ctx, { plan: replaced.planId })).created], [0]);
  assert.equal((await listActions(ctx, { plan: replaced.planId })).actions.length, 93);
});

const dir = mkdtempSync(join(tmpdir(), 'fabrique-actions-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('fabrique actions import | list --json | update', { skip }, async () => {
  const env = { FABRIQUE_DB: join(dir, 'cli.sqlite') };
  assert.equal((await runCli(['import', join(CORPUS_DIR, LOZERE), '--plan'], env)).code, 0);
  const imp = await runCli(['actions', 'import', '--plan', '48'], env);
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, /37 actions proposées créées, 0 déjà importée, sous 13 objectifs/);
  assert.equal(imp.stdout.match(/non importée/g)?.length, 5);
  const list = await runCli(['actions', 'list', '--plan', '48', '--json'], env);
  const parsed = JSON.parse(list.stdout) as { actions: { id: string; status: string }[]; progress: number };
  assert.equal(parsed.actions.length, 37);
  const id = parsed.actions[0]!.id;
  const up = await runCli(['actions', 'update', id, '--status', 'en cours', '--owner', 'CPTS', '--progress', '30'], env);
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /status.*modifiés? — en cours, 30 %/);
  const bad = await runCli(['actions', 'update', id, '--status', 'abandonnée'], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /motif de l’abandon/);
  assert.equal((await runCli(['actions', 'update', id, '--progress', 'beaucoup'], env)).code, 2);
  const after2 = JSON.parse((await runCli(['actions', 'list', '--plan', '48', '--json'], env)).stdout) as { progress: number };
  assert.ok(after2.progress > parsed.progress);
});

test('followup domain: transitions, labels, partners, weighted progress', () => {
  assert.ok(mayTransition('proposee', 'en_cours') && mayTransition('en_cours', 'realisee') && !mayTransition('proposee', 'realisee'));
  assert.equal(parseActionStatus('En cours'), 'en_cours');
  assert.equal(parseActionStatus('realisée'), 'realisee');
  assert.equal(parseActionStatus('finie'), null);
  assert.deepEqual(suggestPartners('Appui aux maisons de santé et à la PMI avec le conseil départemental'), ['MSP', 'PMI', 'Département']);
  assert.deepEqual(suggestPartners('Rien à signaler'), []);
  const n = (id: string, parentId: string | null, progress: number | null, weight = 1, status: ProgressNode['status'] = 'en_cours'): ProgressNode => ({ id, parentId, progress, weight, status });
  const nodes = [n('a', null, 20), n('b', null, null, 1, 'realisee'), n('c', null, 99), n('c1', 'c', 0, 1), n('c2', 'c', 100, 3), n('c3', 'c', 100, 5, 'abandonnee'), n('d', null, 0, 2, 'abandonnee')];
  assert.equal(actionProgress('c', nodes), 75);
  assert.equal(actionProgress('b', nodes), 100);
  assert.equal(aggregateProgress(nodes), 65);
  assert.equal(aggregateProgress(nodes, (x) => x.id === 'd'), null);
});

test('an imported action’s title drops the list punctuation of its « En pratique » item', () => {
  assert.equal(actionTitle('Financer des sessions de formation pour les animateurs ;'), 'Financer des sessions de formation pour les animateurs');
  assert.equal(actionTitle('Diffuser un annuaire des lieux d’écoute.'), 'Diffuser un annuaire des lieux d’écoute');
  assert.equal(actionTitle('Organiser des réunions : une par canton.  Puis les évaluer.'), 'Organiser des réunions');
  assert.equal(actionTitle('Former les médecins, les infirmières, etc.'), 'Former les médecins, les infirmières, etc.');
  assert.equal(actionTitle('Ouvrir des lieux d’écoute…'), 'Ouvrir des lieux d’écoute…');
  assert.equal(actionTitle(' ; '), ';', 'rien d’autre que la ponctuation : gardée plutôt qu’un titre vide');
});

storeTest('two simultaneous updates of one action take turns: each timeline entry starts where the previous one ended, no transition skipped', async (store) => {
  const ctx = context(store, ANALYST, NOW);
  const r = await importPlan(ctx, { bytes: new TextEncoder().encode('plan des mises à jour simultanées'), fileName: 'sts-concurrence.md' }, async () => linkTestPlan('first'));
  const a = await createAction(ctx, { plan: r.planId, objective: 'E1D1O1', title: 'Action disputée' });
  await updateAction(ctx, { action: a.id, status: 'en_cours' });
  // from « en cours » each change alone is allowed; one after the other, réalisée → engagée is not
  const results = await Promise.allSettled([updateAction(ctx, { action: a.id, status: 'realisee' }), updateAction(ctx, { action: a.id, status: 'engagee' })]);
  const timeline = await listTimeline(store, { actionId: a.id });
  for (let i = 1; i < timeline.length; i++) {
    const before = timeline[i]!.changes.status?.before, prev = timeline.slice(0, i).reverse().find((e) => e.changes.status)?.changes.status?.after;
    if (before !== undefined) assert.equal(before, prev, `entrée ${i} : l’historique se suit`);
  }
  const done = results.filter((x) => x.status === 'fulfilled').length;
  // whichever comes second starts from the first one's status (réalisée → engagée, engagée → réalisée): refused
  assert.equal(done, 1, 'une seule des deux passe');
  assert.ok(results.some((x) => x.status === 'rejected' && x.reason instanceof UserError && x.reason.code === 'conflict'));
  const final = (await getAction(ctx, a.id)).action.status;
  assert.equal(final, timeline.at(-1)!.changes.status!.after, 'le statut est celui de la dernière entrée');
});
