/**
 * Renders the demo workshop reports (demo/ateliers/*.md, the source written by hand) into the two
 * formats in which such reports really reach a délégation départementale:
 *
 * - DOCX, built with the `docx` package: headings (Titre 1..6), bulleted lists on two levels
 *   (• then –), the participants table as a real Word table;
 * - PDF, A4, printed by Chromium (playwright-core, the system /usr/bin/chromium) from an HTML
 *   rendering of the same structure. List markers are text ("• ", "– "), as in a PDF exported from
 *   Word, so that they survive text extraction.
 *
 * The output is reproducible: fixed dates in the DOCX properties and zip entries, fixed
 * CreationDate/ModDate in the PDF. Usage:
 *
 *   node --import tsx scripts/render-demo-reports.ts [dossier]   (default: demo/ateliers)
 *
 * The Markdown subset understood is the one of the reports: ATX headings, paragraphs, "- " list
 * items (two-space indentation for the second level) and pipe tables.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType, BorderStyle, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import JSZip from 'jszip';
import { chromium } from 'playwright-core';

export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; level: 1 | 2; text: string }
  | { kind: 'table'; rows: string[][] };

/** The Markdown subset of the reports → blocks. Throws on anything it does not know. */
export function parseReportMarkdown(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const h = /^(#{1,6})\s+(.*?)\s*$/.exec(line);
    if (h) { blocks.push({ kind: 'heading', level: h[1]!.length, text: h[2]! }); continue; }
    const item = /^( *)- (.*)$/.exec(line);
    if (item) {
      const indent = item[1]!.length;
      if (indent !== 0 && indent !== 2) throw new Error(`ligne ${i + 1} : indentation de liste ${indent} (0 ou 2 attendus)`);
      blocks.push({ kind: 'item', level: indent === 0 ? 1 : 2, text: item[2]!.trim() });
      continue;
    }
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
        const row = lines[i]!.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
        if (row.every((c) => /^:?-+:?$/.test(c))) continue;
        rows.push(row);
      }
      i--;
      blocks.push({ kind: 'table', rows });
      continue;
    }
    if (/^\s/.test(line)) throw new Error(`ligne ${i + 1} : ligne indentée hors liste`);
    blocks.push({ kind: 'paragraph', text: line.trim() });
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// DOCX

const FIXED_DATE = new Date(Date.UTC(2022, 11, 1, 9, 0, 0));
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5, HeadingLevel.HEADING_6] as const;

export async function toDocx(blocks: Block[], title: string): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') {
      children.push(new Paragraph({ text: b.text, heading: HEADINGS[b.level - 1] ?? HeadingLevel.HEADING_6 }));
    } else if (b.kind === 'paragraph') {
      children.push(new Paragraph({ children: [new TextRun(b.text)], spacing: { after: 120 } }));
    } else if (b.kind === 'item') {
      children.push(new Paragraph({ children: [new TextRun(b.text)], numbering: { reference: 'puces', level: b.level - 1 } }));
    } else {
      const border = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
      children.push(new Table({
        width: { size: 70, type: WidthType.PERCENTAGE },
        rows: b.rows.map((row, r) => new TableRow({
          tableHeader: r === 0,
          children: row.map((cell, c) => new TableCell({
            borders: { top: border, bottom: border, left: border, right: border },
            width: { size: c === 0 ? 75 : 25, type: WidthType.PERCENTAGE },
            children: [new Paragraph({
              alignment: c === 0 ? AlignmentType.LEFT : AlignmentType.RIGHT,
              children: [new TextRun({ text: cell, bold: r === 0 })],
            })],
          })),
        })),
      }));
      children.push(new Paragraph({ text: '' }));
    }
  }
  const doc = new Document({
    creator: 'Fabrique (démonstration)',
    title,
    description: 'Compte-rendu d’atelier fictif de la consultation de démonstration de Fabrique.',
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    numbering: {
      config: [{
        reference: 'puces',
        levels: [
          { level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 540, hanging: 270 } } } },
          { level: 1, format: LevelFormat.BULLET, text: '–', alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 1080, hanging: 270 } } } },
        ],
      }],
    },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 } } }, children }],
  });
  return reproducibleZip(await Packer.toBuffer(doc));
}

