/** Analysis (themes, kinds, common ideas) and the human operations on idea groups, with undo. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mergeGroups, moveContribution, renameGroup, splitGroup, undoLastChange } from '../../usecases/analysis.ts';
import { pageContributions } from '../../store/moderation-page.ts';
import type { AppContext } from '../context.ts';
import { ConsultationFigures, errors, GroupsResponse, IdeaGroupView, IdParams, SlugParams } from '../schemas.ts';
import { clearSuggestCache } from '../suggest.ts';
import { requestContext } from '../use-case-context.ts';
import { analysisFigures } from '../../usecases/stats.ts';
import { groupView } from '../views.ts';
import { jobView, JobView } from './jobs.ts';
import { ANALYST, requireConsultation } from './admin.ts';

const tags = ['analyse'];

export async function groupRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;

  r.post('/admin/consultations/:slug/analyze', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Lance l’analyse (thèmes et natures suggérés, idées communes) : une tâche, suivie par GET /api/admin/jobs/{id}',
      params: SlugParams,
      body: z.object({ seed: z.number().int().min(0).max(2 ** 31).optional(), regroup: z.boolean().optional() }).optional(),
      response: { 202: JobView, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const c = await requireConsultation(ctx, req.params.slug);
    // one analysis at a time per consultation, whichever server was asked: a second request gets the same job
    const { job } = await ctx.jobs.enqueue({
      kind: 'analyze', actor: requestContext(store, req).actor,
      input: { consultation: c.slug, ...(req.body?.seed !== undefined ? { seed: req.body.seed } : {}), ...(req.body?.regroup ? { regroup: true } : {}) },
    });
    return reply.code(202).send(jobView(job));
  });

  r.get('/admin/consultations/:slug/figures', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Chiffres de la consultation : les chiffres publics (les mêmes que sur le site) et, à part, les contributions non publiques',
      params: SlugParams,
      response: {
        200: z.object({
          public: ConsultationFigures,
          withheld: z.object({
            pending: z.number().describe('à modérer'), rejected: z.number().describe('rejetées (indésirables comprises)'),
            other: z.number().describe('autre statut non public'),
          }).describe('contributions hors chiffres publics, jamais additionnées à eux'),
        }),
        ...errors(401, 403, 404),
      },
    },
  }, async (req) => analysisFigures(requestContext(store, req), req.params.slug));

  r.get('/admin/consultations/:slug/groups', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Idées communes (groupes et sous-idées) et les contributions qu’ils contiennent', params: SlugParams,
      querystring: z.object({ theme: z.string().max(64).optional() }),
      response: {
        200: GroupsResponse,
        ...errors(401, 403, 404),
      },
    },
  }, async (req) => {
    const c = await requireConsultation(ctx, req.params.slug);
    const groups = await store.listIdeaGroups(c.slug, req.query.theme);
    const ids = [...new Set(groups.flatMap((g) => g.members.map((m) => m.contribution)))];
    const contributions: z.input<typeof GroupsResponse>['contributions'] = {};
    for (let i = 0; i < ids.length; i += 500) {
      const page = await pageContributions(store, c.slug, { ids: ids.slice(i, i + 500) }, 0, 500);
      for (const x of page.items) {
        contributions[x.id] = {
          text: x.text, kind: x.kind, status: x.status, meeting: x.meeting, college: x.college,
          themes: x.themes.map((t) => ({ theme: t.theme, by: t.provenance.by, ...(t.provenance.by === 'model' && t.provenance.probability !== undefined ? { probability: t.provenance.probability } : {}) })),
        };
      }
    }
    return { items: groups.map(groupView), contributions };
  });

  r.post('/admin/groups/:id/rename', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Renomme un groupe', params: IdParams, body: z.object({ label: z.string().trim().min(1).max(300) }),
      response: { 200: z.object({ group: IdeaGroupView }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const group = await renameGroup(requestContext(store, req), { id: req.params.id, label: req.body.label });
    return { group: groupView(group) };
  });

  r.post('/admin/groups/merge', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Fusionne des groupes (le premier absorbe les autres)',
      body: z.object({ ids: z.array(z.string().min(1)).min(2).max(50), label: z.string().trim().min(1).max(300).optional() }),
      response: { 200: z.object({ group: IdeaGroupView }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const group = await mergeGroups(requestContext(store, req), { ids: req.body.ids, ...(req.body.label ? { label: req.body.label } : {}) });
    return { group: groupView(group) };
  });

  r.post('/admin/groups/:id/split', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Scinde un groupe : les contributions données forment un nouveau groupe voisin', params: IdParams,
      body: z.object({ members: z.array(z.string().min(1)).min(1).max(10_000), label: z.string().trim().min(1).max(300).optional() }),
      response: { 200: z.object({ groups: z.array(IdeaGroupView) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const pair = await splitGroup(requestContext(store, req), { id: req.params.id, members: req.body.members, ...(req.body.label ? { label: req.body.label } : {}) });
    return { groups: pair.map(groupView) };
  });

  r.post('/admin/contributions/:id/move', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Déplace une contribution d’un groupe à un autre', params: IdParams,
      body: z.object({ from: z.string().min(1), to: z.string().min(1) }),
      response: { 200: z.object({ from: IdeaGroupView, to: IdeaGroupView }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const res = await moveContribution(requestContext(store, req), { contribution: req.params.id, from: req.body.from, to: req.body.to });
    return { from: groupView(res.from), to: groupView(res.to) };
  });

  r.post('/admin/undo', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Annule la dernière action de l’utilisateur sur les groupes ou les thèmes',
      response: { 200: z.object({ undone: z.object({ id: z.number(), action: z.string(), target: z.string() }) }), ...errors(401, 403, 404, 409) },
    },
  }, async (req) => {
    const undone = await undoLastChange(requestContext(store, req));
    return { undone: { id: undone.id, action: undone.action, target: undone.target } };
  });
}
