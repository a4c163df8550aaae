/**
 * Follow-up indicators of a plan and their measurements (issue 15, migration 0023_followup_indicators). Every
 * write runs in one transaction with its audit entry (figures and ids, no contribution text).
 */
import type { FollowupIndicator, IndicatorDirection, IndicatorMeasurement, IndicatorOrigin, IndicatorTarget } from '../domain/followup-indicators.ts';
import type { SourceRef } from '../domain/source.ts';
import { recordAudit, type NewAuditEntry } from './audit.ts';
import type { FollowupIndicatorRow, FollowupMeasurementRow } from './followup-indicator-schema.ts';
import type { DatabaseHandle, Db } from './schema.ts';

function targetOf(r: FollowupIndicatorRow): IndicatorTarget {
  if (r.target_kind === 'range') return { kind: 'range', min: Number(r.target_min), max: Number(r.target_max) };
  if (r.target_kind === 'direction') return { kind: 'direction', direction: r.target_direction as IndicatorDirection };
  return { kind: 'value', value: Number(r.target_value) };
}

export function indicatorFromRow(r: FollowupIndicatorRow): FollowupIndicator {
  return {
    id: r.id, planId: r.plan_id, objectiveCode: r.objective_code, label: r.label, unit: r.unit, territory: r.territory,
    baseline: {
      value: Number(r.baseline_value), date: r.baseline_date, source: r.baseline_source,
      sourceRef: r.baseline_source_json ? JSON.parse(r.baseline_source_json) as SourceRef : null,
    },
    target: targetOf(r), dueDate: r.due_date, origin: r.origin as IndicatorOrigin, originKey: r.origin_key,
    createdBy: r.created_by, createdAt: r.created_at,
  };
}

function rowOf(i: FollowupIndicator, position: number): FollowupIndicatorRow {
  const t = i.target;
  return {
    id: i.id, plan_id: i.planId, objective_code: i.objectiveCode, label: i.label, unit: i.unit, territory: i.territory,
    baseline_value: i.baseline.value, baseline_date: i.baseline.date, baseline_source: i.baseline.source,
    baseline_source_json: i.baseline.sourceRef ? JSON.stringify(i.baseline.sourceRef) : null,
    target_kind: t.kind,
    target_value: t.kind === 'value' ? t.value : null,
    target_min: t.kind === 'range' ? t.min : null,
    target_max: t.kind === 'range' ? t.max : null,
    target_direction: t.kind === 'direction' ? t.direction : null,
    due_date: i.dueDate, origin: i.origin, origin_key: i.originKey, position,
    created_by: i.createdBy, created_at: i.createdAt,
  };
}

const measurementFromRow = (r: FollowupMeasurementRow): IndicatorMeasurement => ({
  id: r.id, indicatorId: r.indicator_id, value: Number(r.value), date: r.date, source: r.source, enteredBy: r.entered_by, enteredAt: r.entered_at,
});

export async function listFollowupIndicators(store: DatabaseHandle | { db: Db }, planId: string): Promise<FollowupIndicator[]> {
  const rows = await store.db.selectFrom('followup_indicators').selectAll().where('plan_id', '=', planId).orderBy('position').orderBy('id').execute();
  return rows.map(indicatorFromRow);
}

export async function findFollowupIndicator(store: DatabaseHandle, id: string): Promise<FollowupIndicator | undefined> {
  const r = await store.db.selectFrom('followup_indicators').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? indicatorFromRow(r) : undefined;
}

/** Measurements of the given indicators, by indicator, oldest first. */
export async function listFollowupMeasurements(store: DatabaseHandle, indicatorIds: readonly string[]): Promise<Map<string, IndicatorMeasurement[]>> {
  const out = new Map<string, IndicatorMeasurement[]>(indicatorIds.map((id) => [id, []]));
  for (let i = 0; i < indicatorIds.length; i += 500) {
    const ids = indicatorIds.slice(i, i + 500);
    const rows = await store.db.selectFrom('followup_measurements').selectAll().where('indicator_id', 'in', ids)
      .orderBy('date').orderBy('entered_at').orderBy('id').execute();
    for (const r of rows) out.get(r.indicator_id)!.push(measurementFromRow(r));
  }
  return out;
}

