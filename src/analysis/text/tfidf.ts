import { EMPTY_VECTOR, type SparseVector } from './sparse.ts';
import { analyze, type AnalyzerOptions } from './terms.ts';

/** Term ↔ integer id. Ids are dense, 0..size-1, in insertion order. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  constructor(terms: Iterable<string> = []) {
    for (const t of terms) this.add(t);
  }

  /** Id of the term, adding it when new. */
  add(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) { id = this.list.length; this.ids.set(term, id); this.list.push(term); }
    return id;
  }

  get(term: string): number | undefined {
    return this.ids.get(term);
  }

  term(id: number): string {
    const t = this.list[id];
    if (t === undefined) throw new RangeError(`Vocabulary: no term with id ${id}`);
    return t;
  }

  get size(): number {
    return this.list.length;
  }

  terms(): readonly string[] {
    return this.list;
  }

  toJSON(): string[] {
    return this.list.slice();
  }

  static fromJSON(terms: readonly string[]): Vocabulary {
    const v = new Vocabulary(terms);
    if (v.size !== terms.length) throw new Error('Vocabulary.fromJSON: duplicate terms');
    return v;
  }
}

export interface TfidfOptions {
  analyzer?: AnalyzerOptions;
  /** tf → 1 + ln(tf) (default true) */
  sublinearTf?: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1 when true (default, as scikit-learn); ln(n / df) + 1 otherwise */
  smoothIdf?: boolean;
  /** drop terms seen in fewer documents (absolute count, default 1) */
  minDf?: number;
  /** drop terms seen in more than this share of documents (0..1, default 1) */
  maxDf?: number;
  /** keep at most this many terms, the most frequent by document frequency (ties: alphabetical) */
  maxFeatures?: number;
  /** 'l2' (default) or 'none' */
  norm?: 'l2' | 'none';
}

export interface TfidfJSON {
  type: 'fabrique.tfidf';
  version: 1;
  options: Required<Omit<TfidfOptions, 'maxFeatures'>> & { maxFeatures: number | null };
  documentCount: number;
  terms: string[];
  idf: number[];
}

/**
 * TF-IDF vectoriser. `fit` streams over the documents once (documents are not kept); the vocabulary
 * is sorted alphabetically after pruning, so a fit is independent of document order.
 */
export class TfidfVectorizer {
  readonly options: TfidfJSON['options'];
  vocabulary = new Vocabulary();
  idf = new Float32Array(0);
  documentCount = 0;
  /** zeros, one per term: transformTerms counts in it and clears what it touched */
  private scratch = new Float32Array(0);

  constructor(opts: TfidfOptions = {}) {
    this.options = {
      analyzer: { bigrams: false, charNgrams: null, keepStopwords: false, ...(opts.analyzer ?? {}) },
      sublinearTf: opts.sublinearTf ?? true,
      smoothIdf: opts.smoothIdf ?? true,
      minDf: opts.minDf ?? 1,
      maxDf: opts.maxDf ?? 1,
      maxFeatures: opts.maxFeatures ?? null,
      norm: opts.norm ?? 'l2',
    };
  }

  /** Terms of one document, with this vectoriser's analyzer. */
  analyze(doc: string): string[] {
    return analyze(doc, this.options.analyzer).terms;
  }

  fit(docs: Iterable<string>): this {
    const self = this;
    return this.fitTerms((function* () { for (const d of docs) yield self.analyze(d); })());
  }

