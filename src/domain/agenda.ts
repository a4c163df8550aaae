/**
 * The agenda of meetings (issue 16, point 5): which meetings are still to come, which are over, which have no
 * date one can put in a calendar, and the clock times read from the time as printed (« 19H-22H »), for an
 * iCalendar file. Pure: the day of reference is handed in.
 */
import { MEETING_KIND_LABELS, type Meeting, type MeetingKind } from './meeting.ts';
import { parisDay } from './consultation.ts';

/** A time of day, 24-hour clock. */
export interface ClockTime { hour: number; minute: number }

/** Start and, when printed, end of a meeting as read from its time text. */
export interface MeetingHours { start: ClockTime; end: ClockTime | null }

// one clock time as printed: « 19H », « 19 h 30 », « 18h00 », « 14:30 », « 9h »
const CLOCK = String.raw`(\d{1,2})\s*(?:[hH]|:)\s*(\d{2})?`;
// between two clock times: « - », « – », « à », « a », « / », « au », « jusqu'à »
const BETWEEN = String.raw`\s*(?:-|–|—|/|à|a|au|jusqu['’]à)\s*`;
const RANGE = new RegExp(String.raw`^\s*(?:de\s+)?${CLOCK}(?:${BETWEEN}${CLOCK})?\s*$`, 'i');

function clock(h: string | undefined, m: string | undefined): ClockTime | null {
  if (h === undefined) return null;
  const hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/**
 * The clock times of a meeting's time as printed, or null when the text is not a time or a range of times
 * (« après-midi », « 19H-22H30 et 9H-12H », « 25h »): such a meeting goes in a calendar as an all-day event.
 * An end that does not come after the start is dropped (the start is kept).
 */
export function parseMeetingHours(text: string | undefined | null): MeetingHours | null {
  if (!text) return null;
  const m = RANGE.exec(text.replace(/\u00a0|\u202f/g, ' '));
  if (!m) return null;
  const start = clock(m[1], m[2]);
  if (!start) return null;
  const end = m[3] === undefined ? null : clock(m[3], m[4]);
  if (m[3] !== undefined && !end) return null;
  const later = end && (end.hour * 60 + end.minute > start.hour * 60 + start.minute) ? end : null;
  return { start, end: later };
}

/** « 19:00 » */
export function clockText(t: ClockTime): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** A meeting as the public lists show it (the agenda, the map). */
export interface ListedMeeting {
  id: string;
  title: string;
  kind: MeetingKind;
  kindLabel: string;
  place: string | null;
  /** ISO day, or null when its year is not known */
  date: string | null;
  /** the date as printed, when it could not be made an ISO day */
  dateText: string | null;
  /** as printed */
  time: string | null;
}

/** One meeting in the agenda, with its consultation. */
export interface AgendaMeeting extends ListedMeeting {
  consultation: { slug: string; title: string };
  /** read from `time`: « 19:00 », or null (then an all-day event in a calendar) */
  start: string | null;
  end: string | null;
}

export interface Agenda {
  /** today and later, soonest first */
  upcoming: AgendaMeeting[];
  /** before today, most recent first */
  past: AgendaMeeting[];
  /** no ISO date (a date printed without its year, a period, nothing): listed apart, never in a calendar file */
  undated: AgendaMeeting[];
}

export function agendaMeeting(m: Meeting, consultation: { slug: string; title: string }): AgendaMeeting {
  const hours = parseMeetingHours(m.time);
  return {
    id: m.id, consultation, title: m.title, kind: m.kind, kindLabel: MEETING_KIND_LABELS[m.kind],
    place: m.place ?? null, date: m.date ?? null, dateText: m.dateText ?? null, time: m.time ?? null,
    start: hours ? clockText(hours.start) : null, end: hours?.end ? clockText(hours.end) : null,
  };
}

const byDayThenStart = (a: AgendaMeeting, b: AgendaMeeting) =>
  (a.date ?? '').localeCompare(b.date ?? '') || (a.start ?? '').localeCompare(b.start ?? '') || a.title.localeCompare(b.title, 'fr');

/**
 * Splits meetings by the day in Paris at `now`: a meeting of today is still upcoming (the whole day, whatever
 * its hours), a meeting without an ISO date is undated.
 */
export function buildAgenda(meetings: AgendaMeeting[], now: Date): Agenda {
  const today = parisDay(now);
  const upcoming: AgendaMeeting[] = [];
  const past: AgendaMeeting[] = [];
  const undated: AgendaMeeting[] = [];
  for (const m of meetings) {
    if (!m.date) undated.push(m);
    else (m.date >= today ? upcoming : past).push(m);
  }
  upcoming.sort(byDayThenStart);
  past.sort((a, b) => byDayThenStart(b, a));
  undated.sort((a, b) => a.consultation.title.localeCompare(b.consultation.title, 'fr') || a.title.localeCompare(b.title, 'fr'));
  return { upcoming, past, undated };
}
