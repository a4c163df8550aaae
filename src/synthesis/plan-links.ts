/**
 * The stored plan and its decided links, for the coverage figures (the one place the synthesis layer reads links).
 */
import type { PlanLink } from '../domain/links.ts';
import { UserError } from '../domain/errors.ts';
import { listPlanLinks } from '../store/links.ts';
import { readStoredPlan, type StoredPlan } from '../store/plans.ts';
import type { Store } from '../store/store.ts';

/**
 * The plan and its confirmed, stated and rejected links. Not filtered by consultation here: a plan item's link may carry none;
 * planLinkData (data.ts) keeps those of the consultation and the plan's own items, whose source the public may see.
 */
export async function loadPlanLinks(store: Store, planId: string): Promise<{ plan: StoredPlan; links: PlanLink[] }> {
  const plan = await readStoredPlan(store, planId);
  if (!plan) throw new UserError('not_found', `Schéma territorial de santé introuvable : « ${planId} ».`);
  // rejected ones too: a contribution's own rejection sets its idea's link to that target aside (planLinkData)
  const links = await listPlanLinks(store, { planId, statuses: ['confirmed', 'stated', 'rejected'] });
  return { plan, links };
}
