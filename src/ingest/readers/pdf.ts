import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ImportWarning } from '../../domain/source.ts';
import { plural } from '../../text/french.ts';
import { ImportError } from '../types.ts';
import { linesToDocument, type ReadDocument } from './types.ts';

/** Pages read at most; the rest of a longer PDF is ignored with a warning. */
export const MAX_PDF_PAGES = 2000;
/** Wall-clock budget for the text extraction of one PDF. */
export const PDF_TIME_BUDGET_MS = 120_000;

export interface ReadPdfOptions {
  maxPages?: number;
  timeBudgetMs?: number;
}

/** A positioned piece of text of one page (PDF units, y grows upwards). */
interface Item { str: string; x: number; y: number; w: number; size: number }
interface Line { text: string; x: number; y: number; size: number; page: number; margin?: boolean }

/**
 * PDF reader (pdfjs-dist, no worker): text items grouped into lines by baseline, two-column pages
 * read left column then right column, running headers and footers removed, page number kept on
 * every line. A vertical gap larger than ~1.6 line heights becomes an empty line (paragraph break).
 */
export async function readPdf(bytes: Uint8Array, fileName: string, opts: ReadPdfOptions = {}): Promise<ReadDocument> {
  const maxPages = opts.maxPages ?? MAX_PDF_PAGES;
  const budget = opts.timeBudgetMs ?? PDF_TIME_BUDGET_MS;
  const warnings: ImportWarning[] = [];
  // pdfjs transfers (detaches) the buffer it is given: hand it a copy
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false,
    stopAtErrors: false, verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw pdfError(e, fileName);
  }
  try {
    const started = Date.now();
    const total = doc.numPages;
    let last = Math.min(total, maxPages);
    if (total > maxPages) {
      warnings.push({ level: 'warning', code: 'pdf.too_many_pages',
        message: `Le PDF compte ${total} pages : seules les ${maxPages} premières ont été lues.` });
    }
    const pages: Line[][] = [];
    const emptyPages: number[] = [];
    for (let n = 1; n <= last; n++) {
      if (Date.now() - started > budget) {
        warnings.push({ level: 'warning', code: 'pdf.time_budget',
          message: `Lecture du PDF interrompue après ${Math.round(budget / 1000)} s : pages ${n} à ${last} non lues.` });
        last = n - 1;
        break;
      }
      const page = await doc.getPage(n);
      const [x0 = 0, y0 = 0, x1 = 595, y1 = 842] = page.view;
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const it of content.items) {
        if (!('str' in it) || it.str.trim() === '') continue;
        const t = it.transform as number[];
        const size = Math.hypot(t[2] ?? 0, t[3] ?? 0) || it.height || 10;
        items.push({ str: it.str, x: t[4] ?? 0, y: t[5] ?? 0, w: it.width, size });
      }
      page.cleanup();
      if (items.length === 0) emptyPages.push(n);
      const lines = pageLines(items, x0, x1, n);
      const band = (y1 - y0) * 0.12;
      for (const l of lines) if (l.y < y0 + band || l.y > y1 - band) l.margin = true;
      pages.push(lines);
    }
    if (pages.every((p) => p.length === 0)) {
      throw new ImportError(
        `Le PDF « ${fileName} » ne contient aucun texte : c’est sans doute un document scanné (images). Faites-le passer par une reconnaissance de caractères (OCR) avant de l’importer.`,
        'import.pdf_no_text');
    }
    if (emptyPages.length > 0) {
      warnings.push({ level: 'warning', code: 'pdf.pages_without_text',
        message: `${plural(emptyPages.length, 'page', 'pages')} sans texte (scannées ou images) : ${summarise(emptyPages)}.` });
    }
    const dropped = dropRunningLines(pages);
    if (dropped.count > 0) {
      warnings.push({ level: 'info', code: 'pdf.running_headers_removed',
        message: `${plural(dropped.count, 'ligne d’en-tête ou de pied de page répétée retirée', 'lignes d’en-tête ou de pied de page répétées retirées')} (${plural(dropped.kinds, 'motif', 'motifs')}).` });
    }
    const out: { text: string; page: number; x?: number; y?: number }[] = [];
    for (const lines of pages) {
      let prev: Line | undefined;
      for (const l of lines) {
        if (prev && prev.y - l.y > Math.max(prev.size, l.size) * 1.6 && prev.y > l.y) {
          out.push({ text: '', page: l.page });
        }
        out.push({ text: l.text, page: l.page, x: round(l.x), y: round(l.y) });
        prev = l;
      }
    }
    const read = linesToDocument(out, 'application/pdf', warnings);
    read.pageCount = Math.max(read.pageCount, last);
    return read;
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw pdfError(e, fileName);
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

function pdfError(e: unknown, fileName: string): ImportError {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'PasswordException') {
    return new ImportError(
      `Le PDF « ${fileName} » est protégé par un mot de passe (chiffré) : retirez la protection puis importez-le à nouveau.`,
      'import.pdf_encrypted');
  }
  const detail = e instanceof Error && e.message ? ` (${e.message})` : '';
  return new ImportError(`Le PDF « ${fileName} » est illisible : fichier tronqué ou endommagé${detail}.`, 'import.pdf_corrupt');
}

const round = (v: number) => Math.round(v * 100) / 100;

