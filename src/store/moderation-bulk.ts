/**
 * Bulk moderation at scale: the contributions a moderation-queue filter selects (the text search through the
 * scoped index, see moderation-page.ts) and one decision written on thousands of them in ONE transaction, in
 * chunks that give the event loop back between them (better-sqlite3 is synchronous: 10,000 rows written in one
 * go would freeze every other request for the whole write).
 */
import type { ModerationStatus } from '../domain/contribution.ts';
import { PUBLIC_MODERATION_STATUS } from '../domain/contribution.ts';
import { StoreError } from './errors.ts';
import { searchMatches } from './moderation-page.ts';
import { searchTerms } from './search-terms.ts';
import { flagStaleRestitutions } from './stale-restitutions.ts';
import type { Db } from './schema.ts';
import type { ContributionFilter, Store } from './store.ts';
import type { MaskedSpanJson } from './moderation.ts';

/** Rows read per statement (well under SQLite's and PostgreSQL's parameter limits). */
export const BULK_CHUNK = 500;
/** Contributions decided between two yields to the event loop (about 50–100 ms of synchronous SQLite work each). */
export const BULK_WRITE_CHUNK = 200;

/** Lets pending I/O callbacks (other requests) run between two chunks of a long bulk operation. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Ids of the contributions a queue filter matches, newest first (with a text query: most relevant first, at
 * most the search's cap, as the list counts them). At most `cap + 1` are returned, so that the caller can tell
 * "more than cap" without reading everything.
 */
export async function moderationSelection(store: Store, consultation: string, f: ContributionFilter, q: string | undefined, cap: number): Promise<string[]> {
  if (q && q.trim()) {
    const seqs = (await searchMatches(store, consultation, q, f)).slice(0, cap + 1);
    const position = new Map(seqs.map((seq, i) => [seq, i]));
    const rows: { id: string; seq: number }[] = [];
    for (let i = 0; i < seqs.length; i += BULK_CHUNK) {
      // read through the filter again: the index may lag behind the row (see pageSearch)
      rows.push(...await store.filteredContributions(consultation, f).select(['contributions.id', 'contributions.seq'])
        .where('contributions.seq', 'in', seqs.slice(i, i + BULK_CHUNK)).execute());
    }
    return rows.sort((a, b) => position.get(Number(a.seq))! - position.get(Number(b.seq))!).map((r) => r.id);
  }
  const rows = await store.filteredContributions(consultation, f).select('contributions.id')
    .orderBy('contributions.seq', 'desc').limit(cap + 1).execute();
  return rows.map((r) => r.id);
}

export interface ModerationTarget { id: string; text: string; status: ModerationStatus; original?: string }

/** The current text, status and original (when pseudonymised) of each id that belongs to the consultation. */
export async function moderationTargets(store: Store, consultation: string, ids: string[]): Promise<Map<string, ModerationTarget>> {
  const out = new Map<string, ModerationTarget>();
  for (let i = 0; i < ids.length; i += BULK_CHUNK) {
    const chunk = ids.slice(i, i + BULK_CHUNK);
    const rows = await store.db.selectFrom('contributions').leftJoin('contribution_private as p', 'p.contribution_id', 'contributions.id')
      .select(['contributions.id', 'contributions.text', 'contributions.moderation_status', 'p.original_text'])
      .where('contributions.consultation', '=', consultation).where('contributions.id', 'in', chunk).execute();
    for (const r of rows) {
      out.set(r.id, { id: r.id, text: r.text, status: r.moderation_status as ModerationStatus, ...(r.original_text !== null ? { original: r.original_text } : {}) });
    }
    if (i + BULK_CHUNK < ids.length) await yieldToEventLoop();
  }
  return out;
}

export interface BulkDecision {
  id: string;
  /** a new public text (the automatic masks applied on publication), with what was masked */
  text?: string;
  masked?: MaskedSpanJson[];
}

