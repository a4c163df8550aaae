import { CONTRIBUTION_KINDS, type ContributionKind } from '../../domain/contribution.ts';
import { TextClassifier, type ClassifierOptions, type LabelledText } from './classifier.ts';

/**
 * Kind classifier (constat / proposition / levier_frein / témoignage …): the same linear machinery with the
 * French cue features of `kindCues` (infinitive openings, "il faudrait", "manque de", questions, first person…)
 * added to the terms. The cues are features whose weights are learnt, not rules.
 */
export function trainKindClassifier(examples: readonly LabelledText[], opts: ClassifierOptions = {}): TextClassifier {
  for (const e of examples) for (const l of e.labels) {
    if (!(CONTRIBUTION_KINDS as readonly string[]).includes(l)) throw new Error(`trainKindClassifier: unknown kind « ${l} » (expected one of ${CONTRIBUTION_KINDS.join(', ')})`);
  }
  return TextClassifier.train(examples, { ...opts, cues: 'kind', themes: [] });
}

export function predictKind(model: TextClassifier, text: string): { kind: ContributionKind; p: number } | null {
  const top = model.predict(text, { explain: 0 }).labels[0];
  return top ? { kind: top.label as ContributionKind, p: top.p } : null;
}
