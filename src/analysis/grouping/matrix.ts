import { analyze, TfidfVectorizer, type AnalyzerOptions, type SparseVector } from '../text/index.ts';

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

export function groupingVectorizer(n: number): TfidfVectorizer {
  return new TfidfVectorizer({ analyzer: GROUPING_ANALYZER, sublinearTf: true, minDf: n >= 200 ? 2 : 1, maxDf: n >= 200 ? 0.5 : 1 });
}

const clip = (s: string): string => (s.length > MAX_ANALYSED_CHARS ? s.slice(0, MAX_ANALYSED_CHARS) : s);

/**
 * Fits a TF-IDF vectoriser (stems + stem bigrams) on the texts and returns their L2-normalised vectors as CSR.
 * Two streaming passes (fit, then transform) so that analysed documents are never all held in memory.
 */
export function vectorizeTexts(texts: readonly string[], vectorizer?: TfidfVectorizer): { matrix: CsrMatrix; vectorizer: TfidfVectorizer } {
  const v = vectorizer ?? groupingVectorizer(texts.length).fitTerms((function* () { for (const t of texts) yield analyze(clip(t), GROUPING_ANALYZER).terms; })());
  const b = new CsrBuilder(v.vocabulary.size);
  for (const t of texts) b.push(v.transformTerms(v.analyze(clip(t))));
  return { matrix: b.build(), vectorizer: v };
}

/** Vector of one text with an already fitted vectoriser. */
export function vectorizeOne(v: TfidfVectorizer, text: string): SparseVector {
  return v.transformTerms(v.analyze(clip(text)));
}
