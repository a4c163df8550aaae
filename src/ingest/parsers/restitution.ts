/**
 * Parser of the CNR Santé *synthèse de restitution* template (Lot / Occitanie, autumn 2022):
 *
 *   I – Éléments de contexte: « La situation du territoire », « Les réunions de co-construction »
 *   II – Solutions et propositions: per theme a heading, then « Constats », « Solutions / propositions »
 *        (sub-groups, sometimes with a third level), « Actions emblématiques déjà en cours »
 *   III – Perspectives
 *
 * Output: constats, propositions (category = sub-group path) and ongoing actions as contributions,
 * the human grouping of the proposals as HumanSynthesisItem trees (one per theme, statedCount = the
 * number of proposals counted under each node), the meetings named in the context, local themes,
 * and warnings for the template's real-world defects. See docs/format-readers.md.
 */
import { contributionId, type Contribution, type ContributionKind } from '../../domain/contribution.ts';
import { DEPARTEMENTS, REGIONS } from '../../domain/geography.ts';
import { emptyParticipants, type Meeting, type MeetingKind } from '../../domain/meeting.ts';
import type { ImportWarning, SourceRef } from '../../domain/source.ts';
import type { HumanSynthesisItem } from '../../domain/synthesis.ts';
import type { Theme } from '../../domain/theme.ts';
import { asciiSlug, FRENCH_MONTH_PATTERN, frenchMonth, parseFrenchDate } from '../../text/french.ts';
import { buildVocabulary, cleanItem, type Vocabulary } from '../clean.ts';
import type { ReadDocument, TextLine } from '../readers/types.ts';
import { ImportError, type ParsedDocument } from '../types.ts';
import type { DocumentParser, ParseContext } from './types.ts';

export const RESTITUTION_PARSER_NAME = 'restitution';
export const RESTITUTION_PARSER_VERSION = '1.0.0';