function summarise(pages: number[]): string {
  return pages.length <= 10 ? pages.join(', ') : `${pages.slice(0, 10).join(', ')}…`;
}

/** Lines of one page in reading order, with two-column detection. */
function pageLines(items: Item[], x0: number, x1: number, page: number): Line[] {
  if (items.length === 0) return [];
  const split = findGutter(items, x0, x1);
  if (split === null) return groupLines(items, page);
  const left = items.filter((i) => i.x + i.w <= split.end + 0.5 && i.x < split.start + 0.5);
  const right = items.filter((i) => i.x >= split.end - 0.5);
  const spanning = items.filter((i) => !left.includes(i) && !right.includes(i));
  const colTop = Math.max(...[...left, ...right].map((i) => i.y));
  const above = spanning.filter((i) => i.y > colTop);
  const rest = spanning.filter((i) => i.y <= colTop);
  return [...groupLines(above, page), ...groupLines([...left, ...rest], page), ...groupLines(right, page)];
}

/**
 * A vertical band in the middle of the page that no (or almost no) text crosses, with enough text
 * on both sides: the gutter of a two-column layout. Returns its x range, or null.
 */
function findGutter(items: Item[], x0: number, x1: number): { start: number; end: number } | null {
  const width = x1 - x0;
  if (items.length < 6 || width <= 0) return null;
  const lo = Math.floor(x0 + width * 0.25);
  const hi = Math.ceil(x0 + width * 0.75);
  const cover = new Array<number>(hi - lo + 1).fill(0);
  for (const it of items) {
    const a = Math.max(lo, Math.floor(it.x));
    const b = Math.min(hi, Math.ceil(it.x + it.w));
    for (let x = a; x <= b; x++) cover[x - lo]! += 1;
  }
  const tolerated = Math.max(1, Math.floor(items.length * 0.05));
  let best: { start: number; end: number } | null = null;
  let runStart = -1;
  for (let k = 0; k <= cover.length; k++) {
    const free = k < cover.length && cover[k]! <= tolerated;
    if (free && runStart < 0) runStart = k;
    if (!free && runStart >= 0) {
      if (!best || k - runStart > best.end - best.start) best = { start: lo + runStart, end: lo + k };
      runStart = -1;
    }
  }
  if (!best || best.end - best.start < 10) return null;
  const mid = (best.start + best.end) / 2;
  const leftRows = new Set(items.filter((i) => i.x + i.w <= mid).map((i) => Math.round(i.y)));
  const rightRows = new Set(items.filter((i) => i.x >= mid).map((i) => Math.round(i.y)));
  if (leftRows.size < 3 || rightRows.size < 3) return null;
  return best;
}

/** Items → lines: same baseline (within a tolerance) → one line, pieces ordered by x. */
function groupLines(items: Item[], page: number): Line[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Item[][] = [];
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    const ref = row?.[0];
    if (row && ref && Math.abs(ref.y - it.y) <= Math.max(2, 0.4 * Math.min(ref.size, it.size))) row.push(it);
    else rows.push([it]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    let text = '';
    let end = -Infinity;
    for (const it of row) {
      const gap = it.x - end;
      if (text !== '' && gap > it.size * 0.15 && !text.endsWith(' ') && !it.str.startsWith(' ')) text += ' ';
      text += it.str;
      end = Math.max(end, it.x + it.w);
    }
    const first = row[0]!;
    return { text: text.replace(/\s+$/, '').replace(/^\s+/, ''), x: first.x, y: first.y, size: Math.max(...row.map((r) => r.size)), page };
  }).filter((l) => l.text !== '');
}

/**
 * Running headers and footers: the same text at the same height on at least half of the pages (and
 * on 3 pages or more), or, in the top or bottom margin, the same text whose last number follows the
 * page number ("… 12", "Page 3"): removed in place.
 */
function dropRunningLines(pages: Line[][]): { count: number; kinds: number } {
  if (pages.length < 3) return { count: 0, kinds: 0 };
  const norm = (t: string) => t.replace(/\s+/g, ' ').trim().toLowerCase();
  const exact = (l: Line) => `${Math.round(l.y / 3)}|${norm(l.text)}`;
  const numbered = (l: Line, pageIndex: number) => {
    const m = /(\d{1,5})(?!.*\d)/.exec(l.text);
    if (!m || !l.margin) return null;
    return `${Math.round(l.y / 3)}|${norm(l.text.replace(/\d+/g, '#'))}|${Number(m[1]) - pageIndex}`;
  };
  const pagesWith = new Map<string, Set<number>>();
  const add = (k: string, i: number) => {
    let s = pagesWith.get(k);
    if (!s) pagesWith.set(k, (s = new Set()));
    s.add(i);
  };
  pages.forEach((lines, i) => {
    for (const l of lines) {
      add(exact(l), i);
      const n = numbered(l, i);
      if (n) add(n, i);
    }
  });
  const threshold = Math.max(3, Math.ceil(pages.length * 0.5));
  const running = new Set([...pagesWith].filter(([, s]) => s.size >= threshold).map(([k]) => k));
  if (running.size === 0) return { count: 0, kinds: 0 };
  let count = 0;
  pages.forEach((lines, i) => {
    pages[i] = lines.filter((l) => {
      const n = numbered(l, i);
      if (running.has(exact(l)) || (n !== null && running.has(n))) { count++; return false; }
      return true;
    });
  });
  return { count, kinds: running.size };
}
