import { HEALTH_ACRONYMS, canonicalAcronym } from '../../domain/health-lexicon.ts';
import { analyze, isAcronym, TfidfVectorizer, type AnalyzerOptions, type SparseVector } from '../text/index.ts';

/** Rows of sparse vectors in one block of typed arrays (CSR): no per-row objects, so 1M rows stay compact. */
export interface CsrMatrix {
  rows: number;
  dim: number;
  /** row i is indices/values[offsets[i] .. offsets[i+1]) */
  offsets: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
}

export function rowNnz(m: CsrMatrix, i: number): number {
  return (m.offsets[i + 1] as number) - (m.offsets[i] as number);
}

export function rowVector(m: CsrMatrix, i: number): SparseVector {
  const a = m.offsets[i] as number, b = m.offsets[i + 1] as number;
  return { indices: m.indices.subarray(a, b), values: m.values.subarray(a, b) };
}

/** Grows typed arrays while rows are appended. */
export class CsrBuilder {
  private off: number[] = [0];
  private idx = new Uint32Array(1024);
  private val = new Float32Array(1024);
  private nnz = 0;
  constructor(readonly dim: number) {}
  push(v: SparseVector): void {
    const need = this.nnz + v.indices.length;
    if (need > this.idx.length) {
      const cap = Math.max(need, this.idx.length * 2);
      const i2 = new Uint32Array(cap); i2.set(this.idx.subarray(0, this.nnz)); this.idx = i2;
      const v2 = new Float32Array(cap); v2.set(this.val.subarray(0, this.nnz)); this.val = v2;
    }
    this.idx.set(v.indices, this.nnz);
    this.val.set(v.values, this.nnz);
    this.nnz = need;
    this.off.push(need);
  }
  build(): CsrMatrix {
    return { rows: this.off.length - 1, dim: this.dim, offsets: Uint32Array.from(this.off), indices: this.idx.slice(0, this.nnz), values: this.val.slice(0, this.nnz) };
  }
}

/** Analyzer used for grouping: accent-folded stems without stopwords, plus bigrams of adjacent stems. */
export const GROUPING_ANALYZER: AnalyzerOptions = { bigrams: true };

/** Longest text analysed for grouping (characters); a longer contribution is vectorised from its beginning. */
export const MAX_ANALYSED_CHARS = 20_000;

// Stem sequences of the health lexicon's expansions (src/domain/health-lexicon.ts), longest first at each
// start stem, so "centre hospitalier universitaire" is read as CHU before "centre hospitalier" as CH.
interface LexiconRun { stems: readonly string[]; token: string }
let lexiconRuns: Map<string, LexiconRun[]> | undefined;
function runsByFirstStem(): Map<string, LexiconRun[]> {
  if (lexiconRuns) return lexiconRuns;
  const m = new Map<string, LexiconRun[]>();
  for (const a of HEALTH_ACRONYMS) {
    if (a.ambiguous) continue;
    const stems = analyze(a.expansion).terms;
    if (stems.length < 2) continue;
    const run = { stems, token: (a.same ?? a.acronym).toLowerCase() };
    const first = stems[0] as string;
    m.set(first, [...(m.get(first) ?? []), run].sort((x, y) => y.stems.length - x.stems.length || (x.token < y.token ? -1 : 1)));
  }
  lexiconRuns = m;
  return m;
}

/**
 * Length of the lexicon expansion starting at stems[i] (the longest one), with its acronym token; undefined
 * when none starts there.
 */
export function lexiconRunAt(stems: readonly string[], i: number): { length: number; token: string } | undefined {
  for (const r of runsByFirstStem().get(stems[i] as string) ?? []) {
    if (i + r.stems.length > stems.length) continue;
    let ok = true;
    for (let j = 1; j < r.stems.length && ok; j++) ok = stems[i + j] === r.stems[j];
    if (ok) return { length: r.stems.length, token: r.token };
  }
  return undefined;
}

/**
 * Unigram stems of a text with the health lexicon applied: an acronym written in capitals becomes its canonical
 * token ("SSR" → "smr") and a spelled-out expansion becomes the acronym's token ("infirmières en pratique
 * avancée" → "ipa"), so both count as one feature. `spans[i]` = [first, last] index of the original unigram(s).
 */
export function lexiconStems(text: string): { stems: string[]; surfaces: string[]; spans: [number, number][] } {
  const a = analyze(text);
  const stems: string[] = [], surfaces: string[] = [], spans: [number, number][] = [];
  for (let i = 0; i < a.terms.length;) {
    const t = a.terms[i] as string, surf = a.surfaces[i] as string;
    const acr = isAcronym(surf) ? canonicalAcronym(surf) : undefined;
    if (acr) { stems.push(acr.toLowerCase()); surfaces.push(surf); spans.push([i, i]); i++; continue; }
    const hit = lexiconRunAt(a.terms, i);
    if (hit) {
      const n = hit.length;
      stems.push(hit.token); surfaces.push(a.surfaces.slice(i, i + n).join(' ')); spans.push([i, i + n - 1]); i += n;
    } else { stems.push(t); surfaces.push(surf); spans.push([i, i]); i++; }
  }
  return { stems, surfaces, spans };
}

/** Terms used for grouping (GROUPING_ANALYZER's unigrams and bigrams, over the lexicon-aware stems). */
export function groupingTerms(text: string): string[] {
  const { stems } = lexiconStems(clip(text));
  const out = stems.slice();
  for (let i = 0; i + 1 < stems.length; i++) out.push(`${stems[i]} ${stems[i + 1]}`);
  return out;
}

export function groupingVectorizer(n: number): TfidfVectorizer {
  return new TfidfVectorizer({ analyzer: GROUPING_ANALYZER, sublinearTf: true, minDf: n >= 200 ? 2 : 1, maxDf: n >= 200 ? 0.5 : 1 });
}

function clip(s: string): string { return s.length > MAX_ANALYSED_CHARS ? s.slice(0, MAX_ANALYSED_CHARS) : s; }

/**
 * Fits a TF-IDF vectoriser (stems + stem bigrams, health acronyms and their expansions merged) on the texts and
 * returns their L2-normalised vectors as CSR. Two streaming passes (fit, then transform) so that analysed
 * documents are never all held in memory.
 */
export function vectorizeTexts(texts: readonly string[], vectorizer?: TfidfVectorizer): { matrix: CsrMatrix; vectorizer: TfidfVectorizer } {
  const v = vectorizer ?? groupingVectorizer(texts.length).fitTerms((function* () { for (const t of texts) yield groupingTerms(t); })());
  const b = new CsrBuilder(v.vocabulary.size);
  for (const t of texts) b.push(v.transformTerms(groupingTerms(t)));
  return { matrix: b.build(), vectorizer: v };
}

/** Vector of one text with an already fitted vectoriser. */
export function vectorizeOne(v: TfidfVectorizer, text: string): SparseVector {
  return v.transformTerms(groupingTerms(text));
}
