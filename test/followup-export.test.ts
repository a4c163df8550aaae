/**
 * Spreadsheet exports of a plan's follow-up (issue 15, package FIGURES) and the back-office routes of the report and
 * the exports: CSV parses back (BOM, « ; », accents, decimal comma), XLSX reopens with exceljs, the contact person only
 * when asked, no contribution text anywhere; analysts download, a visitor gets 401, a facilitator 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Store } from '../src/store/index.ts';
import { createAction, importPlanActions, listActions, updateAction } from '../src/usecases/actions.ts';
import { CLI_ACTOR, context, type Actor } from '../src/usecases/context.ts';
import { followupExport } from '../src/usecases/followup-export.ts';
import { addIndicator, addMeasurement } from '../src/usecases/followup-indicators.ts';
import { decideTestLinks, seedCoverage, TEXTS } from './helpers/coverage-fixture.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';

const ANALYST: Actor = { name: 'analyste@example.org', role: 'analyst' };
let tick = 0;
const NOW = () => new Date(Date.UTC(2026, 11, 1, 10, 0, tick++));

const parseCsv = (bytes: Buffer) => {
  const text = bytes.toString('utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'UTF-8 avec BOM');
  const r = Papa.parse<Record<string, string>>(text.slice(1), { header: true, delimiter: ';', skipEmptyLines: true });
  assert.deepEqual(r.errors, []);
  return r;
};

async function readXlsx(bytes: Buffer): Promise<{ name: string; rows: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: ws.name, rows };
}

describe('exports du suivi', () => {
  let t: TestServer;
  let store: Store;
  let planId: string;
  let indicator: string;
  before(async () => {
    t = await testServer();
    store = t.store;
    const seeded = await seedCoverage(store);
    planId = seeded.planId;
    const cli = context(store, CLI_ACTOR, NOW);
    await decideTestLinks(cli, planId, seeded.ids);
    await importPlanActions(cli, { plan: planId });
    const ctx = context(store, ANALYST, NOW);
    const actions = (await listActions(ctx, { plan: planId })).actions;
    await updateAction(ctx, { action: actions[0]!.id, status: 'en_cours', progress: 25, dueDate: '2026-03-31', owner: { organisation: 'Maison de santé d’Écully fictive', contact: 'Contact Fictif Élodie' }, comment: 'Réunion de lancement tenue.' });
    await updateAction(ctx, { action: actions[1]!.id, status: 'abandonnee', reason: 'financement refusé, reporté à l’année prochaine' });
    await createAction(ctx, { plan: planId, objective: 'E1D2O4', title: '=HYPERLINK("http://exemple.invalid")' });
    indicator = (await addIndicator(ctx, { plan: planId, label: 'Délai moyen d’accès à un médecin généraliste', unit: 'jours', objective: 'E1D2O3', baseline: { value: 12.5, date: '2023-01-01', source: 'relevé écrit pour le test' }, target: { direction: 'baisse' } })).id;
    await addMeasurement(ctx, { indicator, value: 10.25, date: '2026-06-30', source: 'enquête fictive' });
    await addMeasurement(ctx, { indicator, value: 9.5, date: '2026-11-15', source: 'enquête fictive n° 2' });
  });
  after(() => t.close());

  test('actions.csv: French headers, one row per action, accents kept, ISO dates, no contact person unless asked', async () => {
    const x = await followupExport(context(store, ANALYST, NOW), { plan: planId, what: 'actions', format: 'csv' });
    assert.equal(x.mediaType, 'text/csv; charset=utf-8');
    assert.match(x.fileName, /^suivi-.*-actions\.csv$/);
    const r = parseCsv(x.bytes);
    assert.equal(r.data.length, 4);
    assert.equal(x.rows, 4);
    assert.ok(r.meta.fields!.includes('Intitulé') && r.meta.fields!.includes('Porteur (organisation)') && r.meta.fields!.includes('Échéance'));
    assert.ok(!r.meta.fields!.includes('Contact'));
    const started = r.data.find((d) => d['Statut'] === 'en cours')!;
    assert.equal(started['Porteur (organisation)'], 'Maison de santé d’Écully fictive');
    assert.equal(started['Échéance'], '2026-03-31');
    assert.equal(started['En retard'], 'oui');
    assert.equal(started['Avancement (%)'], '25');
    assert.match(started['Créée le']!, /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(r.data.find((d) => d['Statut'] === 'abandonnée')!['Motif de l’abandon'], 'financement refusé, reporté à l’année prochaine');
    // a text a spreadsheet would run as a formula is defused
    assert.ok(r.data.some((d) => d['Intitulé'] === '\'=HYPERLINK("http://exemple.invalid")'));
    assert.doesNotMatch(x.bytes.toString('utf8'), /Contact Fictif/);
    const withContact = parseCsv((await followupExport(context(store, ANALYST, NOW), { plan: planId, what: 'actions', format: 'csv', contact: true })).bytes);
    assert.equal(withContact.data.find((d) => d['Statut'] === 'en cours')!['Contact'], 'Contact Fictif Élodie');
  });

  test('indicators and measurements: CSV with a decimal comma, XLSX reopened with numbers as numbers', async () => {
    const ctx = context(store, ANALYST, NOW);
    const ind = parseCsv((await followupExport(ctx, { plan: planId, what: 'indicators', format: 'csv' })).bytes);
    assert.equal(ind.data.length, 1);
    const row = ind.data[0]!;
    assert.equal(row['Libellé'], 'Délai moyen d’accès à un médecin généraliste');
    assert.equal(row['Valeur de départ'], '12,5');
    assert.equal(row['Dernière mesure'], '9,5');
    assert.equal(row['Date de la dernière mesure'], '2026-11-15');
    assert.equal(row['Tendance visée'], 'baisse');
    assert.equal(row['État'], 'en progrès');
    const ms = parseCsv((await followupExport(ctx, { plan: planId, what: 'measurements', format: 'csv' })).bytes);
    assert.deepEqual(ms.data.map((m) => [m['Date'], m['Valeur'], m['Source']]), [['2026-06-30', '10,25', 'enquête fictive'], ['2026-11-15', '9,5', 'enquête fictive n° 2']]);
    assert.ok(!ms.meta.fields!.some((f) => /saisi par|compte/i.test(f)), 'jamais le compte qui a saisi');
    assert.doesNotMatch(JSON.stringify(ms.data), /analyste@example\.org/);

    const xl = await followupExport(ctx, { plan: planId, what: 'measurements', format: 'xlsx' });
    assert.equal(xl.mediaType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = await readXlsx(xl.bytes);
    assert.equal(sheet.name, 'Mesures');
    assert.deepEqual(sheet.rows[0], ['Indicateur', 'Libellé de l’indicateur', 'Date', 'Valeur', 'Unité', 'Source', 'Saisie le']);
    assert.equal(sheet.rows.length, 3);
    assert.equal(sheet.rows[1]![3], 10.25, 'un nombre');
    const actions = await readXlsx((await followupExport(ctx, { plan: planId, what: 'actions', format: 'xlsx' })).bytes);
    assert.equal(actions.name, 'Actions');
    assert.equal(actions.rows.length, 5);
    assert.ok(actions.rows.some((r) => r.includes('Maison de santé d’Écully fictive')));
  });

  test('no contribution text in any export nor in the report; bad requests refused in French', async () => {
    const ctx = context(store, ANALYST, NOW);
    const outputs: string[] = [];
    for (const what of ['actions', 'indicators', 'measurements'] as const) {
      outputs.push((await followupExport(ctx, { plan: planId, what, format: 'csv', contact: true })).bytes.toString('utf8'));
      const sheet = await readXlsx((await followupExport(ctx, { plan: planId, what, format: 'xlsx', contact: true })).bytes);
      outputs.push(JSON.stringify(sheet.rows));
    }
    const c = await (await Client.create(t.app, '10.41.0.1')).login('analyst');
    for (const format of ['md', 'json', 'html']) outputs.push((await c.get(`/api/admin/plans/${encodeURIComponent(planId)}/followup/report?format=${format}`)).body);
    for (const o of outputs) for (const { text } of TEXTS) assert.ok(!o.includes(text) && !o.includes(text.slice(0, 40)), 'aucun texte de contribution');
    await assert.rejects(followupExport(ctx, { plan: planId, what: 'contributions', format: 'csv' }), (e: Error & { code?: string }) => e.code === 'invalid');
    await assert.rejects(followupExport(ctx, { plan: planId, what: 'actions', format: 'ods' }), (e: Error & { code?: string }) => e.code === 'invalid');
    await assert.rejects(followupExport(context(store, { name: 'visiteur', role: 'visitor' }, NOW), { plan: planId, what: 'actions', format: 'csv' }), (e: Error & { code?: string }) => e.code === 'forbidden');
  });

  test('routes: an analyst downloads the report and the exports with their type and file name; a visitor 401, a facilitator 403', async () => {
    const id = encodeURIComponent(planId);
    const c = await (await Client.create(t.app, '10.41.0.2')).login('analyst');
    const md = await c.get(`/api/admin/plans/${id}/followup/report?format=md&year=2026`);
    assert.equal(md.statusCode, 200, md.body);
    assert.match(String(md.headers['content-type']), /^text\/markdown/);
    assert.match(String(md.headers['content-disposition']), /^attachment; filename="bilan-suivi-48-2026\.md"$/);
    assert.match(md.body, /^# Bilan de suivi du schéma territorial de santé/);
    const json = await c.get(`/api/admin/plans/${id}/followup/report?format=json`);
    assert.equal(json.statusCode, 200);
    assert.equal(json.json().format, 'fabrique.followup');
    const csv = await c.get(`/api/admin/plans/${id}/followup/export/actions.csv`);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /filename="suivi-.*-actions\.csv"/);
    assert.equal(parseCsv(csv.rawPayload).data.length, 4);
    assert.doesNotMatch(csv.body, /Contact Fictif/);
    assert.match((await c.get(`/api/admin/plans/${id}/followup/export/actions.csv?contact=1`)).body, /Contact Fictif Élodie/);
    const xlsx = await c.get(`/api/admin/plans/${id}/followup/export/indicators.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    assert.equal((await readXlsx(xlsx.rawPayload)).rows.length, 2);
    assert.equal((await c.get(`/api/admin/plans/${id}/followup/export/contributions.csv`)).statusCode, 400);
    assert.equal((await c.get(`/api/admin/plans/${id}/followup/report?format=odt`)).statusCode, 400);

    const visitor = await Client.create(t.app, '10.41.0.3');
    assert.equal((await visitor.get(`/api/admin/plans/${id}/followup/report?format=md`)).statusCode, 401);
    assert.equal((await visitor.get(`/api/admin/plans/${id}/followup/export/actions.csv`)).statusCode, 401);
    const facilitator = await (await Client.create(t.app, '10.41.0.4')).login('facilitator');
    assert.equal((await facilitator.get(`/api/admin/plans/${id}/followup/report?format=md`)).statusCode, 403);
    assert.equal((await facilitator.get(`/api/admin/plans/${id}/followup/export/measurements.xlsx`)).statusCode, 403);
  });
});
