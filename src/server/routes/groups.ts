/** Analysis (themes, kinds, common ideas) and the human operations on idea groups, with undo. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Provenance } from '../../domain/contribution.ts';
import type { IdeaGroup } from '../../domain/ideas.ts';
import { appDb } from '../../store/accounts.ts';
import { lastUndoable } from '../../store/audit.ts';
import { changeGroups, undoGroupChange } from '../../store/idea-groups.ts';
import { undoThemeChange } from '../../store/moderation.ts';
import { pageContributions } from '../../store/moderation-page.ts';
import type { AppContext } from '../app.ts';
import { badRequest, conflict, HttpError, notFound } from '../errors.ts';
import { errors, IdeaGroupView, IdParams, SlugParams } from '../schemas.ts';
import { currentUser } from '../security.ts';
import { groupView } from '../views.ts';
import type { Actor } from '../../usecases/context.ts';
import { jobView, JobView } from './jobs.ts';
import { ANALYST, requireConsultation } from './admin.ts';

const tags = ['analyse'];
export const UNDOABLE = ['groups.rename', 'groups.merge', 'groups.split', 'groups.move', 'themes.accept', 'themes.reject'] as const;

/** One lock per consultation: group operations read, change and write the whole set. */
const locks = new Map<string, Promise<unknown>>();
async function locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const run = prev.catch(() => undefined).then(fn);
  locks.set(key, run);
  try { return await run; } finally { if (locks.get(key) === run) locks.delete(key); }
}

