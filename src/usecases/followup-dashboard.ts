/**
 * The CTS dashboard of a plan's follow-up (issue 15, item 4): what needs someone's attention before the
 * conseil territorial de santé meets. Four lists with their counts, filtered by engagement, owner organisation
 * and action status (docs/format-followup.md, « Tableau de bord »):
 * - actions late (due date before today, neither réalisée nor abandonnée) or without an owner organisation (open ones);
 * - indicators without a recent measurement: none dated within the last RECENT_MONTHS months (or never measured);
 * - objectives without any action;
 * - objectives that take up consultation proposals (decided links « repris » or « repris en partie » from a
 *   contribution or a common idea) and have no action yet.
 */
import { parisDay } from '../domain/consultation.ts';
import { UserError } from '../domain/errors.ts';
import { ACTION_STATUS_LABELS, parseActionStatus, type ActionStatus } from '../domain/followup.ts';
import { answersSource } from '../domain/links.ts';
import type { UseCaseContext } from './context.ts';
import { listActions, type ActionView } from './actions.ts';
import { listIndicators } from './followup-indicators.ts';
import { decidedLinks } from './links.ts';
import { getPlan } from './plan.ts';

/** An indicator is « recent » with a measurement dated within this many months before today. */
export const RECENT_MONTHS = 12;

const OPEN_STATUSES: readonly ActionStatus[] = ['proposee', 'engagee', 'en_cours'];

export interface DashboardInput { plan: string; engagement?: string; owner?: string; status?: string }

export interface DashboardAction {
  id: string; title: string; objectiveCode: string; status: ActionStatus; statusLabel: string;
  owner: string | null; dueDate: string | null; progress: number;
  /** days past the due date (late actions) */
  daysLate?: number;
}

export interface FollowupDashboard {
  plan: { id: string; title: string; territory: string };
  filters: { engagement: string | null; owner: string | null; status: ActionStatus | null };
  /** what the filters may take: the plan's engagements, the owner organisations entered, the statuses */
  options: { engagements: { code: string; title: string }[]; owners: string[]; statuses: { code: ActionStatus; label: string }[] };
  /** the day the dashboard was computed for (YYYY-MM-DD) and the oldest measurement date that counts as recent */
  today: string;
  recentSince: string;
  counts: { actions: number; late: number; withoutOwner: number; staleIndicators: number; objectivesWithoutAction: number; takenUpWithoutAction: number };
  late: DashboardAction[];
  withoutOwner: DashboardAction[];
  staleIndicators: { id: string; label: string; objectiveCode: string | null; lastMeasurement: string | null; measurements: number }[];
  objectivesWithoutAction: { code: string; title: string; engagement: string }[];
  takenUpWithoutAction: { code: string; title: string; engagement: string; contributions: number; ideas: number }[];
}

const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('fr');

