/**
 * iCalendar files of the agenda (RFC 5545) with `ical-generator`: one VEVENT per dated meeting, a stable UID
 * (the meeting's id), DTSTAMP in UTC, DTSTART/DTEND in Europe/Paris (with its VTIMEZONE) when the printed time
 * reads as clock times, an all-day event otherwise. Meetings without an ISO date (a day printed without its
 * year, a period) cannot be placed in a calendar: they are left out and the calendar's description says how many.
 * The library writes CRLF line ends, folds lines at 75 octets and escapes commas, semicolons and backslashes.
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { Agenda, AgendaMeeting } from '../domain/agenda.ts';

export const PARIS = 'Europe/Paris';

/** A Date whose UTC fields are the wall-clock time in Paris: ical-generator prints them as such under TZID. */
function wallClock(day: string, hhmm: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [h, min] = hhmm.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, h, min));
}

/** The UID of a meeting's event: the same in every file and on every request. */
export function meetingUid(m: Pick<AgendaMeeting, 'id' | 'consultation'>): string {
  return `reunion-${encodeURIComponent(m.id)}.${encodeURIComponent(m.consultation.slug)}@fabrique`;
}

export function agendaCalendar(agenda: Agenda, opts: { name: string; baseUrl: string; now: Date }): string {
  const cal = ical({
    name: opts.name,
    prodId: { company: 'Fabrique', product: 'agenda des reunions', language: 'FR' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  const dated = [...agenda.upcoming, ...agenda.past];
  const left = agenda.undated.length;
  cal.description(left
    ? `${opts.name}. ${left >= 2 ? `${left} réunions sans date complète n’y figurent pas` : '1 réunion sans date complète n’y figure pas'} (voir le site).`
    : opts.name);
  for (const m of dated) {
    const url = `${opts.baseUrl}/consultations/${encodeURIComponent(m.consultation.slug)}`;
    const lines = [`${m.kindLabel} de la consultation « ${m.consultation.title} ».`];
    if (m.time && !m.start) lines.push(`Horaire annoncé : ${m.time}.`);
    lines.push(url);
    const base = {
      id: meetingUid(m), stamp: opts.now, summary: `${m.kindLabel} : ${m.title}`, description: lines.join('\n'), url,
      ...(m.place ? { location: m.place } : {}),
    };
    if (m.start) {
      const start = wallClock(m.date!, m.start);
      // without an end printed, no DTEND (RFC 5545: the event then ends when it starts); none is invented
      cal.createEvent({ ...base, start, ...(m.end ? { end: wallClock(m.date!, m.end) } : {}), timezone: PARIS });
    } else {
      // noon UTC, so the day printed is the meeting's whatever the server's own time zone
      cal.createEvent({ ...base, start: new Date(`${m.date}T12:00:00Z`), allDay: true });
    }
  }
  return cal.toString();
}
