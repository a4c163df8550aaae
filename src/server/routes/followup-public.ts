/**
 * Public accountability (issue 15, src/usecases/followup-public.ts): the public follow-up of a plan (JSON view and
 * the open-data download, format fabrique.followup.public, docs/format-followup-public.md) and « Que sont devenues vos
 * propositions ? » for a public contribution or a public common idea. Read-only, open to visitors. The response
 * schemas list every field: whatever a use case might add is not sent until it is declared here.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTION_STATUSES } from '../../domain/followup.ts';
import { contributionFollowup, ideaFollowup, publicFollowup, PUBLIC_ACTION_FIELDS } from '../../usecases/followup-public.ts';
import type { AppContext } from '../context.ts';
import { errors } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

const PlanParams = z.object({ id: z.string().min(1).max(200).describe('identifiant du plan, ou code / nom du département (dernier plan importé)') });
const IdParams = z.object({ id: z.string().min(1).max(200) });

const Status = z.enum(ACTION_STATUSES);
const ByStatus = z.object(Object.fromEntries(ACTION_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof ACTION_STATUSES)[number], z.ZodNumber>);
const Outcomes = z.object({ taken_up: z.number().int(), partly: z.number().int(), national: z.number().int(), not_taken_up: z.number().int(), undecided: z.number().int() });

const TimelineEntry = z.object({
  date: z.string().describe('AAAA-MM-JJ'),
  kind: z.enum(['created', 'updated']),
  changes: z.array(z.object({ field: z.enum(PUBLIC_ACTION_FIELDS), label: z.string(), before: z.unknown(), after: z.unknown() })),
  comment: z.string().nullable(),
}).describe('une étape datée de l’action : champs publics modifiés et commentaire public ; jamais le compte qui l’a faite');

const Action = z.object({
  id: z.string(), objective: z.string(), parent: z.string().nullable(), weight: z.number(), title: z.string(), description: z.string().nullable(),
  status: Status, statusLabel: z.string(), statusReason: z.string().nullable(), progress: z.number(), progressComputed: z.boolean(),
  owner: z.string().nullable().describe('organisation porteuse (jamais la personne de contact)'), partners: z.array(z.string()), scope: z.string(),
  startDate: z.string().nullable(), dueDate: z.string().nullable(), budget: z.number().nullable(), timeline: z.array(TimelineEntry),
});

const Target = z.union([
  z.object({ kind: z.literal('value'), value: z.number() }),
  z.object({ kind: z.literal('range'), min: z.number(), max: z.number() }),
  z.object({ kind: z.literal('direction'), direction: z.enum(['hausse', 'baisse']) }),
]);

const Indicator = z.object({
  id: z.string(), objective: z.string().nullable(), label: z.string(), unit: z.string(), territory: z.string(), origin: z.enum(['oqos', 'manual']),
  baseline: z.object({ value: z.number(), date: z.string().nullable(), source: z.string() }), target: Target, targetLabel: z.string(), dueDate: z.string().nullable(),
  measurements: z.array(z.object({ value: z.number(), date: z.string(), source: z.string() })),
  progress: z.object({
    status: z.string(), statusLabel: z.string(), latest: z.object({ value: z.number(), date: z.string() }).nullable(), percent: z.number().nullable(),
    reached: z.number().nullable(), needed: z.number().nullable(), label: z.string(),
  }),
});

const Objective = z.object({
  code: z.string(), title: z.string(), defi: z.object({ code: z.string(), title: z.string() }), progress: z.number().nullable(), byStatus: ByStatus,
  actions: z.array(Action), indicators: z.array(z.string()), contributions: z.number().int().nullable(),
});

const Funnel = z.object({
  plan: z.string(), consultation: z.string().nullable(),
  steps: z.array(z.object({ key: z.enum(['contributions', 'ideas', 'objectives', 'engaged', 'done']), label: z.string(), count: z.number().int() })),
});

export const PublicFollowupView = z.object({
  format: z.literal('fabrique.followup.public'), version: z.literal(1), generatedAt: z.string(),
  plan: z.object({
    id: z.string(), title: z.string(), territory: z.string(), territoryName: z.string(),
    period: z.object({ start: z.number(), end: z.number() }).nullable(), consultation: z.string().nullable(),
  }),
  statuses: z.array(z.object({ code: Status, label: z.string() })),
  progress: z.number().nullable(), byStatus: ByStatus,
  engagements: z.array(z.object({ code: z.string(), title: z.string(), progress: z.number().nullable(), byStatus: ByStatus, objectives: z.array(Objective) })),
  indicators: z.array(Indicator),
  takenUp: z.object({
    consultation: z.object({ slug: z.string(), title: z.string() }), unit: z.enum(['proposition', 'contribution']), total: z.number().int(), counts: Outcomes,
    share: z.number().nullable(), ideas: z.object({ total: z.number().int(), counts: Outcomes }),
  }).nullable(),
  funnel: Funnel.nullable(),
});

const Element = z.object({
  plan: z.object({ id: z.string(), title: z.string(), territoryName: z.string() }), code: z.string(), kind: z.enum(['objective', 'defi']), title: z.string(),
  outcome: z.enum(['taken_up', 'partly']), outcomeLabel: z.string(), note: z.string().nullable(),
  throughIdea: z.object({ id: z.string(), label: z.string() }).nullable(), progress: z.number().nullable(), byStatus: ByStatus, actions: z.array(Action),
});
const Other = z.object({ plan: z.object({ id: z.string(), title: z.string() }), outcome: z.enum(['national', 'not_taken_up']), outcomeLabel: z.string(), note: z.string().nullable() });
const IdeaRef = z.object({ id: z.string(), label: z.string(), contributions: z.number().int() });
const Consultation = z.object({ slug: z.string(), title: z.string() });

const ContributionFollowupView = z.object({
  contribution: z.object({ id: z.string(), text: z.string(), kind: z.string().nullable(), kindLabel: z.string().nullable(), date: z.string().nullable(), meeting: z.string().nullable() }),
  consultation: Consultation, ideas: z.array(IdeaRef), elements: z.array(Element), others: z.array(Other),
});

const IdeaFollowupView = z.object({
  idea: IdeaRef.extend({ parent: IdeaRef.nullable(), children: z.array(IdeaRef) }),
  consultation: Consultation, examples: z.array(z.object({ id: z.string(), text: z.string() })), elements: z.array(Element), others: z.array(Other),
});

export async function followupPublicRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];

  r.get('/plans/:id/followup', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Suivi public d’un schéma : avancement par engagement et objectif, actions et leur historique public, indicateurs, part des propositions reprises',
      params: PlanParams, response: { 200: PublicFollowupView, ...errors(400, 404) },
    },
  }, async (req) => publicFollowup(requestContext(ctx, req), { plan: req.params.id }));

  r.get('/plans/:id/followup.json', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Le suivi public du schéma en fichier JSON à publier en données ouvertes (format fabrique.followup.public, version 1)',
      params: PlanParams, response: { 200: PublicFollowupView, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const doc = await publicFollowup(requestContext(ctx, req), { plan: req.params.id });
    reply.header('content-disposition', `attachment; filename="suivi-${doc.plan.territory}-${doc.generatedAt.slice(0, 10)}.json"`);
    return doc;
  });

  r.get('/contributions/:id/followup', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Que sont devenues vos propositions ? Une contribution publiée, ses idées, les objectifs du schéma qui la reprennent et leurs actions',
      params: IdParams, response: { 200: ContributionFollowupView, ...errors(404) },
    },
  }, async (req) => contributionFollowup(requestContext(ctx, req), { id: req.params.id }));

  r.get('/ideas/:id/followup', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Que sont devenues vos propositions ? Une idée commune, ses contributions, les objectifs du schéma qui la reprennent et leurs actions',
      params: IdParams, response: { 200: IdeaFollowupView, ...errors(404) },
    },
  }, async (req) => ideaFollowup(requestContext(ctx, req), { id: req.params.id }));
}
