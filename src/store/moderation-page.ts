/** Paginated listing of contributions (public list, moderation queue), with their theme assignments. */
import type { Provenance } from '../domain/contribution.ts';
import { sql } from 'kysely';
import { SEQ_BUCKET } from './migration-0007-public-stats.ts';
import { OTHER_STATUSES, SEARCH_SEQ_SPAN, SEARCH_STATUS_CODES, searchRangeStart, seqOfSearchRowid } from './migration-0011-search-scope.ts';
import { rankWindowRows, termFrequencies } from './search-rank.ts';
import { ftsMatch, pgTsQuery, searchTerms } from './search-terms.ts';
import type { ContributionFilter, Store } from './store.ts';

/** `ids`, when given, also sets the order (e.g. full-text search results ranked by relevance). */
export type ContributionPageFilter = ContributionFilter;

export interface ContributionPageItem {
  id: string;
  text: string;
  themes: { theme: string; provenance: Provenance }[];
  kind: string | null;
  meeting: string | null;
  college: string | null;
  channel: string;
  date: string | null;
  territory: string | null;
  status: string;
  reason: string | null;
}

const COLUMNS = ['id', 'text', 'kind', 'meeting', 'author_college', 'channel', 'date', 'territory', 'moderation_status', 'moderation_reason', 'seq'] as const;

/** Most relevant search results a list pages through (the relevance order is computed over every match). */
export const SEARCH_RESULTS_CAP = 1000;

/**
 * One page of a consultation's contributions, newest first, with the number matching. The total comes from the
 * counters when the filter allows it (see countContributions); the page's positions are found on the index
 * (consultation, moderation_status, seq) before its rows are read, so a deep page skips index entries only.
 */
export async function pageContributions(store: Store, consultation: string, f: ContributionPageFilter, offset: number, limit: number,
  order: 'newest' | 'oldest' = 'newest'): Promise<{ items: ContributionPageItem[]; total: number }> {
  let rows;
  let total: number;
  if (f.ids) {
    const all = await store.filteredContributions(consultation, f).select([...COLUMNS]).execute();
    const rank = new Map(f.ids.map((id, i) => [id, i]));
    all.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
    total = all.length;
    rows = all.slice(offset, offset + limit);
  } else {
    total = await store.countContributions(consultation, f);
    const direction = order === 'oldest' ? 'asc' : 'desc';
    // the arrival-order buckets help newest first only (the deep pages of the default order)
    const start = order === 'oldest' ? { skipped: 0 } : await deepStart(store, consultation, f, offset);
    let page = store.filteredContributions(consultation, f).select('contributions.seq')
      .orderBy('contributions.seq', direction).offset(offset - start.skipped).limit(limit);
    if (start.belowSeq !== undefined) page = page.where('contributions.seq', '<', start.belowSeq);
    rows = offset >= total ? [] : await store.db.selectFrom('contributions').select([...COLUMNS])
      .where('contributions.seq', 'in', page).orderBy('contributions.seq', direction).execute();
  }
  return { total, items: await withThemes(store, rows) };
}

/**
 * Where a deep page of a list filtered on its status only starts: the arrival-order buckets counted by the triggers
 * (newest first) tell how many rows lie above the bucket holding the page's first row, so the query skips at most
 * SEQ_BUCKET index entries instead of `offset`.
 */
async function deepStart(store: Store, consultation: string, f: ContributionFilter, offset: number): Promise<{ skipped: number; belowSeq?: number }> {
  const onlyStatus = f.moderation !== undefined && Object.entries(f).every(([k, v]) => k === 'moderation' || v === undefined);
  if (!onlyStatus || offset < SEQ_BUCKET) return { skipped: 0 };
  const buckets = (await store.db.selectFrom('contribution_counts').select(['value', 'n'])
    .where('consultation', '=', consultation).where('dimension', '=', 'seq_bucket').where('moderation_status', '=', f.moderation!)
    .where('n', '>', 0).execute()).map((b) => ({ bucket: Number(b.value), n: Number(b.n) })).sort((a, b) => b.bucket - a.bucket);
  let skipped = 0;
  for (const b of buckets) {
    if (skipped + b.n > offset) return { skipped, belowSeq: (b.bucket + 1) * SEQ_BUCKET };
    skipped += b.n;
  }
  return { skipped: 0 };
}

/**
 * Matches whose relevance is computed: the most recent ones (computing the rank of every match of a common word
 * among a million contributions takes seconds). With fewer matches than this, every match is ranked.
 */
export const SEARCH_RANKED_WINDOW = 1000;

/**
 * One page of full-text search results (French stems, see searchContributions) among the contributions matching
 * a filter, most relevant first: at most SEARCH_RESULTS_CAP results, the best ranked among the
 * SEARCH_RANKED_WINDOW most recent matches (BM25, search-rank.ts, on SQLite; ts_rank on PostgreSQL). Then only
 * the page's rows are read.
 */
