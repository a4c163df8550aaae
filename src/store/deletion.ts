/**
 * Deletion and erasure (issue 11, point 5). Derived data never outlives its source: when contributions go,
 * everything that was computed from them goes or is rewritten in the same transaction, with one audit entry
 * that names what was removed and how many rows, never the text.
 *
 * - delete: a wrong import, a test contribution. The rows and what derives from them go; audit entries that
 *   quoted the text keep it until the retention purge (purgeAuditTexts), as for any deleted contribution.
 * - erase: a person's request (GDPR art. 17). As delete, and the words themselves are removed everywhere
 *   they were copied: audit entries, job results, stored drafts and published restitutions (rewritten),
 *   and the stored source file of its document (the bytes hold the text; the document stays, without them).
 *
 * Table by table (src/store/schema.ts), on erasure of a contribution:
 *   contributions (row deleted) → contribution_themes, contribution_private, idea_members, content_reports (cascade:
 *   the visitors' reports of it, their own words included);
 *   contribution_areas (the postcode typed on the form: deleted explicitly before the row, and by cascade);
 *   national_marks (on it, and on the groups removed); plan_links and plan_link_history (its links, and the
 *   links of the groups removed); meeting_reports (its id out of the submitted list, its
 *   words out of a draft);
 *   contribution_counts (triggers); SQLite full-text index contributions_fts (trigger; contentless, the
 *   entry is deleted and its stems go at the next segment merge) / PostgreSQL search_vector (on the row);
 *   idea_groups (quotes pruned, groups left without members removed); syntheses (drafts: quotes and chosen
 *   quotes of it lose their text); published_syntheses (flagged stale, so no longer served, and the quoted
 *   text replaced in the HTML); audit_log and jobs (text replaced); source_files (the document's bytes
 *   deleted). meetings and source_documents keep their own texts, with any verbatim copy replaced.
 *   On deletion of a consultation, its mail_subscriptions go too, with their mail_tokens and mail_outbox (cascade).
 *   Unchanged: consultations, territories, indicators, users, sessions, consultation_assignments,
 *   rate_limits, search_scopes, job_files (transient upload bytes, deleted when their job ends).
 *   analysis_models: kept on deletion; on erasure the consultation's are deleted (their word statistics may
 *   hold the erased text's stems), the next analysis trains them again.
 *   Out of reach: backups and archives already written, and pages freed in the database file until
 *   SQLite reuses them or PostgreSQL vacuums (docs/operations.md).
 */
import { sql, type Transaction } from 'kysely';
import { PUBLIC_MODERATION_STATUS } from '../domain/contribution.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import { recordAudit } from './audit.ts';
import { lockConsultation } from './analysis.ts';
import { StoreError } from './errors.ts';
import { detachPlanItemLinks, pruneIdeaLinks, removeContributionLinks } from './links.ts';
import type { Database, Db } from './schema.ts';
import { readIdeaGroups, writeIdeaGroups, type Store } from './store.ts';

/** What replaces an erased text wherever a copy of it was kept. */
export const ERASED_TEXT = '[contribution effacée]';
/** What replaces a deleted contribution's text in a stored draft or restitution. */
export const DELETED_TEXT = '[contribution supprimée]';

/** Keys whose string value is a contribution's words, in an object that names the contribution. */
const TEXT_KEYS = new Set(['text', 'rawText', 'raw_text', 'original', 'originalText', 'original_text', 'excerpt']);
/** Below this length a text is too common to replace wherever it occurs (« Oui. »): only copies linked by id are. */
const MIN_VERBATIM = 12;

export type DeletionMode = 'delete' | 'erase';

export interface DeletionCounts {
  contributions: number;
  meetings: number;
  documents: number;
  sourceFiles: number;
  ideaGroupsChanged: number;
  ideaGroupsRemoved: number;
  draftsRewritten: number;
  restitutionsStale: number;
  restitutionsRewritten: number;
  auditEntriesRewritten: number;
  jobsRewritten: number;
}

const zero = (): DeletionCounts => ({
  contributions: 0, meetings: 0, documents: 0, sourceFiles: 0, ideaGroupsChanged: 0, ideaGroupsRemoved: 0,
  draftsRewritten: 0, restitutionsStale: 0, restitutionsRewritten: 0, auditEntriesRewritten: 0, jobsRewritten: 0,
});

