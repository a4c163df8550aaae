/**
 * The response schemas of the public follow-up routes (routes/followup-public.ts), in a file of their own with zod
 * and the domain only, so that the web app infers its types from them (web/src/types.ts) without the server.
 */
import { z } from 'zod';
import { ACTION_STATUSES } from '../../domain/followup.ts';

const Status = z.enum(ACTION_STATUSES);
const ByStatus = z.object(Object.fromEntries(ACTION_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof ACTION_STATUSES)[number], z.ZodNumber>);
const Outcomes = z.object({ taken_up: z.number().int(), partly: z.number().int(), national: z.number().int(), not_taken_up: z.number().int(), undecided: z.number().int() });

const TimelineEntry = z.object({
  date: z.string().describe('AAAA-MM-JJ'),
  kind: z.enum(['created', 'updated']),
  changes: z.array(z.object({ field: z.string().describe('title, description, owner, partners, scope, status, statusReason, startDate, dueDate, progress, budget'), label: z.string(), before: z.unknown(), after: z.unknown() })),
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

export const ContributionFollowupView = z.object({
  contribution: z.object({ id: z.string(), text: z.string(), kind: z.string().nullable(), kindLabel: z.string().nullable(), date: z.string().nullable(), meeting: z.string().nullable() }),
  consultation: Consultation, ideas: z.array(IdeaRef), elements: z.array(Element), others: z.array(Other),
});

export const IdeaFollowupView = z.object({
  idea: IdeaRef.extend({ parent: IdeaRef.nullable(), children: z.array(IdeaRef) }),
  consultation: Consultation, examples: z.array(z.object({ id: z.string(), text: z.string() })), elements: z.array(Element), others: z.array(Other),
});