/**
 * Inserts the indicators whose origin key the plan does not hold yet (one transaction, one audit entry when any is
 * new). Returns those inserted; the others already existed.
 */
export async function insertFollowupIndicators(store: DatabaseHandle, planId: string, indicators: readonly FollowupIndicator[], audit: (inserted: FollowupIndicator[]) => NewAuditEntry): Promise<FollowupIndicator[]> {
  return store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('followup_indicators').select(['origin_key', 'position']).where('plan_id', '=', planId).execute();
    const keys = new Set(existing.map((r) => r.origin_key).filter((k): k is string => k !== null));
    let position = existing.reduce((m, r) => Math.max(m, Number(r.position)), -1) + 1;
    const fresh = indicators.filter((i) => i.originKey === null || !keys.has(i.originKey));
    for (let i = 0; i < fresh.length; i += 50) {
      await trx.insertInto('followup_indicators').values(fresh.slice(i, i + 50).map((ind) => rowOf(ind, position++))).execute();
    }
    if (fresh.length) await recordAudit(trx, audit(fresh));
    return fresh;
  });
}

/**
 * Adds one measurement with its audit entry, in one transaction; `check` runs inside it on the indicator read there,
 * `audit` gets the consultation of the indicator's plan (the audit log is filtered by consultation).
 */
export async function insertFollowupMeasurement(store: DatabaseHandle, m: IndicatorMeasurement, check: (ind: FollowupIndicator | undefined) => void, audit: (consultation: string | null) => NewAuditEntry): Promise<IndicatorMeasurement> {
  return store.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('followup_indicators').selectAll().where('id', '=', m.indicatorId).executeTakeFirst();
    check(r ? indicatorFromRow(r) : undefined);
    const plan = await trx.selectFrom('plans').select('consultation').where('id', '=', r!.plan_id).executeTakeFirst();
    await trx.insertInto('followup_measurements').values({
      id: m.id, indicator_id: m.indicatorId, value: m.value, date: m.date, source: m.source, entered_by: m.enteredBy, entered_at: m.enteredAt,
    }).execute();
    await recordAudit(trx, audit(plan?.consultation ?? null));
    return m;
  });
}

export interface FollowupCarry { indicators: FollowupIndicatorRow[]; measurements: FollowupMeasurementRow[] }

/** The follow-up indicators and measurements of plans about to be replaced, read before they cascade away. */
export async function readFollowupIndicatorsOf(db: Db, planIds: readonly string[]): Promise<FollowupCarry> {
  if (planIds.length === 0) return { indicators: [], measurements: [] };
  const indicators = await db.selectFrom('followup_indicators').selectAll().where('plan_id', 'in', [...planIds]).orderBy('plan_id').orderBy('position').execute();
  const ids = indicators.map((i) => i.id);
  const measurements: FollowupMeasurementRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    measurements.push(...await db.selectFrom('followup_measurements').selectAll().where('indicator_id', 'in', ids.slice(i, i + 500)).execute());
  }
  return { indicators, measurements };
}

/**
 * A new file of the same scheme replaces its plan: the indicators and their measurements move to the new plan
 * (measurements are entered by people, never to be lost with a re-import). An objective code the new plan no longer
 * has is cleared. Two older plans following the same OQOS row: the first keeps it. Returns how many moved.
 */
export async function carryFollowupIndicators(db: Db, carry: FollowupCarry, plan: { id: string; codes: ReadonlySet<string> }): Promise<number> {
  const keys = new Set<string>();
  const kept = carry.indicators.filter((r) => {
    if (r.origin_key === null) return true;
    if (keys.has(r.origin_key)) return false;
    keys.add(r.origin_key);
    return true;
  });
  const ids = new Set(kept.map((r) => r.id));
  for (let i = 0; i < kept.length; i += 50) {
    await db.insertInto('followup_indicators').values(kept.slice(i, i + 50).map((r, j) => ({
      ...r, plan_id: plan.id, position: i + j, objective_code: r.objective_code !== null && plan.codes.has(r.objective_code) ? r.objective_code : null,
    }))).execute();
  }
  const ms = carry.measurements.filter((m) => ids.has(m.indicator_id));
  for (let i = 0; i < ms.length; i += 100) await db.insertInto('followup_measurements').values(ms.slice(i, i + 100)).execute();
  return kept.length;
}