export interface BulkChange { status: ModerationStatus; reason: string | null; by: string; at: string; action: string }

/**
 * Writes one moderation decision on every contribution listed, in one transaction: all are decided or none
 * (an id that is not, or no longer, in the consultation rolls everything back). Each contribution gets its audit
 * entry with the reason; the entries hold statuses and reasons, never the texts (a text changed by the masks is
 * only flagged: the original stays in contribution_private). Published restitutions relying on a contribution
 * withdrawn from publication are flagged stale, as for a single decision.
 */
export async function writeBulkModeration(store: Store, consultation: string, decisions: BulkDecision[], change: BulkChange): Promise<number> {
  const total = decisions.length;
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < decisions.length; i += BULK_WRITE_CHUNK) {
      if (i > 0) await yieldToEventLoop();
      await writeChunk(trx, store.dialect, consultation, decisions.slice(i, i + BULK_WRITE_CHUNK), change, total);
    }
  });
  return total;
}

async function writeChunk(trx: Db, dialect: Store['dialect'], consultation: string, chunk: BulkDecision[], change: BulkChange, total: number): Promise<void> {
  const ids = chunk.map((d) => d.id);
  const before = await trx.selectFrom('contributions').select(['id', 'text', 'moderation_status', 'moderation_reason'])
    .where('consultation', '=', consultation).where('id', 'in', ids).execute();
  if (before.length !== new Set(ids).size) {
    const found = new Set(before.map((b) => b.id));
    throw new StoreError('not_found', `Contribution inconnue : ${ids.find((id) => !found.has(id))}`);
  }
  const byId = new Map(before.map((b) => [b.id, b]));
  const textChanged = new Set<string>();
  for (const d of chunk) {
    const b = byId.get(d.id)!;
    if (d.text === undefined || d.text === b.text) continue;
    textChanged.add(d.id);
    // keep the original as written the first time the public text changes (as moderateContribution does)
    const priv = await trx.selectFrom('contribution_private').select('contribution_id').where('contribution_id', '=', d.id).executeTakeFirst();
    if (!priv) await trx.insertInto('contribution_private').values({ contribution_id: d.id, original_text: b.text, masked_json: JSON.stringify(d.masked ?? []) }).execute();
    else if (d.masked) await trx.updateTable('contribution_private').set({ masked_json: JSON.stringify(d.masked) }).where('contribution_id', '=', d.id).execute();
    await trx.updateTable('contributions')
      .set(dialect === 'sqlite' ? { text: d.text, search_terms: searchTerms(d.text).join(' ') } : { text: d.text })
      .where('id', '=', d.id).execute();
  }
  await trx.updateTable('contributions').set({ moderation_status: change.status, moderation_reason: change.reason, moderation_by: change.by, moderation_at: change.at })
    .where('consultation', '=', consultation).where('id', 'in', ids).execute();
  for (const b of before) {
    if (b.moderation_status !== PUBLIC_MODERATION_STATUS) continue;
    if (change.status === PUBLIC_MODERATION_STATUS && !textChanged.has(b.id)) continue;
    await flagStaleRestitutions(trx, consultation, b.id, change.at, change.by,
      change.status === PUBLIC_MODERATION_STATUS ? 'texte d’une contribution modifié après publication' : 'contribution retirée de la publication');
  }
  const entries = before.map((b) => ({
    at: change.at, actor: change.by, action: change.action, consultation, target_type: 'contribution', target_id: b.id,
    before_json: JSON.stringify({ status: b.moderation_status, reason: b.moderation_reason }),
    after_json: JSON.stringify({ status: change.status, reason: change.reason, bulk: total, ...(textChanged.has(b.id) ? { masked: true } : {}) }),
    undone_at: null,
  }));
  for (let k = 0; k < entries.length; k += 100) await trx.insertInto('audit_log').values(entries.slice(k, k + 100)).execute();
}