interface Who { actor: string; at: string }

/**
 * A copy of `value` where every object naming one of `ids` (`contribution`, `contributionId`) has its text
 * fields replaced, and every string holding one of `texts` has it replaced. `all`: replace every text field
 * whatever object holds it (an audit entry about the contribution itself).
 */
function scrub(value: unknown, ids: ReadonlySet<string>, texts: readonly string[], marker: string, all = false): { value: unknown; changed: boolean } {
  if (typeof value === 'string') {
    let s = value;
    for (const t of texts) if (s.includes(t)) s = s.split(t).join(marker);
    return { value: s, changed: s !== value };
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => { const r = scrub(v, ids, texts, marker, all); changed ||= r.changed; return r.value; });
    return { value: out, changed };
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const named = all || [o.contribution, o.contributionId, o.contribution_id].some((v) => typeof v === 'string' && ids.has(v));
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (named && TEXT_KEYS.has(k) && typeof v === 'string' && v !== marker) { out[k] = marker; changed = true; continue; }
      const r = scrub(v, ids, texts, marker, all);
      changed ||= r.changed;
      out[k] = r.value;
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Strings worth replacing verbatim: long enough, longest first (a quote is often part of the text). */
function verbatim(texts: Iterable<string>): string[] {
  return [...new Set([...texts].map((t) => t.trim()).filter((t) => t.length >= MIN_VERBATIM))].sort((a, b) => b.length - a.length);
}

/** SQL: the column contains the string (exact, no LIKE wildcards). */
function contains(store: Store, column: string, needle: string) {
  return store.dialect === 'sqlite' ? sql<boolean>`instr(${sql.ref(column)}, ${needle}) > 0` : sql<boolean>`strpos(${sql.ref(column)}, ${needle}) > 0`;
}

/** Rows of a JSON or text column that mention one of the ids or texts (chunks keep the SQL small). */
async function mentioning(store: Store, trx: Db, table: 'audit_log' | 'jobs' | 'syntheses' | 'published_syntheses' | 'meetings' | 'source_documents' | 'meeting_reports',
  columns: string[], consultation: string, needles: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const idColumn = table === 'meeting_reports' ? 'meeting_id' : 'id';
  for (let i = 0; i < needles.length; i += 50) {
    const chunk = needles.slice(i, i + 50);
    // audit entries and jobs without a consultation (none today for contributions) are searched too
    const loose = table === 'audit_log' || table === 'jobs';
    const rows = await (trx as Transaction<any>).selectFrom(table).select(idColumn)
      .where((eb: any) => (loose ? eb.or([eb('consultation', '=', consultation), eb('consultation', 'is', null)]) : eb('consultation', '=', consultation)))
      .where((eb: any) => eb.or(columns.flatMap((c) => chunk.map((n) => contains(store, c, n))))).execute() as unknown[];
    for (const r of rows as Record<string, unknown>[]) found.add(String(r[idColumn]));
  }
  return found;
}

/**
 * Removes contributions of one consultation and everything derived from them, inside the caller's
 * transaction. `texts`: for erasure, the words to remove wherever they were copied.
 */
async function removeContributionsIn(store: Store, trx: Transaction<Database>, consultation: string, ids: string[], mode: DeletionMode,
  texts: string[], who: Who, reason: string, counts: DeletionCounts): Promise<void> {
  if (ids.length === 0) return;
  const idSet = new Set(ids);
  const marker = mode === 'erase' ? ERASED_TEXT : DELETED_TEXT;

  // quotes of the stored drafts, read before they are rewritten: the published HTML holds the same words
  const drafts = await trx.selectFrom('syntheses').select(['id', 'model_json', 'editorial_json']).where('consultation', '=', consultation).execute();
  const quoted = new Map<string, string[]>();
  for (const d of drafts) {
    const model = JSON.parse(d.model_json) as { quotes?: { contribution?: string; text?: string }[] } | null;
    const words = (model?.quotes ?? []).filter((q) => q.contribution && idSet.has(q.contribution) && typeof q.text === 'string').map((q) => q.text!);
    const editorial = JSON.parse(d.editorial_json) as { quotes?: Record<string, { contribution: string; text?: string }[]> } | null;
    for (const list of Object.values(editorial?.quotes ?? {})) for (const q of list) if (idSet.has(q.contribution) && q.text) words.push(q.text);
    if (words.length) quoted.set(d.id, words);
  }

  // published restitutions counting or quoting one of them stop being served, and lose the quoted words
  const published = await trx.selectFrom('published_syntheses').select(['id', 'html', 'contributions_json', 'stale_since']).where('consultation', '=', consultation).execute();
  for (const p of published) {
    const relied = p.contributions_json === null || (JSON.parse(p.contributions_json) as string[]).some((id) => idSet.has(id));
    if (!relied) continue;
    const words = verbatim([...(quoted.get(p.id) ?? []), ...(mode === 'erase' ? texts : [])]);
    let html = p.html;
    for (const w of words) for (const form of [escapeHtml(w), w]) if (html.includes(form)) html = html.split(form).join(escapeHtml(marker));
    const set: { stale_since?: string; stale_reason?: string; html?: string } = {};
    if (p.stale_since === null) { set.stale_since = who.at; set.stale_reason = reason; counts.restitutionsStale++; }
    if (html !== p.html) { set.html = html; counts.restitutionsRewritten++; }
    if (Object.keys(set).length === 0) continue;
    await trx.updateTable('published_syntheses').set(set).where('id', '=', p.id).execute();
    if (set.stale_since) {
      await recordAudit(trx, { actor: who.actor, action: 'synthesis.stale', consultation, targetType: 'synthesis', targetId: p.id, at: who.at, before: null, after: { reason, contributions: ids.length } });
    }
  }

  // drafts keep their shape (blocks refer to quotes by key); the quotes lose their words and verification fails
  // on them until the draft is regenerated, so a draft quoting a removed contribution cannot be published
  const draftWords = verbatim(mode === 'erase' ? texts : []);
  for (const d of drafts) {
    const m = scrub(JSON.parse(d.model_json), idSet, draftWords, marker);
    const e = scrub(JSON.parse(d.editorial_json), idSet, draftWords, marker);
    if (!m.changed && !e.changed) continue;
    await trx.updateTable('syntheses').set({ model_json: JSON.stringify(m.value), editorial_json: JSON.stringify(e.value) }).where('id', '=', d.id).execute();
    counts.draftsRewritten++;
  }

  // the postcodes typed on the form (personal data): explicitly, whatever the foreign keys of the connection
  for (let i = 0; i < ids.length; i += 500) {
    await trx.deleteFrom('contribution_areas').where('contribution_id', 'in', ids.slice(i, i + 500)).execute();
  }
  // the visitors' reports of them (their own words too), explicitly: the foreign key's cascade would do it as well
  for (let i = 0; i < ids.length; i += 500) {
    await trx.deleteFrom('content_reports').where('contribution_id', 'in', ids.slice(i, i + 500)).execute();
  }
  // the rows; cascades remove themes, originals and group memberships, triggers the counters and search entries
  for (let i = 0; i < ids.length; i += 500) {
    const r = await trx.deleteFrom('contributions').where('consultation', '=', consultation).where('id', 'in', ids.slice(i, i + 500)).executeTakeFirst();
    counts.contributions += Number(r.numDeletedRows);
  }

  // plan links name their source without a foreign key: a contribution's links and their history go with it
  await removeContributionLinks(trx, consultation, ids);
  // national marks name their target without a foreign key (a contribution or a group)
  for (let i = 0; i < ids.length; i += 500) {
    await trx.deleteFrom('national_marks').where('consultation', '=', consultation).where('target_type', '=', 'contribution').where('target_id', 'in', ids.slice(i, i + 500)).execute();
  }
  // a submitted workshop report lists the contributions it made: a later resubmission must not expect them
  for (const meetingId of await mentioning(store, trx, 'meeting_reports', ['contributions_json'], consultation, ids)) {
    const row = await trx.selectFrom('meeting_reports').select('contributions_json').where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
    const kept = (JSON.parse(row.contributions_json) as string[]).filter((c) => !idSet.has(c));
    await trx.updateTable('meeting_reports').set({ contributions_json: JSON.stringify(kept) }).where('meeting_id', '=', meetingId).execute();
  }

  // idea groups: removed members went with the rows; quotes are pruned, groups left empty removed
  const groups = await readIdeaGroups(trx, consultation);
  if (groups.some((g) => g.quotes.some((q) => idSet.has(q)) || g.members.length === 0)) {
    let kept: IdeaGroup[] = groups.map((g) => ({ ...g, quotes: g.quotes.filter((q) => !idSet.has(q)) }));
    const changed = groups.filter((g, i) => g.quotes.length !== kept[i]!.quotes.length).length;
    // a group is empty without members, stated count and sub-groups; removing one may empty its parent
    for (;;) {
      const parents = new Set(kept.map((g) => g.parent).filter((p): p is string => p !== null));
      const next = kept.filter((g) => g.members.length > 0 || g.statedCount !== undefined || parents.has(g.id));
      if (next.length === kept.length) break;
      kept = next;
    }
    const removed = groups.length - kept.length;
    if (removed > 0 || changed > 0) {
      await lockConsultation(store, trx, consultation);
      await writeIdeaGroups(trx, consultation, kept);
      const gone = groups.map((g) => g.id).filter((gid) => !kept.some((k) => k.id === gid));
      for (let i = 0; i < gone.length; i += 500) {
        await trx.deleteFrom('national_marks').where('consultation', '=', consultation).where('target_type', '=', 'group').where('target_id', 'in', gone.slice(i, i + 500)).execute();
      }
      await pruneIdeaLinks(trx, consultation);
      counts.ideaGroupsRemoved += removed;
      counts.ideaGroupsChanged += changed;
      // a `groups.` entry moves the analysis version: an analysis computed before this does not write back
      await recordAudit(trx, {
        actor: who.actor, action: 'groups.prune', consultation, targetType: 'consultation', targetId: consultation, at: who.at,
        before: { groups: groups.length }, after: { groups: kept.length, contributionsRemoved: ids.length },
      });
    }
  }

  if (mode !== 'erase') return;
  // the trained classifiers' word statistics may hold stems found only in the erased text: they go, and the
  // next analysis (or the form's theme suggestion, which falls back to zero-shot meanwhile) trains them again
  await trx.deleteFrom('analysis_models').where('consultation', '=', consultation).execute();
  // erasure: the words go from every copy (audit entries, job results, meeting and document texts)
  const words = verbatim(texts);
  const needles = [...ids, ...words.map((w) => JSON.stringify(w).slice(1, -1)), ...words];
  const entries = await mentioning(store, trx, 'audit_log', ['before_json', 'after_json'], consultation, needles);
  for (const id of entries) {
    const row = await trx.selectFrom('audit_log').select(['id', 'target_id', 'before_json', 'after_json']).where('id', '=', Number(id)).executeTakeFirstOrThrow();
    const about = idSet.has(row.target_id);
    const b = row.before_json === null ? { value: null, changed: false } : scrub(JSON.parse(row.before_json), idSet, words, marker, about);
    const a = row.after_json === null ? { value: null, changed: false } : scrub(JSON.parse(row.after_json), idSet, words, marker, about);
    if (!b.changed && !a.changed) continue;
    await trx.updateTable('audit_log').set({ before_json: row.before_json === null ? null : JSON.stringify(b.value), after_json: row.after_json === null ? null : JSON.stringify(a.value) })
      .where('id', '=', row.id).execute();
    counts.auditEntriesRewritten++;
  }
  const jobs = await mentioning(store, trx, 'jobs', ['input_json', 'result_json', 'error_json'], consultation, needles);
  for (const id of jobs) {
    const row = await trx.selectFrom('jobs').select(['input_json', 'result_json', 'error_json']).where('id', '=', id).executeTakeFirstOrThrow();
    const fix = (json: string | null) => (json === null ? null : JSON.stringify(scrub(JSON.parse(json), idSet, words, marker).value));
    await trx.updateTable('jobs').set({ input_json: fix(row.input_json)!, result_json: fix(row.result_json), error_json: fix(row.error_json) }).where('id', '=', id).execute();
    counts.jobsRewritten++;
  }
  if (words.length === 0) return;
  for (const id of await mentioning(store, trx, 'meetings', ['situation', 'deroulement', 'perspectives'], consultation, words)) {
    const row = await trx.selectFrom('meetings').select(['situation', 'deroulement', 'perspectives']).where('id', '=', id).executeTakeFirstOrThrow();
    const fix = (s: string | null) => (s === null ? null : scrub(s, idSet, words, marker).value as string);
    await trx.updateTable('meetings').set({ situation: fix(row.situation), deroulement: fix(row.deroulement), perspectives: fix(row.perspectives) }).where('id', '=', id).execute();
  }
  for (const meetingId of await mentioning(store, trx, 'meeting_reports', ['draft_json'], consultation, needles)) {
    const row = await trx.selectFrom('meeting_reports').select('draft_json').where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
    if (row.draft_json === null) continue;
    await trx.updateTable('meeting_reports').set({ draft_json: JSON.stringify(scrub(JSON.parse(row.draft_json), idSet, words, marker).value) }).where('meeting_id', '=', meetingId).execute();
  }
  for (const id of await mentioning(store, trx, 'source_documents', ['syntheses_json'], consultation, needles)) {
    const row = await trx.selectFrom('source_documents').select('syntheses_json').where('id', '=', id).executeTakeFirstOrThrow();
    await trx.updateTable('source_documents').set({ syntheses_json: JSON.stringify(scrub(JSON.parse(row.syntheses_json), idSet, words, marker).value) }).where('id', '=', id).execute();
  }
}

export interface ContributionDeletion {
  mode: DeletionMode;
  contribution: string;
  consultation: string;
  document: string | null;
  counts: DeletionCounts;
}

/** Deletes (or erases) one contribution and what derives from it, in one transaction with its audit entry. */
export async function deleteContribution(store: Store, id: string, mode: DeletionMode, who: Who): Promise<ContributionDeletion> {
  const run = () => store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('contributions').leftJoin('contribution_private', 'contribution_private.contribution_id', 'contributions.id')
      .select(['contributions.id', 'contributions.consultation', 'contributions.document_id', 'contributions.meeting', 'contributions.channel',
        'contributions.moderation_status', 'contributions.text', 'contributions.raw_text', 'contribution_private.original_text'])
      .where('contributions.id', '=', id).executeTakeFirst();
    if (!row) throw new StoreError('not_found', `Contribution inconnue : ${id}`);
    const counts = zero();
    const texts = mode === 'erase' ? [row.text, row.raw_text, row.original_text].filter((t): t is string => !!t) : [];
    const reason = mode === 'erase' ? 'une contribution citée ou comptée a été effacée (demande de la personne)' : 'une contribution citée ou comptée a été supprimée';
    await removeContributionsIn(store, trx, row.consultation, [row.id], mode, texts, who, reason, counts);
    // the stored file of its document holds the words: it goes; the document stays (it can no longer be re-read)
    if (mode === 'erase' && row.document_id) {
      const r = await trx.deleteFrom('source_files').where('document_id', '=', row.document_id).executeTakeFirst();
      counts.sourceFiles += Number(r.numDeletedRows);
    }
    await recordAudit(trx, {
      actor: who.actor, action: mode === 'erase' ? 'contribution.erase' : 'contribution.delete', consultation: row.consultation,
      targetType: 'contribution', targetId: row.id, at: who.at,
      before: { channel: row.channel, document: row.document_id, meeting: row.meeting, status: row.moderation_status, wasPublic: row.moderation_status === PUBLIC_MODERATION_STATUS },
      after: { mode, counts },
    });
    return { mode, contribution: row.id, consultation: row.consultation, document: row.document_id, counts };
  });
  return mode === 'erase' ? withSecureDelete(store, run) : run();
}

