/**
 * Schémas territoriaux de santé (issue 13): the public plan pages read the stored tree (a plan is a public
 * document; the account that imported it is left out), the back office corrects a title, a field or a code.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEPARTEMENTS, REGIONS } from '../../domain/geography.ts';
import { routeRoles } from '../../domain/roles.ts';
import { correctPlanElement, getPlan, listPlans, planDataRepere } from '../../usecases/plan.ts';
import { planSaid } from '../../usecases/plan-said.ts';
import type { AppContext } from '../context.ts';
import { errors, PlanDetail, PlanElementCorrection, PlanElementView, PlanSummary } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

const PlanParams = z.object({ id: z.string().min(1).max(200).describe('identifiant du plan, ou code / nom du département (dernier plan importé)') });

export async function planRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/plans', {
    config: { access: 'public' },
    schema: {
      tags: ['public'], summary: 'Schémas territoriaux de santé importés (les plus récents d’abord)',
      querystring: z.object({ territory: z.string().max(64).optional(), consultation: z.string().max(64).optional() }),
      response: { 200: z.object({ items: z.array(PlanSummary) }), ...errors(400) },
    },
  }, async (req) => {
    const { territory, consultation } = req.query;
    const items = await listPlans(requestContext(ctx, req), { ...(territory ? { territory } : {}), ...(consultation ? { consultation } : {}) });
    return { items: items.map(({ importedBy: _who, ...h }) => h) };
  });

  r.get('/plans/:id', {
    config: { access: 'public' },
    schema: {
      tags: ['public'], summary: 'Un schéma territorial de santé : engagements, défis, objectifs et actions, OQOS, data repère, figures manquantes',
      params: PlanParams, querystring: z.object({ consultation: z.string().max(64).optional() }),
      response: { 200: PlanDetail, ...errors(404) },
    },
  }, async (req) => {
    const uc = requestContext(ctx, req);
    const { importedBy: _who, ...plan } = await getPlan(uc, req.params.id, req.query.consultation ? { consultation: req.query.consultation } : {});
    const regionCode = DEPARTEMENTS[plan.territory]?.[1];
    const items = (await planDataRepere(uc, plan)).map((i) => ({
      id: i.id, label: i.label, unit: i.unit ?? null, year: i.year ?? null, value: i.value,
      regionValue: i.regionValue ?? null, franceValue: i.franceValue ?? null, source: i.source ?? null,
    }));
    // « Ce que vous avez dit » under each défi and objective (decided links, public sources only)
    const said = await planSaid(uc, plan);
    const engagements = plan.engagements.map((e) => ({ ...e, defis: e.defis.map((d) => ({
      ...d, said: said.get(d.code) ?? [], objectives: d.objectives.map((o) => ({ ...o, said: said.get(o.code) ?? [] })),
    })) }));
    return {
      ...plan,
      engagements,
      indicators: {
        territory: { code: plan.territory, name: plan.territoryName, level: 'departement' as const, region: regionCode ? { code: regionCode, name: REGIONS[regionCode] ?? regionCode } : null },
        items,
      },
    };
  });

  r.patch('/admin/plans/:id/elements/:code', {
    config: { roles: routeRoles('plans') },
    schema: {
      tags: ['back-office'], summary: 'Corrige le titre, un champ ou le code d’un élément d’un schéma (audité)',
      params: z.object({ id: z.string().min(1).max(200), code: z.string().min(1).max(32) }), body: PlanElementCorrection,
      response: { 200: PlanElementView, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const uc = requestContext(ctx, req);
    const plan = await getPlan(uc, req.params.id);
    return correctPlanElement(uc, { plan: plan.id, code: req.params.code, field: req.body.field, value: req.body.value });
  });
}
