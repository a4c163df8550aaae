/**
 * Traceability links (issue 14, migration 0020_links): what people said (a contribution, an idea group, a plan's
 * consultation item) linked to a plan element. The machine's suggestions are replaced at each run; decisions
 * (confirmed, rejected, national, not taken up) and stated links are never touched by it. Every decision keeps
 * the touched links before and after it in plan_link_history, which an undo restores exactly.
 *
 * Links outlive neither their plan (cascade; savePlan carries decisions over to the plan replacing it) nor their
 * source: a deleted or erased contribution's links go in the deletion's transaction, an idea group's when an
 * analysis rewrites the groups without it (until then they are hidden: a merge may still be undone).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import {
  LINK_SOURCE_KINDS, planItemIndex,
  type LinkEvidence, type LinkKind, type LinkSourceKind, type LinkSourceRef, type LinkStatus, type PlanLink,
} from '../domain/links.ts';
import { recordAudit, type NewAuditEntry } from './audit.ts';
import { StoreError } from './errors.ts';
import { flagRestitutionsAfterLinkChange } from './stale-restitutions.ts';
import type { PlanLinkRow } from './link-schema.ts';
import type { Database, DatabaseHandle, Db } from './schema.ts';
import { canonicalJson } from '../domain/json.ts';

export interface PlanLinkFilter {
  planId?: string;
  consultation?: string;
  source?: LinkSourceRef;
  statuses?: LinkStatus[];
  /** only sources of these kinds */
  sourceKinds?: LinkSourceKind[];
}

/** Rows per multi-row insert: 16 columns × 100, far below both databases' bind-parameter limits. */
const CHUNK = 100;
/** Ids per IN list. */
const IDS = 500;
/**
 * Between two batches of statements of a long write, the event loop gets a turn: better-sqlite3 is synchronous,
 * and a transaction of 50 000 rows would otherwise freeze the server for its whole length (other queries wait for
 * the connection meanwhile; they do not run inside this transaction).
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
const BREATHE_EVERY = 10;

const keyOf = (l: { source: LinkSourceRef; target: string | null }) => `${l.source.kind}\u0000${l.source.id}\u0000${l.target ?? ''}`;

export function linkFromRow(r: PlanLinkRow): PlanLink {
  return {
    id: r.id, planId: r.plan_id, consultation: r.consultation,
    source: { kind: r.source_kind as LinkSourceKind, id: r.source_id },
    target: r.target, kind: r.kind as LinkKind, status: r.status as LinkStatus,
    score: r.score === null ? null : Number(r.score),
    ...(r.source_fit === null || r.source_fit === undefined ? {} : { sourceFit: Number(r.source_fit) }),
    evidence: JSON.parse(r.evidence_json) as LinkEvidence[],
    model: r.model, modelVersion: r.model_version, note: r.note,
    decidedBy: r.decided_by, decidedAt: r.decided_at, createdAt: r.created_at,
  };
}

function rowOf(l: PlanLink): PlanLinkRow {
  return {
    id: l.id, plan_id: l.planId, consultation: l.consultation, source_kind: l.source.kind, source_id: l.source.id,
    target: l.target, kind: l.kind, status: l.status, score: l.score, source_fit: l.sourceFit ?? null, evidence_json: JSON.stringify(l.evidence),
    model: l.model, model_version: l.modelVersion, note: l.note, decided_by: l.decidedBy, decided_at: l.decidedAt, created_at: l.createdAt,
  };
}

/** Within a source: what people decided first, then the suggestions, then what they rejected. */
const STATUS_RANK: Record<LinkStatus, number> = { confirmed: 0, stated: 1, suggested: 2, rejected: 3 };

