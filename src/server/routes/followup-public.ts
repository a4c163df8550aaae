/**
 * Public accountability (issue 15, src/usecases/followup-public.ts): the public follow-up of a plan (JSON view and
 * the open-data download, format fabrique.followup.public, docs/format-followup-public.md) and « Que sont devenues vos
 * propositions ? » for a public contribution or a public common idea. Read-only, open to visitors. The response
 * schemas list every field: whatever a use case might add is not sent until it is declared here.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contributionFollowup, ideaFollowup, publicFollowup } from '../../usecases/followup-public.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';
import { ContributionFollowupView, IdeaFollowupView, PublicFollowupView } from './followup-public-schemas.ts';

const PlanParams = z.object({ id: z.string().min(1).max(200).describe('identifiant du plan, ou code / nom du département (dernier plan importé)') });
const IdParams = z.object({ id: z.string().min(1).max(200) });

export async function followupPublicRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];

  r.get('/plans/:id/followup', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Suivi public d’un schéma : avancement par engagement et objectif, actions et leur historique public, indicateurs, part des propositions reprises',
      params: PlanParams, response: { 200: PublicFollowupView, ...errors(400, 404) },
    },
  }, async (req) => publicFollowup(requestContext(ctx, req), { plan: req.params.id }));

  r.get('/plans/:id/followup.json', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Le suivi public du schéma en fichier JSON à publier en données ouvertes (format fabrique.followup.public, version 1)',
      params: PlanParams, response: { 200: PublicFollowupView, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const doc = await publicFollowup(requestContext(ctx, req), { plan: req.params.id });
    reply.header('content-disposition', `attachment; filename="suivi-${doc.plan.territory}-${doc.generatedAt.slice(0, 10)}.json"`);
    return doc;
  });

  r.get('/contributions/:id/followup', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Que sont devenues vos propositions ? Une contribution publiée, ses idées, les objectifs du schéma qui la reprennent et leurs actions',
      params: IdParams, response: { 200: ContributionFollowupView, ...errors(404) },
    },
  }, async (req) => contributionFollowup(requestContext(ctx, req), { id: req.params.id }));

  r.get('/ideas/:id/followup', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Que sont devenues vos propositions ? Une idée commune, ses contributions, les objectifs du schéma qui la reprennent et leurs actions',
      params: IdParams, response: { 200: IdeaFollowupView, ...errors(404) },
    },
  }, async (req) => ideaFollowup(requestContext(ctx, req), { id: req.params.id }));
}
