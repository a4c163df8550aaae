/**
 * « Ce que vous avez dit » (issue 14): under each objective (or défi) of the public plan page, what people said
 * that the plan takes up — the common ideas, contributions and the plan's own consultation items linked to it by a
 * decided link. Public text only: a withheld contribution, or an idea no public contribution supports, never shows.
 */
import { isPublic, type Contribution } from '../domain/contribution.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import { answersSource, applicableLinks, appliesTo, planItemIndex, type LinkSourceRef, type PlanLink } from '../domain/links.ts';
import { listPlanLinks } from '../store/links.ts';
import type { StoredPlan } from '../store/plans.ts';
import { publicGroups } from '../synthesis/data.ts';
import type { UseCaseContext } from './context.ts';
import { decidedLinks } from './links.ts';

/** One thing people said, as the public plan page lists it under an element. */
export interface SaidItem {
  source: LinkSourceRef;
  /** an idea's label, a contribution's public (pseudonymised) text, a plan item's printed text */
  text: string;
  kind: 'taken_up' | 'partly';
  /** an idea: its public contributions (sub-ideas included); null otherwise */
  count: number | null;
}

/** What the page needs of a consultation to show its sources: public contributions and public idea groups. */
export interface PublicSources {
  contributions: Map<string, Contribution>;
  groups: Map<string, IdeaGroup>;
  /** public members of a group and of its sub-groups */
  members(id: string): number;
  /**
   * public members of a group (sub-groups included) to which its link to `target` of `plan` applies — the one rule
   * (domain applicableLinks) the coverage report and the restitution count by; without it, every public member
   */
  applying?(id: string, plan: string, target: string): number;
}

const ORDER: Record<LinkSourceRef['kind'], number> = { idea: 0, contribution: 1, planItem: 2 };

/**
 * Element code → what was said, from decided links: ideas first (the most contributions first), then
 * contributions, then plan items in the plan's order. A source the public may not see is left out here too, even
 * when the links were already filtered: this page is public.
 */
export function saidByElement(links: readonly PlanLink[], plan: Pick<StoredPlan, 'id' | 'consultationItems'>, sources: (consultation: string | null) => PublicSources | undefined): Map<string, SaidItem[]> {
  const out = new Map<string, SaidItem[]>();
  const seen = new Set<string>();
  for (const l of links) {
    if (l.planId !== plan.id || !answersSource(l)) continue;
    const key = `${l.target}\u0000${l.source.kind}\u0000${l.source.id}`;
    if (seen.has(key)) continue;
    let item: SaidItem | undefined;
    const kind = l.kind as SaidItem['kind'];
    if (l.source.kind === 'planItem') {
      const at = planItemIndex(l.source.id, plan.consultationItems.length);
      const i = at !== undefined ? plan.consultationItems[at] : undefined;
      if (i) item = { source: { ...l.source }, text: i.text, kind, count: null };
    } else {
      const s = sources(l.consultation);
      if (l.source.kind === 'idea') {
        const g = s?.groups.get(l.source.id);
        const n = g && s ? (s.applying ? s.applying(g.id, plan.id, l.target!) : s.members(g.id)) : 0;
        // an idea whose link no longer applies to any public member (each decided otherwise) is not shown
        if (g && n > 0) item = { source: { ...l.source }, text: g.label, kind, count: n };
      } else {
        const c = s?.contributions.get(l.source.id);
        if (c && isPublic(c)) item = { source: { ...l.source }, text: c.text, kind, count: null };
      }
    }
    if (!item) continue;
    seen.add(key);
    out.set(l.target!, [...(out.get(l.target!) ?? []), item]);
  }
  for (const list of out.values()) {
    list.sort((a, b) => ORDER[a.source.kind] - ORDER[b.source.kind] || (b.count ?? 0) - (a.count ?? 0)
      || (a.source.kind === 'planItem' ? Number(a.source.id) - Number(b.source.id) : a.text.localeCompare(b.text, 'fr')));
  }
  return out;
}

/**
 * The public contributions and idea groups of a consultation; with `links` (decided and rejected, of one or more plans),
 * what each idea's links apply to (see PublicSources.applying).
 */
export async function publicSources(ctx: UseCaseContext, consultation: string, links?: readonly PlanLink[]): Promise<PublicSources> {
  const contributions = new Map((await ctx.store.listContributions(consultation)).filter(isPublic).map((c) => [c.id, c]));
  const groups = new Map(publicGroups(await ctx.store.listIdeaGroups(consultation), contributions).map((g) => [g.id, g]));
  const children = new Map<string, IdeaGroup[]>();
  for (const g of groups.values()) if (g.parent !== null && groups.has(g.parent)) children.set(g.parent, [...(children.get(g.parent) ?? []), g]);
  const memo = new Map<string, Set<string>>();
  const below = (id: string, depth = 0): Set<string> => {
    const cached = memo.get(id);
    if (cached) return cached;
    const set = new Set<string>((groups.get(id)?.members ?? []).map((m) => m.contribution));
    if (depth < 20) for (const c of children.get(id) ?? []) for (const m of below(c.id, depth + 1)) set.add(m);
    memo.set(id, set);
    return set;
  };
  const members = (id: string) => below(id).size;
  if (!links) return { contributions, groups, members };
  const mine = links.filter((l) => l.consultation === consultation && (l.source.kind === 'idea' ? groups.has(l.source.id) : l.source.kind === 'contribution' && contributions.has(l.source.id)));
  const applying = applicableLinks(mine, contributions.keys(), (id) => below(id));
  return { contributions, groups, members, applying: (id, plan, target) => [...below(id)].filter((c) => appliesTo(applying.get(c), plan, target)).length };
}

/** « Ce que vous avez dit » for every element of a plan that something said is linked to (public sources only). */
export async function planSaid(ctx: UseCaseContext, plan: Pick<StoredPlan, 'id' | 'consultationItems'>): Promise<Map<string, SaidItem[]>> {
  // decided links of sources the public may see (the links' own rule); checked again below, source by source, for their texts
  const decided = await decidedLinks(ctx, { plan: plan.id, publicOnly: true });
  const links = decided.filter(answersSource);
  // a contribution's own rejection of a target sets its idea's link to that target aside (the one rule)
  const rejected = await listPlanLinks(ctx.store, { planId: plan.id, statuses: ['rejected'], sourceKinds: ['contribution'] });
  const loaded = new Map<string, PublicSources>();
  for (const slug of new Set(links.filter((l) => l.source.kind !== 'planItem' && l.consultation !== null).map((l) => l.consultation!))) {
    loaded.set(slug, await publicSources(ctx, slug, [...decided, ...rejected]));
  }
  return saidByElement(links, plan, (slug) => (slug === null ? undefined : loaded.get(slug)));
}