function monthsBefore(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export async function followupDashboard(ctx: UseCaseContext, input: DashboardInput): Promise<FollowupDashboard> {
  const role = ctx.actor.role;
  if (role === 'visitor' || role === 'owner') {
    throw new UserError('forbidden', 'Le tableau de bord du suivi est réservé aux équipes de l’ARS et aux animateurs du conseil territorial de santé.');
  }
  const list = await listActions(ctx, { plan: input.plan });
  const plan = await getPlan(ctx, list.plan.id);
  const engagement = input.engagement?.trim() ? input.engagement.trim() : null;
  if (engagement && !plan.engagements.some((e) => e.code === engagement)) {
    throw new UserError('invalid', `Le schéma « ${plan.id} » n’a pas d’engagement « ${engagement} ».`, 'engagement');
  }
  let status: ActionStatus | null = null;
  if (input.status !== undefined && input.status.trim() !== '') {
    status = parseActionStatus(input.status);
    if (!status) throw new UserError('invalid', `Statut inconnu « ${input.status} » : ${Object.values(ACTION_STATUS_LABELS).join(', ')}.`, 'status');
  }
  const owner = input.owner?.trim() ? input.owner.trim() : null;

  // which objective (and défi) codes the engagement filter keeps, and where each objective sits
  const objectives = plan.engagements.flatMap((e) => e.defis.flatMap((d) => d.objectives.map((o) => ({ code: o.code, title: o.title, engagement: e.code, defi: d.code }))));
  const inScope = (code: string | null) => {
    if (!engagement) return true;
    if (code === null) return false;
    return objectives.some((o) => o.engagement === engagement && (o.code === code || o.defi === code));
  };
  const actions = list.actions.filter((a) => inScope(a.objectiveCode));
  const filtered = actions.filter((a) => (!status || a.status === status) && (!owner || (a.owner.organisation !== null && norm(a.owner.organisation) === norm(owner))));

  // the day in France, as the follow-up report reads it (src/synthesis/followup.ts): both say the same « late » at 23:30 UTC
  const today = parisDay(ctx.now());
  const view = (a: ActionView): DashboardAction => ({
    id: a.id, title: a.title, objectiveCode: a.objectiveCode, status: a.status, statusLabel: a.statusLabel,
    owner: a.owner.organisation, dueDate: a.dueDate, progress: a.effectiveProgress,
  });
  const open = (a: ActionView) => OPEN_STATUSES.includes(a.status);
  const late = filtered.filter((a) => open(a) && a.dueDate !== null && a.dueDate < today)
    .map((a) => ({ ...view(a), daysLate: daysBetween(a.dueDate!, today) }))
    .sort((x, y) => (x.dueDate! < y.dueDate! ? -1 : x.dueDate! > y.dueDate! ? 1 : x.id < y.id ? -1 : 1));
  // an owner filter asks for the actions of an organisation: those without one are not among them
  const withoutOwner = owner ? [] : filtered.filter((a) => open(a) && a.owner.organisation === null).map(view);

  const recentSince = monthsBefore(today, RECENT_MONTHS);
  const { indicators } = await listIndicators(ctx, { plan: plan.id });
  const staleIndicators = indicators.filter((i) => inScope(i.objectiveCode)).flatMap((i) => {
    const last = i.measurements.reduce<string | null>((m, x) => (m === null || x.date > m ? x.date : m), null);
    return last !== null && last >= recentSince ? [] : [{ id: i.id, label: i.label, objectiveCode: i.objectiveCode, lastMeasurement: last, measurements: i.measurements.length }];
  });

  const withAction = new Set(list.actions.filter((a) => a.status !== 'abandonnee').map((a) => a.objectiveCode));
  const scoped = objectives.filter((o) => !engagement || o.engagement === engagement);
  const objectivesWithoutAction = scoped.filter((o) => !withAction.has(o.code)).map(({ code, title, engagement: e }) => ({ code, title, engagement: e }));

  // proposals of the consultation (contributions, common ideas) the plan takes up; facilitators see those of
  // published contributions only, as everywhere else
  const links = (await decidedLinks(ctx, { plan: plan.id, publicOnly: role === 'facilitator' }))
    .filter((l) => l.source.kind !== 'planItem' && answersSource(l));
  const takenUp = new Map<string, { contributions: Set<string>; ideas: Set<string> }>();
  for (const l of links) {
    // a link to a défi takes the proposal up in each of its objectives
    const codes = objectives.filter((o) => o.code === l.target || o.defi === l.target).map((o) => o.code);
    for (const c of codes) {
      const t = takenUp.get(c) ?? { contributions: new Set(), ideas: new Set() };
      (l.source.kind === 'idea' ? t.ideas : t.contributions).add(l.source.id);
      takenUp.set(c, t);
    }
  }
  const takenUpWithoutAction = scoped.filter((o) => takenUp.has(o.code) && !withAction.has(o.code)).map((o) => ({
    code: o.code, title: o.title, engagement: o.engagement, contributions: takenUp.get(o.code)!.contributions.size, ideas: takenUp.get(o.code)!.ideas.size,
  }));

  const owners = [...new Map(list.actions.flatMap((a) => (a.owner.organisation ? [[norm(a.owner.organisation), a.owner.organisation] as const] : []))).values()]
    .sort((a, b) => a.localeCompare(b, 'fr'));
  return {
    plan: { id: plan.id, title: plan.title, territory: plan.territory },
    filters: { engagement, owner, status },
    options: {
      engagements: plan.engagements.map((e) => ({ code: e.code, title: e.title })),
      owners,
      statuses: (Object.keys(ACTION_STATUS_LABELS) as ActionStatus[]).map((code) => ({ code, label: ACTION_STATUS_LABELS[code] })),
    },
    today, recentSince,
    counts: {
      actions: filtered.length, late: late.length, withoutOwner: withoutOwner.length, staleIndicators: staleIndicators.length,
      objectivesWithoutAction: objectivesWithoutAction.length, takenUpWithoutAction: takenUpWithoutAction.length,
    },
    late, withoutOwner, staleIndicators, objectivesWithoutAction, takenUpWithoutAction,
  };
}
