import type { College } from './meeting.ts';
import type { SourceRef } from './source.ts';

export type Channel = 'atelier' | 'en_ligne' | 'formulaire' | 'courrier' | 'import_tableur' | 'autre';

export const CONTRIBUTION_KINDS = ['constat', 'proposition', 'levier_frein', 'action_en_cours', 'temoignage', 'autre'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

export const KIND_LABELS: Record<ContributionKind, string> = {
  constat: 'Constat / problème',
  proposition: 'Proposition / solution',
  levier_frein: 'Levier / frein',
  action_en_cours: 'Action en cours',
  temoignage: 'Témoignage',
  autre: 'Autre',
};

/** Who or what made an assignment (of a theme, a kind, a group membership). */
export type Provenance =
  | { by: 'source'; documentId: string; detail?: string }
  | { by: 'model'; model: string; version: string; probability?: number; at: string }
  | { by: 'human'; reviewer: string; at: string };

export interface ThemeAssignment {
  theme: string;
  provenance: Provenance;
}

export type ModerationStatus = 'pending' | 'published' | 'rejected';

export interface Moderation {
  status: ModerationStatus;
  reason?: string;
  by?: string;
  at?: string;
}

/**
 * The publication rule, the only one: a contribution is public (listed, searched, counted, quoted or
 * used to name an idea anywhere the public can see) iff its moderation status is this one — set by a
 * moderator, or by a named person publishing its source document as a whole. Pending and rejected
 * contributions (and any status added later) are never public. Store queries filter on this constant.
 */
export const PUBLIC_MODERATION_STATUS = 'published' satisfies ModerationStatus;

export function isPublic(c: { moderation: Pick<Moderation, 'status'> }): boolean {
  return c.moderation.status === PUBLIC_MODERATION_STATUS;
}

export interface Contribution {
  id: string;
  consultation: string;
  meeting?: string;
  channel: Channel;
  authorCollege?: College;
  /** pseudonym given by the source (never a real name) */
  authorPseudonym?: string;
  /** département or commune code when known */
  territory?: string;
  /** ISO date or date-time when known */
  date?: string;
  /** clean text, as shown to users */
  text: string;
  /** raw text as extracted, kept when cleaning changed it */
  rawText?: string;
  kind?: ContributionKind;
  kindProvenance?: Provenance;
  /** sub-heading under which the item was written in its source */
  category?: string;
  themes: ThemeAssignment[];
  moderation: Moderation;
  source: SourceRef;
}

/** Stable id for an imported item: document + position, so re-imports land on the same ids. */
export function contributionId(documentId: string, position: string | number): string {
  return `${documentId.slice(0, 12)}:${position}`;
}
