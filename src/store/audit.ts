/**
 * Audit log: every change made through the web application to contributions, groups, themes and
 * syntheses (who, when, what, before/after as JSON). `undo` reads it back.
 */
import type { DatabaseHandle, Db } from './schema.ts';

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
export async function recordAudit(db: Db, e: NewAuditEntry): Promise<void> {
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

export async function listAudit(store: DatabaseHandle, filter: { consultation?: string; actor?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  let q = store.db.selectFrom('audit_log').selectAll();
  if (filter.consultation) q = q.where('consultation', '=', filter.consultation);
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map(fromRow);
}

/** The actor's most recent entry among `actions` that was not undone yet. */
export async function lastUndoable(db: Db, actor: string, actions: readonly string[]): Promise<AuditEntry | undefined> {
  const r = await db.selectFrom('audit_log').selectAll()
    .where('actor', '=', actor).where('action', 'in', [...actions]).where('undone_at', 'is', null)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Default number of days the audit log keeps the texts of rejected or deleted contributions. */
export const DEFAULT_AUDIT_TEXT_RETENTION_DAYS = 90;

/** Moderation statuses whose texts must not outlive the retention period in the audit log. */
const DISCARDED_STATUSES = ['rejected', 'spam'];

/** Keys of audit JSON that hold a contribution's words (the text, the original, each masked span's original). */
const TEXT_KEYS = new Set(['text', 'original', 'original_text', 'originalText']);

/** A copy of `value` without any text field, at any depth, and whether one was removed. */
function withoutTexts(value: unknown): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => { const r = withoutTexts(v); changed ||= r.changed; return r.value; });
    return { value: out, changed };
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (TEXT_KEYS.has(k)) { changed = true; continue; }
      const r = withoutTexts(v);
      changed ||= r.changed;
      out[k] = r.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

/** `FABRIQUE_AUDIT_TEXT_RETENTION_DAYS` (a whole number of days ≥ 0), else the default. */
export function auditTextRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FABRIQUE_AUDIT_TEXT_RETENTION_DAYS?.trim();
  if (!raw) return DEFAULT_AUDIT_TEXT_RETENTION_DAYS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`FABRIQUE_AUDIT_TEXT_RETENTION_DAYS doit être un nombre entier de jours (reçu « ${raw} »).`);
  return n;
}

/**
 * Strips the texts (`text`, `original`… at any depth of before/after) from audit entries about
 * contributions that were rejected (or marked spam) or deleted, once both the entry and the decision
 * are older than `days`. Who, when, which action, status and reason stay. Idempotent; each batch of
 * entries is rewritten in one transaction. Returns how many entries were stripped.
 */
export async function purgeAuditTexts(store: DatabaseHandle, o: { days: number; now?: Date }): Promise<number> {
  const cutoff = new Date((o.now ?? new Date()).getTime() - o.days * 86_400_000).toISOString();
  const db = store.db;
  let purged = 0;
  let afterId = 0;
  for (;;) {
    // entries that still hold a text, about a contribution deleted or discarded before the cutoff
    // (the LIKE keeps already-stripped rows out of later runs)
    const rows = await db.selectFrom('audit_log as a').leftJoin('contributions as c', 'c.id', 'a.target_id')
      .select(['a.id', 'a.before_json', 'a.after_json'])
      .where('a.target_type', '=', 'contribution').where('a.at', '<', cutoff).where('a.id', '>', afterId)
      .where((eb) => eb.or([
        eb('c.id', 'is', null),
        eb.and([eb('c.moderation_status', 'in', DISCARDED_STATUSES), eb('c.moderation_at', '<', cutoff)]),
      ]))
      .where((eb) => eb.or([eb('a.before_json', 'like', '%"text"%'), eb('a.after_json', 'like', '%"text"%'),
        eb('a.before_json', 'like', '%"original%'), eb('a.after_json', 'like', '%"original%')]))
      .orderBy('a.id').limit(500).execute();
    if (rows.length === 0) break;
    afterId = Number(rows[rows.length - 1]!.id);
    const updates: { id: number; before_json: string | null; after_json: string | null }[] = [];
    for (const r of rows) {
      const strip = (json: string | null) => {
        if (json === null) return { json, changed: false };
        const { value, changed } = withoutTexts(JSON.parse(json));
        return { json: changed ? JSON.stringify(value) : json, changed };
      };
      const b = strip(r.before_json);
      const a = strip(r.after_json);
      if (b.changed || a.changed) updates.push({ id: Number(r.id), before_json: b.json, after_json: a.json });
    }
    if (updates.length) {
      await db.transaction().execute(async (trx) => {
        for (const u of updates) await trx.updateTable('audit_log').set({ before_json: u.before_json, after_json: u.after_json }).where('id', '=', u.id).execute();
      });
      purged += updates.length;
    }
  }
  return purged;
}
