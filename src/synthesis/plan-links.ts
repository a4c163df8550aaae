/**
 * The stored plan and its decided links, for the coverage figures (the one place the synthesis layer reads links).
 */
import type { PlanLink } from '../domain/links.ts';
import { UserError } from '../domain/errors.ts';
import { readStoredPlan, type StoredPlan } from '../store/plans.ts';
import type { Store } from '../store/store.ts';

export async function loadPlanLinks(store: Store, planId: string, consultation: string): Promise<{ plan: StoredPlan; links: PlanLink[] }> {
  const plan = await readStoredPlan(store, planId);
  if (!plan) throw new UserError('not_found', `Schéma territorial de santé introuvable : « ${planId} ».`);
  // TODO(core): listPlanLinks(store, { planId, consultation, statuses: ['confirmed', 'stated'] }) once merged
  void consultation;
  const links: PlanLink[] = [];
  return { plan, links };
}
