/**
 * Link suggestion (issue 14): for each proposal, common idea or plan item, the plan's objectives (and défis)
 * ranked by what they share with it, each candidate with the evidence of why. Lexical and explained: shared
 * stems weighted by their rarity among the plan's passages (bullets, sentences), shared two-word phrases, the health-system lexicon
 * (an acronym matches its spelled-out forms), the element's thèmes / parcours / mots clés, and the plan's reuse
 * of the item's wording (a run of shared words). « Nothing fits » is decided on the plan's action fields only (does
 * the plan act on it, not merely write its words). Pure, deterministic, synchronous; no I/O. See docs/linking.md.
 */
import type { LinkCandidate, LinkEvidence, LinkSourceRef, LinkSuggestion } from '../../domain/links.ts';
import type { ParsedPlan, PlanAction } from '../../ingest/plan/types.ts';
import type { StoredPlan } from '../../store/plans.ts';
import { acronymConcept, findForms } from './lexicon.ts';
import { foldAccents, stemKey } from '../text/index.ts';
import { words, type Word } from './tokens.ts';

export { reusedPassages, type ReusedPassage } from './reuse.ts';

export const LINK_MODEL = { name: 'fabrique-link-lexical', version: '2' } as const;

/**
 * A ranking score under this says an objective does not fit: a défi is proposed only when none of its objectives
 * reaches it (v1 also said « nothing fits » under it). Chosen on the development set (the Lozère CNR items of
 * ../shared/eval, bench/quality/links.ts, docs/linking.md): the cut that flagged the most of its NOT_TAKEN_UP items
 * while wrongly flagging at most 20 % of its linked ones.
 */
export const LINK_THRESHOLD = 0.148;

/**
 * « Nothing fits » when the item's fit (how far the plan's action fields commit to it: ACTION_FIELDS below) is under
 * this. Chosen on the development set by the same method (docs/linking.md).
 */
export const FIT_THRESHOLD = 0.0884;

/** One text field of a plan element, with its lines in the plan document when the parser kept them. */
export interface LinkTargetField {
  /** title, defiARelever, enjeux, constats, objectif, resultatsAttendus, enPratique, paroleCitoyen, chiffresCles, objectifRegional */
  field: string;
  text: string;
  lineStart?: number;
  lineEnd?: number;
}

/** A plan element links may point to: an objective, or a défi (when no objective of it fits). */
export interface LinkTarget {
  /** catalogue code: « E3D1O5 » or « E3D1 » */
  code: string;
  kind: 'objective' | 'defi';
  title: string;
  /** the défi (for a défi: itself) and the engagement it belongs to */
  defi: string;
  engagement: string;
  fields: LinkTargetField[];
  themes: string[];
  parcours: string[];
  motsCles: string[];
  /** the element's part of the plan document: from its heading to the next element's (1-based lines) */
  lineStart?: number;
  lineEnd?: number;
}

interface ElementLike { code: string; title: string; themes: string[]; parcours: string[]; motsCles: string[]; objectifRegional: string | null; source: { lineStart?: number; lineEnd?: number } }
interface ObjectiveLike extends ElementLike {
  defiARelever: string | null; constats: string | null; objectif: string | null; resultatsAttendus: string | null;
  resultatsAttendusItems: string[]; chiffresCles: string | null; paroleCitoyen: string | null; actions: PlanAction[];
}
interface DefiLike extends ElementLike { enjeux: string | null; objectives: ObjectiveLike[] }
interface EngagementLike { code: string; defis: DefiLike[]; source: { lineStart?: number } }

