/**
 * Link suggestion (issue 14): for each proposal, common idea or plan item, the plan's objectives (and défis)
 * ranked by what they share with it, each candidate with the evidence of why. Lexical and explained: shared
 * stems weighted by their rarity among the plan's elements, shared two-word phrases, the health-system lexicon
 * (an acronym matches its spelled-out forms), the element's thèmes / parcours / mots clés, and the plan's reuse
 * of the item's wording (a run of shared words). Pure, deterministic, synchronous; no I/O. See docs/linking.md.
 */
import type { LinkCandidate, LinkEvidence, LinkSourceRef, LinkSuggestion } from '../../domain/links.ts';
import type { ParsedPlan, PlanAction } from '../../ingest/plan/types.ts';
import type { StoredPlan } from '../../store/plans.ts';
import { acronymConcept, findForms } from './lexicon.ts';
import { words, type Word } from './tokens.ts';

export { reusedPassages, type ReusedPassage } from './reuse.ts';

export const LINK_MODEL = { name: 'fabrique-link-lexical', version: '1' } as const;

/**
 * A best score under this says « nothing fits ». Chosen on the development set (the Lozère CNR items of
 * ../shared/eval, see docs/linking.md): the value that best separates its linked items from its NOT_TAKEN_UP ones.
 */
export const LINK_THRESHOLD = 0.2;

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
 * How much a match in each field says that the element takes the item up. Set a priori (the title and what the
 * element does weigh most; the défi's title repeated on its objectives, figures and the catalogue's wording
 * least), not fitted to the evaluation set.
 */
const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  title: 1, objectif: 0.9, enPratique: 0.9, enjeux: 0.8, resultatsAttendus: 0.7, constats: 0.6, paroleCitoyen: 0.6,
  motsCles: 0.7, themes: 0.5, parcours: 0.4, defiARelever: 0.5, objectifRegional: 0.4, chiffresCles: 0.3,
};
/** Shares of the score: shared terms, shared two-word phrases, the longest reused passage. */
const W_TERMS = 0.6;
const W_PHRASES = 0.2;
const W_REUSE = 0.2;
/** A reused passage: at least this many content words in a row, the same in the item and the element. */
const REUSE_MIN = 3;
/** A défi is proposed when no objective of it fits better: slightly behind an objective of equal score. */
const DEFI_FACTOR = 0.95;
const DEFAULT_TOP = 5;
const MAX_EVIDENCE = 12;

const FIELD_KIND: ReadonlySet<string> = new Set(['themes', 'parcours', 'motsCles']);

interface Seen { w: number; field: number; surface: string; viaAcronym: boolean }

interface CompiledField {
  name: string;
  weight: number;
  lineStart?: number;
  lineEnd?: number;
  /** content words in order */
  content: Word[];
}

interface CompiledTarget {
  t: LinkTarget;
  fields: CompiledField[];
  /** best field for each term (stems and lexicon concepts) */
  terms: Map<string, Seen>;
  bigrams: Map<string, Seen>;
}

interface Model {
  targets: CompiledTarget[];
  idf: Map<string, number>;
  unseenIdf: number;
  /** term → targets holding it, with the term's weight there */
  postings: Map<string, { target: number; w: number }[]>;
  bigramPostings: Map<string, { target: number; w: number }[]>;
  /** three content stems in a row → where they read (target, field, position of the first) */
  trigrams: Map<string, { target: number; field: number; pos: number }[]>;
}

/** Terms of a sequence of content words: stems, lexicon concepts for acronyms (in place of the acronym) and forms. */
function termsOf(content: Word[]): { term: string; surface: string; viaAcronym: boolean }[] {
  const out: { term: string; surface: string; viaAcronym: boolean }[] = [];
  for (const w of content) {
    const c = acronymConcept(w.surface);
    out.push(c ? { term: c, surface: w.surface, viaAcronym: true } : { term: w.key, surface: w.surface, viaAcronym: false });
  }
  for (const h of findForms(content.map((w) => w.key))) {
    out.push({ term: h.form.concept, surface: content.slice(h.start, h.end).map((w) => w.surface).join(' '), viaAcronym: false });
  }
  return out;
}