/**
 * SQLite connections run with `secure_delete` (store.ts): deleted content is overwritten, never left in free
 * pages. The full-text index is contentless: a delete only leaves a tombstone, and the stems of the erased text
 * (and of its earlier statuses' entries) stay in its segments until they are merged. 'optimize' merges them all
 * now (about 3 s on 1M contributions, measured: acceptable for a rare request, documented). The WAL holds the
 * old pages until a checkpoint: one that truncates it follows (best effort: a long read in progress may delay it
 * to the next). PostgreSQL's dead rows go at the next vacuum.
 */
async function withSecureDelete<T>(store: Store, work: () => Promise<T>): Promise<T> {
  if (store.dialect !== 'sqlite') return work();
  try {
    const done = await work();
    await sql`INSERT INTO contributions_fts(contributions_fts) VALUES ('optimize')`.execute(store.db);
    return done;
  } finally {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db).catch(() => undefined);
  }
}

export interface DocumentDeletion { document: string; consultation: string; fileName: string; counts: DeletionCounts }

/** Deletes an imported document: its contributions, meetings, source file and what derives from them, in one transaction. */
export async function deleteDocument(store: Store, documentId: string, who: Who): Promise<DocumentDeletion> {
  return store.db.transaction().execute(async (trx) => {
    const doc = await trx.selectFrom('source_documents').select(['id', 'consultation', 'file_name', 'published_by']).where('id', '=', documentId).executeTakeFirst();
    if (!doc || doc.consultation.startsWith('~')) throw new StoreError('not_found', `Document inconnu : ${documentId}`);
    const counts = zero();
    const ids = (await trx.selectFrom('contributions').select('id').where('document_id', '=', doc.id).orderBy('seq').execute()).map((r) => r.id);
    await removeContributionsIn(store, trx, doc.consultation, ids, 'delete', [], who, `le document « ${doc.file_name} » a été supprimé`, counts);
    const f = await trx.deleteFrom('source_files').where('document_id', '=', doc.id).executeTakeFirst();
    counts.sourceFiles += Number(f.numDeletedRows);
    // contributions of other channels placed in one of its meetings stay, outside any meeting (foreign key: set null)
    const m = await trx.deleteFrom('meetings').where('document_id', '=', doc.id).executeTakeFirst();
    counts.meetings += Number(m.numDeletedRows);
    await trx.deleteFrom('source_documents').where('id', '=', doc.id).execute();
    counts.documents = 1;
    await recordAudit(trx, {
      actor: who.actor, action: 'document.delete', consultation: doc.consultation, targetType: 'document', targetId: doc.id, at: who.at,
      before: { fileName: doc.file_name, publishedBy: doc.published_by }, after: { counts },
    });
    return { document: doc.id, consultation: doc.consultation, fileName: doc.file_name, counts };
  });
}