/** The objectives and défis of a plan (parsed or stored), in document order, with their text fields. */
export function linkTargets(plan: StoredPlan | ParsedPlan): LinkTarget[] {
  const engagements: EngagementLike[] = 'kind' in plan && plan.kind === 'plan' ? (plan as ParsedPlan).plan.engagements : (plan as StoredPlan).engagements;
  const out: LinkTarget[] = [];
  const starts: number[] = [];
  for (const e of engagements) {
    if (e.source.lineStart !== undefined) starts.push(e.source.lineStart);
    for (const d of e.defis) {
      const fields: LinkTargetField[] = [field('title', d.title, d.source)];
      if (d.enjeux) fields.push({ field: 'enjeux', text: d.enjeux });
      if (d.objectifRegional) fields.push({ field: 'objectifRegional', text: d.objectifRegional });
      out.push({ code: d.code, kind: 'defi', title: d.title, defi: d.code, engagement: e.code, fields, themes: [...d.themes], parcours: [...d.parcours], motsCles: [...d.motsCles], ...lines(d.source) });
      if (d.source.lineStart !== undefined) starts.push(d.source.lineStart);
      for (const o of d.objectives) {
        const f: LinkTargetField[] = [field('title', o.title, o.source)];
        const add = (name: string, text: string | null) => { if (text && text.trim()) f.push({ field: name, text }); };
        add('defiARelever', o.defiARelever);
        add('constats', o.constats);
        add('objectif', o.objectif);
        add('resultatsAttendus', o.resultatsAttendus ?? (o.resultatsAttendusItems.length > 0 ? o.resultatsAttendusItems.join(' ; ') : null));
        for (const a of o.actions) f.push(field('enPratique', a.text, a.source));
        add('paroleCitoyen', o.paroleCitoyen);
        add('chiffresCles', o.chiffresCles);
        add('objectifRegional', o.objectifRegional);
        out.push({ code: o.code, kind: 'objective', title: o.title, defi: d.code, engagement: e.code, fields: f, themes: [...o.themes], parcours: [...o.parcours], motsCles: [...o.motsCles], ...lines(o.source) });
        if (o.source.lineStart !== undefined) starts.push(o.source.lineStart);
      }
    }
  }
  // an element's part of the document ends where the next element (engagement, défi, objective) begins
  const sorted = [...new Set(starts)].sort((a, b) => a - b);
  for (const t of out) {
    if (t.lineStart === undefined) continue;
    const next = sorted.find((s) => s > (t.lineStart as number));
    const lastField = Math.max(t.lineEnd ?? t.lineStart, ...t.fields.map((f) => f.lineEnd ?? 0));
    t.lineEnd = next !== undefined ? Math.max(next - 1, t.lineStart) : lastField;
  }
  return out;
}

function field(name: string, text: string, src: { lineStart?: number; lineEnd?: number }): LinkTargetField {
  return { field: name, text, ...lines(src) };
}

function lines(src: { lineStart?: number; lineEnd?: number }): { lineStart?: number; lineEnd?: number } {
  const o: { lineStart?: number; lineEnd?: number } = {};
  if (src.lineStart !== undefined) o.lineStart = src.lineStart;
  if (src.lineEnd !== undefined) o.lineEnd = src.lineEnd;
  return o;
}

// -- the model -------------------------------------------------------------------------------------------------

/**
 * How much a match in each field says that the element takes the item up: what the element does (its title,
 * objective, « en pratique », enjeux) weighs most; what it observes or expects (constats, résultats attendus) less;
 * the wording it shares with its siblings (the défi's title repeated on each objective, the catalogue's) and its
 * figures least. Set before measuring; constats raised from 0.4 to 0.6 on the development set (docs/linking.md).
 */
const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  title: 1, objectif: 0.9, enPratique: 0.9, enjeux: 0.8, resultatsAttendus: 0.6, paroleCitoyen: 0.5, constats: 0.6,
  motsCles: 0.7, themes: 0.5, parcours: 0.4, defiARelever: 0.4, objectifRegional: 0.4, chiffresCles: 0.2,
};
/**
 * Shares of the score: the best single passage of the element (one bullet or sentence holding the item's words
 * together), all the element's fields together, shared two-word phrases, the longest reused run of words.
 */
const W_BEST = 0.35;
const W_COVER = 0.35;
const W_PHRASES = 0.15;
const W_REUSE = 0.15;
/** A reused passage: at least this many content words in a row, the same in the item and the element. */
const REUSE_MIN = 3;
/** A défi is proposed when no objective of it fits better: slightly behind an objective of equal score. */
const DEFI_FACTOR = 0.95;
/**
 * Two words of one Snowball stem count as the same word only when they share most of their letters (the
 * stemmer folds « communication » into « commun », « activité » with « active »): common prefix ≥ this share of
 * the longer word.
 */
const SAME_WORD_PREFIX = 0.6;
/**
 * Lead verbs say that something is to be done, not what: the first content word of at least LEAD_MIN passages of
 * the plan (articles skipped, so also the first noun of a bullet), and the infinitive an item opens with
 * (« Étoffer », « Repenser »), weigh LEAD_FACTOR of their rarity.
 */
const LEAD_MIN = 2;
const LEAD_FACTOR = 0.25;
const INFINITIVE = /(er|ir|re)$/;
/** Words by which a plan names its own territory: rare in its bullets, yet they say nothing of a topic. */
const TERRITORY_WORDS: ReadonlySet<string> = new Set(['département', 'départements', 'départemental', 'départementale', 'départementaux', 'territoire', 'territoires', 'territorial', 'territoriale', 'territoriaux', 'local', 'locale', 'locaux', 'locales'].map((w) => stemKey(w)));
/**
 * « Nothing fits » asks whether the plan *commits* to the item, not whether it writes its words: the fit of an
 * element is the same score read on its action fields only (what it does: its title, « L'objectif », « Les
 * résultats attendus », « En pratique ») with their ranking weights; the diagnostic fields (enjeux, constats, défi
 * à relever, chiffres-clés, parole de citoyen, objectif régional) and the sidebar count for nothing there.
 */
