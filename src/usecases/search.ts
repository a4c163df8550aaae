/**
 * Finding things on the public site (issue 16): the site-wide search (consultations, défis and objectives of the
 * plans, common ideas of published restitutions, published contributions) and the public list of a consultation's
 * contributions with its sort and date filters. Both read only what the public may see: contributions through the
 * one public filter (PUBLIC_FILTER, the public list's own search), ideas as the restitution shows them.
 */
import type { Consultation } from '../domain/consultation.ts';
import { isPublic, type ModerationStatus } from '../domain/contribution.ts';
import { DEPARTEMENTS } from '../domain/geography.ts';
import type { PageItem } from '../domain/page-items.ts';
import { UserError } from '../domain/errors.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import { latestPublishedSynthesis } from '../store/moderation.ts';
import { pageContributions, pageSearch, type ContributionPageItem } from '../store/moderation-page.ts';
import { rankCandidates } from '../store/search-rank.ts';
import { matchedSpans, searchTerms } from '../store/search-terms.ts';
import { groupConsultation } from '../store/analysis.ts';
import { contributionState, ideaHasPublicMember, lastAuditId, planElementTexts, planExists, searchPublicContributions } from '../store/site-search.ts';
import { PUBLIC_FILTER, type ContributionFilter, type Store } from '../store/store.ts';
import { loadSynthesisData } from '../synthesis/data.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';
import { departementOf } from './plan.ts';

// ---- site-wide search ----

/** The kinds of results, in the order the results page groups them. */
export const SEARCH_KINDS = ['consultation', 'plan', 'idea', 'contribution'] as const;
export type SearchKind = typeof SEARCH_KINDS[number];
export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_QUERY_MAX = 200;

/** A text with the ranges [start, end) of the words that match the query. */
export interface MarkedText { text: string; marks: [number, number][] }

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** the public page of the item */
  href: string;
  title: MarkedText;
  /** a passage of the text around its first matching word (null: the title says it all) */
  excerpt: MarkedText | null;
  /** where it comes from: the consultation or the plan */
  context: string | null;
  /** a contribution's date, an idea's number of public contributions */
  date: string | null;
  contributions: number | null;
}

export interface SiteSearchResult {
  query: string;
  /** the kind the page is limited to, or null for all */
  kind: SearchKind | null;
  counts: Record<SearchKind, number>;
  /** results of the kind asked (all kinds: their sum) */
  total: number;
  page: number;
  pageSize: number;
  items: SearchHit[];
}

