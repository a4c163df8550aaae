/** Long work queued as jobs (src/jobs): its state, step and progress while it runs, then its result or error. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getJob, type Job } from '../../store/jobs.ts';
import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { errors, JobView } from '../schemas.ts';
import { ANALYST } from './admin.ts';

export { JobView };

const tags = ['tâches'];

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
      tags, summary: 'État d’une tâche (analyse, synthèse, import d’un gros fichier) : étape, avancement, puis résultat ou erreur',
      params: z.object({ id: z.string().uuid() }),
      response: { 200: JobView, ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const job = await getJob(ctx.store, req.params.id);
    if (!job) throw notFound(`Tâche inconnue : ${req.params.id}`);
    return jobView(job);
  });
}
