import type { Generated, Kysely, Transaction } from 'kysely';
import type { FollowupTables } from './action-schema.ts';
import type { LinkTables } from './link-schema.ts';
import type { FollowupIndicatorTables } from './followup-indicator-schema.ts';
import type { EngagementTables } from './engagement-schema.ts';
import type { PlanTables } from './plan-schema.ts';

/** Row types of the relational schema. JSON columns hold text in both SQLite and PostgreSQL. */
export interface ConsultationRow {
  slug: string;
  title: string;
  territory: string;
  territory_level: string | null;
  period_start: string | null;
  period_end: string | null;
  status: string;
  description: string | null;
  themes_json: string;
  created_at: string;
  /** migration 0016: reopened by an administrator past its end date, until this ISO date (null: not reopened) */
  reopened_until: string | null;
}

export interface TerritoryRow {
  code: string;
  name: string;
  level: string;
  parent: string | null;
}

export interface SourceDocumentRow {
  id: string;
  consultation: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  imported_at: string;
  parser: string;
  parser_version: string;
  warnings_json: string;
  syntheses_json: string;
  /** migration 0009: who published the document as a whole, and when (null: moderated one by one) */
  published_by: string | null;
  published_at: string | null;
}

export interface MeetingRow {
  id: string;
  consultation: string;
  document_id: string | null;
  kind: string;
  ref: string | null;
  title: string;
  place: string | null;
  territory: string | null;
  date: string | null;
  date_text: string | null;
  time: string | null;
  p_elus: number | null;
  p_institutionnels: number | null;
  p_professionnels: number | null;
  p_associations: number | null;
  p_usagers: number | null;
  p_autres: number | null;
  p_total: number | null;
  situation: string | null;
  deroulement: string | null;
  perspectives: string | null;
  source_json: string | null;
}

export interface ContributionRow {
  id: string;
  consultation: string;
  document_id: string | null;
  seq: Generated<number>;
  meeting: string | null;
  channel: string;
  author_college: string | null;
  author_pseudonym: string | null;
  territory: string | null;
  date: string | null;
  text: string;
  raw_text: string | null;
  kind: string | null;
  kind_provenance_json: string | null;
  category: string | null;
  moderation_status: string;
  moderation_reason: string | null;
  moderation_by: string | null;
  moderation_at: string | null;
  source_json: string;
  /** SQLite only: unaccented snowball stems feeding the FTS5 index */
  search_terms: string | null;
  /** number of theme assignments, maintained by triggers (migration 0007_public_stats) */
  theme_count: Generated<number>;
}

export interface ContributionThemeRow {
  contribution_id: string;
  theme: string;
  /** 'source' | 'model' | 'human': lets queries prefer human decisions without parsing JSON */
  assigned_by: string;
  provenance_json: string;
}

export interface IdeaGroupRow {
  id: string;
  consultation: string;
  parent: string | null;
  theme: string | null;
  label: string;
  label_by_human: number;
  quotes_json: string;
  lineage_json: string;
  stated_count: number | null;
  position: number;
}

export interface IdeaMemberRow {
  group_id: string;
  contribution_id: string;
  provenance_json: string;
}

export interface SynthesisRow {
  id: string;
  consultation: string;
  level: string;
  territory: string;
  generated_at: string;
  model_json: string;
  editorial_json: string;
}

export interface AnalysisModelRow {
  consultation: string;
  /** 'themes' | 'kinds' */
  purpose: string;
  version: string;
  created_at: string;
  metadata_json: string;
  model_json: string;
}

/** Migration 0008_source_files: the original bytes of an imported document (its id is their sha256). */
export interface SourceFileRow {
  document_id: string;
  content: Uint8Array;
}

/** A facilitator's access to one consultation (migration 0005_account_hygiene). */
export interface ConsultationAssignmentRow {
  user_id: string;
  consultation: string;
  assigned_at: string;
  assigned_by: string;
}

/** Rate-limit counters and login lockouts (migration 0006_rate_limits). */
export interface RateLimitRow {
  key: string;
  hits: number;
  /** end of the window, in milliseconds since the epoch */
  expires_at: number;
}

/** Contributions per consultation × dimension × value × moderation status, maintained by triggers (0007_public_stats). */
export interface ContributionCountRow {
  consultation: string;
  /** 'total' | 'kind' | 'meeting' | 'college' | 'channel' | 'theme' | 'without_theme' */
  dimension: string;
  /** '' for 'total', 'without_theme' and an unset value */
  value: string;
  moderation_status: string;
  n: number;
}

