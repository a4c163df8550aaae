/**
 * The follow-up of a plan (issue 15) as a synthesis document: the funnel « ce que vous avez dit → ce qui est fait »
 * and the annual report « Bilan de suivi du schéma territorial de santé » (format `fabrique.followup`). Every number is
 * a `followup` figure (or a `links` / `share` one) that the verifier recomputes from the store (docs/format-followup-report.md).
 * Only public data is printed: public contributions and ideas, action titles and owner organisations (never a contact
 * person), indicators and their measurements.
 */
import type { FollowupIndicator } from '../domain/followup-indicators.ts';
import { ACTION_STATUSES, ACTION_STATUS_LABELS } from '../domain/followup.ts';
import { PROGRESS_STATUS_LABELS, indicatorProgress, targetLabel } from '../domain/followup-indicators.ts';
import type { Store } from '../store/store.ts';
import { evaluateRule, loadSynthesisData, noConsultationData, planObjectives, type FollowupData, type SynthesisData } from './data.ts';
import {
  FOLLOWUP_FORMAT, PROPOSAL_KINDS, SYNTHESIS_FORMAT_VERSION, emptyEditorial,
  type Block, type FigureRule, type FollowupRule, type Inline, type Section, type SynthesisDocument, type TableRow, type VerifiedFigure,
} from './model.ts';

export { FOLLOWUP_FORMAT };

/** The funnel's steps, in order (BRIEF contract: FollowupFunnel). */
export const FUNNEL_STEPS = ['contributions', 'ideas', 'objectives', 'engaged', 'done'] as const;
export type FunnelStepKey = (typeof FUNNEL_STEPS)[number];

export const FUNNEL_LABELS: Record<FunnelStepKey, string> = {
  contributions: 'Contributions publiées',
  ideas: 'Idées communes',
  objectives: 'Objectifs du schéma nourris par la concertation',
  engaged: 'Actions engagées sur ces objectifs',
  done: 'Actions réalisées',
};

const FUNNEL_UNITS: Record<FunnelStepKey, VerifiedFigure['unit']> = {
  contributions: 'contributions', ideas: 'idees', objectives: 'objectifs', engaged: 'actions', done: 'actions',
};

/** The plan a follow-up report is about, as printed on its cover. */
export interface FollowupPlan {
  id: string;
  title: string;
  territory: string;
  territoryName: string;
  period: { start: number; end: number } | null;
  fileName: string;
  consultation: string | null;
}

export type FollowupDocument = Omit<SynthesisDocument, 'format'> & {
  format: typeof FOLLOWUP_FORMAT;
  plan: FollowupPlan;
  /** the year reported on, when one was asked */
  year: number | null;
  /** the day the report is about (YYYY-MM-DD): late actions and latest measurements are read as of it */
  asOf: string;
};

export function isFollowupDocument(doc: unknown): doc is FollowupDocument {
  return !!doc && typeof doc === 'object' && (doc as { format?: unknown }).format === FOLLOWUP_FORMAT;
}

export function followupId(plan: string, year: number | null): string {
  return `followup:${plan}:${year ?? 'courant'}`;
}

/** The data a follow-up figure of this plan is evaluated on: its consultation's, or none. */
export async function followupData(store: Store, plan: { consultation: string | null }): Promise<SynthesisData> {
  return plan.consultation ? loadSynthesisData(store, plan.consultation) : noConsultationData(store);
}

/** Figures evaluated once each, in the order they are asked (builder of the report and of the funnel). */
class FigureBook {
  readonly figures: VerifiedFigure[] = [];
  readonly byKey = new Map<string, VerifiedFigure>();
  constructor(readonly data: SynthesisData) {}

  /** The figure's key, or undefined when the rule has no value here (e.g. the progress of an objective without action). */
  async fig(key: string, label: string, unit: VerifiedFigure['unit'], rule: FigureRule): Promise<string | undefined> {
    if (this.byKey.has(key)) return key;
    const e = await evaluateRule(this.data, rule, (k) => this.byKey.get(k)?.value);
    if (e.value === null) return undefined;
    const f: VerifiedFigure = { key, value: e.value, label, unit, rule, contributions: e.contributions, ...(e.sources ? { sources: e.sources } : {}) };
    this.figures.push(f);
    this.byKey.set(key, f);
    return key;
  }

  /** A figure that always has a value (counts). */
  async count(key: string, label: string, unit: VerifiedFigure['unit'], rule: FigureRule): Promise<string> {
    const k = await this.fig(key, label, unit, rule);
    if (k === undefined) throw new Error(`follow-up figure ${key} has no value`);
    return k;
  }

  value(key: string): number { return this.byKey.get(key)?.value ?? 0; }
  ids(key: string): string[] { const f = this.byKey.get(key); return f ? (f.sources ?? f.contributions) : []; }
}

const funnelKey = (k: FunnelStepKey) => `funnel.${k}`;

/** The funnel's five figures, each a `followup` rule over the plan (the report prints the same ones). */
async function funnelFigures(book: FigureBook, plan: string): Promise<{ key: FunnelStepKey; figure: string }[]> {
  const out: { key: FunnelStepKey; figure: string }[] = [];
  for (const k of FUNNEL_STEPS) {
    out.push({ key: k, figure: await book.count(funnelKey(k), FUNNEL_LABELS[k], FUNNEL_UNITS[k], { op: 'followup', plan, count: k }) });
  }
  return out;
}

/** The funnel of a plan on loaded data: each step's count and its figure (rule, ids counted). */
export async function computeFunnel(data: SynthesisData, plan: string): Promise<{ key: FunnelStepKey; label: string; count: number; figure: VerifiedFigure }[]> {
  const book = new FigureBook(data);
  const steps = await funnelFigures(book, plan);
  return steps.map((s) => ({ key: s.key, label: FUNNEL_LABELS[s.key], count: book.value(s.figure), figure: book.byKey.get(s.figure)! }));
}
