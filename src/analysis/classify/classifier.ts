import { createHash } from 'node:crypto';
import { analyze, TfidfVectorizer, type AnalyzerOptions, type SparseVector, type TfidfJSON } from '../text/index.ts';
import type { Theme } from '../../domain/theme.ts';
import { kindCues } from './cues.ts';
import type { ExplanationTerm, LabelProbability, Prediction } from './prediction.ts';
import { ZeroShotClassifier, type ZeroShotJSON } from './zeroshot.ts';
import { applyPlatt, fitPlatt, mulberry32, scores, shuffledIndices, trainOneVsRest, trainOneVsRestSvm, type LinearModel, type LinearTrainOptions, type Platt, type SvmTrainOptions } from './linear.ts';
import { CHAR_NGRAM_PREFIX } from '../text/index.ts';

export const CLASSIFIER_VERSION = '1.1.0';

export interface LabelledText {
  id?: string;
  text: string;
  /** one or more labels (multi-label) */
  labels: readonly string[];
}

export type Calibration = 'shared-platt' | 'per-label-platt' | 'none';

export interface ClassifierOptions extends LinearTrainOptions, Omit<SvmTrainOptions, 'classBalanced' | 'seed'> {
  /**
   * 'svm' (default): one-vs-rest squared-hinge linear SVM solved to convergence by dual coordinate descent;
   * 'logistic': the earlier one-vs-rest logistic regression by AdaGrad SGD (fixed epochs).
   */
  model?: 'svm' | 'logistic';
  /** default: stemmed unigrams + word bigrams + character 3–5-grams of stems */
  analyzer?: AnalyzerOptions;
  /** terms seen in fewer training texts are dropped (default 2) */
  minDf?: number;
  /** extra cue features: 'kind' adds the French cues of `kindCues` (default none) */
  cues?: 'kind' | null;
  /**
   * Probability calibration fitted on out-of-fold scores (k-fold cross-fitting on the training set):
   * 'shared-platt' (default) fits one sigmoid on the pooled scores of all labels — monotone, so it never
   * changes the ranking of labels; 'per-label-platt' fits one per label (better calibrated per label, may
   * reorder labels); 'none' returns the raw one-vs-rest sigmoids.
   */
  calibration?: Calibration;
  /** folds for calibration (default 3) */
  calibrationFolds?: number;
  /**
   * Themes whose label/description/keywords add a zero-shot prior to the scores of the labels equal to their
   * code: score_k += themeWeight × similarity(text, theme k) (late fusion, before calibration).
   */
  themes?: readonly Theme[];
  /**
   * weight of the theme prior; default: chosen by inner validation on the out-of-fold scores of the training
   * set among THEME_WEIGHTS (0 when the descriptions do not help), fixed at 4 when there are too few examples
   */
  themeWeight?: number;
  /** sha256 to record as the training data's identity (default: sha256 of the canonical examples) */
  trainingSha256?: string;
}

export type { ExplanationTerm, LabelProbability, Prediction } from './prediction.ts';

export interface ClassifierMetadata {
  type: 'fabrique.classifier';
  version: string;
  createdAt: string;
  trainingSha256: string;
  trainingSize: number;
  labelCounts: Record<string, number>;
  params: Record<string, unknown>;
}

export interface ClassifierJSON {
  metadata: ClassifierMetadata;
  labels: string[];
  cues: 'kind' | null;
  analyzer: AnalyzerOptions;
  vectorizer: TfidfJSON;
  /** character n-grams as a second block, L2-normalised apart from the words (absent in 1.0 models) */
  charVectorizer?: TfidfJSON | null;
  bias: number[];
  /** one row per label, float32 values written with 9 significant digits (exact round trip) */
  weights: number[][];
  calibration: { kind: Calibration; platt: Platt[] };
  prior: { weight: number; zeroShot: ZeroShotJSON } | null;
}

interface Prior { weight: number; zeroShot: ZeroShotClassifier; themeIndex: number[] }

function makePrior(labels: readonly string[], zeroShot: ZeroShotClassifier, weight: number): Prior {
  return { weight, zeroShot, themeIndex: labels.map((l) => zeroShot.themes.findIndex((t) => t.code === l)) };
}

/** The zero-shot analysis (stems and bigrams, no stopwords) is a subset of these terms: no second analysis. */
function sharesZeroShotTerms(a: AnalyzerOptions): boolean {
  return a.bigrams === true && !a.keepStopwords;
}

