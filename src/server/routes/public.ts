/** Public routes: consultations, published contributions, the contribution form, restitutions. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { frenchDay, type Consultation } from '../../domain/consultation.ts';
import { DEPARTEMENTS, REGIONS, territoryName } from '../../domain/geography.ts';
import { consultationLevel } from '../../domain/territory.ts';
import { publicMeeting } from '../../privacy/public.ts';
import { listIndicators } from '../../store/indicators.ts';
import { PUBLIC_FILTER } from '../../store/store.ts';
import { VISITOR } from '../../usecases/context.ts';
import { consultationFigures, publicFigures } from '../../usecases/stats.ts';
import { CONTRIBUTION_SORTS, publicContributionsPage } from '../../usecases/search.ts';
import { publishedRestitution } from '../../usecases/restitution-public.ts';
import { submitContribution, visibleConsultation as visible } from '../../usecases/contributions.ts';
import type { AppContext } from '../context.ts';
import { UserError } from '../../domain/errors.ts';
import { College, ConsultationDetail, ConsultationFigures, ConsultationSummary, errors, Kind, Page, PageQuery, PublicContribution, SlugParams, UserText } from '../schemas.ts';
import { issueCsrf } from '../security.ts';
import { suggestThemes } from '../suggest.ts';
import { requestContext } from '../use-case-context.ts';
import { consultationDetail, consultationSummary, publicContribution } from '../views.ts';

const IndicatorItem = z.object({
  id: z.string(), label: z.string(), unit: z.string().nullable(),
  year: z.number().int().nullable().describe('année de référence ; null = aucune imprimée dans la source (data repère d’un schéma territorial)'),
  value: z.number().nullable().describe('valeur du territoire ; null = absente de la source'),
  regionValue: z.number().nullable(), franceValue: z.number().nullable(), source: z.string().nullable(),
});
const TerritoryIndicators = z.object({
  territory: z.object({
    code: z.string(), name: z.string(), level: z.enum(['departement', 'region']),
    region: z.object({ code: z.string(), name: z.string() }).nullable().describe('la région d’un département, pour nommer regionValue'),
  }),
  items: z.array(IndicatorItem),
});

/** A consultation visible to the public (drafts are not). */
export async function visibleConsultation(ctx: AppContext, slug: string): Promise<Consultation> {
  return visible({ store: ctx.store, actor: VISITOR, now: () => new Date() }, slug);
}

