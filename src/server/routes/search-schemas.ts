/** The answer of GET /api/search, declared field by field (the web app infers its types from it, web/src/types.ts). */
import { z } from 'zod';

/** The kinds of results, in the order the page groups them (src/usecases/search.ts SEARCH_KINDS, the same list). */
export const SearchKindSchema = z.enum(['consultation', 'plan', 'idea', 'contribution']);

const Marked = z.object({
  text: z.string(),
  marks: z.array(z.tuple([z.number().int(), z.number().int()])).describe('mots qui répondent à la recherche : [début, fin) en unités UTF-16'),
});

export const SearchHit = z.object({
  kind: SearchKindSchema,
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
  kind: SearchKindSchema.nullable(),
  counts: z.object({ consultation: z.number().int(), plan: z.number().int(), idea: z.number().int(), contribution: z.number().int() }),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(SearchHit),
});