function fusedScores(model: LinearModel, x: SparseVector, prior: Prior | null, text: string, terms?: readonly string[]): Float64Array {
  const s = scores(model, x);
  if (prior) {
    const z = terms ? prior.zeroShot.rawScoresOfTerms(terms) : prior.zeroShot.rawScores(text);
    prior.themeIndex.forEach((ti, k) => { if (ti >= 0) s[k] = (s[k] as number) + prior.weight * (z[ti] as number); });
  }
  return s;
}

const DEFAULT_ANALYZER: AnalyzerOptions = { bigrams: true, charNgrams: { min: 3, max: 5 } };

/** Canonical sha256 of labelled examples (order-sensitive). */
export function examplesSha256(examples: readonly LabelledText[]): string {
  const h = createHash('sha256');
  for (const e of examples) h.update(`${JSON.stringify([e.id ?? null, e.text, [...e.labels].sort()])}\n`);
  return h.digest('hex');
}

function featureTerms(text: string, analyzer: AnalyzerOptions, cues: 'kind' | null): { terms: string[]; surfaces: string[] } {
  const a = analyze(text, analyzer);
  if (cues === 'kind') {
    for (const c of kindCues(text)) { a.terms.push(c); a.surfaces.push(''); }
  }
  return a;
}

/**
 * Word terms (and cues) and character n-grams are two TF-IDF blocks, each L2-normalised, side by side (as a
 * scikit-learn FeatureUnion): in one block the many n-grams of each word would drown the word features.
 */
class Features {
  constructor(readonly word: TfidfVectorizer, readonly char: TfidfVectorizer | null) {}

  /** Fits both blocks and transforms the same documents (each split once). */
  static fitTransform(docs: readonly string[][], minDf: number): { features: Features; X: SparseVector[] } {
    const opts = { minDf, sublinearTf: true, smoothIdf: true, norm: 'l2' } as const;
    const split = docs.map(splitTerms);
    const hasChar = split.some((d) => d.char.length > 0);
    const features = new Features(new TfidfVectorizer(opts).fitTerms(split.map((d) => d.word)), hasChar ? new TfidfVectorizer(opts).fitTerms(split.map((d) => d.char)) : null);
    const X = split.map((d) => (features.char ? features.concat(d.word, d.char) : features.word.transformTerms([...d.word, ...d.char])));
    return { features, X };
  }

  get size(): number { return this.word.vocabulary.size + (this.char?.vocabulary.size ?? 0); }

  term(f: number): string {
    const n = this.word.vocabulary.size;
    return f < n ? this.word.vocabulary.term(f) : (this.char as TfidfVectorizer).vocabulary.term(f - n);
  }

  transform(terms: readonly string[]): SparseVector {
    if (!this.char) return this.word.transformTerms(terms);
    const { word, char } = splitTerms(terms);
    return this.concat(word, char);
  }

  concat(word: readonly string[], char: readonly string[]): SparseVector {
    const a = this.word.transformTerms(word), b = (this.char as TfidfVectorizer).transformTerms(char);
    const off = this.word.vocabulary.size;
    const indices = new Uint32Array(a.indices.length + b.indices.length);
    const values = new Float32Array(indices.length);
    indices.set(a.indices); values.set(a.values);
    for (let j = 0; j < b.indices.length; j++) { indices[a.indices.length + j] = (b.indices[j] as number) + off; values[a.indices.length + j] = b.values[j] as number; }
    return { indices, values };
  }
}

const CHAR_PREFIX_CODE = CHAR_NGRAM_PREFIX.charCodeAt(0);

function splitTerms(terms: readonly string[]): { word: string[]; char: string[] } {
  const word: string[] = [], char: string[] = [];
  for (const t of terms) (t.charCodeAt(0) === CHAR_PREFIX_CODE ? char : word).push(t);
  return { word, char };
}

function trainModel(X: readonly SparseVector[], y: readonly number[][], labelCount: number, dimension: number, opts: ClassifierOptions): LinearModel {
  const m = (opts.model ?? 'svm') === 'svm'
    ? trainOneVsRestSvm(X, y, labelCount, dimension, {
      ...(opts.C !== undefined ? { C: opts.C } : {}), ...(opts.tol !== undefined ? { tol: opts.tol } : {}), ...(opts.maxEpochs !== undefined ? { maxEpochs: opts.maxEpochs } : {}),
      classBalanced: opts.classBalanced ?? true, seed: opts.seed ?? 42 })
    : trainOneVsRest(X, y, labelCount, dimension, opts);
  return { dimension: m.dimension, weights: m.weights, bias: m.bias };
}

