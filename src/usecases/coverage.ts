/**
 * The coverage report of a plan (issue 14): what the consultation became in the plan, built from the decided links,
 * verified against the store before anyone reads it. Read-only (nothing is written, hence no audit entry). Faces:
 * `fabrique coverage`, GET /api/plans/:id/coverage and the public page /schemas/:id/couverture.
 */
import { UserError } from '../domain/errors.ts';
import { buildCoverage, type CoverageDocument } from '../synthesis/coverage.ts';
import {
  chromiumAvailable, renderUnverified, SynthesisVerificationError, verifySynthesis,
  type Rendered, type SynthesisDocument, type SynthesisFormat, type VerificationResult,
} from '../synthesis/index.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';
import { answeredConsultation } from './links.ts';
import { getPlan } from './plan.ts';

export interface CoverageReportInput {
  /** the consultation's slug; default: the one the plan was imported with */
  consultation?: string;
  /** a plan's id, or a département (code or name: its latest plan) */
  plan: string;
  /** also render it in this format (the JSON is the document itself) */
  format?: SynthesisFormat;
}

export interface CoverageReport {
  document: CoverageDocument;
  verification: VerificationResult;
  rendered?: Rendered;
}

/**
 * Builds the report, verifies every count and quote against the store (refused, each failure named, when one does
 * not verify: links decided between the two reads, say) and renders it when asked. A visitor sees the report of a
 * consultation open to the public only; the report itself holds public contributions and public ideas only.
 */
export async function coverageReport(ctx: UseCaseContext, input: CoverageReportInput): Promise<CoverageReport> {
  if (input.format === 'pdf' && !chromiumAvailable()) {
    throw new UserError('unavailable', 'Le PDF est produit avec Chromium, absent de ce serveur : téléchargez le HTML ou le DOCX.');
  }
  const plan = await getPlan(ctx, input.plan, input.consultation ? { consultation: input.consultation } : {});
  if (input.consultation === undefined && !plan.consultation) {
    throw new UserError('invalid', `Le schéma « ${plan.title} » n’est rattaché à aucune consultation : indiquez laquelle (--consultation).`, 'consultation');
  }
  const asked = input.consultation ?? plan.consultation!;
  // a visitor learns nothing of a draft consultation, not even that the plan does not answer it
  if (ctx.actor.role === 'visitor') await visibleConsultation(ctx, asked);
  // the links' pairing rule: the plan's own consultation, or (plan without one) one its links were made for
  const slug = (await answeredConsultation(ctx, plan, asked))!;
  const document = await buildCoverage(ctx.store, { consultation: slug, plan: plan.id, now: ctx.now() });
  const verification = await verifySynthesis(ctx.store, document as SynthesisDocument);
  if (!verification.ok) throw new SynthesisVerificationError(verification.failures, document as SynthesisDocument);
  const rendered = input.format ? await renderUnverified(document as SynthesisDocument, input.format) : undefined;
  return { document, verification, ...(rendered ? { rendered } : {}) };
}
