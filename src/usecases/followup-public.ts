/**
 * Public accountability (issue 15, item 3): the public follow-up of a plan as a documented open-data JSON
 * (format `fabrique.followup.public`, docs/format-followup-public.md), and « Que sont devenues vos propositions ? »
 * for every public contribution and every public common idea. Read-only, visitors included: a plan is a public
 * document, and only what the public may see is printed — public (published, pseudonymised) contributions, public
 * ideas, decided links; an action's owner organisation but never its contact person; timeline entries with their
 * date, public fields and public comment, never the account that made them.
 */
import { parisDay } from '../domain/consultation.ts';
import { isPublic, KIND_LABELS, type Contribution } from '../domain/contribution.ts';
import { UserError } from '../domain/errors.ts';
import { ACTION_STATUSES, ACTION_STATUS_LABELS, aggregateProgress, emptyStatusCounts, progressNodes, type ActionStatus } from '../domain/followup.ts';
import { PROGRESS_STATUS_LABELS, type IndicatorTarget, type ProgressStatus } from '../domain/followup-indicators.ts';
import { answersSource, LINK_KIND_LABELS, type LinkKind, type PlanLink } from '../domain/links.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import { listPlanActions, listTimeline, type FollowupAction, type TimelineEntry } from '../store/actions.ts';
import { groupConsultation } from '../store/analysis.ts';
import { listPlanLinks } from '../store/links.ts';
import type { StoredPlan } from '../store/plans.ts';
import { evaluateRule, loadSynthesisData, type SynthesisData } from '../synthesis/data.ts';
import { PROPOSAL_KINDS, type LinkRule } from '../synthesis/model.ts';
import { actionProgressView, type ActionView } from './actions.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';
import { listIndicators } from './followup-indicators.ts';
import { followupFunnel, type FollowupFunnel } from './followup-report.ts';
import { getPlan } from './plan.ts';

export const FOLLOWUP_PUBLIC_FORMAT = 'fabrique.followup.public';
export const FOLLOWUP_PUBLIC_VERSION = 1;

/** Longest id accepted from an address: ids are uuids or short slugs; anything longer is not one of ours. */
const ID_MAX = 200;

// ---------------------------------------------------------------------------------------------------------------
// Public views

/** The fields of an action a timeline entry may show; the others (weight, contact person) stay in the back office. */
export const PUBLIC_ACTION_FIELDS = ['title', 'description', 'owner', 'partners', 'scope', 'status', 'statusReason', 'startDate', 'dueDate', 'progress', 'budget'] as const;
export type PublicActionField = (typeof PUBLIC_ACTION_FIELDS)[number];

export const PUBLIC_FIELD_LABELS: Record<PublicActionField, string> = {
  title: 'intitulé', description: 'description', owner: 'porteur', partners: 'partenaires', scope: 'portée', status: 'statut',
  statusReason: 'motif de l’abandon', startDate: 'début', dueDate: 'échéance', progress: 'avancement', budget: 'budget',
};

export interface PublicTimelineEntry {
  /** YYYY-MM-DD */
  date: string;
  kind: 'created' | 'updated';
  /** public fields only; `owner` is the organisation (the contact person never appears) */
  changes: { field: PublicActionField; label: string; before: unknown; after: unknown }[];
  comment: string | null;
}

export interface PublicAction {
  id: string;
  objective: string;
  /** the parent action of a sub-action */
  parent: string | null;
  weight: number;
  title: string;
  description: string | null;
  status: ActionStatus;
  statusLabel: string;
  /** why it was abandoned */
  statusReason: string | null;
  /** effective progress 0–100: entered, or computed from the sub-actions */
  progress: number;
  progressComputed: boolean;
  /** the owner organisation (never the contact person); null while none is named */
  owner: string | null;
  partners: string[];
  scope: string;
  startDate: string | null;
  dueDate: string | null;
  budget: number | null;
  timeline: PublicTimelineEntry[];
}

export type ByStatus = Record<ActionStatus, number>;

export interface PublicIndicator {
  id: string;
  /** objective or défi code, null for an indicator of the whole plan (the OQOS ones) */
  objective: string | null;
  label: string;
  unit: string;
  territory: string;
  origin: 'oqos' | 'manual';
  baseline: { value: number; date: string | null; source: string };
  target: IndicatorTarget;
  targetLabel: string;
  dueDate: string | null;
  measurements: { value: number; date: string; source: string }[];
  progress: { status: ProgressStatus; statusLabel: string; latest: { value: number; date: string } | null; percent: number | null; reached: number | null; needed: number | null; label: string };
}

