/**
 * Human operations on a consultation's idea groups, each in one transaction with its audit entry:
 * the operation reads the groups, changes them, writes them back, and the audit entry keeps the
 * groups touched before and after (what `undo` restores).
 */
import type { IdeaGroup } from '../domain/ideas.ts';
import { readIdeaGroups, writeIdeaGroups, type Store } from './store.ts';
import { appDb, type AppDb } from './accounts.ts';
import { lockConsultation } from './analysis.ts';
import { lastUndoable, recordAudit, type AuditEntry } from './audit.ts';
import { canonicalJson } from '../domain/json.ts';

export interface GroupChange<T> {
  /** the new list of the consultation's groups */
  groups: IdeaGroup[];
  /** ids of the groups the operation touched, before and after (removed or created ones included) */
  touched: string[];
  result: T;
}

/**
 * Runs a group operation in one transaction: `op` gets the current groups and returns the new ones;
 * the audit entry records the touched groups before and after.
 */
export async function changeGroups<T>(store: Store, consultation: string, audit: { actor: string; action: string; targetId: string; at?: string },
  op: (groups: IdeaGroup[]) => GroupChange<T> | Promise<GroupChange<T>>): Promise<T> {
  return store.db.transaction().execute(async (db) => {
    // writers of the consultation's groups take turns, across processes too
    await lockConsultation(store, db, consultation);
    const trx = db;
    const before = await readIdeaGroups(trx, consultation);
    const change = await op(structuredClone(before));
    const touched = new Set(change.touched);
    await writeIdeaGroups(trx, consultation, change.groups);
    await recordAudit(trx, {
      actor: audit.actor, action: audit.action, consultation, targetType: 'group', targetId: audit.targetId, ...(audit.at ? { at: audit.at } : {}),
      before: { groups: before.filter((g) => touched.has(g.id)), order: before.map((g) => g.id) },
      after: { groups: change.groups.filter((g) => touched.has(g.id)), order: change.groups.map((g) => g.id) },
    });
    return change.result;
  });
}

interface GroupSnapshot { groups: IdeaGroup[]; order: string[] }

/**
 * Undoes a recorded group operation: the groups it touched go back to their state before, provided
 * they are still as the operation left them (otherwise `conflict` and nothing changes).
 */
export async function undoGroupChange(store: Store, entry: { id: number; consultation: string | null; before: unknown; after: unknown }, actor: string,
  at = new Date().toISOString()): Promise<'undone' | 'conflict'> {
  const consultation = entry.consultation;
  if (!consultation) return 'conflict';
  const before = entry.before as GroupSnapshot;
  const after = entry.after as GroupSnapshot;
  return store.db.transaction().execute(async (db) => {
    await lockConsultation(store, db, consultation);
    const trx = db;
    const current = await readIdeaGroups(trx, consultation);
    const byId = new Map(current.map((g) => [g.id, g]));
    const norm = (g: IdeaGroup) => canonicalJson({ ...g, members: [...g.members].sort((a, b) => a.contribution.localeCompare(b.contribution)) });
    for (const g of after.groups) {
      const now = byId.get(g.id);
      if (!now || norm(now) !== norm(g)) return 'conflict' as const;
    }
    const afterIds = new Set(after.groups.map((g) => g.id));
    const beforeIds = new Set(before.groups.map((g) => g.id));
    // a group created by the operation and removed since: nothing to restore over
    for (const id of beforeIds) if (!afterIds.has(id) && byId.has(id)) return 'conflict' as const;
    const restored = new Map(before.groups.map((g) => [g.id, g]));
    const kept = current.filter((g) => !afterIds.has(g.id));
    const all = new Map<string, IdeaGroup>([...kept.map((g) => [g.id, g] as const), ...restored]);
    const order = [...before.order.filter((id) => all.has(id)), ...[...all.keys()].filter((id) => !before.order.includes(id))];
    await writeIdeaGroups(trx, consultation, order.map((id) => all.get(id)!));
    await trx.updateTable('audit_log').set({ undone_at: at }).where('id', '=', entry.id).execute();
    await recordAudit(trx, { actor, action: 'undo', consultation, targetType: 'audit', targetId: String(entry.id), at, before: after, after: before });
    return 'undone' as const;
  });
}

/** The actor's most recent entry among `actions` not undone yet. */
export function lastUndoableChange(store: Store, actor: string, actions: readonly string[]): Promise<AuditEntry | undefined> {
  return lastUndoable(appDb(store), actor, actions);
}

