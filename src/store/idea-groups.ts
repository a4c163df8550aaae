/**
 * Human operations on a consultation's idea groups, each in one transaction with its audit entry:
 * the operation reads the groups, changes them, writes them back, and the audit entry keeps the
 * groups touched before and after (what `undo` restores).
 */
import type { IdeaGroup, IdeaMember } from '../domain/ideas.ts';
import type { Provenance } from '../domain/contribution.ts';
import type { Store } from './store.ts';
import { appDb, type AppDb } from './accounts.ts';
import { recordAudit } from './audit.ts';

export async function readGroups(db: AppDb, consultation: string): Promise<IdeaGroup[]> {
  const rows = await db.selectFrom('idea_groups').selectAll().where('consultation', '=', consultation).orderBy('position').execute();
  if (rows.length === 0) return [];
  const members = new Map<string, IdeaMember[]>();
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id);
    const ms = await db.selectFrom('idea_members').selectAll().where('group_id', 'in', ids).orderBy('group_id').orderBy('contribution_id').execute();
    for (const m of ms) {
      const list = members.get(m.group_id) ?? [];
      list.push({ contribution: m.contribution_id, provenance: JSON.parse(m.provenance_json) as Provenance });
      members.set(m.group_id, list);
    }
  }
  return rows.map((r) => {
    const g: IdeaGroup = {
      id: r.id, consultation: r.consultation, parent: r.parent, label: r.label, labelByHuman: r.label_by_human === 1,
      members: members.get(r.id) ?? [], quotes: JSON.parse(r.quotes_json), lineage: JSON.parse(r.lineage_json),
    };
    if (r.theme !== null) g.theme = r.theme;
    if (r.stated_count !== null) g.statedCount = r.stated_count;
    return g;
  });
}

/** Parents before their children, otherwise in the given order. */
function parentsFirst(groups: IdeaGroup[]): IdeaGroup[] {
  const ids = new Set(groups.map((g) => g.id));
  const out: IdeaGroup[] = [];
  const placed = new Set<string>();
  let pending = groups;
  while (pending.length) {
    const next: IdeaGroup[] = [];
    for (const g of pending) {
      if (g.parent === null || !ids.has(g.parent) || placed.has(g.parent)) { out.push(g); placed.add(g.id); } else next.push(g);
    }
    if (next.length === pending.length) { out.push(...next); break; }
    pending = next;
  }
  return out;
}

export async function writeGroups(db: AppDb, consultation: string, groups: IdeaGroup[]): Promise<void> {
  await db.deleteFrom('idea_groups').where('consultation', '=', consultation).execute();
  const ordered = parentsFirst(groups);
  const rows = ordered.map((g, i) => ({
    id: g.id, consultation, parent: g.parent, theme: g.theme ?? null, label: g.label, label_by_human: g.labelByHuman ? 1 : 0,
    quotes_json: JSON.stringify(g.quotes), lineage_json: JSON.stringify(g.lineage), stated_count: g.statedCount ?? null, position: i,
  }));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('idea_groups').values(rows.slice(i, i + 200)).execute();
  const members = ordered.flatMap((g) => g.members.map((m) => ({ group_id: g.id, contribution_id: m.contribution, provenance_json: JSON.stringify(m.provenance) })));
  for (let i = 0; i < members.length; i += 200) await db.insertInto('idea_members').values(members.slice(i, i + 200)).execute();
}

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
export async function changeGroups<T>(store: Store, consultation: string, audit: { actor: string; action: string; targetId: string },
  op: (groups: IdeaGroup[]) => GroupChange<T> | Promise<GroupChange<T>>): Promise<T> {
  return appDb(store).transaction().execute(async (trx) => {
    const before = await readGroups(trx, consultation);
    const change = await op(structuredClone(before));
    const touched = new Set(change.touched);
    await writeGroups(trx, consultation, change.groups);
    await recordAudit(trx, {
      actor: audit.actor, action: audit.action, consultation, targetType: 'group', targetId: audit.targetId,
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
export async function undoGroupChange(store: Store, entry: { id: number; consultation: string | null; before: unknown; after: unknown }, actor: string):
  Promise<'undone' | 'conflict'> {
  const consultation = entry.consultation;
  if (!consultation) return 'conflict';
  const before = entry.before as GroupSnapshot;
  const after = entry.after as GroupSnapshot;
  return appDb(store).transaction().execute(async (trx) => {
    const current = await readGroups(trx, consultation);
    const byId = new Map(current.map((g) => [g.id, g]));
    const norm = (g: IdeaGroup) => canonical({ ...g, members: [...g.members].sort((a, b) => a.contribution.localeCompare(b.contribution)) });
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
    await writeGroups(trx, consultation, order.map((id) => all.get(id)!));
    await trx.updateTable('audit_log').set({ undone_at: new Date().toISOString() }).where('id', '=', entry.id).execute();
    await recordAudit(trx, { actor, action: 'undo', consultation, targetType: 'audit', targetId: String(entry.id), before: after, after: before });
    return 'undone' as const;
  });
}

/** JSON with sorted keys (and without undefined values), to compare objects built in different orders. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