export async function publicRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;
  const tags = ['public'];

  r.get('/csrf', {
    config: { access: 'public' },
    schema: { tags, summary: 'Jeton CSRF (pose aussi le cookie fabrique_csrf)', response: { 200: z.object({ token: z.string() }) } },
  }, async (req, reply) => ({ token: issueCsrf(req, reply, ctx.security) }));

  r.get('/consultations', {
    config: { access: 'public' },
    schema: { tags, summary: 'Consultations publiques', response: { 200: z.object({ items: z.array(ConsultationSummary) }) } },
  }, async (req) => {
    const all = (await store.listConsultations()).filter((c) => c.status !== 'draft');
    // the same figures as « En chiffres », the analysis page, the restitution and `fabrique stats`
    const figures = await publicFigures(requestContext(ctx, req), all.map((c) => c.slug));
    return { items: all.map((c) => consultationSummary(c, { contributions: figures.get(c.slug)?.contributions ?? 0, meetings: figures.get(c.slug)?.meetings ?? 0 })) };
  });

  r.get('/consultations/:slug', {
    config: { access: 'public' },
    schema: { tags, summary: 'Détail d’une consultation : thèmes, réunions', params: SlugParams, response: { 200: ConsultationDetail, ...errors(404) } },
  }, async (req) => {
    const c = await visibleConsultation(ctx, req.params.slug);
    const meetings = (await store.listMeetings(c.slug)).map(publicMeeting);
    return consultationDetail(c, meetings, await store.countContributions(c.slug, PUBLIC_FILTER));
  });

  r.get('/consultations/:slug/contributions', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Contributions publiées (texte pseudonymisé), recherche plein texte et filtres', params: SlugParams,
      querystring: PageQuery.extend({
        q: z.string().max(200).optional(), theme: z.string().max(64).optional(), kind: Kind.optional(),
        meeting: z.string().max(300).optional(), college: College.optional(),
        du: z.string().max(32).optional().describe('datées de ce jour ou après (AAAA-MM-JJ) ; les contributions sans date sont écartées'),
        au: z.string().max(32).optional().describe('datées de ce jour ou avant (AAAA-MM-JJ) ; les contributions sans date sont écartées'),
        sort: z.enum(CONTRIBUTION_SORTS).optional()
          .describe('recentes (les dernières arrivées d’abord), anciennes, pertinence (avec q) ; par défaut pertinence avec q, recentes sans'),
      }),
      response: { 200: Page(PublicContribution), ...errors(400, 404) },
    },
  }, async (req) => {
    const { page, pageSize, ...rest } = req.query;
    const input = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== ''));
    const res = await publicContributionsPage(requestContext(ctx, req), { consultation: req.params.slug, ...input, page, pageSize });
    return { items: res.items.map(publicContribution), total: res.total, page, pageSize };
  });

  r.post('/consultations/:slug/contributions', {
    config: {
      access: 'public',
      rateLimit: { max: ctx.options.formRateLimit, timeWindow: 60_000, groupId: 'formulaire' },
    },
    schema: {
      tags, summary: 'Dépose une contribution (modérée avant publication)', params: SlugParams,
      body: z.object({
        text: UserText({ min: 3, max: 5000 }),
        theme: z.string().max(64).optional(),
        college: College.optional(),
        postcode: z.string().regex(/^\d{5}$/, 'code postal à 5 chiffres').optional(),
        website: z.string().max(2000).optional().describe('piège à robots : un champ que le formulaire cache ; rempli, l’envoi est ignoré'),
      }),
      response: { 201: z.object({ id: z.string(), status: z.literal('pending') }), ...errors(400, 403, 404, 409, 429) },
    },
  }, async (req, reply) => {
    const { website, ...input } = req.body;
    // a robot filled the field people never see: answer as for anyone (it learns nothing) and keep nothing
    if (website && website.trim() !== '') return reply.code(201).send({ id: randomUUID(), status: 'pending' as const });
    const done = await submitContribution(requestContext(ctx, req), { consultation: req.params.slug, ...input },
      (consultation, item) => ctx.formQueue.add(consultation, item));
    return reply.code(201).send(done);
  });

  r.post('/consultations/:slug/suggest-theme', {
    config: { access: 'public', rateLimit: { max: Math.max(120, ctx.options.formRateLimit), timeWindow: 60_000, groupId: 'suggestion' } },
    schema: {
      tags, summary: 'Suggère des thèmes pour un texte', params: SlugParams,
      body: z.object({ text: UserText({ max: 5000 }) }),
      response: { 200: z.object({ labels: z.array(z.object({ theme: z.string(), label: z.string(), p: z.number() })) }), ...errors(400, 404) },
    },
  }, async (req) => {
    const c = await visibleConsultation(ctx, req.params.slug);
    return { labels: await suggestThemes(store, c, req.body.text) };
  });

  r.get('/consultations/:slug/restitution', {
    config: { access: 'public' },
    schema: { tags, summary: 'Dernière synthèse de restitution publiée (HTML)', params: SlugParams, produces: ['text/html'] },
  }, async (req, reply) => {
    const pub = await publishedRestitution(requestContext(ctx, req), req.params.slug);
    return reply.type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:")
      .header('x-frame-options', 'SAMEORIGIN')
      .send(pub.html);
  });

  r.get('/consultations/:slug/stats', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Chiffres publics : contributions publiques par thème, nature, réunion, collège et canal', params: SlugParams,
      response: { 200: ConsultationFigures, ...errors(404) },
    },
  }, async (req) => consultationFigures(requestContext(ctx, req), req.params.slug));

  r.get('/consultations/:slug/indicators', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Indicateurs du territoire de la consultation (« data repère ») comparés à la région et à la France', params: SlugParams,
      response: { 200: TerritoryIndicators, ...errors(404) },
    },
  }, async (req) => {
    const c = await visibleConsultation(ctx, req.params.slug);
    const level = consultationLevel(c);
    const t = await store.getTerritory(c.territory, level);
    const regionCode = level === 'departement' ? t?.parent ?? DEPARTEMENTS[c.territory]?.[1] : undefined;
    const region = regionCode ? { code: regionCode, name: (await store.getTerritory(regionCode, 'region'))?.name ?? territoryName(regionCode, 'region') } : null;
    const items = (await listIndicators(store, c.territory, level)).map((i) => ({
      id: i.id, label: i.label, unit: i.unit ?? null, year: i.year ?? null, value: i.value,
      regionValue: i.regionValue ?? null, franceValue: i.franceValue ?? null, source: i.source ?? null,
    }));
    return { territory: { code: c.territory, name: t?.name ?? territoryName(c.territory, level), level, region }, items };
  });

  r.get('/territories', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Départements ayant des consultations (codes INSEE, pour la carte)',
      response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), region: z.object({ code: z.string(), name: z.string() }).nullable(), consultations: z.number() })) }) },
    },
  }, async () => {
    const counts = new Map<string, number>();
    for (const c of await store.listConsultations()) {
      if (c.status === 'draft') continue;
      // a regional consultation counts in each of its départements (75 is Nouvelle-Aquitaine there, not Paris)
      const codes = consultationLevel(c) === 'departement' ? [c.territory]
        : Object.entries(DEPARTEMENTS).filter(([, [, region]]) => region === c.territory).map(([code]) => code);
      for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    const items = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([code, n]) => {
      const region = DEPARTEMENTS[code]?.[1];
      return { code, name: territoryName(code), region: region ? { code: region, name: REGIONS[region] ?? region } : null, consultations: n };
    });
    return { items };
  });
}
