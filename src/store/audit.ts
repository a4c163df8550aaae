/**
 * Audit log: every change made through the web application to contributions, groups, themes and
 * syntheses (who, when, what, before/after as JSON). `undo` reads it back.
 */
import type { Store } from './store.ts';
import { appDb, type AppDb } from './accounts.ts';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  consultation: string | null;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  undoneAt: string | null;
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  consultation?: string | null;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  at?: string;
}

/** Writes one entry; pass the transaction of the change so both are stored or neither. */
export async function recordAudit(db: AppDb, e: NewAuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({
    at: e.at ?? new Date().toISOString(), actor: e.actor, action: e.action, consultation: e.consultation ?? null,
    target_type: e.targetType, target_id: e.targetId,
    before_json: e.before === undefined ? null : JSON.stringify(e.before),
    after_json: e.after === undefined ? null : JSON.stringify(e.after),
    undone_at: null,
  }).execute();
}

function fromRow(r: { id: number; at: string; actor: string; action: string; consultation: string | null; target_type: string; target_id: string; before_json: string | null; after_json: string | null; undone_at: string | null }): AuditEntry {
  return {
    id: Number(r.id), at: r.at, actor: r.actor, action: r.action, consultation: r.consultation, targetType: r.target_type, targetId: r.target_id,
    before: r.before_json === null ? null : JSON.parse(r.before_json), after: r.after_json === null ? null : JSON.parse(r.after_json),
    undoneAt: r.undone_at,
  };
}

export async function listAudit(store: Store, filter: { consultation?: string; actor?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  let q = appDb(store).selectFrom('audit_log').selectAll();
  if (filter.consultation) q = q.where('consultation', '=', filter.consultation);
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map(fromRow);
}

/** The actor's most recent entry among `actions` that was not undone yet. */
export async function lastUndoable(db: AppDb, actor: string, actions: readonly string[]): Promise<AuditEntry | undefined> {
  const r = await db.selectFrom('audit_log').selectAll()
    .where('actor', '=', actor).where('action', 'in', [...actions]).where('undone_at', 'is', null)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export async function markUndone(db: AppDb, id: number, at = new Date().toISOString()): Promise<void> {
  await db.updateTable('audit_log').set({ undone_at: at }).where('id', '=', id).execute();
}
