/**
 * « Signaler un contenu » and the news subscriptions (issue 16, point 5): reports of published contributions,
 * subscriptions (double opt-in), one-time tokens (their sha256 only) and the outbox of messages. Every change is one
 * transaction with its audit entry; no audit entry holds an address (masked) nor a report's own words.
 */
import { sql } from 'kysely';
import { maskEmail } from '../domain/engagement.ts';
import { recordAudit, type NewAuditEntry } from './audit.ts';
import type { ContentReportRow, MailOutboxRow } from './engagement-schema.ts';
import type { Db } from './schema.ts';
import type { Store } from './store.ts';

// ---- reports ----

export async function insertReport(store: Store, row: ContentReportRow, audit: NewAuditEntry): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('content_reports').values(row).execute();
    await recordAudit(trx, audit);
  });
}

export interface ReportedContribution {
  contributionId: string;
  count: number;
  reasons: Record<string, number>;
  /** the visitors' own words, newest first (moderators only) */
  details: { text: string; at: string }[];
  firstAt: string;
  lastAt: string;
}

/** The consultation's reported contributions that are still public, most reported first, then most recent. */
export async function reportedContributions(store: Store, consultation: string): Promise<ReportedContribution[]> {
  const rows = await store.db.selectFrom('content_reports as r').innerJoin('contributions as c', 'c.id', 'r.contribution_id')
    .select(['r.contribution_id', 'r.reason', 'r.details', 'r.created_at'])
    .where('r.consultation', '=', consultation).where('c.moderation_status', '=', 'published')
    .orderBy('r.created_at', 'desc').execute();
  const by = new Map<string, ReportedContribution>();
  for (const r of rows) {
    let e = by.get(r.contribution_id);
    if (!e) { e = { contributionId: r.contribution_id, count: 0, reasons: {}, details: [], firstAt: r.created_at, lastAt: r.created_at }; by.set(r.contribution_id, e); }
    e.count++;
    e.reasons[r.reason] = (e.reasons[r.reason] ?? 0) + 1;
    if (r.details) e.details.push({ text: r.details, at: r.created_at });
    if (r.created_at < e.firstAt) e.firstAt = r.created_at;
  }
  return [...by.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}

/** Reports of one contribution: their number and reasons (what the audit entry of a decision records). */
export async function reportsOf(store: Store, contributionId: string): Promise<{ count: number; reasons: Record<string, number> }> {
  const rows = await store.db.selectFrom('content_reports').select('reason').where('contribution_id', '=', contributionId).execute();
  const reasons: Record<string, number> = {};
  for (const r of rows) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  return { count: rows.length, reasons };
}

/** Removes the reports of a contribution once a moderator decided (kept or unpublished), with the audit entry. */
export async function settleReports(store: Store, contributionId: string, audit: NewAuditEntry): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('content_reports').where('contribution_id', '=', contributionId).executeTakeFirst();
    await recordAudit(trx, audit);
    return Number(r.numDeletedRows);
  });
}

/** Number of reported contributions still public, per consultation (the back office's to-do). */
export async function reportCounts(store: Store, consultation: string): Promise<number> {
  const r = await store.db.selectFrom('content_reports as r').innerJoin('contributions as c', 'c.id', 'r.contribution_id')
    .select(sql<number>`count(distinct r.contribution_id)`.as('n'))
    .where('r.consultation', '=', consultation).where('c.moderation_status', '=', 'published').executeTakeFirst();
  return Number(r?.n ?? 0);
}

// ---- subscriptions ----

export type SubscribeOutcome = 'created' | 'pending-again' | 'already-active';

/**
 * Records a request to subscribe: a new pending subscription with its confirmation message in the outbox; a pending
 * one gets a new confirmation message (unless one is still waiting); an active one is left as it is.
 */
export async function subscribe(store: Store, input: { id: string; consultation: string; email: string; emailHash: string; masked: string; at: string; resendAfter: string; outboxId: string; actor: string }): Promise<SubscribeOutcome> {
  return store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('mail_subscriptions').select(['id', 'status'])
      .where('consultation', '=', input.consultation).where('email_hash', '=', input.emailHash).executeTakeFirst();
    if (existing?.status === 'active') return 'already-active';
    let id = existing?.id;
    if (!id) {
      id = input.id;
      await trx.insertInto('mail_subscriptions').values({
        id, consultation: input.consultation, email: input.email, email_hash: input.emailHash, status: 'pending', created_at: input.at, confirmed_at: null,
      }).execute();
    } else {
      // one confirmation waiting, or sent within the hour, is enough: a form cannot be used to flood an address
      const waiting = await trx.selectFrom('mail_outbox').select('id').where('subscription_id', '=', id).where('kind', '=', 'confirmation')
        .where((eb) => eb.or([eb('status', 'in', ['pending', 'sending']), eb.and([eb('status', '=', 'sent'), eb('sent_at', '>', input.resendAfter)])])).executeTakeFirst();
      if (waiting) return 'pending-again';
    }
    await insertOutboxIn(trx, { id: input.outboxId, subscriptionId: id, consultation: input.consultation, kind: 'confirmation', masked: input.masked, at: input.at });
    await recordAudit(trx, {
      actor: input.actor, action: existing ? 'subscription.request-again' : 'subscription.request', consultation: input.consultation,
      targetType: 'subscription', targetId: id, at: input.at, before: null, after: { email: input.masked, status: 'pending' },
    });
    return existing ? 'pending-again' : 'created';
  });
}

