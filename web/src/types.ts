/** Shapes of the API responses (docs/api.md). */
import type { ConsultationStatus } from '../../src/domain/consultation.ts';
import type { College, MeetingKind, Participants } from '../../src/domain/meeting.ts';
import type { Theme } from '../../src/domain/theme.ts';

export type { College, ConsultationStatus, MeetingKind, Participants, Theme };
export type Role = 'admin' | 'analyst' | 'facilitator';
export interface User { id: string; email: string; role: Role }

export interface ConsultationSummary {
  slug: string;
  title: string;
  status: ConsultationStatus;
  territory: { code: string; name: string; level: 'departement' | 'region' };
  periodStart: string | null;
  periodEnd: string | null;
  counts: { contributions: number; meetings: number; themes: number };
}

export interface Meeting {
  id: string;
  title: string;
  kind: MeetingKind;
  place: string | null;
  territory: string | null;
  date: string | null;
  dateText: string | null;
  time: string | null;
  participants: Participants;
}

export interface ConsultationDetail extends ConsultationSummary {
  description: string | null;
  themes: Theme[];
  meetings: Meeting[];
}

export interface PublicContribution {
  id: string;
  text: string;
  themes: string[];
  kind: string | null;
  meeting: string | null;
  college: College | null;
  channel: string;
  date: string | null;
  territory: string | null;
}

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface Masked { kind: 'email' | 'phone' | 'nir' | 'id' | 'birthdate' | 'address' | 'name'; start: number; end: number; original?: string }

export interface ModerationItem extends PublicContribution {
  status: 'pending' | 'published' | 'rejected';
  reason: string | null;
  themeAssignments: { theme: string; by: 'source' | 'model' | 'human'; probability?: number }[];
  masked: Masked[];
  original?: string;
}

export interface IdeaGroupView {
  id: string;
  parent: string | null;
  theme: string | null;
  label: string;
  labelByHuman: boolean;
  size: number;
  members: string[];
  quotes: string[];
  lineage: object[];
}

export interface Territory { code: string; name: string; region: { code: string; name: string }; consultations: number }

export type { ConsultationStats as Stats } from '../../src/domain/consultation.ts';

export interface ImportWarning { level: string; code: string; message: string; source?: { file?: string; page?: number; lineStart?: number; sheet?: string; row?: number } }

export interface ImportResult {
  outcome: 'imported' | 'replaced' | 'unchanged';
  documentId: string;
  fileName: string;
  parser: string;
  meetings: number;
  contributions: number;
  /** who published the document as a whole; null: its contributions await moderation */
  publication: { by: string; at: string } | null;
  syntheses: number;
  warnings: ImportWarning[];
}

export interface Verification { ok: boolean; failures: { path: string; message: string }[]; checked: { figures: number; quotes: number } }

/** GET /consultations/:slug/indicators: the territory's indicators ("data repère"). */
export interface TerritoryIndicators {
  territory: { code: string; name: string; level: 'departement' | 'region'; region: { code: string; name: string } | null };
  items: {
    id: string; label: string; unit: string | null; year: number;
    /** null = missing in the source */
    value: number | null;
    regionValue: number | null; franceValue: number | null; source: string | null;
  }[];
}