const ACTION_FIELDS: ReadonlySet<string> = new Set(['title', 'objectif', 'resultatsAttendus', 'enPratique']);
/**
 * An item whose distinctive phrase (its heaviest two-word phrase or lexicon concept the plan writes) reads only in
 * the plan's diagnostic text is mentioned there, not taken up: its fit is × MENTIONED_FIT (set at one half a priori).
 */
const MENTIONED_FIT = 0.5;
/**
 * An item made only of words the plan writes everywhere (« développer une offre adaptée aux besoins ») names
 * nothing the plan could be said to commit to: its fit is read against at least the weight of this many words
 * the plan never writes (set a priori: two).
 */
const FIT_MIN_WORDS = 2;
const DEFAULT_TOP = 5;
const MAX_EVIDENCE = 12;

const FIELD_KIND: ReadonlySet<string> = new Set(['themes', 'parcours', 'motsCles']);

interface CompiledField {
  name: string;
  weight: number;
  lineStart?: number;
  lineEnd?: number;
  /** content words in order */
  content: Word[];
  /** the normalised text the words' offsets point into */
  norm: string;
}

interface CompiledTarget {
  t: LinkTarget;
  fields: CompiledField[];
  /** the target's postings by term (the evidence says in which field and how the plan writes the word) */
  postings: Map<string, Posting[]>;
  bigrams: Map<string, { w: number; field: number; surface: string }>;
}

/**
 * A term in one passage (a bullet or sentence of a field): how the passage writes it (accent-folded lower case for
 * the same-word check, and as written), whether as the acronym.
 */
interface Posting { passage: number; target: number; w: number; fw: number; surfaces: string[]; shown: string[]; acronym: boolean }

interface Model {
  targets: CompiledTarget[];
  passages: { target: number; field: number; w: number; fw: number }[];
  idf: Map<string, number>;
  unseenIdf: number;
  postings: Map<string, Posting[]>;
  /** each passage's postings by term (the evidence asks which terms the best passage holds) */
  passageTerms: Map<string, Posting>[];
  bigramPostings: Map<string, { target: number; w: number; fw: number; act: boolean }[]>;
  /** three content stems in a row → where they read (target, field, position of the first) */
  trigrams: Map<string, { target: number; field: number; pos: number }[]>;
  /** per target: 1 for a défi; for an objective the index of its défi's target (-1 when absent) */
  isDefi: Uint8Array;
  defiOf: Int32Array;
  /** the plan's lead verbs: words that open several of its bullets (« Développer », « Renforcer ») */
  leadWords: Set<string>;
}

interface TermOcc { term: string; surface: string; folded: string; viaAcronym: boolean; pos: number }

/** Terms of a sequence of content words: stems, lexicon concepts for acronyms (in place of the acronym) and forms. */
function termsOf(content: Word[]): TermOcc[] {
  const out: TermOcc[] = [];
  content.forEach((w, pos) => {
    const c = acronymConcept(w.surface);
    const folded = foldAccents(w.surface.toLowerCase());
    out.push(c ? { term: c, surface: w.surface, folded, viaAcronym: true, pos } : { term: w.key, surface: w.surface, folded, viaAcronym: false, pos });
  });
  for (const h of findForms(content.map((w) => w.key))) {
    const surface = content.slice(h.start, h.end).map((w) => w.surface).join(' ');
    // a spelled-out form is known by its stems (marked `=`): two different forms of a concept match (see matchKind)
    out.push({ term: h.form.concept, surface, folded: `=${h.form.stems.join(' ')}`, viaAcronym: false, pos: h.start });
  }
  return out;
}

function disjointForms(a: string, b: string): boolean {
  const x = a.slice(1).split(' ');
  return !b.slice(1).split(' ').some((w) => x.includes(w));
}

function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const n = Math.min(a.length, b.length);
  let k = 0;
  while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  return k >= SAME_WORD_PREFIX * Math.max(a.length, b.length);
}

