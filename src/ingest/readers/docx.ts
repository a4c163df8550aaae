import mammoth from 'mammoth';
import type { ImportWarning } from '../../domain/source.ts';
import { ImportError } from '../types.ts';
import { linesToDocument, type ReadDocument } from './types.ts';
import { checkOfficeArchive, isZip } from './zip-guard.ts';
import { plural } from '../../text/french.ts';

type OutLine = { text: string; heading?: number; listLevel?: number };

/**
 * DOCX reader: the archive is checked first (ZIP structure, word/document.xml present, zip-bomb
 * limits), then mammoth converts it to HTML, which is walked into lines: h1..h6 → `heading`,
 * list items → `listLevel` (nesting depth), one line per table row with cells separated by a tab,
 * one line per paragraph (a `<br>` starts a new line). Images are ignored.
 */
export async function readDocx(bytes: Uint8Array, fileName: string): Promise<ReadDocument> {
  if (!isZip(bytes)) {
    throw new ImportError(`Le fichier « ${fileName} » n’est pas un document Word (.docx) : ce n’est pas une archive ZIP.`, 'import.zip_invalid');
  }
  checkOfficeArchive(bytes, fileName, 'docx');

  let html: string;
  const warnings: ImportWarning[] = [];
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), externalFileAccess: false },
    );
    html = result.value;
    const errors = result.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      warnings.push({ level: 'warning', code: 'docx.conversion', message: `Conversion du document Word : ${plural(errors.length, 'erreur signalée', 'erreurs signalées')}.` });
    }
  } catch (e) {
    const detail = e instanceof Error ? ` (${e.message})` : '';
    throw new ImportError(`Le document Word « ${fileName} » est illisible${detail}.`, 'import.docx_invalid');
  }
  const read = linesToDocument(htmlToLines(html).map((l) => ({ ...l, page: 1 })), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', warnings);
  read.paragraphLines = true;
  return read;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: '\u00a0', '#39': '\'' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Walks mammoth's (simple, well-formed) HTML into lines. Exported for tests. */
export function htmlToLines(html: string): OutLine[] {
  const out: OutLine[] = [];
  const lists: string[] = [];
  let cur: OutLine | null = null;
  let row: string[] | null = null;
  let cell: string | null = null;
  let tableDepth = 0;

  const flush = () => {
    if (cur) { cur.text = cur.text.replace(/\s+/g, ' ').trim(); out.push(cur); cur = null; }
  };
  const start = (l: OutLine) => { flush(); cur = l; };
  const appendText = (t: string) => {
    if (cell !== null) { cell += t; return; }
    if (!cur) cur = lists.length > 0 ? { text: '', listLevel: lists.length } : { text: '' };
    cur.text += t;
  };

  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[4] !== undefined) { appendText(decodeEntities(m[4])); continue; }
    const closing = m[1] === '/';
    const tag = m[2]!.toLowerCase();
    if (tableDepth > 0 && cell !== null && tag !== 'td' && tag !== 'th' && tag !== 'tr' && tag !== 'table') {
      // inside a cell: paragraphs, lists and line breaks become spaces
      if (!closing && (tag === 'p' || tag === 'br' || tag === 'li' || /^h[1-6]$/.test(tag)) && cell !== '') cell += ' ';
      continue;
    }
    switch (tag) {
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
        if (closing) flush(); else start({ text: '', heading: Number(tag[1]) });
        break;
      case 'p':
        if (closing) flush();
        else start(lists.length > 0 ? { text: '', listLevel: lists.length } : { text: '' });
        break;
      case 'br':
        if (cur) { const keep: OutLine = { ...cur, text: '' }; flush(); cur = keep; }
        break;
      case 'ul': case 'ol':
        if (closing) { flush(); lists.pop(); } else { flush(); lists.push(tag); }
        break;
      case 'li':
        if (closing) flush(); else start({ text: '', listLevel: Math.max(1, lists.length) });
        break;
      case 'table':
        if (closing) { tableDepth = Math.max(0, tableDepth - 1); } else { flush(); tableDepth++; }
        break;
      case 'tr':
        if (!closing) row = [];
        else if (row) { out.push({ text: row.join('\t') }); row = null; }
        break;
      case 'td': case 'th':
        if (!closing) cell = '';
        else if (cell !== null) { row?.push(cell.replace(/\s+/g, ' ').trim()); cell = null; }
        break;
      default:
        break;
    }
  }
  flush();
  return out;
}
