/**
 * DOCX with the `docx` package: real Title / Heading 1–3 styles, a table-of-contents field, bullet
 * lists, tables with a repeated header row, charts as PNG images (when chromium could rasterise them,
 * otherwise a note and the values as a list), internal links from counts to bookmarks in the compact
 * appendix of sources, each quote's source beside it.
 */
import {
  AlignmentType, Bookmark, Document, Footer, HeadingLevel, ImageRun, InternalHyperlink, Packer, PageNumber, Paragraph,
  ShadingType, Table, TableCell, TableOfContents, TableRow, TextRun, WidthType, type ParagraphChild,
} from 'docx';
import type { Block, IdeaItem, Inline, Section, SynthesisDocument } from '../model.ts';
import { agree } from '../agree.ts';
import { ANNEX_TITLE, annexFiguresIntro, annexIntro, DocIndex, LINKED_OBJECTIVES_LEAD, buildAnnex, formatValue, generatedLine, linkedObjectiveParts, quoteSource, repeatNote } from './common.ts';

export interface DocxOptions {
  /** PNG of each chart block, by block key (from rasteriseSvg); charts without one get a note */
  chartPngs?: Map<string, { png: Buffer; width: number; height: number }>;
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;

/** Word bookmark names: letters, digits, underscore, at most 40 characters, starting with a letter. */
function bm(anchor: string): string {
  return `b_${anchor.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 40);
}

export async function renderDocx(doc: SynthesisDocument, options: DocxOptions = {}): Promise<Buffer> {
  const idx = new DocIndex(doc);
  const body: (Paragraph | Table | TableOfContents)[] = [];
  const lang = { value: 'fr-FR' };
  const run = (text: string, o: { bold?: boolean; italics?: boolean } = {}) => new TextRun({ text, language: lang, ...o });
  const figLink = (key: string): ParagraphChild => {
    const { f, anchor } = idx.figure(key);
    return new InternalHyperlink({ anchor: bm(anchor), children: [new TextRun({ text: formatValue(f), bold: true, style: 'Hyperlink', language: lang })] });
  };
  const inline = (xs: Inline[]): ParagraphChild[] => idx.inlines(xs).map((x) => (typeof x === 'string' ? run(x) : figLink(x.figure)));
  const quoteParagraph = (id: string, level: number) => {
    const { q, anchor } = idx.quote(id);
    return new Paragraph({ bullet: { level: Math.min(level, 8) }, children: [
      new Bookmark({ id: bm(anchor), children: [run(`« ${q.text}${q.excerpt ? ' […]' : ''} » `, { italics: true })] }),
      ...(repeatNote(q) ? [run(`(${repeatNote(q)}) `)] : []),
      new TextRun({ text: `(${quoteSource(q, idx)}${q.chosen ? ', choisie par la rédaction' : ''})`, size: 16, language: lang }),
    ] });
  };
  const idea = (it: IdeaItem, level: number) => {
    const children: ParagraphChild[] = [run(it.label, { bold: level === 0 }), run(' — '), figLink(it.figure)];
    if (it.stated) {
      children.push(run(' (annoncé par la source : '), figLink(it.stated));
      if (it.difference) children.push(run(' ; écart : '), figLink(it.difference));
      children.push(run(')'));
    }
    body.push(new Paragraph({ bullet: { level: Math.min(level, 8) }, children }));
    if (it.objectives && it.objectives.length > 0) {
      // under the idea, no bullet, smaller: the plan elements that take it up
      const small = (text: string, bold = false) => new TextRun({ text, size: 18, bold, language: lang });
      const parts: ParagraphChild[] = [small(`${LINKED_OBJECTIVES_LEAD} : `)];
      it.objectives.forEach((o, i) => {
        const p = linkedObjectiveParts(o);
        if (i > 0) parts.push(small(' ; '));
        parts.push(small(p.code, true), small(p.rest));
      });
      body.push(new Paragraph({ indent: { left: 720 * (Math.min(level, 8) + 1) }, children: parts }));
    }
    for (const q of it.quotes) body.push(quoteParagraph(q, level + 1));
    for (const c of it.children) idea(c, level + 1);
  };
  const cell = (children: ParagraphChild[], header = false) => new TableCell({
    children: [new Paragraph({ children })],
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E3EBF5' } } : {}),
  });
  const block = (b: Block) => {
    switch (b.type) {
      case 'paragraph': body.push(new Paragraph({ children: inline(b.content) })); break;
      case 'editorial':
        if (b.text.trim()) for (const p of b.text.split(/\n\s*\n/)) body.push(new Paragraph({ children: [run(p.trim())] }));
        else if (!b.optional) body.push(new Paragraph({ children: [run(b.placeholder, { italics: true })], border: { left: { style: 'dashed', size: 6, color: '8C8C8C', space: 6 } } }));
        break;
      case 'note':
        body.push(new Paragraph({ shading: { type: ShadingType.CLEAR, color: 'auto', fill: b.level === 'warning' ? 'FFF4E5' : 'EEF3FA' },
          children: [run(b.level === 'warning' ? 'Attention : ' : 'À noter : ', { bold: true }), ...inline(b.content)] }));
        break;
      case 'slot': body.push(new Paragraph({ children: [run(b.text, { italics: true })] })); break;
      case 'table': {
        body.push(new Paragraph({ keepNext: true, children: [run(b.caption, { bold: true })] }));
        const rows = [new TableRow({ tableHeader: true, children: b.columns.map((c) => cell([run(c, { bold: true })], true)) })];
        for (const r of b.rows) {
          rows.push(new TableRow({ children: [cell([run(r.header, { bold: !!r.total })]), ...r.cells.map((c) =>
            cell('figure' in c ? [figLink(c.figure)] : 'nc' in c ? [run('non communiqué', { italics: true })] : [run(c.text, { bold: !!r.total })]))] }));
        }
        body.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }));
        body.push(new Paragraph({ children: [] }));
        break;
      }
      case 'ideas':
        if (b.intro) body.push(new Paragraph({ children: inline(b.intro) }));
        for (const it of b.items) idea(it, 0);
        break;
      case 'quotes':
        if (b.intro) body.push(new Paragraph({ children: inline(b.intro) }));
        for (const q of b.quotes) body.push(quoteParagraph(q, 0));
        break;
      case 'chart': {
        body.push(new Paragraph({ keepNext: true, children: [run(b.title, { bold: true })] }));
        const img = options.chartPngs?.get(b.key);
        if (img) {
          const width = 600;
          const height = Math.round((img.height / img.width) * width);
          body.push(new Paragraph({ children: [new ImageRun({ type: 'png', data: img.png, transformation: { width, height },
            altText: { name: b.key, title: b.title, description: b.description } })] }));
        } else {
          body.push(new Paragraph({ children: [run('Graphique omis : chromium n’était pas disponible pour le dessiner. Valeurs :', { italics: true })] }));
        }
        for (const bar of b.bars) body.push(new Paragraph({ bullet: { level: 0 }, children: [run(`${bar.label} : `), figLink(bar.figure)] }));
        break;
      }
    }
  };
  const section = (s: Section) => {
    body.push(new Paragraph({ heading: HEADINGS[s.level - 1], children: [run(s.title)] }));
    for (const b of s.blocks) block(b);
    for (const c of s.sections) section(c);
  };

  body.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [run(doc.title)] }));
  body.push(new Paragraph({ children: [run(doc.subtitle, { bold: true })] }));
  body.push(new Paragraph({ children: [run(generatedLine(doc), { italics: true })] }));
  for (const n of doc.notices) body.push(new Paragraph({ children: [run('Avertissement : ', { bold: true }), run(n)] }));
  body.push(new TableOfContents('Table des matières', { hyperlink: true, headingStyleRange: '1-3' }));
  for (const s of doc.sections) section(s);

  const annex = buildAnnex(doc, idx);
  const small = (text: string, o: { bold?: boolean } = {}) => new TextRun({ text, size: 17, language: lang, ...o });
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [run(ANNEX_TITLE)] }));
  body.push(new Paragraph({ children: [run(annexIntro(doc))] }));
  // a report without ideas (a coverage report of plan items only) has no such list
  if (annex.ideas.length > 0) body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run('Contributions de chaque idée')] }));
  for (const list of annex.ideas) {
    body.push(new Paragraph({ keepNext: true, children: [run(list.title, { bold: true })] }));
    for (const it of list.ideas) {
      body.push(new Paragraph({ indent: { left: 360 * it.depth }, children: [
        new Bookmark({ id: bm(it.anchor), children: [small(`${it.label} (${formatValue(it.figure)})`, { bold: it.depth === 0 })] }), small(` : ${it.refs}`)] }));
    }
  }
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run('Autres chiffres')] }));
  body.push(new Paragraph({ children: [run(annexFiguresIntro(doc))] }));
  for (const { f, anchor } of annex.figures) {
    body.push(new Paragraph({ children: [new Bookmark({ id: bm(anchor), children: [small(`${f.label} : `)] }), small(formatValue(f), { bold: true })] }));
  }
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run('Documents sources')] }));
  for (const src of annex.sources) {
    body.push(new Paragraph({ bullet: { level: 0 }, children: [run(`${src.file} : ${agree(`${src.contributions.toLocaleString('fr-FR')} contribution(s) comptée(s) ou citée(s)`, src.contributions)}`)] }));
  }

  const document = new Document({
    creator: 'Fabrique',
    title: `${doc.title} — ${doc.territoryName}`,
    description: doc.subtitle,
    features: { updateFields: true },
    styles: { default: { document: { run: { font: 'Liberation Sans', size: 21, language: lang } } } },
    sections: [{
      properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1020, bottom: 1134, left: 907, right: 907 } } },
      footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [
        new TextRun({ children: ['Page ', PageNumber.CURRENT, ' sur ', PageNumber.TOTAL_PAGES], size: 16 })] })] }) },
      children: body,
    }],
  });
  return Packer.toBuffer(document);
}
