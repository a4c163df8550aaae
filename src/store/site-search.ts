/**
 * Reads of the site-wide search (issue 16, src/usecases/search.ts) and of the server's real 404s: published
 * contributions across consultations through the one public filter (PUBLIC_FILTER and searchMatches, the search
 * of the public list), the plans' défis and objectives, and cheap existence checks of public pages' items.
 */
import { PUBLIC_FILTER, type Store } from './store.ts';
import { searchMatches } from './moderation-page.ts';
import { candidateTerms, rankCandidates, termFrequencies } from './search-rank.ts';
import { searchTerms } from './search-terms.ts';

export interface PublicContributionHit {
  id: string;
  consultation: string;
  text: string;
  kind: string | null;
  meeting: string | null;
  date: string | null;
}

/**
 * One page of the published contributions of these consultations matching a query, the most relevant first: each
 * consultation's matches as its public list finds them (searchMatches with PUBLIC_FILTER: at most
 * SEARCH_RESULTS_CAP each), merged by BM25 over the stemmed terms when more than one consultation has some.
 */
export async function searchPublicContributions(store: Store, consultations: readonly string[], query: string, offset: number, limit: number):
  Promise<{ total: number; items: PublicContributionHit[] }> {
  const per = await Promise.all(consultations.map(async (slug) => ({ slug, seqs: await searchMatches(store, slug, query, PUBLIC_FILTER) })));
  const found = per.filter((p) => p.seqs.length > 0);
  const slugOf = new Map(found.flatMap((p) => p.seqs.map((seq) => [seq, p.slug] as const)));
  let order: number[];
  if (found.length <= 1) order = found[0]?.seqs ?? [];
  else {
    const terms = [...new Set(searchTerms(query))];
    const all = found.flatMap((p) => p.seqs);
    const [candidates, stats] = await Promise.all([candidateTerms(store, all), termFrequencies(store, terms)]);
    order = rankCandidates(terms, candidates, stats.frequency, stats.totalDocs);
  }
  const seqs = order.slice(offset, offset + limit);
  const bySlug = new Map<string, number[]>();
  for (const seq of seqs) bySlug.set(slugOf.get(seq)!, [...(bySlug.get(slugOf.get(seq)!) ?? []), seq]);
  // the rows are read through the public filter again: what is shown obeys the row itself, whatever the index holds
  const rows = new Map<number, PublicContributionHit>();
  for (const [slug, list] of bySlug) {
    const read = await store.filteredContributions(slug, PUBLIC_FILTER)
      .select(['contributions.seq', 'contributions.id', 'contributions.text', 'contributions.kind', 'contributions.meeting', 'contributions.date'])
      .where('contributions.seq', 'in', list).execute();
    for (const r of read) rows.set(Number(r.seq), { id: r.id, consultation: slug, text: r.text, kind: r.kind, meeting: r.meeting, date: r.date });
  }
  return { total: order.length, items: seqs.map((s) => rows.get(s)).filter((r): r is PublicContributionHit => r !== undefined) };
}

export interface PlanElementText {
  planId: string;
  planTitle: string;
  territoryName: string;
  period: { start: number; end: number } | null;
  code: string;
  kind: 'defi' | 'objective';
  title: string;
  /** what the défi's « enjeux » or the objective's « objectif » rubric prints (searched too) */
  body: string | null;
}

/** The défis and objectives of every plan (the public plan pages show every imported plan), in plan order. */
export async function planElementTexts(store: Store): Promise<PlanElementText[]> {
  const rows = await store.db.selectFrom('plan_elements').innerJoin('plans', 'plans.id', 'plan_elements.plan_id')
    .select(['plans.id as plan_id', 'plans.title as plan_title', 'plans.territory_name', 'plans.period_start', 'plans.period_end',
      'plan_elements.code', 'plan_elements.kind', 'plan_elements.title', 'plan_elements.enjeux', 'plan_elements.objectif'])
    .where('plan_elements.kind', 'in', ['defi', 'objective'])
    .orderBy('plans.imported_at', 'desc').orderBy('plans.id').orderBy('plan_elements.position').execute();
  return rows.map((r) => ({
    planId: r.plan_id, planTitle: r.plan_title, territoryName: r.territory_name,
    period: r.period_start !== null && r.period_end !== null ? { start: Number(r.period_start), end: Number(r.period_end) } : null,
    code: r.code, kind: r.kind as 'defi' | 'objective', title: r.title, body: (r.kind === 'defi' ? r.enjeux : r.objectif) ?? null,
  }));
}

/** The last audit entry's number: every change is audited, so a cache of derived public data keyed by it is fresh. */
export async function lastAuditId(store: Store): Promise<number> {
  const r = await store.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(r?.id ?? 0);
}

// ---- the items of public pages (the server's real 404s) ----

/** A contribution's moderation status and consultation (one lookup on the primary key), or undefined. */
export async function contributionState(store: Store, id: string): Promise<{ status: string; consultation: string } | undefined> {
  const r = await store.db.selectFrom('contributions').select(['moderation_status', 'consultation']).where('id', '=', id).executeTakeFirst();
  return r ? { status: r.moderation_status, consultation: r.consultation } : undefined;
}

/**
 * Whether an idea group, or one of its sub-ideas (ideas have two levels), has a member the public filter lets
 * through (primary keys and the public index).
 */
export async function ideaHasPublicMember(store: Store, id: string, consultation: string): Promise<boolean> {
  const r = await store.db.selectFrom('idea_members').select('idea_members.group_id')
    .where((eb) => eb.or([eb('idea_members.group_id', '=', id),
      eb('idea_members.group_id', 'in', eb.selectFrom('idea_groups').select('idea_groups.id').where('idea_groups.parent', '=', id))]))
    .where('idea_members.contribution_id', 'in', store.filteredContributions(consultation, PUBLIC_FILTER).select('contributions.id'))
    .limit(1).executeTakeFirst();
  return r !== undefined;
}

/** Whether a plan has this id, or, given a département code, whether one plan of it exists (one indexed lookup). */
export async function planExists(store: Store, by: { id: string } | { territory: string }): Promise<boolean> {
  const q = store.db.selectFrom('plans').select('id');
  const r = await ('id' in by ? q.where('id', '=', by.id) : q.where('territory', '=', by.territory)).limit(1).executeTakeFirst();
  return r !== undefined;
}
