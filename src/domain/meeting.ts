/** Every kind of meeting (server schemas, consultation files and the web app use this list). */
export const MEETING_KINDS = ['atelier', 'reunion_departementale', 'pleniere', 'visio', 'consultation_en_ligne'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_KIND_LABELS: Record<MeetingKind, string> = {
  atelier: 'Atelier',
  reunion_departementale: 'Réunion départementale',
  pleniere: 'Plénière',
  visio: 'Visioconférence',
  consultation_en_ligne: 'Consultation en ligne',
};

export const COLLEGES = ['elus', 'institutionnels', 'professionnels', 'associations', 'usagers', 'autres'] as const;
export type College = (typeof COLLEGES)[number];

export const COLLEGE_LABELS: Record<College, string> = {
  elus: 'Élus',
  institutionnels: 'Institutionnels',
  professionnels: 'Professionnels de santé et médico-social',
  associations: 'Représentants d’associations',
  usagers: 'Usagers du système de santé',
  autres: 'Autres',
};

/**
 * Participants by college as reported. `null` means "not communicated" (NC or blank),
 * which is not the same as 0. `total` is the total as printed; it may disagree with the sum.
 */
export type Participants = Record<College, number | null> & { total: number | null };

export function emptyParticipants(): Participants {
  return { elus: null, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: null };
}

/** Sum of the communicated colleges, or null when none was communicated. */
export function participantsSum(p: Participants): number | null {
  let sum = 0;
  let any = false;
  for (const c of COLLEGES) {
    const v = p[c];
    if (v !== null) { sum += v; any = true; }
  }
  return any ? sum : null;
}

/**
 * A total that differs from the sum of the communicated colleges, as the workshop-report importer flags it
 * (`participants.total_mismatch`): kept as given, shown as an anomaly.
 */
export function participantsMismatch(p: Participants): { total: number; sum: number } | null {
  const sum = participantsSum(p);
  return p.total !== null && sum !== null && sum !== p.total ? { total: p.total, sum } : null;
}

export interface Meeting {
  id: string;
  consultation: string;
  kind: MeetingKind;
  /** section number as printed in the source, e.g. "2.1.2" */
  ref?: string;
  title: string;
  place?: string;
  /** département code of the meeting */
  territory?: string;
  /** ISO date when the year is known */
  date?: string;
  /** the date as printed, kept when it cannot be made ISO (no year) */
  dateText?: string;
  /** as printed: "19H-22H" */
  time?: string;
  participants: Participants;
  situation?: string;
  deroulement?: string;
  perspectives?: string;
  source?: import('./source.ts').SourceRef;
}

// ---- meeting times as printed → French typography ----

const NBSP = '\u00a0';
/** « 19H », « 18h00 », « 20h30 », « 9 h 30 », « 14:30 » (hours and minutes checked by the caller). */
const CLOCK = String.raw`(\d{1,2})\s*[hH:]\s*(\d{2})?`;
const ONE = new RegExp(String.raw`^(?:de\s+|à\s+)?${CLOCK}$`, 'iu');
// « 19H-22H », « 18h00 à 20h30 », « 17H00 / 20H30 », « de 9h à 12h », « 14h30 - 17h », « 10h–12h »
const RANGE = new RegExp(String.raw`^(?:de\s+)?${CLOCK}\s*(?:-|–|—|à|a|/|au)\s*${CLOCK}$`, 'iu');

function clock(h: string | undefined, m: string | undefined): string | undefined {
  const hours = Number(h);
  const minutes = m === undefined ? 0 : Number(m);
  if (!Number.isInteger(hours) || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return undefined;
  return minutes === 0 ? `${hours}${NBSP}h` : `${hours}${NBSP}h${NBSP}${String(minutes).padStart(2, '0')}`;
}

/**
 * A meeting's time as printed (« 19H-22H », « 18h00 à 20h30 », « 17H00 / 20H30 », « de 9h à 12h ») written the
 * French way: « 19 h – 22 h », « 18 h – 20 h 30 » (non-breaking spaces, an en dash between start and end, « 00 »
 * minutes left out). A text it cannot read is returned as printed (trimmed): nothing is invented.
 */
export function formatMeetingTime(printed: string): string {
  const t = printed.trim().replace(/\s+/g, ' ');
  const r = RANGE.exec(t);
  if (r) {
    const from = clock(r[1], r[2]);
    const to = clock(r[3], r[4]);
    if (from && to) return `${from} – ${to}`;
    return t;
  }
  const one = ONE.exec(t);
  if (one) return clock(one[1], one[2]) ?? t;
  return t;
}