/** Best first within a source: by status rank, then by score, then by target code. */
function compareLinks(a: PlanLink, b: PlanLink): number {
  return a.planId.localeCompare(b.planId) || LINK_SOURCE_KINDS.indexOf(a.source.kind) - LINK_SOURCE_KINDS.indexOf(b.source.kind)
    || compareIds(a.source.id, b.source.id)
    || STATUS_RANK[a.status] - STATUS_RANK[b.status]
    || (b.score ?? -1) - (a.score ?? -1) || (a.target ?? '').localeCompare(b.target ?? '');
}

/** Plan item ids are positions: « 2 » before « 10 ». */
function compareIds(a: string, b: string): number {
  return /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
}

/**
 * The stored links matching the filter, each source's best first. An idea link whose group no longer exists
 * (merged, removed) is not returned: it is cleaned at the next analysis.
 */
export async function listPlanLinks(store: DatabaseHandle, filter: PlanLinkFilter = {}): Promise<PlanLink[]> {
  return listPlanLinksIn(store.db, filter);
}

/** The same, inside the caller's transaction. */
export async function listPlanLinksIn(db: Db, filter: PlanLinkFilter = {}): Promise<PlanLink[]> {
  let q = db.selectFrom('plan_links').selectAll('plan_links');
  if (filter.planId !== undefined) q = q.where('plan_links.plan_id', '=', filter.planId);
  if (filter.consultation !== undefined) q = q.where('plan_links.consultation', '=', filter.consultation);
  if (filter.source) q = q.where('plan_links.source_kind', '=', filter.source.kind).where('plan_links.source_id', '=', filter.source.id);
  if (filter.statuses) {
    if (filter.statuses.length === 0) return [];
    q = q.where('plan_links.status', 'in', filter.statuses);
  }
  if (filter.sourceKinds) {
    if (filter.sourceKinds.length === 0) return [];
    q = q.where('plan_links.source_kind', 'in', filter.sourceKinds);
  }
  q = q.where((eb) => eb.or([
    eb('plan_links.source_kind', '<>', 'idea'),
    eb.exists(eb.selectFrom('idea_groups').select('idea_groups.id').whereRef('idea_groups.id', '=', 'plan_links.source_id')),
  ]));
  return (await q.execute()).map(linkFromRow).sort(compareLinks);
}

/**
 * Locks the plan's row for the rest of the transaction (PostgreSQL; a SQLite write transaction holds the
 * database's lock), so that suggestions and decisions on one plan take turns. Fails when the plan is gone.
 */
