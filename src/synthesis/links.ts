/**
 * The plan elements each idea of a restitution is linked to (issue 14): only decided links (confirmed by a
 * person, or stated by a document) that say the plan takes the source up, from public idea groups and public
 * contributions. The builder writes them under each idea, the verifier checks them again, the basis fingerprints them.
 */
import { answersSource, applicableLinks, appliesTo, isDecided, type PlanLink } from '../domain/links.ts';
import { walkIdeas, walkSections, type IdeaItem, type LinkedObjective, type Section } from './model.ts';

/** The titles of a plan's elements by code (objectives and défis), as printed in the plan. */
export type PlanElementTitles = Map<string, string>;

/** Codes sort as the plan reads: E1D2O10 after E1D2O9. */
export function compareCodes(a: string, b: string): number {
  return a.localeCompare(b, 'fr', { numeric: true });
}

/** Decided links saying the plan takes the source up, by source, for the sources the public sees. */
export interface LinkedBySource {
  /** public idea group id → elements, plan then code order */
  byIdea: Map<string, LinkedObjective[]>;
  /** public contribution id → elements, plan then code order */
  byContribution: Map<string, LinkedObjective[]>;
  /** decided links of public sources naming an element their plan no longer has (renamed or removed since) */
  unknown: PlanLink[];
}

const byPlanAndCode = (a: LinkedObjective, b: LinkedObjective) => a.plan.localeCompare(b.plan) || compareCodes(a.code, b.code);

/**
 * The elements each idea and each contribution is linked to. A link is left out when it is not decided, does not
 * say the plan takes the source up, or comes from a source the public does not see (`visible`); one naming an
 * element its plan no longer has is reported in `unknown`. Plan items are no source of a restitution.
 */
export function linkedObjectives(links: readonly PlanLink[], plans: ReadonlyMap<string, PlanElementTitles>,
  visible: { ideas: ReadonlySet<string>; contributions: ReadonlySet<string> }, members?: (idea: string) => Iterable<string>): LinkedBySource {
  const maps = { idea: new Map<string, Map<string, LinkedObjective>>(), contribution: new Map<string, Map<string, LinkedObjective>>() };
  const unknown: PlanLink[] = [];
  for (const l of links) {
    if (l.source.kind === 'planItem' || !isDecided(l) || !answersSource(l)) continue;
    if (!(l.source.kind === 'idea' ? visible.ideas : visible.contributions).has(l.source.id)) continue;
    const title = plans.get(l.planId)?.get(l.target!);
    if (title === undefined) { unknown.push(l); continue; }
    const kind = l.kind as LinkedObjective['kind'];
    const key = `${l.planId}\u0000${l.target}`;
    const map = maps[l.source.kind];
    const list = map.get(l.source.id) ?? new Map<string, LinkedObjective>();
    // a link both stated and confirmed is shown once; « taken up » wins over « partly »
    const seen = list.get(key);
    if (!seen || (seen.kind === 'partly' && kind === 'taken_up')) list.set(key, { plan: l.planId, code: l.target!, title, kind });
    map.set(l.source.id, list);
  }
  if (members) {
    // the one rule (domain applicableLinks, as coverage and the plan page): an idea's element is shown with the number of its
    // public members the link still applies to (a member's own decision prevails), and not at all when it applies to none
    const shown = links.filter((l) => l.source.kind !== 'planItem' && (l.source.kind === 'idea' ? visible.ideas : visible.contributions).has(l.source.id));
    const applying = applicableLinks(shown, visible.contributions, members);
    for (const [idea, list] of maps.idea) {
      const ids = [...new Set(members(idea))];
      for (const [key, o] of list) {
        const n = ids.filter((id) => appliesTo(applying.get(id), o.plan, o.code)).length;
        if (n === 0) list.delete(key);
        else list.set(key, { ...o, contributions: n });
      }
      if (list.size === 0) maps.idea.delete(idea);
    }
  }
  const sorted = (m: Map<string, Map<string, LinkedObjective>>) => new Map([...m].map(([id, list]) => [id, [...list.values()].sort(byPlanAndCode)]));
  return { byIdea: sorted(maps.idea), byContribution: sorted(maps.contribution), unknown };
}

