/** Published restitutions that stop being valid when a contribution they rely on changes. */
import { recordAudit } from './audit.ts';
import type { Db } from './schema.ts';

/**
 * A published restitution that counts or quotes a contribution which stops being public (or whose
 * text changes) is flagged stale, in the same transaction, and no longer served until published again.
 */
export async function flagStaleRestitutions(trx: Db, consultation: string, contributionId: string, at: string, actor: string, reason: string): Promise<void> {
  const published = await trx.selectFrom('published_syntheses').select(['id', 'contributions_json'])
    .where('consultation', '=', consultation).where('stale_since', 'is', null).execute();
  for (const p of published) {
    // before migration 0009 what a restitution relied on was not recorded: assume it relied on everything
    const relied = p.contributions_json === null || (JSON.parse(p.contributions_json) as string[]).includes(contributionId);
    if (!relied) continue;
    await trx.updateTable('published_syntheses').set({ stale_since: at, stale_reason: reason }).where('id', '=', p.id).execute();
    await recordAudit(trx, { actor, action: 'synthesis.stale', consultation, targetType: 'synthesis', targetId: p.id, at, before: null, after: { reason, contribution: contributionId } });
  }
}