/**
 * Out-of-fold scores are computed on at most this many training examples (a seeded sample): enough to choose
 * the prior weight and fit a two-parameter sigmoid, and it keeps a 100k training set at about one extra fit.
 */
export const OOF_MAX = 6000;
const OOF_TOL = 0.1;

/** Theme-prior weights tried by inner validation (late fusion score_k += w × similarity). */
export const THEME_WEIGHTS: readonly number[] = [0, 0.25, 0.5, 1, 2, 4];

function argmaxMacroF1(scoresByLabel: readonly Float64Array[], y: readonly number[][]): number {
  const K = scoresByLabel.length, n = y.length;
  const tp = new Float64Array(K), fp = new Float64Array(K), fn = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if ((scoresByLabel[k] as Float64Array)[i]! > (scoresByLabel[best] as Float64Array)[i]!) best = k;
    const gold = y[i] as number[];
    if (gold.includes(best)) tp[best]!++; else { fp[best]!++; for (const g of gold) fn[g]!++; }
  }
  let sum = 0, m = 0;
  for (let k = 0; k < K; k++) { if (tp[k]! + fn[k]! === 0) continue; sum += (2 * tp[k]!) / (2 * tp[k]! + fp[k]! + fn[k]!); m++; }
  return m ? sum / m : 0;
}

/** Multi-label linear text classifier: TF-IDF features, one-vs-rest logistic regression, calibrated. */
export class TextClassifier {
  private constructor(
    readonly labels: readonly string[],
    private readonly features: Features,
    private readonly model: LinearModel,
    readonly analyzer: AnalyzerOptions,
    readonly cues: 'kind' | null,
    readonly calibration: { kind: Calibration; platt: Platt[] },
    readonly metadata: ClassifierMetadata,
    private readonly prior: Prior | null,
  ) {}