const compiled = new WeakMap<LinkTarget[], Model>();

function compile(targets: LinkTarget[]): Model {
  const hit = compiled.get(targets);
  if (hit) return hit;
  const cts: CompiledTarget[] = [];
  const df = new Map<string, number>();
  const postings = new Map<string, { target: number; w: number }[]>();
  const bigramPostings = new Map<string, { target: number; w: number }[]>();
  const trigrams = new Map<string, { target: number; field: number; pos: number }[]>();
  targets.forEach((t, ti) => {
    const raw: LinkTargetField[] = [...t.fields];
    for (const name of ['themes', 'parcours', 'motsCles'] as const) for (const v of t[name]) raw.push({ field: name, text: v });
    const fields: CompiledField[] = [];
    const termMap = new Map<string, Seen>();
    const bigramMap = new Map<string, Seen>();
    for (const r of raw) {
      const name = r.field;
      const weight = FIELD_WEIGHTS[name] ?? 0.5;
      const content = words(r.text).words.filter((w) => w.content);
      const fi = fields.length;
      const cf: CompiledField = { name, weight, content };
      if (r.lineStart !== undefined) cf.lineStart = r.lineStart;
      if (r.lineEnd !== undefined) cf.lineEnd = r.lineEnd;
      fields.push(cf);
      for (const x of termsOf(content)) {
        const prev = termMap.get(x.term);
        if (!prev || prev.w < weight) termMap.set(x.term, { w: weight, field: fi, surface: x.surface, viaAcronym: x.viaAcronym && (!prev || prev.viaAcronym) });
        else if (prev && !x.viaAcronym) prev.viaAcronym = false;
      }
      for (let i = 0; i + 1 < content.length; i++) {
        const b = `${content[i]!.key} ${content[i + 1]!.key}`;
        const prev = bigramMap.get(b);
        if (!prev || prev.w < weight) bigramMap.set(b, { w: weight, field: fi, surface: `${content[i]!.surface} ${content[i + 1]!.surface}`, viaAcronym: false });
      }
      for (let i = 0; i + 2 < content.length; i++) {
        const g = `${content[i]!.key} ${content[i + 1]!.key} ${content[i + 2]!.key}`;
        let l = trigrams.get(g);
        if (!l) { l = []; trigrams.set(g, l); }
        l.push({ target: ti, field: fi, pos: i });
      }
    }
    for (const [term, s] of termMap) {
      df.set(term, (df.get(term) ?? 0) + 1);
      let l = postings.get(term);
      if (!l) { l = []; postings.set(term, l); }
      l.push({ target: ti, w: s.w });
    }
    for (const [b, s] of bigramMap) {
      let l = bigramPostings.get(b);
      if (!l) { l = []; bigramPostings.set(b, l); }
      l.push({ target: ti, w: s.w });
    }
    cts.push({ t, fields, terms: termMap, bigrams: bigramMap });
  });
  // rarity among the plan's elements: a word every objective uses (« santé ») says little about which one
  const n = targets.length;
  const idf = new Map<string, number>();
  for (const [term, d] of df) idf.set(term, Math.log((n + 1) / (d + 0.5)));
  const model: Model = { targets: cts, idf, unseenIdf: Math.log((n + 1) / 0.5), postings, bigramPostings, trigrams };
  compiled.set(targets, model);
  return model;
}

interface ItemView {
  content: Word[];
  /** distinct terms with their idf and how the item writes them */
  terms: Map<string, { idf: number; surface: string; viaAcronym: boolean }>;
  bigrams: Map<string, { idf: number; surface: string }>;
  termMass: number;
  bigramMass: number;
}

