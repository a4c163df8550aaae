/** `GET /api/search`: the site-wide search of the public site (issue 16, src/usecases/search.ts). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SEARCH_KINDS, SEARCH_QUERY_MAX, siteSearch } from '../../usecases/search.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

const Marked = z.object({
  text: z.string(),
  marks: z.array(z.tuple([z.number().int(), z.number().int()])).describe('mots qui répondent à la recherche : [début, fin) en unités UTF-16'),
});

export const SearchHit = z.object({
  kind: z.enum(SEARCH_KINDS),
  id: z.string(),
  href: z.string().describe('la page publique du résultat'),
  title: Marked,
  excerpt: Marked.nullable().describe('un passage autour du premier mot trouvé'),
  context: z.string().nullable().describe('le schéma d’un défi ou d’un objectif, la consultation d’une idée commune'),
  date: z.string().nullable().describe('date d’une contribution'),
  contributions: z.number().int().nullable().describe('contributions publiées d’une idée commune'),
});

export const SiteSearchResult = z.object({
  query: z.string(),
  kind: z.enum(SEARCH_KINDS).nullable(),
  counts: z.object({ consultation: z.number().int(), plan: z.number().int(), idea: z.number().int(), contribution: z.number().int() }),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(SearchHit),
});

export async function searchRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/search', {
    config: { access: 'public' },
    schema: {
      tags: ['public'],
      summary: 'Recherche dans tout le site : consultations, défis et objectifs des schémas, idées communes des restitutions publiées, contributions publiées',
      querystring: z.object({
        q: z.string().max(SEARCH_QUERY_MAX),
        page: z.coerce.number().int().min(1).max(10_000).default(1),
        kind: z.enum(SEARCH_KINDS).optional().describe('une seule sorte de résultats'),
      }),
      response: { 200: SiteSearchResult, ...errors(400) },
    },
  }, async (req) => siteSearch(requestContext(ctx, req), { q: req.query.q, page: req.query.page, ...(req.query.kind ? { kind: req.query.kind } : {}) }));
}
