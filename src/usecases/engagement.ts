/**
 * « Signaler un contenu » and the news subscriptions of a consultation (issue 16, point 5).
 *
 * Reports: a visitor (no account) reports a published contribution with a reason from a fixed list and, optionally,
 * a few words for the moderators (never public). A moderator keeps the contribution (reports dismissed) or
 * unpublishes it with the moderation action of the queue; both audited.
 *
 * Subscriptions: double opt-in. An address is stored pending with a confirmation message in the outbox; the
 * message is written when it is sent, with fresh one-time links whose sha256 only is stored; confirming makes the
 * subscription active, unsubscribing deletes the address. Addresses never reach an audit entry (masked).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  checkEmail, CONFIRM_TOKEN_HOURS, MAX_SEND_ATTEMPTS, maskEmail, maskEmailsIn, normaliseEmail, OUTBOX_RETENTION_DAYS, PENDING_SUBSCRIPTION_DAYS,
  REPORT_DETAILS_MAX, REPORT_REASONS, renderMessage, UNSUBSCRIBE_TOKEN_DAYS, type MessageKind, type RenderedMessage, type ReportReason,
} from '../domain/engagement.ts';
import { isPublic } from '../domain/contribution.ts';
import { UserError } from '../domain/errors.ts';
import {
  claimMessages, deleteTokens, eraseSubscriber as writeErasure, insertReport, insertTokens, markFailed, markSent, outboxPage, purgeEngagement,
  reportedContributions, reportsOf, settleReports, subscribe, useToken, type OutboxPage, type ReportedContribution,
} from '../store/engagement.ts';
import type { UseCaseContext } from './context.ts';
import { moderateContribution, visibleConsultation } from './contributions.ts';
import { requireConsultation } from './consultations.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---- reports ----

/** A visitor reports a published contribution. Details: at most REPORT_DETAILS_MAX characters, for the moderators only. */
export async function reportContribution(ctx: UseCaseContext, input: { id: string; reason: string; details?: string }): Promise<{ received: true }> {
  if (!(REPORT_REASONS as readonly string[]).includes(input.reason)) {
    throw new UserError('invalid', 'Choisissez la raison du signalement dans la liste.', 'reason');
  }
  const details = input.details?.trim() || null;
  if (details && details.length > REPORT_DETAILS_MAX) {
    throw new UserError('invalid', `Le texte du signalement dépasse ${REPORT_DETAILS_MAX} caractères (${details.length}) : raccourcissez-le.`, 'details');
  }
  const c = await ctx.store.getContribution(input.id);
  // the same rule as every public page: only a published contribution of a visible consultation can be reported
  if (!c || !isPublic(c)) throw new UserError('not_found', 'Contribution introuvable : elle n’existe pas ou n’est pas publiée.');
  await visibleConsultation(ctx, c.consultation);
  const at = ctx.now().toISOString();
  const id = randomUUID();
  await insertReport(ctx.store, { id, contribution_id: c.id, consultation: c.consultation, reason: input.reason, details, created_at: at }, {
    actor: ctx.actor.name, action: 'report.create', consultation: c.consultation, targetType: 'contribution', targetId: c.id, at,
    // the reason only: the visitor's words stay out of the audit log (they go with the report)
    before: null, after: { report: id, reason: input.reason, details: details !== null },
  });
  return { received: true };
}

/** The consultation's reported contributions still public, most reported first (moderation page). */
export async function reportQueue(ctx: UseCaseContext, input: { consultation: string }): Promise<ReportedContribution[]> {
  await requireConsultation(ctx, input.consultation);
  return reportedContributions(ctx.store, input.consultation);
}

/**
 * A moderator settles the reports of a contribution: `keep` dismisses them, `unpublish` rejects the contribution
 * with the queue's moderation action (its reason required) and removes them. Both audited.
 */
