/**
 * The moderation queue at scale: a page of contributions filtered by status, theme, meeting, channel and a
 * full-text search (the store's scoped search, never a second one), with the count of each status; and one
 * decision (publish, reject with a reason) on a selection, by ids or by the filter, in one transaction.
 */
import type { ModerationStatus } from '../domain/contribution.ts';
import { UserError } from '../domain/errors.ts';
import { BULK_MODERATION_MAX } from '../domain/moderation.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import { moderationSelection, moderationTargets, writeBulkModeration, type BulkDecision } from '../store/moderation-bulk.ts';
import { pageContributions, pageSearch, searchMatches, type ContributionPageItem } from '../store/moderation-page.ts';
import { privateTexts, type PrivateText } from '../store/moderation.ts';
import type { ContributionFilter } from '../store/store.ts';
import type { UseCaseContext } from './context.ts';
import { requireConsultation } from './consultations.ts';

export const QUEUE_STATUSES = ['pending', 'published', 'rejected'] as const satisfies readonly ModerationStatus[];
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** What the queue is filtered on; every criterion is optional and they combine (AND). */
export interface QueueFilter {
  status?: QueueStatus;
  theme?: string;
  meeting?: string;
  channel?: string;
  /** full-text search (French stems), most relevant first */
  q?: string;
}

const mayModerate = (ctx: UseCaseContext) => ctx.actor.role === 'analyst' || ctx.actor.role === 'admin' || ctx.actor.role === 'cli';

function requireModerator(ctx: UseCaseContext): void {
  if (!mayModerate(ctx)) throw new UserError('forbidden', 'La modération est réservée aux analystes.');
}

function storeFilter(f: QueueFilter, status: string | undefined): ContributionFilter {
  return {
    ...(status ? { moderation: status } : {}), ...(f.theme ? { theme: f.theme } : {}),
    ...(f.meeting ? { meeting: f.meeting } : {}), ...(f.channel ? { channel: f.channel } : {}),
  };
}

const query = (f: QueueFilter) => (f.q && f.q.trim() ? f.q : undefined);

export interface QueuePage {
  items: ContributionPageItem[];
  /** originals of the pseudonymised texts on the page (shown to the roles that may see them) */
  privates: Map<string, PrivateText>;
  total: number;
  /** contributions of each status matching the other criteria (with a text query: as many as the search lists) */
  counts: Record<QueueStatus, number>;
}

/** One page of the moderation queue (`status` defaults to pending), with the counts of each status. */
export async function moderationQueue(ctx: UseCaseContext, input: { consultation: string; filter: QueueFilter; page: number; pageSize: number }): Promise<QueuePage> {
  requireModerator(ctx);
  const c = await requireConsultation(ctx, input.consultation);
  const f = { ...input.filter, status: input.filter.status ?? 'pending' };
  const q = query(f);
  const offset = (input.page - 1) * input.pageSize;
  const res = q
    ? await pageSearch(ctx.store, c.slug, q, storeFilter(f, f.status), offset, input.pageSize)
    : await pageContributions(ctx.store, c.slug, storeFilter(f, f.status), offset, input.pageSize);
  const counts = Object.fromEntries(await Promise.all(QUEUE_STATUSES.map(async (s) => [s,
    s === f.status ? res.total
      : q ? (await searchMatches(ctx.store, c.slug, q, storeFilter(f, s))).length
        : await ctx.store.countContributions(c.slug, storeFilter(f, s))]))) as Record<QueueStatus, number>;
  return { items: res.items, privates: await privateTexts(ctx.store, res.items.map((i) => i.id)), total: res.total, counts };
}

export interface BulkModerationInput {
  consultation: string;
  action: 'publish' | 'reject';
  /** required to reject: the chosen reason and/or the moderator's words (see rejectionReason) */
  reason?: string;
  /** the selection: these ids… */
  ids?: string[];
  /** …or every contribution the filter matches, `expected` being the number the person confirmed */
  filter?: QueueFilter & { expected: number };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Publishes or rejects a selection of the consultation's contributions in one transaction: all or none (an id
 * outside the consultation refuses the whole decision), each audited with the reason. A selection by filter is
 * refused when it no longer matches the number of contributions the person confirmed (the queue moved
 * meanwhile) or exceeds BULK_MODERATION_MAX. Publication applies the automatic masks, as for one contribution.
 */
export async function bulkModerate(ctx: UseCaseContext, input: BulkModerationInput): Promise<{ count: number; ids: string[] }> {
  requireModerator(ctx);
  const c = await requireConsultation(ctx, input.consultation);
  const reason = input.reason?.trim() || null;
  if (input.action === 'reject' && !reason) throw new UserError('invalid', 'Indiquez le motif du rejet.', 'reason');
  let ids: string[];
  if (input.ids) {
    ids = [...new Set(input.ids)];
  } else if (input.filter) {
    const f = input.filter;
    ids = await moderationSelection(ctx.store, c.slug, storeFilter(f, f.status ?? 'pending'), query(f), BULK_MODERATION_MAX);
    if (ids.length > BULK_MODERATION_MAX) {
      throw new UserError('invalid', `La sélection dépasse ${BULK_MODERATION_MAX.toLocaleString('fr-FR')} contributions : affinez le filtre.`, 'filter');
    }
    if (ids.length !== f.expected) {
      throw new UserError('conflict', `La sélection a changé : le filtre retient maintenant ${ids.length.toLocaleString('fr-FR')} contribution${ids.length > 1 ? 's' : ''} au lieu de ${f.expected.toLocaleString('fr-FR')}. Vérifiez puis confirmez de nouveau.`);
    }
  } else {
    throw new UserError('invalid', 'Indiquez les contributions à modérer (identifiants ou filtre).', 'ids');
  }
  if (ids.length === 0) return { count: 0, ids };
  const targets = await moderationTargets(ctx.store, c.slug, ids);
  const missing = ids.find((id) => !targets.has(id));
  if (missing !== undefined) throw new UserError('not_found', `Contribution inconnue : ${missing}`);
  const decisions: BulkDecision[] = [];
  for (const [i, id] of ids.entries()) {
    const t = targets.get(id)!;
    // never published unmasked: without a kept original, the masks are applied on the text as it is
    if (input.action === 'publish' && t.original === undefined) {
      const p = pseudonymise(t.text);
      decisions.push(p.text !== t.text ? { id, text: p.text, masked: p.masked } : { id });
    } else {
      decisions.push({ id });
    }
    if (i % 200 === 199) await yieldToEventLoop();
  }
  const status: ModerationStatus = input.action === 'publish' ? 'published' : 'rejected';
  await writeBulkModeration(ctx.store, c.slug, decisions, {
    status, reason, by: ctx.actor.name, at: ctx.now().toISOString(), action: `moderation.${input.action}`,
  });
  return { count: ids.length, ids };
}
