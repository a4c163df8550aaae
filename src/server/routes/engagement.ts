/**
 * « Signaler un contenu » and the news subscriptions (issue 16, point 5): the public report form and subscription,
 * the one-time links of the messages, the moderators' list of reports and the administrators' outbox.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EMAIL_MAX, MESSAGE_KINDS, OUTBOX_STATUSES, REPORT_DETAILS_MAX, REPORT_REASONS } from '../../domain/engagement.ts';
import { routeRoles } from '../../domain/roles.ts';
import { pageContributions } from '../../store/moderation-page.ts';
import {
  confirmSubscription, eraseSubscriber, outbox, reportContribution, reportQueue, requestSubscription, settleReport, unsubscribe,
} from '../../usecases/engagement.ts';
import type { AppContext } from '../context.ts';
import { errors, IdParams, ModerationItem, PageQuery, SlugParams, UserText } from '../schemas.ts';
import { currentUser } from '../security.ts';
import { requestContext } from '../use-case-context.ts';
import { moderationItem } from './admin.ts';

const Honeypot = z.string().max(2000).optional().describe('piège à robots : un champ que le formulaire cache ; rempli, l’envoi est ignoré');
const Token = z.object({ token: z.string().min(1).max(200) });
const ConsultationRef = z.object({ consultation: z.object({ slug: z.string(), title: z.string() }) });

export async function engagementRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  // the contribution form's limit and counter: reports and subscriptions from one address share it
  const formLimit = { max: ctx.options.formRateLimit, timeWindow: 60_000, groupId: 'formulaire' };

  r.post('/contributions/:id/reports', {
    config: { access: 'public', rateLimit: formLimit },
    schema: {
      tags: ['public'], summary: 'Signale une contribution publiée aux modérateurs (raison de la liste, quelques mots facultatifs jamais publiés)', params: IdParams,
      body: z.object({
        reason: z.enum(REPORT_REASONS),
        details: UserText({ max: REPORT_DETAILS_MAX }).optional(),
        website: Honeypot,
      }),
      response: { 201: z.object({ received: z.literal(true) }), ...errors(400, 403, 404, 429) },
    },
  }, async (req, reply) => {
    const { website, ...input } = req.body;
    if (website && website.trim() !== '') return reply.code(201).send({ received: true as const });
    return reply.code(201).send(await reportContribution(requestContext(ctx, req), { id: req.params.id, ...input }));
  });

  r.post('/consultations/:slug/subscriptions', {
    config: { access: 'public', rateLimit: formLimit },
    schema: {
      tags: ['public'], summary: 'Demande à recevoir les nouvelles d’une consultation : un message de confirmation part (double confirmation) ; même réponse que l’adresse soit nouvelle ou déjà inscrite', params: SlugParams,
      body: z.object({ email: z.string().max(EMAIL_MAX * 2), website: Honeypot }),
      response: { 202: z.object({ requested: z.literal(true), sending: z.boolean().describe('faux : l’envoi de messages n’est pas configuré sur ce site, la confirmation attend') }), ...errors(400, 403, 404, 429) },
    },
  }, async (req, reply) => {
    const sending = ctx.mail !== null;
    if (req.body.website && req.body.website.trim() !== '') return reply.code(202).send({ requested: true as const, sending });
    await requestSubscription(requestContext(ctx, req), { consultation: req.params.slug, email: req.body.email });
    return reply.code(202).send({ requested: true as const, sending });
  });

  r.post('/subscriptions/confirm', {
    config: { access: 'public', rateLimit: formLimit },
    schema: { tags: ['public'], summary: 'Confirme un abonnement par le lien à usage unique du message de confirmation', body: Token, response: { 200: ConsultationRef, ...errors(400, 404, 429) } },
  }, async (req) => confirmSubscription(requestContext(ctx, req), req.body));

  r.post('/subscriptions/unsubscribe', {
    config: { access: 'public', rateLimit: formLimit },
    schema: { tags: ['public'], summary: 'Désabonne par le lien à usage unique d’un message : l’adresse est effacée', body: Token, response: { 200: ConsultationRef, ...errors(400, 404, 429) } },
  }, async (req) => unsubscribe(requestContext(ctx, req), req.body));

  // ---- moderators ----

  const ReportedItem = z.object({
    contribution: ModerationItem,
    count: z.number().int(),
    reasons: z.array(z.object({ reason: z.enum(REPORT_REASONS), count: z.number().int() })),
    details: z.array(z.object({ text: z.string(), at: z.string() })).describe('les mots des visiteurs, pour les modérateurs seulement'),
    firstAt: z.string(), lastAt: z.string(),
  });

  r.get('/admin/consultations/:slug/reports', {
    config: { roles: routeRoles('moderation') },
    schema: {
      tags: ['back-office'], summary: 'Contributions publiées signalées par des visiteurs, les plus signalées d’abord, avec les raisons et leur nombre', params: SlugParams,
      response: { 200: z.object({ items: z.array(ReportedItem) }), ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const reported = await reportQueue(requestContext(ctx, req), { consultation: req.params.slug });
    if (reported.length === 0) return { items: [] };
    const page = await pageContributions(ctx.store, req.params.slug, { ids: reported.map((x) => x.contributionId) }, 0, reported.length);
    const byId = new Map(page.items.map((i) => [i.id, i]));
    const role = currentUser(req).role;
    const items = [];
    for (const x of reported) {
      const c = byId.get(x.contributionId);
      if (!c) continue;
      items.push({
        contribution: await moderationItem(ctx, c, role), count: x.count,
        reasons: REPORT_REASONS.filter((k) => x.reasons[k]).map((k) => ({ reason: k, count: x.reasons[k]! })),
        details: x.details, firstAt: x.firstAt, lastAt: x.lastAt,
      });
    }
    return { items };
  });

  r.post('/admin/consultations/:slug/reports/:id', {
    config: { roles: routeRoles('moderation') },
    schema: {
      tags: ['back-office'], summary: 'Traite les signalements d’une contribution : la garder (signalements écartés) ou la retirer de la publication (rejet, motif obligatoire) ; audité',
      params: SlugParams.extend({ id: z.string().min(1).max(300) }),
      body: z.object({ decision: z.enum(['keep', 'unpublish']), reason: z.string().max(1000).optional() }),
      response: { 200: z.object({ settled: z.number().int() }), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => settleReport(requestContext(ctx, req), { consultation: req.params.slug, id: req.params.id, ...req.body }));

  // ---- administrators ----

  r.get('/admin/outbox', {
    config: { roles: routeRoles('outbox') },
    schema: {
      tags: ['back-office'], summary: 'Messages aux abonnés : état de chacun (adresse masquée), nombre d’abonnés, envoi configuré ou non',
      querystring: PageQuery,
      response: {
        200: z.object({
          sending: z.boolean(),
          items: z.array(z.object({
            id: z.string(), consultation: z.object({ slug: z.string(), title: z.string() }), kind: z.enum(MESSAGE_KINDS), to: z.string(),
            status: z.enum(OUTBOX_STATUSES), attempts: z.number().int(), error: z.string().nullable(), createdAt: z.string(), sentAt: z.string().nullable(),
          })),
          total: z.number().int(), page: z.number().int(), pageSize: z.number().int(),
          counts: z.record(z.string(), z.number().int()),
          subscribers: z.object({ pending: z.number().int(), active: z.number().int() }),
        }),
        ...errors(401, 403),
      },
    },
  }, async (req) => {
    const { page, pageSize } = req.query;
    const res = await outbox(requestContext(ctx, req), { page, pageSize });
    return {
      sending: ctx.mail !== null, total: res.total, page, pageSize, counts: res.counts, subscribers: res.subscribers,
      items: res.items.map((i) => ({
        id: i.id, consultation: { slug: i.consultation, title: i.title }, kind: i.kind as (typeof MESSAGE_KINDS)[number], to: i.to_masked,
        status: i.status as (typeof OUTBOX_STATUSES)[number], attempts: i.attempts, error: i.last_error, createdAt: i.created_at, sentAt: i.sent_at,
      })),
    };
  });

  r.post('/admin/subscribers/erase', {
    config: { roles: routeRoles('outbox') },
    schema: {
      tags: ['back-office'], summary: 'Efface une adresse de tous les abonnements (demande de la personne), avec ses messages et ses liens ; audité, adresse masquée',
      body: z.object({ email: z.string().max(EMAIL_MAX * 2) }),
      response: { 200: z.object({ erased: z.number().int() }), ...errors(400, 401, 403) },
    },
  }, async (req) => eraseSubscriber(requestContext(ctx, req), req.body));
}