export interface PublicObjective {
  code: string;
  title: string;
  defi: { code: string; title: string };
  /** weighted progress of its top-level actions (abandoned left out); null without any */
  progress: number | null;
  /** top-level actions by status */
  byStatus: ByStatus;
  actions: PublicAction[];
  indicators: string[];
  /** public contributions of the consultation the plan takes up here (taken up or partly, the one rule) */
  contributions: number | null;
}

export interface PublicEngagement { code: string; title: string; progress: number | null; byStatus: ByStatus; objectives: PublicObjective[] }

/** How the consultation's proposals fared, from the decided public links: the coverage report's summary figures. */
export interface TakenUpShare {
  consultation: { slug: string; title: string };
  /** what is counted: the contributions of kind « proposition » when the consultation has any, else all */
  unit: 'proposition' | 'contribution';
  total: number;
  counts: Record<LinkKind | 'undecided', number>;
  /** (taken up + partly) / total, in percent with one decimal; null when the total is 0 */
  share: number | null;
  ideas: { total: number; counts: Record<LinkKind | 'undecided', number> };
}

export type { FollowupFunnel };

export interface PublicFollowup {
  format: typeof FOLLOWUP_PUBLIC_FORMAT;
  version: typeof FOLLOWUP_PUBLIC_VERSION;
  generatedAt: string;
  plan: { id: string; title: string; territory: string; territoryName: string; period: { start: number; end: number } | null; consultation: string | null };
  statuses: { code: ActionStatus; label: string }[];
  progress: number | null;
  byStatus: ByStatus;
  engagements: PublicEngagement[];
  /** indicators of the plan; each objective lists the ids of its own */
  indicators: PublicIndicator[];
  /** null when the plan answers no consultation the public may see */
  takenUp: TakenUpShare | null;
  /** the consultation's funnel (src/usecases/followup-report.ts, the figures the follow-up report verifies); null without a public consultation */
  funnel: FollowupFunnel | null;
}

// the day in France, as the back office prints the entry (« 2 décembre 2026 à 00:30 ») and the report reads it
const day = (iso: string) => parisDay(new Date(iso));

/** A timeline entry as the public sees it: public fields, owner as its organisation, never who. */
export function publicTimelineEntry(e: TimelineEntry): PublicTimelineEntry | null {
  const changes: PublicTimelineEntry['changes'] = [];
  for (const field of PUBLIC_ACTION_FIELDS) {
    const c = e.changes[field];
    if (!c) continue;
    if (field === 'owner') {
      const org = (v: unknown) => (v && typeof v === 'object' ? ((v as { organisation?: unknown }).organisation ?? null) : null);
      const before = org(c.before), after = org(c.after);
      // a change of the contact person alone is not public
      if (before !== after) changes.push({ field, label: PUBLIC_FIELD_LABELS[field], before, after });
      continue;
    }
    changes.push({ field, label: PUBLIC_FIELD_LABELS[field], before: c.before, after: c.after });
  }
  // an entry that changed only private fields (the weight, the contact person) and says nothing publicly is left out
  if (changes.length === 0 && !e.comment) return null;
  return { date: day(e.at), kind: e.kind, changes, comment: e.comment };
}

function publicAction(a: ActionView, timeline: readonly TimelineEntry[]): PublicAction {
  return {
    id: a.id, objective: a.objectiveCode, parent: a.parentId, weight: a.weight, title: a.title, description: a.description,
    status: a.status, statusLabel: a.statusLabel, statusReason: a.status === 'abandonnee' ? a.statusReason : null,
    progress: a.effectiveProgress, progressComputed: a.progressComputed, owner: a.owner.organisation, partners: a.partners, scope: a.scope,
    startDate: a.startDate, dueDate: a.dueDate, budget: a.budget,
    timeline: timeline.filter((t) => t.actionId === a.id).map(publicTimelineEntry).filter((t): t is PublicTimelineEntry => t !== null),
  };
}

