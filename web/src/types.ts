/**
 * Shapes of the API responses (docs/api.md). Those the server declares in src/server/schemas.ts are
 * inferred from its zod schemas, so the web app and the server cannot drift apart; a type-only import,
 * nothing of the server is bundled.
 */
import type { z } from 'zod';
import type * as Api from '../../src/server/schemas.ts';
import type { College, Participants } from '../../src/domain/meeting.ts';
import type { Theme } from '../../src/domain/theme.ts';

export type { College, Participants, Theme };
export type User = z.infer<typeof Api.User>;
export type Role = User['role'];
export type Section = User['sections'][number];
export type ConsultationStatus = z.infer<typeof Api.ConsultationStatus>;
export type ConsultationSummary = z.infer<typeof Api.ConsultationSummary>;
export type MeetingKind = z.infer<typeof Api.MeetingKind>;
export type Meeting = z.infer<typeof Api.Meeting>;
export type ConsultationDetail = z.infer<typeof Api.ConsultationDetail>;
export type PublicContribution = z.infer<typeof Api.PublicContribution>;
/** One page of a list: the schema's envelope (`Api.Page(item)`) with the items' own type. */
export type Page<T> = Omit<z.infer<ReturnType<typeof Api.Page>>, 'items'> & { items: T[] };
export type ModerationItem = z.infer<typeof Api.ModerationItem>;
export type IdeaGroupView = z.infer<typeof Api.IdeaGroupView>;
/** GET …/groups: the groups and the contributions they contain. */
export type GroupsResponse = z.infer<typeof Api.GroupsResponse>;
export type GroupMember = z.infer<typeof Api.GroupMemberView>;
/** A job (analysis…) as GET /api/admin/jobs/:id returns it. */
export type JobView = z.infer<typeof Api.JobView>;

export type { MaskKind } from '../../src/privacy/pseudonymise.ts';
/** A masked span; its kind is a MaskKind (the schema carries it as a string). */
export type Masked = z.infer<typeof Api.Masked>;

export interface Territory { code: string; name: string; region: { code: string; name: string }; consultations: number }

export type { ConsultationFigures as Stats } from '../../src/domain/consultation.ts';

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
    id: string; label: string; unit: string | null; year: number | null;
    /** null = missing in the source */
    value: number | null;
    regionValue: number | null; franceValue: number | null; source: string | null;
  }[];
}
export type WorkshopReport = z.infer<typeof Api.WorkshopReport>;

/** GET /api/admin/consultations/:slug/documents */
export interface ImportedDocument {
  id: string; fileName: string; importedAt: string; parser: string; publishedBy: string | null;
  contributions: number; meetings: number; sourceFileKept: boolean;
}
/** GET /api/plans/:id: a schéma territorial de santé as stored (engagements → défis → objectifs, OQOS, data repère). */
export type PlanDetail = z.infer<typeof Api.PlanDetail>;
/** GET /api/plans/:id/coverage: the verified coverage report as the public page reads it. */
export type CoverageView = z.infer<typeof Api.CoverageView>;
export type PlanSummary = z.infer<typeof Api.PlanSummary>;
export type PlanElementView = z.infer<typeof Api.PlanElementView>;
/** « Ce que vous avez dit »: one idea, contribution or plan item a decided link ties to an objective or a défi (issue 14). */
export type PlanSaid = z.infer<typeof Api.PlanSaid>;

/* Traceability (issue 14): links between what people said and the plan (src/domain/links.ts; API of src/server/routes/links.ts). */
export type { LinkDecision, LinkEvidence, LinkKind, LinkSourceKind, LinkSourceRef, LinkStatus, PlanLink } from '../../src/domain/links.ts';
/** One source of GET /api/admin/plans/:id/links: its text, its suggested candidates (best first) and the decisions taken on it. */
export interface PlanLinkSource {
  source: import('../../src/domain/links.ts').LinkSourceRef;
  text: string;
  label?: string | null;
  theme?: string | null;
  candidates: import('../../src/domain/links.ts').PlanLink[];
  decisions: import('../../src/domain/links.ts').PlanLink[];
  /** when the API says so: no candidate reaches the model's threshold (« aucun objectif ne convient ») */
  nothingFits?: boolean;
  threshold?: number;
  /** contributions: their moderation status (a decision shows publicly once the contribution is published) */
  moderation?: import('../../src/domain/contribution.ts').ModerationStatus;
}
/** GET /api/admin/plans/:id/links?kind=idea|contribution|planItem */
export interface PlanLinksResponse {
  plan: { id: string; title: string; territory: string; consultation: string | null };
  sources: PlanLinkSource[];
}

// ---- public follow-up (issue 15): GET /api/plans/:id/followup, /api/contributions/:id/followup, /api/ideas/:id/followup
export type PublicFollowupView = z.infer<typeof import('../../src/server/routes/followup-public-schemas.ts').PublicFollowupView>;
export type ContributionFollowupView = z.infer<typeof import('../../src/server/routes/followup-public-schemas.ts').ContributionFollowupView>;
export type IdeaFollowupView = z.infer<typeof import('../../src/server/routes/followup-public-schemas.ts').IdeaFollowupView>;
export type FollowupAction = PublicFollowupView['engagements'][number]['objectives'][number]['actions'][number];
export type FollowupIndicator = PublicFollowupView['indicators'][number];
/** GET /api/search: the site-wide search (issue 16). */
export type SiteSearchResult = z.infer<typeof import('../../src/server/routes/search-schemas.ts').SiteSearchResult>;
export type SearchHit = z.infer<typeof import('../../src/server/routes/search-schemas.ts').SearchHit>;

/** GET /api/agenda and GET /api/consultations/:slug/carte (issue 16, point 5; docs/format-map.md). */
export type AgendaView = z.infer<typeof import('../../src/server/routes/agenda-map-schemas.ts').AgendaResponse>;
export type AgendaItem = AgendaView['upcoming'][number];
export type MapView = z.infer<typeof import('../../src/server/routes/agenda-map-schemas.ts').MapResponse>;

/** The easy-to-read summary (FALC) of a restitution: its editor view and its public page (src/server/routes/open-data.ts). */
export type EasyReadEditorView = z.infer<typeof import('../../src/server/routes/open-data-schemas.ts').EasyReadEditorView>;
export type PublicEasyRead = z.infer<typeof import('../../src/server/routes/open-data-schemas.ts').PublicEasyRead>;
export type EasyReadWarning = EasyReadEditorView['warnings'][number];
