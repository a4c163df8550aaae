/**
 * The follow-up of a plan as figures that verify (issue 15): the funnel « ce que vous avez dit → ce qui est fait »
 * and the annual report « Bilan de suivi du schéma territorial de santé ». Read-only (nothing is written, hence no
 * audit entry). Faces: `fabrique followup`, GET /api/admin/plans/:id/followup/report, and the public follow-up
 * (package PUBLIC) which shows the funnel.
 */
import { computeFunnel, followupData, type FunnelStepKey } from '../synthesis/followup.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';
import { getPlan } from './plan.ts';

export interface FollowupFunnel {
  plan: string;
  consultation: string | null;
  steps: { key: FunnelStepKey; label: string; count: number }[];
}

/**
 * The funnel of a plan: public contributions of its consultation → top-level common ideas with a public member →
 * objectives a decided link (taken up or partly) applying to a public contribution feeds → their top-level actions
 * engagées, en cours or réalisées → those réalisées. Each count is the `followup` figure rule the report's verifier
 * recomputes (src/synthesis/data.ts evaluateFollowup). Public data only; a visitor gets the funnel of a plan whose
 * consultation is open to the public (or that has none).
 */
export async function followupFunnel(ctx: UseCaseContext, input: { plan: string }): Promise<FollowupFunnel> {
  const plan = await getPlan(ctx, input.plan);
  if (ctx.actor.role === 'visitor' && plan.consultation) await visibleConsultation(ctx, plan.consultation);
  const data = await followupData(ctx.store, plan);
  const steps = await computeFunnel(data, plan.id);
  return { plan: plan.id, consultation: plan.consultation, steps: steps.map(({ key, label, count }) => ({ key, label, count })) };
}
