/** Restitution syntheses: build + verify + save, download in every format, editorial texts, publication. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Consultation } from '../../domain/consultation.ts';
import type { SynthesisLevel } from '../../domain/synthesis.ts';
import { appDb } from '../../store/accounts.ts';
import { recordAudit } from '../../store/audit.ts';
import { savePublishedSynthesis } from '../../store/moderation.ts';
import type { Store } from '../../store/store.ts';
import {
  assertVerified, buildSynthesis, reliedContributions, chromiumAvailable, FORMAT_INFO, loadEditorial, loadSynthesis, renderHtml, renderSynthesis, saveEditorial,
  saveSynthesis, SYNTHESIS_FORMATS, synthesisId, verifySynthesis,
} from '../../synthesis/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError, notFound } from '../errors.ts';
import { errors, SlugParams } from '../schemas.ts';
import { currentUser } from '../security.ts';
import { ANALYST, requireConsultation } from './admin.ts';

const tags = ['synthèse'];
const Target = z.object({ level: z.enum(['departement', 'region']).optional(), territory: z.string().min(2).max(3).optional() });

async function target(store: Store, c: Consultation, t: { level?: SynthesisLevel | undefined; territory?: string | undefined }) {
  const level: SynthesisLevel = t.level ?? ((await store.getTerritory(c.territory))?.level === 'region' ? 'region' : 'departement');
  return { level, ...(t.territory ? { territory: t.territory } : {}) };
}

/** Id of the synthesis for a target (the builder resolves the default territory). */
async function resolveId(store: Store, c: Consultation, t: { level: SynthesisLevel; territory?: string }): Promise<string> {
  if (t.territory) return synthesisId(c.slug, t.level, t.territory);
  const rows = await store.db.selectFrom('syntheses').select(['id', 'territory']).where('consultation', '=', c.slug).where('level', '=', t.level).execute();
  if (rows.length === 1) return rows[0]!.id;
  const doc = await buildSynthesis(store, { consultation: c.slug, level: t.level });
  return doc.id;
}

const Verification = z.object({
  ok: z.boolean(), failures: z.array(z.object({ path: z.string(), message: z.string() })), checked: z.object({ figures: z.number(), quotes: z.number() }),
});

export async function synthesisRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;

  r.post('/admin/consultations/:slug/synthesis', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Construit, vérifie et enregistre la synthèse de restitution', params: SlugParams, body: Target.optional(),
      response: { 200: z.object({ id: z.string(), verification: Verification, notices: z.array(z.string()) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const user = currentUser(req);
    const c = await requireConsultation(ctx, req.params.slug);
    const t = await target(store, c, req.body ?? {});
    let doc;
    try {
      doc = await buildSynthesis(store, { consultation: c.slug, ...t });
    } catch (e) {
      throw new HttpError(400, 'synthesis_invalid', (e as Error).message);
    }
    const verification = await verifySynthesis(store, doc);
    const previous = await loadSynthesis(store, doc.id);
    await saveSynthesis(store, doc);
    await recordAudit(appDb(store), {
      actor: user.email, action: 'synthesis.generate', consultation: c.slug, targetType: 'synthesis', targetId: doc.id,
      before: previous ? { generatedAt: previous.generatedAt, figures: previous.figures.length } : null,
      after: { generatedAt: doc.generatedAt, figures: doc.figures.length, verified: verification.ok },
    });
    return { id: doc.id, verification: { ok: verification.ok, failures: verification.failures, checked: verification.checked }, notices: doc.notices };
  });

  r.get('/admin/consultations/:slug/synthesis', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Télécharge la synthèse enregistrée (vérifiée à nouveau) : html, pdf, docx, md ou json', params: SlugParams,
      querystring: Target.extend({ format: z.enum(SYNTHESIS_FORMATS).default('html') }),
      produces: ['text/html', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'application/json'],
    },
  }, async (req, reply) => {
    const c = await requireConsultation(ctx, req.params.slug);
    const t = await target(store, c, req.query);
    const id = await resolveId(store, c, t);
    const doc = await loadSynthesis(store, id);
    if (!doc) throw notFound('Cette synthèse n’a pas encore été générée : lancez d’abord la génération.');
    const format = req.query.format;
    if (format === 'pdf' && !chromiumAvailable()) {
      throw new HttpError(503, 'unavailable', 'Le PDF est produit avec Chromium, absent de ce serveur : téléchargez le HTML ou le DOCX.');
    }
    const rendered = await renderSynthesis(store, doc, format);
    const name = `synthese-${doc.level}-${doc.territory}.${FORMAT_INFO[format].extension}`;
    reply.header('content-disposition', `attachment; filename="${name}"`).type(FORMAT_INFO[format].mediaType);
    if (format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    return reply.send(rendered.bytes);
  });

  r.put('/admin/consultations/:slug/synthesis/editorial', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Modifie les textes rédigés de la synthèse (fusion clé par clé)', params: SlugParams,
      body: Target.extend({
        texts: z.record(z.string(), z.string().max(20_000)).optional(),
        headings: z.record(z.string(), z.string().max(300)).optional(),
        quotes: z.record(z.string(), z.array(z.object({ contribution: z.string(), text: z.string().max(5000).optional() }))).optional(),
        order: z.record(z.string(), z.array(z.string())).optional(),
      }),
      response: { 200: z.object({ editorial: z.record(z.string(), z.unknown()) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const user = currentUser(req);
    const c = await requireConsultation(ctx, req.params.slug);
    const t = await target(store, c, req.body);
    const id = await resolveId(store, c, t);
    const [, level, territory] = id.split(':') as [string, SynthesisLevel, string];
    const before = await loadEditorial(store, id);
    const next = structuredClone(before);
    for (const k of ['texts', 'headings'] as const) {
      for (const [key, v] of Object.entries(req.body[k] ?? {})) { if (v === '') delete next[k][key]; else next[k][key] = v; }
    }
    for (const [key, v] of Object.entries(req.body.quotes ?? {})) next.quotes[key] = v.map((q) => (q.text !== undefined ? { contribution: q.contribution, text: q.text } : { contribution: q.contribution }));
    for (const [key, v] of Object.entries(req.body.order ?? {})) next.order[key] = v;
    next.updatedAt = new Date().toISOString();
    next.updatedBy = user.email;
    await saveEditorial(store, { id, consultation: c.slug, level, territory }, next);
    await recordAudit(appDb(store), { actor: user.email, action: 'synthesis.editorial', consultation: c.slug, targetType: 'synthesis', targetId: id, before, after: next });
    return { editorial: next as unknown as Record<string, unknown> };
  });

  r.post('/admin/consultations/:slug/synthesis/publish', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Reconstruit, vérifie et publie la synthèse (HTML servi par /restitution)', params: SlugParams, body: Target.optional(),
      response: { 200: z.object({ id: z.string(), publishedAt: z.string() }), ...errors(401, 403, 404, 409) },
    },
  }, async (req) => {
    const user = currentUser(req);
    const c = await requireConsultation(ctx, req.params.slug);
    const t = await target(store, c, req.body ?? {});
    const doc = await buildSynthesis(store, { consultation: c.slug, ...t });
    await assertVerified(store, doc);
    await saveSynthesis(store, doc);
    const html = renderHtml(doc);
    const publishedAt = await savePublishedSynthesis(store, { id: doc.id, consultation: c.slug, level: doc.level, territory: doc.territory, html, by: user.email, contributions: reliedContributions(doc) },
      { before: null, after: { generatedAt: doc.generatedAt, figures: doc.figures.length, quotes: doc.quotes.length } });
    return { id: doc.id, publishedAt };
  });
}
