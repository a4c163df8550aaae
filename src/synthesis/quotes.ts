/**
 * Which contributions a synthesis quotes as examples of an idea, so that the quotes are worth reading:
 * each text once in a whole document (exact and near duplicates, a copy-paste campaign quoted once with
 * its size), relevant to the idea's label and to the words its members share, readable (not in capitals
 * when another will do, not too short or too long, never cut inside a word). Pure functions.
 */
import type { Contribution } from '../domain/contribution.ts';
import { findDuplicates, normalizeForDuplicates } from '../analysis/duplicates/index.ts';
import { terms } from '../analysis/text/terms.ts';

/** Default number of generated example quotes per idea (BuildOptions.quotesPerIdea, `--quotes-per-idea`). */
export const DEFAULT_QUOTES_PER_IDEA = 3;
/** From this many contributions an idea gets 2 generated examples, and from QUOTES_ALL_FROM the document's full number (see quotesForSize). */
export const QUOTES_2_FROM = 4;
export const QUOTES_ALL_FROM = 10;

/**
 * How many generated examples an idea of `size` contributions gets, `max` being the document's quotes per idea
 * (3 by default): 1 below QUOTES_2_FROM, 2 below QUOTES_ALL_FROM, `max` beyond (never more than `max`). A summary
 * quotes a small idea once and a large one a few times; the full list of its contributions goes to the annex.
 */
export function quotesForSize(size: number, max = DEFAULT_QUOTES_PER_IDEA): number {
  if (size <= 0 || max <= 0) return 0;
  return Math.min(max, size >= QUOTES_ALL_FROM ? max : size >= QUOTES_2_FROM ? 2 : 1);
}
/** Longest quote: longer texts are cut at a sentence end, else at a word end. */
export const QUOTE_MAX = 400;
/** Lengths read comfortably as an example (characters). */
const READABLE_MIN = 40;
const READABLE_MAX = 300;
/** A campaign, as the duplicate finder calls it: this many copies of (nearly) the same text. */
const CAMPAIGN_MIN = 5;

/** A verbatim part of a contribution's text, cut at a sentence end, else at a word end, never inside a word. */
export function quoteText(text: string, max = QUOTE_MAX): { text: string; excerpt: boolean } {
  const t = text.trim();
  if (t.length <= max) return { text: t, excerpt: t !== text };
  const head = t.slice(0, max + 1);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf(' ; '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentence > max / 2) return { text: t.slice(0, sentence + 1).trimEnd(), excerpt: true };
  const space = head.lastIndexOf(' ');
  // one very long token (a URL, glued words): kept whole rather than cut inside it
  if (space <= 0) return { text: t, excerpt: t !== text };
  return { text: t.slice(0, space).replace(/[\s,;:–—-]+$/u, ''), excerpt: true };
}

/** A text written in capitals (most of its letters upper case): hard to read, quoted only when nothing else will do. */
export function isShouting(text: string): boolean {
  let upper = 0;
  let letters = 0;
  for (const ch of text) {
    if (ch.toLowerCase() === ch.toUpperCase()) continue;
    letters++;
    if (ch !== ch.toLowerCase()) upper++;
  }
  return letters >= 8 && upper / letters > 0.6;
}

/** Key under which two quotes count as the same text: case, accents, punctuation and spacing ignored. */
export function quoteKey(text: string): string {
  return normalizeForDuplicates(text);
}

/** Content stems of a text, for near-identity of short texts that shingles miss ("en zone sous dense" / "dans les zones sous-denses"). */
function stemSet(text: string): Set<string> {
  return new Set(terms(text));
}

/** Two texts say the same thing in nearly the same words: same stems, or 80 % of them shared (texts of 4 stems or more). */
export function nearlySame(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  if (inter === a.size && inter === b.size) return true;
  return Math.min(a.size, b.size) >= 4 && inter / (a.size + b.size - inter) >= 0.8;
}

/** Stems shared by many members of an idea: its "centroid" terms, in decreasing frequency. */
export function centroidTerms(texts: string[], n = 8): string[] {
  const df = new Map<string, number>();
  for (const t of texts) for (const s of new Set(terms(t))) df.set(s, (df.get(s) ?? 0) + 1);
  const min = texts.length >= 4 ? 2 : 1;
  return [...df.entries()].filter(([s, k]) => k >= min && !/^\d/.test(s)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([s]) => s);
}

/**
 * Relevance of a text to an idea: stems of the label it contains (worth 2 each), then stems of the
 * idea's centroid (worth 1 each). Integer, so that readability decides between equally relevant texts.
 */
