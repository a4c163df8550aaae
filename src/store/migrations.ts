import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { publicStatsMigration } from './migration-0007-public-stats.ts';
import { searchScopeMigration } from './migration-0011-search-scope.ts';
import { statementCountersMigration } from './migration-0012-statement-counters.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import type { Dialect } from './schema.ts';

export type { Dialect };

/**
 * Versioned migrations, applied in name order at start-up. Never edit a released migration:
 * add a new one. Where the two databases differ (full-text search), the migration branches.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        // Keyed by level too: INSEE région and département codes overlap ("75", "76"…).
        await db.schema.createTable('territories')
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('parent', 'text')
          .addPrimaryKeyConstraint('territories_pk', ['level', 'code'])
          .execute();

        await db.schema.createTable('consultations')
          .addColumn('slug', 'text', (c) => c.primaryKey())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('territory', 'text', (c) => c.notNull())
          .addColumn('territory_level', 'text')
          .addColumn('period_start', 'text')
          .addColumn('period_end', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('themes_json', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema.createTable('source_documents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('file_name', 'text', (c) => c.notNull())
          .addColumn('media_type', 'text', (c) => c.notNull())
          .addColumn('size_bytes', 'bigint', (c) => c.notNull())
          .addColumn('imported_at', 'text', (c) => c.notNull())
          .addColumn('parser', 'text', (c) => c.notNull())
          .addColumn('parser_version', 'text', (c) => c.notNull())
          .addColumn('warnings_json', 'text', (c) => c.notNull())
          .addColumn('syntheses_json', 'text', (c) => c.notNull())
          .execute();

        await db.schema.createTable('meetings')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('document_id', 'text', (c) => c.references('source_documents.id').onDelete('cascade'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('ref', 'text')
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('place', 'text')
          .addColumn('territory', 'text')
          .addColumn('date', 'text')
          .addColumn('date_text', 'text')
          .addColumn('time', 'text')
          .addColumn('p_elus', 'integer')
          .addColumn('p_institutionnels', 'integer')
          .addColumn('p_professionnels', 'integer')
          .addColumn('p_associations', 'integer')
          .addColumn('p_usagers', 'integer')
          .addColumn('p_autres', 'integer')
          .addColumn('p_total', 'integer')
          .addColumn('situation', 'text')
          .addColumn('deroulement', 'text')
          .addColumn('perspectives', 'text')
          .addColumn('source_json', 'text')
          .execute();
        await db.schema.createIndex('meetings_consultation').on('meetings').column('consultation').execute();

        // `seq` orders contributions by arrival; in SQLite it is the rowid, which FTS5 indexes by.
        const contributions = dialect === 'postgres'
          ? db.schema.createTable('contributions')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
          : db.schema.createTable('contributions')
            .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
            .addColumn('id', 'text', (c) => c.notNull().unique());
        await contributions
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('document_id', 'text', (c) => c.references('source_documents.id').onDelete('cascade'))
          .addColumn('meeting', 'text', (c) => c.references('meetings.id').onDelete('set null'))
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('author_college', 'text')
          .addColumn('author_pseudonym', 'text')
          .addColumn('territory', 'text')
          .addColumn('date', 'text')
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('raw_text', 'text')
          .addColumn('kind', 'text')
          .addColumn('kind_provenance_json', 'text')
          .addColumn('category', 'text')
          .addColumn('moderation_status', 'text', (c) => c.notNull())
          .addColumn('moderation_reason', 'text')
          .addColumn('moderation_by', 'text')
          .addColumn('moderation_at', 'text')
          .addColumn('source_json', 'text', (c) => c.notNull())
          .addColumn('search_terms', 'text')
          .execute();
        await db.schema.createIndex('contributions_consultation_seq').on('contributions').columns(['consultation', 'seq']).execute();
        await db.schema.createIndex('contributions_document').on('contributions').column('document_id').execute();

        await db.schema.createTable('contribution_themes')
          .addColumn('contribution_id', 'text', (c) => c.notNull().references('contributions.id').onDelete('cascade'))
          .addColumn('theme', 'text', (c) => c.notNull())
          .addColumn('assigned_by', 'text', (c) => c.notNull())
          .addColumn('provenance_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('contribution_themes_pk', ['contribution_id', 'theme'])
          .execute();

        await db.schema.createTable('idea_groups')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('parent', 'text', (c) => c.references('idea_groups.id').onDelete('cascade'))
          .addColumn('theme', 'text')
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('label_by_human', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('quotes_json', 'text', (c) => c.notNull())
          .addColumn('lineage_json', 'text', (c) => c.notNull())
          .addColumn('stated_count', 'integer')
          .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.createIndex('idea_groups_consultation').on('idea_groups').column('consultation').execute();

        await db.schema.createTable('idea_members')
          .addColumn('group_id', 'text', (c) => c.notNull().references('idea_groups.id').onDelete('cascade'))
          .addColumn('contribution_id', 'text', (c) => c.notNull().references('contributions.id').onDelete('cascade'))
          .addColumn('provenance_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('idea_members_pk', ['group_id', 'contribution_id'])
          .execute();

        await db.schema.createTable('syntheses')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('territory', 'text', (c) => c.notNull())
          .addColumn('generated_at', 'text', (c) => c.notNull())
          .addColumn('model_json', 'text', (c) => c.notNull())
          .addColumn('editorial_json', 'text', (c) => c.notNull())
          .execute();

        // French full-text search over contributions.
        if (dialect === 'sqlite') {
          // External-content FTS5 table over the stemmed column, kept in sync by triggers.
          await sql`CREATE VIRTUAL TABLE contributions_fts USING fts5(search_terms, content='contributions', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')`.execute(db);
          await sql`CREATE TRIGGER contributions_fts_ai AFTER INSERT ON contributions BEGIN
            INSERT INTO contributions_fts(rowid, search_terms) VALUES (new.seq, new.search_terms); END`.execute(db);
          await sql`CREATE TRIGGER contributions_fts_ad AFTER DELETE ON contributions BEGIN
            INSERT INTO contributions_fts(contributions_fts, rowid, search_terms) VALUES ('delete', old.seq, old.search_terms); END`.execute(db);
          await sql`CREATE TRIGGER contributions_fts_au AFTER UPDATE OF search_terms ON contributions BEGIN
            INSERT INTO contributions_fts(contributions_fts, rowid, search_terms) VALUES ('delete', old.seq, old.search_terms);
            INSERT INTO contributions_fts(rowid, search_terms) VALUES (new.seq, new.search_terms); END`.execute(db);
        } else {
          await sql`CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public`.execute(db);
          await sql`DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fabrique_fr' AND cfgnamespace = current_schema()::regnamespace) THEN
              CREATE TEXT SEARCH CONFIGURATION fabrique_fr (COPY = french);
              ALTER TEXT SEARCH CONFIGURATION fabrique_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
            END IF; END $$`.execute(db);
          await sql`ALTER TABLE contributions ADD COLUMN search_vector tsvector
            GENERATED ALWAYS AS (to_tsvector('fabrique_fr'::regconfig, text)) STORED`.execute(db);
          await sql`CREATE INDEX contributions_search ON contributions USING gin (search_vector)`.execute(db);
        }
      },
    },
    '0002_accounts': {
      // Web application: accounts, sessions, audit log, originals of pseudonymised texts, published restitutions.
      async up(db: Kysely<any>) {
        await db.schema.createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();

        await db.schema.createTable('sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

        const audit = dialect === 'postgres'
          ? db.schema.createTable('audit_log').addColumn('id', 'bigserial', (c) => c.primaryKey())
          : db.schema.createTable('audit_log').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await audit
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('consultation', 'text')
          .addColumn('target_type', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text', (c) => c.notNull())
          .addColumn('before_json', 'text')
          .addColumn('after_json', 'text')
          .addColumn('undone_at', 'text')
          .execute();
        await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'id']).execute();

        await db.schema.createTable('contribution_private')
          .addColumn('contribution_id', 'text', (c) => c.primaryKey().references('contributions.id').onDelete('cascade'))
          .addColumn('original_text', 'text', (c) => c.notNull())
          .addColumn('masked_json', 'text', (c) => c.notNull())
          .execute();

        await db.schema.createTable('published_syntheses')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('territory', 'text', (c) => c.notNull())
          .addColumn('html', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('published_by', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0003_indicators': {
      // The territory's indicators ("data repère"): one row per indicator and year, with the région and
      // France values to compare with. A null value is a figure missing in the source, never replaced.
      async up(db: Kysely<any>) {
        await db.schema.createTable('indicators')
          .addColumn('territory', 'text', (c) => c.notNull())
          .addColumn('territory_level', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('unit', 'text')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('value', 'double precision')
          .addColumn('region_value', 'double precision')
          .addColumn('france_value', 'double precision')
          .addColumn('source', 'text')
          .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('indicators_pk', ['territory_level', 'territory', 'id', 'year'])
          .execute();
      },
    },
    '0004_analysis_models': {
      // The models an analysis trained (theme and kind classifiers), with their metadata, so every
      // model assignment can be traced to the model that made it.
      async up(db: Kysely<any>) {
        await db.schema.createTable('analysis_models')
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('metadata_json', 'text', (c) => c.notNull())
          .addColumn('model_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('analysis_models_pk', ['consultation', 'purpose', 'version'])
          .execute();
      },
    },
    '0008_source_files': {
      // The original bytes of each imported document, so a consultation archive can carry its sources.
      // Keyed by document id and cascading with it: no stored file outlives the document it came from.
      async up(db: Kysely<any>) {
        await db.schema.createTable('source_files')
          .addColumn('document_id', 'text', (c) => c.primaryKey().references('source_documents.id').onDelete('cascade'))
          .addColumn('content', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
          .execute();
      },
    },
    '0005_account_hygiene': {
      // Facilitators work only on the consultations they are assigned to (admin and analyst are not scoped).
      async up(db: Kysely<any>) {
        await db.schema.createTable('consultation_assignments')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('assigned_at', 'text', (c) => c.notNull())
          .addColumn('assigned_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('consultation_assignments_pk', ['user_id', 'consultation'])
          .execute();
        await db.schema.createIndex('consultation_assignments_consultation').on('consultation_assignments').column('consultation').execute();
      },
    },
    '0006_rate_limits': {
      // Rate-limit counters and login lockouts, shared by every process serving the same database.
      // One row per key (e.g. "form|ip:203.0.113.7"): hits in the current window and when it ends
      // (milliseconds since the epoch); expired rows are deleted from time to time.
      async up(db: Kysely<any>) {
        await db.schema.createTable('rate_limits')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('hits', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rate_limits_expires_at').on('rate_limits').column('expires_at').execute();
      },
    },
    '0009_publication': {
      // Publication of a source document as a whole by a named person (otherwise its contributions are
      // moderated one by one), and what a published restitution relies on, to flag it stale when one of
      // those contributions stops being public.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('source_documents').addColumn('published_by', 'text').execute();
        await db.schema.alterTable('source_documents').addColumn('published_at', 'text').execute();
        await db.schema.alterTable('published_syntheses').addColumn('contributions_json', 'text').execute();
        await db.schema.alterTable('published_syntheses').addColumn('stale_since', 'text').execute();
        await db.schema.alterTable('published_syntheses').addColumn('stale_reason', 'text').execute();
      },
    },
    '0010_jobs': {
      // Long work (imports of large files, analysis, synthesis generation) as jobs: the state the web app
      // and the CLI show (step, progress, result or error) and the lease of the process running it
      // (locked_by, locked_until in ms since the epoch, renewed by a heartbeat), so a job whose process
      // died is taken over by another. On PostgreSQL, pg-boss delivers the jobs to workers (its own schema);
      // this table stays the user-visible state. `dedupe_key`: at most one queued or running job per key.
      // `consultation` is not a foreign key: a job asked for an unknown consultation fails with its error.
      async up(db: Kysely<any>) {
        await db.schema.createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('consultation', 'text')
          .addColumn('input_json', 'text', (c) => c.notNull())
          .addColumn('dedupe_key', 'text')
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('step', 'text')
          .addColumn('step_label', 'text')
          .addColumn('progress_done', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('progress_total', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('steps_json', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('result_json', 'text')
          .addColumn('error_json', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_by', 'text')
          .addColumn('locked_until', 'bigint')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text')
          .addColumn('finished_at', 'text')
          .execute();
        await db.schema.createIndex('jobs_state').on('jobs').columns(['state', 'created_at']).execute();
        await db.schema.createIndex('jobs_consultation').on('jobs').columns(['consultation', 'created_at']).execute();
        await sql`CREATE UNIQUE INDEX jobs_active_key ON jobs (dedupe_key) WHERE state IN ('queued', 'running')`.execute(db);
        // the uploaded file of an import job, for whichever worker runs it; deleted when the job ends
        await db.schema.createTable('job_files')
          .addColumn('job_id', 'text', (c) => c.primaryKey().references('jobs.id').onDelete('cascade'))
          .addColumn('content', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
          .execute();
      },
    },
    '0016_meeting_reports': {
      // One typed-in report per meeting: a draft (kept as typed, not yet contributions) or submitted (its
      // entries are contributions, listed so that a resubmission updates them instead of adding copies),
      // with the anomalies found in it. And the end date up to which an administrator reopened a
      // consultation past its period (the published period itself is left as it was).
      async up(db: Kysely<any>) {
        await db.schema.createTable('meeting_reports')
          .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id').onDelete('cascade'))
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('participants_json', 'text', (c) => c.notNull())
          .addColumn('draft_json', 'text')
          .addColumn('contributions_json', 'text', (c) => c.notNull())
          .addColumn('anomalies_json', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addColumn('submitted_at', 'text')
          .addColumn('submitted_by', 'text')
          .execute();
        await db.schema.createIndex('meeting_reports_consultation').on('meeting_reports').column('consultation').execute();
        await db.schema.alterTable('consultations').addColumn('reopened_until', 'text').execute();
      },
    },
    // Counters of contributions per consultation, dimension, value and moderation status (see the module).
    '0007_public_stats': publicStatsMigration(dialect),
    // The full-text index holds each contribution's consultation and moderation status (see the module).
    '0011_search_scope': searchScopeMigration(dialect),
    // PostgreSQL keeps the counters with statement-level triggers (see the module).
    '0012_statement_counters': statementCountersMigration(dialect),
    '0013_synthesis_editorial': {
      // An analyst's decision that a contribution or an idea group "relève du niveau national": the restitution
      // lists them in its national section. Kept apart from the contribution's category, which the source wrote.
      async up(db: Kysely<any>) {
        await db.schema.createTable('national_marks')
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('target_type', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text', (c) => c.notNull())
          .addColumn('marked_by', 'text', (c) => c.notNull())
          .addColumn('marked_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('national_marks_pk', ['consultation', 'target_type', 'target_id'])
          .execute();
      },
    },
    // Categories are pseudonymised on write since this version (a workshop report's heading may name a person,
    // and it is published as an idea label): those stored before are masked the same way, once. Data only.
    '0015_quotes': {
      async up(db: Kysely<any>) {
        const rows = await db.selectFrom('contributions').select('category').distinct().where('category', 'is not', null).execute() as { category: string }[];
        for (const { category } of rows) {
          const masked = pseudonymise(category).text;
          if (masked !== category) await db.updateTable('contributions').set({ category: masked }).where('category', '=', category).execute();
        }
      },
    },
    '0019_plan': {
      // The schéma territorial de santé (issue 13). The catalogue is regional: the schemes of one région share
      // its codes (E1D4O6) and keep one title per code; each plan keeps the title it prints in plan_elements.
      // A plan belongs to its département and optionally to the consultation it answers (set null when that
      // consultation is deleted). Its data repère go to the existing indicators table (0003).
      async up(db: Kysely<any>) {
        await db.schema.createTable('plan_catalogue')
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('first_plan', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('plan_catalogue_pk', ['region', 'code'])
          .execute();
        await db.schema.createTable('plans')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('territory', 'text', (c) => c.notNull())
          .addColumn('territory_name', 'text', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('period_start', 'integer')
          .addColumn('period_end', 'integer')
          .addColumn('document_sha256', 'text', (c) => c.notNull())
          .addColumn('file_name', 'text', (c) => c.notNull())
          .addColumn('media_type', 'text', (c) => c.notNull())
          .addColumn('size_bytes', 'bigint', (c) => c.notNull())
          .addColumn('parser', 'text', (c) => c.notNull())
          .addColumn('parser_version', 'text', (c) => c.notNull())
          .addColumn('consultation', 'text', (c) => c.references('consultations.slug').onDelete('set null'))
          .addColumn('missing_figures_json', 'text', (c) => c.notNull())
          .addColumn('source_json', 'text', (c) => c.notNull())
          .addColumn('imported_at', 'text', (c) => c.notNull())
          .addColumn('imported_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('plans_territory').on('plans').columns(['territory', 'consultation']).execute();
        await db.schema.createIndex('plans_document').on('plans').column('document_sha256').execute();
        const child = (name: string) => db.schema.createTable(name)
          .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'));
        await child('plan_elements')
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('parent_code', 'text')
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('enjeux', 'text')
          .addColumn('defi_a_relever', 'text')
          .addColumn('constats', 'text')
          .addColumn('objectif', 'text')
          .addColumn('resultats_attendus', 'text')
          .addColumn('chiffres_cles', 'text')
          .addColumn('parole_citoyen', 'text')
          .addColumn('objectif_regional', 'text')
          .addColumn('themes_json', 'text', (c) => c.notNull())
          .addColumn('parcours_json', 'text', (c) => c.notNull())
          .addColumn('mots_cles_json', 'text', (c) => c.notNull())
          .addColumn('listed_objectives_json', 'text', (c) => c.notNull())
          .addColumn('resultats_items_json', 'text', (c) => c.notNull())
          .addColumn('source_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('plan_elements_pk', ['plan_id', 'code'])
          .execute();
        await child('plan_actions')
          .addColumn('objective_code', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('placement', 'text', (c) => c.notNull())
          .addColumn('source_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('plan_actions_pk', ['plan_id', 'objective_code', 'position'])
          .execute();
        await child('plan_oqos')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('activity', 'text', (c) => c.notNull())
          .addColumn('activity_index', 'integer', (c) => c.notNull())
          .addColumn('table_title', 'text', (c) => c.notNull())
          .addColumn('table_index', 'integer', (c) => c.notNull())
          .addColumn('regime', 'text')
          .addColumn('zone', 'text')
          .addColumn('modalite', 'text')
          .addColumn('mention', 'text')
          .addColumn('mention_na', 'integer', (c) => c.notNull())
          .addColumn('group_label', 'text')
          .addColumn('existing_json', 'text')
          .addColumn('target_json', 'text')
          .addColumn('cells_json', 'text', (c) => c.notNull())
          .addColumn('starred', 'integer', (c) => c.notNull())
          .addColumn('raw', 'text', (c) => c.notNull())
          .addColumn('source_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('plan_oqos_pk', ['plan_id', 'position'])
          .execute();
        await child('plan_items')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('section', 'text', (c) => c.notNull())
          .addColumn('group_label', 'text')
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('source_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('plan_items_pk', ['plan_id', 'position'])
          .execute();
        await child('plan_warnings')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('source_json', 'text')
          .addPrimaryKeyConstraint('plan_warnings_pk', ['plan_id', 'position'])
          .execute();
      },
    },
    '0020_links': {
      // Traceability (issue 14): what people said linked to the plan's elements. A link belongs to its plan
      // (cascade: a replaced plan's decisions are carried over by savePlan before it goes) and to the consultation
      // of its source (cascade; a plan item's link is detached first by deleteConsultation, the plan staying).
      // Sources have no foreign key (three kinds): their deletion removes their links in the same transaction.
      // One row per source and target, a null target (national, not taken up) once per source.
      async up(db: Kysely<any>) {
        await db.schema.createTable('plan_links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
          .addColumn('consultation', 'text', (c) => c.references('consultations.slug').onDelete('cascade'))
          .addColumn('source_kind', 'text', (c) => c.notNull())
          .addColumn('source_id', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('score', 'double precision')
          .addColumn('evidence_json', 'text', (c) => c.notNull())
          .addColumn('model', 'text')
          .addColumn('model_version', 'text')
          .addColumn('note', 'text')
          .addColumn('decided_by', 'text')
          .addColumn('decided_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await sql`CREATE UNIQUE INDEX plan_links_key ON plan_links (plan_id, source_kind, source_id, COALESCE(target, ''))`.execute(db);
        await db.schema.createIndex('plan_links_source').on('plan_links').columns(['consultation', 'source_kind', 'source_id']).execute();
        // one row per decision: the touched links before and after it, what an undo restores (notes included,
        // which the audit entry leaves out)
        const history = dialect === 'postgres'
          ? db.schema.createTable('plan_link_history').addColumn('id', 'bigserial', (c) => c.primaryKey())
          : db.schema.createTable('plan_link_history').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await history
          .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
          .addColumn('consultation', 'text', (c) => c.references('consultations.slug').onDelete('cascade'))
          .addColumn('link_id', 'text', (c) => c.notNull())
          .addColumn('source_kind', 'text', (c) => c.notNull())
          .addColumn('source_id', 'text', (c) => c.notNull())
          .addColumn('decision', 'text', (c) => c.notNull())
          .addColumn('before_json', 'text', (c) => c.notNull())
          .addColumn('after_json', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('undone_at', 'text')
          .execute();
        await db.schema.createIndex('plan_link_history_link').on('plan_link_history').columns(['plan_id', 'link_id', 'id']).execute();
        await db.schema.createIndex('plan_link_history_source').on('plan_link_history').columns(['consultation', 'source_kind', 'source_id']).execute();
      },
    },
    '0021_link_fit': {
      // Link model 2 decides « nothing fits » on the source's fit (the plan's action fields), not on the candidates'
      // scores: a suggested row keeps that fit so the review page can say so without ranking again.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('plan_links').addColumn('source_fit', 'double precision').execute();
      },
    },
    '0022_actions': {
      // Follow-up (issue 15): the actions that carry out a plan's objectives, and one timeline row per change.
      // They belong to their plan (cascade) and name their objective by code (renamed with it, like plan_actions).
      async up(db: Kysely<any>) {
        await db.schema.createTable('followup_actions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
          .addColumn('objective_code', 'text', (c) => c.notNull())
          .addColumn('parent_id', 'text', (c) => c.references('followup_actions.id').onDelete('cascade'))
          .addColumn('weight', 'double precision', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('owner_organisation', 'text')
          .addColumn('owner_contact', 'text')
          .addColumn('partners_json', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('status_reason', 'text')
          .addColumn('start_date', 'text')
          .addColumn('due_date', 'text')
          .addColumn('progress', 'double precision')
          .addColumn('budget', 'double precision')
          .addColumn('source_json', 'text')
          .addColumn('import_key', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // an imported plan action once per plan (NULL keys, hand-made actions, are distinct in both engines)
        await db.schema.createIndex('followup_actions_import').on('followup_actions').columns(['plan_id', 'import_key']).unique().execute();
        await db.schema.createIndex('followup_actions_objective').on('followup_actions').columns(['plan_id', 'objective_code']).execute();
        const timeline = dialect === 'postgres'
          ? db.schema.createTable('followup_timeline').addColumn('id', 'bigserial', (c) => c.primaryKey())
          : db.schema.createTable('followup_timeline').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await timeline
          .addColumn('action_id', 'text', (c) => c.notNull().references('followup_actions.id').onDelete('cascade'))
          .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('changes_json', 'text', (c) => c.notNull())
          .addColumn('comment', 'text')
          .execute();
        await db.schema.createIndex('followup_timeline_action').on('followup_timeline').columns(['action_id', 'id']).execute();
      },
    },
    '0023_followup_indicators': {
      // Follow-up indicators of a plan (issue 15), not the territory's data repère (table `indicators`): a baseline,
      // a target, measurements over time. They belong to their plan (cascade).
      async up(db: Kysely<any>) {
        await db.schema.createTable('followup_indicators')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
          .addColumn('objective_code', 'text')
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('unit', 'text', (c) => c.notNull())
          .addColumn('territory', 'text', (c) => c.notNull())
          .addColumn('baseline_value', 'double precision', (c) => c.notNull())
          .addColumn('baseline_date', 'text')
          .addColumn('baseline_source', 'text', (c) => c.notNull())
          .addColumn('baseline_source_json', 'text')
          .addColumn('target_kind', 'text', (c) => c.notNull())
          .addColumn('target_value', 'double precision')
          .addColumn('target_min', 'double precision')
          .addColumn('target_max', 'double precision')
          .addColumn('target_direction', 'text')
          .addColumn('due_date', 'text')
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('origin_key', 'text')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        // one indicator per OQOS row of a plan: what makes their creation idempotent
        await sql`CREATE UNIQUE INDEX followup_indicators_origin ON followup_indicators (plan_id, origin_key)`.execute(db);
        await db.schema.createTable('followup_measurements')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('indicator_id', 'text', (c) => c.notNull().references('followup_indicators.id').onDelete('cascade'))
          .addColumn('value', 'double precision', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('entered_by', 'text', (c) => c.notNull())
          .addColumn('entered_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('followup_measurements_indicator').on('followup_measurements').columns(['indicator_id', 'date']).execute();
      },
    },
    '0024_action_accounts': {
      // Who manages a follow-up action (issue 15): the accounts (owners, facilitators) that may update it besides the
      // analysts. Derived from both the action and the account: deleting either removes the row (cascade, and
      // deleteUser deletes them explicitly as it does the consultation assignments).
      async up(db: Kysely<any>) {
        await db.schema.createTable('action_accounts')
          .addColumn('action_id', 'text', (c) => c.notNull().references('followup_actions.id').onDelete('cascade'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('assigned_at', 'text', (c) => c.notNull())
          .addColumn('assigned_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('action_accounts_pk', ['action_id', 'user_id'])
          .execute();
        await db.schema.createIndex('action_accounts_user').on('action_accounts').columns(['user_id', 'action_id']).execute();
      },
    },
    '0026_engagement': {
      // Issue 16 (point 5): « signaler un contenu » on published contributions, and subscriptions to a consultation's
      // news with their one-time tokens (hashes only) and an outbox of messages. Reports go with their contribution,
      // tokens and messages with their subscription, subscriptions with their consultation (cascade).
      async up(db: Kysely<any>) {
        await db.schema.createTable('content_reports')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('contribution_id', 'text', (c) => c.notNull().references('contributions.id').onDelete('cascade'))
          .addColumn('consultation', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('details', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('content_reports_consultation').on('content_reports').columns(['consultation', 'contribution_id']).execute();
        await db.schema.createIndex('content_reports_contribution').on('content_reports').columns(['contribution_id']).execute();
        await db.schema.createTable('mail_subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('email_hash', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('confirmed_at', 'text')
          .execute();
        await db.schema.createIndex('mail_subscriptions_address').on('mail_subscriptions').columns(['consultation', 'email_hash']).unique().execute();
        await db.schema.createIndex('mail_subscriptions_hash').on('mail_subscriptions').columns(['email_hash']).execute();
        await db.schema.createTable('mail_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('subscription_id', 'text', (c) => c.notNull().references('mail_subscriptions.id').onDelete('cascade'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('mail_tokens_subscription').on('mail_tokens').columns(['subscription_id']).execute();
        await db.schema.createTable('mail_outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subscription_id', 'text', (c) => c.notNull().references('mail_subscriptions.id').onDelete('cascade'))
          .addColumn('consultation', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('to_masked', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('claimed_at', 'text')
          .addColumn('sent_at', 'text')
          .execute();
        await db.schema.createIndex('mail_outbox_status').on('mail_outbox').columns(['status', 'created_at']).execute();
        await db.schema.createIndex('mail_outbox_subscription').on('mail_outbox').columns(['subscription_id']).execute();
      },
    },
    '0028_easy_read': {
      // The easy-to-read summary (FALC) of a consultation's restitution (issue 16): written in the back office, a
      // title and short sections; the published version is a copy taken when an analyst publishes it, so the draft
      // can change without touching what the public reads. Written by staff, about the consultation: it goes with it
      // (cascade) and is archived with it.
      async up(db: Kysely<any>) {
        await db.schema.createTable('easy_read_summaries')
          .addColumn('consultation', 'text', (c) => c.primaryKey().references('consultations.slug').onDelete('cascade'))
          .addColumn('draft_json', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addColumn('published_json', 'text')
          .addColumn('published_at', 'text')
          .addColumn('published_by', 'text')
          .execute();
      },
    },
    '0025_contribution_area': {
      // Where a contribution from the public form comes from, finer than its département (issue 16, the map): the
      // postcode as typed, nothing else (no commune chosen for it, no address). Personal data, derived from the
      // contribution: it goes with it (cascade, and src/store/deletion.ts deletes it explicitly). Only counts of
      // published contributions per area of at least 5 ever leave (src/usecases/map.ts).
      async up(db: Kysely<any>) {
        await db.schema.createTable('contribution_areas')
          .addColumn('contribution_id', 'text', (c) => c.primaryKey().references('contributions.id').onDelete('cascade'))
          .addColumn('consultation', 'text', (c) => c.notNull().references('consultations.slug').onDelete('cascade'))
          .addColumn('postcode', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('contribution_areas_consultation').on('contribution_areas').columns(['consultation', 'postcode']).execute();
      },
    },
    '0027_password_reset': {
      // Account management from the back office (issue 16): the one-time links an administrator passes on so that a
      // person sets their own password (a new account, or a reset), valid 24 hours, stored as the SHA-256 of the
      // token (never the token); and when each account last signed in. A link belongs to its account (cascade, and
      // deleteUser deletes them explicitly).
      async up(db: Kysely<any>) {
        await db.schema.createTable('password_resets')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .execute();
        await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute();
        await db.schema.alterTable('users').addColumn('last_sign_in_at', 'text').execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