/** Bullets and sentences of a field: where the words of one idea read together. */
function passagesOf(content: Word[], norm: string): Word[][] {
  const out: Word[][] = [];
  let cur: Word[] = [];
  let prevEnd = 0;
  for (const w of content) {
    const gap = norm.slice(prevEnd, w.start);
    if (cur.length > 0 && /(^|\s)-\s|[;.:!?•]\s|\n/.test(gap)) { out.push(cur); cur = []; }
    cur.push(w);
    prevEnd = w.end;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

const compiled = new WeakMap<LinkTarget[], Model>();

function compile(targets: LinkTarget[]): Model {
  const hit = compiled.get(targets);
  if (hit) return hit;
  const cts: CompiledTarget[] = [];
  const passages: Model['passages'] = [];
  const passageTerms: Map<string, Posting>[] = [];
  const df = new Map<string, number>();
  const postings = new Map<string, Posting[]>();
  const bigramPostings = new Map<string, { target: number; w: number; fw: number; act: boolean }[]>();
  const trigrams = new Map<string, { target: number; field: number; pos: number }[]>();
  const lead = new Map<string, number>();
  targets.forEach((t, ti) => {
    const raw: LinkTargetField[] = [...t.fields];
    for (const name of ['themes', 'parcours', 'motsCles'] as const) for (const v of t[name]) raw.push({ field: name, text: v });
    const fields: CompiledField[] = [];
    const targetPostings = new Map<string, Posting[]>();
    const bigramMap = new Map<string, { w: number; field: number; surface: string }>();
    const bigramFit = new Map<string, number>();
    const bigramAct = new Set<string>();
    for (const r of raw) {
      const weight = FIELD_WEIGHTS[r.field] ?? 0.5;
      const fitWeight = ACTION_FIELDS.has(r.field) ? weight : 0;
      const { norm, words: all } = words(r.text);
      const content = all.filter((w) => w.content);
      const fi = fields.length;
      const cf: CompiledField = { name: r.field, weight, content, norm };
      if (r.lineStart !== undefined) cf.lineStart = r.lineStart;
      if (r.lineEnd !== undefined) cf.lineEnd = r.lineEnd;
      fields.push(cf);
      for (const part of passagesOf(content, norm)) {
        const pi = passages.length;
        if (part[0] && !acronymConcept(part[0].surface)) lead.set(part[0].key, (lead.get(part[0].key) ?? 0) + 1);
        passages.push({ target: ti, field: fi, w: weight, fw: fitWeight });
        const inPassage = new Map<string, Posting>();
        passageTerms.push(inPassage);
        for (const x of termsOf(part)) {
          let p = inPassage.get(x.term);
          if (!p) { p = { passage: pi, target: ti, w: weight, fw: fitWeight, surfaces: [], shown: [], acronym: false }; inPassage.set(x.term, p); }
          if (!p.surfaces.includes(x.folded) || (x.viaAcronym && !p.acronym)) { p.surfaces.push(x.folded); p.shown.push(x.surface); }
          if (x.viaAcronym) p.acronym = true;
        }
        for (const [term, p] of inPassage) {
          df.set(term, (df.get(term) ?? 0) + 1);
          let l = postings.get(term);
          if (!l) { l = []; postings.set(term, l); }
          l.push(p);
          let tl = targetPostings.get(term);
          if (!tl) { tl = []; targetPostings.set(term, tl); }
          tl.push(p);
        }
      }
      for (let i = 0; i + 1 < content.length; i++) {
        const b = `${content[i]!.key} ${content[i + 1]!.key}`;
        const prev = bigramMap.get(b);
        if (!prev || prev.w < weight) bigramMap.set(b, { w: weight, field: fi, surface: `${content[i]!.surface} ${content[i + 1]!.surface}` });
        if ((bigramFit.get(b) ?? -1) < fitWeight) bigramFit.set(b, fitWeight);
        if (ACTION_FIELDS.has(r.field)) bigramAct.add(b);
      }
      for (let i = 0; i + 2 < content.length; i++) {
        const g = `${content[i]!.key} ${content[i + 1]!.key} ${content[i + 2]!.key}`;
        let l = trigrams.get(g);
        if (!l) { l = []; trigrams.set(g, l); }
        l.push({ target: ti, field: fi, pos: i });
      }
    }
    for (const [b, s] of bigramMap) {
      let l = bigramPostings.get(b);
      if (!l) { l = []; bigramPostings.set(b, l); }
      l.push({ target: ti, w: s.w, fw: bigramFit.get(b) ?? 0, act: bigramAct.has(b) });
    }
    cts.push({ t, fields, postings: targetPostings, bigrams: bigramMap });
  });
  // rarity among the plan's passages: a word most bullets use (« santé », « développer ») says little about which
  // element takes an item up; a word the plan never writes weighs as one it writes once
  const n = passages.length;
  const idf = new Map<string, number>();
  for (const [term, d] of df) idf.set(term, Math.log((n + 1) / (d + 0.5)) * ((lead.get(term) ?? 0) >= LEAD_MIN || TERRITORY_WORDS.has(term) ? LEAD_FACTOR : 1));
  const leadWords = new Set([...lead].filter(([, c]) => c >= LEAD_MIN).map(([k]) => k));
  const model: Model = { targets: cts, passages, idf, unseenIdf: Math.log((n + 1) / 1.5), postings, passageTerms, bigramPostings, trigrams, leadWords,
    isDefi: Uint8Array.from(targets, (t) => (t.kind === 'defi' ? 1 : 0)),
    defiOf: Int32Array.from(targets, (t) => (t.kind === 'objective' ? targets.findIndex((d) => d.kind === 'defi' && d.code === t.defi) : -1)) };
  compiled.set(targets, model);
  return model;
}

interface ItemTerm { idf: number; surface: string; folded: string[]; viaAcronym: boolean; inMass: boolean }

interface ItemView {
  content: Word[];
  terms: Map<string, ItemTerm>;
  bigrams: Map<string, { idf: number; surface: string }>;
  termMass: number;
  bigramMass: number;
}

function viewItem(model: Model, text: string): ItemView {
  const content = words(text).words.filter((w) => w.content);
  const terms = new Map<string, ItemTerm>();
  let termMass = 0;
  const opener = content[0] && INFINITIVE.test(content[0].surface.toLowerCase()) && !model.leadWords.has(content[0].key) ? content[0].key : null;
  for (const x of termsOf(content)) {
    const prev = terms.get(x.term);
    if (prev) {
      if (x.folded && !prev.folded.includes(x.folded)) prev.folded.push(x.folded);
      if (x.viaAcronym && !prev.viaAcronym) { prev.viaAcronym = true; prev.inMass = true; termMass += prev.idf; }
      continue;
    }
    const idf = (model.idf.get(x.term) ?? model.unseenIdf) * (x.term === opener ? LEAD_FACTOR : 1);
    // a concept the item only spells out is not counted in its mass: its words are; it adds where the plan writes the acronym
    const inMass = !x.term.startsWith('@') || x.viaAcronym;
    terms.set(x.term, { idf, surface: x.surface, folded: x.folded ? [x.folded] : [], viaAcronym: x.viaAcronym, inMass });
    if (inMass) termMass += idf;
  }
  const bigrams = new Map<string, { idf: number; surface: string }>();
  let bigramMass = 0;
  for (let i = 0; i + 1 < content.length; i++) {
    const a = content[i]!;
    const b = content[i + 1]!;
    const key = `${a.key} ${b.key}`;
    if (bigrams.has(key)) continue;
    const w = ((model.idf.get(a.key) ?? model.unseenIdf) + (model.idf.get(b.key) ?? model.unseenIdf)) / 2;
    bigrams.set(key, { idf: w, surface: `${a.surface} ${b.surface}` });
    bigramMass += w;
  }
  return { content, terms, bigrams, termMass, bigramMass };
}

/** Whether an item term and a posting (or a target's occurrences) are the same word, and how it matched. */
function matchKind(term: string, x: ItemTerm, folded: string[], acronym: boolean): 'term' | 'lexicon' | null {
  if (term.startsWith('@')) {
    if (x.viaAcronym && acronym) return 'term';
    if (x.viaAcronym || acronym) return 'lexicon';
    // both spell it out: forms sharing a word already match as words; forms sharing none meet through the lexicon
    for (const a of x.folded) for (const b of folded) if (a.startsWith('=') && b.startsWith('=') && disjointForms(a, b)) return 'lexicon';
    return null;
  }
  for (const a of x.folded) for (const b of folded) if (sameWord(a, b)) return 'term';
  return null;
}

/** How the passage writes the item's word: the form the same-word check accepts (for a concept: the acronym if any). */
function shownOf(term: string, x: ItemTerm, p: Posting): string {
  if (term.startsWith('@')) {
    const i = p.acronym && !x.viaAcronym ? p.shown.findIndex((_, k) => acronymConcept(p.shown[k]!) === term) : 0;
    return p.shown[Math.max(0, i)] ?? '';
  }
  for (let k = 0; k < p.surfaces.length; k++) for (const a of x.folded) if (sameWord(a, p.surfaces[k]!)) return p.shown[k]!;
  return p.shown[0] ?? '';
}

interface Reuse { target: number; field: number; pos: number; itemPos: number; length: number }

/** The longest passage of each element that reads the same as the item (≥ REUSE_MIN content words in a row). */
function reuses(model: Model, item: ItemView, actionOnly = false): Map<number, Reuse> {
  const best = new Map<number, Reuse>();
  const c = item.content;
  // runs along a diagonal (same offset between item and field positions) of consecutive shared trigrams
  const runs = new Map<string, Reuse>();
  for (let i = 0; i + 2 < c.length; i++) {
    const hits = model.trigrams.get(`${c[i]!.key} ${c[i + 1]!.key} ${c[i + 2]!.key}`);
    if (!hits) continue;
    for (const h of hits) {
      if (actionOnly && !ACTION_FIELDS.has(model.targets[h.target]!.fields[h.field]!.name)) continue;
      const diag = `${h.target}:${h.field}:${h.pos - i}`;
      let r = runs.get(diag);
      if (r && r.itemPos + r.length - 2 === i) r.length++;
      else { r = { target: h.target, field: h.field, pos: h.pos, itemPos: i, length: 3 }; runs.set(diag, r); }
      const b = best.get(h.target);
      if (!b || r.length > b.length) best.set(h.target, { ...r });
    }
  }
  for (const [k, r] of best) if (r.length < REUSE_MIN) best.delete(k);
  return best;
}

interface Scored { ti: number; score: number; best: number; bestPassage: number; cover: number; phrase: number; reuse: number }

/**
 * Ranks the targets for each item. `top`: candidates kept per item (default 5); `planText`: the plan document's
 * text, to give the line where each piece of evidence reads (else the lines the parser kept for the field).
 * The targets are compiled once per array (kept in a WeakMap): pass the same array for each chunk of items, and do
 * not change it in place between calls. An item's result never depends on the other items.
 */
export function suggestLinks(targets: LinkTarget[], items: { source: LinkSourceRef; text: string }[], opts: { top?: number; planText?: string } = {}): LinkSuggestion[] {
  return suggestLinksWithFit(targets, items, opts).suggestions;
}

/**
 * As suggestLinks, with each item's fit (0..1): how far the plan's action fields commit to it; `nothingFits` is
 * fit < FIT_THRESHOLD. The bench reads the fits to choose the threshold.
 */
export function suggestLinksWithFit(targets: LinkTarget[], items: { source: LinkSourceRef; text: string }[], opts: { top?: number; planText?: string } = {}): { suggestions: LinkSuggestion[]; fits: number[] } {
  const lastFits: number[] = [];
  const model = compile(targets);
  const top = Math.max(1, opts.top ?? DEFAULT_TOP);
  const locator = opts.planText !== undefined ? new LineLocator(opts.planText) : null;
  const out: LinkSuggestion[] = [];
  const passAcc = new Float64Array(model.passages.length);
  const coverAcc = new Float64Array(targets.length);
  const bigramAcc = new Float64Array(targets.length);
  const termBest = new Float64Array(targets.length);
  const termBestFit = new Float64Array(targets.length);
  const coverFit = new Float64Array(targets.length);
  const bigramFitAcc = new Float64Array(targets.length);
  const bestFitOf = new Float64Array(targets.length);
  const bestOf = new Float64Array(targets.length);
  const bestPassage = new Int32Array(targets.length);
  const touched: number[] = [];
  const termTargets: number[] = [];
  const scores = new Float64Array(targets.length);
  const fitted = new Uint8Array(targets.length);
  const before = (x: number, y: number) => scores[x]! > scores[y]! || (scores[x] === scores[y] && targets[x]!.code < targets[y]!.code);
  for (const item of items) {
    const view = viewItem(model, item.text);
    for (const pi of touched) passAcc[pi] = 0;
    touched.length = 0;
    coverAcc.fill(0);
    bigramAcc.fill(0);
    bestOf.fill(0);
    coverFit.fill(0);
    bigramFitAcc.fill(0);
    bestFitOf.fill(0);
    bestPassage.fill(-1);
    // the item's distinctive phrase: its heaviest two-word phrase or lexicon concept (an acronym, a multi-word form)
    // the plan writes; the item is only mentioned when no action field writes it
    let distinctive = 0, distinctiveActs = true;
    for (const [term, x] of view.terms) {
      const list = model.postings.get(term);
      if (!list) continue;
      termTargets.length = 0;
      let read = false, acts = false;
      for (const p of list) {
        if (matchKind(term, x, p.surfaces, p.acronym) === null) continue;
        read = true;
        if (p.fw > 0) acts = true; // an action field
        if (passAcc[p.passage] === 0) touched.push(p.passage);
        passAcc[p.passage]! += x.idf;
        if (termBest[p.target] === 0) termTargets.push(p.target);
        if (p.w > termBest[p.target]!) termBest[p.target] = p.w;
        if (p.fw > termBestFit[p.target]!) termBestFit[p.target] = p.fw;
      }
      for (const ti of termTargets) { coverAcc[ti]! += x.idf * termBest[ti]!; termBest[ti] = 0; coverFit[ti]! += x.idf * termBestFit[ti]!; termBestFit[ti] = 0; }
      if (read && term.startsWith('@') && x.idf > distinctive) { distinctive = x.idf; distinctiveActs = acts; }
    }
    for (const [b, x] of view.bigrams) {
      const list = model.bigramPostings.get(b);
      if (!list) continue;
      for (const p of list) { bigramAcc[p.target]! += x.idf * p.w; bigramFitAcc[p.target]! += x.idf * p.fw; }
      if (x.idf > distinctive) { distinctive = x.idf; distinctiveActs = list.some((p) => p.act); }
    }
    for (const pi of touched) {
      const p = model.passages[pi]!;
      const v = passAcc[pi]! * p.w;
      if (v > bestOf[p.target]!) { bestOf[p.target] = v; bestPassage[p.target] = pi; }
      const fv = passAcc[pi]! * p.fw;
      if (fv > bestFitOf[p.target]!) bestFitOf[p.target] = fv;
    }
    const reuse = reuses(model, view);
    const reuseAct = reuses(model, view, true);
    let fit = 0;
    const mass = view.termMass > 0 ? view.termMass : 1;
    const fitMass = Math.max(mass, FIT_MIN_WORDS * model.unseenIdf);
    const itemContent = Math.max(view.content.length, 1);
    for (let ti = 0; ti < targets.length; ti++) {
      const r = reuse.get(ti);
      let score = W_BEST * Math.min(1, bestOf[ti]! / mass) + W_COVER * Math.min(1, coverAcc[ti]! / mass)
        + (view.bigramMass > 0 ? (W_PHRASES * bigramAcc[ti]!) / view.bigramMass : 0) + (r ? W_REUSE * Math.min(1, r.length / itemContent) : 0);
      if (model.isDefi[ti]) score *= DEFI_FACTOR;
      scores[ti] = Math.min(1, score);
      const ra = reuseAct.get(ti);
      const f = W_BEST * Math.min(1, bestFitOf[ti]! / fitMass) + W_COVER * Math.min(1, coverFit[ti]! / fitMass)
        + (view.bigramMass > 0 ? (W_PHRASES * bigramFitAcc[ti]!) / view.bigramMass : 0) + (ra ? W_REUSE * Math.min(1, ra.length / itemContent) : 0);
      if (f > fit) fit = f;
    }
    if (!distinctiveActs) fit *= MENTIONED_FIT;
    // a défi stands for its objectives only where none of them fits (the issue's « défi when no objective fits »)
    fitted.fill(0);
    for (let ti = 0; ti < targets.length; ti++) if (model.defiOf[ti]! >= 0 && scores[ti]! >= LINK_THRESHOLD) fitted[model.defiOf[ti]!] = 1;
    // the `top` best, kept sorted (score, then code) without sorting every target
    const chosen: number[] = [];
    for (let ti = 0; ti < targets.length; ti++) {
      const sc = scores[ti]!;
      if (sc <= 0 || (model.isDefi[ti] && fitted[ti])) continue;
      if (chosen.length === top && !before(ti, chosen[top - 1]!)) continue;
      let k = chosen.length < top ? chosen.length : top - 1;
      chosen[k] = ti;
      while (k > 0 && before(ti, chosen[k - 1]!)) { chosen[k] = chosen[k - 1]!; chosen[k - 1] = ti; k--; }
    }
    const candidates: LinkCandidate[] = chosen.map((ti) => {
      const r = reuse.get(ti);
      const sc: Scored = { ti, score: scores[ti]!, best: Math.min(1, bestOf[ti]! / mass), bestPassage: bestPassage[ti]!, cover: Math.min(1, coverAcc[ti]! / mass),
        phrase: view.bigramMass > 0 ? bigramAcc[ti]! / view.bigramMass : 0, reuse: r ? Math.min(1, r.length / itemContent) : 0 };
      return { target: targets[ti]!.code, targetKind: targets[ti]!.kind, score: round(sc.score), evidence: evidenceFor(model, view, sc, r, locator) };
    });
    fit = round(Math.min(1, fit));
    lastFits.push(fit);
    out.push({ source: item.source, candidates, nothingFits: fit < FIT_THRESHOLD, threshold: FIT_THRESHOLD, model: LINK_MODEL.name, version: LINK_MODEL.version });
  }
  return { suggestions: out, fits: lastFits };
}

function evidenceFor(model: Model, view: ItemView, s: Scored, reuse: Reuse | undefined, locator: LineLocator | null): LinkEvidence[] {
  const ct = model.targets[s.ti]!;
  const factor = ct.t.kind === 'defi' ? DEFI_FACTOR : 1;
  const raw = s.score / factor;
  const share = (x: number) => round(Math.min(1, x / raw));
  const mass = view.termMass > 0 ? view.termMass : 1;
  const ev: LinkEvidence[] = [];
  const lineOf = (fi: number, keys: () => string[]): number | undefined => {
    const f = ct.fields[fi]!;
    return (locator ? locator.find(ct.t, f, keys()) : undefined) ?? f.lineStart ?? (f.name === 'title' ? ct.t.lineStart : undefined);
  };
  if (reuse) {
    const f = ct.fields[reuse.field]!;
    const run = f.content.slice(reuse.pos, reuse.pos + reuse.length);
    // the plan's words as written, articles included
    const e: LinkEvidence = { kind: 'reuse', text: f.norm.slice(run[0]!.start, run[run.length - 1]!.end), field: f.name, weight: share(W_REUSE * s.reuse) };
    const line = lineOf(reuse.field, () => run.map((w) => w.key));
    if (line !== undefined) e.line = line;
    ev.push(e);
  }
  if (view.bigramMass > 0) {
    for (const [b, x] of view.bigrams) {
      const seen = ct.bigrams.get(b);
      if (!seen) continue;
      const e: LinkEvidence = { kind: 'phrase', text: seen.surface, field: ct.fields[seen.field]!.name, weight: share((W_PHRASES * x.idf * seen.w) / view.bigramMass) };
      const line = lineOf(seen.field, () => b.split(' '));
      if (line !== undefined) e.line = line;
      ev.push(e);
    }
  }
  for (const [term, x] of view.terms) {
    // the heaviest passage of this target where the item's word reads (the same word, or the concept as matched)
    let best: { p: Posting; how: 'term' | 'lexicon'; shown: string } | null = null;
    let inBest = false;
    for (const p of ct.postings.get(term) ?? []) {
      const how = matchKind(term, x, p.surfaces, p.acronym);
      if (how === null) continue;
      if (p.passage === s.bestPassage) inBest = true;
      if (!best || p.w > best.p.w) best = { p, how, shown: shownOf(term, x, p) };
    }
    if (!best) continue;
    const bestW = inBest ? model.passages[s.bestPassage]!.w : 0;
    const weight = share((W_COVER * x.idf * best.p.w + W_BEST * x.idf * bestW) / mass);
    const fi = inBest ? model.passages[s.bestPassage]!.field : model.passages[best.p.passage]!.field;
    const shown = inBest ? shownOf(term, x, model.passageTerms[s.bestPassage]!.get(term)!) : best.shown;
    const name = ct.fields[fi]!.name;
    const kind: LinkEvidence['kind'] = best.how === 'lexicon' ? 'lexicon' : FIELD_KIND.has(name) ? 'field' : 'term';
    const e: LinkEvidence = { kind, text: kind === 'lexicon' ? `${shown} = ${x.surface}` : shown, field: name, weight };
    if (!FIELD_KIND.has(name)) {
      const line = lineOf(fi, () => keysOf(shown));
      if (line !== undefined) e.line = line;
    }
    ev.push(e);
  }
  ev.sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0) || cmp(a.kind, b.kind) || cmp(a.text, b.text));
  return ev.slice(0, MAX_EVIDENCE);
}

