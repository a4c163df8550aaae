/** Long work queued as jobs (src/jobs): its state, step and progress while it runs, then its result or error. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getJob, type Job } from '../../store/jobs.ts';
import type { AppContext } from '../app.ts';
import { notFound } from '../errors.ts';
import { errors } from '../schemas.ts';
import { ANALYST } from './admin.ts';

const tags = ['tâches'];

export const JobView = z.object({
  id: z.string(),
  kind: z.string(),
  consultation: z.string().nullable(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  step: z.string().nullable(),
  progress: z.object({ done: z.number(), total: z.number(), label: z.string().nullable() }),
  steps: z.array(z.string()),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  attempts: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type JobView = z.infer<typeof JobView>;

export function jobView(j: Job): JobView {
  return {
    id: j.id, kind: j.kind, consultation: j.consultation, state: j.state, step: j.step, progress: j.progress, steps: j.steps,
    ...(j.state === 'done' ? { result: j.result } : {}), error: j.error, attempts: j.attempts,
    createdAt: j.createdAt, updatedAt: j.updatedAt, finishedAt: j.finishedAt,
  };
}

export async function jobRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/admin/jobs/:id', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'État d’une tâche (analyse, synthèse) : étape, avancement, puis résultat ou erreur',
      params: z.object({ id: z.string().uuid() }),
      response: { 200: JobView, ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const job = await getJob(ctx.store, req.params.id);
    if (!job) throw notFound(`Tâche inconnue : ${req.params.id}`);
    return jobView(job);
  });
}
