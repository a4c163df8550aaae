/**
 * What the back-office home lists (issue 16): the drafts and the work waiting, counted by consultation or plan in
 * a few grouped queries. Every function takes the consultations to look at (undefined: all of them), so a
 * facilitator's home reads their consultations only.
 */
import type { DatabaseHandle } from './schema.ts';

type Scope = readonly string[] | undefined;

/** The rows of the consultations in scope (the grouped rows are few: filtered here rather than in SQL). */
function inScope<R>(rows: R[], consultation: (r: R) => string | null, scope: Scope): R[] {
  if (scope === undefined) return rows;
  const keep = new Set(scope);
  return rows.filter((r) => { const c = consultation(r); return c !== null && keep.has(c); });
}

const byConsultation = (rows: { consultation: string; n: number | string | bigint }[]) => new Map(rows.map((r) => [r.consultation, Number(r.n)]));

/** Contributions waiting for moderation, by consultation. */
export async function pendingContributionCounts(store: DatabaseHandle, scope: Scope): Promise<Map<string, number>> {
  const q = store.db.selectFrom('contributions').select(['consultation', (eb) => eb.fn.countAll<number>().as('n')])
    .where('moderation_status', '=', 'pending').groupBy('consultation');
  return byConsultation(inScope(await q.execute(), (r) => r.consultation, scope));
}

/** Contributions (not rejected) with a theme the model suggested and no one has accepted or removed yet, by consultation. */
export async function suggestedThemeCounts(store: DatabaseHandle, scope: Scope): Promise<Map<string, number>> {
  const q = store.db.selectFrom('contribution_themes').innerJoin('contributions', 'contributions.id', 'contribution_themes.contribution_id')
    .select(['contributions.consultation as consultation', (eb) => eb.fn.count<number>('contributions.id').distinct().as('n')])
    .where('contribution_themes.assigned_by', '=', 'model').where('contributions.moderation_status', '<>', 'rejected')
    .groupBy('contributions.consultation');
  return byConsultation(inScope(await q.execute(), (r) => r.consultation, scope));
}

export interface MeetingWithoutReport { id: string; consultation: string; title: string; date: string }

/**
 * Meetings held before `today` (YYYY-MM-DD) that have no submitted report: declared in the back office (not
 * imported from a document, whose contributions are the report) and without contributions of their own.
 */
export async function pastMeetingsWithoutReport(store: DatabaseHandle, scope: Scope, today: string): Promise<MeetingWithoutReport[]> {
  const q = store.db.selectFrom('meetings').select(['meetings.id', 'meetings.consultation', 'meetings.title', 'meetings.date'])
    .where('meetings.date', 'is not', null).where('meetings.date', '<', today).where('meetings.document_id', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('meeting_reports').select('meeting_reports.meeting_id')
      .whereRef('meeting_reports.meeting_id', '=', 'meetings.id').where('meeting_reports.status', '=', 'submitted'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('contributions').select('contributions.id').whereRef('contributions.meeting', '=', 'meetings.id'))))
    .orderBy('meetings.date').orderBy('meetings.id');
  const rows = inScope(await q.execute(), (r) => r.consultation, scope);
  return rows.map((r) => ({ id: r.id, consultation: r.consultation, title: r.title, date: r.date! }));
}

export interface SynthesisDraft { id: string; consultation: string; level: string; territory: string; generatedAt: string; publishedAt: string | null }

/** Syntheses generated and never published, or generated again since their publication. */
export async function synthesisDrafts(store: DatabaseHandle, scope: Scope): Promise<SynthesisDraft[]> {
  const q = store.db.selectFrom('syntheses').leftJoin('published_syntheses', 'published_syntheses.id', 'syntheses.id')
    .select(['syntheses.id', 'syntheses.consultation', 'syntheses.level', 'syntheses.territory', 'syntheses.generated_at', 'published_syntheses.published_at'])
    .where((eb) => eb.or([eb('published_syntheses.id', 'is', null), eb('published_syntheses.published_at', '<', eb.ref('syntheses.generated_at'))]))
    .orderBy('syntheses.consultation').orderBy('syntheses.generated_at');
  const rows = inScope(await q.execute(), (r) => r.consultation, scope);
  return rows.map((r) => ({ id: r.id, consultation: r.consultation, level: r.level, territory: r.territory, generatedAt: r.generated_at, publishedAt: r.published_at }));
}

export interface StaleRestitution { id: string; consultation: string; level: string; territory: string; staleSince: string; reason: string | null }

/** Published restitutions withdrawn from the public because data they rely on changed (src/store/stale-restitutions.ts). */
export async function staleRestitutions(store: DatabaseHandle, scope: Scope): Promise<StaleRestitution[]> {
  const q = store.db.selectFrom('published_syntheses').select(['id', 'consultation', 'level', 'territory', 'stale_since', 'stale_reason'])
    .where('stale_since', 'is not', null).orderBy('stale_since').orderBy('id');
  const rows = inScope(await q.execute(), (r) => r.consultation, scope);
  return rows.map((r) => ({ id: r.id, consultation: r.consultation, level: r.level, territory: r.territory, staleSince: r.stale_since!, reason: r.stale_reason }));
}

export interface PlanCount { planId: string; title: string; consultation: string | null; count: number }

/** Link suggestions (issue 14) no one has confirmed or rejected yet, by plan. */
export async function suggestedLinkCounts(store: DatabaseHandle, scope: Scope): Promise<PlanCount[]> {
  const q = store.db.selectFrom('plan_links').innerJoin('plans', 'plans.id', 'plan_links.plan_id')
    .select(['plans.id as planId', 'plans.title as title', 'plans.consultation as consultation', (eb) => eb.fn.countAll<number>().as('n')])
    .where('plan_links.status', '=', 'suggested').groupBy(['plans.id', 'plans.title', 'plans.consultation']).orderBy('plans.id');
  const rows = inScope(await q.execute(), (r) => r.consultation, scope);
  return rows.map((r) => ({ planId: r.planId, title: r.title, consultation: r.consultation, count: Number(r.n) }));
}

const OPEN_ACTION_STATUSES = ['proposee', 'engagee', 'en_cours'];

/**
 * Follow-up actions past their due date and still open (neither réalisée nor abandonnée), by plan; `account`:
 * only those the account manages (owners and facilitators).
 */
export async function lateActionCounts(store: DatabaseHandle, today: string, account?: string): Promise<PlanCount[]> {
  let q = store.db.selectFrom('followup_actions').innerJoin('plans', 'plans.id', 'followup_actions.plan_id')
    .select(['plans.id as planId', 'plans.title as title', 'plans.consultation as consultation', (eb) => eb.fn.countAll<number>().as('n')])
    .where('followup_actions.status', 'in', OPEN_ACTION_STATUSES).where('followup_actions.due_date', 'is not', null).where('followup_actions.due_date', '<', today)
    .groupBy(['plans.id', 'plans.title', 'plans.consultation']).orderBy('plans.id');
  if (account !== undefined) {
    q = q.where((eb) => eb.exists(eb.selectFrom('action_accounts').select('action_accounts.action_id')
      .whereRef('action_accounts.action_id', '=', 'followup_actions.id').where('action_accounts.user_id', '=', account)));
  }
  const rows = await q.execute();
  return rows.map((r) => ({ planId: r.planId, title: r.title, consultation: r.consultation, count: Number(r.n) }));
}