/** Migration 0010_jobs: a long piece of work, its user-visible state and the lease of the process running it. */
export interface JobRow {
  id: string;
  /** 'analyze' | 'synthesis' | 'import' (src/jobs/handlers.ts) */
  kind: string;
  consultation: string | null;
  input_json: string;
  /** at most one queued or running job per key (e.g. one analysis per consultation) */
  dedupe_key: string | null;
  /** 'queued' | 'running' | 'done' | 'failed' */
  state: string;
  step: string | null;
  step_label: string | null;
  progress_done: number;
  progress_total: number;
  /** steps finished so far, in order */
  steps_json: string;
  result_json: string | null;
  error_json: string | null;
  /** times a process started it (a crash or a retry adds one) */
  attempts: number;
  /** the process holding the lease, until `locked_until` (ms since the epoch, database clock) */
  locked_by: string | null;
  locked_until: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** Migration 0016_meeting_reports: the one typed-in report of a meeting. */
export interface MeetingReportRow {
  meeting_id: string;
  consultation: string;
  /** 'draft' | 'submitted' */
  status: string;
  participants_json: string;
  /** the entries as typed, while a draft is pending (null once submitted: its entries are contributions) */
  draft_json: string | null;
  /** ids of the contributions the last submission made or kept */
  contributions_json: string;
  anomalies_json: string;
  updated_at: string;
  updated_by: string;
  submitted_at: string | null;
  submitted_by: string | null;
}

/** Migration 0010_jobs: the file an import job reads, until the job ends. */
export interface JobFileRow {
  job_id: string;
  content: Uint8Array;
}

/** Accounts and sessions of the web application (migration 0002_accounts). */
export interface UserRow {
  id: string;
  email: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled: number;
  /** migration 0027: when the account last opened a session (null: never, or before 0027) */
  last_sign_in_at: string | null;
}

/** Migration 0027_password_reset: a one-time link to set an account's password, stored hashed. */
export interface PasswordResetRow {
  token_hash: string;
  user_id: string;
  /** 'invite' (new account) | 'reset' */
  purpose: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** The audit log (0002): who did what, when, with the state before and after. */
export interface AuditRow {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  consultation: string | null;
  target_type: string;
  target_id: string;
  before_json: string | null;
  after_json: string | null;
  undone_at: string | null;
}

export interface ContributionPrivateRow {
  contribution_id: string;
  original_text: string;
  masked_json: string;
}

/** Migration 0025_contribution_area: the postcode typed on the public form (personal data, goes with its contribution). */
export interface ContributionAreaRow {
  contribution_id: string;
  consultation: string;
  postcode: string;
}

export interface PublishedSynthesisRow {
  id: string;
  consultation: string;
  level: string;
  territory: string;
  html: string;
  published_at: string;
  published_by: string;
  /** migration 0009: ids of the contributions the restitution counts or quotes (null: unknown, before 0009) */
  contributions_json: string | null;
  /** migration 0009: set when one of them stopped being public or changed after publication */
  stale_since: string | null;
  stale_reason: string | null;
}

/** Migration 0013: a contribution or an idea group an analyst marked as relevant to the national level. */
/** Migration 0028_easy_read: the easy-to-read summary (FALC) of a consultation's restitution, draft and published copy. */
export interface EasyReadSummaryRow {
  consultation: string;
  /** `{ title, sections: [{ heading, text }] }` */
  draft_json: string;
  updated_at: string;
  updated_by: string;
  /** the copy the public reads (null: never published, or withdrawn) */
  published_json: string | null;
  published_at: string | null;
  published_by: string | null;
}

export interface NationalMarkRow {
  consultation: string;
  target_type: 'contribution' | 'group';
  target_id: string;
  marked_by: string;
  marked_at: string;
}

/** The territory's indicators (migration 0003_indicators), one row per indicator and year. */
export interface IndicatorRow {
  territory: string;
  territory_level: string;
  id: string;
  label: string;
  unit: string | null;
  year: number;
  value: number | null;
  region_value: number | null;
  france_value: number | null;
  source: string | null;
  position: number;
}

/**
 * Every table of the schema, whatever migration created it: the one type of the store's Kysely instance
 * (`Store.db`), of its transactions and of every repository function.
 */
export interface Database extends PlanTables, LinkTables, FollowupTables, FollowupIndicatorTables, EngagementTables {
  consultations: ConsultationRow;
  territories: TerritoryRow;
  source_documents: SourceDocumentRow;
  meetings: MeetingRow;
  contributions: ContributionRow;
  contribution_themes: ContributionThemeRow;
  idea_groups: IdeaGroupRow;
  idea_members: IdeaMemberRow;
  syntheses: SynthesisRow;
  analysis_models: AnalysisModelRow;
  source_files: SourceFileRow;
  consultation_assignments: ConsultationAssignmentRow;
  rate_limits: RateLimitRow;
  contribution_counts: ContributionCountRow;
  jobs: JobRow;
  job_files: JobFileRow;
  users: UserRow;
  sessions: SessionRow;
  audit_log: AuditRow;
  contribution_private: ContributionPrivateRow;
  contribution_areas: ContributionAreaRow;
  published_syntheses: PublishedSynthesisRow;
  indicators: IndicatorRow;
  national_marks: NationalMarkRow;
  easy_read_summaries: EasyReadSummaryRow;
  meeting_reports: MeetingReportRow;
  password_resets: PasswordResetRow;
}

/** The database or a transaction on it: what repository functions that may run inside a transaction take. */
export type Db = Kysely<Database> | Transaction<Database>;

export type Dialect = 'sqlite' | 'postgres';

/**
 * What the modules the Store class itself uses (audit, staged imports) need of a store: its Kysely instance
 * and dialect. A Store is one; taking this instead of Store keeps them below store.ts (no import cycle).
 */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
}
