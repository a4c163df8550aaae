/**
 * Issue 16: open data (published contributions and public figures as CSV and JSON, Licence Ouverte 2.0), the
 * published restitution as a PDF, and the easy-to-read summary (FALC): its public page and its editor in the back
 * office. Formats: docs/format-open-data.md; rules of the easy-to-read checks: docs/easy-read.md.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkEasyReadDraft, easyReadEditor, publicEasyRead, publishEasyRead, saveEasyRead, withdrawEasyRead } from '../../usecases/easy-read.ts';
import {
  contributionsCsv, contributionsJson, figuresCsv, figuresJson, OPEN_DATA_LICENCE, openDataContributions, openDataFigures, openDataFileName,
} from '../../usecases/open-data.ts';
import { restitutionPdf } from '../../usecases/restitution-public.ts';
import type { AppContext } from '../context.ts';
import { errors, SlugParams } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';
import { ANALYST } from './admin.ts';
import { EasyReadEditorView, EasyReadInput, PublicEasyRead, Warning } from './open-data-schemas.ts';

const LICENCE_LINK = `<${OPEN_DATA_LICENCE.url}>; rel="license"`;

function download(reply: FastifyReply, type: string, fileName: string): FastifyReply {
  return reply.type(type).header('content-disposition', `attachment; filename="${fileName}"`).header('link', LICENCE_LINK)
    .header('cache-control', 'no-cache');
}

export async function openDataRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;
  const tags = ['données ouvertes'];

  r.get('/consultations/:slug/donnees/contributions.csv', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Contributions publiées en CSV (UTF-8 avec BOM, « ; », Licence Ouverte 2.0) : texte pseudonymisé, thèmes, nature, réunion, date, département',
      params: SlugParams, produces: ['text/csv'],
    },
  }, async (req, reply) => {
    const data = await openDataContributions(requestContext(ctx, req), req.params.slug);
    download(reply, 'text/csv; charset=utf-8', openDataFileName(data.consultation.slug, 'contributions', 'csv')).header('x-total-count', String(data.total));
    return reply.send(Readable.from(contributionsCsv(data)));
  });

  r.get('/consultations/:slug/donnees/contributions.json', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Contributions publiées en JSON (format fabrique.open-data.contributions, Licence Ouverte 2.0)',
      params: SlugParams, produces: ['application/json'],
    },
  }, async (req, reply) => {
    const data = await openDataContributions(requestContext(ctx, req), req.params.slug);
    download(reply, 'application/json; charset=utf-8', openDataFileName(data.consultation.slug, 'contributions', 'json')).header('x-total-count', String(data.total));
    return reply.send(Readable.from(contributionsJson(data, new Date())));
  });

  r.get('/consultations/:slug/donnees/figures.csv', {
    config: { access: 'public' },
    schema: { tags, summary: 'Chiffres publics en CSV (les mêmes que « En chiffres » ; UTF-8 avec BOM, « ; »)', params: SlugParams, produces: ['text/csv'] },
  }, async (req, reply) => {
    const { consultation, figures } = await openDataFigures(requestContext(ctx, req), req.params.slug);
    return download(reply, 'text/csv; charset=utf-8', openDataFileName(consultation.slug, 'figures', 'csv')).send(figuresCsv(figures));
  });

  r.get('/consultations/:slug/donnees/figures.json', {
    config: { access: 'public' },
    schema: { tags, summary: 'Chiffres publics en JSON (format fabrique.open-data.figures)', params: SlugParams, produces: ['application/json'] },
  }, async (req, reply) => {
    const { consultation, figures } = await openDataFigures(requestContext(ctx, req), req.params.slug);
    return download(reply, 'application/json; charset=utf-8', openDataFileName(consultation.slug, 'figures', 'json')).send(figuresJson(consultation, figures, new Date()));
  });

  r.get('/consultations/:slug/restitution.pdf', {
    config: { access: 'public' },
    schema: {
      tags: ['public'], summary: 'La restitution publiée en PDF (A4), imprimée une fois par version publiée ; 404 sans restitution publiée, 503 sans Chromium',
      params: SlugParams, produces: ['application/pdf'],
    },
  }, async (req, reply) => {
    const pdf = await restitutionPdf(requestContext(ctx, req), req.params.slug);
    reply.header('etag', pdf.etag).header('cache-control', 'no-cache').header('last-modified', new Date(pdf.publishedAt).toUTCString());
    if (req.headers['if-none-match'] === pdf.etag) return reply.code(304).send();
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${pdf.fileName}"`).send(pdf.bytes);
  });

  r.get('/consultations/:slug/facile', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: 'Le résumé facile à lire (FALC) publié de la restitution', params: SlugParams, response: { 200: PublicEasyRead, ...errors(404) } },
  }, async (req) => publicEasyRead(requestContext(ctx, req), req.params.slug));

  const adminTags = ['synthèse'];
  r.get('/admin/consultations/:slug/easy-read', {
    config: { roles: ANALYST },
    schema: { tags: adminTags, summary: 'Le résumé facile à lire : brouillon, version publiée, avertissements des règles vérifiables', params: SlugParams, response: { 200: EasyReadEditorView, ...errors(401, 403, 404) } },
  }, async (req) => easyReadEditor(requestContext(store, req), req.params.slug));

  r.post('/admin/consultations/:slug/easy-read/check', {
    config: { roles: ANALYST },
    schema: { tags: adminTags, summary: 'Vérifie un texte en cours d’écriture (sans l’enregistrer) : avertissements', params: SlugParams, body: EasyReadInput, response: { 200: z.object({ warnings: z.array(Warning) }), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    await easyReadEditor(requestContext(store, req), req.params.slug);
    return { warnings: checkEasyReadDraft(req.body) };
  });

  r.put('/admin/consultations/:slug/easy-read', {
    config: { roles: ANALYST },
    schema: { tags: adminTags, summary: 'Enregistre le brouillon du résumé facile à lire (audité) ; la version publiée ne change pas', params: SlugParams, body: EasyReadInput, response: { 200: EasyReadEditorView, ...errors(400, 401, 403, 404) } },
  }, async (req) => saveEasyRead(requestContext(store, req), req.params.slug, req.body));

  r.post('/admin/consultations/:slug/easy-read/publish', {
    config: { roles: ANALYST },
    schema: { tags: adminTags, summary: 'Publie le brouillon enregistré (audité) ; 409 tant que la restitution n’est pas publiée', params: SlugParams, response: { 200: EasyReadEditorView, ...errors(401, 403, 404, 409) } },
  }, async (req) => publishEasyRead(requestContext(store, req), req.params.slug));

  r.post('/admin/consultations/:slug/easy-read/withdraw', {
    config: { roles: ANALYST },
    schema: { tags: adminTags, summary: 'Retire la version publiée (auditée) ; le brouillon reste', params: SlugParams, response: { 200: EasyReadEditorView, ...errors(401, 403, 404) } },
  }, async (req) => withdrawEasyRead(requestContext(store, req), req.params.slug));
}
