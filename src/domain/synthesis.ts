import type { SourceRef } from './source.ts';

export type SynthesisLevel = 'departement' | 'region';

/** A figure printed in a synthesis, with what it was computed from so it can be re-verified. */
export interface SynthesisFigure {
  key: string;
  value: number;
  contributions?: string[];
}

export interface SynthesisQuote {
  contribution: string;
  text: string;
  source: SourceRef;
}

export interface Synthesis {
  id: string;
  consultation: string;
  level: SynthesisLevel;
  territory: string;
  generatedAt: string;
  /** human-written parts, keyed by place in the document; they survive regeneration */
  editorial: Record<string, string>;
  figures: SynthesisFigure[];
  quotes: SynthesisQuote[];
}

/** A grouping written by people in a source document (e.g. a synthèse départementale), kept as-is. */
export interface HumanSynthesisItem {
  label: string;
  /** count as stated in the document, when there is one */
  statedCount?: number;
  quotes: string[];
  children: HumanSynthesisItem[];
  source: SourceRef;
}