function viewItem(model: Model, text: string): ItemView {
  const content = words(text).words.filter((w) => w.content);
  const terms = new Map<string, { idf: number; surface: string; viaAcronym: boolean }>();
  let termMass = 0;
  for (const x of termsOf(content)) {
    if (terms.has(x.term)) continue;
    const idf = model.idf.get(x.term) ?? model.unseenIdf;
    terms.set(x.term, { idf, surface: x.surface, viaAcronym: x.viaAcronym });
    termMass += idf;
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

interface Reuse { target: number; field: number; pos: number; itemPos: number; length: number }

/** The longest passage of each element that reads the same as the item (≥ REUSE_MIN content words in a row). */
function reuses(model: Model, item: ItemView): Map<number, Reuse> {
  const best = new Map<number, Reuse>();
  const c = item.content;
  // runs along a diagonal (same offset between item and field positions) of consecutive shared trigrams
  const runs = new Map<string, Reuse>();
  for (let i = 0; i + 2 < c.length; i++) {
    const g = `${c[i]!.key} ${c[i + 1]!.key} ${c[i + 2]!.key}`;
    const hits = model.trigrams.get(g);
    if (!hits) continue;
    for (const h of hits) {
      const diag = `${h.target}:${h.field}:${h.pos - i}`;
      const r = runs.get(diag);
      if (r && r.itemPos + r.length - 2 === i) r.length++;
      else if (!r || r.itemPos + r.length - 2 < i) runs.set(diag, { target: h.target, field: h.field, pos: h.pos, itemPos: i, length: 3 });
      const cur = runs.get(diag)!;
      const b = best.get(h.target);
      if (!b || cur.length > b.length) best.set(h.target, { ...cur });
    }
  }
  for (const [k, r] of best) if (r.length < REUSE_MIN) best.delete(k);
  return best;
}

/**
 * Ranks the targets for each item. `top`: candidates kept per item (default 5); `planText`: the plan document's
 * text, to give the line where each piece of evidence reads (else the lines the parser kept for the field).
 */
export function suggestLinks(targets: LinkTarget[], items: { source: LinkSourceRef; text: string }[], opts: { top?: number; planText?: string } = {}): LinkSuggestion[] {
  const model = compile(targets);
  const top = Math.max(1, opts.top ?? DEFAULT_TOP);
  const locator = opts.planText !== undefined ? new LineLocator(opts.planText) : null;
  const out: LinkSuggestion[] = [];
  const termAcc = new Float64Array(targets.length);
  const bigramAcc = new Float64Array(targets.length);
  for (const item of items) {
    const view = viewItem(model, item.text);
    termAcc.fill(0);
    bigramAcc.fill(0);
    for (const [term, x] of view.terms) for (const p of model.postings.get(term) ?? []) termAcc[p.target]! += x.idf * p.w;
    for (const [b, x] of view.bigrams) for (const p of model.bigramPostings.get(b) ?? []) bigramAcc[p.target]! += x.idf * p.w;
    const reuse = reuses(model, view);
    const itemContent = Math.max(view.content.length, 1);
    const scored: { ti: number; score: number; parts: [number, number, number] }[] = [];
    for (let ti = 0; ti < targets.length; ti++) {
      const tp = view.termMass > 0 ? termAcc[ti]! / view.termMass : 0;
      const pp = view.bigramMass > 0 ? bigramAcc[ti]! / view.bigramMass : 0;
      const r = reuse.get(ti);
      const rp = r ? Math.min(1, r.length / itemContent) : 0;
      let score = W_TERMS * tp + W_PHRASES * pp + W_REUSE * rp;
      if (score <= 0) continue;
      if (targets[ti]!.kind === 'defi') score *= DEFI_FACTOR;
      scored.push({ ti, score: Math.min(1, score), parts: [tp, pp, rp] });
    }
    scored.sort((a, b) => b.score - a.score || cmp(targets[a.ti]!.code, targets[b.ti]!.code));
    const candidates: LinkCandidate[] = scored.slice(0, top).map((s) => ({
      target: targets[s.ti]!.code,
      targetKind: targets[s.ti]!.kind,
      score: round(s.score),
      evidence: evidenceFor(model, view, s.ti, reuse.get(s.ti), s.score, locator),
    }));
    const best = candidates[0]?.score ?? 0;
    out.push({ source: item.source, candidates, nothingFits: best < LINK_THRESHOLD, threshold: LINK_THRESHOLD, model: LINK_MODEL.name, version: LINK_MODEL.version });
  }
  return out;
}

function evidenceFor(model: Model, view: ItemView, ti: number, reuse: Reuse | undefined, score: number, locator: LineLocator | null): LinkEvidence[] {
  const ct = model.targets[ti]!;
  const factor = ct.t.kind === 'defi' ? DEFI_FACTOR : 1;
  const share = (x: number) => round((x * factor) / score);
  const ev: LinkEvidence[] = [];
  const lineOf = (fi: number, keys: string[]): number | undefined => {
    const f = ct.fields[fi]!;
    return locator?.find(ct.t, f, keys) ?? f.lineStart ?? (f.name === 'title' ? ct.t.lineStart : undefined);
  };
  if (reuse) {
    const f = ct.fields[reuse.field]!;
    const run = f.content.slice(reuse.pos, reuse.pos + reuse.length);
    const e: LinkEvidence = { kind: 'reuse', text: run.map((w) => w.surface).join(' '), field: f.name, weight: share(W_REUSE * Math.min(1, reuse.length / Math.max(view.content.length, 1))) };
    const line = lineOf(reuse.field, run.map((w) => w.key));
    if (line !== undefined) e.line = line;
    ev.push(e);
  }
  if (view.bigramMass > 0) {
    for (const [b, x] of view.bigrams) {
      const s = ct.bigrams.get(b);
      if (!s) continue;
      const f = ct.fields[s.field]!;
      const e: LinkEvidence = { kind: 'phrase', text: s.surface, field: f.name, weight: share((W_PHRASES * x.idf * s.w) / view.bigramMass) };
      const line = lineOf(s.field, b.split(' '));
      if (line !== undefined) e.line = line;
      ev.push(e);
    }
  }
  if (view.termMass > 0) {
    for (const [term, x] of view.terms) {
      const s = ct.terms.get(term);
      if (!s) continue;
      const f = ct.fields[s.field]!;
      const concept = term.startsWith('@');
      const kind: LinkEvidence['kind'] = concept && !(x.viaAcronym && s.viaAcronym) ? 'lexicon' : FIELD_KIND.has(f.name) ? 'field' : 'term';
      const text = kind === 'lexicon' ? `${s.surface} = ${x.surface}` : s.surface;
      const e: LinkEvidence = { kind, text, field: f.name, weight: share((W_TERMS * x.idf * s.w) / view.termMass) };
      if (!FIELD_KIND.has(f.name)) {
        const line = lineOf(s.field, concept ? keysOf(s.surface) : [term]);
        if (line !== undefined) e.line = line;
      }
      ev.push(e);
    }
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
    if (!k) { k = words(this.lines[line - 1] ?? '').words.filter((w) => w.content).map((w) => w.key); this.keys.set(line, k); }
    return k;
  }

  /** first line at or after `from` (within `to`) holding `seq` in a row (possibly across a line break) */
  private search(seq: string[], from: number, to: number): number | undefined {
    if (seq.length === 0) return undefined;
    for (let l = from; l <= to && l <= this.lines.length; l++) {
      const k = [...this.keysOf(l), ...this.keysOf(l + 1)];
      const own = this.keysOf(l).length;
      for (let i = 0; i < own; i++) {
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
    if (f.lineStart !== undefined && seq.length > 0) return this.search(seq, f.lineStart, f.lineEnd ?? f.lineStart) ?? f.lineStart;
    const key = `${t.code}\u0000${f.name}\u0000${f.content[0]?.start ?? 0}`;
    let start = this.fieldStart.get(key);
    if (start === undefined) {
      start = this.search(f.content.slice(0, 3).map((w) => w.key), t.lineStart, to) ?? t.lineStart;
      this.fieldStart.set(key, start);
    }
    return seq.length > 0 ? (this.search(seq, start, to) ?? start) : start;
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