  /** Fits on already analysed documents (arrays of terms). */
  fitTerms(docs: Iterable<readonly string[]>): this {
    const tmp = new Vocabulary();
    let df = new Uint32Array(1024);
    let n = 0;
    let scratch = new Uint32Array(256);
    for (const terms of docs) {
      n++;
      if (scratch.length < terms.length) scratch = new Uint32Array(terms.length * 2);
      let k = 0;
      for (const t of terms) scratch[k++] = tmp.add(t);
      if (tmp.size > df.length) { const d2 = new Uint32Array(Math.max(tmp.size, df.length * 2)); d2.set(df); df = d2; }
      const ids = scratch.subarray(0, k).sort();
      for (let i = 0; i < k; i++) if (i === 0 || ids[i] !== ids[i - 1]) { const j = ids[i] as number; df[j] = (df[j] as number) + 1; }
    }
    const { minDf, maxDf, maxFeatures, smoothIdf } = this.options;
    const maxCount = maxDf * n;
    let kept: number[] = [];
    for (let id = 0; id < tmp.size; id++) {
      const d = df[id] as number;
      if (d >= minDf && d <= maxCount) kept.push(id);
    }
    if (maxFeatures !== null && kept.length > maxFeatures) {
      kept.sort((a, b) => (df[b] as number) - (df[a] as number) || (tmp.term(a) < tmp.term(b) ? -1 : 1));
      kept = kept.slice(0, maxFeatures);
    }
    const keptTerms = kept.map((id) => ({ term: tmp.term(id), df: df[id] as number }));
    keptTerms.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    this.vocabulary = new Vocabulary(keptTerms.map((t) => t.term));
    this.idf = new Float32Array(keptTerms.length);
    keptTerms.forEach((t, i) => {
      this.idf[i] = smoothIdf ? Math.log((1 + n) / (1 + t.df)) + 1 : Math.log(n / t.df) + 1;
    });
    this.documentCount = n;
    return this;
  }

  transform(doc: string): SparseVector {
    return this.transformTerms(this.analyze(doc));
  }

  /** TF-IDF vector of an analysed document; unknown terms are ignored. */
  transformTerms(terms: readonly string[]): SparseVector {
    if (terms.length === 0) return { indices: new Uint32Array(0), values: new Float32Array(0) };
    // counts in a dense scratch row (reset after use), so only the distinct ids are sorted, not every occurrence
    const size = this.vocabulary.size;
    if (this.scratch.length < size) this.scratch = new Float32Array(size);
    const counts = this.scratch;
    const touched = new Uint32Array(terms.length);
    let k = 0;
    for (const t of terms) {
      const id = this.vocabulary.get(t);
      if (id === undefined) continue;
      if (counts[id] === 0) touched[k++] = id;
      counts[id] = (counts[id] as number) + 1;
    }
    if (k === 0) return { indices: EMPTY_VECTOR.indices.slice(), values: EMPTY_VECTOR.values.slice() };
    const indices = touched.slice(0, k).sort();
    const values = new Float32Array(k);
    for (let i = 0; i < k; i++) { const id = indices[i] as number; values[i] = counts[id] as number; counts[id] = 0; }
    const v: SparseVector = { indices, values };
    const sub = this.options.sublinearTf;
    let sq = 0;
    for (let i = 0; i < v.values.length; i++) {
      const tf = v.values[i] as number;
      const w = (sub ? 1 + Math.log(tf) : tf) * (this.idf[v.indices[i] as number] as number);
      v.values[i] = w;
      sq += w * w;
    }
    if (this.options.norm === 'l2' && sq > 0) {
      const nrm = Math.sqrt(sq);
      for (let i = 0; i < v.values.length; i++) v.values[i] = (v.values[i] as number) / nrm;
    }
    return v;
  }

  transformMany(docs: Iterable<string>): SparseVector[] {
    const out: SparseVector[] = [];
    for (const d of docs) out.push(this.transform(d));
    return out;
  }

  /** Fit then transform, analysing each document once (keeps the analysed documents in memory). */
  fitTransform(docs: readonly string[]): SparseVector[] {
    const analysed = docs.map((d) => this.analyze(d));
    this.fitTerms(analysed);
    return analysed.map((t) => this.transformTerms(t));
  }

  toJSON(): TfidfJSON {
    return {
      type: 'fabrique.tfidf',
      version: 1,
      options: this.options,
      documentCount: this.documentCount,
      terms: this.vocabulary.toJSON(),
      idf: Array.from(this.idf),
    };
  }

  static fromJSON(j: TfidfJSON): TfidfVectorizer {
    if (j.type !== 'fabrique.tfidf' || j.version !== 1) throw new Error('TfidfVectorizer.fromJSON: not a fabrique.tfidf v1 object');
    if (j.terms.length !== j.idf.length) throw new Error('TfidfVectorizer.fromJSON: terms and idf differ in length');
    const v = new TfidfVectorizer({ ...j.options, maxFeatures: j.options.maxFeatures ?? undefined });
    v.vocabulary = Vocabulary.fromJSON(j.terms);
    v.idf = Float32Array.from(j.idf);
    v.documentCount = j.documentCount;
    return v;
  }
}
