import type { ImportWarning, SourceRef } from '../../domain/source.ts';
import type { PlanAction } from './types.ts';

/** The decoded file split into lines, with the offsets SourceRefs point at. */
export interface PlanText {
  lines: string[];
  /** 0-based UTF-16 offset of each line's first character in the decoded text */
  starts: number[];
  documentId: string;
  file: string;
}

export function planText(text: string, documentId: string, file: string): PlanText {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const starts: number[] = [];
  let offset = 0;
  for (const l of text.split('\n')) { starts.push(offset); offset += l.length + 1; }
  return { lines, starts, documentId, file };
}

/** SourceRef of the 0-based line indices `from`..`to` (inclusive). */
export function ref(t: PlanText, from: number, to: number = from): SourceRef {
  return {
    documentId: t.documentId, file: t.file, lineStart: from + 1, lineEnd: to + 1,
    charStart: t.starts[from]!, charEnd: t.starts[to]! + t.lines[to]!.length,
  };
}

/** Visible text of a line: Markdown marks (#, **, ■, list dash) and spaces around removed. */
export function visible(line: string): string {
  return line.replace(/\uf0b7/g, '').replace(/\*\*/g, '').replace(/^\s*#{1,6}(?=\s|$)/, '').replace(/■/g, '').replace(/\\\*/g, '*')
    .replace(/\s+/g, ' ').trim();
}

/** Field and sidebar headings of the regional template, by normalised label. */
export type FieldKey = 'defiARelever' | 'constats' | 'objectif' | 'resultatsAttendus' | 'enPratique' | 'themes' | 'parcours'
  | 'chiffresCles' | 'paroleCitoyen' | 'motsCles' | 'enjeux' | 'objectifsOperationnels' | 'objectifRegional';

const FIELD_LABELS: Record<string, FieldKey> = {
  'le defi a relever': 'defiARelever', 'les constats': 'constats', "l'objectif": 'objectif',
  'les resultats attendus': 'resultatsAttendus', 'en pratique': 'enPratique', 'themes associes': 'themes',
  'parcours associes': 'parcours', 'chiffres-cles': 'chiffresCles', 'chiffres cles': 'chiffresCles',
  'parole de citoyen': 'paroleCitoyen', 'mots cles': 'motsCles', 'mots-cles': 'motsCles', 'les enjeux': 'enjeux',
  'les objectifs operationnels': 'objectifsOperationnels', 'objectif regional de rattachement': 'objectifRegional',
};

export const SIDEBARS: ReadonlySet<FieldKey> = new Set(['themes', 'parcours', 'chiffresCles', 'paroleCitoyen', 'motsCles']);

export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’‘]/g, "'").toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The field a heading line opens, if it is one (the whole line must be the label). */
export function fieldOf(line: string): FieldKey | undefined {
  return FIELD_LABELS[fold(visible(line)).replace(/\s*:$/, '')];
}

export function warn(code: string, message: string, source?: SourceRef): ImportWarning {
  return { level: 'warning', code, message, ...(source ? { source } : {}) };
}

/** Joins wrapped lines into one text (blank and page-number lines dropped). */
export function joinText(lines: readonly string[]): string {
  return lines.map(visible).filter((l) => l !== '' && !/^\d{1,3}$/.test(l)).join(' ').replace(/\s+/g, ' ').trim();
}

/** Sidebar items: one per line, a line ending with a comma (or a lower-case start) continues the previous one. */
export function sidebarItems(lines: readonly string[]): string[] {
  const items: string[] = [];
  let glue = false;
  for (const raw of lines) {
    const l = visible(raw.replace(/^\s*[-•\uf0b7]\s+/, ''));
    if (l === '' || /^\d{1,3}$/.test(l)) continue;
    if (items.length > 0 && (glue || /^[a-zà-ÿ]/.test(l))) items[items.length - 1] += ' ' + l;
    else items.push(l);
    glue = /,$/.test(l);
  }
  return items.map((i) => i.replace(/,$/, '').trim()).filter((i) => i !== '');
}

export function countActions(actions: readonly PlanAction[]): Record<PlanAction['placement'], number> {
  const out = { heading: 0, displaced: 0, orphan: 0 };
  for (const a of actions) out[a.placement]++;
  return out;
}

/** Words of a text in order, for span checks (tests) and title comparisons. */
export function words(s: string): string[] {
  return fold(s).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}
