/**
 * `GET /api/site`: the legal information the operator configured (FABRIQUE_SITE_*), for the legal pages and
 * the footer's accessibility status. Read and validated once, when the routes are registered: a wrong value
 * stops the server at start-up with a French message naming the variable.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { publicSite, siteSettingsFromEnv } from '../../domain/site.ts';
import { auditTextRetentionDays } from '../../store/audit.ts';
import type { AppContext } from '../context.ts';
import { SESSION_HOURS } from '../security.ts';

const Text = z.string().nullable();
const Site = z.object({
  publisher: Text, publisherAddress: Text, director: Text, host: Text,
  contact: Text.describe('adresse électronique ou adresse https'),
  dpo: Text.describe('délégué à la protection des données : adresse électronique ou adresse https'),
  audit: z.object({ date: z.string(), rate: z.number(), auditor: Text }).nullable().describe('dernier audit RGAA ; null : aucun'),
  declarationDate: Text,
  rgaaStatus: z.enum(['non-conforme', 'partiellement-conforme', 'totalement-conforme']).describe('déduit du taux de l’audit (RGAA 4.1) ; non conforme sans audit'),
  licence: z.string(),
  auditTextRetentionDays: z.number().int(),
  sessionHours: z.number(),
  loginLockMinutes: z.number(),
});

export async function siteRoutes(api: FastifyInstance, ctx: AppContext, env: Record<string, string | undefined> = process.env): Promise<void> {
  const site = publicSite(siteSettingsFromEnv(env, { auditTextRetentionDays: auditTextRetentionDays(env as NodeJS.ProcessEnv), sessionHours: SESSION_HOURS, loginLockMinutes: ctx.options.loginLockMinutes }));
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/site', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: 'Informations légales du site : éditeur, hébergeur, contacts, état de conformité RGAA', response: { 200: Site } },
  }, async (_req, reply) => {
    // settings change only with a restart
    reply.header('cache-control', 'public, max-age=300');
    return site;
  });
}
