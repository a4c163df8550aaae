/**
 * Follow-up indicators of a plan (issue 15): a baseline, a target (a value, a range or a direction), a due date,
 * and measurements over time. Pure: how far the latest measurement goes towards the target, in French words.
 * Not the territory's data repère (`Indicator`, table `indicators`): those describe; these follow a commitment.
 */
import type { SourceRef } from './source.ts';

export type IndicatorOrigin = 'oqos' | 'manual';
export const INDICATOR_ORIGINS: readonly IndicatorOrigin[] = ['oqos', 'manual'];

export type IndicatorDirection = 'hausse' | 'baisse';
export const INDICATOR_DIRECTIONS: readonly IndicatorDirection[] = ['hausse', 'baisse'];

/** A target: a value to reach, a range to end in (OQOS « 0/1 »), or only a direction. */
export type IndicatorTarget =
  | { kind: 'value'; value: number }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'direction'; direction: IndicatorDirection };

export interface IndicatorBaseline {
  value: number;
  /** ISO date (YYYY-MM-DD) or year (YYYY); null when the source prints none */
  date: string | null;
  /** where the figure comes from, in words (« OQOS, Unité de dialyse médicalisée, existant ») */
  source: string;
  /** the plan's text it was read from, when it comes from the plan */
  sourceRef: SourceRef | null;
}

export interface FollowupIndicator {
  id: string;
  planId: string;
  /** objective (or défi) code of the plan, when the indicator follows one */
  objectiveCode: string | null;
  label: string;
  unit: string;
  /** département code (the plan's) */
  territory: string;
  baseline: IndicatorBaseline;
  target: IndicatorTarget;
  /** YYYY-MM-DD or YYYY (default: the plan's end year) */
  dueDate: string | null;
  origin: IndicatorOrigin;
  /** stable key of an OQOS row (idempotent creation); null for a manual indicator */
  originKey: string | null;
  createdBy: string;
  createdAt: string;
}

export interface IndicatorMeasurement {
  id: string;
  indicatorId: string;
  value: number;
  /** YYYY-MM-DD */
  date: string;
  source: string;
  enteredBy: string;
  enteredAt: string;
}

/** `hors_cible`: a maintenance target left, or a range passed beyond its other bound */
export type ProgressStatus = 'sans_mesure' | 'atteint' | 'en_progres' | 'stable' | 'en_recul' | 'hors_cible';

export const PROGRESS_STATUS_LABELS: Record<ProgressStatus, string> = {
  sans_mesure: 'aucune mesure',
  atteint: 'cible atteinte',
  en_progres: 'en progrès',
  stable: 'sans évolution',
  en_recul: 'en recul',
  hors_cible: 'hors de la cible',
};

export interface IndicatorProgress {
  status: ProgressStatus;
  /** latest measurement (by date, then entry), null without one */
  latest: { value: number; date: string } | null;
  /** 0..100, rounded; null when it has no meaning (no measurement, or a direction target) */
  percent: number | null;
  /** units gained towards the target (value target), e.g. 1 of 3 */
  reached: number | null;
  needed: number | null;
  /** the target in words (« 5 implantations », « entre 0 et 1 », « à la hausse ») */
  targetLabel: string;
  /** the progress in words (« 1 sur 3 implantations supplémentaires (33 %) ») */
  label: string;
}

const fmt = (n: number) => Number.isInteger(n) ? String(n) : n.toLocaleString('fr-FR', { maximumFractionDigits: 2 });
const withUnit = (n: number, unit: string) => unit ? `${fmt(n)} ${unit}` : fmt(n);

export function targetLabel(target: IndicatorTarget, unit: string): string {
  switch (target.kind) {
    case 'value': return withUnit(target.value, unit);
    case 'range': return `entre ${fmt(target.min)} et ${withUnit(target.max, unit)}`;
    case 'direction': return target.direction === 'hausse' ? 'à la hausse' : 'à la baisse';
  }
}

/** The latest measurement: the latest date, then the latest entered (a correction on the same day wins). */
export function latestMeasurement<M extends Pick<IndicatorMeasurement, 'value' | 'date' | 'enteredAt'>>(ms: readonly M[]): M | null {
  let best: M | null = null;
  for (const m of ms) {
    if (best === null || m.date > best.date || (m.date === best.date && m.enteredAt >= best.enteredAt)) best = m;
  }
  return best;
}

