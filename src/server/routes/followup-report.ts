/**
 * The back office's follow-up report and exports of a plan (issue 15, package FIGURES): the « Bilan de suivi du schéma
 * territorial de santé » rebuilt and verified at each request (src/usecases/followup-report.ts), and the spreadsheet
 * exports of its actions, indicators and measurements (src/usecases/followup-export.ts). Analysts and administrators.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { routeRoles } from '../../domain/roles.ts';
import { SYNTHESIS_FORMATS } from '../../synthesis/index.ts';
import { followupExport, type FollowupExportFormat, type FollowupExportWhat } from '../../usecases/followup-export.ts';
import { followupReport } from '../../usecases/followup-report.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

const PlanParams = z.object({ id: z.string().min(1).max(200).describe('identifiant du plan, ou code / nom du département (dernier plan importé)') });
const tags = ['back-office'];

export async function followupReportRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/admin/plans/:id/followup/report', {
    config: { roles: routeRoles('plans') },
    schema: {
      tags, summary: 'Bilan de suivi du schéma territorial de santé (construit et vérifié à chaque demande) : html, pdf, docx, md ou json (le fichier fabrique.followup que « fabrique verify » revérifie)',
      params: PlanParams,
      querystring: z.object({
        format: z.enum(SYNTHESIS_FORMATS).default('html'),
        year: z.coerce.number().int().min(2000).max(2100).optional().describe('année du bilan (par défaut : l’année en cours ; une année passée est arrêtée au 31 décembre)'),
      }),
      produces: ['text/html', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'application/json'],
      response: errors(400, 401, 403, 404, 409, 503),
    },
  }, async (req, reply) => {
    const { format, year } = req.query;
    const rep = await followupReport(requestContext(ctx, req), { plan: req.params.id, format, ...(year !== undefined ? { year } : {}) });
    const rendered = rep.rendered!;
    const name = `bilan-suivi-${rep.document.plan.territory}${rep.document.year !== null ? `-${rep.document.year}` : ''}.${rendered.extension}`;
    reply.header('content-disposition', `attachment; filename="${name}"`).type(rendered.mediaType);
    if (format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    return reply.send(rendered.bytes as never);
  });

  r.get('/admin/plans/:id/followup/export/:file', {
    config: { roles: routeRoles('plans') },
    schema: {
      tags, summary: 'Export tableur du suivi : actions.csv|xlsx, indicators.csv|xlsx, measurements.csv|xlsx (en-têtes en français, dates ISO ; CSV en UTF-8 avec BOM, « ; »)',
      params: PlanParams.extend({ file: z.string().regex(/^(actions|indicators|measurements)\.(csv|xlsx)$/, 'attendu : actions, indicators ou measurements, en .csv ou .xlsx') }),
      querystring: z.object({ contact: z.enum(['0', '1']).optional().describe('actions : 1 ajoute la colonne « Contact » (personne à contacter du porteur)') }),
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      response: errors(400, 401, 403, 404),
    },
  }, async (req, reply) => {
    const [what, format] = req.params.file.split('.') as [FollowupExportWhat, FollowupExportFormat];
    const x = await followupExport(requestContext(ctx, req), { plan: req.params.id, what, format, contact: req.query.contact === '1' });
    reply.header('content-disposition', `attachment; filename="${x.fileName}"`).type(x.mediaType);
    return reply.send(x.bytes as never);
  });
}
