import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { CNR_SANTE_THEMES, type Theme } from '../src/domain/theme.ts';
import { ImportError, MAX_IMPORT_BYTES } from '../src/ingest/types.ts';
import { matchCollege, matchTheme, parseDate, parseTabular, parseTerritory, readTable } from '../src/ingest/tabular/index.ts';

const LOCAL: Theme = { code: 'sante-mentale-jeunes', label: 'Santé mentale des jeunes', keywords: ['pédopsychiatrie', 'Maison des adolescents'], local: true };
const THEMES: Theme[] = [...CNR_SANTE_THEMES, LOCAL];
const opts = { consultation: 'demo', themes: THEMES };
const utf8 = (s: string) => new TextEncoder().encode(s);

async function rejects(p: Promise<unknown>, code: string, re?: RegExp): Promise<ImportError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ImportError, `ImportError attendue, reçu ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes('\n'), 'message sur une ligne');
    if (re) assert.match(e.message, re);
    return e;
  }
  assert.fail(`aucune erreur (attendu ${code})`);
}

/** A one-entry ZIP archive (stored, no compression), to fake a zip that is not a workbook. */
function makeZip(name: string, content: string): Uint8Array {
  const data = Buffer.from(content);
  const fname = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(fname.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(fname.length, 28);
  const localPart = Buffer.concat([local, fname, data]);
  const centralPart = Buffer.concat([central, fname]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12); end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

test('CSV « ; » en Windows-1252 : accents, thèmes, collèges, dates, codes postaux, lignes', async () => {
  const csv = [
    'Date;Pseudonyme;Code postal;Profil;Thème;Contribution',
    '12/10/2022;Citoyen_4821;12000;Usager;Thématique 1;Mon médecin part à la retraite et personne ne reprend sa patientèle à Rodez.',
    '13/10/22;Elu_0007;12100;Élu(e);Continuité des soins;Les urgences de Millau ferment la nuit en été, c’est inquiétant.',
    '2022-10-14;Soignant_55;12200;Professionnel de santé;Thème 3;Il faut des logements pour les internes.',
    '15/10/2022;Anonyme_9;Aveyron (12);Citoyen;Santé mentale des jeunes;Trop d’attente en pédopsychiatrie.',
    '16/10/2022;X_1;12300;Martien;Économie;Texte dont le thème et le profil sont inconnus.',
    '17/10/2022;X_2;12300;Usager;Économie;Même thème inconnu.',
    '18/10/2022;X_3;12300;Usager;Prévention;',
  ].join('\r\n') + '\r\n';
  const bytes = iconv.encode(csv, 'win1252');
  assert.ok(!utf8(csv).every((b, i) => b === bytes[i]), 'le fichier de test doit bien être en Windows-1252');
  const doc = await parseTabular(bytes, 'contributions.csv', opts);
  assert.equal(doc.parser, 'tabular');
  assert.equal(doc.mediaType, 'text/csv');
  assert.equal(doc.documentId, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(doc.contributions.length, 6);
  const [a, b, c, d, e] = doc.contributions;
  assert.equal(a!.text, 'Mon médecin part à la retraite et personne ne reprend sa patientèle à Rodez.');
  assert.equal(b!.text, 'Les urgences de Millau ferment la nuit en été, c’est inquiétant.');
  assert.deepEqual(doc.contributions.map((x) => x.source.row), [2, 3, 4, 5, 6, 7]);
  assert.equal(a!.id, `${doc.documentId.slice(0, 12)}:r2`);
  assert.equal(a!.source.file, 'contributions.csv');
  assert.equal(a!.channel, 'import_tableur');
  assert.equal(a!.moderation.status, 'pending');
  assert.deepEqual(doc.contributions.map((x) => x.themes.map((t) => t.theme)), [['1'], ['2'], ['3'], ['sante-mentale-jeunes'], [], []]);
  assert.deepEqual(a!.themes[0]!.provenance, { by: 'source', documentId: doc.documentId, detail: 'Thématique 1' });
  assert.deepEqual(doc.contributions.map((x) => x.authorCollege), ['usagers', 'elus', 'professionnels', 'usagers', undefined, 'usagers']);
  assert.deepEqual(doc.contributions.map((x) => x.date), ['2022-10-12', '2022-10-13', '2022-10-14', '2022-10-15', '2022-10-16', '2022-10-17']);
  assert.equal(a!.territory, '12');
  assert.equal(d!.territory, '12');
  assert.equal(c!.authorPseudonym, 'Soignant_55');
  assert.equal(e!.authorCollege, undefined);
  const theme = doc.warnings.filter((w) => w.code === 'tabular.theme_unknown');
  assert.equal(theme.length, 1, 'un avertissement par valeur distincte');
  assert.match(theme[0]!.message, /« Économie ».*2 lignes : 6, 7/);
  assert.equal(doc.warnings.filter((w) => w.code === 'tabular.college_unknown').length, 1);
  const empty = doc.warnings.find((w) => w.code === 'tabular.empty_text');
  assert.match(empty!.message, /1 ligne.*: 8\./);
  // re-import: same ids
  const again = await parseTabular(bytes, 'renamed.csv', opts);
  assert.deepEqual(again.contributions.map((x) => x.id), doc.contributions.map((x) => x.id));
});

test('CSV « , » UTF-8 avec BOM et champ multiligne entre guillemets', async () => {
  const csv = '\uFEFFTexte,Catégorie,Auteur\n"Première ligne,\nseconde ligne avec ""guillemets""",Urgences,p1\nCourt,Prévention,p2\n\n';
  const bytes = utf8(csv);
  const table = await readTable(bytes, 'f.csv');
  assert.equal(table.encoding, 'utf-8');
  assert.equal(table.delimiter, ',');
  assert.equal(table.rows[0]!.cells[0], 'Texte', 'BOM retiré');
  const doc = await parseTabular(bytes, 'f.csv', opts);
  assert.equal(doc.contributions.length, 2);
  assert.equal(doc.contributions[0]!.text, 'Première ligne,\nseconde ligne avec "guillemets"');
  assert.deepEqual(doc.contributions.map((c) => c.source.row), [2, 3]);
  assert.deepEqual(doc.contributions.map((c) => c.themes[0]?.theme), ['2', '4']);
  assert.equal(doc.contributions[1]!.authorPseudonym, 'p2');
  assert.ok(!doc.warnings.some((w) => w.code === 'tabular.empty_text'), 'les lignes vides ne sont pas des contributions sans texte');
});

test('XLSX construit avec exceljs : texte enrichi, formule, date, feuille choisie', async () => {
  const wb = new ExcelJS.Workbook();
  const first = wb.addWorksheet('Notes');
  first.addRow(['rien à importer ici']);
  const ws = wb.addWorksheet('Contributions');
  ws.addRow(['Date de dépôt', 'Vous êtes', 'Thématique', 'Votre contribution', 'Département']);
  ws.addRow([new Date(Date.UTC(2022, 9, 20)), 'Élue', 'Thème 2', { richText: [{ text: 'Le SAS ' }, { font: { bold: true }, text: 'fonctionne bien' }] }, 12]);
  ws.addRow([44835, 'Association', '4', { formula: 'CONCATENATE("Plus de ","sport santé")', result: 'Plus de sport santé' }, '2A']);
  ws.addRow([]);
  ws.addRow(['01/11/2022', 'Infirmière libérale', 'attractivité', 'Aider au logement des stagiaires', '46000']);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  const doc = await parseTabular(bytes, 'tableau.xlsx', { ...opts, sheet: 'Contributions' });
  assert.equal(doc.mediaType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.deepEqual(doc.contributions.map((c) => c.text), ['Le SAS fonctionne bien', 'Plus de sport santé', 'Aider au logement des stagiaires']);
  assert.deepEqual(doc.contributions.map((c) => c.source.row), [2, 3, 5], 'numéros de ligne du classeur');
  assert.deepEqual(doc.contributions.map((c) => c.source.sheet), ['Contributions', 'Contributions', 'Contributions']);
  assert.deepEqual(doc.contributions.map((c) => c.date), ['2022-10-20', '2022-10-01', '2022-11-01']);
  assert.deepEqual(doc.contributions.map((c) => c.authorCollege), ['elus', 'associations', 'professionnels']);
  assert.deepEqual(doc.contributions.map((c) => c.themes.map((t) => t.theme)), [['2'], ['4'], ['3']]);
  assert.deepEqual(doc.contributions.map((c) => c.territory), ['12', '2A', '46']);
  // without `sheet`, the first sheet is read: no text column there
  await rejects(parseTabular(bytes, 'tableau.xlsx', opts), 'import.no_text_column');
  await rejects(parseTabular(bytes, 'tableau.xlsx', { ...opts, sheet: 'Feuil9' }), 'import.no_sheet', /« Feuil9 ».*« Notes », « Contributions »/);
});

test('export Decidim des propositions : colonnes traduites, HTML retiré, retrait', async () => {
  const header = 'id;category/id;category/name/fr;scope/id;scope/name/fr;participatory_space/id;component/id;title/fr;body/fr;state;reference;supports;endorsements/total_count;comments;published_at;url';
  const rows = [
    '101;3;Accès à un médecin traitant;7;12;2;9;Une maison de santé à Espalion;"<p>Regrouper les <strong>généralistes</strong> &amp; les infirmiers.</p><ul><li>locaux</li><li>secrétariat</li></ul>";accepted;CNR-PROP-101;14;2;1;2022-10-12 14:33:21 UTC;https://exemple.invalid/proposals/101',
    '102;4;Urgences;7;12;2;9;Ligne de garde;<p>Un numéro unique la nuit.</p>;withdrawn;CNR-PROP-102;0;0;0;2022-10-13T09:00:00+02:00;https://exemple.invalid/proposals/102',
  ];
  const bytes = utf8([header, ...rows].join('\n'));
  const doc = await parseTabular(bytes, 'export-propositions.csv', opts);
  assert.equal(doc.parser, 'tabular-decidim');
  const [a, b] = doc.contributions;
  assert.equal(a!.text, 'Une maison de santé à Espalion\nRegrouper les généralistes & les infirmiers.\n- locaux\n- secrétariat');
  assert.match(a!.rawText!, /<strong>/);
  assert.equal(a!.channel, 'en_ligne');
  assert.equal(a!.themes[0]?.theme, '1');
  assert.equal(b!.themes[0]?.theme, '2');
  assert.equal(a!.territory, '12');
  assert.equal(a!.date, '2022-10-12T14:33:21Z');
  assert.equal(b!.date, '2022-10-13T07:00:00Z');
  assert.equal(a!.moderation.status, 'pending');
  assert.equal(b!.moderation.status, 'rejected');
  assert.match(b!.moderation.reason!, /retirée/);
});

test('export Polis comments.csv : modération, horodatage, auteur', async () => {
  const csv = [
    'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body',
    '1665576000000,Wed Oct 12 2022 14:00:00 GMT+0200,0,12,8,1,1,Ouvrir un centre de santé à Decazeville',
    '1665579600000,Wed Oct 12 2022 15:00:00 GMT+0200,1,13,0,3,-1,"hors sujet, publicité"',
    '1665583200000,Wed Oct 12 2022 16:00:00 GMT+0200,2,12,2,2,0,Des bus vers l’hôpital le samedi',
  ].join('\n');
  const doc = await parseTabular(utf8(csv), 'comments.csv', opts);
  assert.equal(doc.parser, 'tabular-polis');
  assert.deepEqual(doc.contributions.map((c) => c.moderation.status), ['published', 'rejected', 'pending']);
  assert.match(doc.contributions[1]!.moderation.reason!, /moderated = -1/);
  assert.equal(doc.contributions[0]!.date, '2022-10-12T12:00:00Z');
  assert.equal(doc.contributions[2]!.authorPseudonym, 'polis-12');
  assert.equal(doc.contributions[0]!.channel, 'en_ligne');
  assert.deepEqual(doc.contributions.map((c) => c.source.row), [2, 3, 4]);
});

test('--map remplace la détection ; une colonne absente est une erreur', async () => {
  const csv = 'Remarques;Colonne B;Rubrique\nà ignorer;Le vrai texte;Thème 4\n';
  const detected = await parseTabular(utf8(csv), 'm.csv', opts);
  assert.equal(detected.contributions[0]!.text, 'à ignorer');
  const mapped = await parseTabular(utf8(csv), 'm.csv', { ...opts, map: { text: 'colonne b', theme: 'Rubrique' } });
  assert.equal(mapped.contributions[0]!.text, 'Le vrai texte');
  assert.equal(mapped.contributions[0]!.themes[0]?.theme, '4');
  await rejects(parseTabular(utf8(csv), 'm.csv', { ...opts, map: { text: 'Ma colonne' } }), 'import.map_missing_column', /« Ma colonne ».*« Colonne B »/);
  await rejects(parseTabular(utf8(csv), 'm.csv', { ...opts, map: { couleur: 'Colonne B' } }), 'import.map_unknown_role');
});

test('erreurs : vide, binaire, zip non xlsx, sans colonne de texte, trop gros, sans feuille, sans données', async () => {
  await rejects(parseTabular(new Uint8Array(0), 'vide.csv', opts), 'import.empty');
  await rejects(parseTabular(utf8(' \n\n'), 'blanc.csv', opts), 'import.empty');
  await rejects(parseTabular(new Uint8Array([0x54, 0x65, 0x78, 0x00, 0x01, 0x02, 0x74]), 'image.csv', opts), 'import.binary');
  await rejects(parseTabular(makeZip('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'), 'renomme.csv', opts), 'import.invalid_xlsx');
  await rejects(parseTabular(makeZip('a.txt', 'x').subarray(0, 40), 'tronque.xlsx', opts), 'import.invalid_xlsx');
  const noText = await rejects(parseTabular(utf8('Nom;Âge\nA;3\n'), 'n.csv', opts), 'import.no_text_column');
  assert.match(noText.message, /« Nom », « Âge »/);
  assert.match(noText.message, /--map text=/);
  await rejects(parseTabular(Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x41), 'enorme.csv', opts), 'import.too_large', /trop volumineux/);
  await rejects(parseTabular(utf8('Date;Contribution\n'), 'entete.csv', opts), 'import.no_data');
  const empty = new ExcelJS.Workbook();
  await rejects(parseTabular(new Uint8Array(await empty.xlsx.writeBuffer()), 'sans-feuille.xlsx', opts), 'import.no_sheet');
  const blank = new ExcelJS.Workbook();
  blank.addWorksheet('Feuil1');
  await rejects(parseTabular(new Uint8Array(await blank.xlsx.writeBuffer()), 'feuille-vide.xlsx', opts), 'import.empty');
  await rejects(parseTabular(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'ancien.xls', opts), 'import.unsupported_format');
});

test('valeurs : thèmes, collèges, dates, territoires', () => {
  assert.equal(matchTheme('Thématique 2', THEMES), '2');
  assert.equal(matchTheme('THEME 3', THEMES), '3');
  assert.equal(matchTheme('4 - Prévention', THEMES), '4');
  assert.equal(matchTheme('continuite des soins', THEMES), '2');
  assert.equal(matchTheme('Santé mentale des jeunes', THEMES), 'sante-mentale-jeunes');
  assert.equal(matchTheme('sante-mentale-jeunes', THEMES), 'sante-mentale-jeunes');
  assert.equal(matchTheme('Urgences', THEMES), '2');
  assert.equal(matchTheme('Accès', THEMES), '1');
  assert.equal(matchTheme('Économie', THEMES), undefined);
  assert.equal(matchTheme('Thème 9', THEMES), undefined);
  assert.equal(matchCollege('Représentant des usagers'), 'associations');
  assert.equal(matchCollege('Conseillère départementale'), 'elus');
  assert.equal(matchCollege('Pharmacien'), 'professionnels');
  assert.equal(matchCollege('Habitante'), 'usagers');
  assert.equal(matchCollege('ARS'), 'institutionnels');
  assert.equal(parseDate('05/11/22'), '2022-11-05');
  assert.equal(parseDate('5/11/2022 18h30'), '2022-11-05T18:30:00');
  assert.equal(parseDate('31/02/2022'), undefined);
  assert.equal(parseDate('44835'), '2022-10-01');
  assert.equal(parseDate('lundi'), undefined);
  assert.equal(parseTerritory('12850'), '12');
  assert.equal(parseTerritory('20090'), '2A');
  assert.equal(parseTerritory('9'), '09');
  assert.equal(parseTerritory('1000'), '01');
  assert.equal(parseTerritory('12 - Aveyron'), '12');
  assert.equal(parseTerritory('Rodez'), undefined);
});
