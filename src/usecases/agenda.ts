/**
 * The agenda of meetings (issue 16, point 5): every public consultation's meetings, or one consultation's,
 * upcoming ones by date, past ones apart, undated ones listed for what they are. Visitors read it; titles and
 * places are masked on the way out like every public face (src/privacy/public.ts).
 */
import { agendaMeeting, buildAgenda, type Agenda } from '../domain/agenda.ts';
import { UserError } from '../domain/errors.ts';
import { publicMeeting } from '../privacy/public.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';

export interface AgendaScope {
  /** one consultation's slug; all public consultations when absent */
  consultation?: string;
  /** one meeting of it (its own calendar file) */
  meeting?: string;
}

export async function meetingAgenda(ctx: UseCaseContext, scope: AgendaScope = {}): Promise<Agenda & { consultation: { slug: string; title: string } | null }> {
  const consultations = scope.consultation !== undefined
    ? [await visibleConsultation(ctx, scope.consultation)]
    : (await ctx.store.listConsultations()).filter((c) => c.status !== 'draft');
  const items = [];
  for (const c of consultations) {
    for (const m of await ctx.store.listMeetings(c.slug)) {
      if (scope.meeting !== undefined && m.id !== scope.meeting) continue;
      items.push(agendaMeeting(publicMeeting(m), { slug: c.slug, title: c.title }));
    }
  }
  if (scope.meeting !== undefined && items.length === 0) throw new UserError('not_found', `Réunion inconnue dans cette consultation : « ${scope.meeting} »`);
  const one = scope.consultation !== undefined ? consultations[0]! : null;
  return { ...buildAgenda(items, ctx.now()), consultation: one ? { slug: one.slug, title: one.title } : null };
}