async function loadPlan(ctx: UseCaseContext, plan: unknown): Promise<StoredPlan> {
  if (typeof plan !== 'string' || plan.trim() === '' || plan.length > ID_MAX) throw new UserError('invalid', 'Indiquez le schéma territorial de santé (identifiant du plan).', 'plan');
  return getPlan(ctx, plan);
}

/** The consultation the public may see, or null (draft, unknown, none). */
async function publicConsultation(ctx: UseCaseContext, slug: string | null): Promise<{ slug: string; title: string } | null> {
  if (!slug) return null;
  try {
    const c = await visibleConsultation(ctx, slug);
    return { slug: c.slug, title: c.title };
  } catch (e) {
    if (e instanceof UserError && e.code === 'not_found') return null;
    throw e;
  }
}

/** One plan's actions as the public sees them, with progress per objective, défi and engagement. */
interface PlanProgress {
  views: Map<string, ActionView>;
  publicActions: Map<string, PublicAction[]>;
  objectiveProgress: Map<string, { progress: number | null; byStatus: ByStatus }>;
  /** progress of a set of objectives (a défi's, an engagement's) */
  of(codes: ReadonlySet<string>): { progress: number | null; byStatus: ByStatus };
  plan: { progress: number | null; byStatus: ByStatus };
}

async function planProgress(ctx: UseCaseContext, plan: StoredPlan): Promise<PlanProgress> {
  const all = await listPlanActions(ctx.store, plan.id);
  const timeline = await listTimeline(ctx.store, { planId: plan.id });
  const view = actionProgressView(plan, all);
  const nodes = progressNodes(all);
  const views = new Map(view.actions.map((a) => [a.id, a]));
  const publicActions = new Map<string, PublicAction[]>();
  for (const a of view.actions) publicActions.set(a.objectiveCode, [...(publicActions.get(a.objectiveCode) ?? []), publicAction(a, timeline)]);
  const of = (codes: ReadonlySet<string>) => {
    const mine = new Set(all.filter((a: FollowupAction) => codes.has(a.objectiveCode)).map((a) => a.id));
    const byStatus = emptyStatusCounts();
    for (const a of all) if (a.parentId === null && mine.has(a.id)) byStatus[a.status]++;
    return { progress: aggregateProgress(nodes, (n) => mine.has(n.id)), byStatus };
  };
  const objectiveProgress = new Map(view.objectives.map((o) => [o.code, { progress: o.progress, byStatus: { ...o.byStatus } }]));
  const byStatus = emptyStatusCounts();
  for (const a of all) if (a.parentId === null) byStatus[a.status]++;
  return { views, publicActions, objectiveProgress, of, plan: { progress: view.progress, byStatus } };
}

const OUTCOMES: (LinkKind | 'undecided')[] = ['taken_up', 'partly', 'national', 'not_taken_up', 'undecided'];

async function ruleCount(data: SynthesisData, rule: LinkRule): Promise<number> {
  const e = await evaluateRule(data, rule, () => undefined);
  if (e.value === null) throw new Error(`followup figure: ${e.error ?? 'no value'}`);
  return e.value;
}

/** The coverage report's summary figures (same `links` rules, src/synthesis/coverage.ts), on the same public data. */
async function takenUpShare(data: SynthesisData, plan: string): Promise<TakenUpShare> {
  const proposals = data.all.some((x) => x.kind !== undefined && PROPOSAL_KINDS.includes(x.kind));
  const kinds = proposals ? { kinds: [...PROPOSAL_KINDS] } : {};
  const total = await ruleCount(data, { op: 'links', plan, source: 'contribution', ...kinds });
  const counts = {} as Record<LinkKind | 'undecided', number>;
  for (const o of OUTCOMES) counts[o] = await ruleCount(data, { op: 'links', plan, source: 'contribution', outcome: o, ...kinds });
  const ideaCounts = {} as Record<LinkKind | 'undecided', number>;
  for (const o of OUTCOMES) ideaCounts[o] = await ruleCount(data, { op: 'links', plan, source: 'idea', outcome: o });
  return {
    consultation: { slug: data.consultation.slug, title: data.consultation.title },
    unit: proposals ? 'proposition' : 'contribution', total, counts,
    share: total === 0 ? null : Math.round(((counts.taken_up + counts.partly) / total) * 1000) / 10,
    ideas: { total: await ruleCount(data, { op: 'links', plan, source: 'idea' }), counts: ideaCounts },
  };
}