const GLYPH = /^\s*[\uF0E0\uF0B7\uF0A7\uF0D8\uF076\uF0FC\u2022\u25AA\u25CF]/;
const DASH = /^\s*[-–]\s?(?=\S)/;
const ARROW = /^\s*→/;
const UPPER = /^[A-ZÀ-ÖØ-Þ«"0-9]/;
const LOWER_START = /^[a-zà-öø-ÿœ(),;:./»”’'-]/;

const RE = {
  title: /^\s*S\s*Y\s*N\s*T\s*H\s*[EÈÉ]\s*S\s*E\s+D\s*E\s+R\s*E\s*S\s*T\s*I\s*T\s*U\s*T\s*I\s*O\s*N/i,
  partI: /^\s*I\s*[–-]\s*[ÉE]l[ée]ments de contexte/i,
  partII: /^\s*II\s*[–-]\s*Solutions/i,
  partIII: /^\s*III\s*[–-]\s*Perspectives/i,
  situation: /^\s*La situation du territoire\s*$/i,
  reunions: /^\s*Les r[ée]unions de co-?construction\s*$/i,
  constats: /^\s*Constats\s*:?\s*$/i,
  enjeux: /^\s*Enjeux\s*:?\s*$/i,
  solutions: /^\s*Solutions\s*\/\s*propositions\s*:?\s*$/i,
  actions: /^\s*Actions embl[ée]matiques d[ée]j[àa] en cours\s*:?\s*$/i,
  supplementaire: /^\s*Th[ée]matique suppl[ée]mentaire retenue dans (.+?)\s*$/i,
  donnees: /^\s*(Donn[ée]es contextuelles|Cartographie\b.*)\s*:?\s*$/i,
  propositionsActions: /^\s*Propositions d.actions\s*:?\s*$/i,
  autresIdees: /^\s*Autres id[ée]es\s*:?\s*$/i,
  intro: /^(les |nos )?(propositions|actions à porter)\b[^:]*:$/i,
  narrative: /(?<!\p{L})(est|sont|a été|ont été|était|étaient|sera|seront|doit|doivent|devrait|devraient|peut|peuvent|semble|apparai(?:t|ssent)|nécessitent|conduisent|souhaitent|relèvent|relève|identifie|identifient|ressort|portaient|qui)(?!\p{L})/iu,
  pageNumber: /^\s*\d{1,3}\s*$/,
  infinitive: /^[A-ZÀ-Ý][a-zà-ÿ]+(?:er|ir|re)\b/,
};

/** The national themes, recognised by their heading. */
const NATIONAL: { code: string; test: (s: string) => boolean }[] = [
  { code: '1', test: (s) => /m[ée]decin traitant/i.test(s) && /[ée]quipe traitante|exercice coordonn/i.test(s) },
  { code: '2', test: (s) => /continuit[ée] des soins/i.test(s) && /soins non programm/i.test(s) },
  { code: '3', test: (s) => /attractivit[ée]/i.test(s) && /m[ée]tiers de la sant[ée]/i.test(s) },
  { code: '4', test: (s) => /nouvelle alliance/i.test(s) && /pr[ée]vention/i.test(s) },
];

type BlockKind = 'bullet' | 'dash' | 'arrow' | 'plain';
interface Block { kind: BlockKind; lines: TextLine[]; hardBefore: boolean }
interface Group { node: HumanSynthesisItem; level: 2 | 3; label: string; parent?: Group; count: number; mode3: boolean; hasText: boolean }
interface ThemeSpan { code: string; label: string; local: boolean; place?: string; head: [number, number]; body: [number, number] }

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function slug(s: string): string {
  return asciiSlug(s).slice(0, 40).replace(/-[^-]*$/, '') || 'theme-local';
}

function localCode(label: string): string {
  if (/vieillissement|personnes [âa]g[ée]es/i.test(label)) return 'vieillissement';
  if (/sant[ée] mentale/i.test(label)) return 'sante-mentale';
  return slug(label);
}

function lineIndexOf(doc: ReadDocument, re: RegExp, from = 0, to = doc.lines.length): number {
  for (let i = from; i < to; i++) if (re.test(doc.lines[i]!.text)) return i;
  return -1;
}

export function detect(doc: ReadDocument): number {
  const head = doc.lines.slice(0, 40).some((l) => RE.title.test(l.text));
  let score = head ? 0.4 : 0;
  const n = doc.lines.length;
  if (lineIndexOf(doc, RE.partI, 0, Math.min(n, 200)) >= 0) score += 0.15;
  if (lineIndexOf(doc, RE.partII) >= 0) score += 0.15;
  if (lineIndexOf(doc, RE.partIII) >= 0) score += 0.1;
  let constats = 0, solutions = 0;
  for (const l of doc.lines) {
    if (RE.constats.test(l.text)) constats++;
    else if (RE.solutions.test(l.text)) solutions++;
  }
  if (constats >= 2 && solutions >= 2) score += 0.2;
  else if (constats + solutions >= 2) score += 0.1;
  return Math.min(1, score);
}

class Parser {
  readonly contributions: Contribution[] = [];
  readonly syntheses: HumanSynthesisItem[] = [];
  readonly meetings: Meeting[] = [];
  readonly themes: Theme[] = [];
  readonly warnings: ImportWarning[] = [];
  private readonly lines: TextLine[];
  private readonly glyphDoc: boolean;
  private readonly vocab: Vocabulary;
  private territory: string | undefined;
  private territoryIsRegion = false;
  private position = 0;
  /** typical length of a full (wrapped) line: shorter lines without final punctuation end a paragraph */
  private readonly fullLine: number;

  constructor(readonly doc: ReadDocument, readonly ctx: ParseContext) {
    this.lines = doc.lines;
    this.glyphDoc = this.lines.some((l) => GLYPH.test(l.text));
    this.vocab = buildVocabulary(doc.text);
    const lengths = this.lines.map((l) => l.text.trim().length).filter((n) => n > 0).sort((x, y) => x - y);
    this.fullLine = lengths[Math.floor(lengths.length * 0.9)] ?? 80;
  }

  source(a: number, b: number): SourceRef {
    const first = this.lines[a]!;
    const last = this.lines[Math.max(a, b)]!;
    return {
      documentId: this.ctx.documentId, file: this.ctx.fileName, page: first.page,
      lineStart: first.lineNo, lineEnd: last.lineNo, charStart: first.charStart, charEnd: last.charEnd,
    };
  }

  warn(level: ImportWarning['level'], code: string, message: string, a?: number, b?: number): void {
    const w: ImportWarning = { level, code, message };
    if (a !== undefined) w.source = this.source(a, b ?? a);
    this.warnings.push(w);
  }

  run(): void {
    const n = this.lines.length;
    const iI = lineIndexOf(this.doc, RE.partI);
    const iII = lineIndexOf(this.doc, RE.partII);
    const iIII = lineIndexOf(this.doc, RE.partIII, Math.max(0, iII));
    this.findTerritory(Math.max(0, iI >= 0 ? iI : Math.min(n, 10)));
    if (iI < 0) this.warn('warning', 'restitution.missing_context', 'Partie « I – Éléments de contexte » absente.');
    if (iII < 0) this.warn('warning', 'restitution.missing_solutions', 'Partie « II – Solutions et propositions » absente.');
    if (iIII < 0) this.warn('warning', 'restitution.missing_perspectives', 'Partie « III – Perspectives » absente.');
    const contextEnd = iII >= 0 ? iII : iIII >= 0 ? iIII : n;
    const meeting = iI >= 0 ? this.context(iI + 1, contextEnd) : undefined;
    if (iII >= 0) this.partII(iII + 1, iIII >= 0 ? iIII : n);
    if (iIII >= 0) this.perspectives(iIII, n, meeting);
  }

  private findTerritory(until: number): void {
    const head = this.lines.slice(0, Math.max(until, 1)).map((l) => l.text).join(' ');
    for (const [code, [name]] of Object.entries(DEPARTEMENTS)) {
      if (new RegExp(`\\[\\s*${name}\\s*\\]|\\b${name}\\b`, 'i').test(head) && name.length > 2) {
        // "Lot" must not match "Lot-et-Garonne"
        if (name === 'Lot' && /Lot-et-Garonne/i.test(head) && !/\[\s*Lot\s*\]/i.test(head)) continue;
        this.territory = code; return;
      }
    }
    for (const [code, name] of Object.entries(REGIONS)) {
      if (new RegExp(`\\b${name}\\b`, 'i').test(head)) { this.territory = code; this.territoryIsRegion = true; return; }
    }
  }

  // ---------------------------------------------------------------- I – context
  private context(from: number, to: number): Meeting | undefined {
    const iSit = lineIndexOf(this.doc, RE.situation, from, to);
    const iReu = lineIndexOf(this.doc, RE.reunions, from, to);
    const span = (a: number, b: number): [number, number] | null => {
      let s = a, e = b - 1;
      while (s <= e && this.lines[s]!.text.trim() === '') s++;
      while (e >= s && this.lines[e]!.text.trim() === '') e--;
      return s <= e ? [s, e] : null;
    };
    let situation: string | undefined;
    if (iSit < 0) this.warn('warning', 'restitution.missing_situation', 'Sous-partie « La situation du territoire » absente.');
    else {
      const sp = span(iSit + 1, iReu > iSit ? iReu : to);
      if (!sp) this.warn('warning', 'restitution.empty_context', 'La sous-partie « La situation du territoire » est vide.', iSit);
      else situation = this.clean(sp[0], sp[1]);
    }
    if (iReu < 0) {
      this.warn('warning', 'restitution.missing_meetings', 'Sous-partie « Les réunions de co-construction » absente.');
      return undefined;
    }
    const sp = span(iReu + 1, to);
    if (!sp) { this.warn('warning', 'restitution.empty_meetings', 'La sous-partie « Les réunions de co-construction » est vide.', iReu); return undefined; }
    return this.meetingsFrom(sp[0], sp[1], situation);
  }

  private meetingsFrom(a: number, b: number, situation?: string): Meeting | undefined {
    const text = this.clean(a, b);
    const prefix = this.ctx.documentId.slice(0, 12);
    const where = /\bPour (?:le |la |l’|l'|les )?([A-ZÀ-Ý][\wÀ-ÿ-]+)/.exec(text)?.[1];
    const dept = where ? Object.entries(DEPARTEMENTS).find(([, [name]]) => name.toLowerCase() === where.toLowerCase())?.[0] : undefined;
    const territory = dept ?? (this.territoryIsRegion ? undefined : this.territory);
    const dateRe = new RegExp(`\\b(?:le\\s+)?(\\d{1,2})(?:er)?\\s+(${FRENCH_MONTH_PATTERN})(?:\\s+(\\d{4}))?`, 'gi');
    const found: Meeting[] = [];
    const textual = new Set<string>();
    const years = [...text.matchAll(/\b(20\d\d)\b/g)].map((m) => m[1]!);
    for (const m of text.matchAll(dateRe)) {
      const before = text.slice(Math.max(0, m.index - 25), m.index);
      const after = text.slice(m.index, m.index + 120);
      const month = frenchMonth(m[2]!)!;
      textual.add(`${Number(m[1])}/${month}`);
      if (/CTS\s+du\s*$/i.test(before)) continue; // the restitution to the CTS, not a co-construction meeting
      const kind: MeetingKind = /visio/i.test(after.split(/[.;]/)[0] ?? '') ? 'visio' : /pl[ée]ni/i.test(after.split(/[.;]/)[0] ?? '') ? 'pleniere' : 'reunion_departementale';
      const meeting: Meeting = {
        id: `${prefix}:m${found.length + 1}`, consultation: this.ctx.consultation, kind,
        title: kind === 'visio' ? 'CNR Santé — séquence en visioconférence' : 'CNR Santé — réunion de co-construction',
        participants: emptyParticipants(), source: this.source(a, b),
      };
      if (territory) meeting.territory = territory;
      const dateText = squash(m[0].replace(/^le\s+/i, ''));
      const date = m[3] ? parseFrenchDate(m[0]).iso : undefined;
      if (date) meeting.date = date;
      else {
        meeting.dateText = dateText;
        if (years.length === 0) this.warn('info', 'restitution.date_without_year', `Date sans année : « ${dateText} ».`, a, b);
      }
      found.push(meeting);
    }
    for (const m of text.matchAll(/\b(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?\b/g)) {
      if (!textual.has(`${Number(m[1])}/${Number(m[2])}`)) {
        this.warn('warning', 'restitution.date_inconsistent',
          `Date « ${m[0]} » qui ne correspond à aucune des dates de réunion citées dans le même paragraphe.`, a, b);
      }
    }
    if (/plateforme|en ligne|klaxoon/i.test(text)) {
      const online: Meeting = {
        id: `${prefix}:m${found.length + 1}`, consultation: this.ctx.consultation, kind: 'consultation_en_ligne',
        title: 'CNR Santé — consultation en ligne', participants: emptyParticipants(), source: this.source(a, b),
      };
      if (territory) online.territory = territory;
      found.push(online);
    }
    const main = found[0];
    if (!main) {
      this.warn('warning', 'restitution.no_meeting_date', 'Aucune date de réunion trouvée dans « Les réunions de co-construction ».', a, b);
      return undefined;
    }
    const people = /(?:environ|près de|plus de)?\s*(\d{1,5})\s+personnes/i.exec(text);
    if (people) {
      main.participants.total = Number(people[1]);
      if (/environ|près de|plus de/i.test(people[0])) {
        this.warn('info', 'restitution.participants_approximate', `Nombre de participants approximatif : « ${squash(people[0])} ».`, a, b);
      }
    }
    main.deroulement = text;
    if (situation) main.situation = situation;
    this.meetings.push(...found);
    return main;
  }

  // ---------------------------------------------------------------- II – themes
  private partII(from: number, to: number): void {
    const anchors: number[] = [];
    for (let i = from; i < to; i++) if (RE.constats.test(this.lines[i]!.text) || RE.enjeux.test(this.lines[i]!.text)) anchors.push(i);
    if (anchors.length === 0) {
      this.warn('warning', 'restitution.no_theme', 'Aucune thématique reconnue (pas de bloc « Constats »).', from);
      return;
    }
    const spans: ThemeSpan[] = [];
    let prevEnd = from;
    for (const anchor of anchors) {
      // walk back from the anchor over blanks and "Thématique supplémentaire" to the heading lines
      let i = anchor - 1;
      let place: string | undefined;
      const nonBlankBack = () => { while (i >= prevEnd && this.lines[i]!.text.trim() === '') i--; };
      nonBlankBack();
      if (i >= prevEnd) {
        const sup = RE.supplementaire.exec(this.lines[i]!.text);
        if (sup) { place = sup[1]!; i--; nonBlankBack(); }
      }
      const headEnd = i;
      while (i > prevEnd) {
        const t = this.lines[i]!.text.trim();
        if (!LOWER_START.test(t)) break;
        i--; nonBlankBack();
      }
      const headStart = Math.max(i, prevEnd);
      if (headEnd < headStart) {
        this.warn('warning', 'restitution.theme_without_heading', 'Bloc « Constats » sans intitulé de thématique.', anchor);
        continue;
      }
      const prev = spans[spans.length - 1];
      if (prev) prev.body[1] = headStart;
      const label = cleanItem(this.lines.slice(headStart, headEnd + 1).map((l) => l.text), this.vocab);
      const national = place ? undefined : NATIONAL.find((t) => t.test(label));
      const span: ThemeSpan = { code: national?.code ?? localCode(label), label, local: !national, head: [headStart, headEnd], body: [anchor, to] };
      if (place) span.place = place;
      spans.push(span);
      prevEnd = anchor + 1;
    }
    const seen = new Set<string>();
    for (const s of spans) {
      if (seen.has(s.code)) {
        this.warn('warning', 'restitution.duplicate_theme', `Thématique « ${s.label.slice(0, 80)} » présente deux fois.`, s.head[0], s.head[1]);
        let k = 2; while (seen.has(`${s.code}-${k}`)) k++;
        s.code = `${s.code}-${k}`;
      }
      seen.add(s.code);
      if (s.local) {
        const theme: Theme = { code: s.code, label: s.label, keywords: [], local: true };
        if (s.place) theme.description = `Thématique supplémentaire retenue dans ${s.place}`;
        this.themes.push(theme);
      }
      this.theme(s);
    }
    for (const t of NATIONAL) {
      if (!spans.some((s) => s.code === t.code)) this.warn('warning', 'restitution.missing_national_theme', `Thématique nationale ${t.code} absente de la synthèse.`);
    }
  }

  private theme(s: ThemeSpan): void {
    const [a, b] = s.body;
    const marks: { i: number; kind: 'constats' | 'enjeux' | 'solutions' | 'actions' | 'donnees' | 'propositions' | 'autres' }[] = [];
    for (let i = a; i < b; i++) {
      const t = this.lines[i]!.text;
      if (RE.constats.test(t)) marks.push({ i, kind: 'constats' });
      else if (RE.enjeux.test(t)) marks.push({ i, kind: 'enjeux' });
      else if (RE.solutions.test(t)) marks.push({ i, kind: 'solutions' });
      else if (RE.actions.test(t)) marks.push({ i, kind: 'actions' });
      else if (RE.donnees.test(t)) marks.push({ i, kind: 'donnees' });
      else if (RE.propositionsActions.test(t)) marks.push({ i, kind: 'propositions' });
      else if (RE.autresIdees.test(t)) marks.push({ i, kind: 'autres' });
    }
    const root: HumanSynthesisItem = { label: s.label, quotes: [], children: [], source: this.source(s.head[0], s.head[1]) };
    const short = s.label.slice(0, 60);
    const has = (k: string) => marks.some((m) => m.kind === k);
    if (!has('enjeux')) {
      if (!has('constats')) this.warn('warning', 'restitution.missing_block', `Thématique « ${short} » : bloc « Constats » absent.`, s.head[0]);
      if (!has('solutions')) this.warn('warning', 'restitution.missing_block', `Thématique « ${short} » : bloc « Solutions / propositions » absent.`, s.head[0]);
      if (!has('actions')) this.warn('info', 'restitution.missing_block', `Thématique « ${short} » : bloc « Actions emblématiques déjà en cours » absent.`, s.head[0]);
    } else {
      this.warn('info', 'restitution.nonstandard_theme', `Thématique « ${short} » rédigée hors modèle (enjeux, propositions d’actions, autres idées).`, s.head[0]);
    }
    let total = 0;
    marks.forEach((m, k) => {
      const end = marks[k + 1]?.i ?? b;
      const blocks = this.blocks(m.i + 1, end);
      switch (m.kind) {
        case 'constats':
          for (const bl of blocks) this.add(bl, 'constat', s, 'Constats');
          break;
        case 'enjeux':
          for (const bl of blocks) {
            if (bl.kind === 'dash' && !/\?\s*$/.test(this.blockText(bl))) this.add(bl, 'constat', s, 'Enjeux');
          }
          break;
        case 'actions':
          for (const bl of blocks) this.add(bl, 'action_en_cours', s, 'Actions emblématiques déjà en cours');
          break;
        case 'solutions':
          total += this.solutions(blocks, s, root);
          break;
        case 'propositions': case 'autres': {
          const label = m.kind === 'propositions' ? 'Propositions d’actions' : 'Autres idées';
          const node: HumanSynthesisItem = { label, quotes: [], children: [], source: this.source(m.i, m.i) };
          let count = 0;
          for (const bl of blocks) {
            const txt = this.blockText(bl);
            if (bl.kind === 'dash' || /^\s*Action\s+\d+\s*=/.test(txt)) { this.add(bl, 'proposition', s, label); count++; this.extend(node, bl); }
          }
          node.statedCount = count;
          total += count;
          root.children.push(node);
          break;
        }
        case 'donnees':
          break;
      }
    });
    root.statedCount = total;
    this.syntheses.push(root);
  }

  /** Solutions / propositions: sub-group headings (two levels), intros, items; returns the count. */
  private solutions(blocks: Block[], s: ThemeSpan, root: HumanSynthesisItem): number {
    let l2: Group | undefined;
    let l3: Group | undefined;
    let total = 0;
    blocks.forEach((bl, k) => {
      const text = this.blockText(bl);
      if (bl.kind === 'plain' && this.isHeading(bl, k === 0)) {
        const label = cleanItem(bl.lines.map((l) => l.text), this.vocab).replace(/\s*:$/, '');
        const node: HumanSynthesisItem = { label, quotes: [], children: [], source: this.source(this.idx(bl.lines[0]!), this.idx(bl.lines[bl.lines.length - 1]!)) };
        const next = blocks[k + 1];
        const nextIsItem = next !== undefined && (next.kind !== 'plain' || this.isPlainProposal(next));
        const explicit3 = /^(Concernant|Pour|Auprès)\b/.test(label);
        const asLevel3 = l2 !== undefined && (explicit3 || (l2.mode3 && nextIsItem) || (l2.count === 0 && l2.node.children.length === 0 && nextIsItem && !l2.hasText));
        if (asLevel3 && l2) {
          l2.mode3 = true;
          l3 = { node, level: 3, label, parent: l2, count: 0, mode3: false, hasText: false };
          l2.node.children.push(node);
        } else {
          l2 = { node, level: 2, label, count: 0, mode3: false, hasText: false };
          l3 = undefined;
          root.children.push(node);
        }
        return;
      }
      const isItem = bl.kind !== 'plain' || this.isPlainProposal(bl);
      if (!isItem) {
        // an intro ("Les propositions :") or a narrative paragraph of the synthesis
        if (l2 && !RE.intro.test(squash(text))) l2.hasText = true;
        if (!RE.intro.test(squash(text)) && !/:\s*$/.test(text)) this.add(bl, 'autre', s, l3 ? `${l2!.label} > ${l3.label}` : l2?.label ?? 'Solutions / propositions');
        return;
      }
      const category = l3 ? `${l2!.label} > ${l3.label}` : l2 ? l2.label : undefined;
      this.add(bl, 'proposition', s, category ?? 'Solutions / propositions', category);
      total++;
      for (const g of [l3, l2]) {
        if (!g) continue;
        g.count++;
        g.node.statedCount = g.count;
      }
      if (!l2) root.statedCount = (root.statedCount ?? 0);
    });
    for (const child of root.children) if (child.statedCount === undefined) child.statedCount = 0;
    for (const child of root.children) for (const c of child.children) if (c.statedCount === undefined) c.statedCount = 0;
    return total;
  }

  /** A plain (unbulleted) paragraph that reads as a proposal: it starts with an infinitive. */
  private isPlainProposal(bl: Block): boolean {
    const t = this.blockText(bl).trim();
    return RE.infinitive.test(t) && !RE.narrative.test(t.split(/[:(]/)[0] ?? '') && !/:\s*$/.test(t) && !this.isHeading(bl, false);
  }

  private isHeading(bl: Block, first: boolean): boolean {
    if (bl.kind !== 'plain' || !(bl.hardBefore || first)) return false;
    const raw = bl.lines.map((l) => l.text.trim());
    const text = squash(raw.join(' '));
    if (!UPPER.test(text) || text.length > 170 || raw.length > 3) return false;
    if (raw.slice(1).some((l) => !LOWER_START.test(l))) return false;
    if (/[.;,]$/.test(text)) return false;
    if (RE.intro.test(text)) return false;
    if (RE.narrative.test(text.replace(/:.*$/, ''))) return false;
    return true;
  }

  private idx(l: TextLine): number { return l.lineNo - 1; }

  private blockText(bl: Block): string { return bl.lines.map((l) => l.text).join('\n'); }

  private extend(node: HumanSynthesisItem, bl: Block): void {
    const last = bl.lines[bl.lines.length - 1]!;
    node.source = { ...node.source, lineEnd: last.lineNo, charEnd: last.charEnd };
  }

  /**
   * Splits lines a..b into blocks (items or paragraphs). A whitespace-only line is a hard break; an
   * empty line is not (the extraction puts one between wrapped lines). A bullet glyph, a dash or an
   * arrow opens an item; in documents whose bullets were lost, a leading space before a capital does.
   */
  private blocks(a: number, b: number): Block[] {
    const out: Block[] = [];
    let cur: Block | undefined;
    let hard = false;
    for (let i = a; i < b; i++) {
      const line = this.lines[i]!;
      const t = line.text;
      if (t === '') continue;
      if (t.trim() === '') { hard = true; continue; }
      if (RE.pageNumber.test(t)) { hard = true; continue; }
      let marker: BlockKind | null = null;
      if (GLYPH.test(t)) marker = 'bullet';
      else if (ARROW.test(t)) marker = 'arrow';
      else if (DASH.test(t) || /^\s*Action\s+\d+\s*[=:]/.test(t)) marker = 'dash';
      else if (!this.glyphDoc && /^ {1,3}\S/.test(t) && UPPER.test(t.trim())) marker = 'bullet';
      if (marker === 'dash' && cur?.kind === 'bullet' && this.glyphDoc && !hard) { cur.lines.push(line); hard = false; continue; }
      if (marker) { cur = { kind: marker, lines: [line], hardBefore: hard }; out.push(cur); hard = false; continue; }
      // in a document with bullet glyphs, a leading space before a capital marks a page start
      if (this.glyphDoc && /^ \S/.test(t) && UPPER.test(t.trim())) hard = true;
      if (cur && !hard && this.continues(cur, t)) { cur.lines.push(line); continue; }
      cur = { kind: 'plain', lines: [line], hardBefore: hard || out.length === 0 };
      out.push(cur);
      hard = false;
    }
    return out;
  }

  private continues(cur: Block, next: string): boolean {
    const t = next.trim();
    const prev = cur.lines[cur.lines.length - 1]!.text.trim();
    if (LOWER_START.test(t)) return true;
    const opens = (prev.match(/\(/g) ?? []).length - (prev.match(/\)/g) ?? []).length;
    if (opens > 0 || /[-–]$/.test(prev)) return true;
    if (/[.;:!?…]$/.test(prev)) return false;
    if (prev.length < this.fullLine * 0.7) return false; // a short line ends its paragraph
    // a heading line followed by its first paragraph
    if (cur.kind === 'plain' && cur.lines.length === 1 && cur.hardBefore && prev.length <= 100 && !RE.narrative.test(prev)) return false;
    return true;
  }

  private clean(a: number, b: number): string {
    return cleanItem(this.lines.slice(a, b + 1).map((l) => l.text), this.vocab);
  }

  private add(bl: Block, kind: ContributionKind, s: ThemeSpan, detail: string, category?: string): void {
    const first = bl.lines[0]!;
    const last = bl.lines[bl.lines.length - 1]!;
    const source = this.source(this.idx(first), this.idx(last));
    const raw = this.doc.text.slice(first.charStart, last.charEnd);
    const text = cleanItem(bl.lines.map((l) => l.text), this.vocab);
    if (text === '') return;
    this.position++;
    const c: Contribution = {
      id: contributionId(this.ctx.documentId, this.position),
      consultation: this.ctx.consultation,
      channel: 'autre',
      text,
      kind,
      kindProvenance: { by: 'source', documentId: this.ctx.documentId, detail },
      themes: [{ theme: s.code, provenance: { by: 'source', documentId: this.ctx.documentId } }],
      moderation: { status: 'published' },
      source,
    };
    if (raw !== text) c.rawText = raw;
    if (category) c.category = category;
    if (this.territory && !this.territoryIsRegion) c.territory = this.territory;
    this.contributions.push(c);
  }

  // ---------------------------------------------------------------- III – perspectives
  private perspectives(at: number, n: number, meeting: Meeting | undefined): void {
    let s = at + 1, e = n - 1;
    while (s <= e && this.lines[s]!.text.trim() === '') s++;
    while (e >= s && this.lines[e]!.text.trim() === '') e--;
    const node: HumanSynthesisItem = { label: 'Perspectives', quotes: [], children: [], source: this.source(at, Math.max(at, e)) };
    this.syntheses.push(node);
    if (s > e) { this.warn('warning', 'restitution.empty_perspectives', 'La partie « III – Perspectives » est vide.', at); return; }
    const text = this.clean(s, e);
    if (meeting) meeting.perspectives = text;
    // a regional synthesis whose perspectives speak of one département only: copied from it
    if (this.territoryIsRegion) {
      const named = Object.entries(DEPARTEMENTS).filter(([, [name]]) => new RegExp(`\\b(?:le|la|les|l’|l')\\s*${name}\\b(?!-)`, 'i').test(text));
      if (named.length === 1) {
        this.warn('warning', 'restitution.perspectives_copied',
          `Les perspectives de cette synthèse régionale ne citent qu’un seul département (${named[0]![1][0]}) : section vraisemblablement copiée d’une synthèse départementale.`, s, e);
      }
    }
  }
}

export const restitutionParser: DocumentParser = {
  name: RESTITUTION_PARSER_NAME,
  version: RESTITUTION_PARSER_VERSION,
  detect,
  parse(doc: ReadDocument, ctx: ParseContext): ParsedDocument {
    if (detect(doc) < 0.5) {
      throw new ImportError(`« ${ctx.fileName} » n’est pas une synthèse de restitution CNR Santé (modèle Lot / Occitanie).`, 'import.not_restitution');
    }
    const p = new Parser(doc, ctx);
    p.run();
    return {
      documentId: ctx.documentId, fileName: ctx.fileName, mediaType: ctx.mediaType, sizeBytes: ctx.sizeBytes,
      parser: RESTITUTION_PARSER_NAME, parserVersion: RESTITUTION_PARSER_VERSION,
      themes: p.themes, meetings: p.meetings, contributions: p.contributions, syntheses: p.syntheses,
      warnings: [...doc.warnings, ...p.warnings],
    };
  },
};