export async function settleReport(ctx: UseCaseContext, input: { consultation: string; id: string; decision: 'keep' | 'unpublish'; reason?: string }): Promise<{ settled: number }> {
  const c = await ctx.store.getContribution(input.id);
  if (!c || c.consultation !== input.consultation) throw new UserError('not_found', `Contribution inconnue : ${input.id}`);
  const before = await reportsOf(ctx.store, c.id);
  if (before.count === 0) throw new UserError('conflict', 'Cette contribution n’a pas (ou plus) de signalement à traiter.');
  if (input.decision === 'unpublish') {
    if (!input.reason?.trim()) throw new UserError('invalid', 'Indiquez le motif du retrait.', 'reason');
    await moderateContribution(ctx, { id: c.id, action: 'reject', reason: input.reason });
  }
  const at = ctx.now().toISOString();
  const settled = await settleReports(ctx.store, c.id, {
    actor: ctx.actor.name, action: input.decision === 'keep' ? 'report.dismiss' : 'report.unpublish', consultation: c.consultation,
    targetType: 'contribution', targetId: c.id, at, before, after: { decision: input.decision, ...(input.reason ? { reason: input.reason } : {}) },
  });
  return { settled };
}

// ---- subscriptions ----

/**
 * Records a request to receive a consultation's news. The answer is the same whether the address was new, pending
 * or already subscribed, so that nobody learns from it who is subscribed.
 */