/** Contributions are read a page at a time; their total is capped by the public list's search (SEARCH_RESULTS_CAP per consultation). */
export async function siteSearch(ctx: UseCaseContext, input: { q: string; page?: number; kind?: SearchKind }): Promise<SiteSearchResult> {
  const query = (input.q ?? '').replace(/\s+/g, ' ').trim();
  if (!query) throw new UserError('invalid', 'Indiquez ce que vous cherchez.', 'q');
  if (query.length > SEARCH_QUERY_MAX) throw new UserError('invalid', `La recherche est trop longue : ${SEARCH_QUERY_MAX} caractères au plus.`, 'q');
  const terms = new Set(searchTerms(query));
  if (terms.size === 0) throw new UserError('invalid', 'Indiquez au moins un mot à chercher (des lettres ou des chiffres).', 'q');
  const page = input.page ?? 1;
  if (!Number.isInteger(page) || page < 1) throw new UserError('invalid', 'Le numéro de page doit être un nombre entier à partir de 1.', 'page');
  const kind = input.kind ?? null;
  const pageSize = SEARCH_PAGE_SIZE;

  // the consultations the public sees (drafts are not)
  const consultations = (await ctx.store.listConsultations()).filter((c) => c.status !== 'draft');
  const titleOf = new Map(consultations.map((c) => [c.slug, c.title]));
  const small: Record<Exclude<SearchKind, 'contribution'>, SearchHit[]> = {
    consultation: ranked(terms, consultations.map((c) => ({
      text: [c.title, c.description ?? ''].join(' '),
      hit: { kind: 'consultation', id: c.slug, href: `/consultations/${encodeURIComponent(c.slug)}`, title: mark(c.title, terms),
        excerpt: c.description ? excerpt(c.description, terms) : null, context: null, date: null, contributions: null } satisfies SearchHit,
    }))),
    plan: ranked(terms, (await planElementTexts(ctx.store)).map((e) => ({
      text: [e.title, e.body ?? ''].join(' '),
      hit: {
        kind: 'plan', id: `${e.planId}#${e.code}`, href: `/schemas/${encodeURIComponent(e.planId)}#el-${encodeURIComponent(e.code)}`,
        title: mark(`${e.kind === 'defi' ? 'Défi' : 'Objectif'} ${e.code} : ${e.title}`, terms),
        excerpt: e.body ? excerpt(e.body, terms) : null,
        context: `${e.planTitle} — ${e.territoryName}${e.period ? ` ${e.period.start}-${e.period.end}` : ''}`, date: null, contributions: null,
      } satisfies SearchHit,
    }))),
    idea: ranked(terms, (await publishedIdeas(ctx.store, consultations)).map((i) => ({
      text: i.label,
      hit: { kind: 'idea', id: i.id, href: `/idees/${encodeURIComponent(i.id)}`, title: mark(i.label, terms), excerpt: null,
        context: titleOf.get(i.consultation) ?? null, date: null, contributions: i.contributions } satisfies SearchHit,
    }))),
  };
  // contributions: the counts first (a page of none), then the page wanted
  const kindsShown = kind ? [kind] : [...SEARCH_KINDS];
  const offset = (page - 1) * pageSize;
  const before = kindsShown.filter((k) => k !== 'contribution').reduce((n, k) => n + small[k as keyof typeof small].length, 0);
  const items: SearchHit[] = kindsShown.filter((k) => k !== 'contribution').flatMap((k) => small[k as keyof typeof small]).slice(offset, offset + pageSize);
  const wantContributions = kindsShown.includes('contribution') && items.length < pageSize;
  const slugs = consultations.map((c) => c.slug);
  const found = await searchPublicContributions(ctx.store, slugs, query, wantContributions ? Math.max(0, offset - before) : 0, wantContributions ? pageSize - items.length : 0);
  for (const c of found.items) {
    // masked once more on the way out, as every public text (src/server/views.ts)
    const text = pseudonymise(c.text).text;
    items.push({
      kind: 'contribution', id: c.id, href: `/contributions/${encodeURIComponent(c.id)}`, title: mark(titleOf.get(c.consultation) ?? c.consultation, new Set()),
      excerpt: excerpt(text, terms), context: null, date: c.date, contributions: null,
    });
  }
  const counts = { consultation: small.consultation.length, plan: small.plan.length, idea: small.idea.length, contribution: found.total };
  const total = kindsShown.reduce((n, k) => n + counts[k], 0);
  return { query, kind, counts, total, page, pageSize, items };
}

/** The items whose text holds every term of the query (as the index: folded, stemmed), the best first (BM25). */
function ranked(terms: ReadonlySet<string>, items: { text: string; hit: SearchHit }[]): SearchHit[] {
  const all = items.map((it, seq) => ({ seq, terms: searchTerms(it.text).join(' ') }));
  const sets = all.map((c) => new Set(c.terms.split(' ')));
  const frequency = new Map([...terms].map((t) => [t, sets.filter((s) => s.has(t)).length]));
  const candidates = all.filter((c) => [...terms].every((t) => sets[c.seq]!.has(t)));
  return rankCandidates([...terms], candidates, frequency, Math.max(1, items.length)).map((seq) => items[seq]!.hit);
}

function mark(text: string, terms: ReadonlySet<string>): MarkedText {
  return { text, marks: matchedSpans(text, terms) };
}

const EXCERPT_CHARS = 280;

/** A passage of at most EXCERPT_CHARS around the first matching word, cut between words, with its marks. */
export function excerpt(text: string, terms: ReadonlySet<string>): MarkedText {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return mark(flat, terms);
  const first = matchedSpans(flat, terms)[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(EXCERPT_CHARS / 3));
  if (start > 0) { const sp = flat.indexOf(' ', start); start = sp >= 0 && sp < first ? sp + 1 : start; }
  let end = Math.min(flat.length, start + EXCERPT_CHARS);
  if (end < flat.length) { const sp = flat.lastIndexOf(' ', end); if (sp > first) end = sp; }
  const passage = `${start > 0 ? '… ' : ''}${flat.slice(start, end)}${end < flat.length ? ' …' : ''}`;
  return mark(passage, terms);
}

interface PublicIdea { id: string; consultation: string; label: string; contributions: number }

/**
 * The common ideas of the consultations whose restitution is published, as the public sees them (the restitution's
 * own reading: public members only, labels from public texts). Read anew whenever something was changed since:
 * every change is audited, so the last audit entry keys the cache.
 */
const ideaCache = new WeakMap<Store, Map<string, { key: string; ideas: PublicIdea[] }>>();

