/**
 * Parser of the CNR Santé workshop reports in the Nouvelle-Aquitaine form.
 *
 * Layout (see docs/format-parse.md): part 1 is the regional synthesis (tables and common ideas with
 * counts); part 2 has, per département "2.N Name (code)", a "2.N.1 Synthèse départementale" and the
 * report of every meeting "2.N.M Place": Lieu / Jour / Horaires, a participants table, the
 * déroulement, then per "Thématique N : …" three blocks (problématiques, solutions co-construites,
 * leviers / freins) of bulleted items, sometimes under sub-headings.
 *
 * Meeting items become contributions; synthesis parts become HumanSynthesisItem trees. The parser
 * never throws except an ImportError when the document does not have this shape; every oddity of
 * the source is reported as an ImportWarning, nothing is silently fixed.
 */
import { contributionId, type Contribution, type ContributionKind } from '../../domain/contribution.ts';
import { COLLEGE_LABELS, emptyParticipants, participantsMismatch, type College, type Meeting, type Participants } from '../../domain/meeting.ts';
import type { ImportWarning, SourceRef } from '../../domain/source.ts';
import type { HumanSynthesisItem } from '../../domain/synthesis.ts';
import {
  buildVocabulary, cleanItem, cleanLine, collapseLetterSpacing, isCountOnly, isRunningHeader, splitTrailingCount,
  stripStrayQuote, startsWithBulletGlyph, type Vocabulary,
} from '../clean.ts';
import { parseFrenchDate, plural } from '../../text/french.ts';
import type { ReadDocument, TextLine } from '../readers/types.ts';
import { matchTheme } from '../tabular/values.ts';
import { ImportError, type ParsedDocument } from '../types.ts';
import type { DocumentParser, ParseContext } from './types.ts';

export const CNR_ATELIERS_PARSER_NAME = 'cnr-ateliers';
export const CNR_ATELIERS_PARSER_VERSION = '1.0.0';

/** The three blocks of a theme in a workshop report, plus items found outside any block. */
export type AtelierBlock = 'problematique' | 'solution' | 'levier' | 'autre';

export const BLOCK_TO_KIND: Record<AtelierBlock, ContributionKind> = {
  problematique: 'constat',
  solution: 'proposition',
  levier: 'levier_frein',
  autre: 'autre',
};

const BLOCK_LABELS: Record<AtelierBlock, string> = {
  problematique: 'Présentation des problématiques',
  solution: 'Présentation des solutions et innovations co-construites',
  levier: 'Description des leviers à activer ou des freins à lever',
  autre: 'Hors bloc',
};

// ---------------------------------------------------------------------------------------------
// Line classification

const DEPT_HEADING = /^\s{0,3}2\.(\d{1,2})\s+(\p{Lu}[^()]{1,60}?)\s*\((\d{2,3}|2[AB])\)\s*$/u;
const SUB_HEADING = /^\s{0,3}2\.(\d{1,2})\.(\d{1,2})\s+(\p{Lu}.{0,80}?)\s*$/u;
const PART1_HEADING = /^\s{0,3}1\.(\d{1,2})(?:\.(\d{1,2}))?\s+(\p{Lu}.{0,200}?)\s*$/u;
const THEME_HEADING = /^\s{0,3}Th[ée]matique\s+(\d{1,2})\s*:\s*(.*?)\s*$/u;
const SEQUENCE_HEADING = /^\s{0,3}(?:S[ée]quence|Question)s?\s+\d+(?:\s+et\s+\d+)?\s*:/u;