  static train(examples: readonly LabelledText[], opts: ClassifierOptions = {}): TextClassifier {
    if (examples.length === 0) throw new Error('TextClassifier.train: no training examples');
    const analyzer = opts.analyzer ?? DEFAULT_ANALYZER;
    const cues = opts.cues ?? null;
    const labels = [...new Set(examples.flatMap((e) => e.labels))].sort();
    if (labels.length === 0) throw new Error('TextClassifier.train: the examples carry no label');
    const index = new Map(labels.map((l, i) => [l, i]));
    const docs = examples.map((e) => featureTerms(e.text, analyzer, cues).terms);
    const y = examples.map((e) => [...new Set(e.labels)].map((l) => index.get(l) as number));
    const { features, X } = Features.fitTransform(docs, opts.minDf ?? 2);
    const model = trainModel(X, y, labels.length, features.size, opts);
    const zeroShot = opts.themes && opts.themes.length > 0 && opts.themeWeight !== 0
      ? (sharesZeroShotTerms(analyzer) ? new ZeroShotClassifier(opts.themes).fitAnalysed(docs) : new ZeroShotClassifier(opts.themes).fit(examples.map((e) => e.text))) : null;
    let prior = zeroShot ? makePrior(labels, zeroShot, opts.themeWeight ?? 4) : null;
    if (prior && prior.themeIndex.every((ti) => ti < 0)) prior = null;

    const kind = opts.calibration ?? 'shared-platt';
    const folds = opts.calibrationFolds ?? 3;
    const chooseWeight = prior !== null && opts.themeWeight === undefined;
    let platt: Platt[] = labels.map(() => ({ a: 1, b: 0 }));
    let chosenBy = prior ? (chooseWeight ? 'fixed (too few examples to choose)' : 'given') : 'none';
    if ((kind !== 'none' || chooseWeight) && folds >= 2 && examples.length >= 2 * folds) {
      // out-of-fold scores on (a sample of) the training set: k-fold cross-fitting, models never score their own
      // examples (the features are the final ones: their vocabulary and IDF are unsupervised)
      const order = shuffledIndices(examples.length, mulberry32((opts.seed ?? 42) ^ 0x9e3779b9));
      const sub = Array.from(order.subarray(0, Math.min(examples.length, OOF_MAX))).sort((p, q) => p - q);
      const ySub = sub.map((i) => y[i] as number[]);
      const oof: Float64Array[] = labels.map(() => new Float64Array(sub.length));
      for (let f = 0; f < folds; f++) {
        const tr: number[] = [], te: number[] = [];
        for (let j = 0; j < sub.length; j++) (j % folds === f ? te : tr).push(j);
        // LIBLINEAR's own default tolerance (0.1) is enough for scores that only choose a weight and fit a sigmoid
        const m = trainModel(tr.map((j) => X[sub[j] as number] as SparseVector), tr.map((j) => ySub[j] as number[]), labels.length, features.size, { ...opts, tol: Math.max(opts.tol ?? 1e-3, OOF_TOL) });
        for (const j of te) {
          const sc = scores(m, X[sub[j] as number] as SparseVector);
          for (let k = 0; k < labels.length; k++) (oof[k] as Float64Array)[j] = sc[k] as number;
        }
      }
      const priorRaw: Float64Array[] | null = prior ? labels.map(() => new Float64Array(sub.length)) : null;
      if (prior && priorRaw) {
        sub.forEach((i, j) => {
          const z = sharesZeroShotTerms(analyzer) ? prior!.zeroShot.rawScoresOfTerms(docs[i] as string[]) : prior!.zeroShot.rawScores((examples[i] as LabelledText).text);
          prior!.themeIndex.forEach((ti, k) => { if (ti >= 0) (priorRaw[k] as Float64Array)[j] = z[ti] as number; });
        });
      }
      const fuse = (w: number): Float64Array[] => (priorRaw ? oof.map((o, k) => o.map((v, i) => v + w * (priorRaw[k] as Float64Array)[i]!)) : oof);
      if (prior && chooseWeight) {
        // inner validation: the prior weight with the best out-of-fold macro-F1 (ties: the smaller weight)
        let best = 0, bestF1 = -1;
        for (const w of THEME_WEIGHTS) { const f1 = argmaxMacroF1(fuse(w), ySub); if (f1 > bestF1 + 1e-9) { bestF1 = f1; best = w; } }
        prior = best > 0 ? { ...prior, weight: best } : null;
        chosenBy = `inner validation (out-of-fold macro-F1 ${bestF1.toFixed(3)})`;
      }
      const fused = fuse(prior ? prior.weight : 0);
      const target = (k: number) => Float64Array.from(ySub, (ls) => (ls.includes(k) ? 1 : 0));
      if (kind === 'per-label-platt') {
        platt = labels.map((_, k) => fitPlatt(fused[k] as Float64Array, target(k)));
      } else if (kind === 'shared-platt') {
        const s: number[] = [], t: number[] = [];
        labels.forEach((_, k) => { const tk = target(k); (fused[k] as Float64Array).forEach((v, i) => { s.push(v); t.push(tk[i] as number); }); });
        const shared = fitPlatt(s, t);
        // keep it monotone increasing so that it never reorders labels
        platt = labels.map(() => (shared.a > 0 ? shared : { a: 1, b: 0 }));
      }
    }

    const labelCounts: Record<string, number> = {};
    for (const e of examples) for (const l of new Set(e.labels)) labelCounts[l] = (labelCounts[l] ?? 0) + 1;
    const { trainingSha256: _sha, themes: _themes, ...rest } = opts;
    const metadata: ClassifierMetadata = {
      type: 'fabrique.classifier',
      version: CLASSIFIER_VERSION,
      createdAt: new Date().toISOString(),
      trainingSha256: opts.trainingSha256 ?? examplesSha256(examples),
      trainingSize: examples.length,
      labelCounts,
      params: {
        ...((opts.model ?? 'svm') === 'svm' ? { C: 1, tol: 1e-3, maxEpochs: 300 } : { epochs: 5, learningRate: 0.05, l2: 1e-4 }),
        classBalanced: true, seed: 42, minDf: 2, calibrationFolds: folds,
        ...rest, themeWeight: prior ? prior.weight : 0, themeWeightChosenBy: chosenBy, themes: prior ? prior.zeroShot.themes.map((t) => t.code) : [],
        analyzer, cues, calibration: kind,
        model: (opts.model ?? 'svm') === 'svm' ? 'one-vs-rest squared-hinge linear SVM (dual coordinate descent, L2, class-balanced)' : 'one-vs-rest logistic regression (AdaGrad SGD, L2)',
        features: 'TF-IDF (sublinear tf) words + cues | character n-grams, each block L2-normalised',
      },
    };
    return new TextClassifier(labels, features, model, analyzer, cues, { kind, platt }, metadata, prior);
  }

