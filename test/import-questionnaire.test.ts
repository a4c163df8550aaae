/**
 * Questionnaire exports and text columns that hold no text (issue 12, point 9): one contribution per open answer
 * with its question kept; a "text" column of numbers or almost empty is refused, nothing written, exit code ≠ 0.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { CNR_SANTE_THEMES, type Theme } from '../src/domain/theme.ts';
import { parseTabular } from '../src/ingest/tabular/index.ts';
import { Store } from '../src/store/index.ts';
import { runCli } from './helpers/cli.ts';

const THEMES: Theme[] = CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] }));
const opts = { consultation: 'essai', themes: THEMES };
const utf8 = (s: string) => new TextEncoder().encode(s);

const Q_DIFFICULTES = 'Quelles difficultés rencontrez-vous pour vous soigner ?';
const Q_PROPOSITIONS = 'Vos propositions pour améliorer l’accès aux soins ?';
const DIFFICULTES = [
  'Le cabinet le plus proche est à quarante minutes de route.',
  'Impossible de trouver un dentiste qui prend de nouveaux patients.',
  '',
  'Les rendez-vous chez l’ophtalmologue se prennent six mois à l’avance.',
  'Non',
  'Pas de transport en commun vers l’hôpital le dimanche.',
];
const PROPOSITIONS = [
  'Un bus vers la maison de santé deux fois par semaine.',
  '',
  'Plus de consultations à distance accompagnées en pharmacie.',
  'Des internes logés sur place pendant leur stage.',
  '0',
  'Une permanence de soins le samedi matin au bourg.',
];

/** A questionnaire export: one row per respondent, closed and numeric columns, a "Commentaire" column of 0/1, two open questions. */
async function questionnaire(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Réponses');
  ws.addRow(['Horodatage', 'ID répondant', 'Code postal', 'Vous êtes', 'Note de 1 à 5 de l’offre de soins', 'Avez-vous un médecin traitant ?',
    'Commentaire', 'Fréquence de consultation', Q_DIFFICULTES, 'Transport : voiture', 'Transport : bus', Q_PROPOSITIONS, 'Adresse électronique']);
  const choices = ['Une fois par an', 'Plusieurs fois par an', 'Jamais'];
  for (let i = 0; i < 6; i++) {
    ws.addRow([`2024-03-0${i + 1}`, 1000 + i, '46000', i % 2 ? 'Usager' : 'Professionnel de santé', (i % 5) + 1, i % 2 ? 'Oui' : 'Non',
      i % 2 ? 1.5 : 0.5, choices[i % 3], DIFFICULTES[i], i % 2 ? 1 : 0, i % 2 ? 0 : 1, PROPOSITIONS[i], `repondant${i}@exemple.invalid`]);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

test('questionnaire large : une contribution par réponse ouverte, la question gardée, les colonnes fermées ignorées', async () => {
  const doc = await parseTabular(await questionnaire(), 'questionnaire.xlsx', opts);
  const expected = [
    ...DIFFICULTES.map((t, i) => ({ t, q: Q_DIFFICULTES, row: i + 2 })),
    ...PROPOSITIONS.map((t, i) => ({ t, q: Q_PROPOSITIONS, row: i + 2 })),
  ].filter((x) => x.t !== '' && x.t !== 'Non' && x.t !== '0').sort((a, b) => a.row - b.row || (a.q === Q_DIFFICULTES ? -1 : 1));
  assert.deepEqual(doc.contributions.map((c) => c.text), expected.map((x) => x.t));
  assert.deepEqual(doc.contributions.map((c) => c.category), expected.map((x) => x.q));
  assert.deepEqual(doc.contributions.map((c) => c.source.row), expected.map((x) => x.row));
  assert.equal(new Set(doc.contributions.map((c) => c.id)).size, doc.contributions.length, 'identifiants distincts');
  assert.ok(doc.contributions.every((c) => !/^\d/.test(c.text)), 'aucune contribution « 1.5 » ou « 0 »');
  // what the row says about its respondent goes with every answer
  const first = doc.contributions.filter((c) => c.source.row === 2);
  assert.equal(first.length, 2);
  assert.deepEqual(first.map((c) => [c.territory, c.authorCollege, c.date]), [['46', 'professionnels', '2024-03-01'], ['46', 'professionnels', '2024-03-01']]);
  assert.ok(!doc.contributions.some((c) => c.text.includes('@')), 'les adresses ne sont pas des contributions');
  const info = doc.warnings.find((w) => w.code === 'tabular.questionnaire');
  assert.match(info!.message, /Questionnaire reconnu \(13 colonnes\)/);
  assert.match(doc.warnings.find((w) => w.code === 'tabular.columns')!.message, /2 questions ouvertes ← « Quelles difficultés/);
  // re-reading the same bytes gives the same ids
  const again = await parseTabular(await questionnaire(), 'questionnaire.xlsx', opts);
  // (exceljs writes the time into the file: other bytes, so another document id; the positions are the same)
  const position = (id: string) => id.slice(id.indexOf(':'));
  assert.deepEqual(again.contributions.map((c) => position(c.id)), doc.contributions.map((c) => position(c.id)));
  assert.match(doc.contributions[0]!.id, /:r2q9$/);
});

test('questionnaire dont aucun en-tête ne nomme une colonne de texte : reconnu à ses colonnes ouvertes', async () => {
  const header = ['Horodatage', 'Q1. Qu’est-ce qui vous manque le plus près de chez vous ?', 'Q2 note', 'Q3 oui/non', 'Q4 fréquence',
    'Q5 score', 'Q6 distance', 'Q7 âge', 'Q8 enfants', 'Q9. Qu’attendez-vous de l’agence régionale sur ce sujet ?'];
  const lines = [header.join(';')];
  const answers1 = ['Un cabinet dentaire ouvert le samedi.', 'Une pharmacie de garde moins lointaine.', 'Un kinésithérapeute à moins de vingt minutes.'];
  const answers2 = ['Qu’elle finance des postes partagés entre communes.', '', 'Qu’elle aide les maisons de santé à recruter.'];
  for (let i = 0; i < 3; i++) lines.push([`2024-05-0${i + 1}`, answers1[i], i + 1, i % 2 ? 'Oui' : 'Non', 'Souvent', 3.5, 12 + i, 40 + i, i, answers2[i]].join(';'));
  const doc = await parseTabular(utf8(lines.join('\n') + '\n'), 'sans-synonyme.csv', opts);
  assert.equal(doc.contributions.length, 5);
  assert.deepEqual(doc.contributions.map((c) => c.category?.slice(0, 3)), ['Q1.', 'Q9.', 'Q1.', 'Q1.', 'Q9.']);
  assert.deepEqual(doc.contributions.map((c) => c.date), ['2024-05-01', '2024-05-01', '2024-05-02', '2024-05-03', '2024-05-03']);
  // « sujet » in a question does not make its open answers theme values
  assert.ok(doc.contributions.every((c) => c.themes.length === 0));
  assert.ok(!doc.warnings.some((w) => w.code === 'tabular.theme_unknown'));
});

test('colonne de texte numérique ou presque vide : refusée avec un message clair', async () => {
  const numeric = 'Contribution;Âge\n1.0;34\n0.0;51\n1.0;28\n0.0;45\n';
  await assert.rejects(parseTabular(utf8(numeric), 'numerique.csv', opts), (e: Error & { code?: string }) =>
    e.code === 'import.text_not_text' && /La colonne de texte « Contribution » de « numerique\.csv » contient des nombres/.test(e.message)
    && /4 valeurs sur 4, par exemple « 1\.0 », « 0\.0 »/.test(e.message) && /Rien n’a été importé/.test(e.message));
  const rows = ['Texte;Remarque du service'];
  for (let i = 0; i < 40; i++) rows.push(`${i === 7 ? 'Un seul texte fictif dans tout le fichier.' : ''};Ligne de suivi interne numéro ${i} sans rapport`);
  await assert.rejects(parseTabular(utf8(rows.join('\n')), 'vide.csv', opts), (e: Error & { code?: string }) =>
    e.code === 'import.text_empty' && /presque vide \(1 cellule remplie sur 40 lignes\)/.test(e.message)
    && /Colonnes qui semblent contenir des textes : « Remarque du service »/.test(e.message));
  // an ordinary table is not taken for a questionnaire
  const ordinary = await parseTabular(utf8('Contribution;Thème\nUn texte fictif sur le cabinet du bourg.;1\n'), 'ordinaire.csv', opts);
  assert.equal(ordinary.contributions.length, 1);
  assert.equal(ordinary.contributions[0]!.category, '1');
});

describe('fabrique import d’un tableau sans texte', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fabrique-import-questionnaire-'));
    db = join(dir, 'f.sqlite');
    const store = await Store.open({ sqlitePath: db });
    try {
      await store.upsertConsultation({ slug: 'essai', title: 'Essai', territory: '46', status: 'open', themes: THEMES });
    } finally { await store.close(); }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('code de sortie non nul, message en français, rien d’écrit ; le questionnaire s’importe', async () => {
    const bad = join(dir, 'numerique.csv');
    writeFileSync(bad, 'Contribution;Âge\n1.0;34\n0.0;51\n');
    const out = await runCli(['import', bad, '--consultation', 'essai'], { FABRIQUE_DB: db });
    assert.equal(out.code, 1);
    assert.match(out.stderr, /contient des nombres ou des réponses fermées/);
    const good = join(dir, 'questionnaire.xlsx');
    writeFileSync(good, await questionnaire());
    const ok = await runCli(['import', good, '--consultation', 'essai', '--json'], { FABRIQUE_DB: db });
    assert.equal(ok.code, 0, ok.stderr);
    const store = await Store.open({ sqlitePath: db });
    try {
      const rows = await store.listContributions('essai');
      assert.equal(rows.length, 8);
      assert.equal(rows.filter((c) => c.category === Q_PROPOSITIONS).length, 4);
      assert.equal((await store.tableCounts()).source_documents, 1, 'le CSV refusé n’a rien laissé');
    } finally { await store.close(); }
  });
});