async function lockPlan(store: DatabaseHandle, trx: Transaction<Database>, planId: string): Promise<{ consultation: string | null }> {
  const q = trx.selectFrom('plans').select('consultation').where('id', '=', planId);
  const row = await (store.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new StoreError('not_found', `Schéma territorial de santé inconnu : « ${planId} ».`);
  return row;
}

/** A suggested link to store (its id, status and dates are the store's). */
export interface SuggestedLinkInput {
  source: LinkSourceRef;
  consultation: string | null;
  target: string;
  score: number;
  /** the source's fit (see PlanLink.sourceFit) */
  sourceFit?: number;
  evidence: LinkEvidence[];
  model: string;
  modelVersion: string;
}

export interface SuggestionWrite {
  planId: string;
  /** the sources the run computed: their earlier suggestions are replaced, even by none */
  sources: LinkSourceRef[];
  links: SuggestedLinkInput[];
  at: string;
  /** the audit entry (its `after` gets the counts) */
  audit: NewAuditEntry;
}

export interface SuggestionWriteResult { inserted: number; removed: number; keptDecided: number }

/**
 * Replaces the suggested links of the given sources in one transaction with its audit entry. A decided or stated
 * link is never touched, and a new suggestion for a source and target already decided is left out. A link
 * suggested again keeps its id (a review page may hold it).
 */
export async function replaceSuggestedLinks(store: DatabaseHandle, w: SuggestionWrite): Promise<SuggestionWriteResult> {
  return store.db.transaction().execute(async (trx) => {
    await lockPlan(store, trx, w.planId);
    const byKind = new Map<string, string[]>();
    for (const s of w.sources) {
      const list = byKind.get(s.kind);
      if (list) list.push(s.id); else byKind.set(s.kind, [s.id]);
    }
    const existing: { id: string; source_kind: string; source_id: string; target: string | null; status: string }[] = [];
    for (const [kind, ids] of byKind) {
      for (let i = 0; i < ids.length; i += IDS) {
        existing.push(...await trx.selectFrom('plan_links').select(['id', 'source_kind', 'source_id', 'target', 'status'])
          .where('plan_id', '=', w.planId).where('source_kind', '=', kind).where('source_id', 'in', ids.slice(i, i + IDS)).execute());
        if ((i / IDS) % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
      }
    }
    const decided = new Set<string>();
    const previousIds = new Map<string, string>();
    const stale: string[] = [];
    for (const r of existing) {
      const key = keyOf({ source: { kind: r.source_kind as LinkSourceKind, id: r.source_id }, target: r.target });
      if (r.status === 'suggested') { previousIds.set(key, r.id); stale.push(r.id); } else decided.add(key);
    }
    for (let i = 0; i < stale.length; i += IDS) {
      // a delete of 500 rows and their three index entries is the slowest statement here: a turn after each
      await trx.deleteFrom('plan_links').where('id', 'in', stale.slice(i, i + IDS)).execute();
      await breathe();
    }
    const seen = new Set<string>();
    let rows: PlanLinkRow[] = [];
    let inserted = 0;
    const flush = async () => {
      if (rows.length === 0) return;
      await trx.insertInto('plan_links').values(rows).execute();
      inserted += rows.length;
      rows = [];
      if ((inserted / CHUNK) % BREATHE_EVERY === 0) await breathe();
    };
    for (const l of w.links) {
      const key = keyOf(l);
      if (decided.has(key) || seen.has(key)) continue;
      seen.add(key);
      rows.push({
        id: previousIds.get(key) ?? randomUUID(), plan_id: w.planId, consultation: l.consultation, source_kind: l.source.kind, source_id: l.source.id,
        target: l.target, kind: 'taken_up', status: 'suggested', score: l.score, source_fit: l.sourceFit ?? null, evidence_json: JSON.stringify(l.evidence),
        model: l.model, model_version: l.modelVersion, note: null, decided_by: null, decided_at: null, created_at: w.at,
      });
      if (rows.length === CHUNK) await flush();
    }
    await flush();
    const result = { inserted, removed: stale.length, keptDecided: decided.size };
    await recordAudit(trx, { ...w.audit, at: w.at, after: { ...(w.audit.after as object | undefined), ...result } });
    return result;
  });
}

/** What a decision does to the links of one source: the rows to write (new or changed) and the ids to remove. */
export interface LinkChange {
  upsert: PlanLink[];
  remove: string[];
  /** the id of the link the decision is about (written or removed) */
  main: string;
}

export interface DecisionWrite {
  planId: string;
  source: LinkSourceRef;
  decision: string;
  actor: string;
  at: string;
  /**
   * Gets the source's current links on this plan (read in the transaction, hidden idea links included) and returns
   * the change; it throws the use case's French errors, inside the transaction, so two decisions never race.
   */
  decide: (current: PlanLink[]) => LinkChange;
  /** the audit entry, from the touched links before and after (it must hold no note or contribution text) */
  audit: (before: PlanLink[], after: PlanLink[], main: PlanLink | null) => NewAuditEntry;
}

/** Applies a decision on one source in one transaction, with its history row and its audit entry. */
export async function writeLinkDecision(store: DatabaseHandle, w: DecisionWrite): Promise<PlanLink | null> {
  return store.db.transaction().execute(async (trx) => {
    await lockPlan(store, trx, w.planId);
    const current = (await trx.selectFrom('plan_links').selectAll().where('plan_id', '=', w.planId)
      .where('source_kind', '=', w.source.kind).where('source_id', '=', w.source.id).execute()).map(linkFromRow);
    const change = w.decide(structuredClone(current));
    const byId = new Map(current.map((l) => [l.id, l]));
    const touched = new Set([...change.upsert.map((l) => l.id), ...change.remove]);
    const before = current.filter((l) => touched.has(l.id));
    for (const id of change.remove) await trx.deleteFrom('plan_links').where('id', '=', id).execute();
    for (const l of change.upsert) {
      if (byId.has(l.id)) {
        const { id: _id, ...set } = rowOf(l);
        await trx.updateTable('plan_links').set(set).where('id', '=', l.id).execute();
      } else {
        await trx.insertInto('plan_links').values(rowOf(l)).execute();
      }
    }
    const after = change.upsert;
    const main = after.find((l) => l.id === change.main) ?? null;
    const consultation = main?.consultation ?? before[0]?.consultation ?? null;
    await trx.insertInto('plan_link_history').values({
      plan_id: w.planId, consultation, link_id: change.main, source_kind: w.source.kind, source_id: w.source.id, decision: w.decision,
      before_json: JSON.stringify(before), after_json: JSON.stringify(after), actor: w.actor, at: w.at, undone_at: null,
    }).execute();
    await recordAudit(trx, w.audit(before, after, main));
    await flagRestitutionsAfterLinkChange(trx, { source: w.source, consultation, before, after, at: w.at, actor: w.actor });
    return main;
  });
}

export type LinkUndoOutcome =
  | { outcome: 'undone'; link: PlanLink | null; before: PlanLink[]; after: PlanLink[] }
  | { outcome: 'none' }
  | { outcome: 'conflict' };

/**
 * Undoes the latest decision on a link not undone yet: the links it touched go back to their state before it
 * (a link it created goes), provided they are still as it left them (else `conflict`, nothing changes).
 */
export async function undoLinkChange(store: DatabaseHandle, u: {
  planId: string; linkId: string; actor: string; at: string;
  audit: (restored: PlanLink[], undone: PlanLink[], link: PlanLink | null) => NewAuditEntry;
}): Promise<LinkUndoOutcome> {
  return store.db.transaction().execute(async (trx) => {
    await lockPlan(store, trx, u.planId);
    const h = await trx.selectFrom('plan_link_history').selectAll().where('plan_id', '=', u.planId).where('link_id', '=', u.linkId)
      .where('undone_at', 'is', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!h) return { outcome: 'none' as const };
    const before = JSON.parse(h.before_json) as PlanLink[];
    const after = JSON.parse(h.after_json) as PlanLink[];
    const ids = [...new Set([...before, ...after].map((l) => l.id))];
    const current = new Map((await trx.selectFrom('plan_links').selectAll().where('id', 'in', ids).execute()).map((r) => [r.id, linkFromRow(r)]));
    const afterById = new Map(after.map((l) => [l.id, l]));
    for (const id of ids) {
      const now = current.get(id);
      const then = afterById.get(id);
      if ((now === undefined) !== (then === undefined) || (now && then && canonicalJson(now) !== canonicalJson(then))) return { outcome: 'conflict' as const };
    }
    const restore = new Map(before.map((l) => [l.id, l]));
    for (const id of ids) {
      const target = restore.get(id);
      if (!target) await trx.deleteFrom('plan_links').where('id', '=', id).execute();
      else if (current.has(id)) { const { id: _id, ...set } = rowOf(target); await trx.updateTable('plan_links').set(set).where('id', '=', id).execute(); }
      else await trx.insertInto('plan_links').values(rowOf(target)).execute();
    }
    await trx.updateTable('plan_link_history').set({ undone_at: u.at }).where('id', '=', Number(h.id)).execute();
    const link = restore.get(u.linkId) ?? null;
    await recordAudit(trx, u.audit(before, after, link));
    await flagRestitutionsAfterLinkChange(trx, { source: { kind: h.source_kind as LinkSourceKind, id: h.source_id }, consultation: h.consultation, before: after, after: before, at: u.at, actor: u.actor });
    return { outcome: 'undone' as const, link, before, after };
  });
}


/** The new link for a decision on a source and target that has none yet. */
export function newLinkId(): string {
  return randomUUID();
}

// ---- cleanups, called inside the transactions of the changes that make links obsolete ----

/** Removes the links (and their history) of deleted contributions: right to erasure. Returns the links removed. */
export async function removeContributionLinks(trx: Db, consultation: string, ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += IDS) {
    const chunk = ids.slice(i, i + IDS);
    const r = await trx.deleteFrom('plan_links').where('consultation', '=', consultation).where('source_kind', '=', 'contribution').where('source_id', 'in', chunk).executeTakeFirst();
    n += Number(r.numDeletedRows);
    await trx.deleteFrom('plan_link_history').where('consultation', '=', consultation).where('source_kind', '=', 'contribution').where('source_id', 'in', chunk).execute();
  }
  return n;
}

/**
 * Removes the consultation's idea links (and their history) whose group no longer exists, once the groups are
 * rewritten by an analysis or a deletion. Returns the links removed.
 */
export async function pruneIdeaLinks(trx: Db, consultation: string): Promise<number> {
  const orphan = (table: 'plan_links' | 'plan_link_history') => trx.deleteFrom(table).where('consultation', '=', consultation).where('source_kind', '=', 'idea')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('idea_groups').select('idea_groups.id').whereRef('idea_groups.id', '=', `${table}.source_id`))));
  const r = await orphan('plan_links').executeTakeFirst();
  await orphan('plan_link_history').execute();
  return Number(r.numDeletedRows);
}

