/**
 * The follow-up of a plan as figures that verify (issue 15): the funnel « ce que vous avez dit → ce qui est fait »
 * and the annual report « Bilan de suivi du schéma territorial de santé ». Read-only (nothing is written, hence no
 * audit entry). Faces: `fabrique followup`, GET /api/admin/plans/:id/followup/report, and the public follow-up
 * (package PUBLIC) which shows the funnel.
 */
import { UserError } from '../domain/errors.ts';
import { buildFollowupFrom, computeFunnel, followupData, type FollowupDocument, type FunnelStepKey } from '../synthesis/followup.ts';
import {
  chromiumAvailable, renderUnverified, SynthesisVerificationError, verifySynthesis,
  type Rendered, type SynthesisDocument, type SynthesisFormat, type VerificationResult,
} from '../synthesis/index.ts';
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

export interface FollowupReportInput {
  /** a plan's id, or a département (code or name: its latest plan) */
  plan: string;
  /** the year reported on (default: the current one); a past year is read as of its 31 December */
  year?: number;
  /** also render it in this format (the JSON is the document itself) */
  format?: SynthesisFormat;
}

export interface FollowupReport {
  document: FollowupDocument;
  verification: VerificationResult;
  rendered?: Rendered;
}

/**
 * The annual follow-up report of a plan (format `fabrique.followup`): built, every figure verified against the store
 * (refused, each failure named, when one does not verify: an action changed between the two reads, say), rendered
 * when asked. Back office only (analysts, administrators, the command line): it is published by hand.
 */
export async function followupReport(ctx: UseCaseContext, input: FollowupReportInput): Promise<FollowupReport> {
  const role = ctx.actor.role;
  if (role !== 'admin' && role !== 'analyst' && role !== 'cli') {
    throw new UserError('forbidden', 'Le bilan de suivi du schéma s’établit depuis l’espace d’administration (analyste ou administrateur).');
  }
  if (input.year !== undefined && (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)) {
    throw new UserError('invalid', `Année invalide : « ${String(input.year)} » (attendu : AAAA).`, 'year');
  }
  const now = ctx.now();
  if (input.year !== undefined && input.year > now.getUTCFullYear()) {
    throw new UserError('invalid', `L’année ${input.year} n’est pas commencée : un bilan porte sur l’année en cours ou une année passée.`, 'year');
  }
  if (input.format === 'pdf' && !chromiumAvailable()) {
    throw new UserError('unavailable', 'Le PDF est produit avec Chromium, absent de ce serveur : téléchargez le HTML ou le DOCX.');
  }
  const plan = await getPlan(ctx, input.plan);
  const data = await followupData(ctx.store, plan);
  const document = await buildFollowupFrom(data, { plan: plan.id, now, ...(input.year !== undefined ? { year: input.year } : {}) });
  const verification = await verifySynthesis(ctx.store, document as unknown as SynthesisDocument);
  if (!verification.ok) throw new SynthesisVerificationError(verification.failures, document as unknown as SynthesisDocument);
  const rendered = input.format ? await renderUnverified(document as unknown as SynthesisDocument, input.format) : undefined;
  return { document, verification, ...(rendered ? { rendered } : {}) };
}
