/**
 * Imports of other platforms' exports (issue 12, point 9): a theme column of another numbering, a category
 * label with commas, "<>" in a Decidim title, and the --themes mapping from the CLI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CNR_SANTE_THEMES, type Theme } from '../src/domain/theme.ts';
import { parseThemeMapOption, parseTabular, stripHtml } from '../src/ingest/tabular/index.ts';
import { Store } from '../src/store/index.ts';
import { runCli } from './helpers/cli.ts';
import { multipart } from './helpers/multipart.ts';
import { Client, testServer } from './helpers/server.ts';

const THEMES: Theme[] = CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] }));
const opts = { consultation: 'essai', themes: THEMES };
const utf8 = (s: string) => new TextEncoder().encode(s);

/** A table whose « theme » column counts 2 to 5 (another platform's scheme): 2 and 3 collide with codes 2 and 3. */
function otherScheme(): string {
  const rows = ['Contribution;theme'];
  const values = ['2', '3', '3', '4', '5', '5', '5', '2'];
  values.forEach((v, i) => rows.push(`Texte fictif numéro ${i + 1} sur la vie du quartier;${v}`));
  return rows.join('\n') + '\n';
}

test('une colonne de thème d’une autre numérotation (2 à 5) n’est pas rattachée aux thèmes de la consultation', async () => {
  const doc = await parseTabular(utf8(otherScheme()), 'autre-schema.csv', opts);
  assert.equal(doc.contributions.length, 8);
  assert.deepEqual(doc.contributions.map((c) => c.themes.length), [0, 0, 0, 0, 0, 0, 0, 0], 'aucun thème attribué, même à 2, 3 et 4');
  assert.deepEqual(doc.contributions.map((c) => c.category), ['2', '3', '3', '4', '5', '5', '5', '2'], 'valeur d’origine gardée');
  const w = doc.warnings.find((x) => x.code === 'tabular.theme_scheme');
  assert.ok(w, 'avertissement de numérotation étrangère');
  assert.equal(w.level, 'warning');
  assert.match(w.message, /« 2 » \(2 lignes\), « 3 » \(2 lignes\), « 4 » \(1 ligne\), « 5 » \(3 lignes\)/);
  assert.match(w.message, /8 lignes laissées sans thème/);
  assert.match(w.message, /--themes/);
  assert.ok(!doc.warnings.some((x) => x.code === 'tabular.theme_unknown'), 'pas d’avertissement en double par valeur');
});

test('codes qui existent tous dans la consultation : rattachés comme avant', async () => {
  const csv = 'Contribution;Thème\nUn texte fictif sur les urgences;2\nUn autre texte fictif;4\nTroisième texte;"1; 3"\n';
  const doc = await parseTabular(utf8(csv), 'codes.csv', opts);
  assert.deepEqual(doc.contributions.map((c) => c.themes.map((t) => t.theme)), [['2'], ['4'], ['1', '3']]);
  assert.ok(!doc.warnings.some((x) => x.code === 'tabular.theme_scheme'));
});

test('--themes : correspondance explicite (code ou libellé), « 5= » sans thème, cible inconnue refusée', async () => {
  const doc = await parseTabular(utf8(otherScheme()), 'autre-schema.csv', { ...opts, themeMap: { 2: '1', 3: 'continuité des soins et soins non programmés', 5: '' } });
  assert.deepEqual(doc.contributions.map((c) => c.themes.map((t) => t.theme)), [['1'], ['2'], ['2'], [], [], [], [], ['1']]);
  assert.deepEqual(doc.contributions[0]!.themes[0]!.provenance, { by: 'source', documentId: doc.documentId, detail: '2' });
  // 4 is not mapped and the column is still another scheme's: left without theme, reported
  const w = doc.warnings.find((x) => x.code === 'tabular.theme_scheme');
  assert.match(w!.message, /« 4 » \(1 ligne\)/);
  assert.doesNotMatch(w!.message, /« 5 »/);
  await assert.rejects(parseTabular(utf8(otherScheme()), 'x.csv', { ...opts, themeMap: { 2: '9' } }),
    (e: Error & { code?: string }) => e.code === 'import.themes_unknown_target' && /« 9 » n’est pas un thème de la consultation/.test(e.message));
  assert.throws(() => parseThemeMapOption('2=1,3'), /valeur=thème/);
  assert.deepEqual(parseThemeMapOption('2=1, 3 = 4'), { 2: '1', 3: '4' });
  assert.deepEqual(parseThemeMapOption('Impôts, dépenses, action publique=,Urgences=2'), { 'Impôts, dépenses, action publique': '', Urgences: '2' });
  const unused = await parseTabular(utf8(otherScheme()), 'x.csv', { ...opts, themeMap: { 2: '1', 3: '2', 4: '4', 5: '', 7: '1' } });
  assert.match(unused.warnings.find((x) => x.code === 'tabular.themes_unused')!.message, /« 7 »/);
  assert.ok(!unused.warnings.some((x) => x.code === 'tabular.theme_scheme'), 'tout est rattaché explicitement');
});

