import type { Contribution, ContributionKind, Provenance, ThemeAssignment } from '../domain/contribution.ts';
import type { Store } from '../store/store.ts';
import { CLASSIFIER_VERSION, TextClassifier, type LabelledText } from './classify/classifier.ts';
import { predictKind, trainKindClassifier } from './classify/kind.ts';
import { ZeroShotClassifier } from './classify/zeroshot.ts';
import { groupConsultation, type GroupingSummary } from './ideas.ts';

/** Fewer labelled examples than this (or a single label) and a trained model is not worth it. */
const MIN_TRAINING = 20;
/** Besides the most probable theme, others are assigned when at least this probable. */
const SECOND_THEME_P = 0.5;

export interface AnalysisSummary {
  consultation: string;
  contributions: number;
  themes: { mode: 'trained' | 'zero-shot' | 'none'; trainingExamples: number; predicted: number; assigned: number };
  kinds: { mode: 'trained' | 'none'; trainingExamples: number; predicted: number; assigned: number };
}

/**
 * Classifies the themes and kinds of the contributions that have none from their source or a human,
 * and records the results as model assignments (never over a human or source decision). Reruns
 * replace the earlier model assignments.
 */
export async function classifyConsultation(store: Store, slug: string, opts: { seed?: number; now?: Date } = {}): Promise<AnalysisSummary> {
  const consultation = await store.requireConsultation(slug);
  const at = (opts.now ?? new Date()).toISOString();
  const all = await store.listContributions(slug);
  const themed = (c: Contribution) => c.themes.some((t) => t.provenance.by !== 'model');
  const live = all.filter((c) => c.moderation.status !== 'rejected' && c.text.trim().length > 0);

  // Themes
  const themeExamples: LabelledText[] = live.filter(themed).map((c) => ({
    id: c.id, text: c.text, labels: c.themes.filter((t) => t.provenance.by !== 'model').map((t) => t.theme),
  }));
  const toTheme = live.filter((c) => !themed(c));
  const themeLabels = new Set(themeExamples.flatMap((e) => e.labels));
  const themeSummary: AnalysisSummary['themes'] = { mode: 'none', trainingExamples: themeExamples.length, predicted: toTheme.length, assigned: 0 };
  const themeResults: { contribution: string; assignments: ThemeAssignment[] }[] = [];
  if (toTheme.length > 0 && consultation.themes.length > 0) {
    let predict: (texts: string[]) => { labels: { label: string; p: number }[] }[];
    let model: string;
    let version: string;
    if (themeExamples.length >= MIN_TRAINING && themeLabels.size >= 2) {
      const classifier = TextClassifier.train(themeExamples, { themes: consultation.themes, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
      predict = (texts) => texts.map((t) => classifier.predict(t, { explain: 0 }));
      themeSummary.mode = 'trained';
      model = 'fabrique-themes-linear';
      version = `${CLASSIFIER_VERSION}+${classifier.metadata.trainingSha256.slice(0, 12)}`;
      await store.saveAnalysisModel({ consultation: slug, purpose: 'themes', version, metadata: classifier.metadata, model: classifier.toJSON() });
    } else {
      const zs = new ZeroShotClassifier(consultation.themes);
      predict = (texts) => zs.predictMany(texts);
      themeSummary.mode = 'zero-shot';
      model = 'fabrique-themes-zeroshot';
      version = CLASSIFIER_VERSION;
    }
    const predictions = predict(toTheme.map((c) => c.text));
    toTheme.forEach((c, i) => {
      const labels = predictions[i]?.labels ?? [];
      const chosen = labels.filter((l, j) => j === 0 || l.p >= SECOND_THEME_P);
      const assignments = chosen.map((l) => ({ theme: l.label, provenance: { by: 'model', model, version, probability: Number(l.p.toFixed(4)), at } as Provenance }));
      if (assignments.length > 0) themeResults.push({ contribution: c.id, assignments });
    });
  }

  // Kinds
  const kindLabelled = live.filter((c) => c.kind && c.kindProvenance?.by !== 'model');
  const toKind = live.filter((c) => !c.kind || c.kindProvenance?.by === 'model');
  const kindSummary: AnalysisSummary['kinds'] = { mode: 'none', trainingExamples: kindLabelled.length, predicted: toKind.length, assigned: 0 };
  const kindResults: { contribution: string; kind: ContributionKind; provenance: Provenance }[] = [];
  if (toKind.length > 0 && kindLabelled.length >= MIN_TRAINING && new Set(kindLabelled.map((c) => c.kind)).size >= 2) {
    const classifier = trainKindClassifier(kindLabelled.map((c) => ({ id: c.id, text: c.text, labels: [c.kind!] })), opts.seed !== undefined ? { seed: opts.seed } : {});
    kindSummary.mode = 'trained';
    const version = `${CLASSIFIER_VERSION}+${classifier.metadata.trainingSha256.slice(0, 12)}`;
    await store.saveAnalysisModel({ consultation: slug, purpose: 'kinds', version, metadata: classifier.metadata, model: classifier.toJSON() });
    for (const c of toKind) {
      const k = predictKind(classifier, c.text);
      if (k) kindResults.push({ contribution: c.id, kind: k.kind, provenance: { by: 'model', model: 'fabrique-kinds-linear', version, probability: Number(k.p.toFixed(4)), at } });
    }
  }

  const applied = await store.applyModelResults({ themes: themeResults, kinds: kindResults, replaceModelThemes: true });
  themeSummary.assigned = applied.themes;
  kindSummary.assigned = applied.kinds;
  return { consultation: slug, contributions: all.length, themes: themeSummary, kinds: kindSummary };
}

export interface FullAnalysisSummary extends AnalysisSummary {
  grouping: GroupingSummary;
}

/** Every analysis step on a stored consultation: themes and kinds, then common ideas and duplicates. */
export async function analyzeConsultation(store: Store, slug: string, opts: { seed?: number; now?: Date; regroup?: boolean } = {}): Promise<FullAnalysisSummary> {
  const classified = await classifyConsultation(store, slug, opts);
  const grouping = await groupConsultation(store, slug, opts);
  return { ...classified, grouping };
}
