/**
 * The follow-up funnel and report (issue 15, package FIGURES): the small consultation and scheme of the coverage tests
 * (written for the tests, never from the corpus), its « En pratique » items imported as actions, statuses moved, a
 * measurement entered, a contribution linked; the funnel follows, and every figure of the report verifies against
 * the store (an altered one fails, named).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { strFromU8, unzipSync } from 'fflate';
import { Store as StoreClass } from '../src/store/store.ts';
import { moderateContribution } from '../src/store/moderation.ts';
import { chromiumAvailable } from '../src/synthesis/index.ts';
import { oqosIndicators, listIndicators } from '../src/usecases/followup-indicators.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { runCli } from './helpers/cli.ts';
import { corpusSkip } from './helpers/corpus.ts';
import { corpusPlans } from './helpers/corpus-plans.ts';
import type { Store } from '../src/store/index.ts';
import { createAction, importPlanActions, listActions, updateAction } from '../src/usecases/actions.ts';
import { CLI_ACTOR, context, type Actor } from '../src/usecases/context.ts';
import { followupFunnel, followupReport } from '../src/usecases/followup-report.ts';
import { addIndicator, addMeasurement } from '../src/usecases/followup-indicators.ts';
import { followupDashboard } from '../src/usecases/followup-dashboard.ts';
import { verifySynthesis, renderUnverified, renderMarkdown, type SynthesisDocument } from '../src/synthesis/index.ts';
import type { FollowupDocument } from '../src/synthesis/followup.ts';
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
  // another contribution linked to E1D2O4 (the constat whose link was only suggested): the objective and its done action are back
  await decideLink(context(store, CLI_ACTOR, NOW), { plan: planId, source: { kind: 'contribution', id: ids[4]! }, target: 'E1D2O4', decision: 'confirm' });
  assert.deepEqual(await counts(store, planId), { contributions: 5, ideas: 1, objectives: 2, engaged: 2, done: 1 });
  // that contribution withdrawn from publication: its link counts for nothing, the objective leaves again
  await moderateContribution(store, ids[4]!, { status: 'pending', by: 'moderatrice@test.invalid', action: 'moderation.unpublish' });
  assert.deepEqual(await counts(store, planId), { contributions: 4, ideas: 1, objectives: 1, engaged: 1, done: 0 });
});

const fig = (doc: FollowupDocument, key: string) => {
  const f = doc.figures.find((x) => x.key === key);
  assert.ok(f, `chiffre ${key} présent`);
  return f;
};
const asDoc = (d: FollowupDocument) => d as unknown as SynthesisDocument;

storeTest('report: every figure verifies; an altered one fails, named; statuses, late and unowned actions, an indicator’s progress', async (store) => {
  const { planId, actions } = await seeded(store);
  const ctx = context(store, ANALYST, NOW);
  const o3 = actions.filter((a) => a.objectiveCode === 'E1D2O3');
  const o4 = actions.find((a) => a.objectiveCode === 'E1D2O4')!;
  await updateAction(ctx, { action: o3[0]!.id, status: 'en_cours', progress: 40, dueDate: '2026-06-30', owner: { organisation: 'CPTS du Haut-Lot fictive', contact: 'Personne Fictive Contact' }, comment: 'Premier comité tenu.' });
  await updateAction(ctx, { action: o4.id, status: 'en_cours' });
  await updateAction(ctx, { action: o4.id, status: 'realisee', owner: { organisation: 'Département' } });
  const ind = await addIndicator(ctx, { plan: planId, label: 'Consultations avancées ouvertes', unit: 'sites', objective: 'E1D2O4', baseline: { value: 2, date: '2023', source: 'écrit pour le test' }, target: { value: 5 } });
  await addMeasurement(ctx, { indicator: ind.id, value: 3, date: '2026-10-01', source: 'relevé fictif' });

  const r = await followupReport(ctx, { plan: planId });
  const doc = r.document;
  assert.equal(doc.format, 'fabrique.followup');
  assert.equal(doc.title, 'Bilan de suivi du schéma territorial de santé');
  assert.ok(r.verification.ok && r.verification.checked.figures === doc.figures.length && doc.figures.length > 20);
  assert.equal(fig(doc, 'funnel.engaged').value, 2);
  assert.equal(fig(doc, 'funnel.done').value, 1);
  assert.equal(fig(doc, 'actions.total').value, 3);
  assert.equal(fig(doc, 'actions.status.en_cours').value, 1);
  assert.equal(fig(doc, 'actions.status.realisee').value, 1);
  assert.equal(fig(doc, 'actions.status.proposee').value, 1);
  assert.deepEqual(fig(doc, 'actions.late').sources, [o3[0]!.id], 'échéance du 30 juin 2026 passée au 1er décembre');
  assert.deepEqual(fig(doc, 'actions.unowned').sources, [o3[1]!.id]);
  // E1D2O3: (40 + 0) / 2; E1D2O4 réalisée: 100; the plan: (40 + 0 + 100) / 3
  assert.equal(fig(doc, 'progress.E1D2O3').value, 20);
  assert.equal(fig(doc, 'progress.E1D2O4').value, 100);
  assert.equal(fig(doc, 'progress.plan').value, 46.7);
  assert.equal(fig(doc, 'objectives.without').value, 0);
  assert.equal(fig(doc, `ind.${ind.id}.baseline`).value, 2);
  assert.equal(fig(doc, `ind.${ind.id}.latest`).value, 3);
  assert.equal(fig(doc, `ind.${ind.id}.target`).value, 5);
  assert.equal(fig(doc, `ind.${ind.id}.percent`).value, 33);
  assert.equal(fig(doc, 'concertation.total').value, 4, 'les propositions publiées');
  // figures print as links to their sources: read the text without them
  const md = renderMarkdown(asDoc(doc)).replace(/\[\*\*(.*?)\*\*\]\(#f\d+\)/g, '$1');
  assert.match(md, /1 sur 3 sites supplémentaires \(33 %\)/);
  assert.match(md, /CPTS du Haut-Lot fictive/);
  assert.doesNotMatch(md, /Personne Fictive Contact/, 'jamais la personne à contacter');
  assert.doesNotMatch(JSON.stringify(doc), /Personne Fictive Contact/);

  // the JSON verifies from the store; one altered figure fails and is named
  const copy = JSON.parse(JSON.stringify(doc)) as FollowupDocument;
  assert.ok((await verifySynthesis(store, asDoc(copy))).ok);
  copy.figures.find((f) => f.key === 'funnel.engaged')!.value = 7;
  const bad = await verifySynthesis(store, asDoc(copy));
  assert.equal(bad.ok, false);
  assert.deepEqual([...new Set(bad.failures.map((f) => f.path))], ['figures[3] funnel.engaged'], 'ce chiffre seul, nommé');
  assert.match(bad.failures[0]!.message, /Actions engagées sur ces objectifs.*7.*2/);
  // the store moves on: the document no longer verifies, the changed figures named
  await updateAction(ctx, { action: o3[1]!.id, status: 'engagee' });
  const stale = await verifySynthesis(store, asDoc(doc));
  assert.deepEqual([...new Set(stale.failures.map((f) => f.path.split(' ')[1]))].sort(), ['actions.status.engagee', 'actions.status.proposee', 'funnel.engaged'].sort());
});

storeTest('report: « sans porteur » counts the actions still to carry out, as the CTS dashboard does; status labels in French plurals', async (store) => {
  const { planId, actions } = await seeded(store);
  const ctx = context(store, ANALYST, NOW);
  const o4 = actions.find((a) => a.objectiveCode === 'E1D2O4')!;
  await updateAction(ctx, { action: o4.id, status: 'en_cours' });
  await updateAction(ctx, { action: o4.id, status: 'realisee' });
  const doc = (await followupReport(ctx, { plan: planId })).document;
  const dashboard = await followupDashboard(ctx, { plan: planId });
  // a done action without an organisation is not a point of attention any more
  assert.equal((fig(doc, 'actions.unowned').sources ?? []).includes(o4.id), false);
  assert.deepEqual([...(fig(doc, 'actions.unowned').sources ?? [])].sort(), dashboard.withoutOwner.map((a) => a.id).sort(), 'le bilan et le tableau de bord disent le même nombre');
  assert.equal(fig(doc, 'actions.status.en_cours').label, 'Actions en cours');
  assert.equal(fig(doc, 'actions.status.realisee').label, 'Actions réalisées');
  assert.match(fig(doc, 'actions.late').label, /^Actions en retard au 1er décembre 2026$/);
});

const dir = mkdtempSync(join(tmpdir(), 'fabrique-followup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const IN_CI = process.env.CI === 'true';
const noPdf = !chromiumAvailable() && !IN_CI ? 'chromium absent : le PDF n’est pas produit' : false;

async function pdfPages(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false }).promise;
  try {
    let text = '';
    for (let p = 1; p <= doc.numPages; p++) text += (await (await doc.getPage(p)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
    return { pages: doc.numPages, text };
  } finally {
    await doc.destroy();
  }
}

test('fabrique followup report writes every format asked, verified; fabrique verify names an altered figure; funnel --json', async () => {
  const db = join(dir, 'cli.db');
  const store = await StoreClass.open({ sqlitePath: db });
  let planId: string;
  try {
    ({ planId } = await seeded(store));
  } finally {
    await store.close();
  }
  const funnel = await runCli(['followup', 'funnel', '--plan', planId, '--json'], { FABRIQUE_DB: db });
  assert.equal(funnel.code, 0, funnel.stderr);
  assert.deepEqual(JSON.parse(funnel.stdout).steps.map((s: { count: number }) => s.count), [5, 1, 2, 0, 0]);

  const text = await runCli(['followup', 'funnel', '--plan', planId], { FABRIQUE_DB: db });
  assert.match(text.stdout, /Objectifs du schéma nourris par la concertation\s+2/);
  const xlsx = await runCli(['followup', 'export', '--plan', planId, '--what', 'actions', '--out', join(dir, 'actions.xlsx')], { FABRIQUE_DB: db });
  assert.equal(xlsx.code, 0, xlsx.stderr);
  assert.match(xlsx.stdout, /Export écrit : .*actions\.xlsx \(3 lignes\)/);
  assert.equal(readFileSync(join(dir, 'actions.xlsx')).subarray(0, 2).toString(), 'PK', 'un classeur XLSX (zip)');
  const unknown = await runCli(['followup', 'export', '--plan', planId, '--what', 'contributions', '--out', join(dir, 'x.csv')], { FABRIQUE_DB: db });
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /Export inconnu « contributions »/);

  const formats = noPdf ? 'json,md,html,docx' : 'json,md,html,docx,pdf';
  const made = await runCli(['followup', 'report', '--plan', planId, '--year', '2026', '--format', formats, '--out', join(dir, 'bilan.json')], { FABRIQUE_DB: db });
  assert.equal(made.code, 0, made.stderr);
  for (const ext of formats.split(',')) assert.ok(existsSync(join(dir, `bilan.${ext}`)), `bilan.${ext} écrit`);
  assert.match(readFileSync(join(dir, 'bilan.md'), 'utf8'), /^# Bilan de suivi du schéma territorial de santé/);
  assert.match(readFileSync(join(dir, 'bilan.html'), 'utf8'), /<h1>Bilan de suivi du schéma territorial de santé<\/h1>/);
  const doc = JSON.parse(readFileSync(join(dir, 'bilan.json'), 'utf8')) as FollowupDocument;
  assert.equal(doc.year, 2026);
  const docx = strFromU8(unzipSync(new Uint8Array(readFileSync(join(dir, 'bilan.docx'))))['word/document.xml']!);
  assert.match(docx, /Bilan de suivi du schéma territorial de santé/);
  assert.match(docx, /Actions engagées sur ces objectifs/);
  if (!noPdf) {
    const pdf = await pdfPages(readFileSync(join(dir, 'bilan.pdf')));
    // the sections follow one another; the annex starts a page
    assert.ok(pdf.pages >= 2 && pdf.pages <= 5, `${pdf.pages} pages`);
    assert.match(pdf.text, /Bilan de suivi/);
  }

  const ok = await runCli(['verify', join(dir, 'bilan.json')], { FABRIQUE_DB: db });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Bilan de suivi vérifié : \d+ chiffres recalculés/);
  fig(doc, 'actions.status.proposee').value += 1;
  writeFileSync(join(dir, 'bilan-modifie.json'), JSON.stringify(doc));
  const bad = await runCli(['verify', join(dir, 'bilan-modifie.json')], { FABRIQUE_DB: db });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /actions\.status\.proposee/);
  assert.match(bad.stderr, /le document indique 4, les données donnent 3/);
  assert.doesNotMatch(bad.stderr, /funnel\./, 'les autres chiffres vérifient');
});

test('a plan without a consultation: the funnel starts at 0, its report verifies all the same', async () => {
  const store = await StoreClass.open({ sqlitePath: ':memory:' });
  try {
    const { PLAN_MD } = await import('./helpers/coverage-fixture.ts');
    const ctx = context(store, CLI_ACTOR, NOW);
    const { planId } = await importPlan(ctx, { bytes: new TextEncoder().encode(PLAN_MD), fileName: 'schema-sans-consultation.md' });
    await importPlanActions(ctx, { plan: planId });
    const f = await followupFunnel(ctx, { plan: planId });
    assert.equal(f.consultation, null);
    assert.deepEqual(f.steps.map((s) => s.count), [0, 0, 0, 0, 0]);
    const r = await followupReport(ctx, { plan: planId });
    assert.equal(r.document.consultation, '');
    assert.ok(r.verification.ok);
    assert.ok(!r.document.sections.some((s) => s.key === 'suivi.concertation'));
    assert.ok((await verifySynthesis(store, asDoc(r.document))).ok);
    await assert.rejects(followupReport(context(store, { name: 'visiteur', role: 'visitor' }, NOW), { plan: planId }), (e: Error & { code?: string }) => e.code === 'forbidden');
    await assert.rejects(followupReport(ctx, { plan: planId, year: 2099 }), (e: Error & { code?: string }) => e.code === 'invalid');
  } finally {
    await store.close();
  }
});

const LOT = 'sts-lot-2023-2028.txt';
const skipLot = corpusSkip(LOT);
const { files, cached } = corpusPlans([LOT], skipLot);

test('the Lot’s plan (corpus): its actions and OQOS indicators in a report that verifies; a measurement moves one indicator’s figures', { skip: skipLot }, async () => {
  const store = await StoreClass.open({ sqlitePath: ':memory:' });
  try {
    const ctx = context(store, CLI_ACTOR, NOW);
    const { planId } = await importPlan(ctx, { bytes: files.get(LOT)!.bytes, fileName: LOT }, cached);
    await importPlanActions(ctx, { plan: planId });
    const oqos = await oqosIndicators(ctx, { plan: planId });
    assert.ok(oqos.created > 0);
    const inds = (await listIndicators(ctx, { plan: planId })).indicators;
    // an OQOS value target above its baseline: one more site measured
    const up = inds.find((i) => i.target.kind === 'value' && i.target.value > i.baseline.value)!;
    assert.ok(up, 'une cible OQOS en hausse');
    const before = await followupReport(ctx, { plan: planId, year: 2026 });
    assert.equal(fig(before.document, 'actions.total').value, 91);
    assert.equal(fig(before.document, 'indicators').value, inds.length);
    assert.equal(before.document.figures.some((f) => f.key === `ind.${up.id}.latest`), false, 'pas encore de mesure');
    await addMeasurement(ctx, { indicator: up.id, value: up.baseline.value + 1, date: '2026-09-15', source: 'autorisation fictive' });
    const r = await followupReport(ctx, { plan: planId, year: 2026 });
    assert.ok(r.verification.ok);
    assert.equal(fig(r.document, `ind.${up.id}.latest`).value, up.baseline.value + 1);
    assert.equal(fig(r.document, `ind.${up.id}.reached`).value, 1);
    const needed = (up.target as { value: number }).value - up.baseline.value;
    assert.equal(fig(r.document, `ind.${up.id}.percent`).value, Math.round(100 / needed));
    // the 19 objectives all have actions; the funnel has no consultation
    assert.equal(fig(r.document, 'objectives.without').value, 0);
    assert.equal(fig(r.document, 'funnel.contributions').value, 0);
    // the year before: the measurement of 2026 is not yet there, and nothing in 2025 is late by a 2026 date
    const y2025 = await followupReport(ctx, { plan: planId, year: 2025 });
    assert.equal(y2025.document.asOf, '2025-12-31');
    assert.equal(y2025.document.figures.some((f) => f.key === `ind.${up.id}.latest`), false);
  } finally {
    await store.close();
  }
});

storeTest('funnel: the catch-all « Autres » group of the analysis is no common idea', async (store) => {
  const { planId, ids } = await seedCoverage(store);
  const [group] = await store.listIdeaGroups('couverture-test');
  const prov = { by: 'human' as const, reviewer: 'test', at: '2026-11-30T00:00:00Z' };
  await store.saveIdeaGroups('couverture-test', [group!, { id: 'g-autres', consultation: 'couverture-test', parent: null, theme: '2', label: 'Autres', labelByHuman: false,
    members: [{ contribution: ids[4]!, provenance: prov }], quotes: [], lineage: [] }]);
  assert.equal((await store.listIdeaGroups('couverture-test')).length, 2);
  assert.equal((await counts(store, planId)).ideas, 1);
});

storeTest('a past year’s report reads the actions as they stood on its 31 December (their timeline undone after it); both verify', async (store) => {
  const { planId, ids } = await seedCoverage(store);
  const at = (iso: string) => () => new Date(iso);
  const cli2025 = context(store, CLI_ACTOR, at('2025-03-01T10:00:00Z'));
  await decideTestLinks(cli2025, planId, ids);
  await importPlanActions(cli2025, { plan: planId });
  const actions = (await listActions(cli2025, { plan: planId })).actions;
  const o4 = actions.find((a) => a.objectiveCode === 'E1D2O4')!;
  const o3 = actions.filter((a) => a.objectiveCode === 'E1D2O3');
  await updateAction(context(store, ANALYST, at('2025-06-01T10:00:00Z')), { action: o4.id, status: 'en_cours', owner: { organisation: 'Département' }, dueDate: '2025-09-30' });
  const in2026 = context(store, ANALYST, at('2026-02-01T10:00:00Z'));
  await updateAction(in2026, { action: o4.id, status: 'realisee' });
  await updateAction(in2026, { action: o3[0]!.id, status: 'engagee', owner: { organisation: 'CPTS fictive' } });
  await createAction(in2026, { plan: planId, objective: 'E1D2O3', title: 'Une action ajoutée en 2026' });
  const now = context(store, ANALYST, at('2026-12-01T10:00:00Z'));

  const y2025 = (await followupReport(now, { plan: planId, year: 2025 })).document;
  assert.equal(y2025.asOf, '2025-12-31');
  assert.equal(fig(y2025, 'actions.total').value, 3, 'l’action créée en 2026 n’existait pas');
  assert.deepEqual(['proposee', 'engagee', 'en_cours', 'realisee'].map((s) => fig(y2025, `actions.status.${s}`).value), [2, 0, 1, 0]);
  assert.deepEqual([fig(y2025, 'funnel.engaged').value, fig(y2025, 'funnel.done').value], [1, 0]);
  assert.deepEqual(fig(y2025, 'actions.late').sources, [o4.id], 'en cours au 31 décembre 2025, échéance du 30 septembre passée');
  assert.equal(fig(y2025, 'progress.E1D2O4').value, 0, 'pas encore réalisée : pas 100 %');
  assert.equal(fig(y2025, 'actions.unowned').value, 2, 'le porteur de 2026 pas encore là');

  const current = (await followupReport(now, { plan: planId })).document;
  assert.equal(fig(current, 'actions.total').value, 4);
  assert.deepEqual(['proposee', 'engagee', 'en_cours', 'realisee'].map((s) => fig(current, `actions.status.${s}`).value), [2, 1, 0, 1]);
  assert.deepEqual([fig(current, 'funnel.engaged').value, fig(current, 'funnel.done').value], [2, 1]);
  assert.equal(fig(current, 'actions.late').value, 0);
  assert.equal(fig(current, 'progress.E1D2O4').value, 100);
  for (const d of [y2025, current]) assert.ok((await verifySynthesis(store, asDoc(d))).ok);
  // the funnel (no day of reference) is today's
  assert.deepEqual(await counts(store, planId), { contributions: 5, ideas: 1, objectives: 2, engaged: 2, done: 1 });
});
