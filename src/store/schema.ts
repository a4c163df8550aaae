import type { Generated } from 'kysely';

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
  /** 'analyze' | 'synthesis' | 'import' (src/jobs/kinds.ts) */
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

/** Migration 0010_jobs: the file an import job reads, until the job ends. */
export interface JobFileRow {
  job_id: string;
  content: Uint8Array;
}

export interface Database {
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
}