export async function pageSearch(store: Store, consultation: string, query: string, f: ContributionFilter, offset: number, limit: number,
  order: 'relevance' | 'newest' | 'oldest' = 'relevance'): Promise<{ items: ContributionPageItem[]; total: number }> {
  const matches = await searchMatches(store, consultation, query, f);
  // the same matches (the most relevant SEARCH_RESULTS_CAP) in arrival order when asked
  const ranked = order === 'relevance' ? matches : [...matches].sort((a, b) => order === 'newest' ? b - a : a - b);
  const seqs = ranked.slice(offset, offset + limit);
  const position = new Map(seqs.map((seq, i) => [seq, i]));
  // the rows are read through the filter again: what is shown obeys the row itself, whatever the index holds
  const rows = seqs.length === 0 ? [] : (await store.filteredContributions(consultation, f).select([...COLUMNS]).where('contributions.seq', 'in', seqs).execute())
    .sort((a, b) => position.get(Number(a.seq))! - position.get(Number(b.seq))!);
  return { total: ranked.length, items: await withThemes(store, rows) };
}

/**
 * The arrival numbers (seq) of a full-text search's results among the contributions matching a filter, most
 * relevant first, at most SEARCH_RESULTS_CAP (see pageSearch). The moderation queue's bulk decisions select
 * through it, so "every match" means what the list counts.
 */
export async function searchMatches(store: Store, consultation: string, query: string, f: ContributionFilter): Promise<number[]> {
  let ranked: { seq: number }[];
  if (store.dialect === 'sqlite') {
    const match = ftsMatch(query);
    if (!match) return [];
    // the index keys rows by consultation and status (migration 0011): each status is a rowid range, newest first
    // in ascending order; other filters (theme, kind…) are checked row by row on those matches until the window is full
    const rest: ContributionFilter = { ...f, moderation: undefined };
    const otherFilters = Object.values(rest).some((v) => v !== undefined);
    const inFilter = store.filteredContributions(consultation, rest).select(sql`1`.as('one'))
      .where(sql<boolean>`contributions.seq = ${seqOfSearchRowid('contributions_fts.rowid')}`);
    // without a status filter (the moderation queue), every status range, the code-0 one included
    const statuses = f.moderation !== undefined ? [f.moderation] : [...Object.keys(SEARCH_STATUS_CODES), OTHER_STATUSES];
    const terms = [...new Set(searchTerms(query))];
    const stats = await termFrequencies(store, terms);
    const rank = { terms, frequency: [...stats.frequency], totalDocs: stats.totalDocs, window: SEARCH_RANKED_WINDOW };
    const windowQuery = (status: string) => {
      const start = searchRangeStart(consultation, status);
      // the window's stemmed terms come with it, for the ranking (search-rank.ts)
      return sql<{ seq: number; search_terms: string | null }>`SELECT w.seq, c.search_terms FROM (
        SELECT ${seqOfSearchRowid('contributions_fts.rowid')} AS seq FROM contributions_fts WHERE contributions_fts MATCH ${match}
        AND contributions_fts.rowid BETWEEN ${start} AND ${start} + ${sql.lit(SEARCH_SEQ_SPAN - 1)} ${otherFilters ? sql`AND EXISTS ${inFilter}` : sql``}
        ORDER BY contributions_fts.rowid LIMIT ${SEARCH_RANKED_WINDOW}) AS w JOIN contributions AS c ON c.seq = w.seq`.compile(store.db);
    };
    let order: number[];
    if (statuses.length === 1) {
      // a public search: one window, ranked on the read worker that reads it
      order = await store.rankedSearchWindow(windowQuery(statuses[0]!), rank);
    } else {
      const windows = (await Promise.all(statuses.map((status) => store.readQuery<{ seq: number; search_terms: string | null }>(windowQuery(status))))).flat();
      order = rankWindowRows(windows, rank);
    }
    ranked = order.slice(0, SEARCH_RESULTS_CAP).map((seq) => ({ seq }));
  } else {
    const tsquery = pgTsQuery(query);
    if (!tsquery) return [];
    const window = store.filteredContributions(consultation, f).where(sql<boolean>`contributions.search_vector @@ to_tsquery('simple', ${tsquery})`)
      .select(['contributions.seq', sql<number>`ts_rank(contributions.search_vector, to_tsquery('simple', ${tsquery}))`.as('rank')])
      .orderBy('contributions.seq', 'desc').limit(SEARCH_RANKED_WINDOW);
    ranked = await store.db.selectFrom(window.as('w')).select('w.seq').orderBy('w.rank', 'desc').orderBy('w.seq').limit(SEARCH_RESULTS_CAP).execute();
  }
  return ranked.map((r) => Number(r.seq));
}

type PageRow = { id: string; text: string; kind: string | null; meeting: string | null; author_college: string | null; channel: string;
  date: string | null; territory: string | null; moderation_status: string; moderation_reason: string | null };

async function withThemes(store: Store, rows: PageRow[]): Promise<ContributionPageItem[]> {
  const themes = new Map<string, ContributionPageItem['themes']>();
  if (rows.length) {
    const trows = await store.db.selectFrom('contribution_themes').selectAll().where('contribution_id', 'in', rows.map((r) => r.id))
      .orderBy('contribution_id').orderBy('theme').execute();
    for (const t of trows) {
      const list = themes.get(t.contribution_id) ?? [];
      list.push({ theme: t.theme, provenance: JSON.parse(t.provenance_json) as Provenance });
      themes.set(t.contribution_id, list);
    }
  }
  return rows.map((r) => ({
    id: r.id, text: r.text, themes: themes.get(r.id) ?? [], kind: r.kind, meeting: r.meeting, college: r.author_college, channel: r.channel,
    date: r.date, territory: r.territory, status: r.moderation_status, reason: r.moderation_reason,
  }));
}
