import type { Theme } from './theme.ts';

/** Every status a consultation goes through, in order (server schemas, consultation files and the web app use this list). */
export const CONSULTATION_STATUSES = ['draft', 'open', 'closed', 'analysed', 'published'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/**
 * Status of a new consultation when none is given, from every face (CLI, API, consultation file): a draft is
 * invisible to the public, so opening a consultation is always a decision someone makes.
 */
export const DEFAULT_CONSULTATION_STATUS: ConsultationStatus = 'draft';

export interface Consultation {
  /** URL-safe identifier, unique: "demo", "cnr-sante-lot-2022" */
  slug: string;
  title: string;
  /** INSEE code of the territory consulted */
  territory: string;
  /** région and département codes overlap ("75" is Paris and Nouvelle-Aquitaine): this says which */
  territoryLevel?: 'departement' | 'region';
  /** ISO dates (YYYY-MM-DD) */
  periodStart?: string;
  periodEnd?: string;
  status: ConsultationStatus;
  themes: Theme[];
  description?: string;
  /** an administrator reopened it past its end date, until this ISO date (the period stays as published) */
  reopenedUntil?: string;
}

/** Today in France (YYYY-MM-DD), where consultation periods are set: a period ending on the 9th includes the 9th. */
export function parisDay(now: Date): string {
  return PARIS_DAY.format(now);
}

// built once: a formatter is dear to build, and every consultation read derives its status from today
const PARIS_DAY = new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** "2022-12-09" → "9 décembre 2022" ("1er" for the first day), as the pages print dates. */
export function frenchDay(iso: string): string {
  // a date-time (a publication's timestamp) is read as its day
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(iso);
  if (!m) return iso;
  const day = Number(m[3]);
  return `${day === 1 ? '1er' : day} ${MONTH_NAMES[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** The last day contributions are accepted: the period's end, or later when an administrator reopened it. */
export function contributionDeadline(c: Pick<Consultation, 'periodEnd' | 'reopenedUntil'>): string | undefined {
  if (c.reopenedUntil && (!c.periodEnd || c.reopenedUntil > c.periodEnd)) return c.reopenedUntil;
  return c.periodEnd;
}

/**
 * The status people see, derived at read time: an open consultation whose last day has passed is closed,
 * whatever its stored status says, so that no one has to remember to close it.
 */
export function effectiveStatus(c: Pick<Consultation, 'status' | 'periodEnd' | 'reopenedUntil'>, now: Date): ConsultationStatus {
  const deadline = contributionDeadline(c);
  return c.status === 'open' && deadline !== undefined && parisDay(now) > deadline ? 'closed' : c.status;
}

export function acceptsContributions(c: Pick<Consultation, 'status' | 'periodEnd' | 'reopenedUntil'>, now: Date): boolean {
  return effectiveStatus(c, now) === 'open';
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function isValidSlug(slug: string): boolean {
  return SLUG.test(slug);
}

/** Counts of a consultation's contributions; each `by…` maps a code to a count (a contribution with several themes counts under each). */
export interface ConsultationStats {
  consultation: string;
  contributions: number;
  documents: number;
  meetings: number;
  byTheme: Record<string, number>;
  byKind: Record<string, number>;
  byMeeting: Record<string, number>;
  byCollege: Record<string, number>;
  byChannel: Record<string, number>;
  /** contributions with no theme assignment */
  withoutTheme: number;
}

/**
 * The public figures of a consultation (one statistics function, src/usecases/stats.ts): the stats of its public
 * contributions only, and the participants its meetings declare.
 */
export interface ConsultationFigures extends ConsultationStats {
  /** sum of the participant totals its meetings state; null when none states one */
  participants: number | null;
  /** meetings that state a participant total */
  meetingsWithParticipants: number;
}

/** Why a consultation refuses contributions, in French (the API's error and the public form say the same). */
export function closedMessage(c: Pick<Consultation, 'status' | 'periodEnd' | 'reopenedUntil'>): string {
  const deadline = contributionDeadline(c);
  if (c.status === 'open' && deadline) return `Cette consultation est close depuis le ${frenchDay(deadline)} : elle n’accepte plus de contributions.`;
  return 'Cette consultation n’est pas ouverte aux contributions.';
}
