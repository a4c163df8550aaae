/**
 * Repository of a consultation's analysis results: model theme and kind assignments, trained models and the
 * analysed idea groups, written together in one transaction with their audit entry.
 *
 * Concurrency across processes: an analysis reads its inputs, computes for a while outside any transaction,
 * then writes. Its write is a compare-and-set on the consultation's *analysis version* — the id of the last
 * audit entry that changed groups or themes (every such change is audited in its own transaction) — checked
 * with the consultation row locked. Another analysis, or a human edit of the groups, that landed meanwhile
 * makes the write refuse (`conflict`) instead of overwriting it.
 */
import { sql, type Transaction } from 'kysely';
import type { Contribution, Provenance, ThemeAssignment } from '../domain/contribution.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import type { Database } from './schema.ts';
import { appDb, type AppDb } from './accounts.ts';
import { recordAudit } from './audit.ts';
import { pruneIdeaLinks } from './links.ts';
import { readIdeaGroups, saveAnalysisModelIn, writeIdeaGroups, type ModelResults, type Store } from './store.ts';

/** Audited actions that change what an analysis reads and writes (groups, themes, and their undo). */
function analysisActions(db: AppDb, consultation: string) {
  return db.selectFrom('audit_log').where('consultation', '=', consultation)
    .where((eb) => eb.or([eb('action', 'like', 'groups.%'), eb('action', 'like', 'themes.%'), eb('action', '=', 'undo')]));
}

/** The consultation's analysis version: 0 when its groups and themes were never changed through an audited action. */
export async function analysisVersion(store: Store, consultation: string): Promise<number> {
  return versionIn(appDb(store), consultation);
}

async function versionIn(db: AppDb, consultation: string): Promise<number> {
  const row = await analysisActions(db, consultation).select((eb) => eb.fn.max('id').as('version')).executeTakeFirst();
  return Number(row?.version ?? 0);
}

/**
 * Locks the consultation's row for the rest of the transaction, so that writers of its groups take turns across
 * processes. On SQLite every write transaction already holds the database's write lock (BEGIN IMMEDIATE).
 */
export async function lockConsultation(store: Store, trx: Transaction<Database>, consultation: string): Promise<void> {
  if (store.dialect !== 'postgres') return;
  await sql`SELECT slug FROM consultations WHERE slug = ${consultation} FOR UPDATE`.execute(trx);
}

export interface AnalysisWrite {
  consultation: string;
  /** the analysis version read before the inputs were loaded */
  expectedVersion: number;
  at: string;
  models: { purpose: string; version: string; metadata: unknown; model: unknown }[];
  themes: NonNullable<ModelResults['themes']>;
  kinds: NonNullable<ModelResults['kinds']>;
  /** the new analysed groups; the stated groups of human syntheses are kept as stored */
  groups: IdeaGroup[];
  /** the audit entry's actor, and the classification summaries it records (their `assigned` counts come from this write) */
  audit: { actor: string; themes: Record<string, unknown>; kinds: Record<string, unknown> };
}

export type AnalysisWriteOutcome =
  | { outcome: 'saved'; themes: number; kinds: number; groupsBefore: number; groupsAfter: number }
  | { outcome: 'conflict'; version: number };

/** Writes an analysis' results, only if the consultation's analysis version is still the expected one. */
export async function saveAnalysis(store: Store, w: AnalysisWrite): Promise<AnalysisWriteOutcome> {
  return store.db.transaction().execute(async (trx) => {
    await lockConsultation(store, trx, w.consultation);
    const version = await versionIn(trx, w.consultation);
    if (version !== w.expectedVersion) return { outcome: 'conflict' as const, version };
    for (const m of w.models) await saveAnalysisModelIn(trx, { consultation: w.consultation, ...m, at: w.at });
    const applied = await writeModelResults(trx, w.themes, w.kinds);
    const before = await readIdeaGroups(trx, w.consultation);
    const after = [...before.filter((g) => g.statedCount !== undefined), ...w.groups];
    await writeIdeaGroups(trx, w.consultation, after);
    // plan links of groups this analysis did not keep (ids are inherited across runs) have lost their source
    const linksRemoved = await pruneIdeaLinks(trx, w.consultation);
    await recordAudit(trx, {
      actor: w.audit.actor, action: 'groups.analyze', consultation: w.consultation, targetType: 'consultation', targetId: w.consultation, at: w.at,
      before: { groups: before.length },
      after: {
        groups: after.length, themes: { ...w.audit.themes, assigned: applied.themes }, kinds: { ...w.audit.kinds, assigned: applied.kinds },
        ...(linksRemoved > 0 ? { linksRemoved } : {}),
      },
    });
    return { outcome: 'saved' as const, themes: applied.themes, kinds: applied.kinds, groupsBefore: before.length, groupsAfter: after.length };
  });
}

/** Rows per multi-row statement: well under SQLite's and PostgreSQL's parameter limits (4 columns × 500). */
const CHUNK = 500;

/**
 * The model's theme and kind results, written in chunks of multi-row statements (at 100k contributions a row
 * at a time was ~190k queries and a fifth of `analyze`). Same rules as `Store.applyModelResults` with
 * `replaceModelThemes`: a contribution's earlier model themes are replaced, never a human or source theme, and a
 * kind is written only over none or a model's.
 */