  /** Raw one-vs-rest scores (logits), in `labels` order. */
  rawScores(text: string): Float64Array {
    const terms = featureTerms(text, this.analyzer, this.cues).terms;
    return fusedScores(this.model, this.features.transform(terms), this.prior, text, sharesZeroShotTerms(this.analyzer) ? terms : undefined);
  }

  predict(text: string, opts: { explain?: number } = {}): Prediction {
    const feats = featureTerms(text, this.analyzer, this.cues);
    const x = this.features.transform(feats.terms);
    const s = fusedScores(this.model, x, this.prior, text, sharesZeroShotTerms(this.analyzer) ? feats.terms : undefined);
    const labels = this.labels.map((label, k) => ({ label, p: applyPlatt(this.calibration.platt[k] as Platt, s[k] as number) }));
    labels.sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
    const top = labels[0]?.label;
    const explanation = top === undefined ? [] : this.explain(x, feats, this.labels.indexOf(top), opts.explain ?? 5);
    return { labels, explanation };
  }

  private explain(x: SparseVector, feats: { terms: string[]; surfaces: string[] }, k: number, max: number): ExplanationTerm[] {
    if (max <= 0) return [];
    const w = this.model.weights[k] as Float32Array;
    const surfaceOf = new Map<string, string>();
    feats.terms.forEach((t, i) => { if (!surfaceOf.has(t)) surfaceOf.set(t, feats.surfaces[i] ?? ''); });
    const byWord = new Map<string, number>();
    for (let j = 0; j < x.indices.length; j++) {
      const f = x.indices[j] as number;
      const term = this.features.term(f);
      const word = surfaceOf.get(term);
      if (!word) continue; // cue features have no surface word
      byWord.set(word, (byWord.get(word) ?? 0) + (w[f] as number) * (x.values[j] as number));
    }
    const label = this.labels[k] as string;
    return [...byWord]
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, max)
      .map(([word, weight]) => ({ label, word, weight: Number(weight.toPrecision(4)) }));
  }

  toJSON(): ClassifierJSON {
    return {
      metadata: this.metadata,
      labels: [...this.labels],
      cues: this.cues,
      analyzer: this.analyzer,
      vectorizer: this.features.word.toJSON(),
      charVectorizer: this.features.char ? this.features.char.toJSON() : null,
      bias: Array.from(this.model.bias),
      weights: this.model.weights.map((row) => Array.from(row, (v) => Number(v.toPrecision(9)))),
      calibration: this.calibration,
      prior: this.prior ? { weight: this.prior.weight, zeroShot: this.prior.zeroShot.toJSON() } : null,
    };
  }

  static fromJSON(j: ClassifierJSON): TextClassifier {
    if (j?.metadata?.type !== 'fabrique.classifier') throw new Error('TextClassifier.fromJSON: not a fabrique.classifier model');
    if (j.metadata.version.split('.')[0] !== CLASSIFIER_VERSION.split('.')[0]) {
      throw new Error(`TextClassifier.fromJSON: model version ${j.metadata.version} is not compatible with ${CLASSIFIER_VERSION}`);
    }
    const features = new Features(TfidfVectorizer.fromJSON(j.vectorizer), j.charVectorizer ? TfidfVectorizer.fromJSON(j.charVectorizer) : null);
    if (j.weights.length !== j.labels.length || j.bias.length !== j.labels.length) throw new Error('TextClassifier.fromJSON: labels, weights and bias differ in length');
    const model: LinearModel = {
      dimension: features.size,
      weights: j.weights.map((row) => Float32Array.from(row)),
      bias: Float64Array.from(j.bias),
    };
    const prior = j.prior ? makePrior(j.labels, ZeroShotClassifier.fromJSON(j.prior.zeroShot), j.prior.weight) : null;
    return new TextClassifier(j.labels, features, model, j.analyzer, j.cues, j.calibration, j.metadata, prior);
  }
}