/**
 * Progress of an indicator from its baseline towards its target.
 * - value target: `reached` = the units gained in the target's direction (never below 0 nor above what is needed),
 *   `needed` = |target − baseline|; a target equal to the baseline (an OQOS « maintien ») is reached while the
 *   measurement equals it, `hors_cible` otherwise;
 * - range target: reached inside [min, max]; otherwise progress towards the nearest bound (beyond the other bound:
 *   `hors_cible`); a baseline already inside is a maintenance (`hors_cible` once left);
 * - direction: the sign of latest − baseline; no percentage.
 */
export function indicatorProgress(
  ind: Pick<FollowupIndicator, 'baseline' | 'target' | 'unit'>,
  measurements: readonly Pick<IndicatorMeasurement, 'value' | 'date' | 'enteredAt'>[],
): IndicatorProgress {
  const tLabel = targetLabel(ind.target, ind.unit);
  const m = latestMeasurement(measurements);
  if (m === null) return { status: 'sans_mesure', latest: null, percent: null, reached: null, needed: null, targetLabel: tLabel, label: `aucune mesure (base ${withUnit(ind.baseline.value, ind.unit)}, cible ${tLabel})` };
  const latest = { value: m.value, date: m.date };
  const base = ind.baseline.value;
  const t = ind.target;
  if (t.kind === 'direction') {
    const sign = t.direction === 'hausse' ? 1 : -1;
    const d = (m.value - base) * sign;
    const status: ProgressStatus = d > 0 ? 'en_progres' : d < 0 ? 'en_recul' : 'stable';
    return { status, latest, percent: null, reached: null, needed: null, targetLabel: tLabel, label: `${PROGRESS_STATUS_LABELS[status]} : ${withUnit(m.value, ind.unit)} pour ${withUnit(base, ind.unit)} au départ` };
  }
  // a range is aimed at its nearest bound; a value at itself
  const aim = t.kind === 'value' ? t.value : base < t.min ? t.min : base > t.max ? t.max : null;
  if (aim === null && t.kind === 'range') {
    // baseline already within the range: a maintenance target
    const inside = m.value >= t.min && m.value <= t.max;
    const status: ProgressStatus = inside ? 'atteint' : 'hors_cible';
    return { status, latest, percent: inside ? 100 : 0, reached: null, needed: null, targetLabel: tLabel, label: `${inside ? 'cible maintenue' : 'hors de la cible'} : ${withUnit(m.value, ind.unit)} (cible ${tLabel})` };
  }
  if (aim === null) throw new Error('unreachable: only a range has no aim');
  const needed = Math.abs(aim - base);
  if (needed === 0) {
    const kept = m.value === aim;
    return { status: kept ? 'atteint' : 'hors_cible', latest, percent: kept ? 100 : 0, reached: 0, needed: 0, targetLabel: tLabel, label: `${kept ? 'cible maintenue' : 'hors de la cible'} : ${withUnit(m.value, ind.unit)} (cible ${tLabel})` };
  }
  const sign = aim > base ? 1 : -1;
  const gained = (m.value - base) * sign;
  const reached = Math.max(0, Math.min(needed, gained));
  const percent = Math.round((reached / needed) * 100);
  // a range aimed at one bound and passed beyond the other is not reached
  const beyond = t.kind === 'range' && (m.value < t.min || m.value > t.max) && reached >= needed;
  const status: ProgressStatus = beyond ? 'hors_cible' : reached >= needed ? 'atteint' : gained > 0 ? 'en_progres' : gained < 0 ? 'en_recul' : 'stable';
  const what = sign > 0 ? 'supplémentaires' : 'en moins';
  const unit = ind.unit ? ` ${ind.unit}` : '';
  const label = `${fmt(reached)} sur ${fmt(needed)}${unit} ${what} (${percent} %)`;
  return { status, latest, percent, reached, needed, targetLabel: tLabel, label };
}

/** A date as the indicators keep them: YYYY-MM-DD (a real day) or, for a baseline or a due date, YYYY. */
export function isIndicatorDate(s: string, opts: { yearAllowed: boolean }): boolean {
  if (opts.yearAllowed && /^\d{4}$/.test(s)) return true;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