/**
 * Before a consultation is deleted: its plan items' links stay with their plan (which stays, without
 * consultation), the rest goes with the consultation (cascade).
 */
export async function detachPlanItemLinks(trx: Db, consultation: string): Promise<void> {
  for (const table of ['plan_links', 'plan_link_history'] as const) {
    await trx.updateTable(table).set({ consultation: null }).where('consultation', '=', consultation).where('source_kind', '=', 'planItem').execute();
  }
}

/** A plan element's code changed (a correction): its links follow it. */
export async function renameLinkTarget(trx: Db, planId: string, from: string, to: string): Promise<void> {
  await trx.updateTable('plan_links').set({ target: to }).where('plan_id', '=', planId).where('target', '=', from).execute();
}

/** The decided links (confirmed, rejected, stated) of plans about to be replaced, read before they cascade away. */
export async function readDecisionsOf(trx: Db, planIds: string[]): Promise<PlanLink[]> {
  if (planIds.length === 0) return [];
  return (await trx.selectFrom('plan_links').selectAll().where('plan_id', 'in', planIds).where('status', '<>', 'suggested').execute()).map(linkFromRow);
}

/**
 * Carries the decisions of replaced plans over to the plan replacing them: a link whose target code still exists
 * (or a national / not taken up mark) keeps its decision; a plan item's link follows the item of the same text.
 * The newest decision wins when two replaced plans decided the same source and target. Their suggestions and
 * history are not carried (the next suggestion run computes them again; an undo stops at the replacement).
 */