test('une catégorie Decidim avec des virgules reste une seule valeur ; « ; » et « | » séparent', async () => {
  const csv = 'Texte;Catégorie\n'
    + 'Un texte fictif sur la fiscalité locale;Impôts, dépenses, action publique\n'
    + 'Un texte fictif sur deux sujets;Urgences | Prévention\n'
    + 'Un texte fictif, troisième;"Prévention; Attractivité des métiers de la santé dans les territoires"\n';
  const doc = await parseTabular(utf8(csv), 'categories.csv', opts);
  const [a, b, c] = doc.contributions;
  assert.deepEqual(a!.themes, []);
  assert.equal(a!.category, 'Impôts, dépenses, action publique');
  const unknown = doc.warnings.filter((w) => w.code === 'tabular.theme_unknown');
  assert.equal(unknown.length, 1, 'une seule valeur inconnue, entière');
  assert.match(unknown[0]!.message, /« Impôts, dépenses, action publique »/);
  assert.deepEqual(b!.themes.map((t) => t.theme), ['2', '4']);
  assert.deepEqual(c!.themes.map((t) => t.theme), ['4', '3']);
  // what was filed by a label prefix or keywords is said, with its count
  const guessed = doc.warnings.filter((w) => w.code === 'tabular.theme_guessed').map((w) => w.message);
  assert.ok(guessed.some((m) => /« Urgences » rattaché par rapprochement .* thème 2 « Continuité des soins et soins non programmés » \(1 ligne\)/.test(m)), guessed.join('\n'));
  assert.ok(!guessed.some((m) => /Attractivité des métiers de la santé dans les territoires/.test(m.split('rattaché')[0]!)), 'un libellé exact n’est pas un rapprochement');
  // mapped explicitly, the label with commas is filed whole
  const mapped = await parseTabular(utf8(csv), 'categories.csv', { ...opts, themeMap: parseThemeMapOption('Impôts, dépenses, action publique=4')! });
  assert.deepEqual(mapped.contributions[0]!.themes.map((t) => t.theme), ['4']);
});

test('HTML retiré des exports Decidim : seules les vraies balises, « <> », « a < b », « <3 » restent', async () => {
  assert.equal(stripHtml('Béthune <> Lille'), 'Béthune <> Lille');
  assert.equal(stripHtml('si a < b et c > d'), 'si a < b et c > d');
  assert.equal(stripHtml('je <3 ma ville, moins de <= 5 km'), 'je <3 ma ville, moins de <= 5 km');
  assert.equal(stripHtml('<p>Un <strong>bus</strong> &lt;&gt; le train<br/>ok</p><!-- note -->'), 'Un bus <> le train\nok\n');
  assert.equal(stripHtml('<ul><li>un</li><li>deux</li></ul>'), '\n- un\n- deux\n');
  const csv = [
    'id,title/fr,body/fr,published_at,state,category/name/fr',
    '1,Liaison Béthune <> Lille,"<p>Un car express Béthune <> Lille, et a < b.</p>",2024-01-02,,Mobilités',
  ].join('\n') + '\n';
  const doc = await parseTabular(utf8(csv), 'decidim.csv', opts);
  assert.equal(doc.parser, 'tabular-decidim');
  assert.equal(doc.contributions[0]!.text, 'Liaison Béthune <> Lille\nUn car express Béthune <> Lille, et a < b.');
});

