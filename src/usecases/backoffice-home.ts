/**
 * The back-office home (issue 16): the drafts and a to-do list for the signed-in account, each entry with its count
 * and the page where the work is done. What a role is shown follows the sections it may use (src/domain/roles.ts):
 * analysts and administrators see every consultation; a facilitator the consultations assigned to them and the
 * follow-up actions they manage; an owner (porteur d'action) the actions they manage.
 */
import { parisDay } from '../domain/consultation.ts';
import { UserError } from '../domain/errors.ts';
import { mayUse, type Role } from '../domain/roles.ts';
import { assignedConsultations, findUserByEmail } from '../store/accounts.ts';
import {
  lateActionCounts, pastMeetingsWithoutReport, pendingContributionCounts, staleRestitutions, suggestedLinkCounts, suggestedThemeCounts, synthesisDrafts,
} from '../store/backoffice-home.ts';
import type { UseCaseContext } from './context.ts';

export const TODO_KINDS = ['moderation', 'themes', 'reports', 'stale', 'links', 'late'] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

export interface TodoItem {
  kind: TodoKind;
  count: number;
  /** the back-office page where the work is done */
  href: string;
  /** the consultation (or the plan) the entry is about */
  subject: { kind: 'consultation' | 'plan'; id: string; title: string };
}

export interface BackOfficeHome {
  role: Role;
  drafts: {
    /** consultations still in draft: invisible to the public until someone opens them */
    consultations: { slug: string; title: string; href: string }[];
    /** syntheses generated and not published (or generated again since) */
    syntheses: { consultation: string; title: string; level: string; territory: string; generatedAt: string; republication: boolean; href: string }[];
  };
  todo: TodoItem[];
  /** the number of entries of each kind of the to-do, zero included, for the kinds this role is shown */
  totals: Partial<Record<TodoKind, number>>;
}

const enc = encodeURIComponent;

export async function backOfficeHome(ctx: UseCaseContext): Promise<BackOfficeHome> {
  const role = ctx.actor.role;
  if (role === 'visitor' || role === 'cli') throw new UserError('forbidden', 'Le tableau de bord est celui d’un compte du back-office.');
  // load
  const me = await findUserByEmail(ctx.store, ctx.actor.name);
  if (!me) throw new UserError('forbidden', 'Compte inconnu.');
  const consultations = await ctx.store.listConsultations();
  const scope = role === 'facilitator' ? ctx.actor.scope ?? await assignedConsultations(ctx.store, me.id) : role === 'owner' ? [] : undefined;
  const visible = consultations.filter((c) => !scope || scope.includes(c.slug));
  const title = new Map(consultations.map((c) => [c.slug, c.title]));
  const today = parisDay(ctx.now());
  const seesConsultations = mayUse(role, 'consultations');
  const moderates = mayUse(role, 'moderation');
  const synthesises = mayUse(role, 'synthesis');
  const reports = mayUse(role, 'reports');
  const links = mayUse(role, 'plans');
  const followup = mayUse(role, 'followup');

  const [pending, themes, meetings, stale, drafts, suggested, late] = await Promise.all([
    moderates ? pendingContributionCounts(ctx.store, scope) : new Map<string, number>(),
    moderates ? suggestedThemeCounts(ctx.store, scope) : new Map<string, number>(),
    reports ? pastMeetingsWithoutReport(ctx.store, scope, today) : [],
    synthesises ? staleRestitutions(ctx.store, scope) : [],
    synthesises ? synthesisDrafts(ctx.store, scope) : [],
    links ? suggestedLinkCounts(ctx.store, scope) : [],
    // analysts and administrators: every late action; owners and facilitators: those they manage
    followup ? lateActionCounts(ctx.store, today, role === 'admin' || role === 'analyst' ? undefined : me.id) : [],
  ]);

  // compute
  const todo: TodoItem[] = [];
  const subject = (slug: string) => ({ kind: 'consultation' as const, id: slug, title: title.get(slug) ?? slug });
  const perConsultation = (kind: TodoKind, counts: Map<string, number>, page: string) => {
    for (const c of visible) {
      const n = counts.get(c.slug) ?? 0;
      if (n > 0) todo.push({ kind, count: n, href: `/admin/consultations/${enc(c.slug)}${page}`, subject: subject(c.slug) });
    }
  };
  perConsultation('moderation', pending, '/moderation');
  perConsultation('themes', themes, '/moderation');
  const countBy = (rows: { consultation: string }[]) => rows.reduce((m, r) => m.set(r.consultation, (m.get(r.consultation) ?? 0) + 1), new Map<string, number>());
  perConsultation('reports', countBy(meetings), '');
  perConsultation('stale', countBy(stale), '/synthese');
  for (const p of suggested) todo.push({ kind: 'links', count: p.count, href: `/admin/schemas/${enc(p.planId)}/liens`, subject: { kind: 'plan', id: p.planId, title: p.title } });
  for (const p of late) {
    const href = role === 'admin' || role === 'analyst' ? `/admin/schemas/${enc(p.planId)}/suivi` : '/admin/suivi';
    todo.push({ kind: 'late', count: p.count, href, subject: { kind: 'plan', id: p.planId, title: p.title } });
  }
  const shown: Record<TodoKind, boolean> = { moderation: moderates, themes: moderates, reports, stale: synthesises, links, late: followup };
  const totals: Partial<Record<TodoKind, number>> = {};
  for (const k of TODO_KINDS) if (shown[k]) totals[k] = todo.filter((t) => t.kind === k).reduce((s, t) => s + t.count, 0);

  return {
    role,
    drafts: {
      consultations: seesConsultations
        ? visible.filter((c) => c.status === 'draft').map((c) => ({ slug: c.slug, title: c.title, href: `/admin/consultations/${enc(c.slug)}` }))
        : [],
      syntheses: drafts.filter((d) => visible.some((c) => c.slug === d.consultation)).map((d) => ({
        consultation: d.consultation, title: title.get(d.consultation) ?? d.consultation, level: d.level, territory: d.territory,
        generatedAt: d.generatedAt, republication: d.publishedAt !== null, href: `/admin/consultations/${enc(d.consultation)}/synthese`,
      })),
    },
    todo,
    totals,
  };
}
