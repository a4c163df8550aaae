/** `GET /api/search`: the site-wide search of the public site (issue 16, src/usecases/search.ts). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SEARCH_KINDS, SEARCH_QUERY_MAX, siteSearch } from '../../usecases/search.ts';
import { SiteSearchResult } from './search-schemas.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

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