export async function carryLinkDecisions(trx: Transaction<Database>, decisions: PlanLink[], plan: {
  id: string; consultation: string | null; codes: ReadonlySet<string>; items: readonly { text: string }[]; oldItems: ReadonlyMap<string, string[]>;
}): Promise<{ carried: number; dropped: number }> {
  if (decisions.length === 0) return { carried: 0, dropped: 0 };
  const positions = new Map<string, number[]>();
  plan.items.forEach((it, i) => positions.set(it.text, [...(positions.get(it.text) ?? []), i]));
  const rows = new Map<string, PlanLinkRow>();
  let dropped = 0;
  const ordered = [...decisions].sort((a, b) => (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt));
  for (const l of ordered) {
    let source = l.source;
    if (source.kind === 'planItem') {
      const old = plan.oldItems.get(l.planId) ?? [];
      const idx = planItemIndex(source.id, old.length);
      const text = idx === undefined ? undefined : old[idx];
      const at = text === undefined ? undefined : positions.get(text)?.[0];
      if (at === undefined) { dropped++; continue; }
      source = { kind: 'planItem', id: String(at) };
    }
    if (l.target !== null && !plan.codes.has(l.target)) { dropped++; continue; }
    const key = keyOf({ source, target: l.target });
    if (rows.has(key)) { dropped++; continue; }
    rows.set(key, rowOf({
      ...l, id: randomUUID(), planId: plan.id, source,
      consultation: source.kind === 'planItem' ? plan.consultation : l.consultation,
    }));
  }
  const list = [...rows.values()];
  for (let i = 0; i < list.length; i += CHUNK) await trx.insertInto('plan_links').values(list.slice(i, i + CHUNK)).execute();
  return { carried: list.length, dropped };
}