/** Rewrites a DOCX with fixed dates (document properties and zip entries): same input, same bytes. */
async function reproducibleZip(bytes: Buffer): Promise<Buffer> {
  const src = await JSZip.loadAsync(bytes);
  const out = new JSZip();
  const iso = FIXED_DATE.toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const name of Object.keys(src.files).sort()) {
    const f = src.files[name]!;
    if (f.dir) continue;
    let data: string | Uint8Array = await f.async('uint8array');
    if (name === 'docProps/core.xml') {
      data = new TextDecoder().decode(data)
        .replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${iso}$2`);
    }
    out.file(name, data, { date: FIXED_DATE, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

// ---------------------------------------------------------------------------------------------
// HTML → PDF

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline text: compound words ("sous-denses", "Nord-Aveyron") are never broken at their hyphen. */
function inlineHtml(s: string): string {
  return escapeHtml(s).replace(/\S*\p{L}-\p{L}\S*/gu, (w) => `<span class="nw">${w}</span>`);
}

export function toHtml(blocks: Block[], title: string): string {
  const body: string[] = [];
  let open = 0; // open list levels
  const closeTo = (level: number) => {
    while (open > level) { body.push(open === 2 ? '</li></ul>' : '</li></ul>'); open--; }
  };
  for (const b of blocks) {
    if (b.kind === 'item') {
      if (b.level > open) {
        while (open < b.level) { body.push(open === 0 ? '<ul class="l1"><li>' : '<ul class="l2"><li>'); open++; }
      } else {
        closeTo(b.level);
        body.push('</li><li>');
      }
      body.push(inlineHtml(b.text));
      continue;
    }
    closeTo(0);
    if (b.kind === 'heading') body.push(`<h${b.level}>${inlineHtml(b.text)}</h${b.level}>`);
    else if (b.kind === 'paragraph') body.push(`<p>${inlineHtml(b.text)}</p>`);
    else {
      body.push('<table>');
      b.rows.forEach((row, r) => {
        const tag = r === 0 ? 'th' : 'td';
        body.push(`<tr>${row.map((c) => `<${tag}>${inlineHtml(c)}</${tag}>`).join('')}</tr>`);
      });
      body.push('</table>');
    }
  }
  closeTo(0);
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
  @page { size: A4; margin: 20mm 20mm 22mm 20mm; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.35; color: #111; }
  h1 { font-size: 15pt; margin: 0 0 10pt; }
  h2 { font-size: 13.5pt; margin: 16pt 0 6pt; }
  h3 { font-size: 12.5pt; margin: 14pt 0 6pt; color: #1d4e89; }
  h4 { font-size: 11pt; margin: 14pt 0 6pt; color: #1d4e89; }
  h5 { font-size: 10pt; margin: 12pt 0 6pt; }
  h6 { font-size: 10pt; margin: 10pt 0 4pt; font-style: italic; }
  p { margin: 0 0 8pt; }
  ul { margin: 0 0 8pt; padding-left: 18pt; }
  ul.l1 { list-style-type: "•  "; }
  ul.l2 { list-style-type: "–  "; margin: 0; }
  li { margin: 0; }
  table { border-collapse: collapse; margin: 4pt 0 10pt; }
  th, td { border: 0.5pt solid #777; padding: 2pt 8pt; text-align: left; }
  td + td, th + th { text-align: right; }
  .nw { white-space: nowrap; }
</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

/** Fixes the dates Chromium writes in the PDF, keeping their length so that the xref offsets stay valid. */
function reproduciblePdf(pdf: Buffer): Buffer {
  const fixed = "D:20221201090000+00'00'";
  const s = pdf.toString('latin1').replace(/\/(CreationDate|ModDate) \((D:[^)]*)\)/g, (m, key: string, date: string) =>
    date.length === fixed.length ? `/${key} (${fixed})` : m);
  return Buffer.from(s, 'latin1');
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../demo/ateliers/', import.meta.url));
  const sources = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    for (const f of sources) {
      const blocks = parseReportMarkdown(await readFile(join(dir, f), 'utf8'));
      const first = blocks.find((b) => b.kind === 'heading' && b.level === 3);
      const title = first && first.kind === 'heading' ? `Atelier ${first.text}` : f;
      const base = f.replace(/\.md$/, '');
      await writeFile(join(dir, `${base}.docx`), await toDocx(blocks, title));
      await page.setContent(toHtml(blocks, title), { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true, tagged: true });
      await writeFile(join(dir, `${base}.pdf`), reproduciblePdf(Buffer.from(pdf)));
      console.log(`${f} → ${base}.docx, ${base}.pdf`);
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