function publicIndicator(i: Awaited<ReturnType<typeof listIndicators>>['indicators'][number]): PublicIndicator {
  return {
    id: i.id, objective: i.objectiveCode, label: i.label, unit: i.unit, territory: i.territory, origin: i.origin,
    baseline: { value: i.baseline.value, date: i.baseline.date, source: i.baseline.source },
    target: i.target, targetLabel: i.progress.targetLabel, dueDate: i.dueDate,
    // who entered a measurement is not public
    measurements: [...i.measurements].sort((a, b) => a.date.localeCompare(b.date) || a.enteredAt.localeCompare(b.enteredAt)).map((m) => ({ value: m.value, date: m.date, source: m.source })),
    progress: {
      status: i.progress.status, statusLabel: PROGRESS_STATUS_LABELS[i.progress.status], latest: i.progress.latest, percent: i.progress.percent,
      reached: i.progress.reached, needed: i.progress.needed, label: i.progress.label,
    },
  };
}

/**
 * The public follow-up of a plan: per engagement and objective its progress and actions (status, progress, owner
 * organisation, partners, dates, public timeline), the indicators with their measurements, the share of the
 * consultation's proposals taken up (decided public links) and the funnel. Anyone may read it.
 */
export async function publicFollowup(ctx: UseCaseContext, input: { plan: string }): Promise<PublicFollowup> {
  const plan = await loadPlan(ctx, input.plan);
  const progress = await planProgress(ctx, plan);
  const indicators = (await listIndicators(ctx, { plan: plan.id })).indicators.map(publicIndicator);
  const consultation = await publicConsultation(ctx, plan.consultation);
  const data = consultation ? await loadSynthesisData(ctx.store, consultation.slug) : null;
  const linkedHere = async (code: string) => (data ? ruleCount(data, { op: 'links', plan: plan.id, source: 'contribution', target: code }) : null);
  const engagements: PublicEngagement[] = [];
  for (const e of plan.engagements) {
    const objectives: PublicObjective[] = [];
    for (const d of e.defis) {
      for (const o of d.objectives) {
        const p = progress.objectiveProgress.get(o.code) ?? { progress: null, byStatus: emptyStatusCounts() };
        objectives.push({
          code: o.code, title: o.title, defi: { code: d.code, title: d.title }, progress: p.progress, byStatus: p.byStatus,
          actions: progress.publicActions.get(o.code) ?? [], indicators: indicators.filter((i) => i.objective === o.code).map((i) => i.id),
          contributions: await linkedHere(o.code),
        });
      }
    }
    const codes = new Set(e.defis.flatMap((d) => d.objectives.map((o) => o.code)));
    const ep = progress.of(codes);
    engagements.push({ code: e.code, title: e.title, progress: ep.progress, byStatus: ep.byStatus, objectives });
  }
  return {
    format: FOLLOWUP_PUBLIC_FORMAT, version: FOLLOWUP_PUBLIC_VERSION, generatedAt: ctx.now().toISOString(),
    plan: { id: plan.id, title: plan.title, territory: plan.territory, territoryName: plan.territoryName, period: plan.period, consultation: consultation?.slug ?? null },
    statuses: ACTION_STATUSES.map((code) => ({ code, label: ACTION_STATUS_LABELS[code] })),
    progress: progress.plan.progress, byStatus: progress.plan.byStatus, engagements, indicators,
    takenUp: data ? await takenUpShare(data, plan.id) : null,
    // the funnel starts from the consultation's contributions: none without a consultation the public may see
    funnel: consultation ? await followupFunnel(ctx, { plan: plan.id }) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// « Que sont devenues vos propositions ? »

/** A plan element a source is linked to, with what the plan does there. */
export interface FollowedElement {
  plan: { id: string; title: string; territoryName: string };
  code: string;
  kind: 'objective' | 'defi';
  title: string;
  /** taken up, or partly */
  outcome: 'taken_up' | 'partly';
  outcomeLabel: string;
  /** what a partial take-up leaves out, as the reviewer wrote it */
  note: string | null;
  /** the decision comes from the idea the contribution belongs to (its label), not from the contribution itself */
  throughIdea: { id: string; label: string } | null;
  progress: number | null;
  byStatus: ByStatus;
  actions: PublicAction[];
}

/** A decision that the plan does not take the source up here (national level, not taken up), with its reason. */
export interface OtherOutcome { plan: { id: string; title: string }; outcome: 'national' | 'not_taken_up'; outcomeLabel: string; note: string | null }

export interface IdeaRef { id: string; label: string; contributions: number }

export interface ContributionFollowup {
  contribution: { id: string; text: string; kind: string | null; kindLabel: string | null; date: string | null; meeting: string | null };
  consultation: { slug: string; title: string };
  /** the common ideas it belongs to, the broadest first */
  ideas: IdeaRef[];
  elements: FollowedElement[];
  others: OtherOutcome[];
}

export interface IdeaFollowup {
  idea: IdeaRef & { parent: IdeaRef | null; children: IdeaRef[] };
  consultation: { slug: string; title: string };
  /** a few of its public contributions (pseudonymised), quoted ones first */
  examples: { id: string; text: string }[];
  elements: FollowedElement[];
  others: OtherOutcome[];
}

function cleanId(id: unknown, what: string): string {
  if (typeof id !== 'string' || id.trim() === '' || id.length > ID_MAX || /[\u0000-\u001f]/.test(id)) {
    throw new UserError('not_found', `${what} introuvable.`);
  }
  return id.trim();
}

const publicText = (c: Contribution) => pseudonymise(c.text).text;

/** The plans with decided links from this consultation (a consultation may be answered by more than one). */
async function answeringPlans(ctx: UseCaseContext, consultation: string): Promise<StoredPlan[]> {
  const links = await listPlanLinks(ctx.store, { consultation, statuses: ['confirmed', 'stated'] });
  const out: StoredPlan[] = [];
  for (const id of [...new Set(links.map((l) => l.planId))].sort()) {
    try { out.push(await getPlan(ctx, id)); } catch (e) { if (!(e instanceof UserError)) throw e; }
  }
  return out;
}

/** The elements and other outcomes a list of applying links gives, with the plan's actions under each element. */
async function followElements(ctx: UseCaseContext, data: SynthesisData, plan: StoredPlan, links: readonly PlanLink[], cache: Map<string, PlanProgress>,
  out: { elements: FollowedElement[]; others: OtherOutcome[] }): Promise<void> {
  if (links.length === 0) return;
  let progress = cache.get(plan.id);
  if (!progress) { progress = await planProgress(ctx, plan); cache.set(plan.id, progress); }
  const header = { id: plan.id, title: plan.title, territoryName: plan.territoryName };
  const seen = new Map<string, FollowedElement>();
  for (const l of links) {
    if (answersSource(l)) {
      const code = l.target!;
      const through = l.source.kind === 'idea' ? { id: l.source.id, label: data.groupById.get(l.source.id)?.label ?? '' } : null;
      const prev = seen.get(code);
      // « taken up » wins over « partly » for the same element
      if (prev && (prev.outcome === 'taken_up' || l.kind === 'partly')) continue;
      let el: FollowedElement | undefined;
      for (const d of plan.engagements.flatMap((e) => e.defis)) {
        if (d.code === code) {
          const codes = new Set(d.objectives.map((o) => o.code));
          const p = progress.of(codes);
          el = { plan: header, code, kind: 'defi', title: d.title, outcome: l.kind as 'taken_up' | 'partly', outcomeLabel: LINK_KIND_LABELS[l.kind], note: l.kind === 'partly' ? l.note : null,
            throughIdea: through, progress: p.progress, byStatus: p.byStatus, actions: d.objectives.flatMap((o) => progress.publicActions.get(o.code) ?? []) };
        }
        const o = d.objectives.find((x) => x.code === code);
        if (o) {
          const p = progress.objectiveProgress.get(o.code) ?? { progress: null, byStatus: emptyStatusCounts() };
          el = { plan: header, code, kind: 'objective', title: o.title, outcome: l.kind as 'taken_up' | 'partly', outcomeLabel: LINK_KIND_LABELS[l.kind], note: l.kind === 'partly' ? l.note : null,
            throughIdea: through, progress: p.progress, byStatus: p.byStatus, actions: progress.publicActions.get(o.code) ?? [] };
        }
      }
      // an element the plan no longer has (renamed since) is not shown
      if (el) seen.set(code, el);
    } else if (l.kind === 'national' || l.kind === 'not_taken_up') {
      if (!out.others.some((x) => x.plan.id === plan.id && x.outcome === l.kind && x.note === l.note)) {
        out.others.push({ plan: { id: plan.id, title: plan.title }, outcome: l.kind, outcomeLabel: LINK_KIND_LABELS[l.kind], note: l.note });
      }
    }
  }
  out.elements.push(...[...seen.values()].sort((a, b) => a.code.localeCompare(b.code, 'fr', { numeric: true })));
}

const ideaRef = (data: SynthesisData, id: string): IdeaRef => ({ id, label: data.groupById.get(id)!.label, contributions: data.groupMembers(id).size });

/**
 * What became of a public contribution: its text (pseudonymised), its ideas, the plan elements the decided links
 * applying to it name (its own decisions, else its idea's: the one rule, domain applicableLinks) with their actions,
 * and the decisions not to take it up. A contribution that is not public is not found, whoever asks.
 */
export async function contributionFollowup(ctx: UseCaseContext, input: { id: string }): Promise<ContributionFollowup> {
  const id = cleanId(input.id, 'Contribution');
  const notFound = () => new UserError('not_found', 'Contribution introuvable : elle n’existe pas ou n’est pas publiée.');
  const c = await ctx.store.getContribution(id);
  if (!c || !isPublic(c)) throw notFound();
  const consultation = await publicConsultation(ctx, c.consultation);
  if (!consultation) throw notFound();
  const data = await loadSynthesisData(ctx.store, consultation.slug);
  if (!data.byId.has(c.id)) throw notFound();
  const ideas = data.groups.filter((g) => data.groupMembers(g.id).has(c.id))
    .sort((a, b) => data.groupMembers(b.id).size - data.groupMembers(a.id).size).map((g) => ideaRef(data, g.id));
  const out = { elements: [] as FollowedElement[], others: [] as OtherOutcome[] };
  const cache = new Map<string, PlanProgress>();
  for (const plan of await answeringPlans(ctx, consultation.slug)) {
    const pl = await data.planLinks(plan.id);
    await followElements(ctx, data, plan, pl.effective.get(c.id) ?? [], cache, out);
  }
  const meeting = c.meeting ? data.meetingById.get(c.meeting)?.title ?? null : null;
  return {
    contribution: { id: c.id, text: publicText(c), kind: c.kind ?? null, kindLabel: c.kind ? KIND_LABELS[c.kind] : null, date: c.date ?? null, meeting },
    consultation, ideas, ...out,
  };
}

/**
 * What became of a public common idea: its label, its parent and sub-ideas, a few of its contributions, the plan
 * elements its own decided links name with their actions, and the decisions not to take it up. An idea with no
 * public contribution is not found.
 */
export async function ideaFollowup(ctx: UseCaseContext, input: { id: string }): Promise<IdeaFollowup> {
  const id = cleanId(input.id, 'Idée commune');
  const notFound = () => new UserError('not_found', 'Idée commune introuvable : elle n’existe pas ou ne réunit aucune contribution publiée.');
  const slug = await groupConsultation(ctx.store, id);
  const consultation = slug ? await publicConsultation(ctx, slug) : null;
  if (!consultation) throw notFound();
  const data = await loadSynthesisData(ctx.store, consultation.slug);
  const g = data.groupById.get(id);
  if (!g) throw notFound();
  const members = data.groupMembers(id);
  const ordered = [...new Set([...g.quotes, ...[...members]])].filter((x) => data.byId.has(x) && members.has(x));
  const examples = ordered.slice(0, 5).map((x) => ({ id: x, text: publicText(data.byId.get(x)!) }));
  const out = { elements: [] as FollowedElement[], others: [] as OtherOutcome[] };
  const cache = new Map<string, PlanProgress>();
  for (const plan of await answeringPlans(ctx, consultation.slug)) {
    const pl = await data.planLinks(plan.id);
    await followElements(ctx, data, plan, pl.ownLinks.get(`idea:${id}`) ?? [], cache, out);
  }
  // on the idea's own page, its own decisions are not « through » it
  for (const e of out.elements) if (e.throughIdea?.id === id) e.throughIdea = null;
  const parent = g.parent !== null && data.groupById.has(g.parent) ? ideaRef(data, g.parent) : null;
  const children = (data.childrenOf.get(id) ?? []).map((x) => ideaRef(data, x.id));
  return { idea: { ...ideaRef(data, id), parent, children }, consultation, examples, ...out };
}