async function groupConsultation(ctx: AppContext, id: string): Promise<string> {
  const row = await ctx.store.db.selectFrom('idea_groups').select('consultation').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Groupe inconnu : ${id}`);
  return row.consultation;
}

function find(groups: IdeaGroup[], id: string): IdeaGroup {
  const g = groups.find((x) => x.id === id);
  if (!g) throw notFound(`Groupe inconnu : ${id}`);
  return g;
}

function humanMember(contribution: string, by: string, at: string) {
  return { contribution, provenance: { by: 'human', reviewer: by, at } as Provenance };
}

function descendants(groups: IdeaGroup[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of groups) if (g.parent !== null && out.has(g.parent) && !out.has(g.id)) { out.add(g.id); grew = true; }
  }
  return out;
}

export async function groupRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { store } = ctx;

  r.post('/admin/consultations/:slug/analyze', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Lance l’analyse (thèmes et natures suggérés, idées communes) : une tâche, suivie par GET /api/admin/jobs/{id}',
      params: SlugParams,
      body: z.object({ seed: z.number().int().min(0).max(2 ** 31).optional() }).optional(),
      response: { 202: JobView, ...errors(401, 403, 404) },
    },
  }, async (req, reply) => {
    const user = currentUser(req);
    const c = await requireConsultation(ctx, req.params.slug);
    // one analysis at a time per consultation, whichever server was asked: a second request gets the same job
    const { job } = await ctx.jobs.enqueue({
      kind: 'analyze', input: { consultation: c.slug, seed: req.body?.seed ?? 1 }, actor: { name: user.email, role: user.role as Actor['role'] },
    });
    return reply.code(202).send(jobView(job));
  });

  r.get('/admin/consultations/:slug/groups', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Idées communes (groupes et sous-idées) et les contributions qu’ils contiennent', params: SlugParams,
      querystring: z.object({ theme: z.string().max(64).optional() }),
      response: {
        200: z.object({
          items: z.array(IdeaGroupView),
          contributions: z.record(z.string(), z.object({
            text: z.string(), kind: z.string().nullable(), status: z.string(), meeting: z.string().nullable(),
            themes: z.array(z.object({ theme: z.string(), by: z.string(), probability: z.number().optional() })),
          })),
        }),
        ...errors(401, 403, 404),
      },
    },
  }, async (req) => {
    const c = await requireConsultation(ctx, req.params.slug);
    const groups = await store.listIdeaGroups(c.slug, req.query.theme);
    const ids = [...new Set(groups.flatMap((g) => g.members.map((m) => m.contribution)))];
    const contributions: Record<string, { text: string; kind: string | null; status: string; meeting: string | null; themes: { theme: string; by: string; probability?: number }[] }> = {};
    for (let i = 0; i < ids.length; i += 500) {
      const page = await pageContributions(store, c.slug, { ids: ids.slice(i, i + 500) }, 0, 500);
      for (const x of page.items) {
        contributions[x.id] = {
          text: x.text, kind: x.kind, status: x.status, meeting: x.meeting,
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
    const user = currentUser(req);
    const slug = await groupConsultation(ctx, req.params.id);
    const group = await locked(slug, () => changeGroups(store, slug, { actor: user.email, action: 'groups.rename', targetId: req.params.id }, (groups) => {
      const g = find(groups, req.params.id);
      g.lineage.push({ op: 'rename', at: new Date().toISOString(), by: user.email, from: g.label, to: req.body.label });
      g.label = req.body.label;
      g.labelByHuman = true;
      return { groups, touched: [g.id], result: g };
    }));
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
    const user = currentUser(req);
    const ids = [...new Set(req.body.ids)];
    if (ids.length < 2) throw badRequest('Indiquez au moins deux groupes différents.', 'body.ids');
    const slug = await groupConsultation(ctx, ids[0]!);
    const group = await locked(slug, () => changeGroups(store, slug, { actor: user.email, action: 'groups.merge', targetId: ids[0]! }, (groups) => {
      const into = find(groups, ids[0]!);
      const others = ids.slice(1).map((id) => find(groups, id));
      const at = new Date().toISOString();
      const touched = new Set(ids);
      for (const g of others) {
        if (g.parent !== into.parent) throw badRequest('Les groupes fusionnés doivent être au même niveau (même groupe parent).', 'body.ids');
        if (descendants(groups, g.id).has(into.id)) throw badRequest('Un groupe ne peut pas absorber son propre parent.', 'body.ids');
        const have = new Set(into.members.map((m) => m.contribution));
        for (const m of g.members) if (!have.has(m.contribution)) into.members.push(humanMember(m.contribution, user.email, at));
        for (const s of groups) if (s.parent === g.id) { s.parent = into.id; touched.add(s.id); }
        into.quotes = [...new Set([...into.quotes, ...g.quotes])];
      }
      into.lineage.push({ op: 'merge', at, by: user.email, from: others.map((g) => g.id) });
      if (req.body.label) {
        into.lineage.push({ op: 'rename', at, by: user.email, from: into.label, to: req.body.label });
        into.label = req.body.label;
        into.labelByHuman = true;
      }
      const removed = new Set(others.map((g) => g.id));
      return { groups: groups.filter((g) => !removed.has(g.id)), touched: [...touched], result: into };
    }));
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
    const user = currentUser(req);
    const slug = await groupConsultation(ctx, req.params.id);
    const pair = await locked(slug, () => changeGroups(store, slug, { actor: user.email, action: 'groups.split', targetId: req.params.id }, (groups) => {
      const g = find(groups, req.params.id);
      const moving = new Set(req.body.members);
      const own = new Set(g.members.map((m) => m.contribution));
      for (const id of moving) if (!own.has(id)) throw badRequest(`La contribution « ${id} » n’est pas membre directe de ce groupe.`, 'body.members');
      if (moving.size === own.size && groups.every((x) => x.parent !== g.id)) throw badRequest('Gardez au moins une contribution dans le groupe d’origine.', 'body.members');
      const at = new Date().toISOString();
      let n = 1;
      while (groups.some((x) => x.id === `${g.id}.s${n}`)) n++;
      const label = req.body.label ?? `${g.label} (${n + 1})`;
      const created: IdeaGroup = {
        id: `${g.id}.s${n}`, consultation: g.consultation, parent: g.parent, ...(g.theme ? { theme: g.theme } : {}),
        label, labelByHuman: Boolean(req.body.label), members: [...moving].map((c) => humanMember(c, user.email, at)),
        quotes: g.quotes.filter((q) => moving.has(q)), lineage: [{ op: 'create', at, by: user.email }],
      };
      g.members = g.members.filter((m) => !moving.has(m.contribution));
      g.quotes = g.quotes.filter((q) => !moving.has(q));
      g.lineage.push({ op: 'split', at, by: user.email, into: [created.id] });
      const idx = groups.indexOf(g);
      groups.splice(idx + 1, 0, created);
      return { groups, touched: [g.id, created.id], result: [g, created] };
    }));
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
    const user = currentUser(req);
    const { from, to } = req.body;
    if (from === to) throw badRequest('Les groupes de départ et d’arrivée sont identiques.', 'body.to');
    const slug = await groupConsultation(ctx, from);
    const res = await locked(slug, () => changeGroups(store, slug, { actor: user.email, action: 'groups.move', targetId: req.params.id }, (groups) => {
      const a = find(groups, from);
      const b = find(groups, to);
      if (!a.members.some((m) => m.contribution === req.params.id)) throw notFound(`La contribution « ${req.params.id} » n’est pas dans le groupe ${from}.`);
      const at = new Date().toISOString();
      a.members = a.members.filter((m) => m.contribution !== req.params.id);
      a.quotes = a.quotes.filter((q) => q !== req.params.id);
      if (!b.members.some((m) => m.contribution === req.params.id)) b.members.push(humanMember(req.params.id, user.email, at));
      b.lineage.push({ op: 'move', at, by: user.email, contribution: req.params.id, from, to });
      return { groups, touched: [a.id, b.id], result: { from: a, to: b } };
    }));
    return { from: groupView(res.from), to: groupView(res.to) };
  });

  r.post('/admin/undo', {
    config: { roles: ANALYST },
    schema: {
      tags, summary: 'Annule la dernière action de l’utilisateur sur les groupes ou les thèmes',
      response: { 200: z.object({ undone: z.object({ id: z.number(), action: z.string(), target: z.string() }) }), ...errors(401, 403, 404, 409) },
    },
  }, async (req) => {
    const user = currentUser(req);
    const entry = await lastUndoable(appDb(store), user.email, UNDOABLE);
    if (!entry) throw new HttpError(404, 'nothing_to_undo', 'Aucune action à annuler.');
    if (entry.action.startsWith('groups.')) {
      const outcome = await locked(entry.consultation ?? '', () => undoGroupChange(store, entry, user.email));
      if (outcome === 'conflict') throw conflict('Impossible d’annuler : les groupes concernés ont été modifiés depuis (par vous ou un autre utilisateur).');
    } else {
      const outcome = await undoThemeChange(store, entry, user.email);
      if (outcome === 'conflict') throw conflict('Impossible d’annuler : les thèmes de cette contribution ont été modifiés depuis.');
    }
    return { undone: { id: entry.id, action: entry.action, target: entry.targetId } };
  });

}
