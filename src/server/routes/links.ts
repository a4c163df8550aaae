/**
 * Traceability review (issue 14): the back office reads a plan's sources with their ranked candidates and
 * decisions, runs the suggestion, decides and undoes. Analysts and administrators only (the plans section),
 * decided by the matched route's guard; every change is audited by the use case.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LINK_KINDS, LINK_NOTE_MAX, LINK_SOURCE_KINDS, LINK_STATUSES, type LinkDecision, type LinkKind, type LinkSourceKind, type LinkStatus } from '../../domain/links.ts';
import { routeRoles } from '../../domain/roles.ts';
import { decideLink, LINK_DECISIONS, linkReview, suggestPlanLinks, undoLinkDecision } from '../../usecases/links.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

const tags = ['back-office'];
const ROLES = routeRoles('plans');

/** zod wants a non-empty tuple: the domain's lists, typed as theirs */
const tuple = <T extends string>(list: readonly T[]) => list as unknown as [T, ...T[]];
const SourceKind = z.enum(tuple<LinkSourceKind>(LINK_SOURCE_KINDS));
const LinkSource = z.object({
  kind: SourceKind.describe('contribution, idée commune (idea) ou élément de consultation du plan (planItem)'),
  id: z.string().min(1).max(200).describe('identifiant de la contribution ou de l’idée ; position (0, 1…) de l’élément du plan'),
});

const PlanLinkView = z.object({
  id: z.string(),
  planId: z.string(),
  consultation: z.string().nullable(),
  source: LinkSource,
  target: z.string().nullable().describe('code de l’objectif ou du défi ; null pour « niveau national » et « non repris »'),
  kind: z.enum(tuple<LinkKind>(LINK_KINDS)),
  status: z.enum(tuple<LinkStatus>(LINK_STATUSES)),
  score: z.number().nullable(),
  sourceFit: z.number().optional().describe('suggestions : l’adéquation de la source aux champs d’action du plan (modèle 2)'),
  evidence: z.array(z.object({
    kind: z.enum(['term', 'phrase', 'lexicon', 'field', 'reuse']), text: z.string(),
    field: z.string().optional(), line: z.number().optional(), weight: z.number().optional(),
  })),
  model: z.string().nullable(),
  modelVersion: z.string().nullable(),
  note: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});

const PlanParams = z.object({ id: z.string().min(1).max(200).describe('identifiant du plan') });

export async function linkRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/admin/plans/:id/links', {
    config: { roles: ROLES },
    schema: {
      tags, summary: 'Relecture des liens d’un schéma : chaque source (contribution, idée, élément du plan) avec ses objectifs suggérés et ses décisions',
      params: PlanParams,
      querystring: z.object({ kind: SourceKind.optional() }),
      response: {
        200: z.object({
          plan: z.object({ id: z.string(), title: z.string(), territory: z.string(), consultation: z.string().nullable() }),
          sources: z.array(z.object({
            source: LinkSource, text: z.string(), label: z.string().optional(), theme: z.string().optional(),
            candidates: z.array(PlanLinkView).describe('liens suggérés, du meilleur au moins bon'),
            nothingFits: z.boolean().optional().describe('aucun objectif ne reprend la source dans ses champs d’action (adéquation sous le seuil du modèle)'),
            threshold: z.number().optional(),
            decisions: z.array(PlanLinkView).describe('confirmés, écartés, indiqués par le document, niveau national, non repris'),
            moderation: z.enum(['pending', 'published', 'rejected']).optional()
              .describe('contributions : leur statut de modération (une décision ne paraît publiquement qu’une fois la contribution publiée)'),
          })),
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (req) => linkReview(requestContext(ctx, req), { plan: req.params.id, ...(req.query.kind ? { kind: req.query.kind } : {}) }));

  r.post('/admin/plans/:id/links/suggest', {
    config: { roles: ROLES },
    schema: {
      tags, summary: 'Calcule les objectifs suggérés pour les propositions, idées et éléments du plan (les décisions sont gardées ; audité)',
      params: PlanParams,
      body: z.object({ sources: z.array(SourceKind).max(3).optional() }).optional(),
      response: { 200: z.object({ suggested: z.number().describe('liens suggérés enregistrés (candidats, toutes sources)') }), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const suggestions = await suggestPlanLinks(requestContext(ctx, req), { plan: req.params.id, ...(req.body?.sources ? { sources: req.body.sources } : {}) });
    return { suggested: suggestions.reduce((n, s) => n + s.candidates.length, 0) };
  });

  r.post('/admin/plans/:id/links/decisions', {
    config: { roles: ROLES },
    schema: {
      tags, summary: 'Confirme ou écarte un objectif pour une source, ou la marque « niveau national » ou « non repris » (avec sa raison) ; audité, annulable',
      params: PlanParams,
      body: z.object({
        source: LinkSource,
        target: z.string().min(1).max(32).nullable().optional(),
        decision: z.enum(tuple<LinkDecision>(LINK_DECISIONS)),
        kind: z.enum(['taken_up', 'partly']).optional(),
        note: z.string().max(LINK_NOTE_MAX).nullable().optional(),
      }),
      response: { 200: PlanLinkView, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const b = req.body;
    return decideLink(requestContext(ctx, req), {
      plan: req.params.id, source: b.source, decision: b.decision,
      ...(b.target !== undefined ? { target: b.target } : {}), ...(b.kind ? { kind: b.kind } : {}), ...(b.note !== undefined ? { note: b.note } : {}),
    });
  });

  // undo takes no body: a client that sends « content-type: application/json » with an empty body is served too
  // (the default JSON parser refuses an empty body); a non-empty body is parsed as everywhere else
  await api.register(async (scope) => {
    const json = scope.getDefaultJsonParser('error', 'error');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      if (typeof body === 'string' && body.trim() === '') { done(null, undefined); return; }
      json(req, body as string, done);
    });
    scope.withTypeProvider<ZodTypeProvider>().post('/admin/plans/:id/links/:link/undo', {
      config: { roles: ROLES },
      schema: {
        tags, summary: 'Annule la dernière décision sur un lien : les liens de sa source reviennent exactement à leur état d’avant (audité)',
        params: z.object({ id: z.string().min(1).max(200), link: z.string().min(1).max(100) }),
        response: { 200: z.object({ link: PlanLinkView.nullable() }), ...errors(401, 403, 404, 409) },
      },
    }, async (req) => ({ link: await undoLinkDecision(requestContext(ctx, req), { plan: req.params.id, link: req.params.link }) }));
  });
}