export function relevance(text: string, labelStems: ReadonlySet<string>, centroid: ReadonlySet<string>): number {
  let score = 0;
  for (const s of new Set(terms(text))) {
    if (labelStems.has(s)) score += 2;
    else if (centroid.has(s)) score += 1;
  }
  return score;
}

/** 0 reads best; higher is worse: capitals, a cut text, too short or too long, masked names. */
export function readabilityPenalty(text: string): number {
  const q = quoteText(text);
  let p = 0;
  if (q.excerpt) p += 1;
  const len = q.text.length;
  if (len < READABLE_MIN || len > READABLE_MAX) p += 1;
  if (len < 15) p += 2;
  // a list item cut from its lead-in ("à la présence de structures…") reads as a fragment
  if (/^\p{Ll}/u.test(q.text)) p += 1;
  if (q.text.includes('[nom]') || /\[(?:courriel|téléphone|adresse|identifiant)\]/u.test(q.text)) p += 1;
  return p;
}

/** A candidate as ranked for an idea. */
export interface RankedQuote {
  contribution: Contribution;
  shouting: boolean;
  relevance: number;
  penalty: number;
  preferred: boolean;
  index: number;
}

/**
 * Orders candidates for an idea: texts not in capitals first (one in capitals only when no other is
 * left), then the group's representatives (the grouping picked its members nearest the centroid, or a
 * person did), then by relevance to the label and centroid, then readability, then arrival order.
 */
export function rankQuotes(pool: Contribution[], label: string | undefined, preferred: ReadonlySet<string> = new Set()): RankedQuote[] {
  const labelStems = new Set(label ? terms(label) : []);
  const centroid = new Set(centroidTerms(pool.map((c) => c.text)));
  return pool.map((c, index) => ({
    contribution: c, shouting: isShouting(c.text), relevance: relevance(c.text, labelStems, centroid),
    penalty: readabilityPenalty(c.text), preferred: preferred.has(c.id), index,
  })).sort((a, b) => Number(a.shouting) - Number(b.shouting) || Number(b.preferred) - Number(a.preferred)
    || b.relevance - a.relevance || a.penalty - b.penalty || a.index - b.index);
}

/** The texts that repeat one another in a set of contributions: exact or near duplicates. */
export interface Repeats {
  /** contribution id → ids of every contribution of its duplicate set (itself included, in arrival order) */
  setOf: Map<string, string[]>;
  /** true when the set is a copy-paste campaign (quoted with its size) */
  campaign(ids: string[]): boolean;
}

export function findRepeats(contributions: readonly Contribution[]): Repeats {
  const setOf = new Map<string, string[]>();
  const r = findDuplicates(contributions.map((c) => ({ id: c.id, text: c.text })), { campaignMinSize: CAMPAIGN_MIN });
  const exact = new Set<string[]>();
  for (const g of r.duplicates) {
    for (const id of g.ids) setOf.set(id, g.ids);
    if (g.kind === 'exact') exact.add(g.ids);
  }
  // an exact copy counts as a repetition whatever its size; a near one from the campaign size on
  return { setOf, campaign: (ids) => ids.length >= CAMPAIGN_MIN || (ids.length >= 2 && exact.has(ids)) };
}

/**
 * What a document has quoted so far, so that it never quotes the same text twice: the keys of the
 * quoted texts and the duplicate sets already represented.
 */
export class QuoteLedger {
  private readonly keys = new Set<string>();
  private readonly sets = new Set<string[]>();
  private readonly stems: Set<string>[] = [];

  constructor(readonly repeats: Repeats) {}

  /** false when this contribution's text (or one of its duplicates) is already quoted */
  available(c: Contribution, text: string): boolean {
    const set = this.repeats.setOf.get(c.id);
    if (set && this.sets.has(set)) return false;
    if (this.keys.has(quoteKey(text))) return false;
    const st = stemSet(text);
    return !this.stems.some((x) => nearlySame(st, x));
  }

  take(c: Contribution, text: string): void {
    this.keys.add(quoteKey(text));
    this.stems.push(stemSet(text));
    const set = this.repeats.setOf.get(c.id);
    if (set) this.sets.add(set);
  }

  /** the other contributions repeating this one, when they form a campaign (for « texte repris par N contributions ») */
  repeatedBy(c: Contribution): string[] | undefined {
    const set = this.repeats.setOf.get(c.id);
    return set && this.repeats.campaign(set) ? set : undefined;
  }
}