function norm(s: string): string {
  return s.replace(/[’‘`´]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

function blockOf(trimmed: string): AtelierBlock | null {
  const n = norm(trimmed);
  if (n.length > 200) return null;
  if (n.startsWith('présentation des problématiques')) return 'problematique';
  if (n.startsWith('présentation des solutions')) return 'solution';
  if (n.startsWith('description des leviers')) return 'levier';
  return null;
}

type MeetingPhase = 'presentation' | 'participants' | 'deroulement' | 'situation' | 'theme' | 'perspectives';

function phaseHeading(trimmed: string): MeetingPhase | null {
  const n = norm(trimmed);
  if (n.length > 200) return null;
  if (n === "présentation de l'atelier" || n === 'présentation de la réunion') return 'presentation';
  if (n === 'participants' || n === 'participants nombre') return 'participants';
  if (n.startsWith('description du déroulement')) return 'deroulement';
  if (n === 'la situation du territoire' || n.startsWith('présenter succinctement') || n.startsWith('présentation succincte')
    || n.startsWith('description des dynamiques')) return 'situation';
  if (n === 'perspectives' || n.startsWith('description des suites')) return 'perspectives';
  return null;
}

const COLLEGE_LINES: [College | 'total', RegExp][] = [
  ['elus', /^[ÉE]lus\b\s*:?\s*(.*)$/iu],
  ['institutionnels', /^Institutionnels\b\s*:?\s*(.*)$/iu],
  ['professionnels', /^Professionnels de sant[ée][^:]*?(?::\s*|\s{2,}|\s(?=\d|NC\b))(.*)$/iu],
  ['associations', /^Repr[ée]sentants d.associations\b\s*:?\s*(.*)$/iu],
  ['usagers', /^Usagers du syst[èe]me de sant[ée]\s*:?\s*(.*)$/iu],
  ['autres', /^Autres\b\s*:?\s*(.*)$/iu],
  ['total', /^Total\b\s*:?\s*(.*)$/iu],
];

// ---------------------------------------------------------------------------------------------
// Detection

function detect(doc: ReadDocument): number {
  let blocks = 0; let presentation = 0; let themes = 0; let sections = 0; let participants = 0;
  for (const line of doc.lines) {
    const t = line.text;
    if (t.length > 300) continue;
    const trimmed = t.trim();
    if (blockOf(trimmed)) blocks++;
    else if (THEME_HEADING.test(t)) themes++;
    else if (DEPT_HEADING.test(t) || SUB_HEADING.test(t)) sections++;
    else {
      const n = norm(trimmed);
      if (n === "présentation de l'atelier") presentation++;
      else if (n === 'participants nombre') participants++;
    }
  }
  let score = 0;
  if (blocks > 0) score += 0.3;
  if (presentation > 0 || participants > 0) score += 0.3;
  if (themes > 0) score += 0.2;
  if (sections > 0) score += 0.2;
  return Math.min(1, score);
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface Section {
  kind: 'part1' | 'dept_intro' | 'dept_synthesis' | 'meeting';
  start: number; // index into doc.lines
  end: number; // exclusive
  ref?: string;
  title?: string;
  dept?: { n: number; name: string; code: string };
}

class Parser {
  readonly lines: TextLine[];
  readonly vocab: Vocabulary;
  readonly warnings: ImportWarning[] = [];
  readonly meetings: Meeting[] = [];
  readonly contributions: Contribution[] = [];
  readonly syntheses: HumanSynthesisItem[] = [];
  /** part-1 statements to compare with what this copy holds */
  statedWorkshops: number | undefined;
  statedWorkshopsByDept = new Map<string, { name: string; count: number; line: number }>();
  statedContributions: number | undefined;
  statedByTheme = new Map<string, number>();
  statedLine = -1;
  readonly depts: { code: string; name: string; meetings: number }[] = [];

  constructor(readonly doc: ReadDocument, readonly ctx: ParseContext) {
    this.lines = doc.lines;
    this.vocab = buildVocabulary(doc.text);
  }

  text(i: number): string {
    return this.lines[i]?.text ?? '';
  }

  isBlank(i: number): boolean {
    return this.text(i).trim() === '';
  }

  isHeader(i: number): boolean {
    return isRunningHeader(this.text(i));
  }

  /** Source reference covering lines [a, b] (indexes into doc.lines, inclusive). */
  source(a: number, b: number): SourceRef {
    const la = this.lines[a];
    const lb = this.lines[b] ?? la;
    const ref: SourceRef = { documentId: this.ctx.documentId, file: this.ctx.fileName };
    if (!la || !lb) return ref;
    ref.page = la.page;
    ref.lineStart = la.lineNo;
    ref.lineEnd = lb.lineNo;
    // start at the first non-space character, end after the last one
    const lead = la.text.length - la.text.trimStart().length;
    const trail = lb.text.length - lb.text.trimEnd().length;
    ref.charStart = la.charStart + Math.min(lead, la.text.length);
    ref.charEnd = Math.max(ref.charStart, lb.charEnd - trail);
    return ref;
  }

  warn(level: ImportWarning['level'], code: string, message: string, a?: number, b?: number): void {
    const w: ImportWarning = { level, code, message };
    if (a !== undefined) w.source = this.source(a, b ?? a);
    this.warnings.push(w);
  }

  // -- section split ----------------------------------------------------------------------------

  sections(): Section[] {
    const out: Section[] = [];
    let dept: Section['dept'] | undefined;
    let cur: Section = { kind: 'part1', start: 0, end: this.lines.length };
    const open = (s: Section, i: number) => { cur.end = i; out.push(cur); cur = s; };
    for (let i = 0; i < this.lines.length; i++) {
      const t = this.text(i);
      if (t.length > 200 || !/^\s{0,3}2\./.test(t)) continue;
      const d = DEPT_HEADING.exec(t);
      if (d) {
        dept = { n: Number(d[1]), name: (d[2] ?? '').trim(), code: d[3] ?? '' };
        this.depts.push({ code: dept.code, name: dept.name, meetings: 0 });
        open({ kind: 'dept_intro', start: i, end: this.lines.length, ref: `2.${dept.n}`, title: dept.name, dept }, i);
        continue;
      }
      const s = SUB_HEADING.exec(t);
      if (s && dept && Number(s[1]) === dept.n) {
        const title = cleanLine(s[3] ?? '', this.vocab);
        const kind = /^synth[èe]se d[ée]partementale/iu.test(title) ? 'dept_synthesis' : 'meeting';
        open({ kind, start: i, end: this.lines.length, ref: `2.${s[1]}.${s[2]}`, title, dept }, i);
      }
    }
    cur.end = this.lines.length;
    out.push(cur);
    return out;
  }

  run(): void {
    for (const s of this.sections()) {
      if (s.kind === 'part1') this.parsePart1(s);
      else if (s.kind === 'dept_synthesis') this.parseDeptSynthesis(s);
      else if (s.kind === 'meeting') this.parseMeeting(s);
    }
    this.checkTotals();
  }

  // -- meetings ---------------------------------------------------------------------------------

  parseMeeting(s: Section): void {
    const ref = s.ref ?? '';
    const title = s.title ?? '';
    const dept = s.dept;
    const meetingId = contributionId(this.ctx.documentId, `reunion-${ref}`);
    const participants: Participants = emptyParticipants();
    const seenColleges = new Set<string>();
    const nc: string[] = [];
    const blanks: string[] = [];
    let place: string | undefined; let jour: string | undefined; let jourLine = -1; let time: string | undefined;
    let phase: MeetingPhase = 'presentation';
    const texts: Record<'deroulement' | 'situation' | 'perspectives', number[]> = { deroulement: [], situation: [], perspectives: [] };

    let theme: string | null = null;
    let themeLine = -1;
    let themeItems = 0;
    let block: AtelierBlock | null = null;
    let blockLine = -1;
    let blockItems: Item[] = [];
    let subheading: string | undefined;
    let cur: Item | null = null;
    let lastL1: Item | null = null;
    let sawBlank = false;
    let skipProjets = false;
    let headingWrap = false;

    const flushBlock = () => {
      if (theme !== null && block !== null && blockItems.length === 0) {
        this.warn('warning', 'block.empty', `Bloc vide : « ${BLOCK_LABELS[block]} » sans élément (thématique ${theme}, ${ref} ${title}).`, blockLine);
      }
      if (theme !== null) themeItems += this.emitItems(blockItems, { ref, title, theme, block: block ?? 'autre', meetingId, dept: dept?.code });
      blockItems = []; cur = null; lastL1 = null;
    };
    const flushTheme = () => {
      flushBlock();
      if (theme !== null && themeItems === 0) {
        this.warn('warning', 'theme.empty', `Thématique ${theme} sans contribution dans « ${title} » (${ref}).`, themeLine);
      }
      theme = null; block = null; subheading = undefined; themeItems = 0;
    };

    for (let i = s.start + 1; i < s.end; i++) {
      const t = this.text(i);
      let trimmed = t.trim();
      const line = this.lines[i];
      if (trimmed === '') { sawBlank = true; continue; }
      if (this.isHeader(i)) continue;
      // every line of a DOCX is a paragraph of its own: as if an empty line preceded it
      if (this.doc.paragraphLines) sawBlank = true;
      // the wrapped end of a theme or block heading ("… ambitionnent de" / "traiter")
      const wrapOf = headingWrap;
      headingWrap = false;
      if (wrapOf && !sawBlank && line?.heading === undefined && line?.listLevel === undefined && /^\p{Ll}/u.test(trimmed)) {
        if (/[.:;!?]$/.test(trimmed) === false) headingWrap = true;
        continue;
      }
      if (skipProjets) {
        skipProjets = false;
        if (/^projets?\.?$/iu.test(trimmed)) continue;
      }
      const th = THEME_HEADING.exec(t);
      if (th && t.length < 300) {
        flushTheme();
        theme = this.themeCode(th[1] ?? '', th[2] ?? '', i, ref, title); themeLine = i; phase = 'theme'; sawBlank = false;
        headingWrap = !/[.:;!?]$/.test(trimmed);
        continue;
      }
      const bk = blockOf(trimmed);
      if (bk) {
        flushBlock();
        block = bk; blockLine = i; subheading = undefined; sawBlank = false;
        if (bk === 'levier') skipProjets = true;
        headingWrap = !/[.:;!?]$/.test(trimmed);
        if (theme === null) phase = 'theme';
        continue;
      }
      const ph = phaseHeading(trimmed);
      if (ph && !(ph === 'participants' && phase === 'theme')) {
        if (phase === 'theme' && ph !== 'theme') flushTheme();
        phase = ph; sawBlank = false;
        continue;
      }

      if (phase === 'presentation' || phase === 'participants') {
        // a Markdown table row "| Elus | 11 |" reads like a DOCX row "Elus<TAB>11"; "|---|" is a rule
        if (/^\|.*\|$/.test(trimmed)) {
          if (/^\|[\s|:-]*\|$/.test(trimmed)) continue;
          trimmed = trimmed.slice(1, -1).split('|').map((c) => c.trim()).join('\t');
          if (norm(trimmed) === 'participants nombre') { phase = 'participants'; continue; }
        }
        const field = /^(Lieu|Jour|Date|Horaires?|Heures?)\s*:\s*(.*)$/iu.exec(trimmed);
        if (field) {
          const key = (field[1] ?? '').toLowerCase();
          const value = stripStrayQuote(field[2] ?? '').trim();
          if (key === 'lieu') place = cleanLine(value, this.vocab) || undefined;
          else if (key === 'jour' || key === 'date') { jour = value || undefined; jourLine = i; }
          else time = value || undefined;
          continue;
        }
        let matched = false;
        for (const [college, re] of COLLEGE_LINES) {
          const m = re.exec(trimmed);
          if (!m) continue;
          matched = true;
          const raw = stripStrayQuote(m[1] ?? '').trim();
          seenColleges.add(college);
          const label = college === 'total' ? 'Total' : COLLEGE_LABELS[college];
          let value: number | null = null;
          if (raw === '') blanks.push(label);
          else if (/^n\.?\s?c\.?$/iu.test(raw)) nc.push(label);
          else if (/^\d{1,5}$/.test(raw)) value = Number(raw);
          else this.warn('warning', 'participants.unreadable', `Nombre de participants illisible (${label} : « ${raw.slice(0, 40)} ») dans « ${title} » (${ref}).`, i);
          participants[college] = value;
          break;
        }
        if (matched) { phase = 'participants'; continue; }
        if (phase === 'participants') continue; // table header remnants
        continue;
      }
      if (phase === 'deroulement' || phase === 'situation' || phase === 'perspectives') {
        texts[phase].push(i);
        continue;
      }

      // phase === 'theme': items
      if (SEQUENCE_HEADING.test(t) && t.length < 300) {
        subheading = cleanLine(trimmed, this.vocab); cur = null; lastL1 = null; sawBlank = false;
        continue;
      }
      // a heading of the reader (Markdown #, DOCX Heading n) is a sub-heading
      if (line?.heading !== undefined) {
        subheading = cleanLine(trimmed, this.vocab); cur = null; lastL1 = null; sawBlank = false;
        continue;
      }
      // a list item of the reader (Markdown/DOCX lists): level 1, or a second-level "- " item
      const listed = line?.listLevel;
      const lead = listed === 1 ? 1 : t.length - t.trimStart().length;
      const dash = (listed !== undefined && listed >= 2) || /^\s{0,3}[-–]\s/.test(t);
      const glyph = listed !== undefined || startsWithBulletGlyph(t);
      const prevLine = cur ? this.lines[cur.lines[cur.lines.length - 1] ?? -1] : undefined;
      const prev = cur ? this.text(cur.lines[cur.lines.length - 1] ?? -1).trimEnd() : '';
      // a whole paragraph (DOCX line, Markdown list item) is never a wrapped line; in a PDF, a line
      // that starts left of the item's first line (a heading at the margin) does not continue it
      const firstLine = cur ? this.lines[cur.lines[0] ?? -1] : undefined;
      const leftOfItem = line?.x !== undefined && firstLine?.x !== undefined && line.x < firstLine.x - 2;
      const prevWrapped = prev.length >= 75 && !/[.;!?:]$/.test(prev) && !this.doc.paragraphLines
        && prevLine?.listLevel === undefined && !leftOfItem;
      const prevCol0 = cur !== null && cur.lines.length > 1 && !/^\s/.test(this.text(cur.lines[cur.lines.length - 1] ?? -1));
      const startsLower = /^[\p{Ll}(]/u.test(trimmed);
      const inBlock = block ?? 'autre';

      if (dash) {
        const parent = lastL1 && lastL1.subheading === subheading ? lastL1 : null;
        const item: Item = { level: 2, lines: [i], parent, children: [], subheading, block: inBlock };
        if (parent) parent.children.push(item);
        blockItems.push(item); cur = item;
      } else if (lead === 0 && !glyph) {
        if (cur && !leftOfItem && (!sawBlank || prevWrapped || (startsLower && (!this.doc.paragraphLines || !/[.;!?:]$/.test(prev))))) {
          cur.lines.push(i);
        } else if (trimmed.length < 100 && /^[\p{Lu}\d«"]/u.test(trimmed) && !/[.;,]$/.test(trimmed)) {
          subheading = cleanLine(trimmed, this.vocab); cur = null; lastL1 = null;
        } else {
          const item: Item = { level: 1, lines: [i], parent: null, children: [], subheading, block: inBlock };
          blockItems.push(item); cur = item; lastL1 = item;
        }
      } else if (cur && !glyph && startsLower && !/[.;!?:]$/.test(prev) && (prevWrapped || prevCol0)) {
        cur.lines.push(i);
      } else {
        const item: Item = { level: 1, lines: [i], parent: null, children: [], subheading, block: inBlock };
        blockItems.push(item); cur = item; lastL1 = item;
      }
      sawBlank = false;
    }
    flushTheme();

    // meeting record
    const meeting: Meeting = {
      id: meetingId,
      consultation: this.ctx.consultation,
      kind: /r[ée]union d[ée]partementale/iu.test(title) ? 'reunion_departementale' : 'atelier',
      ref,
      title,
      participants,
      source: this.source(s.start, Math.max(s.start, this.lastNonBlank(s.start, s.end))),
    };
    if (place) meeting.place = place;
    if (dept) meeting.territory = dept.code;
    if (time) meeting.time = time;
    if (jour) {
      meeting.dateText = jour;
      const d = parseFrenchDate(jour);
      if (d.iso) meeting.date = d.iso;
      else if (d.ok && !d.hasYear) this.warn('info', 'meeting.date_without_year', `Date sans année pour « ${title} » (${ref}) : « ${jour} » ; conservée telle qu’imprimée.`, jourLine);
      else this.warn('warning', 'meeting.date_unreadable', `Date illisible pour « ${title} » (${ref}) : « ${jour} ».`, jourLine);
    }
    const missing = [place ? null : 'Lieu', jour ? null : 'Jour', time ? null : 'Horaires'].filter((x) => x !== null);
    if (missing.length > 0) this.warn('warning', 'meeting.field_missing', `${missing.length >= 2 ? 'Champs absents' : 'Champ absent'} pour « ${title} » (${ref}) : ${missing.join(', ')}.`, s.start);
    for (const [key, lines] of Object.entries(texts) as [keyof typeof texts, number[]][]) {
      const text = this.paragraphs(lines);
      if (text) meeting[key] = text;
    }
    if (seenColleges.size === 0) {
      this.warn('warning', 'participants.missing', `Tableau des participants absent pour « ${title} » (${ref}).`, s.start);
    } else {
      if (nc.length > 0) this.warn('info', 'participants.nc', `Participants non communiqués (NC) pour « ${title} » (${ref}) : ${nc.join(', ')}.`, s.start);
      if (blanks.length > 0) this.warn('info', 'participants.blank', `Nombre de participants laissé vide pour « ${title} » (${ref}) : ${blanks.join(', ')} (compté comme non communiqué).`, s.start);
      // the same rule as a report typed in the back office (src/usecases/reports.ts)
      const mismatch = participantsMismatch(participants);
      if (mismatch) {
        this.warn('warning', 'participants.total_mismatch',
          `Total des participants imprimé (${mismatch.total}) différent de la somme des collèges (${mismatch.sum}) pour « ${title} » (${ref}).`, s.start);
      }
    }
    this.meetings.push(meeting);
    const d = dept ? this.depts.find((x) => x.code === dept.code) : undefined;
    if (d) d.meetings++;
  }

  /**
   * Code of the theme of a "Thématique N : label" heading: N, unless the consultation's themes are
   * known and none has code N: then the local theme whose label (or keywords) the heading names
   * ("Thématique 5 : santé mentale des jeunes" → "sante-mentale-jeunes"); N with a warning if none.
   */
  themeCode(n: string, label: string, line: number, ref: string, title: string): string {
    const themes = this.ctx.themes;
    if (!themes || themes.length === 0 || themes.some((t) => t.code === n)) return n;
    const cleaned = cleanLine(label, this.vocab);
    const code = cleaned ? matchTheme(cleaned, themes.filter((t) => t.local)) : undefined;
    if (code) return code;
    this.warn('warning', 'theme.unknown', `Thématique ${n} (« ${cleaned.slice(0, 80)} ») de « ${title} » (${ref}) ne correspond à aucun thème de la consultation : gardée sous le code « ${n} ».`, line);
    return n;
  }

  lastNonBlank(a: number, b: number): number {
    for (let i = b - 1; i > a; i--) if (!this.isBlank(i) && !this.isHeader(i)) return i;
    return a;
  }

  /** Lines of a free-text part → paragraphs (one per bullet or blank-separated run), "\n"-joined. */
  paragraphs(lines: number[]): string {
    const paras: string[][] = [];
    let prevIdx = -2;
    for (const i of lines) {
      const t = this.text(i);
      const newPara = this.doc.paragraphLines || this.lines[i]?.listLevel !== undefined
        || (prevIdx !== i - 1 ? !(/^\p{Ll}/u.test(t)) : /^\s/.test(t));
      if (newPara || paras.length === 0) paras.push([t]);
      else paras[paras.length - 1]?.push(t);
      prevIdx = i;
    }
    return paras.map((p) => cleanItem(p, this.vocab)).filter((p) => p !== '').join('\n');
  }

  /** Turns the items of one block into contributions; returns how many were emitted. */
  emitItems(items: Item[], c: { ref: string; title: string; theme: string; block: AtelierBlock; meetingId: string; dept: string | undefined }): number {
    let n = 0;
    for (const item of items) {
      const text = cleanItem(item.lines.map((i) => this.text(i)), this.vocab);
      item.text = text;
      if (text === '') continue;
      // a first-level item ending with ":" and followed by "- " items only introduces them
      if (item.level === 1 && item.children.length > 0 && /:$/.test(text)) continue;
      const first = item.lines[0] ?? 0;
      const last = item.lines[item.lines.length - 1] ?? first;
      if (item.level === 1 && item.children.length === 0 && /:$/.test(text) && items[items.length - 1] === item) {
        this.warn('warning', 'item.truncated', `Élément se terminant par « : » sans suite (thématique ${c.theme}, ${c.ref} ${c.title}) : le bloc semble tronqué.`, first, last);
      }
      const src = this.source(first, last);
      const parentLead = item.parent && item.parent.text === undefined
        ? cleanItem(item.parent.lines.map((i) => this.text(i)), this.vocab)
        : item.parent?.text;
      const leadLabel = item.parent && parentLead && /:$/.test(parentLead) ? parentLead.replace(/\s*:$/, '') : undefined;
      const category = [item.subheading, leadLabel].filter((x): x is string => !!x).join(' › ') || undefined;
      const contribution: Contribution = {
        id: contributionId(this.ctx.documentId, `${c.ref}/L${this.lines[first]?.lineNo ?? first}`),
        consultation: this.ctx.consultation,
        meeting: c.meetingId,
        channel: 'atelier',
        text,
        rawText: this.doc.text.slice(src.charStart ?? 0, src.charEnd ?? 0),
        kind: BLOCK_TO_KIND[c.block],
        kindProvenance: { by: 'source', documentId: this.ctx.documentId, detail: BLOCK_LABELS[c.block] },
        themes: [{ theme: c.theme, provenance: { by: 'source', documentId: this.ctx.documentId, detail: `Thématique ${c.theme}` } }],
        moderation: { status: 'published' },
        source: src,
      };
      if (c.dept) contribution.territory = c.dept;
      if (category) contribution.category = category;
      this.contributions.push(contribution);
      n++;
    }
    return n;
  }

  // -- syntheses --------------------------------------------------------------------------------

  node(label: string, a: number, b: number, statedCount?: number): HumanSynthesisItem {
    const n: HumanSynthesisItem = { label, quotes: [], children: [], source: this.source(a, b) };
    if (statedCount !== undefined) n.statedCount = statedCount;
    return n;
  }

  /** Extends a node's source to cover line b. */
  extend(n: HumanSynthesisItem, b: number): void {
    const s = this.source(b, b);
    if (s.charEnd !== undefined && (n.source.charEnd ?? 0) < s.charEnd) { n.source.charEnd = s.charEnd; n.source.lineEnd = s.lineEnd; }
  }

  /**
   * Generic reader of counted idea lists ("label N" with sub-ideas indented by one space, counts at
   * line ends or alone on a line, "Ex : « … »" quotes) between lines a and b (exclusive), appended
   * to `parent`. Intro sentences ending with ":" open a group node.
   */
  readCountedList(parent: HumanSynthesisItem, a: number, b: number): void {
    let group: HumanSynthesisItem = parent;
    let l1: HumanSynthesisItem | null = null;
    let last: HumanSynthesisItem | null = null;
    let pending: { lines: number[]; level: 1 | 2 } | null = null;
    let quote: { target: HumanSynthesisItem; lines: number[] } | null = null;

    const finishQuote = () => {
      if (!quote) return;
      const q = cleanItem(quote.lines.map((i) => this.text(i)), this.vocab).replace(/^Ex\s*:\s*/iu, '');
      for (const part of q.split(/»\s*[;,]?\s*«/u)) {
        const p = part.replace(/^\s*«\s*/u, '').replace(/\s*»\s*\.?\s*$/u, '').trim();
        if (p) quote.target.quotes.push(p);
      }
      this.extend(quote.target, quote.lines[quote.lines.length - 1] ?? 0);
      quote = null;
    };
    const finish = (p: { lines: number[]; level: 1 | 2 }, count: number | undefined, lastLine: number, countOnLast: boolean) => {
      const rawLines = p.lines.map((i, k) => {
        const t = this.text(i);
        return countOnLast && k === p.lines.length - 1 ? splitTrailingCount(t).text : t;
      });
      const label = cleanItem(rawLines, this.vocab);
      if (label === '') return;
      const item = this.node(label, p.lines[0] ?? lastLine, lastLine, count);
      let level = p.level;
      if (level === 2) {
        // a page break adds a leading space: a "sub-idea" with no open category, or after a
        // category whose children already reach its count, is a category
        if (!l1) level = 1;
        else if (l1.statedCount !== undefined && sumStated(l1) >= l1.statedCount && l1.children.length > 0) level = 1;
      }
      if (level === 1) { group.children.push(item); l1 = item; }
      else l1?.children.push(item);
      last = item;
    };

    let sawBlank = false;
    for (let i = a; i < b; i++) {
      const t = this.text(i);
      const trimmed = t.trim();
      if (trimmed === '') { sawBlank = true; continue; }
      if (this.isHeader(i) || t.length > 2000) continue;
      const blankBefore = sawBlank;
      sawBlank = false;
      if (/^Ex\s*:/iu.test(trimmed) && last) {
        finishQuote(); pending = null;
        quote = { target: last, lines: [i] };
        continue;
      }
      const sc = splitTrailingCount(t);
      if (quote) {
        // a quote ends at a counted line, or at a new bullet after a blank line
        if ((sc.count !== undefined && sc.text.trim() !== '') || (blankBefore && /^\s/.test(t))) finishQuote();
        else { quote.lines.push(i); continue; }
      }
      if (isCountOnly(t)) {
        if (pending) { finish(pending, sc.count, i, false); pending = null; }
        continue;
      }
      const lead = /^\s/.test(t);
      if (pending) {
        const prev = this.text(pending.lines[pending.lines.length - 1] ?? i).trimEnd();
        const prevWrapped = prev.length >= 60 && !/[.;!?]$/.test(prev);
        if (!lead && prevWrapped) {
          pending.lines.push(i);
          if (sc.count !== undefined) { finish(pending, sc.count, i, true); pending = null; }
          continue;
        }
        // pending text without a count: an intro sentence (group) or prose (dropped)
        this.closeUncounted(pending, parent, (g) => { group = g; l1 = null; last = null; });
        pending = null;
      }
      const p = { lines: [i], level: (lead ? 2 : 1) as 1 | 2 };
      if (sc.count !== undefined && sc.text.trim() !== '' && !/\bNombre$|\bNbre de$/u.test(sc.text.trim())) {
        finish(p, sc.count, i, true);
      } else if (/\bNombre\s*$/u.test(trimmed)) {
        // table header ("Problématiques Nombre"): skipped
      } else {
        pending = p;
        if (!lead && /:\s*$/.test(trimmed)) { this.closeUncounted(pending, parent, (g) => { group = g; l1 = null; last = null; }); pending = null; }
      }
    }
    finishQuote();
    if (pending) this.closeUncounted(pending, parent, (g) => { group = g; l1 = null; last = null; });
  }

  closeUncounted(p: { lines: number[] }, parent: HumanSynthesisItem, setGroup: (g: HumanSynthesisItem) => void): void {
    const label = cleanItem(p.lines.map((i) => this.text(i)), this.vocab);
    if (!/:$/.test(label) || label.length > 200) {
      // prose between two counted lists: what follows no longer belongs to the previous group
      if (label.length > 40) setGroup(parent);
      return;
    }
    const g = this.node(label.replace(/\s*:$/, ''), p.lines[0] ?? 0, p.lines[p.lines.length - 1] ?? 0);
    parent.children.push(g);
    setGroup(g);
  }

  /** Theme heading possibly wrapped on the next line(s); returns the label and the last line used. */
  themeTitle(i: number, end: number): { label: string; last: number } {
    const lines = [i];
    let j = i + 1;
    let prev = this.text(i).trimEnd();
    while (j < end && prev.length >= 80 && !/[.:;]$/.test(prev)) {
      if (this.isBlank(j)) { j++; continue; }
      const t = this.text(j);
      if (/^\s/.test(t) || splitTrailingCount(t).count !== undefined || blockOf(t.trim()) || THEME_HEADING.test(t)) break;
      lines.push(j); prev = t.trimEnd(); j++;
    }
    return { label: cleanItem(lines.map((k) => collapseLetterSpacing(this.text(k))), this.vocab), last: lines[lines.length - 1] ?? i };
  }

  parseDeptSynthesis(s: Section): void {
    const dept = s.dept;
    const root = this.node(`Synthèse départementale — ${dept ? `${dept.name} (${dept.code})` : s.ref ?? ''}`, s.start, this.lastNonBlank(s.start, s.end));
    let themeStart = -1;
    let themeNode: HumanSynthesisItem | null = null;
    const close = (end: number) => {
      if (themeNode && themeStart >= 0) this.readCountedList(themeNode, themeStart, end);
    };
    for (let i = s.start + 1; i < s.end; i++) {
      const t = this.text(i);
      if (t.length > 300 || !THEME_HEADING.test(t)) continue;
      close(i);
      const { label, last } = this.themeTitle(i, s.end);
      themeNode = this.node(label, i, last);
      root.children.push(themeNode);
      themeStart = last + 1;
      i = last;
    }
    close(s.end);
    for (const th of root.children) if (th.children.length > 0) this.extend(th, lastLineOf(th));
    this.prune(root);
    this.checkSums(root, s.ref ?? '');
    this.syntheses.push(root);
  }

  parsePart1(s: Section): void {
    if (s.end - s.start < 3) return;
    const end = this.lastNonBlank(s.start, s.end);
    const firstTitle = collapseLetterSpacing(this.text(s.start)).trim().replace(/^\d+\s+/, '');
    const root = this.node(cleanLine(firstTitle || 'Synthèse régionale', this.vocab), s.start, end);
    // 1) the overview tables before the first "1.2" heading
    let i = s.start + 1;
    const deptTable = this.node('Ateliers organisés par département', i, i);
    const themeTable = this.node('Contributions par thématique', i, i);
    let themeLabelLines: number[] = [];
    for (; i < s.end; i++) {
      const t = this.text(i);
      if (t.length > 400) continue;
      const h = PART1_HEADING.exec(t);
      if (h && Number(h[1]) >= 2) break;
      const row = /^\s*(\d{2,3}|2[AB])\s*[-–]\s*(\p{Lu}.*?)\s+(\d{1,3})\s*$/u.exec(t);
      if (row) {
        const code = row[1] ?? ''; const count = Number(row[3]);
        const name = cleanLine((row[2] ?? '').replace(/\s*-\s*/g, '-'), this.vocab);
        this.statedWorkshopsByDept.set(code, { name, count, line: i });
        const n = this.node(`${code} — ${name}`, i, i, count);
        deptTable.children.push(n); this.extend(deptTable, i);
        if (deptTable.children.length === 1) deptTable.source = this.source(i, i);
        continue;
      }
      const tot = /^\s*Total\s+(\d{1,3}(?: \d{3})*)\s*(\d{1,3}\s*%)?\s*$/u.exec(t);
      if (tot) {
        const v = Number((tot[1] ?? '').replace(/ /g, ''));
        if (tot[2]) { this.statedContributions = v; themeTable.statedCount = v; this.extend(themeTable, i); this.statedLine = i; }
        else { this.statedWorkshops = v; deptTable.statedCount = v; this.extend(deptTable, i); }
        continue;
      }
      const th = THEME_HEADING.exec(t);
      if (th) { themeLabelLines = [i]; continue; }
      const cnt = /^\s*(\d{1,3}(?: \d{3})*)\s+\d{1,3}\s*%\s*$/.exec(t);
      if (cnt && themeLabelLines.length > 0) {
        const label = cleanItem(themeLabelLines.map((k) => this.text(k)), this.vocab);
        const code = THEME_HEADING.exec(this.text(themeLabelLines[0] ?? i))?.[1] ?? '';
        const v = Number((cnt[1] ?? '').replace(/ /g, ''));
        this.statedByTheme.set(code, v);
        const n = this.node(label, themeLabelLines[0] ?? i, i, v);
        if (themeTable.children.length === 0) themeTable.source = this.source(themeLabelLines[0] ?? i, i);
        themeTable.children.push(n); this.extend(themeTable, i);
        themeLabelLines = [];
        continue;
      }
      if (themeLabelLines.length > 0 && t.trim() !== '' && !/^\s/.test(t)) themeLabelLines.push(i);
    }
    if (deptTable.children.length > 0) root.children.push(deptTable);
    if (themeTable.children.length > 0) root.children.push(themeTable);
    // 2) per theme "1.N Thématique K" with sub-sections "1.N.M"
    let themeNode: HumanSynthesisItem | null = null;
    let sub: HumanSynthesisItem | null = null;
    let subStart = -1;
    const closeSub = (e: number) => {
      if (sub && subStart >= 0) { this.readCountedList(sub, subStart, e); if (sub.children.length > 0) this.extend(sub, lastLineOf(sub)); }
      sub = null;
    };
    for (; i < s.end; i++) {
      const t = this.text(i);
      if (t.length > 400) continue;
      const h = PART1_HEADING.exec(t);
      if (!h) continue;
      closeSub(i);
      if (h[2] === undefined) {
        const { label, last } = this.themeTitle(i, s.end);
        themeNode = this.node(label.replace(/^1\.\d+\s+/, ''), i, last);
        root.children.push(themeNode);
        i = last;
      } else if (themeNode) {
        sub = this.node(cleanLine(h[3] ?? '', this.vocab), i, i);
        themeNode.children.push(sub);
        subStart = i + 1;
      }
    }
    closeSub(s.end);
    for (const th of root.children) if (th.children.length > 0) this.extend(th, lastLineOf(th));
    this.prune(root);
    this.checkSums(root, 'synthèse régionale');
    // a document made only of meeting reports has a title, not a regional synthesis
    if (root.children.length > 0) this.syntheses.push(root);
  }

  /** Removes group nodes that ended up with neither count nor children (intro sentences of prose). */
  prune(n: HumanSynthesisItem): void {
    for (const c of n.children) this.prune(c);
    n.children = n.children.filter((c) => c.statedCount !== undefined || c.children.length > 0 || c.quotes.length > 0);
  }

  /** A category whose stated count differs from the sum of its sub-ideas' counts is reported. */
  checkSums(n: HumanSynthesisItem, where: string): void {
    for (const c of n.children) {
      if (c.statedCount !== undefined && c.children.length > 0 && c.children.every((x) => x.statedCount !== undefined)) {
        const sum = sumStated(c);
        if (sum !== c.statedCount) {
          this.warnings.push({ level: 'info', code: 'synthesis.count_mismatch',
            message: `Synthèse (${where}) : « ${c.label.slice(0, 80)} » annonce ${c.statedCount}, ses sous-idées totalisent ${sum}.`, source: c.source });
        }
      }
      this.checkSums(c, where);
    }
  }

  // -- totals -----------------------------------------------------------------------------------

  checkTotals(): void {
    const meetings = this.meetings.length;
    if (this.statedWorkshops !== undefined && this.statedWorkshops !== meetings) {
      this.warnings.push({ level: 'warning', code: 'totals.workshops_mismatch',
        message: `La synthèse annonce ${this.statedWorkshops} ateliers ; cette copie contient le compte-rendu de ${meetings} réunions.` });
    }
    const total = this.contributions.length;
    if (this.statedContributions !== undefined && this.statedContributions !== total) {
      this.warnings.push({ level: 'warning', code: 'totals.contributions_mismatch',
        message: `La synthèse annonce ${this.statedContributions.toLocaleString('fr-FR')} contributions ; ${total} éléments ont été lus dans les comptes-rendus de cette copie (les chiffres de la synthèse portent sur tous les ateliers et sur son propre découpage).`,
        ...(this.statedLine >= 0 ? { source: this.source(this.statedLine, this.statedLine) } : {}) });
    }
    for (const [code, stated] of this.statedByTheme) {
      const n = this.contributions.filter((c) => c.themes[0]?.theme === code).length;
      if (n !== stated) {
        this.warnings.push({ level: 'info', code: 'totals.theme_mismatch',
          message: `Thématique ${code} : ${stated} contributions annoncées, ${n} lues dans cette copie.` });
      }
    }
    for (const [code, st] of this.statedWorkshopsByDept) {
      const d = this.depts.find((x) => x.code === code);
      if (!d) {
        this.warn('warning', 'workshops.report_missing',
          `${plural(st.count, 'atelier annoncé', 'ateliers annoncés')} pour ${code} – ${st.name} sans compte rendu dans cette copie.`, st.line);
      } else if (d.meetings !== st.count) {
        this.warn('warning', 'workshops.count_mismatch',
          `${plural(st.count, 'atelier annoncé', 'ateliers annoncés')} pour ${code} – ${st.name}, ${plural(d.meetings, 'compte rendu', 'comptes rendus')} dans cette copie.`, st.line);
      }
    }
  }
}

interface Item {
  level: 1 | 2;
  lines: number[];
  parent: Item | null;
  children: Item[];
  subheading: string | undefined;
  block: AtelierBlock;
  text?: string;
}

function sumStated(n: HumanSynthesisItem): number {
  let s = 0;
  for (const c of n.children) s += c.statedCount ?? 0;
  return s;
}

function lastLineOf(n: HumanSynthesisItem): number {
  let best = (n.source.lineEnd ?? 1) - 1;
  for (const c of n.children) best = Math.max(best, lastLineOf(c));
  return best;
}

export const cnrAteliersParser: DocumentParser = {
  name: CNR_ATELIERS_PARSER_NAME,
  version: CNR_ATELIERS_PARSER_VERSION,
  detect,
  parse(doc: ReadDocument, ctx: ParseContext): ParsedDocument {
    if (detect(doc) < 0.5) {
      throw new ImportError(`« ${ctx.fileName} » n’est pas un compte-rendu d’ateliers CNR Santé (modèle Nouvelle-Aquitaine).`, 'import.not_cnr_ateliers');
    }
    const p = new Parser(doc, ctx);
    p.run();
    return {
      documentId: ctx.documentId,
      fileName: ctx.fileName,
      mediaType: ctx.mediaType,
      sizeBytes: ctx.sizeBytes,
      parser: CNR_ATELIERS_PARSER_NAME,
      parserVersion: CNR_ATELIERS_PARSER_VERSION,
      themes: [],
      meetings: p.meetings,
      contributions: p.contributions,
      syntheses: p.syntheses,
      warnings: [...doc.warnings, ...p.warnings],
    };
  },
};

