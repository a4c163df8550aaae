import type { ImportWarning } from '../../domain/source.ts';

/**
 * The intermediate representation every reader yields: pages of lines with positions.
 * Parsers work on it, whatever the original format (TXT, Markdown, PDF, DOCX).
 */
export interface TextLine {
  /** the line's text, exactly as it stands in `ReadDocument.text` between charStart and charEnd */
  text: string;
  /** 1-based page number (1 for formats without pages) */
  page: number;
  /** 1-based line number over the whole document */
  lineNo: number;
  /** 0-based UTF-16 offsets of the line in `ReadDocument.text`, end exclusive (newline excluded) */
  charStart: number;
  charEnd: number;
  /** PDF only: left x and baseline y of the line on its page, in PDF units */
  x?: number;
  y?: number;
  /** heading level (1..6) when the format says so (Markdown #, DOCX Heading n) */
  heading?: number;
  /** list nesting level (1-based) when the format says so (Markdown/DOCX lists) */
  listLevel?: number;
}

export interface ReadDocument {
  /** the whole extracted text: the lines joined with "\n" */
  text: string;
  lines: TextLine[];
  pageCount: number;
  mediaType: string;
  warnings: ImportWarning[];
  /**
   * true when every line is a whole paragraph (DOCX): lines never wrap and no empty line separates
   * paragraphs, so parsers must not join a line to the previous one on layout grounds.
   */
  paragraphLines?: boolean;
}

/** Build a ReadDocument from already-separated lines (each line with its page), computing offsets. */
export function linesToDocument(
  input: { text: string; page?: number; x?: number; y?: number; heading?: number; listLevel?: number }[],
  mediaType: string,
  warnings: ImportWarning[] = [],
): ReadDocument {
  const lines: TextLine[] = [];
  let offset = 0;
  let pageCount = 1;
  input.forEach((l, i) => {
    const page = l.page ?? 1;
    if (page > pageCount) pageCount = page;
    const line: TextLine = { text: l.text, page, lineNo: i + 1, charStart: offset, charEnd: offset + l.text.length };
    if (l.x !== undefined) line.x = l.x;
    if (l.y !== undefined) line.y = l.y;
    if (l.heading !== undefined) line.heading = l.heading;
    if (l.listLevel !== undefined) line.listLevel = l.listLevel;
    lines.push(line);
    offset += l.text.length + 1;
  });
  return { text: input.map((l) => l.text).join('\n'), lines, pageCount, mediaType, warnings };
}
