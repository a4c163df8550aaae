/**
 * Follow-up indicators of a plan (issue 15, item 2): the OQOS targets followed automatically, indicators added by
 * hand (a Chiffres-clés line, a constat…), measurements over time and the progress each shows. `fabrique indicator`
 * and, later, the back office and the public follow-up page call these functions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { UserError } from '../domain/errors.ts';
import {
  INDICATOR_DIRECTIONS, indicatorProgress, isIndicatorDate,
  type FollowupIndicator, type IndicatorDirection, type IndicatorMeasurement, type IndicatorProgress, type IndicatorTarget,
} from '../domain/followup-indicators.ts';
import type { SourceRef } from '../domain/source.ts';
import type { OqosValue } from '../ingest/plan/types.ts';
import {
  insertFollowupIndicators, insertFollowupMeasurement, listFollowupIndicators, listFollowupMeasurements,
} from '../store/followup-indicators.ts';
import type { StoredOqosRow, StoredPlan } from '../store/plans.ts';
import type { UseCaseContext } from './context.ts';
import { getPlan } from './plan.ts';

/** Longest label, unit and source kept (a label is a line, not a text). */
const LABEL_MAX = 300;
const UNIT_MAX = 60;
const SOURCE_MAX = 500;
/** What an OQOS count counts: authorised sites (« implantations »), the tables' unit. */
export const OQOS_UNIT = 'implantations';

/** Who follows indicators: analysts and administrators, and the command line. */
function requireEditor(ctx: UseCaseContext): void {
  const r = ctx.actor.role;
  if (r !== 'admin' && r !== 'analyst' && r !== 'cli') {
    throw new UserError('forbidden', 'Seuls un analyste ou un administrateur peuvent créer ou mesurer les indicateurs de suivi du schéma.');
  }
}

async function loadPlan(ctx: UseCaseContext, plan: unknown): Promise<StoredPlan> {
  if (typeof plan !== 'string' || plan.trim() === '') throw new UserError('invalid', 'Indiquez le schéma territorial de santé (identifiant du plan).', 'plan');
  return getPlan(ctx, plan);
}

const dueOf = (plan: StoredPlan): string | null => plan.period ? String(plan.period.end) : null;

// ---------------------------------------------------------------------------------------------------------------
// OQOS rows → indicators

/** Why an OQOS row gives no indicator. */
export type OqosSkipReason = 'no_values' | 'no_existing' | 'no_target' | 'not_applicable' | 'missing' | 'existing_range';

export const OQOS_SKIP_LABELS: Record<OqosSkipReason, string> = {
  no_values: 'ligne sans valeur « existant » ni « cible » (bilan ou cible dans une autre ligne du tableau)',
  no_existing: 'cible sans valeur « existant » sur la même ligne (tableau des cibles seul)',
  no_target: 'existant sans « cible » sur la même ligne (tableau de bilan seul)',
  not_applicable: 'valeur « - » (sans objet, jamais lue comme 0)',
  missing: 'cellule vide',
  existing_range: 'existant imprimé en fourchette (pas de base unique)',
};

/**
 * The mapping of one OQOS row (see docs/format-followup-indicators.md): an integer « existant » is the baseline;
 * an integer « cible » a value target, a range « 0/1 » a range target; « - » (not applicable) and a blank cell give
 * no figure, and a row missing either side (the bilan and target tables print them on different rows) is skipped.
 */
export function oqosMapping(row: Pick<StoredOqosRow, 'existing' | 'target'>): { baseline: number; target: IndicatorTarget } | { skip: OqosSkipReason } {
  const e = row.existing, t = row.target;
  if (e === null && t === null) return { skip: 'no_values' };
  if (e === null) return { skip: 'no_existing' };
  if (t === null) return { skip: 'no_target' };
  const bad = (v: OqosValue) => v.kind === 'not_applicable' ? 'not_applicable' as const : v.kind === 'missing' ? 'missing' as const : null;
  const why = bad(e) ?? bad(t);
  if (why) return { skip: why };
  if (e.kind !== 'integer') return { skip: 'existing_range' };
  if (t.kind === 'integer') return { baseline: e.value, target: { kind: 'value', value: t.value } };
  if (t.kind === 'range') return { baseline: e.value, target: { kind: 'range', min: t.min, max: t.max } };
  return { skip: 'missing' };
}

