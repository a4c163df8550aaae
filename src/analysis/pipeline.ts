/**
 * The analysis of a consultation as a pure computation: from its loaded contributions and stored idea groups
 * to what should be written (model theme and kind assignments, trained models, idea groups) and a summary.
 * Reading and writing are the use case's (src/usecases/analysis.ts).
 */
import type { Consultation } from '../domain/consultation.ts';
import type { Contribution, ContributionKind, Provenance, ThemeAssignment } from '../domain/contribution.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import { isNonAnswer } from '../domain/non-answers.ts';
import { CLASSIFIER_VERSION, TextClassifier, type LabelledText } from './classify/classifier.ts';
import { suggestKinds } from './classify/kind.ts';
import { ZeroShotClassifier } from './classify/zeroshot.ts';
import { startDuplicates } from './duplicates/index.ts';
import { trainingSample } from './classify/sample.ts';
import { computeGrouping, duplicateItems, groupable, type GroupingSummary } from './ideas.ts';

/** Fewer labelled examples than this (or a single label) and a trained model is not worth it. */
const MIN_TRAINING = 20;
/** Besides the most probable theme, others are assigned when at least this probable. */
const SECOND_THEME_P = 0.5;

export interface ClassificationSummary {
  consultation: string;
  contributions: number;
  /** offTopic: texts the zero-shot fallback found about none of the themes (« hors sujet »), left without a theme */
  themes: { mode: 'trained' | 'zero-shot' | 'none'; trainingExamples: number; predicted: number; assigned: number; offTopic: number };
  /** 'builtin': too few labelled kinds (trainingExamples of them), so the built-in French model's suggestions */
  kinds: { mode: 'trained' | 'builtin' | 'none'; trainingExamples: number; predicted: number; assigned: number };
}

export interface AnalysisSummary extends ClassificationSummary {
  grouping: GroupingSummary;
}

/** Same shape as the use cases' ProgressReporter (this layer does not import it). */
export type AnalysisProgress = (event: { step: string; label: string; done: number; total: number }) => void;

/** What the analysis reads of a contribution (the store loads only this: src/store/analysis.ts). */
export type AnalysisContribution = Pick<Contribution, 'id' | 'text' | 'themes' | 'kind' | 'kindProvenance' | 'moderation'>;

export interface AnalysisInput {
  consultation: Consultation;
  contributions: readonly AnalysisContribution[];
  /** every stored idea group of the consultation */
  groups: readonly IdeaGroup[];
  seed: number;
  regroup: boolean;
  /** time recorded in the provenance of every model output */
  at: string;
}

export interface TrainedModel { purpose: 'themes' | 'kinds'; version: string; metadata: unknown; model: unknown }
export interface ThemeResult { contribution: string; assignments: ThemeAssignment[] }
export interface KindResult { contribution: string; kind: ContributionKind; provenance: Provenance }

/** What an analysis writes, and its summary (the `assigned` counts are the write's: see the use case). */
export interface AnalysisOutcome {
  models: TrainedModel[];
  themes: ThemeResult[];
  kinds: KindResult[];
  /** the new analysed groups (replacing the previous run's; stated groups of human syntheses stay) */
  groups: IdeaGroup[];
  summary: AnalysisSummary;
}

/**
 * Classifies the themes and kinds of the contributions that have none from their source or a human (model
 * results never go over a human or source decision; a rerun replaces the earlier model assignments), then
 * groups the contributions into common ideas with the themes just suggested.
 */