export interface ConsultationDeletion { consultation: string; counts: DeletionCounts & { auditEntriesKept: number } }

/**
 * Deletes a consultation and everything of it, in one transaction. Its audit entries stay (who did what),
 * stripped of the texts they quoted; the deletion itself is the last of them.
 */
export async function deleteConsultation(store: Store, slug: string, who: Who): Promise<ConsultationDeletion> {
  return store.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('consultations').select(['slug', 'title']).where('slug', '=', slug).executeTakeFirst();
    if (!c || c.slug.startsWith('~')) throw new StoreError('not_found', `Consultation inconnue : « ${slug} »`);
    await lockConsultation(store, trx, slug);
    const running = await trx.selectFrom('jobs').select('id').where('consultation', '=', slug).where('state', 'in', ['queued', 'running']).executeTakeFirst();
    if (running) throw new StoreError('conflict', `Une tâche est en cours sur « ${slug} » (${running.id}) : attendez qu’elle se termine avant de supprimer la consultation.`);
    const counts = { ...zero(), auditEntriesKept: 0 };
    const count = async (table: 'source_documents' | 'meetings' | 'idea_groups' | 'syntheses' | 'published_syntheses') =>
      Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('consultation', '=', slug).executeTakeFirstOrThrow()).n);
    counts.documents = await count('source_documents');
    counts.meetings = await count('meetings');
    counts.ideaGroupsRemoved = await count('idea_groups');
    counts.draftsRewritten = await count('syntheses');
    counts.restitutionsStale = await count('published_syntheses');
    await trx.deleteFrom('contribution_areas').where('consultation', '=', slug).execute();
    // contributions first, explicitly: the search index trigger needs the consultation's scope while they go
    for (;;) {
      const r = await trx.deleteFrom('contributions')
        .where('seq', 'in', (eb) => eb.selectFrom('contributions').select('seq').where('consultation', '=', slug).limit(1000)).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) break;
      counts.contributions += Number(r.numDeletedRows);
    }
    const files = await trx.deleteFrom('source_files')
      .where('document_id', 'in', (eb) => eb.selectFrom('source_documents').select('id').where('consultation', '=', slug)).executeTakeFirst();
    counts.sourceFiles = Number(files.numDeletedRows);
    // the plan's own consultation items keep their links (the plan stays, without consultation)
    await detachPlanItemLinks(trx, slug);
    // the subscribers' addresses with their links and messages (the cascade would do it as well)
    await trx.deleteFrom('mail_subscriptions').where('consultation', '=', slug).execute();
    // the rest cascades from the consultation: meetings, documents, groups, drafts, restitutions, models, assignments, plan links
    await trx.deleteFrom('consultations').where('slug', '=', slug).execute();
    await trx.deleteFrom('contribution_counts').where('consultation', '=', slug).execute();
    await trx.deleteFrom('jobs').where('consultation', '=', slug).execute();
    if (store.dialect === 'sqlite') await sql`DELETE FROM search_scopes WHERE consultation = ${slug}`.execute(trx);
    // audit entries keep who, when and what, without the words of contributions that no longer exist
    let afterId = 0;
    for (;;) {
      const rows = await trx.selectFrom('audit_log').select(['id', 'before_json', 'after_json']).where('consultation', '=', slug).where('id', '>', afterId).orderBy('id').limit(500).execute();
      if (rows.length === 0) break;
      afterId = Number(rows[rows.length - 1]!.id);
      counts.auditEntriesKept += rows.length;
      for (const r of rows) {
        const strip = (json: string | null) => (json === null ? { json, changed: false } : (() => {
          const s = scrub(JSON.parse(json), new Set(), [], ERASED_TEXT, true);
          return { json: s.changed ? JSON.stringify(s.value) : json, changed: s.changed };
        })());
        const b = strip(r.before_json);
        const a = strip(r.after_json);
        if (!b.changed && !a.changed) continue;
        await trx.updateTable('audit_log').set({ before_json: b.json, after_json: a.json }).where('id', '=', r.id).execute();
        counts.auditEntriesRewritten++;
      }
    }
    await recordAudit(trx, {
      actor: who.actor, action: 'consultation.delete', consultation: slug, targetType: 'consultation', targetId: slug, at: who.at,
      before: { title: c.title }, after: { counts },
    });
    return { consultation: slug, counts };
  });
}