export async function requestSubscription(ctx: UseCaseContext, input: { consultation: string; email: string }): Promise<{ requested: true }> {
  const c = await visibleConsultation(ctx, input.consultation);
  const email = checkEmail(input.email);
  await subscribe(ctx.store, {
    id: randomUUID(), outboxId: randomUUID(), consultation: c.slug, email, emailHash: sha256(normaliseEmail(email)), masked: maskEmail(email),
    at: ctx.now().toISOString(), resendAfter: new Date(ctx.now().getTime() - HOUR).toISOString(), actor: ctx.actor.name,
  });
  return { requested: true };
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

async function spendToken(ctx: UseCaseContext, token: string, purpose: 'confirm' | 'unsubscribe'): Promise<{ consultation: { slug: string; title: string } }> {
  const t = token.trim();
  const gone = purpose === 'confirm'
    ? 'Ce lien de confirmation n’est plus valable : il a déjà servi, ou l’abonnement a été retiré. Vous pouvez vous abonner de nouveau depuis la page de la consultation.'
    : 'Ce lien de désabonnement n’est plus valable : l’adresse est sans doute déjà désabonnée et effacée.';
  if (!TOKEN.test(t)) throw new UserError('not_found', gone);
  const r = await useToken(ctx.store, { hash: sha256(t), purpose, at: ctx.now().toISOString(), actor: ctx.actor.name, masked: maskEmail });
  if (r.outcome === 'unknown') throw new UserError('not_found', gone);
  if (r.outcome === 'expired') {
    throw new UserError('invalid', purpose === 'confirm'
      ? `Ce lien de confirmation a expiré (il vaut ${CONFIRM_TOKEN_HOURS} heures) : abonnez-vous de nouveau depuis la page de la consultation pour en recevoir un autre.`
      : 'Ce lien de désabonnement a expiré : utilisez celui du dernier message reçu, ou écrivez au contact du site pour faire effacer votre adresse.');
  }
  const c = await ctx.store.getConsultation(r.consultation);
  return { consultation: { slug: r.consultation, title: c?.title ?? r.consultation } };
}

/** Confirms a subscription by the one-time link of its confirmation message. */
export const confirmSubscription = (ctx: UseCaseContext, input: { token: string }) => spendToken(ctx, input.token, 'confirm');

/** Unsubscribes by the one-time link of a message: the address is deleted with its messages and links. */
export const unsubscribe = (ctx: UseCaseContext, input: { token: string }) => spendToken(ctx, input.token, 'unsubscribe');

function requireAdmin(ctx: UseCaseContext): void {
  if (ctx.actor.role !== 'admin' && ctx.actor.role !== 'cli') throw new UserError('forbidden', 'Les abonnements et les messages sont réservés aux administrateurs.');
}

/** Erases an address from every consultation's subscribers (a person's request), audited with the address masked. */
export async function eraseSubscriber(ctx: UseCaseContext, input: { email: string }): Promise<{ erased: number }> {
  requireAdmin(ctx);
  const email = checkEmail(input.email);
  const erased = await writeErasure(ctx.store, { emailHash: sha256(normaliseEmail(email)), masked: maskEmail(email), at: ctx.now().toISOString(), actor: ctx.actor.name });
  return { erased };
}

/** The outbox for the back office (administrators): each message's state, addresses masked. */
export async function outbox(ctx: UseCaseContext, input: { page: number; pageSize: number }): Promise<OutboxPage> {
  requireAdmin(ctx);
  return outboxPage(ctx.store, (input.page - 1) * input.pageSize, input.pageSize);
}

// ---- sending ----

export interface OutgoingMessage extends RenderedMessage { to: string }

/** What sends one message (SMTP in src/jobs/mail-sender.ts); throws when the message could not be handed over. */
export type MailTransport = (m: OutgoingMessage) => Promise<void>;

/**
 * Sends up to `limit` waiting messages through `transport`: each is written now with fresh one-time links (their
 * hashes stored first), then marked sent, or failed (retried later, given up after MAX_SEND_ATTEMPTS). Errors are
 * stored with every address masked. Messages claimed by a process that died are taken again after `staleMinutes`.
 */
export async function sendWaitingMessages(ctx: UseCaseContext, input: { publicUrl: string; transport: MailTransport; limit?: number; staleMinutes?: number }): Promise<{ sent: number; failed: number }> {
  const now = ctx.now();
  const claimed = await claimMessages(ctx.store, now.toISOString(), new Date(now.getTime() - (input.staleMinutes ?? 10) * 60_000).toISOString(), input.limit ?? 20);
  let sent = 0;
  let failed = 0;
  for (const m of claimed) {
    const at = ctx.now();
    const unsubscribeToken = newToken();
    const confirmToken = m.kind === 'confirmation' ? newToken() : undefined;
    const tokens = [
      { hash: sha256(unsubscribeToken), subscriptionId: m.subscriptionId, purpose: 'unsubscribe' as const, at: at.toISOString(), expiresAt: new Date(at.getTime() + UNSUBSCRIBE_TOKEN_DAYS * DAY).toISOString() },
      ...(confirmToken ? [{ hash: sha256(confirmToken), subscriptionId: m.subscriptionId, purpose: 'confirm' as const, at: at.toISOString(), expiresAt: new Date(at.getTime() + CONFIRM_TOKEN_HOURS * HOUR).toISOString() }] : []),
    ];
    try {
      await insertTokens(ctx.store, tokens);
      const rendered = renderMessage({ kind: m.kind as MessageKind, consultation: m.consultation, publicUrl: input.publicUrl, unsubscribeToken, ...(confirmToken ? { confirmToken } : {}) });
      await input.transport({ ...rendered, to: m.email });
      await markSent(ctx.store, m.id, ctx.now().toISOString());
      sent++;
    } catch (e) {
      failed++;
      await deleteTokens(ctx.store, tokens.map((t) => t.hash)).catch(() => {});
      const message = maskEmailsIn(e instanceof Error ? e.message : String(e)).slice(0, 500);
      await markFailed(ctx.store, m.id, message, m.attempts + 1 >= MAX_SEND_ATTEMPTS);
    }
  }
  return { sent, failed };
}

/** Deletes addresses never confirmed after PENDING_SUBSCRIPTION_DAYS, expired links, messages older than OUTBOX_RETENTION_DAYS once sent or given up. */
export async function purgeSubscriptions(ctx: UseCaseContext): Promise<{ subscriptions: number; tokens: number; messages: number }> {
  const now = ctx.now().getTime();
  return purgeEngagement(ctx.store, {
    now: new Date(now).toISOString(),
    pendingBefore: new Date(now - PENDING_SUBSCRIPTION_DAYS * DAY).toISOString(),
    outboxBefore: new Date(now - OUTBOX_RETENTION_DAYS * DAY).toISOString(),
  });
}

export { REPORT_REASONS, type ReportReason };