async function insertOutboxIn(db: Db, m: { id: string; subscriptionId: string; consultation: string; kind: string; masked: string; at: string }): Promise<void> {
  await db.insertInto('mail_outbox').values({
    id: m.id, subscription_id: m.subscriptionId, consultation: m.consultation, kind: m.kind, to_masked: m.masked,
    status: 'pending', attempts: 0, last_error: null, created_at: m.at, claimed_at: null, sent_at: null,
  }).execute();
}

/**
 * One message per active subscriber of the consultation (a restitution published, the consultation opened or
 * closed), inside the caller's transaction. Returns how many were queued.
 */
export async function enqueueNewsIn(db: Db, consultation: string, kind: 'restitution' | 'opened' | 'closed', at: string, newId: () => string): Promise<number> {
  const subs = await db.selectFrom('mail_subscriptions').select(['id', 'email']).where('consultation', '=', consultation).where('status', '=', 'active').execute();
  for (const s of subs) {
    await insertOutboxIn(db, { id: newId(), subscriptionId: s.id, consultation, kind, masked: maskEmail(s.email), at });
  }
  return subs.length;
}

export type TokenOutcome =
  | { outcome: 'done'; consultation: string; subscriptionId: string }
  | { outcome: 'unknown' }
  | { outcome: 'expired'; consultation: string };

/**
 * Uses a one-time token: a confirmation makes the subscription active, an unsubscription deletes it (its tokens
 * and messages go with it). The token is deleted either way (single use), an expired one too.
 */
export async function useToken(store: Store, input: { hash: string; purpose: 'confirm' | 'unsubscribe'; at: string; actor: string; masked: (email: string) => string }): Promise<TokenOutcome> {
  return store.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('mail_tokens as t').innerJoin('mail_subscriptions as s', 's.id', 't.subscription_id')
      .select(['t.token_hash', 't.expires_at', 's.id', 's.consultation', 's.email', 's.status'])
      .where('t.token_hash', '=', input.hash).where('t.purpose', '=', input.purpose).executeTakeFirst();
    if (!t) return { outcome: 'unknown' } as const;
    await trx.deleteFrom('mail_tokens').where('token_hash', '=', input.hash).execute();
    if (t.expires_at <= input.at) return { outcome: 'expired', consultation: t.consultation } as const;
    if (input.purpose === 'confirm') {
      await trx.updateTable('mail_subscriptions').set({ status: 'active', confirmed_at: input.at }).where('id', '=', t.id).execute();
      // one confirmation is enough: the other confirmation links sent to this address stop working
      await trx.deleteFrom('mail_tokens').where('subscription_id', '=', t.id).where('purpose', '=', 'confirm').execute();
    } else {
      await trx.deleteFrom('mail_subscriptions').where('id', '=', t.id).execute();
    }
    await recordAudit(trx, {
      actor: input.actor, action: input.purpose === 'confirm' ? 'subscription.confirm' : 'subscription.unsubscribe', consultation: t.consultation,
      targetType: 'subscription', targetId: t.id, at: input.at,
      before: { email: input.masked(t.email), status: t.status }, after: input.purpose === 'confirm' ? { status: 'active' } : null,
    });
    return { outcome: 'done', consultation: t.consultation, subscriptionId: t.id } as const;
  });
}

/** Erases every subscription of an address (all consultations), with their tokens and messages, audited. */
export async function eraseSubscriber(store: Store, input: { emailHash: string; masked: string; at: string; actor: string }): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const subs = await trx.selectFrom('mail_subscriptions').select(['id', 'consultation']).where('email_hash', '=', input.emailHash).execute();
    if (subs.length === 0) return 0;
    await trx.deleteFrom('mail_subscriptions').where('email_hash', '=', input.emailHash).execute();
    for (const s of subs) {
      await recordAudit(trx, {
        actor: input.actor, action: 'subscription.erase', consultation: s.consultation, targetType: 'subscription', targetId: s.id, at: input.at,
        before: { email: input.masked }, after: null,
      });
    }
    return subs.length;
  });
}

// ---- the outbox ----

export interface ClaimedMessage {
  id: string;
  kind: string;
  attempts: number;
  subscriptionId: string;
  email: string;
  consultation: { slug: string; title: string };
}

/**
 * Takes up to `limit` messages to send: waiting ones, and ones claimed before `staleBefore` by a process that
 * died. Each is claimed by one conditional update, so two senders never send the same message.
 */