export async function writeModelResults(trx: Transaction<Database>, themes: AnalysisWrite['themes'], kinds: AnalysisWrite['kinds'], chunkSize = CHUNK): Promise<{ themes: number; kinds: number }> {
  const targets = themes.map((t) => t.contribution);
  const protectedPairs = new Set<string>();
  for (let i = 0; i < targets.length; i += chunkSize) {
    const chunk = targets.slice(i, i + chunkSize);
    await trx.deleteFrom('contribution_themes').where('assigned_by', '=', 'model').where('contribution_id', 'in', chunk).execute();
    const rows = await trx.selectFrom('contribution_themes').select(['contribution_id', 'theme']).where('contribution_id', 'in', chunk).execute();
    for (const r of rows) protectedPairs.add(`${r.contribution_id}\u0000${r.theme}`);
  }
  // one row per (contribution, theme), the last assignment winning: a statement may not touch a row twice
  const rows = new Map<string, { contribution_id: string; theme: string; assigned_by: string; provenance_json: string }>();
  for (const t of themes) {
    for (const a of t.assignments) {
      const key = `${t.contribution}\u0000${a.theme}`;
      if (!protectedPairs.has(key)) rows.set(key, { contribution_id: t.contribution, theme: a.theme, assigned_by: a.provenance.by, provenance_json: JSON.stringify(a.provenance) });
    }
  }
  const list = [...rows.values()];
  for (let i = 0; i < list.length; i += chunkSize) {
    // the model rows were just deleted and human/source pairs left out: plain inserts, nothing to conflict with
    await trx.insertInto('contribution_themes').values(list.slice(i, i + chunkSize)).execute();
  }
  let kindCount = 0;
  const byId = new Map(kinds.map((k) => [k.contribution, k]));
  const kindList = [...byId.values()];
  for (let i = 0; i < kindList.length; i += chunkSize) {
    const chunk = kindList.slice(i, i + chunkSize);
    const kindCase = sql<string>`CASE id ${sql.join(chunk.map((k) => sql`WHEN ${k.contribution} THEN ${k.kind}`), sql` `)} END`;
    const provCase = sql<string>`CASE id ${sql.join(chunk.map((k) => sql`WHEN ${k.contribution} THEN ${JSON.stringify(k.provenance)}`), sql` `)} END`;
    const r = await trx.updateTable('contributions').set({ kind: kindCase, kind_provenance_json: provCase })
      .where('id', 'in', chunk.map((k) => k.contribution))
      .where((eb) => eb.or([eb('kind', 'is', null), eb('kind_provenance_json', 'like', '{"by":"model"%')]))
      .executeTakeFirst();
    kindCount += Number(r.numUpdatedRows);
  }
  return { themes: list.length, kinds: kindCount };
}

/** What an analysis reads of a contribution: no source, raw text, author or meeting (a third of the memory at scale). */
export type AnalysisRead = Pick<Contribution, 'id' | 'text' | 'themes' | 'kind' | 'kindProvenance' | 'moderation'>;

/**
 * The consultation's contributions as an analysis reads them, in the store's order (seq), page by page:
 * only the columns it uses, read once (`Store.listContributions` builds whole contributions). Provenance objects
 * are shared between contributions: callers must not modify them.
 */
export async function analysisContributions(store: Store, consultation: string, pageSize = 5000): Promise<AnalysisRead[]> {
  const out: AnalysisRead[] = [];
  // provenances repeat (a source document's, a model run's: 20 distinct texts for 750k theme rows at 1M), so equal
  // JSON texts share one parsed object, read only; a bounded memo
  let parsed = new Map<string, Provenance>();
  const provenance = (json: string): Provenance => {
    let p = parsed.get(json);
    if (p === undefined) {
      if (parsed.size >= 100_000) parsed = new Map();
      p = JSON.parse(json) as Provenance;
      parsed.set(json, p);
    }
    return p;
  };
  let after = -1;
  for (;;) {
    const rows = await store.db.selectFrom('contributions').select(['seq', 'id', 'text', 'moderation_status', 'kind', 'kind_provenance_json'])
      .where('consultation', '=', consultation).where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) break;
    const themes = new Map<string, ThemeAssignment[]>();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const ts = await store.db.selectFrom('contribution_themes').select(['contribution_id', 'theme', 'provenance_json'])
        .where('contribution_id', 'in', rows.slice(i, i + CHUNK).map((r) => r.id)).orderBy('contribution_id').orderBy('theme').execute();
      for (const t of ts) {
        let list = themes.get(t.contribution_id);
        if (!list) { list = []; themes.set(t.contribution_id, list); }
        list.push({ theme: t.theme, provenance: provenance(t.provenance_json) });
      }
    }
    for (const r of rows) {
      const c: AnalysisRead = { id: r.id, text: r.text, themes: themes.get(r.id) ?? [], moderation: { status: r.moderation_status as Contribution['moderation']['status'] } };
      if (r.kind) c.kind = r.kind as Contribution['kind'];
      if (r.kind_provenance_json) c.kindProvenance = provenance(r.kind_provenance_json);
      out.push(c);
    }
    after = Number(rows[rows.length - 1]!.seq);
    if (rows.length < pageSize) break;
  }
  return out;
}

/** The consultation an idea group belongs to, if the group exists. */
export async function groupConsultation(store: Store, groupId: string): Promise<string | undefined> {
  const row = await store.db.selectFrom('idea_groups').select('consultation').where('id', '=', groupId).executeTakeFirst();
  return row?.consultation;
}
