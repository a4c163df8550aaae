import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { readDocument, readDocx, readMarkdown, readPdf } from '../src/ingest/readers/index.ts';
import type { ReadDocument } from '../src/ingest/readers/types.ts';
import { ImportError } from '../src/ingest/types.ts';
import { miniPdf, type PdfText } from './helpers/mini-pdf.ts';
import { miniZip } from './helpers/mini-zip.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** Every line's text sits at its offsets in the document text. */
function assertOffsets(doc: ReadDocument): void {
  for (const l of doc.lines) assert.equal(doc.text.slice(l.charStart, l.charEnd), l.text, `ligne ${l.lineNo}`);
}

async function rejectsWith(p: Promise<unknown>, code: string, re?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ImportError, `ImportError attendue, reçu ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

test('markdown: headings, nested lists, tables, inline marks stripped', () => {
  const md = [
    '# Titre **principal**', '', 'Un paragraphe avec un [lien](https://exemple.fr) et du `code`.', '',
    '## Sous-titre', '- premier', '  - imbriqué', '    1. très imbriqué', '* second', '',
    '| a | b |', '|---|---|', '| 1 | 2 |', '', 'Setext', '======', '> citation',
  ].join('\n');
  const doc = readMarkdown(enc(md), 'essai.md');
  assertOffsets(doc);
  assert.equal(doc.lines.length, 17, 'une ligne lue par ligne source');
  const by = (t: string) => doc.lines.find((l) => l.text === t);
  assert.equal(by('Titre principal')?.heading, 1);
  assert.equal(by('Sous-titre')?.heading, 2);
  assert.ok(by('Un paragraphe avec un lien et du code.'));
  assert.equal(by('premier')?.listLevel, 1);
  assert.equal(by('imbriqué')?.listLevel, 2);
  assert.equal(by('très imbriqué')?.listLevel, 3);
  assert.equal(by('second')?.listLevel, 1);
  assert.ok(by('| a | b |'), 'tables gardées telles quelles');
  assert.equal(by('Setext')?.heading, 1);
  assert.ok(by('citation'));
});

test('pdf: lines, two columns (left then right), running headers removed, pages kept', async () => {
  const pages: PdfText[][] = [];
  for (let p = 1; p <= 3; p++) {
    const items: PdfText[] = [
      { x: 200, y: 810, text: 'En-tête courant du rapport', size: 9 },
      { x: 290, y: 30, text: String(p), size: 9 },
    ];
    for (let i = 0; i < 5; i++) {
      items.push({ x: 56, y: 700 - i * 14, text: `Gauche p${p} l${i + 1}` });
      items.push({ x: 320, y: 700 - i * 14, text: `Droite p${p} l${i + 1}` });
    }
    // a line made of two pieces with a gap, on the left column
    items.push({ x: 56, y: 600, text: 'Santé' }, { x: 90, y: 600, text: `à l’hôpital ${'ABC'[p - 1]}` });
    pages.push(items);
  }
  const doc = await readPdf(miniPdf(pages), 'deux-colonnes.pdf');
  assertOffsets(doc);
  assert.equal(doc.pageCount, 3);
  const texts = doc.lines.map((l) => l.text).filter((t) => t !== '');
  assert.ok(!texts.includes('En-tête courant du rapport'), 'en-tête retiré');
  assert.ok(!texts.some((t) => /^\d+$/.test(t)), 'numéros de page retirés');
  assert.ok(doc.warnings.some((w) => w.code === 'pdf.running_headers_removed' && /6 ligne/.test(w.message)));
  const page1 = doc.lines.filter((l) => l.page === 1 && l.text !== '').map((l) => l.text);
  assert.deepEqual(page1, ['Gauche p1 l1', 'Gauche p1 l2', 'Gauche p1 l3', 'Gauche p1 l4', 'Gauche p1 l5', 'Santé à l’hôpital A',
    'Droite p1 l1', 'Droite p1 l2', 'Droite p1 l3', 'Droite p1 l4', 'Droite p1 l5']);
  assert.ok(doc.lines.filter((l) => l.page === 3 && l.text !== '').length === 11);
  assert.equal(doc.lines.find((l) => l.text === 'Droite p2 l1')?.x, 320);
});

test('pdf: single column keeps top-to-bottom order', async () => {
  const doc = await readPdf(miniPdf([[{ x: 72, y: 700, text: 'Première ligne' }, { x: 72, y: 686, text: 'Deuxième ligne' }, { x: 72, y: 600, text: 'Après un saut' }]]), 'a.pdf');
  assert.deepEqual(doc.lines.map((l) => l.text), ['Première ligne', 'Deuxième ligne', '', 'Après un saut']);
});

test('pdf: truncated, encrypted, scanned and page limit', async () => {
  const good = miniPdf([[{ x: 72, y: 700, text: 'Texte' }], [{ x: 72, y: 700, text: 'Suite' }]]);
  await rejectsWith(readDocument(good.slice(0, 120), 'tronque.pdf'), 'import.pdf_corrupt', /tronqué ou endommagé/);
  await rejectsWith(readDocument(miniPdf([[{ x: 72, y: 700, text: 'Secret' }]], { encrypt: true }), 'chiffre.pdf'), 'import.pdf_encrypted', /mot de passe/);
  await rejectsWith(readDocument(miniPdf([[], []]), 'scan.pdf'), 'import.pdf_no_text', /scanné/);
  const limited = await readPdf(good, 'long.pdf', { maxPages: 1 });
  assert.deepEqual(limited.lines.map((l) => l.text), ['Texte']);
  assert.ok(limited.warnings.some((w) => w.code === 'pdf.too_many_pages'));
});

async function sampleDocx(): Promise<Uint8Array> {
  const doc = new Document({
    sections: [{
      children: [
        new Paragraph({ text: 'Synthèse de restitution', heading: HeadingLevel.HEADING_1 }),
        new Paragraph({ children: [new TextRun('Un paragraphe '), new TextRun({ text: 'en gras', bold: true }), new TextRun(' & fin.')] }),
        new Paragraph({ text: 'Constats', heading: HeadingLevel.HEADING_2 }),
        new Paragraph({ text: 'Premier point', bullet: { level: 0 } }),
        new Paragraph({ text: 'Sous-point', bullet: { level: 1 } }),
        new Paragraph({ text: 'Second point', bullet: { level: 0 } }),
        new Table({
          rows: [
            new TableRow({ children: [new TableCell({ children: [new Paragraph('Collège')] }), new TableCell({ children: [new Paragraph('Nombre')] })] }),
            new TableRow({ children: [new TableCell({ children: [new Paragraph('Élus')] }), new TableCell({ children: [new Paragraph('11')] })] }),
          ],
        }),
        new Paragraph('Après le tableau'),
      ],
    }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

test('docx: headings, list levels, table rows with tabs, paragraphs', async () => {
  const bytes = await sampleDocx();
  const doc = await readDocument(bytes, 'essai.docx');
  assertOffsets(doc);
  const by = (t: string) => doc.lines.find((l) => l.text === t);
  assert.equal(by('Synthèse de restitution')?.heading, 1);
  assert.equal(by('Constats')?.heading, 2);
  assert.ok(by('Un paragraphe en gras & fin.'));
  assert.equal(by('Premier point')?.listLevel, 1);
  assert.equal(by('Sous-point')?.listLevel, 2);
  assert.equal(by('Second point')?.listLevel, 1);
  assert.ok(by('Collège\tNombre'));
  assert.ok(by('Élus\t11'));
  assert.equal(by('Après le tableau')?.listLevel, undefined);
});

test('docx: not a zip, zip without word/document.xml, zip bombs', async () => {
  await rejectsWith(readDocx(enc('ceci n’est pas un zip'), 'faux.docx'), 'import.zip_invalid');
  await rejectsWith(readDocument(enc('ceci n’est pas un zip'), 'faux.docx'), 'import.zip_invalid');
  await rejectsWith(readDocument(miniZip([{ name: 'autre.txt', data: 'x' }]), 'archive.docx'), 'import.unsupported');
  await rejectsWith(readDocx(miniZip([{ name: 'autre.txt', data: 'x' }]), 'archive.docx'), 'import.docx_invalid');
  // central directory declaring a huge uncompressed size
  const declared = miniZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>', declaredSize: 0xfff00000 }]);
  await rejectsWith(readDocument(declared, 'bombe.docx'), 'import.zip_bomb', /bombe ZIP/);
  // an archive that lies (small declared sizes) but inflates to more than 200 MB
  const zeros = new Uint8Array(201 * 1024 * 1024);
  const lying = miniZip([{ name: 'word/document.xml', data: '<w:document/>' }, { name: 'word/media/x.bin', data: zeros, declaredSize: 1000 }]);
  assert.ok(lying.length < 1024 * 1024);
  await rejectsWith(readDocument(lying, 'menteuse.docx'), 'import.zip_bomb');
});

test('readDocument: empty, binary, text, markdown, tabular', async () => {
  await rejectsWith(readDocument(new Uint8Array(0), 'vide.txt'), 'import.empty', /vide/);
  await rejectsWith(readDocument(new Uint8Array([0x00, 0x01, 0x02, 0xff, 0x00]), 'inconnu.bin'), 'import.binary');
  const txt = await readDocument(enc('ligne 1\nligne 2\fpage 2'), 'a.txt');
  assert.equal(txt.pageCount, 2);
  const md = await readDocument(enc('# Titre\n- item'), 'a.markdown');
  assert.equal(md.lines[0]?.heading, 1);
  assert.equal(md.mediaType, 'text/markdown');
  await rejectsWith(readDocument(miniZip([{ name: 'xl/workbook.xml', data: '<workbook/>' }]), 'tableau.xlsx'), 'import.tabular', /fabrique import/);
  // content wins over extension
  const pdfNamedTxt = await readDocument(miniPdf([[{ x: 72, y: 700, text: 'Contenu PDF' }]]), 'mal-nomme.txt');
  assert.equal(pdfNamedTxt.mediaType, 'application/pdf');
});
