/**
 * The figures of consultations: one statistics function (`publicFigures`) serves every face that prints a
 * consultation's figures — the home page list, « En chiffres », the analysis page of the back office and
 * `fabrique stats` — so the same question gets the same number everywhere. The restitution counts the same
 * public contributions from their rows (each figure verifiable), and test/figures-faces.test.ts holds them equal.
 */
import type { ConsultationFigures } from '../domain/consultation.ts';
import { PUBLIC_MODERATION_STATUS, type ModerationStatus } from '../domain/contribution.ts';
import { publicFigures as readPublicFigures, withheldCounts } from '../store/public-stats.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';

/**
 * Public figures of consultations, by slug: public contributions only (the domain's publication rule: never
 * pending, rejected or erased ones), in total and by theme, kind, meeting, college and channel, with the
 * consultation's meetings (and the participants they state) and imported documents. A slug with no data gets zeros.
 */
export async function publicFigures(ctx: UseCaseContext, consultations: readonly string[]): Promise<Map<string, ConsultationFigures>> {
  return readPublicFigures(ctx.store, consultations);
}

/** The public figures of one consultation the public may see (drafts are not_found). */
export async function consultationFigures(ctx: UseCaseContext, slug: string): Promise<ConsultationFigures> {
  const c = await visibleConsultation(ctx, slug);
  return (await publicFigures(ctx, [c.slug])).get(c.slug)!;
}

/** Contributions kept out of the public figures, by reason: for the back office, always shown apart. */
export interface WithheldFigures {
  /** waiting for moderation */
  pending: number;
  /** rejected by moderation (spam included) */
  rejected: number;
  /** any other non-public status */
  other: number;
}

/**
 * The back office's figures of a consultation: the public figures (the same as every public face) and, apart,
 * the contributions not public. Drafts are included (the back office sees them).
 */
export async function analysisFigures(ctx: UseCaseContext, slug: string): Promise<{ public: ConsultationFigures; withheld: WithheldFigures }> {
  const c = await ctx.store.requireConsultation(slug);
  const figures = (await publicFigures(ctx, [c.slug])).get(c.slug)!;
  const byStatus = await withheldCounts(ctx.store, c.slug);
  const withheld: WithheldFigures = { pending: 0, rejected: 0, other: 0 };
  for (const [status, n] of Object.entries(byStatus)) {
    if (status === PUBLIC_MODERATION_STATUS) continue;
    if (status === ('pending' satisfies ModerationStatus)) withheld.pending += n;
    else if (status === ('rejected' satisfies ModerationStatus)) withheld.rejected += n;
    else withheld.other += n;
  }
  return { public: figures, withheld };
}