/** Finds on which line of the plan document a field's words read, inside the element's part of the document. */
class LineLocator {
  private readonly lines: string[];
  private readonly keys = new Map<number, string[]>();
  private readonly fieldStart = new Map<string, number>();
  constructor(text: string) { this.lines = text.split(/\r\n|\n|\r/); }

  private keysOf(line: number): string[] {
    let k = this.keys.get(line);
    if (!k) { k = keysOf(this.lines[line - 1] ?? ''); this.keys.set(line, k); }
    return k;
  }

  /** first line from `from` to `to` where `seq` reads in a row (possibly running onto the next line) */
  private search(seq: string[], from: number, to: number): number | undefined {
    if (seq.length === 0) return undefined;
    for (let l = from; l <= to && l <= this.lines.length; l++) {
      const own = this.keysOf(l);
      const k = seq.length > 1 ? [...own, ...this.keysOf(l + 1)] : own;
      for (let i = 0; i < own.length; i++) {
        let ok = true;
        for (let j = 0; j < seq.length; j++) if (k[i + j] !== seq[j]) { ok = false; break; }
        if (ok) return l;
      }
    }
    return undefined;
  }

  find(t: LinkTarget, f: CompiledField, seq: string[]): number | undefined {
    if (t.lineStart === undefined) return undefined;
    const to = t.lineEnd ?? t.lineStart;
    if (f.lineStart !== undefined) return this.search(seq, f.lineStart, f.lineEnd ?? f.lineStart) ?? f.lineStart;
    const key = `${t.code}\u0000${f.name}`;
    let start = this.fieldStart.get(key);
    if (start === undefined) {
      start = this.search(f.content.slice(0, 3).map((w) => w.key), t.lineStart, to) ?? t.lineStart;
      this.fieldStart.set(key, start);
    }
    return this.search(seq, start, to) ?? start;
  }
}

function keysOf(text: string): string[] {
  return words(text).words.filter((w) => w.content).map((w) => w.key);
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
