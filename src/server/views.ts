/** Mapping of domain objects to the API's JSON shapes. */
import { acceptsContributions, closedMessage, effectiveStatus, type Consultation } from '../domain/consultation.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import type { Meeting } from '../domain/meeting.ts';
import { territoryName } from '../domain/geography.ts';
import { consultationLevel } from '../domain/territory.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import type { ContributionPageItem } from '../store/moderation-page.ts';

export function meetingView(m: Meeting) {
  return {
    id: m.id, title: m.title, kind: m.kind, place: m.place ?? null, territory: m.territory ?? null, date: m.date ?? null,
    dateText: m.dateText ?? null, time: m.time ?? null, participants: m.participants,
  };
}

/** `now`: the status is derived at read time (an open consultation past its last day shows as closed). */
export function consultationSummary(c: Consultation, counts: { contributions: number; meetings: number }, now = new Date()) {
  const accepts = acceptsContributions(c, now);
  return {
    slug: c.slug, title: c.title, status: effectiveStatus(c, now), acceptsContributions: accepts,
    closedReason: accepts ? null : closedMessage(c), reopenedUntil: c.reopenedUntil ?? null, territory: { code: c.territory, name: territoryName(c.territory, consultationLevel(c)), level: consultationLevel(c) },
    periodStart: c.periodStart ?? null, periodEnd: c.periodEnd ?? null,
    counts: { contributions: counts.contributions, meetings: counts.meetings, themes: c.themes.length },
  };
}

export function consultationDetail(c: Consultation, meetings: Meeting[], published: number) {
  return {
    ...consultationSummary(c, { contributions: published, meetings: meetings.length }),
    description: c.description ?? null,
    themes: c.themes.map((t) => ({ code: t.code, label: t.label, ...(t.description ? { description: t.description } : {}), keywords: t.keywords, local: t.local })),
    meetings: meetings.map(meetingView),
  };
}

/** Public view: plain text, pseudonymised again on the way out (defence in depth for imported texts). */
export function publicContribution(c: ContributionPageItem) {
  return {
    id: c.id, text: pseudonymise(c.text).text, themes: c.themes.map((t) => t.theme), kind: c.kind, meeting: c.meeting,
    college: c.college, channel: c.channel, date: c.date, territory: c.territory,
  };
}

export function groupView(g: IdeaGroup) {
  return {
    id: g.id, parent: g.parent, theme: g.theme ?? null, label: g.label, labelByHuman: g.labelByHuman, size: g.members.length,
    members: g.members.map((m) => m.contribution), quotes: g.quotes, lineage: g.lineage as unknown as Record<string, unknown>[],
  };
}