export interface ImportedDocument {
  id: string; fileName: string; importedAt: string; parser: string; publishedBy: string | null;
  contributions: number; meetings: number; sourceFileKept: boolean;
}

/** The consultation's imported documents, newest first, with what deleting each would remove. */
export async function listImportedDocuments(store: Store, consultation: string): Promise<ImportedDocument[]> {
  const rows = await store.db.selectFrom('source_documents as d')
    .select((eb) => [
      'd.id', 'd.file_name', 'd.imported_at', 'd.parser', 'd.published_by',
      eb.selectFrom('contributions as c').select((e) => e.fn.countAll<number>().as('n')).whereRef('c.document_id', '=', 'd.id').as('contributions'),
      eb.selectFrom('meetings as m').select((e) => e.fn.countAll<number>().as('n')).whereRef('m.document_id', '=', 'd.id').as('meetings'),
      eb.selectFrom('source_files as f').select((e) => e.fn.countAll<number>().as('n')).whereRef('f.document_id', '=', 'd.id').as('files'),
    ])
    .where('d.consultation', '=', consultation).orderBy('d.imported_at', 'desc').orderBy('d.id').execute();
  return rows.map((r) => ({
    id: r.id, fileName: r.file_name, importedAt: r.imported_at, parser: r.parser, publishedBy: r.published_by,
    contributions: Number(r.contributions ?? 0), meetings: Number(r.meetings ?? 0), sourceFileKept: Number(r.files ?? 0) > 0,
  }));
}
