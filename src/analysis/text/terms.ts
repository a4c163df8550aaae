import { foldAccents, normalizeText, stemKey } from '../../text/french.ts';
import { FRENCH_STOPWORDS } from './stopwords.ts';
import { isAcronym, tokenSpans } from './tokenize.ts';

export interface AnalyzerOptions {
  /** add word bigrams of adjacent content terms, joined by a space: "medecin trait" */
  bigrams?: boolean;
  /** add character n-grams of each stem (padded with spaces at both ends), prefixed with "~": "~ med" */
  charNgrams?: { min: number; max: number } | null;
  /** keep stopwords (default false) */
  keepStopwords?: boolean;
}

/** Term prefix used for character n-grams, so they never collide with word terms. */
export const CHAR_NGRAM_PREFIX = '~';

export interface Analysis {
  /** terms in text order (unigrams, then bigrams, then char n-grams) */
  terms: string[];
  /** for each term, the surface words it comes from, as written in the normalised text */
  surfaces: string[];
}

const DIGITS = /^\d/;

// Per-word memos: a consultation repeats the same few thousand words, and each text is analysed several times
// (themes, the theme prior, kinds, grouping). The memo keeps the work per distinct word, and hands back the same
// string objects each time, whose hashes V8 keeps, so the vectoriser's Map lookups do not rehash them.
const MAX_MEMO = 200_000;
interface WordTerm { term: string; stopword: boolean }
const DROPPED: WordTerm = { term: '', stopword: true };
let wordMemo = new Map<string, WordTerm>();
let gramMemo = new Map<string, readonly string[]>();

/** The unigram term of a word as written (case matters for acronyms), whether it is a stopword, or DROPPED. */
function wordTerm(part: string): WordTerm {
  const hit = wordMemo.get(part);
  if (hit !== undefined) return hit;
  const lower = part.toLowerCase();
  const folded = foldAccents(lower);
  let w: WordTerm;
  if (folded.length < 2 && !/\d/.test(folded)) w = DROPPED;
  else w = { term: isAcronym(part) && part.length <= 5 ? folded : stemKey(lower), stopword: FRENCH_STOPWORDS.has(folded) };
  if (wordMemo.size >= MAX_MEMO) wordMemo = new Map();
  wordMemo.set(part, w);
  return w;
}

let bigramMemo = new Map<string, Map<string, string>>();
let bigramCount = 0;

/** "a b", the same string object for the same pair (no new string to hash at each lookup). */
function bigram(a: string, b: string): string {
  if (bigramCount >= MAX_MEMO * 2) { bigramMemo = new Map(); bigramCount = 0; }
  let inner = bigramMemo.get(a);
  if (inner === undefined) { inner = new Map(); bigramMemo.set(a, inner); }
  let s = inner.get(b);
  if (s === undefined) { s = `${a} ${b}`; inner.set(b, s); bigramCount++; }
  return s;
}

/** `charNgrams` of a term with the CHAR_NGRAM_PREFIX, memoised per (term, min, max). */
function prefixedCharNgrams(term: string, min: number, max: number): readonly string[] {
  const key = min === 3 && max === 5 ? term : `${min},${max}\u0000${term}`;
  const hit = gramMemo.get(key);
  if (hit !== undefined) return hit;
  const grams = charNgrams(term, min, max).map((g) => CHAR_NGRAM_PREFIX + g);
  if (gramMemo.size >= MAX_MEMO) gramMemo = new Map();
  gramMemo.set(key, grams);
  return grams;
}

/**
 * Content terms of a text, with the surface words they come from. A unigram term is the accent-folded
 * Snowball stem of a non-stopword token (acronyms such as "SAS", "PDSA" are lowercased but not stemmed;
 * numbers are kept as written; hyphenated words are split into their parts; one-letter tokens are dropped).
 */
export function analyze(s: string, opts: AnalyzerOptions = {}): Analysis {
  const text = normalizeText(s);
  const uni: string[] = [];
  const uniSurf: string[] = [];
  for (const t of tokenSpans(text, true)) {
    if (DIGITS.test(t.token)) {
      uni.push(t.token);
      uniSurf.push(t.surface);
      continue;
    }
    const parts = t.token.includes('-') ? t.surface.split('-') : [t.surface];
    for (const part of parts) {
      if (part.length === 0) continue;
      const w = wordTerm(part);
      if (w === DROPPED || (w.stopword && !opts.keepStopwords)) continue;
      uni.push(w.term);
      uniSurf.push(part);
    }
  }
  const terms = uni.slice();
  const surfaces = uniSurf.slice();
  if (opts.bigrams) {
    for (let i = 0; i + 1 < uni.length; i++) {
      terms.push(bigram(uni[i] as string, uni[i + 1] as string));
      surfaces.push(`${uniSurf[i]} ${uniSurf[i + 1]}`);
    }
  }
  const cg = opts.charNgrams;
  if (cg) {
    for (let i = 0; i < uni.length; i++) {
      const u = uni[i] as string;
      const surf = uniSurf[i] as string;
      for (const g of prefixedCharNgrams(u, cg.min, cg.max)) {
        terms.push(g);
        surfaces.push(surf);
      }
    }
  }
  return { terms, surfaces };
}

/** Content terms of a text (see `analyze`). Default: stemmed unigrams without stopwords. */
export function terms(s: string, opts: AnalyzerOptions = {}): string[] {
  return analyze(s, opts).terms;
}

/**
 * Character n-grams of a word padded with one space on each side (`" word "`), for n in [min, max].
 * Words shorter than `min` once padded yield the padded word itself.
 */
export function charNgrams(word: string, min = 3, max = 5): string[] {
  const w = ` ${word} `;
  const chars = Array.from(w); // code points: never splits an emoji
  const out: string[] = [];
  if (chars.length <= min) {
    out.push(w);
    return out;
  }
  for (let n = min; n <= max; n++) {
    if (n > chars.length) break;
    for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
  }
  return out;
}