export function computeAnalysis(input: AnalysisInput, progress: AnalysisProgress = () => {}): AnalysisOutcome {
  const { consultation, seed, at } = input;
  const all = input.contributions;
  const themed = (c: AnalysisContribution) => c.themes.some((t) => t.provenance.by !== 'model');
  // non-answers (« RAS », « aucune idée ») get neither a theme nor a kind: the grouping counts them apart
  const live = all.filter((c) => c.moderation.status !== 'rejected' && !isNonAnswer(c.text));
  const models: TrainedModel[] = [];
  // Duplicates need no theme: they start in a worker thread now and run beside the classification below
  // (the machine's second core), the grouping takes them when it needs them.
  const duplicates = startDuplicates(duplicateItems(groupable(all).contributions), { seed });

  // Themes
  progress({ step: 'themes', label: 'Classement des contributions par thème', done: 0, total: 1 });
  const themeExamples: LabelledText[] = live.filter(themed).map((c) => ({
    id: c.id, text: c.text, labels: c.themes.filter((t) => t.provenance.by !== 'model').map((t) => t.theme),
  }));
  const toTheme = live.filter((c) => !themed(c));
  const themeLabels = new Set(themeExamples.flatMap((e) => e.labels));
  const themeSummary: ClassificationSummary['themes'] = { mode: 'none', trainingExamples: themeExamples.length, predicted: toTheme.length, assigned: 0, offTopic: 0 };
  const themeResults: ThemeResult[] = [];
  if (toTheme.length > 0 && consultation.themes.length > 0) {
    let predict: (texts: string[]) => { labels: { label: string; p: number }[]; offTopic?: boolean }[];
    let model: string;
    let version: string;
    if (themeExamples.length >= MIN_TRAINING && themeLabels.size >= 2) {
      const classifier = TextClassifier.train(trainingSample(themeExamples, seed), { themes: consultation.themes, seed });
      predict = (texts) => texts.map((t) => classifier.predict(t, { explain: 0 }));
      themeSummary.mode = 'trained';
      model = 'fabrique-themes-linear';
      version = `${CLASSIFIER_VERSION}+${classifier.metadata.trainingSha256.slice(0, 12)}`;
      models.push({ purpose: 'themes', version, metadata: classifier.metadata, model: classifier.toJSON() });
    } else {
      const zs = new ZeroShotClassifier(consultation.themes);
      predict = (texts) => zs.predictMany(texts);
      themeSummary.mode = 'zero-shot';
      model = 'fabrique-themes-zeroshot';
      version = CLASSIFIER_VERSION;
    }
    const predictions = predict(toTheme.map((c) => c.text));
    toTheme.forEach((c, i) => {
      // « hors sujet »: no theme, and an earlier model theme of a rerun is dropped (empty assignments)
      if (predictions[i]?.offTopic) { themeSummary.offTopic++; themeResults.push({ contribution: c.id, assignments: [] }); return; }
      const labels = predictions[i]?.labels ?? [];
      const chosen = labels.filter((l, j) => j === 0 || l.p >= SECOND_THEME_P);
      const assignments = chosen.map((l) => ({ theme: l.label, provenance: { by: 'model', model, version, probability: Number(l.p.toFixed(4)), at } as Provenance }));
      if (assignments.length > 0) themeResults.push({ contribution: c.id, assignments });
    });
  }
  progress({ step: 'themes', label: 'Classement des contributions par thème', done: 1, total: 1 });

  // Kinds
  progress({ step: 'kinds', label: 'Classement des contributions par nature', done: 0, total: 1 });
  const kindOutcome = suggestKinds(live, { seed, at });
  if (kindOutcome.trained) models.push({ purpose: 'kinds', ...kindOutcome.trained });
  const kindSummary = kindOutcome.summary;
  const kindResults: KindResult[] = kindOutcome.results;
  progress({ step: 'kinds', label: 'Classement des contributions par nature', done: 1, total: 1 });

  // Common ideas, over the themes as they will be stored
  progress({ step: 'duplicates', label: 'Recherche des doublons et des campagnes de copier-coller', done: 0, total: 1 });
  const { groups, summary: grouping } = computeGrouping({
    consultation: consultation.slug, contributions: withModelThemes(all, themeResults), stored: input.groups, seed, at, regroup: input.regroup, duplicates,
    onScope: (scope, done, total) => progress({ step: 'grouping', label: `Regroupement en idées communes : ${scope === 'sans-theme' ? 'sans thème' : `thème ${scope}`}`, done, total }),
  });

  return {
    models, themes: themeResults, kinds: kindResults, groups,
    summary: { consultation: consultation.slug, contributions: all.length, themes: themeSummary, kinds: kindSummary, grouping },
  };
}

/**
 * The contributions as they read once the theme results are stored: a contribution with results loses its
 * earlier model themes and gets the new ones (never over a human or source theme), themes in code order as
 * the store lists them.
 */
export function withModelThemes<C extends Pick<Contribution, 'id' | 'themes'>>(contributions: readonly C[], results: readonly ThemeResult[]): C[] {
  const byId = new Map(results.map((r) => [r.contribution, r.assignments]));
  return contributions.map((c) => {
    const next = byId.get(c.id);
    if (!next) return c;
    const kept = c.themes.filter((t) => t.provenance.by !== 'model');
    const decided = new Set(kept.map((t) => t.theme));
    const added = new Map<string, ThemeAssignment>();
    for (const a of next) if (!decided.has(a.theme)) added.set(a.theme, a);
    const themes = [...kept, ...added.values()].sort((a, b) => (a.theme < b.theme ? -1 : a.theme > b.theme ? 1 : 0));
    return { ...c, themes };
  });
}

