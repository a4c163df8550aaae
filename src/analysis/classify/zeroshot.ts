import type { Theme } from '../../domain/theme.ts';
import { analyze, CHAR_NGRAM_PREFIX, cosine, TfidfVectorizer, type AnalyzerOptions, type SparseVector, type TfidfJSON } from '../text/index.ts';
import { HEALTH_LEXICON } from './health-lexicon.ts';
import type { ExplanationTerm, Prediction } from './prediction.ts';

export interface ZeroShotOptions {
  /** softmax temperature turning similarity scores into probabilities (default 0.1) */
  temperature?: number;
  /** score added per theme keyword found whole in the text (default 0.15) */
  keywordBonus?: number;
  /**
   * « hors sujet » when the best theme score is below this and the text uses no word of `domainLexicon`
   * (default OFF_TOPIC_THRESHOLD; 0 turns the outcome off)
   */
  offTopicThreshold?: number;
  /** words that make a text on topic whatever its theme scores (default HEALTH_LEXICON; [] for none) */
  domainLexicon?: readonly string[];
}

/**
 * Calibrated on DEV data only (bench/quality/offtopic-calibrate.ts: 545 health texts — the demo's with the demo's
 * themes and the themed texts of the team's dev set — and 40 written non-health answers): the smallest threshold
 * with the best balanced accuracy (0.972: 5.7 % of the health texts left out, 100 % of the others). One generic theme keyword alone (bonus 0.15,
 * « logement », « formation ») does not make a text on topic; a keyword plus some overlap with the theme's
 * description, or any health word, does.
 */
export const OFF_TOPIC_THRESHOLD = 0.25;
/** Texts below the threshold are « hors sujet » only when they are more than this share of the texts classified together. */
export const OFF_TOPIC_MAJORITY = 0.5;

export interface ZeroShotJSON {
  type: 'fabrique.zeroshot';
  version: 1;
  themes: Theme[];
  options: { temperature: number; keywordBonus: number; offTopicThreshold?: number; domainLexicon?: string[] };
  vectorizer: TfidfJSON | null;
}

const ANALYZER: AnalyzerOptions = { bigrams: true };

/**
 * Zero-shot theme scoring, for when there are no labelled examples: each theme is described by its label,
 * description and keywords (keywords count twice). score = TF-IDF cosine(text, theme description) + a bonus per
 * keyword (stemmed, multi-word keywords matched as a whole) present in the text. The IDF is fitted on the theme
 * descriptions plus the texts being classified (unsupervised). Probabilities are a softmax of the scores with a
 * fixed temperature: they rank themes but are NOT calibrated.
 */
export class ZeroShotClassifier {
  private readonly themeTerms: string[][];
  private readonly keywordTerms: string[][][];
  private readonly temperature: number;
  private readonly keywordBonus: number;
  private readonly offTopicThreshold: number;
  private readonly domainLexicon: readonly string[];
  private readonly domainTerms: string[][];

  constructor(readonly themes: readonly Theme[], opts: ZeroShotOptions = {}) {
    if (themes.length === 0) throw new Error('ZeroShotClassifier: no theme');
    this.temperature = opts.temperature ?? 0.1;
    this.keywordBonus = opts.keywordBonus ?? 0.15;
    this.offTopicThreshold = opts.offTopicThreshold ?? OFF_TOPIC_THRESHOLD;
    this.domainLexicon = opts.domainLexicon ?? HEALTH_LEXICON;
    // the themes' acronym keywords (SAS, CPTS, PDSA…) are as specific as the lexicon's words
    const acronyms = themes.flatMap((t) => t.keywords.filter((k) => /^[A-Z0-9]{2,6}$/.test(k)));
    this.domainTerms = [...this.domainLexicon, ...acronyms].map((w) => analyze(w).terms).filter((ts) => ts.length > 0);
    this.themeTerms = themes.map((t) => {
      const kw = t.keywords.join(' . ');
      return analyze(`${t.label} . ${t.description ?? ''} . ${kw} . ${kw}`, ANALYZER).terms;
    });
    this.keywordTerms = themes.map((t) => t.keywords.map((k) => analyze(k).terms).filter((ts) => ts.length > 0));
  }

  private fitted: { vec: TfidfVectorizer; themeVecs: SparseVector[] } | null = null;

  /**
   * Fixes the IDF on the theme descriptions plus these texts (e.g. a training or reference corpus).
   * Without it, `predictMany` fits the IDF on the batch it is given.
   */
  fit(texts: Iterable<string>): this {
    const docs = [...this.themeTerms];
    for (const t of texts) docs.push(analyze(t, ANALYZER).terms);
    this.fitted = this.fitTerms(docs);
    return this;
  }

  /** `fit` on texts already analysed as `rawScoresOfTerms` takes them (character n-grams and cues dropped). */
  fitAnalysed(docs: Iterable<readonly string[]>): this {
    const all = [...this.themeTerms];
    for (const d of docs) all.push(d.filter((t) => !t.startsWith(CHAR_NGRAM_PREFIX) && !t.startsWith('#')));
    this.fitted = this.fitTerms(all);
    return this;
  }

  private fitTerms(docs: string[][]): { vec: TfidfVectorizer; themeVecs: SparseVector[] } {
    const vec = new TfidfVectorizer({ minDf: 1 }).fitTerms(docs);
    return { vec, themeVecs: this.themeTerms.map((t) => vec.transformTerms(t)) };
  }

