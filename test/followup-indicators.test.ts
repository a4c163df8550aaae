/**
 * Follow-up indicators (issue 15, item 2), on SQLite and PostgreSQL: the OQOS rows of a stored plan become
 * indicators (the two schemes of ../shared/corpus, never copied here, and a small made-up plan), a measurement
 * shows the progress towards the target, every write is audited, French validation errors, a visitor cannot write.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { indicatorProgress, isIndicatorDate, targetLabel, type IndicatorTarget } from '../src/domain/followup-indicators.ts';
import { UserError } from '../src/domain/errors.ts';
import type { ParsedPlan } from '../src/ingest/plan/index.ts';
import type { OqosRow, OqosValue } from '../src/ingest/plan/types.ts';
import { listAudit } from '../src/store/audit.ts';
import type { Store } from '../src/store/index.ts';
import { CLI_ACTOR, context, VISITOR } from '../src/usecases/context.ts';
import { addIndicator, addMeasurement, listIndicators, oqosIndicators, oqosMapping } from '../src/usecases/followup-indicators.ts';
import { correctPlanElement, importPlan } from '../src/usecases/plan.ts';
import { runCli } from './helpers/cli.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';
import { corpusPlans } from './helpers/corpus-plans.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { storeTest } from './helpers/stores.ts';

const LOT = 'sts-lot-2023-2028.txt';
const LOZERE = 'sts-lozere-2023-2028.md';
const skip = corpusSkip(LOT, LOZERE);
const NOW = () => new Date('2026-12-01T10:00:00.000Z');
const ANALYST = { name: 'analyste@ars.test', role: 'analyst' as const };

const { files, cached } = corpusPlans([LOT, LOZERE], skip);

function corpusStoreTest(name: string, fn: (store: Store) => Promise<void>): void {
  if (skip) test(name, { skip }, () => {});
  else storeTest(name, fn);
}

// ---- a made-up plan with OQOS rows of every kind (values written for the tests) ----
const int = (value: number): OqosValue => ({ kind: 'integer', value, raw: String(value) });
const row = (modalite: string, existing: OqosValue | null, target: OqosValue | null, i: number): OqosRow => ({
  activity: 'Activité de soins Traitement de l’insuffisance rénale chronique', activityIndex: 1,
  table: 'Objectifs quantitatifs de l’offre de soins', tableIndex: 1, regime: null, zone: '46',
  modalite, mention: null, mentionNA: false, group: null, existing, target,
  cells: [], starred: false, raw: `${modalite} ${existing?.raw ?? ''} ${target?.raw ?? ''}`,
  source: { documentId: 'plan-essai', file: 'sts-essai.md', lineStart: 100 + i, lineEnd: 100 + i },
});
function smallPlan(): ParsedPlan {
  const p = linkTestPlan();
  p.oqos = [
    row('Unité de dialyse médicalisée', int(2), int(5), 0),
    row('Dialyse en centre', int(1), int(1), 1),
    row('Chirurgie oncologique', int(0), { kind: 'range', min: 0, max: 1, raw: '0/1' }, 2),
    row('Curiethérapie', { kind: 'not_applicable', raw: '-' }, int(0), 3),
    row('Centre de crise', { kind: 'missing', raw: '' }, int(1), 4),
    row('Hospitalisation complète', int(6), null, 5),
    row('Toutes modalités', null, int(6), 6),
  ];
  return p;
}
async function importSmall(store: Store): Promise<string> {
  const r = await importPlan(context(store, CLI_ACTOR, NOW), { bytes: new TextEncoder().encode('plan indicateurs'), fileName: 'sts-essai.md' }, async () => smallPlan());
  return r.planId;
}

const rejects = (p: Promise<unknown>, code: string, message: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof UserError && e.code === code && message.test(e.message));

// ---- pure rules ----

test('progress: baseline 2, target 5, latest 3 → 1 of 3 additional implantations (33 %)', () => {
  const ind = { baseline: { value: 2, date: null, source: 's', sourceRef: null }, target: { kind: 'value', value: 5 } as IndicatorTarget, unit: 'implantations' };
  const m = (value: number, date: string, enteredAt = '2026-01-01T00:00:00Z') => ({ value, date, enteredAt });
  const p = indicatorProgress(ind, [m(4, '2025-01-01'), m(3, '2026-06-01')]);
  assert.deepEqual([p.status, p.reached, p.needed, p.percent, p.latest], ['en_progres', 1, 3, 33, { value: 3, date: '2026-06-01' }]);
  assert.equal(p.label, '1 sur 3 implantations supplémentaires (33 %)');
  assert.equal(indicatorProgress(ind, []).status, 'sans_mesure');
  assert.equal(indicatorProgress(ind, [m(5, '2026-01-01')]).status, 'atteint');
  assert.equal(indicatorProgress(ind, [m(7, '2026-01-01')]).reached, 3, 'never above what is needed');
  const down = indicatorProgress(ind, [m(1, '2026-01-01')]);
  assert.deepEqual([down.status, down.reached, down.percent], ['en_recul', 0, 0]);
  // same day: the later entry (a correction) wins
  assert.equal(indicatorProgress(ind, [m(4, '2026-01-01', '2026-01-02T00:00:00Z'), m(3, '2026-01-01', '2026-01-01T00:00:00Z')]).latest?.value, 4);
  // a decrease
  const fewer = indicatorProgress({ ...ind, baseline: { ...ind.baseline, value: 10 }, target: { kind: 'value', value: 4 }, unit: 'lits' }, [m(7, '2026-01-01')]);
  assert.equal(fewer.label, '3 sur 6 lits en moins (50 %)');
});

test('progress: maintenance, ranges and directions', () => {
  const base = (value: number) => ({ value, date: null, source: 's', sourceRef: null });
  const m = (value: number) => [{ value, date: '2026-01-01', enteredAt: '2026-01-01T00:00:00Z' }];
  const keep = { baseline: base(1), target: { kind: 'value', value: 1 } as IndicatorTarget, unit: 'implantations' };
  assert.equal(indicatorProgress(keep, m(1)).status, 'atteint');
  assert.equal(indicatorProgress(keep, m(0)).status, 'hors_cible');
  const range = { baseline: base(0), target: { kind: 'range', min: 0, max: 1 } as IndicatorTarget, unit: 'implantations' };
  assert.equal(targetLabel(range.target, range.unit), 'entre 0 et 1 implantations');
  assert.equal(indicatorProgress(range, m(1)).status, 'atteint');
  assert.equal(indicatorProgress(range, m(2)).status, 'hors_cible', 'above the range');
  const towards = { baseline: base(0), target: { kind: 'range', min: 2, max: 3 } as IndicatorTarget, unit: '' };
  const t = indicatorProgress(towards, m(1));
  assert.deepEqual([t.status, t.reached, t.needed, t.percent], ['en_progres', 1, 2, 50]);
  assert.equal(indicatorProgress(towards, m(3)).status, 'atteint');
  assert.equal(indicatorProgress(towards, m(5)).status, 'hors_cible', 'passed beyond the range');
  const up = { baseline: base(80), target: { kind: 'direction', direction: 'hausse' } as IndicatorTarget, unit: '%' };
  assert.deepEqual([indicatorProgress(up, m(82)).status, indicatorProgress(up, m(80)).status, indicatorProgress(up, m(70)).status], ['en_progres', 'stable', 'en_recul']);
  assert.equal(indicatorProgress(up, m(82)).percent, null);
  assert.equal(targetLabel({ kind: 'direction', direction: 'baisse' }, '%'), 'à la baisse');
  assert.equal(isIndicatorDate('2026-02-30', { yearAllowed: false }), false);
  assert.equal(isIndicatorDate('2028', { yearAllowed: true }), true);
  assert.equal(isIndicatorDate('2028', { yearAllowed: false }), false);
});

test('OQOS mapping: integers and ranges kept, « - », blank cells and one-sided rows skipped', () => {
  assert.deepEqual(oqosMapping({ existing: int(2), target: int(5) }), { baseline: 2, target: { kind: 'value', value: 5 } });
  assert.deepEqual(oqosMapping({ existing: int(0), target: { kind: 'range', min: 0, max: 1, raw: '0/1' } }), { baseline: 0, target: { kind: 'range', min: 0, max: 1 } });
  assert.deepEqual(oqosMapping({ existing: { kind: 'not_applicable', raw: '-' }, target: int(0) }), { skip: 'not_applicable' });
  assert.deepEqual(oqosMapping({ existing: int(1), target: { kind: 'missing', raw: '' } }), { skip: 'missing' });
  assert.deepEqual(oqosMapping({ existing: { kind: 'range', min: 1, max: 3, raw: '1 / 3' }, target: int(2) }), { skip: 'existing_range' });
  assert.deepEqual(oqosMapping({ existing: null, target: int(2) }), { skip: 'no_existing' });
  assert.deepEqual(oqosMapping({ existing: int(2), target: null }), { skip: 'no_target' });
  assert.deepEqual(oqosMapping({ existing: null, target: null }), { skip: 'no_values' });
});

// ---- stored ----

storeTest('OQOS indicators of a plan: created once, dialysis 2 → 5 with a measurement of 3 is 1 of 3 reached, audited', async (store) => {
  const planId = await importSmall(store);
  const ctx = context(store, ANALYST, NOW);
  const r = await oqosIndicators(ctx, { plan: planId });
  assert.deepEqual([r.rows, r.created, r.alreadyThere, r.skipped.total], [7, 3, 0, 4]);
  assert.deepEqual(r.skipped.reasons.map((s) => [s.reason, s.count]), [['no_existing', 1], ['no_target', 1], ['not_applicable', 1], ['missing', 1]]);
  const again = await oqosIndicators(ctx, { plan: planId });
  assert.deepEqual([again.created, again.alreadyThere], [0, 3], 'idempotent');

  const { indicators } = await listIndicators(context(store, VISITOR, NOW), { plan: planId });
  assert.equal(indicators.length, 3);
  const dialysis = indicators[0]!;
  assert.equal(dialysis.label, 'Traitement de l’insuffisance rénale chronique — Unité de dialyse médicalisée');
  assert.deepEqual([dialysis.baseline.value, dialysis.target, dialysis.unit, dialysis.dueDate, dialysis.origin, dialysis.territory],
    [2, { kind: 'value', value: 5 }, 'implantations', '2028', 'oqos', '46']);
  assert.deepEqual(dialysis.baseline.sourceRef, { documentId: 'plan-essai', file: 'sts-essai.md', lineStart: 100, lineEnd: 100 });
  assert.match(dialysis.baseline.source, /OQOS.*« existant » 2, « cible » 5/);
  assert.deepEqual(indicators[2]!.target, { kind: 'range', min: 0, max: 1 });
  assert.equal(dialysis.progress.status, 'sans_mesure');

  const m = await addMeasurement(ctx, { indicator: dialysis.id, value: 3, date: '2026-06-30', source: 'autorisation ARS' });
  assert.equal(m.enteredBy, ANALYST.name);
  const after = (await listIndicators(ctx, { plan: planId })).indicators[0]!;
  assert.deepEqual([after.progress.reached, after.progress.needed, after.progress.percent], [1, 3, 33]);
  assert.equal(after.progress.label, '1 sur 3 implantations supplémentaires (33 %)');
  assert.deepEqual(after.measurements.map((x) => [x.value, x.date, x.source]), [[3, '2026-06-30', 'autorisation ARS']]);

  const audit = await listAudit(store, {});
  const actions = audit.map((a) => a.action);
  assert.equal(actions.filter((a) => a === 'indicator.oqos').length, 1, 'one entry: the second run wrote nothing');
  assert.ok(actions.includes('indicator.measure'));
});

storeTest('manual indicator and measurements: French validation errors, a visitor cannot write', async (store) => {
  const planId = await importSmall(store);
  const ctx = context(store, ANALYST, NOW);
  const base = { plan: planId, label: 'Part des patients avec un médecin traitant', unit: '%', objective: 'E1D1O1', baseline: { value: 88, date: '2023', source: 'Chiffres clés de l’objectif' } };
  const ind = await addIndicator(ctx, { ...base, target: { direction: 'hausse' } });
  assert.deepEqual([ind.origin, ind.objectiveCode, ind.dueDate, ind.target], ['manual', 'E1D1O1', '2028', { kind: 'direction', direction: 'hausse' }]);
  const ranged = await addIndicator(ctx, { ...base, objective: null, target: { min: 90, max: 95 }, dueDate: '2027-12-31' });
  assert.equal(ranged.dueDate, '2027-12-31');

  await rejects(addIndicator(ctx, { ...base, label: '  ', target: { value: 1 } }), 'invalid', /Indiquez le libellé de l’indicateur/);
  await rejects(addIndicator(ctx, { ...base, objective: 'E9D9O9', target: { value: 1 } }), 'invalid', /ne contient pas d’objectif ni de défi « E9D9O9 »/);
  await rejects(addIndicator(ctx, { ...base, target: { min: 5, max: 2 } }), 'invalid', /fourchette cible est inversée/);
  await rejects(addIndicator(ctx, { ...base, target: { direction: 'stable' } }), 'invalid', /Tendance inconnue : « stable »/);
  await rejects(addIndicator(ctx, { ...base, target: { value: Number.NaN } }), 'invalid', /La valeur cible doit être un nombre/);
  await rejects(addIndicator(ctx, { ...base, baseline: { value: 1, source: '' }, target: { value: 2 } }), 'invalid', /Indiquez la source de la valeur de départ/);
  await rejects(addIndicator(ctx, { ...base, dueDate: '31/12/2028', target: { value: 2 } }), 'invalid', /L’échéance n’est pas une date valide/);
  await rejects(addIndicator(ctx, { ...base, plan: 'sts-99-inconnu', target: { value: 2 } }), 'not_found', /Aucun schéma territorial de santé importé/);

  await rejects(addMeasurement(ctx, { indicator: ind.id, value: 90, date: '2027-01-01' }), 'invalid', /est dans le futur/);
  await rejects(addMeasurement(ctx, { indicator: ind.id, value: 90, date: '2026-13-01' }), 'invalid', /La date de la mesure n’est pas une date valide/);
  await rejects(addMeasurement(ctx, { indicator: ind.id, value: Number.NaN, date: '2026-01-01' }), 'invalid', /La valeur mesurée doit être un nombre/);
  await rejects(addMeasurement(ctx, { indicator: 'ind-inconnu', value: 1, date: '2026-01-01' }), 'not_found', /Indicateur de suivi inconnu/);

  const visitor = context(store, VISITOR, NOW);
  await rejects(addIndicator(visitor, { ...base, target: { value: 95 } }), 'forbidden', /Seuls un analyste ou un administrateur/);
  await rejects(addMeasurement(visitor, { indicator: ind.id, value: 90, date: '2026-01-01' }), 'forbidden', /Seuls un analyste ou un administrateur/);
  await rejects(oqosIndicators(context(store, { name: 'animatrice@ars.test', role: 'facilitator' }, NOW), { plan: planId }), 'forbidden', /Seuls/);

  await addMeasurement(ctx, { indicator: ind.id, value: 90, date: '2026-01-15' });
  const listed = (await listIndicators(visitor, { plan: planId })).indicators;
  assert.deepEqual(listed.map((i) => i.id), [ind.id, ranged.id]);
  assert.equal(listed[0]!.progress.status, 'en_progres');
  assert.equal(listed[0]!.measurements[0]!.source, 'saisie manuelle');
  const entries = (await listAudit(store, {})).filter((a) => a.action.startsWith('indicator.'));
  assert.deepEqual(entries.map((a) => a.action).sort(), ['indicator.add', 'indicator.add', 'indicator.measure']);
  assert.ok(entries.every((a) => a.actor === ANALYST.name));
});

storeTest('a new file of the scheme replaces the plan: its indicators and measurements move with it, no duplicate', async (store) => {
  const planId = await importSmall(store);
  const ctx = context(store, ANALYST, NOW);
  await oqosIndicators(ctx, { plan: planId });
  const manual = await addIndicator(ctx, { plan: planId, label: 'Délai d’accès', unit: 'jours', objective: 'E1D1O2', baseline: { value: 30, source: 'constat' }, target: { value: 15 } });
  const dialysis = (await listIndicators(ctx, { plan: planId })).indicators[0]!;
  await addMeasurement(ctx, { indicator: dialysis.id, value: 3, date: '2026-06-30' });
  // the newer file prints a new row first (positions shift) and drops objective E1D1O2
  const newer = linkTestPlan('second');
  newer.oqos = [row('Hémodialyse à domicile', int(1), int(2), 9), ...smallPlan().oqos];
  const r = await importPlan(context(store, CLI_ACTOR, NOW), { bytes: new TextEncoder().encode('plan indicateurs v2'), fileName: 'sts-essai.md' }, async () => newer);
  assert.deepEqual([r.outcome, r.replaced], ['replaced', [planId]]);
  const moved = (await listIndicators(ctx, { plan: r.planId })).indicators;
  assert.equal(moved.length, 4);
  const d = moved.find((i) => i.id === dialysis.id)!;
  assert.deepEqual([d.planId, d.progress.label], [r.planId, '1 sur 3 implantations supplémentaires (33 %)']);
  assert.equal(moved.find((i) => i.id === manual.id)!.objectiveCode, null, 'an objective the new plan lacks is cleared');
  const again = await oqosIndicators(ctx, { plan: r.planId });
  assert.deepEqual([again.created, again.alreadyThere], [1, 3], 'only the new row is added');
});

storeTest('an objective code corrected in the plan is corrected on its indicators', async (store) => {
  const planId = await importSmall(store);
  const ctx = context(store, ANALYST, NOW);
  const ind = await addIndicator(ctx, { plan: planId, label: 'Installations', objective: 'E1D1O1', baseline: { value: 3, source: 'constat' }, target: { value: 6 } });
  await correctPlanElement(ctx, { plan: planId, code: 'E1D1', field: 'code', value: 'E1D3' });
  const after = (await listIndicators(ctx, { plan: planId })).indicators.find((i) => i.id === ind.id)!;
  assert.equal(after.objectiveCode, 'E1D3O1');
});

corpusStoreTest('the Lot and Lozère OQOS rows become indicators (35 each), the others skipped by reason', async (store) => {
  const ctx = context(store, CLI_ACTOR, NOW);
  const lot = await importPlan(ctx, { bytes: files.get(LOT)!.bytes, fileName: LOT }, cached);
  const loz = await importPlan(ctx, { bytes: files.get(LOZERE)!.bytes, fileName: LOZERE }, cached);
  const r1 = await oqosIndicators(ctx, { plan: lot.planId });
  // 151 rows: the bilan and the target tables print « existant » and « cible » on different rows; only the
  // tables printing both on one row (urgences, dialyse, gynécologie-obstétrique, USLD, AMP, diagnostic prénatal) count
  assert.deepEqual([r1.rows, r1.created, r1.skipped.total], [151, 35, 116]);
  assert.deepEqual(r1.skipped.reasons.map((s) => [s.reason, s.count]), [['no_values', 15], ['no_existing', 68], ['no_target', 33]]);
  const r2 = await oqosIndicators(ctx, { plan: loz.planId });
  assert.deepEqual([r2.rows, r2.created, r2.skipped.total], [151, 35, 116]);
  assert.deepEqual(r2.skipped.reasons.map((s) => [s.reason, s.count]), [['no_values', 15], ['no_existing', 68], ['no_target', 33]]);

  const lotInds = (await listIndicators(ctx, { plan: lot.planId })).indicators;
  const udm = lotInds.filter((i) => /Unité de dialyse médicalisée/.test(i.label));
  assert.equal(udm.length, 1);
  assert.deepEqual([udm[0]!.baseline.value, udm[0]!.target, udm[0]!.dueDate], [2, { kind: 'value', value: 5 }, '2028']);
  assert.ok((udm[0]!.baseline.sourceRef?.lineStart ?? 0) > 0, 'the line of the OQOS row in the plan');
  await addMeasurement(ctx, { indicator: udm[0]!.id, value: 3, date: '2026-11-15', source: 'autorisation' });
  const p = (await listIndicators(ctx, { plan: lot.planId })).indicators.find((i) => i.id === udm[0]!.id)!.progress;
  assert.equal(p.label, '1 sur 3 implantations supplémentaires (33 %)');
  assert.equal((await oqosIndicators(ctx, { plan: lot.planId })).created, 0);
});

// ---- command line ----
const dir = mkdtempSync(join(tmpdir(), 'fabrique-indicators-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('fabrique indicator oqos / add / measure / list', { skip }, async () => {
  const env = { FABRIQUE_DB: join(dir, 'cli.sqlite') };
  assert.equal((await runCli(['import', join(CORPUS_DIR, LOT), '--plan'], env)).code, 0);
  const oqos = await runCli(['indicator', 'oqos', '--plan', 'Lot'], env);
  assert.equal(oqos.code, 0, oqos.stderr);
  assert.match(oqos.stdout, /35 indicateurs créés depuis les OQOS/);
  assert.match(oqos.stdout, /116 lignes écartées/);
  const list = JSON.parse((await runCli(['indicator', 'list', '--plan', 'Lot', '--json'], env)).stdout) as { planId: string; indicators: { id: string; label: string }[] };
  const udm = list.indicators.find((i) => /Unité de dialyse médicalisée/.test(i.label))!;
  const measured = await runCli(['indicator', 'measure', udm.id, '--value', '3', '--date', '2026-01-10'], env);
  assert.equal(measured.code, 0, measured.stderr);
  const text = await runCli(['indicator', 'list', '--plan', list.planId], env);
  assert.match(text.stdout, /1 sur 3 implantations supplémentaires \(33 %\)/);
  const add = await runCli(['indicator', 'add', '--plan', 'Lot', '--label', 'Taux de vaccination', '--unit', '%', '--baseline', '61,5', '--baseline-source', 'constat', '--target', '75', '--json'], env);
  assert.equal(add.code, 0, add.stderr);
  assert.equal((JSON.parse(add.stdout) as { baseline: { value: number } }).baseline.value, 61.5);
  const bad = await runCli(['indicator', 'measure', udm.id, '--value', 'trois', '--date', '2026-01-10'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /La valeur mesurée doit être un nombre/);
  const two = await runCli(['indicator', 'add', '--plan', 'Lot', '--label', 'x', '--baseline', '1', '--baseline-source', 's', '--target', '2', '--direction', 'hausse'], env);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /une cible et une seule/);
});
