/**
 * Restitution syntheses (src/usecases/syntheses.ts): generate (build + verify + save, as a job), download in every
 * format, editorial texts, publication.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SYNTHESIS_FORMATS } from '../../synthesis/index.ts';
import { downloadSynthesis, editSynthesisEditorial, markNational, publishSynthesis, synthesisDraft } from '../../usecases/syntheses.ts';
import type { AppContext } from '../context.ts';
import { ErrorResponse, errors, SlugParams } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';
import { ANALYST, requireConsultation } from './admin.ts';
import { jobView, JobView } from './jobs.ts';

const tags = ['synthèse'];
const EmblematicAction = z.object({
  title: z.string().max(300), description: z.string().max(5000).optional(), owner: z.string().max(300).optional(), territory: z.string().max(300).optional(),
});
const Problem = z.object({
  code: z.enum(['placeholder', 'verification', 'stale']), section: z.string(), message: z.string(), path: z.string().optional(), detail: z.string().optional(),
});
const NationalMark = z.object({ type: z.enum(['contribution', 'group']), id: z.string(), by: z.string(), at: z.string() });
export const SynthesisDraftView = z.object({
  doc: z.record(z.string(), z.unknown()).nullable(),
  changes: z.object({ published: z.number(), withdrawn: z.number(), changed: z.number(), groups: z.boolean(), national: z.number(), summary: z.string() }).nullable(),
  stale: z.boolean(),
  problems: z.array(Problem),
  verification: z.object({ ok: z.boolean(), failures: z.number(), checked: z.object({ figures: z.number(), quotes: z.number() }) }).nullable(),
  national: z.array(NationalMark),
  editorial: z.object({
    texts: z.record(z.string(), z.string()), headings: z.record(z.string(), z.string()),
    actions: z.record(z.string(), z.array(z.object({ title: z.string(), description: z.string(), owner: z.string().optional(), territory: z.string().optional() }))).optional(),
  }).passthrough(),
});
const Target = z.object({ level: z.enum(['departement', 'region']).optional(), territory: z.string().min(2).max(3).optional() });

/** The target as the use cases take it (absent fields left out). */
function target(slug: string, t: { level?: 'departement' | 'region' | undefined; territory?: string | undefined } | undefined) {
  return { consultation: slug, ...(t?.level ? { level: t.level } : {}), ...(t?.territory ? { territory: t.territory } : {}) };
}

export async function synthesisRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;

  r.post('/admin/consultations/:slug/synthesis', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Construit, vérifie et enregistre la synthèse de restitution : une tâche, suivie par GET /api/admin/jobs/{id} (résultat : id, verification, notices)',
      params: SlugParams, body: Target.optional(),
      response: { 202: JobView, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    // checked before queuing: an unknown consultation answers 404 rather than a job that fails
    const c = await requireConsultation(ctx, req.params.slug);
    // one generation at a time per consultation and target, whichever server was asked: a second request gets the same job
    const { job } = await ctx.jobs.enqueue({ kind: 'synthesis', actor: requestContext(store, req).actor, input: target(c.slug, req.body) });
    return reply.code(202).send(jobView(job));
  });

  r.get('/admin/consultations/:slug/synthesis', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Télécharge la synthèse enregistrée (vérifiée à nouveau) : html, pdf, docx, md ou json', params: SlugParams,
      querystring: Target.extend({ format: z.enum(SYNTHESIS_FORMATS).default('html') }),
      produces: ['text/html', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'application/json'],
    },
  }, async (req, reply) => {
    const { format, ...t } = req.query;
    const rendered = await downloadSynthesis(requestContext(store, req), { ...target(req.params.slug, t), format });
    reply.header('content-disposition', `attachment; filename="${rendered.fileName}"`).type(rendered.mediaType);
    if (format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    return reply.send(rendered.bytes);
  });

  r.get('/admin/consultations/:slug/synthesis/draft', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Le brouillon enregistré (non vérifié, pour ses textes), ce qui a changé dans les données depuis sa génération et ce qui empêche sa publication',
      params: SlugParams, querystring: Target,
      response: { 200: SynthesisDraftView, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const d = await synthesisDraft(requestContext(store, req), target(req.params.slug, req.query));
    return { ...d, doc: d.doc as unknown as Record<string, unknown> | null, editorial: d.editorial as unknown as z.infer<typeof SynthesisDraftView>['editorial'] };
  });

  r.put('/admin/consultations/:slug/national', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Marque (ou démarque) une contribution ou une idée commune comme relevant du niveau national',
      params: SlugParams, body: z.object({ type: z.enum(['contribution', 'group']), id: z.string().min(1).max(300), national: z.boolean() }),
      response: { 200: z.object({ changed: z.boolean(), marks: z.array(NationalMark) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => markNational(requestContext(store, req), { consultation: req.params.slug, ...req.body }));

  r.put('/admin/consultations/:slug/synthesis/editorial', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Modifie les textes rédigés de la synthèse (fusion clé par clé)', params: SlugParams,
      body: Target.extend({
        texts: z.record(z.string(), z.string().max(20_000)).optional(),
        headings: z.record(z.string(), z.string().max(300)).optional(),
        quotes: z.record(z.string(), z.array(z.object({ contribution: z.string(), text: z.string().max(5000).optional() }))).optional(),
        order: z.record(z.string(), z.array(z.string())).optional(),
        actions: z.record(z.string(), z.array(EmblematicAction).max(50)).optional(),
      }),
      response: { 200: z.object({ editorial: z.record(z.string(), z.unknown()) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const { level, territory, ...change } = req.body;
    const editorial = await editSynthesisEditorial(requestContext(store, req), { ...target(req.params.slug, { level, territory }), ...change });
    return { editorial: editorial as unknown as Record<string, unknown> };
  });

  r.post('/admin/consultations/:slug/synthesis/publish', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Reconstruit, vérifie et publie la synthèse (HTML servi par /restitution) ; refusée (409, liste « problems ») tant qu’un texte reste à rédiger ou qu’une vérification échoue',
      params: SlugParams, body: Target.optional(),
      response: {
        200: z.object({ id: z.string(), publishedAt: z.string() }), ...errors(401, 403, 404),
        409: ErrorResponse.extend({ problems: z.array(Problem).optional() }),
      },
    },
  }, async (req) => {
    const { id, publishedAt } = await publishSynthesis(requestContext(store, req), target(req.params.slug, req.body));
    return { id, publishedAt };
  });
}
