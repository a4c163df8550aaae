/**
 * The plan elements each idea of a restitution is linked to (issue 14): only decided links (confirmed by a
 * person, or stated by a document) that say the plan takes the idea up, from public idea groups. The builder
 * writes them under each idea, the verifier checks them again, the basis fingerprints them.
 */
import { answersSource, isDecided, type PlanLink } from '../domain/links.ts';
import type { LinkedObjective } from './model.ts';

/** The titles of a plan's elements by code (objectives and défis), as printed in the plan. */
export type PlanElementTitles = Map<string, string>;

/** Codes sort as the plan reads: E1D2O10 after E1D2O9. */
export function compareCodes(a: string, b: string): number {
  return a.localeCompare(b, 'fr', { numeric: true });
}

/**
 * Idea group id → the elements it is linked to, in plan then code order. A link is left out when it is not
 * decided, does not say the plan takes the idea up, comes from an idea the public does not see (`publicIdeas`),
 * or names an element its plan no longer has (renamed or removed since): it is then reported in `unknown`.
 */
export function ideaObjectives(links: readonly PlanLink[], plans: ReadonlyMap<string, PlanElementTitles>, publicIdeas: ReadonlySet<string>):
{ byIdea: Map<string, LinkedObjective[]>; unknown: PlanLink[] } {
  const byIdea = new Map<string, Map<string, LinkedObjective>>();
  const unknown: PlanLink[] = [];
  for (const l of links) {
    if (l.source.kind !== 'idea' || !isDecided(l) || !answersSource(l) || !publicIdeas.has(l.source.id)) continue;
    const title = plans.get(l.planId)?.get(l.target!);
    if (title === undefined) { unknown.push(l); continue; }
    const kind = l.kind as LinkedObjective['kind'];
    const key = `${l.planId}\u0000${l.target}`;
    const list = byIdea.get(l.source.id) ?? new Map<string, LinkedObjective>();
    // a link both stated and confirmed is shown once; « taken up » wins over « partly »
    const seen = list.get(key);
    if (!seen || (seen.kind === 'partly' && kind === 'taken_up')) list.set(key, { plan: l.planId, code: l.target!, title, kind });
    byIdea.set(l.source.id, list);
  }
  const out = new Map<string, LinkedObjective[]>();
  for (const [id, list] of byIdea) out.set(id, [...list.values()].sort((a, b) => a.plan.localeCompare(b.plan) || compareCodes(a.code, b.code)));
  return { byIdea: out, unknown };
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
  return a.plan === b.plan && a.code === b.code && a.kind === b.kind && a.title === b.title;
}

/** The idea group an idea item stands for (its key is `g:<group id>`), if it is one. */
export function ideaGroupOfKey(key: string): string | undefined {
  return key.startsWith('g:') ? key.slice(2) : undefined;
}
