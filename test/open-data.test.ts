/**
 * Open data (issue 16, point 5): the published contributions and the public figures as CSV and JSON. Only what the
 * one publication rule makes public leaves — never a pending, rejected or erased contribution, whatever its channel —
 * and the number of rows is the public figure. The CSV is read back with papaparse as a spreadsheet user's tool would.
 */
import assert from 'node:assert/strict';
import Papa from 'papaparse';
import type { Contribution } from '../src/domain/index.ts';
import { context } from '../src/usecases/context.ts';
import { moderateContributions, submitContribution } from '../src/usecases/contributions.ts';
import { deleteContribution } from '../src/usecases/deletion.ts';
import { csvLine, departementOf, OPEN_DATA_PAGE } from '../src/usecases/open-data.ts';
import { testDocument } from './helpers/fixtures.ts';
import { Client, testServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const TEXTS = [
  'Il manque des médecins traitants dans le nord du département.',
  'Ouvrir une maison de santé près de la gare ; une idée à creuser.',
  'Texte refusé par la modération pour propos hors charte.',
  'Texte encore en attente de modération sur les urgences.',
  'Texte publié puis effacé à la demande de la personne.',
  '=SOMME(A1:A3) les transports vers l’hôpital sont trop rares',
];

function parseCsv(body: string) {
  assert.ok(body.startsWith('\uFEFF'), 'UTF-8 avec BOM');
  const parsed = Papa.parse<string[]>(body.slice(1), { delimiter: ';', skipEmptyLines: true });
  assert.deepEqual(parsed.errors, []);
  return { header: parsed.data[0]!, rows: parsed.data.slice(1) };
}

storeTest('open data: only public contributions, as many as the public figures, CSV read back and JSON', async (store) => {
  const server = await testServer({}, store);
  try {
    const analyst = context(store, { name: 'analyste@ars.test', role: 'analyst' }, () => new Date('2026-03-01T10:00:00Z'));
    const visitor = context(store, { name: 'visiteur', role: 'visitor' }, () => new Date('2026-03-01T10:00:00Z'));
    await store.importParsed('essai', testDocument(TEXTS, { consultation: 'essai' }));
    const ids = (await store.listContributions('essai')).map((c) => c.id).sort();
    const byText = new Map((await store.listContributions('essai')).map((c) => [c.text, c.id]));
    const id = (i: number) => byText.get(TEXTS[i]!)!;
    assert.equal(ids.length, TEXTS.length);
    await moderateContributions(analyst, { ids: [id(0), id(1), id(4), id(5)], action: 'publish' });
    await moderateContributions(analyst, { ids: [id(2)], action: 'reject', reason: 'hors charte' });
    // the public form: one published, one left pending (another channel, the same rule)
    const shown = await submitContribution(visitor, { consultation: 'essai', text: 'Un bus de dépistage sur les marchés.', postcode: '31000' });
    const waiting = await submitContribution(visitor, { consultation: 'essai', text: 'Formulaire pas encore modéré du tout.', postcode: '12000' });
    await moderateContributions(analyst, { ids: [shown.id], action: 'publish' });
    await deleteContribution(analyst, { id: id(4), mode: 'erase' });

    const client = await Client.create(server.app);
    const stats = (await client.get('/api/consultations/essai/stats')).json() as { contributions: number };
    const res = await client.get('/api/consultations/essai/donnees/contributions.csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.equal(res.headers['content-disposition'], 'attachment; filename="essai-contributions.csv"');
    assert.match(String(res.headers.link), /licence-ouverte.*rel="license"/);
    const { header, rows } = parseCsv(res.body);
    assert.deepEqual(header, ['identifiant', 'texte', 'thèmes', 'nature', 'réunion', 'date', 'département', 'nom du département', 'collège', 'canal']);
    assert.equal(rows.length, stats.contributions, 'as many rows as the public figures');
    assert.deepEqual(rows.map((r) => r[0]).sort(), [id(0), id(1), id(5), shown.id].sort());
    for (const hidden of [TEXTS[2], TEXTS[3], TEXTS[4], 'Formulaire pas encore modéré']) assert.ok(!res.body.includes(hidden!.slice(0, 20)), hidden);
    assert.ok(!res.body.includes(waiting.id));
    const form = rows.find((r) => r[0] === shown.id)!;
    assert.deepEqual([form[6], form[7], form[9]], ['31', 'Haute-Garonne', 'formulaire en ligne'], 'a postcode leaves as its département');
    const workshop = rows.find((r) => r[0] === id(0))!;
    assert.equal(workshop[2], 'Accès à un médecin traitant ou à une équipe traitante, exercice coordonné', 'theme labels, not codes');
    assert.equal(workshop[3], 'Constat / problème');
    assert.equal(workshop[4], 'Atelier de Figeac');
    assert.equal(rows.find((r) => r[0] === id(1))![1], TEXTS[1], 'a semicolon inside a text is quoted and read back');
    assert.ok(rows.find((r) => r[0] === id(5))![1]!.startsWith("'="), 'a formula is defused');

    const json = await client.get('/api/consultations/essai/donnees/contributions.json');
    assert.equal(json.headers['content-disposition'], 'attachment; filename="essai-contributions.json"');
    const doc = JSON.parse(json.body) as { format: string; licence: { url: string }; total: number; contributions: { id: string; departement: string | null }[] };
    assert.equal(doc.format, 'fabrique.open-data.contributions');
    assert.match(doc.licence.url, /etalab/);
    assert.equal(doc.total, stats.contributions);
    assert.deepEqual(doc.contributions.map((c) => c.id).sort(), rows.map((r) => r[0]).sort());

    const figures = parseCsv((await client.get('/api/consultations/essai/donnees/figures.csv')).body);
    assert.deepEqual(figures.header, ['indicateur', 'code', 'libellé', 'valeur']);
    assert.equal(figures.rows.find((r) => r[0] === 'contributions')![3], String(stats.contributions));
    const figJson = (await client.get('/api/consultations/essai/donnees/figures.json')).json() as { figures: { indicateur: string; code: string | null; valeur: number }[] };
    const byTheme = figJson.figures.filter((f) => f.indicateur === 'par_theme');
    const s = (await client.get('/api/consultations/essai/stats')).json() as { byTheme: Record<string, number> };
    assert.deepEqual(Object.fromEntries(byTheme.map((f) => [f.code, f.valeur])), s.byTheme);

    // a draft consultation has no open data; an unknown one neither
    await store.upsertConsultation({ slug: 'brouillon', title: 'Brouillon', territory: '12', status: 'draft', themes: [] });
    assert.equal((await client.get('/api/consultations/brouillon/donnees/contributions.csv')).statusCode, 404);
    assert.equal((await client.get('/api/consultations/inconnue/donnees/figures.json')).statusCode, 404);

    // a large consultation streams page by page: every public row once, the pending ones never
    const many: Contribution[] = Array.from({ length: OPEN_DATA_PAGE * 2 + 7 }, (_, n) => ({
      id: `formulaire:m${n}`, consultation: 'essai', channel: 'formulaire', text: `Texte numéro ${n} sur les transports.`, themes: [],
      moderation: { status: n % 3 === 0 ? 'pending' : 'published' }, source: { documentId: 'formulaire', file: 'formulaire en ligne' },
    }));
    await store.addContributions('essai', many);
    const big = parseCsv((await client.get('/api/consultations/essai/donnees/contributions.csv')).body);
    const total = ((await client.get('/api/consultations/essai/stats')).json() as { contributions: number }).contributions;
    assert.equal(big.rows.length, total);
    assert.equal(new Set(big.rows.map((r) => r[0])).size, total, 'no row twice across pages');
    assert.ok(!big.rows.some((r) => r[0] === 'formulaire:m0' || r[0] === 'formulaire:m3'));
  } finally {
    await server.app.close();
  }
});

storeTest('open data helpers: département only, French CSV cells', async () => {
  assert.equal(departementOf('12'), '12');
  assert.equal(departementOf('97411'), '974');
  assert.equal(departementOf('20190'), '2A');
  assert.equal(departementOf('Rodez'), null);
  assert.equal(departementOf(null), null);
  assert.equal(csvLine(['a;b', 2.5, null, '+33']), '"a;b";2,5;;\'+33\r\n');
});
