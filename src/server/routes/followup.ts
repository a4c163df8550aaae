/**
 * Follow-up of a schéma territorial de santé in the back office (issue 15): actions (import, creation, update,
 * the accounts that manage them), indicators and measurements, and the CTS dashboard. Who may do what is
 * decided twice: by the matched route's guard (its section of src/domain/roles.ts) and by the use case
 * (owners and facilitators: the actions assigned to them; analysts and administrators: everything).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTION_SCOPES, ACTION_STATUSES } from '../../domain/followup.ts';
import { routeRoles } from '../../domain/roles.ts';
import {
  assignActionAccounts, createAction, getAction, importPlanActions, listActions, myActions, updateAction, type UpdateActionInput,
} from '../../usecases/actions.ts';
import { followupDashboard } from '../../usecases/followup-dashboard.ts';
import { addIndicator, addMeasurement, listIndicators, oqosIndicators, type AddIndicatorInput } from '../../usecases/followup-indicators.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

const tags = ['back-office'];
/** reads and updates: every role of the follow-up; the use case narrows owners and facilitators to their actions */
const FOLLOWUP = routeRoles('followup');
/** imports, creations, assignments, indicators: analysts and administrators (the plans section) */
const MANAGERS = routeRoles('plans');

const tuple = <T extends string>(list: readonly T[]) => list as unknown as [T, ...T[]];
const Id = z.string().min(1).max(200);
const PlanParams = z.object({ id: Id.describe('identifiant du plan') });
const ActionParams = z.object({ id: Id.describe('identifiant de l’action') });
const Text = (max: number) => z.string().max(max);
const Day = z.string().max(10).describe('AAAA-MM-JJ');
const Status = z.string().max(40).describe(`code ou libellé : ${ACTION_STATUSES.join(', ')}`);

const SourceRef = z.unknown().describe('lieu de l’élément dans le document du plan (actions importées), sinon null');
const Action = z.object({
  id: z.string(), planId: z.string(), objectiveCode: z.string(), parentId: z.string().nullable(), weight: z.number(),
  title: z.string(), description: z.string().nullable(),
  owner: z.object({ organisation: z.string().nullable(), contact: z.string().nullable() }),
  partners: z.array(z.string()), scope: z.enum(tuple(ACTION_SCOPES)), status: z.enum(tuple(ACTION_STATUSES)), statusReason: z.string().nullable(),
  startDate: z.string().nullable(), dueDate: z.string().nullable(), progress: z.number().nullable(), budget: z.number().nullable(),
  source: SourceRef, createdAt: z.string(), createdBy: z.string(), updatedAt: z.string(),
});
const ActionView = Action.extend({ statusLabel: z.string(), effectiveProgress: z.number(), progressComputed: z.boolean() });
const ByStatus = z.record(z.string(), z.number());
const ActionList = z.object({
  plan: z.object({ id: z.string(), title: z.string(), territory: z.string(), consultation: z.string().nullable() }),
  actions: z.array(ActionView),
  objectives: z.array(z.object({ code: z.string(), title: z.string(), actions: z.number(), progress: z.number().nullable(), byStatus: ByStatus })),
  progress: z.number().nullable(),
});
const TimelineEntry = z.object({
  id: z.number(), actionId: z.string(), at: z.string(), actor: z.string(), kind: z.enum(['created', 'updated']),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })), comment: z.string().nullable(),
});
const Accounts = z.array(z.object({ email: z.string(), role: z.string(), assignedAt: z.string(), assignedBy: z.string() }));

const Indicator = z.unknown().describe('indicateur (docs/format-followup-indicators.md) avec ses mesures et son avancement');
const IndicatorTarget = z.union([
  z.object({ value: z.number() }), z.object({ min: z.number(), max: z.number() }), z.object({ direction: z.string().max(20) }),
]);

const DashboardAction = z.object({
  id: z.string(), title: z.string(), objectiveCode: z.string(), status: z.enum(tuple(ACTION_STATUSES)), statusLabel: z.string(),
  owner: z.string().nullable(), dueDate: z.string().nullable(), progress: z.number(), daysLate: z.number().optional(),
});
const Dashboard = z.object({
  plan: z.object({ id: z.string(), title: z.string(), territory: z.string() }),
  filters: z.object({ engagement: z.string().nullable(), owner: z.string().nullable(), status: z.enum(tuple(ACTION_STATUSES)).nullable() }),
  options: z.object({
    engagements: z.array(z.object({ code: z.string(), title: z.string() })), owners: z.array(z.string()),
    statuses: z.array(z.object({ code: z.enum(tuple(ACTION_STATUSES)), label: z.string() })),
  }),
  today: z.string(), recentSince: z.string().describe('une mesure datée de ce jour ou après est récente (12 mois)'),
  counts: z.object({ actions: z.number(), late: z.number(), withoutOwner: z.number(), staleIndicators: z.number(), objectivesWithoutAction: z.number(), takenUpWithoutAction: z.number() }),
  late: z.array(DashboardAction), withoutOwner: z.array(DashboardAction),
  staleIndicators: z.array(z.object({ id: z.string(), label: z.string(), objectiveCode: z.string().nullable(), lastMeasurement: z.string().nullable(), measurements: z.number() })),
  objectivesWithoutAction: z.array(z.object({ code: z.string(), title: z.string(), engagement: z.string() })),
  takenUpWithoutAction: z.array(z.object({ code: z.string(), title: z.string(), engagement: z.string(), contributions: z.number(), ideas: z.number() })),
});