/** « Insuffisance rénale chronique — Unité de dialyse médicalisée » (the activity without the template's prefix). */
export function oqosLabel(row: Pick<StoredOqosRow, 'activity' | 'group' | 'modalite' | 'mention' | 'regime'>): string {
  const activity = row.activity.replace(/^Activit[ée] de soins\s+/i, '').trim();
  const parts = [row.group, row.modalite, row.mention, row.regime].map((p) => p?.trim()).filter((p): p is string => !!p);
  const label = [activity || 'Activité non nommée', parts.join(', ')].filter(Boolean).join(' — ');
  return label.slice(0, LABEL_MAX);
}

/**
 * What identifies an OQOS row across files of the same scheme: its printed labels (not its position, which a new
 * version may shift), with an occurrence number for rows printed twice alike. A replacing plan keeps the indicators
 * (savePlan carries them over) and a new run then adds only the rows it does not follow yet.
 */
export function oqosKey(row: Pick<StoredOqosRow, 'activity' | 'table' | 'zone' | 'group' | 'modalite' | 'mention' | 'regime'>, seen: Map<string, number>): string {
  const norm = (s: string | null) => (s ?? '').normalize('NFC').replace(/[’']/g, '\'').replace(/\s+/g, ' ').trim().toLowerCase();
  const base = [row.activity, row.table, row.zone, row.group, row.modalite, row.mention, row.regime].map(norm).join('|');
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return `oqos:${createHash('sha256').update(base).digest('hex').slice(0, 16)}#${n}`;
}

export interface OqosIndicatorsResult {
  planId: string;
  /** OQOS rows read */
  rows: number;
  created: number;
  /** indicators of OQOS rows already there (a second run creates none) */
  alreadyThere: number;
  skipped: { total: number; reasons: { reason: OqosSkipReason; label: string; count: number }[] };
}

/** One indicator per OQOS row with both an « existant » and a « cible » figure; idempotent (keyed by the row). */
export async function oqosIndicators(ctx: UseCaseContext, input: { plan: string }): Promise<OqosIndicatorsResult> {
  requireEditor(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const at = ctx.now().toISOString();
  const counts = new Map<OqosSkipReason, number>();
  const candidates: FollowupIndicator[] = [];
  const seen = new Map<string, number>();
  plan.oqos.forEach((row) => {
    const m = oqosMapping(row);
    if ('skip' in m) { counts.set(m.skip, (counts.get(m.skip) ?? 0) + 1); return; }
    const zone = row.zone ? `, zone ${row.zone}` : '';
    const key = oqosKey(row, seen);
    candidates.push({
      id: `oqos-${createHash('sha256').update(`${plan.id}\u0000${key}`).digest('hex').slice(0, 16)}`, planId: plan.id, objectiveCode: null,
      label: oqosLabel(row), unit: OQOS_UNIT, territory: plan.territory,
      baseline: {
        // the tables print no date for their « existant » (a bilan before the plan): none is invented
        value: m.baseline, date: null,
        source: `OQOS, ${row.table.trim()}${zone} : « existant » ${row.existing!.raw}, « cible » ${row.target!.raw}`.slice(0, SOURCE_MAX),
        sourceRef: row.source,
      },
      target: m.target, dueDate: dueOf(plan), origin: 'oqos', originKey: key,
      createdBy: ctx.actor.name, createdAt: at,
    });
  });
  const inserted = await insertFollowupIndicators(ctx.store, plan.id, candidates, (fresh) => ({
    actor: ctx.actor.name, action: 'indicator.oqos', consultation: plan.consultation, targetType: 'plan', targetId: plan.id,
    after: { created: fresh.length, ids: fresh.map((f) => f.id) }, at,
  }));
  const order: OqosSkipReason[] = ['no_values', 'no_existing', 'no_target', 'not_applicable', 'missing', 'existing_range'];
  const reasons = order.filter((r) => counts.has(r)).map((reason) => ({ reason, label: OQOS_SKIP_LABELS[reason], count: counts.get(reason)! }));
  return {
    planId: plan.id, rows: plan.oqos.length, created: inserted.length, alreadyThere: candidates.length - inserted.length,
    skipped: { total: reasons.reduce((s, r) => s + r.count, 0), reasons },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Manual indicators and measurements

export interface AddIndicatorInput {
  plan: string;
  label: string;
  unit?: string;
  /** objective or défi code of the plan */
  objective?: string | null;
  /** département code (default: the plan's) */
  territory?: string;
  baseline: { value: number; date?: string | null; source: string; sourceRef?: SourceRef | null };
  /** a value, a range or a direction */
  target: { value: number } | { min: number; max: number } | { direction: IndicatorDirection | string };
  /** YYYY-MM-DD or YYYY (default: the plan's end year) */
  dueDate?: string | null;
}

function text(v: unknown, field: string, what: string, max: number, required: boolean): string {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    if (required) throw new UserError('invalid', `Indiquez ${what}.`, field);
    return '';
  }
  if (typeof v !== 'string') throw new UserError('invalid', `${what[0]!.toUpperCase()}${what.slice(1)} doit être un texte.`, field);
  const s = v.trim().replace(/\s+/g, ' ');
  if (s.length > max) throw new UserError('invalid', `${what[0]!.toUpperCase()}${what.slice(1)} dépasse ${max} caractères.`, field);
  return s;
}

function num(v: unknown, field: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError('invalid', `${what} doit être un nombre (par exemple 3 ou 12,5).`, field);
  return v;
}

function targetOf(t: AddIndicatorInput['target'] | undefined): IndicatorTarget {
  if (!t || typeof t !== 'object') throw new UserError('invalid', 'Indiquez la cible : une valeur, une fourchette (minimum et maximum) ou une tendance (hausse ou baisse).', 'target');
  if ('direction' in t) {
    if (!INDICATOR_DIRECTIONS.includes(t.direction as IndicatorDirection)) throw new UserError('invalid', `Tendance inconnue : « ${String(t.direction)} » (possibles : hausse, baisse).`, 'target');
    return { kind: 'direction', direction: t.direction as IndicatorDirection };
  }
  if ('min' in t || 'max' in t) {
    const r = t as { min: unknown; max: unknown };
    const min = num(r.min, 'target', 'Le minimum de la cible'), max = num(r.max, 'target', 'Le maximum de la cible');
    if (min > max) throw new UserError('invalid', `La fourchette cible est inversée : le minimum (${min}) dépasse le maximum (${max}).`, 'target');
    return { kind: 'range', min, max };
  }
  return { kind: 'value', value: num((t as { value: unknown }).value, 'target', 'La valeur cible') };
}

function dateOf(v: unknown, field: string, what: string, yearAllowed: boolean): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !isIndicatorDate(v.trim(), { yearAllowed })) {
    throw new UserError('invalid', `${what} n’est pas une date valide : « ${String(v)} » (attendu : AAAA-MM-JJ${yearAllowed ? ' ou AAAA' : ''}).`, field);
  }
  return v.trim();
}

const objectiveCodes = (plan: StoredPlan) => new Set(plan.engagements.flatMap((e) => e.defis.flatMap((d) => [d.code, ...d.objectives.map((o) => o.code)])));

export async function addIndicator(ctx: UseCaseContext, input: AddIndicatorInput): Promise<FollowupIndicator> {
  requireEditor(ctx);
  const plan = await loadPlan(ctx, input.plan);
  const label = text(input.label, 'label', 'le libellé de l’indicateur', LABEL_MAX, true);
  const unit = text(input.unit, 'unit', 'l’unité', UNIT_MAX, false);
  let objectiveCode: string | null = null;
  if (input.objective !== undefined && input.objective !== null && input.objective !== '') {
    objectiveCode = text(input.objective, 'objective', 'l’objectif', 40, true);
    if (!objectiveCodes(plan).has(objectiveCode)) throw new UserError('invalid', `Le schéma « ${plan.id} » ne contient pas d’objectif ni de défi « ${objectiveCode} ».`, 'objective');
  }
  if (!input.baseline || typeof input.baseline !== 'object') throw new UserError('invalid', 'Indiquez la valeur de départ de l’indicateur et sa source.', 'baseline');
  const baseline = {
    value: num(input.baseline.value, 'baseline', 'La valeur de départ'),
    date: dateOf(input.baseline.date, 'baseline', 'La date de la valeur de départ', true),
    source: text(input.baseline.source, 'baseline', 'la source de la valeur de départ (ligne des chiffres clés, constat, cellule OQOS…)', SOURCE_MAX, true),
    sourceRef: input.baseline.sourceRef ?? null,
  };
  const target = targetOf(input.target);
  const dueDate = input.dueDate === undefined ? dueOf(plan) : dateOf(input.dueDate, 'dueDate', 'L’échéance', true);
  const territory = input.territory === undefined ? plan.territory : text(input.territory, 'territory', 'le territoire', 10, true);
  const at = ctx.now().toISOString();
  const ind: FollowupIndicator = {
    id: `ind-${randomUUID()}`, planId: plan.id, objectiveCode, label, unit, territory, baseline, target, dueDate,
    origin: 'manual', originKey: null, createdBy: ctx.actor.name, createdAt: at,
  };
  await insertFollowupIndicators(ctx.store, plan.id, [ind], () => ({
    actor: ctx.actor.name, action: 'indicator.add', consultation: plan.consultation, targetType: 'followup_indicator', targetId: ind.id,
    after: { plan: plan.id, objective: objectiveCode, baseline: baseline.value, target, dueDate }, at,
  }));
  return ind;
}

export interface AddMeasurementInput {
  indicator: string;
  value: number;
  /** YYYY-MM-DD, not after today */
  date: string;
  source?: string;
}

export async function addMeasurement(ctx: UseCaseContext, input: AddMeasurementInput): Promise<IndicatorMeasurement> {
  requireEditor(ctx);
  const id = text(input.indicator, 'indicator', 'l’indicateur', 200, true);
  const value = num(input.value, 'value', 'La valeur mesurée');
  if (input.date === undefined || input.date === null || input.date === '') throw new UserError('invalid', 'Indiquez la date de la mesure (AAAA-MM-JJ).', 'date');
  const date = dateOf(input.date, 'date', 'La date de la mesure', false)!;
  const now = ctx.now();
  if (date > now.toISOString().slice(0, 10)) throw new UserError('invalid', `La date de la mesure (${date}) est dans le futur.`, 'date');
  const source = text(input.source, 'source', 'la source de la mesure', SOURCE_MAX, false) || 'saisie manuelle';
  const m: IndicatorMeasurement = { id: randomUUID(), indicatorId: id, value, date, source, enteredBy: ctx.actor.name, enteredAt: now.toISOString() };
  return insertFollowupMeasurement(ctx.store, m, (ind) => {
    if (!ind) throw new UserError('not_found', `Indicateur de suivi inconnu : « ${id} ».`, 'indicator');
  }, (consultation) => ({
    actor: ctx.actor.name, action: 'indicator.measure', consultation, targetType: 'followup_indicator', targetId: id,
    after: { measurement: m.id, value, date }, at: m.enteredAt,
  }));
}

export interface IndicatorWithProgress extends FollowupIndicator {
  measurements: IndicatorMeasurement[];
  progress: IndicatorProgress;
}

/** A plan's indicators in their order, each with its measurements (oldest first) and its progress. */
export async function listIndicators(ctx: UseCaseContext, input: { plan: string }): Promise<{ planId: string; indicators: IndicatorWithProgress[] }> {
  const plan = await loadPlan(ctx, input.plan);
  const inds = await listFollowupIndicators(ctx.store, plan.id);
  const ms = await listFollowupMeasurements(ctx.store, inds.map((i) => i.id));
  return {
    planId: plan.id,
    indicators: inds.map((i) => {
      const measurements = ms.get(i.id) ?? [];
      return { ...i, measurements, progress: indicatorProgress(i, measurements) };
    }),
  };
}