describe('fabrique import --themes', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fabrique-import-themes-'));
    db = join(dir, 'f.sqlite');
    const store = await Store.open({ sqlitePath: db });
    try {
      await store.upsertConsultation({ slug: 'essai', title: 'Essai', territory: '12', status: 'open', themes: THEMES });
    } finally { await store.close(); }
    writeFileSync(join(dir, 'autre-schema.csv'), otherScheme());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('sans correspondance : importé sans thème, avertissement ; avec --themes : rattaché ; syntaxe fausse refusée', async () => {
    const file = join(dir, 'autre-schema.csv');
    const bad = await runCli(['import', file, '--consultation', 'essai', '--themes', '2=1,3'], { FABRIQUE_DB: db });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--themes/);
    const first = await runCli(['import', file, '--consultation', 'essai', '--json'], { FABRIQUE_DB: db });
    assert.equal(first.code, 0, first.stderr);
    const [r] = JSON.parse(first.stdout) as { warnings: { code: string }[]; contributions: number }[];
    assert.equal(r!.contributions, 8);
    assert.ok(r!.warnings.some((w) => w.code === 'tabular.theme_scheme'));
    const store = await Store.open({ sqlitePath: db });
    try {
      const rows = await store.listContributions('essai');
      assert.equal(rows.length, 8);
      assert.equal(rows.filter((c) => c.themes.length > 0).length, 0);
    } finally { await store.close(); }
    // the same file with a mapping is a new reading, not « already imported »
    const mapped = await runCli(['import', file, '--consultation', 'essai', '--themes', '2=1,3=2,4=4,5=', '--json'], { FABRIQUE_DB: db });
    assert.equal(mapped.code, 0, mapped.stderr);
    assert.equal((JSON.parse(mapped.stdout) as { outcome: string }[])[0]!.outcome, 'replaced');
    const again = await Store.open({ sqlitePath: db });
    try {
      const rows = await again.listContributions('essai');
      assert.deepEqual(rows.map((c) => c.themes.map((t) => t.theme).join()).sort(), ['', '', '', '1', '1', '2', '2', '4']);
    } finally { await again.close(); }
  });
});

test('envoi par le back-office : champ « themes » appliqué, syntaxe fausse refusée sans rien écrire', async (t) => {
  const server = await testServer();
  t.after(() => server.close());
  const a = await (await Client.create(server.app, '10.9.0.1')).login('analyst');
  const url = '/api/admin/consultations/essai/imports';
  const before = await server.store.tableCounts();
  let res = await a.request({ method: 'POST', url, ...multipart('autre-schema.csv', otherScheme(), { themes: '2=1,3' }) });
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, res.body);
  assert.match(res.body, /valeur=thème/);
  assert.deepEqual(await server.store.tableCounts(), before, 'rien d’écrit');
  res = await a.request({ method: 'POST', url, ...multipart('autre-schema.csv', otherScheme(), { themes: '2=1,3=2,4=4,5=' }) });
  assert.equal(res.statusCode, 201, res.body);
  assert.ok(!res.json().warnings.some((w: { code: string }) => w.code === 'tabular.theme_scheme'));
  const rows = await server.store.listContributions('essai');
  assert.deepEqual(rows.map((c) => c.themes.map((x) => x.theme).join()).sort(), ['', '', '', '1', '1', '2', '2', '4']);
});

test('« <> », « a < b », « <3 » gardés jusqu’en base (nettoyage des textes, pseudonymisation)', async (t) => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  t.after(() => store.close());
  await store.upsertConsultation({ slug: 'essai', title: 'Essai', territory: '62', status: 'open', themes: THEMES });
  const text = 'Ligne de car Béthune <> Lille : si a < b alors on y va, et je <3 ce trajet.';
  const csv = `id,title/fr,body/fr,published_at,state\n1,Car Béthune <> Lille,"<p>${text}</p>",2024-01-02,\n`;
  const doc = await parseTabular(utf8(csv), 'decidim.csv', { ...opts, consultation: 'essai' });
  await store.importParsed('essai', doc);
  const [c] = await store.listContributions('essai');
  assert.equal(c!.text, `Car Béthune <> Lille\n${text}`);
});