/**
 * The elements an idea item of a restitution names: those its idea group is linked to, then those some of its own
 * contributions (not its sub-ideas': they name theirs) are linked to, with how many (`contributions`). The same
 * element through both is the idea's. Undefined when there is none.
 */
export function objectivesForItem(group: string | undefined, own: readonly string[], linked: Pick<LinkedBySource, 'byIdea' | 'byContribution'>): LinkedObjective[] | undefined {
  const out = new Map<string, LinkedObjective>();
  for (const o of group !== undefined ? linked.byIdea.get(group) ?? [] : []) out.set(`${o.plan}\u0000${o.code}`, { ...o });
  const through = new Map<string, { o: LinkedObjective; n: number; takenUp: boolean }>();
  for (const id of new Set(own)) {
    for (const o of linked.byContribution.get(id) ?? []) {
      const key = `${o.plan}\u0000${o.code}`;
      if (out.has(key)) continue;
      const t = through.get(key) ?? { o, n: 0, takenUp: false };
      t.n++;
      t.takenUp ||= o.kind === 'taken_up';
      through.set(key, t);
    }
  }
  // « partly » only when every contribution linked to it is partly taken up
  for (const [key, t] of through) out.set(key, { plan: t.o.plan, code: t.o.code, title: t.o.title, kind: t.takenUp ? 'taken_up' : 'partly', contributions: t.n });
  return out.size > 0 ? [...out.values()].sort(byPlanAndCode) : undefined;
}

/** The elements of a stored plan tree by code: défis and objectives (what a link may target). */
export function elementTitles(plan: { engagements: { defis: { code: string; title: string; objectives: { code: string; title: string }[] }[] }[] }): PlanElementTitles {
  const out: PlanElementTitles = new Map();
  for (const e of plan.engagements) for (const d of e.defis) {
    out.set(d.code, d.title);
    for (const o of d.objectives) out.set(o.code, o.title);
  }
  return out;
}

/** Same objectives, same order, same kinds (what the document says against what the data says). */
export function sameObjective(a: LinkedObjective, b: LinkedObjective): boolean {
  return a.plan === b.plan && a.code === b.code && a.kind === b.kind && a.title === b.title && (a.contributions ?? null) === (b.contributions ?? null);
}

/** The idea group an idea item stands for (its key is `g:<group id>`), if it is one. */
export function ideaGroupOfKey(key: string): string | undefined {
  return key.startsWith('g:') ? key.slice(2) : undefined;
}

/** The contributions an idea item counts that none of its sub-items counts (`counted`: a figure's contributions). */
export function ownContributions(it: Pick<IdeaItem, 'figure' | 'children'>, counted: (figure: string) => readonly string[] | undefined): string[] {
  const below = new Set((Array.isArray(it.children) ? it.children : []).flatMap((c) => [...(counted(c.figure) ?? [])]));
  return (counted(it.figure) ?? []).filter((id) => !below.has(id));
}

/** Sets `objectives` on every idea item of the sections, from the links (the builder's last step). */
export function attachObjectives(sections: Section[], linked: Pick<LinkedBySource, 'byIdea' | 'byContribution'>, counted: (figure: string) => readonly string[] | undefined): void {
  for (const s of walkSections(sections)) for (const b of s.blocks) {
    if (b.type !== 'ideas') continue;
    for (const it of walkIdeas(b.items)) {
      const o = objectivesForItem(ideaGroupOfKey(it.key), ownContributions(it, counted), linked);
      if (o) it.objectives = o;
      else delete it.objectives;
    }
  }
}
