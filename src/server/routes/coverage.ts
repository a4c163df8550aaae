/**
 * The public coverage report of a plan (issue 14, src/usecases/coverage.ts): read-only, rebuilt and verified at each
 * request from the decided links. The JSON view feeds the page /schemas/:id/couverture; `?format=` downloads the
 * verified document (json: the fabrique.coverage file that `fabrique verify` re-checks).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoverageDocument } from '../../synthesis/coverage.ts';
import { DocIndex, formatValue, quoteSource } from '../../synthesis/render/common.ts';
import { SYNTHESIS_FORMATS, type Block, type IdeaItem, type Inline, type Section } from '../../synthesis/index.ts';
import { coverageReport } from '../../usecases/coverage.ts';
import type { AppContext } from '../context.ts';
import { CoverageView, errors, type CoverageBlockView, type CoverageIdeaView, type CoverageSectionView } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

const PlanParams = z.object({ id: z.string().min(1).max(200).describe('identifiant du plan, ou code / nom du département (dernier plan importé)') });

/** The document as the page shows it: text agreed with the numbers, values as printed, quotes with their place. */
export function coverageView(doc: CoverageDocument, checked: { figures: number; quotes: number }): z.infer<typeof CoverageView> {
  const idx = new DocIndex(doc);
  const inl = (xs: readonly Inline[] | undefined) => idx.inlines(xs ?? []);
  const idea = (it: IdeaItem): CoverageIdeaView => ({ label: it.label, figure: it.figure, quotes: it.quotes, children: it.children.map(idea) });
  const block = (b: Block): CoverageBlockView[] => {
    switch (b.type) {
      case 'paragraph': return [{ type: 'paragraph', content: inl(b.content) }];
      case 'note': return [{ type: 'note', level: b.level, content: inl(b.content) }];
      case 'table': return [{ type: 'table', caption: b.caption, columns: b.columns,
        rows: b.rows.map((r) => ({ header: r.header, total: r.total ?? false, cells: r.cells.map((c) => ('figure' in c ? { figure: c.figure } : 'text' in c ? { text: c.text } : { text: 'non communiqué' })) })) }];
      case 'ideas': return [{ type: 'ideas', intro: inl(b.intro), items: b.items.map(idea) }];
      case 'quotes': return [{ type: 'quotes', intro: inl(b.intro), quotes: b.quotes }];
      // a coverage report has no editorial, chart or slot block
      default: return [];
    }
  };
  const section = (s: Section): CoverageSectionView => ({ key: s.key, level: s.level, title: s.title, blocks: s.blocks.flatMap(block), sections: s.sections.map(section) });
  return {
    plan: { id: doc.plan.id, title: doc.plan.title, territory: doc.plan.territory, territoryName: doc.plan.territoryName, period: doc.plan.period },
    consultation: { slug: doc.consultation, title: doc.consultationTitle },
    title: doc.title, subtitle: doc.subtitle, generatedAt: doc.generatedAt,
    sections: doc.sections.map(section),
    figures: Object.fromEntries(doc.figures.map((f) => [f.key, { value: f.value, text: formatValue(f), label: f.label }])),
    // the page names the file beside the place, even when the report cites one file only
    quotes: Object.fromEntries(doc.quotes.map((q) => [q.id, {
      text: q.text, excerpt: q.excerpt, source: idx.files.size > 1 || !q.source?.file ? quoteSource(q, idx) : `${q.source.file}, ${quoteSource(q, idx)}`, repeatedBy: q.repeatedBy?.length ?? null,
    }])),
    verification: checked,
  };
}

export async function coverageRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/plans/:id/coverage', {
    config: { access: 'public' },
    schema: {
      tags: ['public'],
      summary: 'Rapport de couverture d’un schéma : par objectif, ce que la consultation y a apporté ; par thème, la part des propositions reprises ; ce qui n’est pas repris et pourquoi (liens décidés seulement, chaque chiffre vérifié)',
      params: PlanParams,
      querystring: z.object({
        consultation: z.string().max(64).optional().describe('par défaut : la consultation du schéma'),
        format: z.enum(SYNTHESIS_FORMATS).optional().describe('télécharger le document vérifié (json : le fichier fabrique.coverage que « fabrique verify » revérifie)'),
      }),
      response: { 200: CoverageView, ...errors(400, 404, 409, 503) },
    },
  }, async (req, reply) => {
    const { consultation, format } = req.query;
    const r = await coverageReport(requestContext(ctx, req), { plan: req.params.id, ...(consultation ? { consultation } : {}), ...(format ? { format } : {}) });
    if (format && r.rendered) {
      const name = `couverture-${r.document.plan.territory}.${r.rendered.extension}`;
      reply.header('content-disposition', `attachment; filename="${name}"`).type(r.rendered.mediaType);
      if (format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
      // a Buffer is sent as is (the response schema serialises the view only)
      return reply.send(r.rendered.bytes as never);
    }
    return coverageView(r.document, r.verification.checked);
  });
}