export async function claimMessages(store: Store, now: string, staleBefore: string, limit: number): Promise<ClaimedMessage[]> {
  const candidates = await store.db.selectFrom('mail_outbox').select(['id', 'status', 'claimed_at'])
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', staleBefore)])]))
    .orderBy('created_at').orderBy('id').limit(limit).execute();
  const claimed: string[] = [];
  for (const c of candidates) {
    let q = store.db.updateTable('mail_outbox').set({ status: 'sending', claimed_at: now }).where('id', '=', c.id).where('status', '=', c.status);
    q = c.claimed_at === null ? q.where('claimed_at', 'is', null) : q.where('claimed_at', '=', c.claimed_at);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) claimed.push(c.id);
  }
  if (claimed.length === 0) return [];
  const rows = await store.db.selectFrom('mail_outbox as m').innerJoin('mail_subscriptions as s', 's.id', 'm.subscription_id')
    .innerJoin('consultations as c', 'c.slug', 'm.consultation')
    .select(['m.id', 'm.kind', 'm.attempts', 's.id as subscription_id', 's.email', 'c.slug', 'c.title'])
    .where('m.id', 'in', claimed).orderBy('m.created_at').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, attempts: Number(r.attempts), subscriptionId: r.subscription_id, email: r.email, consultation: { slug: r.slug, title: r.title } }));
}

/** Stores the one-time tokens a message is about to carry (their hashes). */
export async function insertTokens(store: Store, tokens: { hash: string; subscriptionId: string; purpose: 'confirm' | 'unsubscribe'; at: string; expiresAt: string }[]): Promise<void> {
  if (tokens.length === 0) return;
  await store.db.insertInto('mail_tokens').values(tokens.map((t) => ({
    token_hash: t.hash, subscription_id: t.subscriptionId, purpose: t.purpose, created_at: t.at, expires_at: t.expiresAt,
  }))).execute();
}

export async function deleteTokens(store: Store, hashes: string[]): Promise<void> {
  if (hashes.length) await store.db.deleteFrom('mail_tokens').where('token_hash', 'in', hashes).execute();
}

export async function markSent(store: Store, id: string, at: string): Promise<void> {
  await store.db.updateTable('mail_outbox').set((eb) => ({ status: 'sent', sent_at: at, last_error: null, attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
}

/** A failed attempt: the message waits for the next round, or is given up after `giveUp`. */
export async function markFailed(store: Store, id: string, error: string, giveUp: boolean): Promise<void> {
  await store.db.updateTable('mail_outbox').set((eb) => ({ status: giveUp ? 'failed' : 'pending', claimed_at: null, last_error: error, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id).execute();
}

/** Deletes what is kept no longer: addresses never confirmed, expired tokens, old sent or given-up messages. */
export async function purgeEngagement(store: Store, input: { now: string; pendingBefore: string; outboxBefore: string }): Promise<{ subscriptions: number; tokens: number; messages: number }> {
  return store.db.transaction().execute(async (trx) => {
    const s = await trx.deleteFrom('mail_subscriptions').where('status', '=', 'pending').where('created_at', '<', input.pendingBefore).executeTakeFirst();
    const t = await trx.deleteFrom('mail_tokens').where('expires_at', '<=', input.now).executeTakeFirst();
    const m = await trx.deleteFrom('mail_outbox').where('status', 'in', ['sent', 'failed']).where('created_at', '<', input.outboxBefore).executeTakeFirst();
    return { subscriptions: Number(s.numDeletedRows), tokens: Number(t.numDeletedRows), messages: Number(m.numDeletedRows) };
  });
}

export interface OutboxPage {
  items: (Pick<MailOutboxRow, 'id' | 'consultation' | 'kind' | 'to_masked' | 'status' | 'attempts' | 'last_error' | 'created_at' | 'sent_at'> & { title: string })[];
  total: number;
  counts: Record<string, number>;
  subscribers: { pending: number; active: number };
}

/** The outbox for the back office, newest first, with the counts per state and the number of subscribers. */
export async function outboxPage(store: Store, offset: number, limit: number): Promise<OutboxPage> {
  const items = await store.db.selectFrom('mail_outbox as m').innerJoin('consultations as c', 'c.slug', 'm.consultation')
    .select(['m.id', 'm.consultation', 'm.kind', 'm.to_masked', 'm.status', 'm.attempts', 'm.last_error', 'm.created_at', 'm.sent_at', 'c.title'])
    .orderBy('m.created_at', 'desc').orderBy('m.id').offset(offset).limit(limit).execute();
  const counts: Record<string, number> = {};
  let total = 0;
  for (const r of await store.db.selectFrom('mail_outbox').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute()) {
    counts[r.status] = Number(r.n);
    total += Number(r.n);
  }
  const subscribers = { pending: 0, active: 0 };
  for (const r of await store.db.selectFrom('mail_subscriptions').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute()) {
    if (r.status === 'pending' || r.status === 'active') subscribers[r.status] = Number(r.n);
  }
  return { items: items.map((i) => ({ ...i, attempts: Number(i.attempts) })), total, counts, subscribers };
}