  /** Similarity of a text to each theme, in `themes` order (≥ 0, not probabilities). Requires `fit`. */
  rawScores(text: string): Float64Array {
    if (!this.fitted) this.fitted = this.fitTerms([...this.themeTerms]);
    return Float64Array.from(this.scoreAnalysed(analyze(text, ANALYZER).terms, this.fitted));
  }

  /**
   * `rawScores` of a text already analysed with stemmed unigrams and bigrams without stopwords (extra terms such as
   * character n-grams are unknown to the theme vocabulary and ignored): saves analysing the text twice.
   */
  rawScoresOfTerms(terms: readonly string[]): Float64Array {
    if (!this.fitted) this.fitted = this.fitTerms([...this.themeTerms]);
    return Float64Array.from(this.scoreAnalysed(terms as string[], this.fitted));
  }

  private scoreAnalysed(terms: string[], f: { vec: TfidfVectorizer; themeVecs: SparseVector[] }): number[] {
    const x = f.vec.transformTerms(terms);
    const present = new Set(terms);
    return this.themes.map((_, k) => {
      let s = cosine(x, f.themeVecs[k]!);
      for (const kw of this.keywordTerms[k]!) if (kw.every((t) => present.has(t))) s += this.keywordBonus;
      return s;
    });
  }

  toJSON(): ZeroShotJSON {
    return {
      type: 'fabrique.zeroshot', version: 1, themes: this.themes.map((t) => ({ ...t, keywords: [...t.keywords] })),
      options: { temperature: this.temperature, keywordBonus: this.keywordBonus, offTopicThreshold: this.offTopicThreshold, domainLexicon: [...this.domainLexicon] },
      vectorizer: this.fitted ? this.fitted.vec.toJSON() : null,
    };
  }

  static fromJSON(j: ZeroShotJSON): ZeroShotClassifier {
    if (j?.type !== 'fabrique.zeroshot') throw new Error('ZeroShotClassifier.fromJSON: not a fabrique.zeroshot object');
    const z = new ZeroShotClassifier(j.themes, j.options);
    if (j.vectorizer) {
      const vec = TfidfVectorizer.fromJSON(j.vectorizer);
      z.fitted = { vec, themeVecs: z.themeTerms.map((t) => vec.transformTerms(t)) };
    }
    return z;
  }

  /** The best theme score of each text (IDF as in `predictMany`): what the « hors sujet » threshold is compared to. */
  bestScores(texts: readonly string[]): number[] {
    const analysed = texts.map((t) => analyze(t, ANALYZER).terms);
    const f = this.fitted ?? this.fitTerms([...this.themeTerms, ...analysed]);
    return analysed.map((a) => Math.max(...this.scoreAnalysed(a, f)));
  }

  predict(text: string, opts: { explain?: number } = {}): Prediction {
    return this.predictMany([text], opts)[0] as Prediction;
  }

  predictMany(texts: readonly string[], opts: { explain?: number } = {}): Prediction[] {
    const analysed = texts.map((t) => analyze(t, ANALYZER));
    const f = this.fitted ?? this.fitTerms([...this.themeTerms, ...analysed.map((a) => a.terms)]);
    const vec = f.vec;
    const themeSets = this.themeTerms.map((t) => new Set(t));
    const out: Prediction[] = analysed.map((a) => {
      const raw = this.scoreAnalysed(a.terms, f);
      const max = Math.max(...raw);
      const exps = raw.map((s) => Math.exp((s - max) / this.temperature));
      const z = exps.reduce((p, c) => p + c, 0);
      const labels = this.themes.map((t, k) => ({ label: t.code, p: exps[k]! / z }));
      labels.sort((p, q) => q.p - p.p || (p.label < q.label ? -1 : 1));
      const top = labels[0]!.label;
      const k = this.themes.findIndex((t) => t.code === top);
      const explanation: ExplanationTerm[] = [];
      const seen = new Set<string>();
      if (max > 0) {
        a.terms.forEach((t, i) => {
          const word = a.surfaces[i] ?? '';
          if (themeSets[k]!.has(t) && !seen.has(word) && explanation.length < (opts.explain ?? 5)) {
            seen.add(word);
            explanation.push({ label: top, word, weight: Number(((vec.idf[vec.vocabulary.get(t)!] ?? 0)).toPrecision(4)) });
          }
        });
      }
      const present = new Set(a.terms);
      const offTopic = max < this.offTopicThreshold && !this.domainTerms.some((ts) => ts.every((t) => present.has(t)));
      return { labels, explanation, ...(offTopic ? { offTopic } : {}) };
    });
    // « Hors sujet » is a verdict on a consultation before it is one on a text: in a consultation whose texts are
    // mostly about health, a text without a health word is a fragment of a health workshop (« Limiter le recours à
    // l’intérim », « Levier réglementaire »): 26 % of the corpus's texts would be set aside. Texts are set aside
    // only where they are the majority (a consultation on another subject), or for a text classified alone.
    const flagged = out.filter((p) => p.offTopic).length;
    if (texts.length > 1 && flagged <= OFF_TOPIC_MAJORITY * texts.length) for (const p of out) delete p.offTopic;
    return out;
  }
}