async function publishedIdeas(store: Store, consultations: readonly Consultation[]): Promise<PublicIdea[]> {
  let cache = ideaCache.get(store);
  if (!cache) ideaCache.set(store, (cache = new Map()));
  const audit = await lastAuditId(store);
  const out: PublicIdea[] = [];
  for (const c of consultations) {
    const published = await latestPublishedSynthesis(store, c.slug);
    if (!published) continue;
    const key = `${audit}:${published.id}`;
    let entry = cache.get(c.slug);
    if (entry?.key !== key) {
      const data = await loadSynthesisData(store, c.slug);
      entry = { key, ideas: data.groups.map((g) => ({ id: g.id, consultation: c.slug, label: g.label, contributions: data.groupMembers(g.id).size })) };
      cache.set(c.slug, entry);
    }
    out.push(...entry.ideas);
  }
  return out;
}

// ---- the public list of a consultation's contributions ----

export type ContributionSort = 'recentes' | 'anciennes' | 'pertinence';
export const CONTRIBUTION_SORTS: readonly ContributionSort[] = ['recentes', 'anciennes', 'pertinence'];

export interface PublicListInput {
  consultation: string;
  q?: string;
  theme?: string;
  kind?: string;
  meeting?: string;
  college?: string;
  /** YYYY-MM-DD, inclusive */
  du?: string;
  au?: string;
  /** default: pertinence with a query, recentes without */
  sort?: ContributionSort;
  page: number;
  pageSize: number;
}

/** A day written YYYY-MM-DD that exists in the calendar, or a French error naming the field. */
function day(value: string | undefined, field: 'du' | 'au'): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const label = field === 'du' ? 'de début (« du »)' : 'de fin (« au »)';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(`${v}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new UserError('invalid', `La date ${label} n’est pas une date valide : écrivez-la AAAA-MM-JJ, par exemple 2022-10-31.`, field);
  }
  return v;
}

/**
 * One page of a consultation's published contributions: full-text search (French stems), filters by theme, kind,
 * meeting, college and dates, sorted by relevance (with a query) or arrival order. A contribution without a date is
 * left out when a date is given.
 */
export async function publicContributionsPage(ctx: UseCaseContext, input: PublicListInput): Promise<{ consultation: Consultation; items: ContributionPageItem[]; total: number }> {
  const c = await visibleConsultation(ctx, input.consultation);
  const from = day(input.du, 'du');
  const to = day(input.au, 'au');
  if (from && to && from > to) throw new UserError('invalid', 'La date de début (« du ») doit précéder la date de fin (« au »), ou être la même.', 'du');
  const q = input.q?.trim() ? input.q : undefined;
  if (input.sort === 'pertinence' && !q) throw new UserError('invalid', 'Le tri par pertinence demande une recherche : indiquez des mots à chercher.', 'sort');
  const filter: ContributionFilter = {
    ...PUBLIC_FILTER, ...(input.theme ? { theme: input.theme } : {}), ...(input.kind ? { kind: input.kind } : {}), ...(input.meeting ? { meeting: input.meeting } : {}),
    ...(input.college ? { college: input.college } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}),
  };
  const offset = (input.page - 1) * input.pageSize;
  const sort = input.sort ?? (q ? 'pertinence' : 'recentes');
  const order = sort === 'anciennes' ? 'oldest' : 'newest';
  const res = q
    ? await pageSearch(ctx.store, c.slug, q, filter, offset, input.pageSize, sort === 'pertinence' ? 'relevance' : order)
    : await pageContributions(ctx.store, c.slug, filter, offset, input.pageSize, order);
  return { consultation: c, ...res };
}

// ---- the items of public pages (real 404s) ----

/**
 * Whether the item a public page shows exists and is public, by the rules of the page's own reads, in one or two
 * lookups on primary keys: a visible consultation (not a draft); a plan by its id or, as the plan page accepts,
 * a département's code or name; a contribution the publication rule makes public in a visible consultation (one
 * that is not public answers as one that does not exist); an idea of a visible consultation with a public member.
 */
export async function publicItemExists(ctx: UseCaseContext, item: PageItem): Promise<boolean> {
  const visible = async (slug: string) => {
    try { await visibleConsultation(ctx, slug); return true; } catch (e) { if (e instanceof UserError && e.code === 'not_found') return false; throw e; }
  };
  const key = item.id.trim();
  if (!key || key.length > 300) return false;
  switch (item.kind) {
    case 'consultation': return visible(key);
    case 'plan': {
      if (await planExists(ctx.store, { id: key })) return true;
      const territory = DEPARTEMENTS[key] ? key : departementOf(key);
      return territory !== undefined && planExists(ctx.store, { territory });
    }
    case 'contribution': {
      const c = await contributionState(ctx.store, key);
      return c !== undefined && isPublic({ moderation: { status: c.status as ModerationStatus } }) && visible(c.consultation);
    }
    case 'idea': {
      const slug = await groupConsultation(ctx.store, key);
      return slug !== undefined && await visible(slug) && ideaHasPublicMember(ctx.store, key, slug);
    }
  }
}