/** The texts of the plan items of plans, by plan and position (what carrying a plan item's link compares). */
export async function planItemTexts(trx: Db, planIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (planIds.length === 0) return out;
  const rows = await trx.selectFrom('plan_items').select(['plan_id', 'position', 'text']).where('plan_id', 'in', planIds).orderBy('plan_id').orderBy('position').execute();
  for (const r of rows) {
    const list = out.get(r.plan_id) ?? [];
    list[Number(r.position)] = r.text;
    out.set(r.plan_id, list);
  }
  return out;
}

// ---- what the review and the suggestion read of the sources ----

export interface LinkSourceRow { id: string; text: string; kind: string | null; moderationStatus: string; theme: string | null; seq: number }

/** The consultation's contributions a suggestion run or a review reads (id, text, kind, status, first theme), in arrival order. */
export async function linkContributions(store: DatabaseHandle, consultation: string, ids?: string[]): Promise<LinkSourceRow[]> {
  const out: LinkSourceRow[] = [];
  const read = async (chunk?: string[]) => {
    let q = store.db.selectFrom('contributions').select(['id', 'text', 'kind', 'moderation_status', 'seq'])
      .select((eb) => eb.selectFrom('contribution_themes').select('theme').whereRef('contribution_themes.contribution_id', '=', 'contributions.id')
        .orderBy('theme').limit(1).as('theme'))
      .where('consultation', '=', consultation);
    if (chunk) q = q.where('id', 'in', chunk);
    for (const r of await q.orderBy('seq').execute()) {
      out.push({ id: r.id, text: r.text, kind: r.kind, moderationStatus: r.moderation_status, theme: r.theme ?? null, seq: Number(r.seq) });
    }
  };
  if (ids === undefined) await read();
  else for (let i = 0; i < ids.length; i += IDS) await read(ids.slice(i, i + IDS));
  return ids === undefined ? out : out.sort((a, b) => a.seq - b.seq);
}

/** The consultation of one contribution or idea group (undefined: no such source). */
export async function sourceConsultation(store: DatabaseHandle, source: LinkSourceRef): Promise<string | undefined> {
  if (source.kind === 'contribution') return (await store.db.selectFrom('contributions').select('consultation').where('id', '=', source.id).executeTakeFirst())?.consultation;
  if (source.kind === 'idea') return (await store.db.selectFrom('idea_groups').select('consultation').where('id', '=', source.id).executeTakeFirst())?.consultation;
  return undefined;
}

/** Link counts per status (tests and summaries). */
export async function linkCounts(store: DatabaseHandle, planId?: string): Promise<Record<string, number>> {
  let q = store.db.selectFrom('plan_links').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status');
  if (planId !== undefined) q = q.where('plan_id', '=', planId);
  const out: Record<string, number> = {};
  for (const r of await q.execute()) out[r.status] = Number(r.n);
  return out;
}