export async function followupRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  // open to facilitators: no consultation in these addresses, the use case checks their actions ('list')
  const followup = { roles: FOLLOWUP, scope: 'list' as const };

  r.get('/admin/plans/:id/actions', {
    config: followup,
    schema: {
      tags, summary: 'Actions de suivi d’un schéma, avec l’avancement de chaque objectif et du schéma (un porteur ne voit que les siennes)',
      params: PlanParams, querystring: z.object({ objective: z.string().max(40).optional() }),
      response: { 200: ActionList, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => listActions(requestContext(ctx, req), { plan: req.params.id, ...(req.query.objective ? { objective: req.query.objective } : {}) }));

  r.post('/admin/plans/:id/actions/import', {
    config: { roles: MANAGERS },
    schema: {
      tags, summary: 'Importe les éléments « En pratique » du schéma comme actions proposées (idempotent ; audité)',
      params: PlanParams, body: z.object({ includeDisplaced: z.boolean().optional() }).optional(),
      response: {
        200: z.object({
          plan: z.string(), created: z.number(), existing: z.number(), byObjective: z.record(z.string(), z.number()),
          displaced: z.array(z.object({ objective: z.string(), placement: z.enum(['displaced', 'orphan']), source: SourceRef, actionId: z.string().nullable() })),
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (req) => importPlanActions(requestContext(ctx, req), { plan: req.params.id, ...(req.body?.includeDisplaced ? { includeDisplaced: true } : {}) }));

  r.post('/admin/plans/:id/actions', {
    config: { roles: MANAGERS },
    schema: {
      tags, summary: 'Crée une action (proposée) sous un objectif, ou une sous-action avec son poids (audité)',
      params: PlanParams,
      body: z.object({
        objective: z.string().min(1).max(40), parent: Id.nullable().optional(), weight: z.number().optional(),
        title: Text(2000), description: Text(20000).nullable().optional(), partners: z.array(Text(400)).max(50).optional(), scope: z.string().max(20).optional(),
      }),
      response: { 201: Action, ...errors(400, 401, 403, 404, 413) },
    },
  }, async (req, reply) => {
    const b = req.body;
    const a = await createAction(requestContext(ctx, req), {
      plan: req.params.id, objective: b.objective, title: b.title,
      ...(b.parent !== undefined ? { parent: b.parent } : {}), ...(b.weight !== undefined ? { weight: b.weight } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}), ...(b.partners ? { partners: b.partners } : {}), ...(b.scope ? { scope: b.scope } : {}),
    });
    return reply.code(201).send(a);
  });

  r.get('/admin/followup/actions', {
    config: followup,
    schema: {
      tags, summary: 'Les actions affectées au compte connecté (porteur d’action ou animateur), avec leur schéma',
      response: { 200: z.object({ actions: z.array(ActionView.extend({ plan: z.object({ id: z.string(), title: z.string() }) })) }), ...errors(401, 403) },
    },
  }, async (req) => myActions(requestContext(ctx, req)));

  r.get('/admin/actions/:id', {
    config: followup,
    schema: {
      tags, summary: 'Une action, son historique (du plus ancien au plus récent), les comptes qui la gèrent et si le lecteur peut la modifier',
      params: ActionParams,
      response: { 200: z.object({ action: Action, timeline: z.array(TimelineEntry), accounts: Accounts, mayUpdate: z.boolean() }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => getAction(requestContext(ctx, req), req.params.id));

  r.patch('/admin/actions/:id', {
    config: followup,
    schema: {
      tags, summary: 'Modifie une action (statut, porteur, avancement, dates, commentaire public…) : une entrée datée de son historique (auditée)',
      params: ActionParams,
      body: z.object({
        title: Text(2000).optional(), description: Text(20000).nullable().optional(),
        owner: z.object({ organisation: Text(1200).nullable().optional(), contact: Text(1200).nullable().optional() }).optional(),
        partners: z.array(Text(800)).max(50).optional(), scope: z.string().max(20).optional(),
        status: Status.optional(), reason: Text(8000).nullable().optional(),
        startDate: Day.nullable().optional(), dueDate: Day.nullable().optional(),
        progress: z.number().min(0, 'l’avancement est compris entre 0 et 100').max(100, 'l’avancement est compris entre 0 et 100').nullable().optional(),
        budget: z.number().nullable().optional(), weight: z.number().optional(), comment: Text(8000).nullable().optional(),
      }).strict(),
      response: { 200: z.object({ action: Action, changed: z.array(z.string()) }), ...errors(400, 401, 403, 404, 409, 413) },
    },
  }, async (req) => {
    const input = { action: req.params.id } as UpdateActionInput;
    for (const [k, v] of Object.entries(req.body)) if (v !== undefined) (input as unknown as Record<string, unknown>)[k] = v;
    return updateAction(requestContext(ctx, req), input);
  });

  r.put('/admin/actions/:id/accounts', {
    config: { roles: MANAGERS },
    schema: {
      tags, summary: 'Désigne les comptes (porteurs d’action, animateurs) qui peuvent modifier l’action ; remplace la liste (audité)',
      params: ActionParams, body: z.object({ accounts: z.array(z.string().max(320)).max(50) }),
      response: { 200: z.object({ action: z.string(), accounts: z.array(z.string()), changed: z.boolean() }), ...errors(400, 401, 403, 404, 413) },
    },
  }, async (req) => assignActionAccounts(requestContext(ctx, req), { action: req.params.id, accounts: req.body.accounts }));

  r.get('/admin/plans/:id/indicators', {
    config: followup,
    schema: {
      tags, summary: 'Indicateurs de suivi du schéma, avec leurs mesures et leur avancement',
      params: PlanParams, response: { 200: z.object({ planId: z.string(), indicators: z.array(Indicator) }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => listIndicators(requestContext(ctx, req), { plan: req.params.id }));

  r.post('/admin/plans/:id/indicators', {
    config: { roles: MANAGERS },
    schema: {
      tags, summary: 'Ajoute un indicateur de suivi : valeur de départ et sa source, cible (valeur, fourchette ou tendance), échéance (audité)',
      params: PlanParams,
      body: z.object({
        label: Text(1000), unit: Text(200).optional(), objective: z.string().max(40).nullable().optional(), territory: z.string().max(10).optional(),
        baseline: z.object({ value: z.number(), date: z.string().max(10).nullable().optional(), source: Text(2000) }),
        target: IndicatorTarget, dueDate: z.string().max(10).nullable().optional(),
      }),
      response: { 201: Indicator, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const b = req.body;
    const input: AddIndicatorInput = {
      plan: req.params.id, label: b.label, target: b.target as AddIndicatorInput['target'],
      baseline: { value: b.baseline.value, source: b.baseline.source, ...(b.baseline.date !== undefined ? { date: b.baseline.date } : {}) },
      ...(b.unit !== undefined ? { unit: b.unit } : {}), ...(b.objective !== undefined ? { objective: b.objective } : {}),
      ...(b.territory !== undefined ? { territory: b.territory } : {}), ...(b.dueDate !== undefined ? { dueDate: b.dueDate } : {}),
    };
    return reply.code(201).send(await addIndicator(requestContext(ctx, req), input));
  });

  r.post('/admin/plans/:id/indicators/oqos', {
    config: { roles: MANAGERS },
    schema: {
      tags, summary: 'Crée un indicateur par cible OQOS du schéma (existant → cible ; idempotent ; audité)',
      params: PlanParams, body: z.object({}).optional(),
      response: { 200: z.unknown().describe('indicateurs créés, déjà présents, lignes écartées et leurs raisons'), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => oqosIndicators(requestContext(ctx, req), { plan: req.params.id }));

  r.post('/admin/indicators/:id/measurements', {
    config: { roles: MANAGERS },
    schema: {
      tags, summary: 'Ajoute une mesure à un indicateur (valeur, date non future, source ; audité)',
      params: z.object({ id: Id.describe('identifiant de l’indicateur') }),
      body: z.object({ value: z.number(), date: z.string().max(10), source: Text(2000).optional() }),
      response: { 201: z.unknown().describe('la mesure enregistrée'), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.code(201).send(await addMeasurement(requestContext(ctx, req), {
    indicator: req.params.id, value: req.body.value, date: req.body.date, ...(req.body.source !== undefined ? { source: req.body.source } : {}),
  })));

  r.get('/admin/plans/:id/followup/dashboard', {
    config: followup,
    schema: {
      tags, summary: 'Tableau de bord du suivi (CTS) : actions en retard ou sans porteur, indicateurs sans mesure récente, objectifs sans action, propositions reprises sans action',
      params: PlanParams,
      querystring: z.object({ engagement: z.string().max(40).optional(), owner: z.string().max(300).optional(), status: z.string().max(40).optional() }),
      response: { 200: Dashboard, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => followupDashboard(requestContext(ctx, req), {
    plan: req.params.id,
    ...(req.query.engagement !== undefined ? { engagement: req.query.engagement } : {}),
    ...(req.query.owner !== undefined ? { owner: req.query.owner } : {}),
    ...(req.query.status !== undefined ? { status: req.query.status } : {}),
  }));
}
