import Papa from 'papaparse';
import type { Contribution } from '../domain/contribution.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';

/**
 * Exports carry the public (pseudonymised) text. The text as written — personal data — is added only
 * when asked for (`originalText`, from contribution_private); it is null when nothing was masked.
 */

/** One line of `fabrique export contributions --format jsonl` (documented in docs/formats.md). */
export interface ExportedContribution {
  id: string;
  consultation: string;
  meeting: string | null;
  channel: string;
  kind: string | null;
  themes: { theme: string; by: string }[];
  category: string | null;
  text: string;
  date: string | null;
  territory: string | null;
  authorCollege: string | null;
  authorPseudonym: string | null;
  moderation: string;
  source: Contribution['source'];
  /** only with `--with-originals`: the text as written, before pseudonymisation (personal data) */
  originalText?: string | null;
}

/** The public text, masked again on the way out (defence in depth for rows stored before every channel was masked). */
function publicText(c: Contribution): string {
  return pseudonymise(c.text).text;
}

export function toExported(c: Contribution, original?: string | null): ExportedContribution {
  return {
    id: c.id,
    consultation: c.consultation,
    meeting: c.meeting ?? null,
    channel: c.channel,
    kind: c.kind ?? null,
    themes: c.themes.map((t) => ({ theme: t.theme, by: t.provenance.by })),
    category: c.category === undefined ? null : pseudonymise(c.category).text,
    text: publicText(c),
    date: c.date ?? null,
    territory: c.territory ?? null,
    authorCollege: c.authorCollege ?? null,
    authorPseudonym: c.authorPseudonym ?? null,
    moderation: c.moderation.status,
    source: c.source,
    ...(original !== undefined ? { originalText: original } : {}),
  };
}

export const CSV_COLUMNS = ['id', 'consultation', 'meeting', 'channel', 'kind', 'themes', 'category', 'text', 'date', 'territory',
  'author_college', 'author_pseudonym', 'moderation', 'source_file', 'source_document', 'source_page', 'source_line_start',
  'source_line_end', 'source_sheet', 'source_row'] as const;

/**
 * Cells a spreadsheet would read as a formula (OWASP "CSV injection"): starting with =, +, -, @, tab or
 * carriage return, whatever follows (line breaks included). They are written prefixed with ' and quoted.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

const CSV_OPTIONS = { delimiter: ';', newline: '\r\n', quotes: false, escapeFormulae: FORMULA_START } as const;

/** One CSV record (UTF-8, `;`-separated as French spreadsheets expect); themes joined with "|". */
export function toCsvRecord(c: Contribution, original?: string | null): string {
  const s = c.source;
  const values = [c.id, c.consultation, c.meeting ?? '', c.channel, c.kind ?? '', c.themes.map((t) => t.theme).join('|'),
    c.category === undefined ? '' : pseudonymise(c.category).text, publicText(c), c.date ?? '', c.territory ?? '', c.authorCollege ?? '', c.authorPseudonym ?? '',
    c.moderation.status, s.file, s.documentId, s.page ?? '', s.lineStart ?? '', s.lineEnd ?? '', s.sheet ?? '', s.row ?? '',
    ...(original !== undefined ? [original ?? ''] : [])];
  return Papa.unparse([values.map(String)], CSV_OPTIONS);
}

export function csvHeader(withOriginals = false): string {
  return Papa.unparse([[...CSV_COLUMNS, ...(withOriginals ? ['original_text'] : [])]], CSV_OPTIONS);
}
