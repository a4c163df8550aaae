import Papa from 'papaparse';
import type { Contribution } from '../domain/contribution.ts';

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
}

export function toExported(c: Contribution): ExportedContribution {
  return {
    id: c.id,
    consultation: c.consultation,
    meeting: c.meeting ?? null,
    channel: c.channel,
    kind: c.kind ?? null,
    themes: c.themes.map((t) => ({ theme: t.theme, by: t.provenance.by })),
    category: c.category ?? null,
    text: c.text,
    date: c.date ?? null,
    territory: c.territory ?? null,
    authorCollege: c.authorCollege ?? null,
    authorPseudonym: c.authorPseudonym ?? null,
    moderation: c.moderation.status,
    source: c.source,
  };
}

export const CSV_COLUMNS = ['id', 'consultation', 'meeting', 'channel', 'kind', 'themes', 'category', 'text', 'date', 'territory',
  'author_college', 'author_pseudonym', 'moderation', 'source_file', 'source_document', 'source_page', 'source_line_start',
  'source_line_end', 'source_sheet', 'source_row'] as const;

/** One CSV record (UTF-8, `;`-separated as French spreadsheets expect); themes joined with "|". */
export function toCsvRecord(c: Contribution): string {
  const s = c.source;
  const values = [c.id, c.consultation, c.meeting ?? '', c.channel, c.kind ?? '', c.themes.map((t) => t.theme).join('|'),
    c.category ?? '', c.text, c.date ?? '', c.territory ?? '', c.authorCollege ?? '', c.authorPseudonym ?? '',
    c.moderation.status, s.file, s.documentId, s.page ?? '', s.lineStart ?? '', s.lineEnd ?? '', s.sheet ?? '', s.row ?? ''];
  return Papa.unparse([values.map(String)], { delimiter: ';', newline: '\r\n', quotes: false });
}

export function csvHeader(): string {
  return Papa.unparse([[...CSV_COLUMNS]], { delimiter: ';', newline: '\r\n' });
}
