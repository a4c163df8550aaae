/** `GET /api/health` for load balancers and monitoring: public, cheap, no personal data. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { storageHealth } from '../../store/health.ts';
import { jobCounts } from '../../store/jobs.ts';
import type { AppContext } from '../context.ts';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']).describe('ok (200) only when the database answers and every migration is applied; otherwise 503'),
  database: z.object({
    status: z.enum(['ok', 'unavailable']),
    dialect: z.enum(['sqlite', 'postgres']),
    fault: z.string().optional().describe('unavailable, busy, read_only, full, cannot_open or unknown'),
  }),
  migrations: z.object({
    status: z.enum(['ok', 'pending', 'unknown']),
    applied: z.number().int().optional(),
    pending: z.number().int().optional(),
  }),
  jobs: z.object({
    status: z.enum(['ok', 'unknown']),
    runsHere: z.boolean().describe('whether this process runs jobs (SQLite, or FABRIQUE_SERVE_JOBS=1); otherwise `fabrique worker` does'),
    queued: z.number().int().optional(),
    running: z.number().int().optional(),
    stalled: z.number().int().optional().describe('running under an expired lease: their process died, another takes them over'),
  }),
  checkedAt: z.string(),
});

export async function healthRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['public'], summary: 'État du service (base joignable, migrations appliquées) pour les répartiteurs de charge',
      response: { 200: Health, 503: Health },
    },
  }, async (_req, reply) => {
    const storage = await storageHealth(ctx.store);
    const ok = storage.database.status === 'ok' && storage.migrations.status === 'ok';
    const counts = ok ? await jobCounts(ctx.store).catch(() => undefined) : undefined;
    reply.header('cache-control', 'no-store');
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' as const : 'unavailable' as const,
      ...storage,
      jobs: { status: counts ? 'ok' as const : 'unknown' as const, runsHere: ctx.jobs.runsJobs, ...counts },
      checkedAt: new Date().toISOString(),
    });
  });
}
