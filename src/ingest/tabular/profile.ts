/**
 * What a column holds, judged from its cells: free text written by people, or closed answers (numbers, yes/no,
 * a few repeated choices), identifiers and contact details. A questionnaire export (one row per respondent, one
 * column per question) is imported one contribution per open answer; a "text" column of numbers is refused.
 */
import type { TableRow } from './read.ts';
import { normalizeKey } from './normalize.ts';
import { parseDate } from './values.ts';

export interface ColumnProfile {
  /** non-empty cells */
  filled: number;
  /** cells that are a number, a boolean or a single character: « 1.0 », « 0 », « VRAI », « x » */
  closed: number;
  distinct: number;
  /** mean length of the non-closed cells */
  meanLength: number;
  /** cells that are an e-mail address, a web address, a phone number or a date */
  contact: number;
  /** examples of the cells, for messages */
  examples: string[];
}

const CLOSED = /^(?:[-+]?\d+(?:[.,]\d+)?\s*%?|vrai|faux|true|false|oui|non|yes|no|nan|null|na|n\/a|\S)$/i;
const CONTACT = /^(?:[^\s@]+@[^\s@]+\.[a-z]{2,}|https?:\/\/\S+|www\.\S+|(?:\+33\s?|0)\d(?:[\s.-]?\d{2}){4})$/i;
/** Headers that name a person or a contact: never contributions, whatever their cells look like. */
const PERSONAL_HEADER = /\b(nom|prenom|name|e ?mail|mail|courriel|telephone|phone|adresse|address|identifiant|id|url|numero)\b/;

/** A header written as a question: « … ? », « Q12 », or a long sentence. */
export function looksLikeQuestion(header: string): boolean {
  const h = header.trim();
  return h.includes('?') || /^q\s*\d+\b/i.test(h) || h.length >= 30;
}

/** A cell that says nothing by itself: a number, a boolean, a single character. */
export function isClosedValue(v: string): boolean {
  return CLOSED.test(v.trim());
}

export function profileColumn(rows: readonly TableRow[], col: number): ColumnProfile {
  return profileValues(rows.map((r) => r.cells[col] ?? ''));
}

export function profileValues(cells: readonly string[]): ColumnProfile {
  let filled = 0, closed = 0, contact = 0, length = 0;
  const values = new Set<string>();
  const examples: string[] = [];
  for (const cell of cells) {
    const v = cell.trim();
    if (!v) continue;
    filled++;
    values.add(v);
    if (examples.length < 3 && !examples.includes(v)) examples.push(v);
    if (isClosedValue(v)) { closed++; continue; }
    if (CONTACT.test(v) || parseDate(v, false)) contact++;
    length += v.length;
  }
  const open = filled - closed;
  return { filled, closed, distinct: values.size, meanLength: open ? length / open : 0, contact, examples };
}

/**
 * An open question: cells mostly written text (not numbers or yes/no, not contact details or dates), long
 * enough, and varied (a closed choice repeats a few labels). Thresholds are loose on purpose: a wrong "open"
 * costs a few extra contributions a moderator sees; a wrong "closed" loses answers.
 */
export function isOpenText(p: ColumnProfile, header: string): boolean {
  if (PERSONAL_HEADER.test(normalizeKey(header))) return false;
  const open = p.filled - p.closed;
  if (open === 0 || p.closed > p.filled * 0.2 || p.contact > open * 0.2) return false;
  if (p.meanLength < 15) return false;
  // a choice list repeats itself: few distinct values for many answers
  return p.filled < 5 || p.distinct >= Math.min(p.filled * 0.5, 20);
}

/** A "text" column that holds no text: numbers or yes/no for most cells, or almost nothing. */
export function notText(p: ColumnProfile, rows: number): 'closed' | 'empty' | undefined {
  if (p.filled === 0 || (rows >= 20 && p.filled < rows * 0.05)) return 'empty';
  if (p.closed >= p.filled * 0.8) return 'closed';
  return undefined;
}
