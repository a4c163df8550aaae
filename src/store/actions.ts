/**
 * Follow-up actions of a plan (issue 15, migration 0022_actions) and their timeline. Every write is one
 * transaction with its timeline entries and its audit entry: a failure leaves nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ActionScope, ActionStatus } from '../domain/followup.ts';
import type { SourceRef } from '../domain/source.ts';
import type { ActionAccountRow, FollowupActionRow, FollowupTimelineRow } from './action-schema.ts';
import { recordAudit, type NewAuditEntry } from './audit.ts';
import type { DatabaseHandle, Db } from './schema.ts';

export interface FollowupAction {
  id: string;
  planId: string;
  objectiveCode: string;
  parentId: string | null;
  weight: number;
  title: string;
  description: string | null;
  owner: { organisation: string | null; contact: string | null };
  partners: string[];
  scope: ActionScope;
  status: ActionStatus;
  statusReason: string | null;
  startDate: string | null;
  dueDate: string | null;
  /** entered progress (0–100), null when never entered */
  progress: number | null;
  budget: number | null;
  source: SourceRef | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** The fields an update may change (the rest is the action's identity and history). */
export type ActionFields = Pick<FollowupAction, 'title' | 'description' | 'owner' | 'partners' | 'scope' | 'status' | 'statusReason'
  | 'startDate' | 'dueDate' | 'progress' | 'budget' | 'weight'>;

export interface TimelineEntry {
  id: number;
  actionId: string;
  at: string;
  actor: string;
  kind: 'created' | 'updated';
  changes: Record<string, { before: unknown; after: unknown }>;
  comment: string | null;
}

export interface NewFollowupAction {
  objectiveCode: string;
  parentId?: string | null;
  weight?: number;
  title: string;
  description?: string | null;
  partners: string[];
  scope?: ActionScope;
  source?: SourceRef | null;
  importKey?: string | null;
}

function fromRow(r: FollowupActionRow): FollowupAction {
  return {
    id: r.id, planId: r.plan_id, objectiveCode: r.objective_code, parentId: r.parent_id, weight: Number(r.weight),
    title: r.title, description: r.description, owner: { organisation: r.owner_organisation, contact: r.owner_contact },
    partners: JSON.parse(r.partners_json) as string[], scope: r.scope as ActionScope, status: r.status as ActionStatus,
    statusReason: r.status_reason, startDate: r.start_date, dueDate: r.due_date,
    progress: r.progress === null ? null : Number(r.progress), budget: r.budget === null ? null : Number(r.budget),
    source: r.source_json ? JSON.parse(r.source_json) as SourceRef : null,
    createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at,
  };
}

const toColumns = (f: Partial<ActionFields>): Partial<FollowupActionRow> => ({
  ...(f.title !== undefined ? { title: f.title } : {}),
  ...(f.description !== undefined ? { description: f.description } : {}),
  ...(f.owner !== undefined ? { owner_organisation: f.owner.organisation, owner_contact: f.owner.contact } : {}),
  ...(f.partners !== undefined ? { partners_json: JSON.stringify(f.partners) } : {}),
  ...(f.scope !== undefined ? { scope: f.scope } : {}),
  ...(f.status !== undefined ? { status: f.status } : {}),
  ...(f.statusReason !== undefined ? { status_reason: f.statusReason } : {}),
  ...(f.startDate !== undefined ? { start_date: f.startDate } : {}),
  ...(f.dueDate !== undefined ? { due_date: f.dueDate } : {}),
  ...(f.progress !== undefined ? { progress: f.progress } : {}),
  ...(f.budget !== undefined ? { budget: f.budget } : {}),
  ...(f.weight !== undefined ? { weight: f.weight } : {}),
});

async function insertTimeline(db: Db, e: { actionId: string; planId: string; at: string; actor: string; kind: TimelineEntry['kind']; changes: TimelineEntry['changes']; comment: string | null }): Promise<void> {
  await db.insertInto('followup_timeline').values({
    action_id: e.actionId, plan_id: e.planId, at: e.at, actor: e.actor, kind: e.kind, changes_json: JSON.stringify(e.changes), comment: e.comment,
  }).execute();
}

/**
 * Inserts the actions whose import key the plan does not hold yet, each with its « created » timeline entry,
 * and one audit entry for the batch (counts and ids, not the texts). Returns the ids created.
 */
export async function insertActions(store: DatabaseHandle, input: {
  planId: string; actions: NewFollowupAction[]; actor: string; at: string; audit: (created: string[], existing: number) => NewAuditEntry | null;
}): Promise<{ created: string[]; existing: number }> {
  return store.db.transaction().execute(async (trx) => {
    const keys = new Set((await trx.selectFrom('followup_actions').select('import_key').where('plan_id', '=', input.planId)
      .where('import_key', 'is not', null).execute()).map((r) => r.import_key));
    const created: string[] = [];
    let existing = 0;
    for (const a of input.actions) {
      if (a.importKey && keys.has(a.importKey)) { existing++; continue; }
      const id = randomUUID();
      await trx.insertInto('followup_actions').values({
        id, plan_id: input.planId, objective_code: a.objectiveCode, parent_id: a.parentId ?? null, weight: a.weight ?? 1,
        title: a.title, description: a.description ?? null, owner_organisation: null, owner_contact: null,
        partners_json: JSON.stringify(a.partners), scope: a.scope ?? 'territorial', status: 'proposee', status_reason: null,
        start_date: null, due_date: null, progress: null, budget: null, source_json: a.source ? JSON.stringify(a.source) : null,
        import_key: a.importKey ?? null, created_at: input.at, created_by: input.actor, updated_at: input.at,
      }).execute();
      await insertTimeline(trx, { actionId: id, planId: input.planId, at: input.at, actor: input.actor, kind: 'created', changes: { status: { before: null, after: 'proposee' } }, comment: null });
      if (a.importKey) keys.add(a.importKey);
      created.push(id);
    }
    const audit = input.audit(created, existing);
    if (audit) await recordAudit(trx, audit);
    return { created, existing };
  });
}

/** The follow-up of plans about to be replaced, read before their rows cascade away (savePlan). */
export async function readFollowupOf(db: Db, planIds: string[]): Promise<{ actions: FollowupActionRow[]; timeline: Selectable<FollowupTimelineRow>[]; accounts?: ActionAccountRow[] }> {
  if (planIds.length === 0) return { actions: [], timeline: [], accounts: [] };
  return {
    actions: await db.selectFrom('followup_actions').selectAll().where('plan_id', 'in', planIds).orderBy('created_at').orderBy('id').execute(),
    timeline: await db.selectFrom('followup_timeline').selectAll().where('plan_id', 'in', planIds).orderBy('id').execute(),
    accounts: await db.selectFrom('action_accounts').selectAll()
      .where('action_id', 'in', db.selectFrom('followup_actions').select('id').where('plan_id', 'in', planIds)).execute(),
  };
}

/**
 * Carries the follow-up of replaced plans to the plan that replaces them (same ids, same timeline): a new
 * version of the document must not lose who owns what. Parents are written before their children.
 */
export async function carryFollowup(db: Db, saved: { actions: FollowupActionRow[]; timeline: Selectable<FollowupTimelineRow>[]; accounts?: ActionAccountRow[] }, planId: string): Promise<number> {
  const done = new Set<string>();
  let pending = saved.actions;
  while (pending.length) {
    const ready = pending.filter((a) => a.parent_id === null || done.has(a.parent_id) || !saved.actions.some((b) => b.id === a.parent_id));
    if (ready.length === 0) break;
    for (const a of ready) {
      await db.insertInto('followup_actions').values({ ...a, plan_id: planId, parent_id: a.parent_id && done.has(a.parent_id) ? a.parent_id : null }).execute();
      done.add(a.id);
    }
    pending = pending.filter((a) => !done.has(a.id));
  }
  for (const t of saved.timeline) {
    if (!done.has(t.action_id)) continue;
    const { id: _, ...row } = t;
    await db.insertInto('followup_timeline').values({ ...row, plan_id: planId }).execute();
  }
  // the accounts that manage them (migration 0024_action_accounts) follow the actions
  for (const a of saved.accounts ?? []) if (done.has(a.action_id)) await db.insertInto('action_accounts').values(a).execute();
  return done.size;
}

export async function listPlanActions(store: DatabaseHandle, planId: string): Promise<FollowupAction[]> {
  const rows = await store.db.selectFrom('followup_actions').selectAll().where('plan_id', '=', planId)
    .orderBy('objective_code').orderBy('created_at').orderBy('import_key').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function readAction(db: Db, id: string): Promise<FollowupAction | undefined> {
  const r = await db.selectFrom('followup_actions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Whether an action has child actions (its progress is then computed); pass the transaction of the change. */
export async function hasChildActions(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('followup_actions').select('id').where('parent_id', '=', id).limit(1).execute()).length > 0;
}

export async function findAction(store: DatabaseHandle, id: string): Promise<FollowupAction | undefined> {
  return readAction(store.db, id);
}

/**
 * Applies a change to one action: `decide` runs inside the transaction on the current row (it throws the use
 * case's French errors and returns the fields to set), then the row, its timeline entry (only the fields that
 * changed) and the audit entry are written together. No change, no entry.
 */
export async function updateActionRow(store: DatabaseHandle, input: {
  id: string; actor: string; at: string; comment: string | null;
  decide: (current: FollowupAction, db: Db) => Promise<Partial<ActionFields>> | Partial<ActionFields>;
  audit: (before: FollowupAction, after: FollowupAction, changes: TimelineEntry['changes']) => NewAuditEntry;
}): Promise<{ action: FollowupAction; changes: TimelineEntry['changes'] }> {
  return store.db.transaction().execute(async (trx) => {
    // the row is locked until the commit (PostgreSQL; a SQLite write transaction holds the database's lock): two
    // simultaneous changes take turns, so each decides on the other's result and the timeline's « before » is true
    const q = trx.selectFrom('followup_actions').selectAll().where('id', '=', input.id);
    const row = await (store.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
    const current = row ? fromRow(row) : undefined;
    if (!current) throw new Error(`follow-up action ${input.id} vanished`);
    const patch = await input.decide(current, trx);
    const changes: TimelineEntry['changes'] = {};
    for (const [k, v] of Object.entries(patch) as [keyof ActionFields, unknown][]) {
      const before = current[k];
      if (JSON.stringify(before) !== JSON.stringify(v)) changes[k] = { before, after: v };
    }
    if (Object.keys(changes).length === 0 && input.comment === null) return { action: current, changes };
    const changed = Object.fromEntries(Object.keys(changes).map((k) => [k, patch[k as keyof ActionFields]])) as Partial<ActionFields>;
    await trx.updateTable('followup_actions').where('id', '=', input.id).set({ ...toColumns(changed), updated_at: input.at }).execute();
    await insertTimeline(trx, { actionId: input.id, planId: current.planId, at: input.at, actor: input.actor, kind: 'updated', changes, comment: input.comment });
    const after = (await readAction(trx, input.id))!;
    await recordAudit(trx, input.audit(current, after, changes));
    return { action: after, changes };
  });
}

export async function listTimeline(store: DatabaseHandle, filter: { actionId?: string; planId?: string }): Promise<TimelineEntry[]> {
  let q = store.db.selectFrom('followup_timeline').selectAll();
  if (filter.actionId) q = q.where('action_id', '=', filter.actionId);
  if (filter.planId) q = q.where('plan_id', '=', filter.planId);
  return (await q.orderBy('id').execute()).map((r) => ({
    id: Number(r.id), actionId: r.action_id, at: r.at, actor: r.actor, kind: r.kind as TimelineEntry['kind'],
    changes: JSON.parse(r.changes_json) as TimelineEntry['changes'], comment: r.comment,
  }));
}
