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
