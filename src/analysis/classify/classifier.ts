import { createHash } from 'node:crypto';
import { analyze, TfidfVectorizer, type AnalyzerOptions, type SparseVector, type TfidfJSON } from '../text/index.ts';
import type { Theme } from '../../domain/theme.ts';
import { kindCues } from './cues.ts';
import type { ExplanationTerm, LabelProbability, Prediction } from './prediction.ts';
import { ZeroShotClassifier, type ZeroShotJSON } from './zeroshot.ts';
import { applyPlatt, fitPlatt, mulberry32, scores, shuffledIndices, trainOneVsRest, type LinearModel, type LinearTrainOptions, type Platt } from './linear.ts';

export const CLASSIFIER_VERSION = '1.0.0';

export interface LabelledText {
  id?: string;
  text: string;
  /** one or more labels (multi-label) */
  labels: readonly string[];
}

export type Calibration = 'shared-platt' | 'per-label-platt' | 'none';

export interface ClassifierOptions extends LinearTrainOptions {
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
  /** weight of the theme prior (default 4) */
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

function fusedScores(model: LinearModel, x: SparseVector, prior: Prior | null, text: string): Float64Array {
  const s = scores(model, x);
  if (prior) {
    const z = prior.zeroShot.rawScores(text);
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

interface Fitted { vectorizer: TfidfVectorizer; model: LinearModel }

function fitOnce(docs: readonly string[][], y: readonly number[][], labelCount: number, opts: ClassifierOptions): Fitted {
  const vectorizer = new TfidfVectorizer({ minDf: opts.minDf ?? 2, sublinearTf: true, smoothIdf: true, norm: 'l2' });
  vectorizer.fitTerms(docs);
  const X = docs.map((d) => vectorizer.transformTerms(d));
  const model = trainOneVsRest(X, y, labelCount, vectorizer.vocabulary.size, opts);
  return { vectorizer, model };
}

/** Multi-label linear text classifier: TF-IDF features, one-vs-rest logistic regression, calibrated. */
export class TextClassifier {
  private constructor(
    readonly labels: readonly string[],
    private readonly vectorizer: TfidfVectorizer,
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
    const fitted = fitOnce(docs, y, labels.length, opts);
    const themeWeight = opts.themeWeight ?? 4;
    const prior = opts.themes && opts.themes.length > 0 && themeWeight > 0
      ? makePrior(labels, new ZeroShotClassifier(opts.themes).fit(examples.map((e) => e.text)), themeWeight)
      : null;

    const kind = opts.calibration ?? 'shared-platt';
    const folds = opts.calibrationFolds ?? 3;
    let platt: Platt[] = labels.map(() => ({ a: 1, b: 0 }));
    if (kind !== 'none' && folds >= 2 && examples.length >= 2 * folds) {
      const order = shuffledIndices(examples.length, mulberry32((opts.seed ?? 42) ^ 0x9e3779b9));
      const foldOf = new Uint32Array(examples.length);
      order.forEach((ex, pos) => { foldOf[ex] = pos % folds; });
      const oof: Float64Array[] = labels.map(() => new Float64Array(examples.length));
      for (let f = 0; f < folds; f++) {
        const tr: number[] = [], te: number[] = [];
        for (let i = 0; i < examples.length; i++) (foldOf[i] === f ? te : tr).push(i);
        const m = fitOnce(tr.map((i) => docs[i] as string[]), tr.map((i) => y[i] as number[]), labels.length, opts);
        for (const i of te) {
          const s = fusedScores(m.model, m.vectorizer.transformTerms(docs[i] as string[]), prior, (examples[i] as LabelledText).text);
          for (let k = 0; k < labels.length; k++) (oof[k] as Float64Array)[i] = s[k] as number;
        }
      }
      const target = (k: number) => Float64Array.from(y, (ls) => (ls.includes(k) ? 1 : 0));
      if (kind === 'per-label-platt') {
        platt = labels.map((_, k) => fitPlatt(oof[k] as Float64Array, target(k)));
      } else {
        const s: number[] = [], t: number[] = [];
        labels.forEach((_, k) => { const tk = target(k); (oof[k] as Float64Array).forEach((v, i) => { s.push(v); t.push(tk[i] as number); }); });
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
        epochs: 5, learningRate: 0.05, l2: 1e-4, classBalanced: true, seed: 42, minDf: 2, calibrationFolds: folds,
        themeWeight: prior ? themeWeight : 0, themes: prior ? prior.zeroShot.themes.map((t) => t.code) : [],
        ...rest, analyzer, cues, calibration: kind, model: 'one-vs-rest logistic regression (AdaGrad SGD, L2)',
      },
    };
    return new TextClassifier(labels, fitted.vectorizer, fitted.model, analyzer, cues, { kind, platt }, metadata, prior);
  }

  /** Raw one-vs-rest scores (logits), in `labels` order. */
  rawScores(text: string): Float64Array {
    return fusedScores(this.model, this.vectorizer.transformTerms(featureTerms(text, this.analyzer, this.cues).terms), this.prior, text);
  }

  predict(text: string, opts: { explain?: number } = {}): Prediction {
    const feats = featureTerms(text, this.analyzer, this.cues);
    const x = this.vectorizer.transformTerms(feats.terms);
    const s = fusedScores(this.model, x, this.prior, text);
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
      const term = this.vectorizer.vocabulary.term(f);
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
      vectorizer: this.vectorizer.toJSON(),
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
    const vectorizer = TfidfVectorizer.fromJSON(j.vectorizer);
    if (j.weights.length !== j.labels.length || j.bias.length !== j.labels.length) throw new Error('TextClassifier.fromJSON: labels, weights and bias differ in length');
    const model: LinearModel = {
      dimension: vectorizer.vocabulary.size,
      weights: j.weights.map((row) => Float32Array.from(row)),
      bias: Float64Array.from(j.bias),
    };
    const prior = j.prior ? makePrior(j.labels, ZeroShotClassifier.fromJSON(j.prior.zeroShot), j.prior.weight) : null;
    return new TextClassifier(j.labels, vectorizer, model, j.analyzer, j.cues, j.calibration, j.metadata, prior);
  }
}
