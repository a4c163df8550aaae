/** Published restitutions that stop being valid when a contribution they rely on changes. */
import { answersSource, type LinkSourceRef, type PlanLink } from '../domain/links.ts';
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

/**
 * A decided link of an idea to a plan changed (issue 14: confirmed, rejected, undone): a published restitution
 * that counts or quotes one of the idea's contributions (its sub-ideas' included) may show the idea, hence « Repris
 * dans le schéma : … » under it; it is flagged stale the same way, in the caller's transaction.
 */
export async function flagRestitutionsShowingIdea(trx: Db, consultation: string, groupId: string, at: string, actor: string, reason: string): Promise<number> {
  const groups = await trx.selectFrom('idea_groups').select(['id', 'parent']).where('consultation', '=', consultation).execute();
  const children = new Map<string, string[]>();
  for (const g of groups) if (g.parent !== null) children.set(g.parent, [...(children.get(g.parent) ?? []), g.id]);
  const ids = new Set<string>();
  const visit = (id: string, depth: number) => {
    if (ids.has(id) || depth > 20) return;
    ids.add(id);
    for (const c of children.get(id) ?? []) visit(c, depth + 1);
  };
  visit(groupId, 0);
  const members = new Set((await trx.selectFrom('idea_members').select('contribution_id').where('group_id', 'in', [...ids]).execute()).map((m) => m.contribution_id));
  if (members.size === 0) return 0;
  const published = await trx.selectFrom('published_syntheses').select(['id', 'contributions_json'])
    .where('consultation', '=', consultation).where('stale_since', 'is', null).execute();
  let flagged = 0;
  for (const p of published) {
    const relied = p.contributions_json === null || (JSON.parse(p.contributions_json) as string[]).some((id) => members.has(id));
    if (!relied) continue;
    await trx.updateTable('published_syntheses').set({ stale_since: at, stale_reason: reason }).where('id', '=', p.id).execute();
    await recordAudit(trx, { actor, action: 'synthesis.stale', consultation, targetType: 'synthesis', targetId: p.id, at, before: null, after: { reason, idea: groupId } });
    flagged++;
  }
  return flagged;
}

/**
 * After a decision (or its undo) on a source's links, in its transaction: when the source is an idea or a
 * contribution and what a restitution shows of it changed (the elements named under its idea, their kind), the
 * published restitutions relying on it are flagged stale. A decision on a suggestion nobody saw, or on a plan's own
 * consultation item, changes no restitution.
 */
export async function flagRestitutionsAfterLinkChange(trx: Db, change: {
  source: LinkSourceRef; consultation: string | null; before: readonly PlanLink[]; after: readonly PlanLink[]; at: string; actor: string;
}): Promise<void> {
  if (change.source.kind === 'planItem' || change.consultation === null) return;
  const shown = (links: readonly PlanLink[]) => links.filter(answersSource).map((l) => `${l.planId}\u0000${l.target}\u0000${l.kind}`).sort().join('\n');
  if (shown(change.before) === shown(change.after)) return;
  if (change.source.kind === 'idea') await flagRestitutionsShowingIdea(trx, change.consultation, change.source.id, change.at, change.actor, 'un lien d’une idée au schéma territorial de santé a changé');
  else await flagStaleRestitutions(trx, change.consultation, change.source.id, change.at, change.actor, 'un lien d’une contribution au schéma territorial de santé a changé');
}
