import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Selectable, type Transaction } from 'kysely';
import pg from 'pg';
import type { Consultation, ConsultationStats } from '../domain/consultation.ts';
import type { Contribution, ThemeAssignment, Provenance } from '../domain/contribution.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import type { Meeting } from '../domain/meeting.ts';
import type { ImportWarning, SourceDocument } from '../domain/source.ts';
import type { HumanSynthesisItem } from '../domain/synthesis.ts';
import type { Territory } from '../domain/territory.ts';
import type { ParsedDocument } from '../ingest/types.ts';
import { migrationProvider, type Dialect } from './migrations.ts';
import type { ContributionRow as ContributionTable, Database, MeetingRow } from './schema.ts';

type ContributionRow = Selectable<ContributionTable>;
import { ftsMatch, pgTsQuery, searchTerms } from './search-terms.ts';
import { countedStats, countFromCounters, type CountScope } from './public-stats.ts';
import { StoreError } from './errors.ts';

export interface StoreConfig {
  /** postgres://… to use PostgreSQL; otherwise the SQLite file `sqlitePath` */
  databaseUrl?: string;
  /** SQLite file, or ":memory:" */
  sqlitePath?: string;
  /** PostgreSQL only: a schema to work in (created if missing), used to isolate test runs */
  pgSchema?: string;
}

export const DEFAULT_SQLITE_PATH = 'data/fabrique.sqlite';

/** Configuration from the environment: DATABASE_URL (PostgreSQL) or FABRIQUE_DB (SQLite file). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) return { databaseUrl: url };
  return { sqlitePath: env.FABRIQUE_DB?.trim() || DEFAULT_SQLITE_PATH };
}

export type ImportOutcome = 'imported' | 'replaced' | 'unchanged';

export interface ImportResult {
  outcome: ImportOutcome;
  documentId: string;
  fileName: string;
  parser: string;
  meetings: number;
  contributions: number;
  syntheses: number;
  warnings: ImportWarning[];
}

export interface ContributionFilter {
  theme?: string;
  kind?: string;
  meeting?: string;
  college?: string;
  channel?: string;
  moderation?: string;
  documentId?: string;
  /** restrict to these ids */
  ids?: string[];
}

export type { ConsultationStats };

const INSERT_BATCH = 200;

/** The persistence layer: one API over SQLite (embedded default) and PostgreSQL. */
export class Store {
  private constructor(readonly db: Kysely<Database>, readonly dialect: Dialect, readonly location: string) {}

  static async open(config: StoreConfig = configFromEnv()): Promise<Store> {
    let store: Store;
    if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) {
      const schema = config.pgSchema;
      if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new StoreError(`Nom de schéma invalide : ${schema}`);
      const pool = new pg.Pool({
        connectionString: config.databaseUrl,
        max: 4,
        ...(schema ? { options: `-c search_path=${schema},public` } : {}),
      });
      // bigint columns (sizes, counts) come back as strings by default.
      pg.types.setTypeParser(20, (v) => Number(v));
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
      store = new Store(db, 'postgres', config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@'));
    } else if (config.databaseUrl) {
      throw new StoreError(`DATABASE_URL doit commencer par postgres:// (reçu : ${config.databaseUrl.split(':')[0]}:…)`);
    } else {
      const path = config.sqlitePath ?? DEFAULT_SQLITE_PATH;
      if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
      const database = new SQLite(path);
      database.pragma('journal_mode = WAL');
      database.pragma('foreign_keys = ON');
      database.pragma('busy_timeout = 5000');
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
      store = new Store(db, 'sqlite', path === ':memory:' ? path : resolve(path));
    }
    await store.migrate();
    return store;
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.dialect) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw new StoreError(`Échec de la migration de la base : ${(error as Error).message ?? error}`);
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ---- territories and consultations ----

  async upsertTerritory(t: Territory): Promise<void> {
    await this.db.insertInto('territories')
      .values({ code: t.code, name: t.name, level: t.level, parent: t.parent ?? null })
      .onConflict((oc) => oc.columns(['level', 'code']).doUpdateSet({ name: t.name, parent: t.parent ?? null }))
      .execute();
  }

  /** The territory with that code; give the level when the code may be a région or a département. */
  async getTerritory(code: string, level?: Territory['level']): Promise<Territory | undefined> {
    let q = this.db.selectFrom('territories').selectAll().where('code', '=', code);
    if (level) q = q.where('level', '=', level);
    const r = await q.orderBy('level').executeTakeFirst();
    return r ? { code: r.code, name: r.name, level: r.level as Territory['level'], ...(r.parent ? { parent: r.parent } : {}) } : undefined;
  }

  /** Creates the consultation or updates its descriptive fields; returns whether it was created. */
  async upsertConsultation(c: Consultation): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('consultations').select('slug').where('slug', '=', c.slug).executeTakeFirst();
      const row = {
        title: c.title,
        territory: c.territory,
        territory_level: c.territoryLevel ?? null,
        period_start: c.periodStart ?? null,
        period_end: c.periodEnd ?? null,
        status: c.status,
        description: c.description ?? null,
        themes_json: JSON.stringify(c.themes),
      };
      if (existing) {
        await trx.updateTable('consultations').set(row).where('slug', '=', c.slug).execute();
        return false;
      }
      await trx.insertInto('consultations').values({ slug: c.slug, ...row, created_at: new Date().toISOString() }).execute();
      return true;
    });
  }

  async getConsultation(slug: string): Promise<Consultation | undefined> {
    const r = await this.db.selectFrom('consultations').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? consultationFromRow(r) : undefined;
  }

  /** Like getConsultation, but a missing consultation is a user error with a helpful message. */
  async requireConsultation(slug: string): Promise<Consultation> {
    const c = await this.getConsultation(slug);
    if (!c) {
      const known = (await this.listConsultations()).map((x) => x.slug);
      throw new StoreError(`Consultation inconnue : « ${slug} »` +
        (known.length ? ` (consultations existantes : ${known.join(', ')})` : ' (aucune consultation : lancez « fabrique demo » ou créez-en une)'));
    }
    return c;
  }

  async listConsultations(): Promise<Consultation[]> {
    const rows = await this.db.selectFrom('consultations').selectAll().orderBy('created_at').orderBy('slug').execute();
    return rows.map(consultationFromRow);
  }

  // ---- meetings ----

  /** Meetings declared outside any document (e.g. a consultation file); replaced by id. */
  async upsertMeetings(meetings: Meeting[]): Promise<void> {
    if (meetings.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const m of meetings) {
        const row = meetingToRow(m, null);
        const { id: _id, ...rest } = row;
        await trx.insertInto('meetings').values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(rest))
          .execute();
      }
    });
  }

  async listMeetings(consultation: string): Promise<Meeting[]> {
    const rows = await this.db.selectFrom('meetings').selectAll().where('consultation', '=', consultation)
      .orderBy('ref').orderBy('date').orderBy('id').execute();
    return rows.map(meetingFromRow);
  }

  // ---- documents and imports ----

  async getDocument(id: string): Promise<(SourceDocument & { consultation: string }) | undefined> {
    const r = await this.db.selectFrom('source_documents').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? documentFromRow(r) : undefined;
  }

  async listDocuments(consultation: string): Promise<(SourceDocument & { consultation: string })[]> {
    const rows = await this.db.selectFrom('source_documents').selectAll().where('consultation', '=', consultation)
      .orderBy('imported_at').execute();
    return rows.map(documentFromRow);
  }

  async documentSyntheses(id: string): Promise<HumanSynthesisItem[]> {
    const r = await this.db.selectFrom('source_documents').select('syntheses_json').where('id', '=', id).executeTakeFirst();
    return r ? JSON.parse(r.syntheses_json) as HumanSynthesisItem[] : [];
  }

  /**
   * Stores a parsed document and everything in it, atomically. The same bytes imported again are a
   * no-op; the same bytes read by a newer parser version replace that document's items. Human
   * decisions on replaced contributions (themes, moderation) are carried over when ids are stable.
   */
  async importParsed(consultation: string, parsed: ParsedDocument): Promise<ImportResult> {
    const base = {
      documentId: parsed.documentId, fileName: parsed.fileName, parser: parsed.parser,
      meetings: parsed.meetings.length, contributions: parsed.contributions.length,
      syntheses: parsed.syntheses.length, warnings: parsed.warnings,
    };
    return this.db.transaction().execute(async (trx) => {
      const consultationRow = await trx.selectFrom('consultations').selectAll().where('slug', '=', consultation).executeTakeFirst();
      if (!consultationRow) throw new StoreError(`Consultation inconnue : « ${consultation} »`);
      const existing = await trx.selectFrom('source_documents').selectAll().where('id', '=', parsed.documentId).executeTakeFirst();
      if (existing && existing.consultation !== consultation) {
        throw new StoreError(`Le fichier « ${parsed.fileName} » est déjà importé dans la consultation « ${existing.consultation} ».`);
      }
      if (existing && existing.parser === parsed.parser && existing.parser_version === parsed.parserVersion) {
        return { ...base, outcome: 'unchanged' as const, warnings: JSON.parse(existing.warnings_json) as ImportWarning[] };
      }

      let humanThemes: { contribution_id: string; theme: string; assigned_by: string; provenance_json: string }[] = [];
      if (existing) {
        humanThemes = await trx.selectFrom('contribution_themes')
          .innerJoin('contributions', 'contributions.id', 'contribution_themes.contribution_id')
          .select(['contribution_themes.contribution_id', 'contribution_themes.theme', 'contribution_themes.assigned_by', 'contribution_themes.provenance_json'])
          .where('contributions.document_id', '=', parsed.documentId)
          .where('contribution_themes.assigned_by', '=', 'human')
          .execute();
        // Cascades remove the document's meetings, contributions and their theme assignments.
        await trx.deleteFrom('contributions').where('document_id', '=', parsed.documentId).execute();
        await trx.deleteFrom('meetings').where('document_id', '=', parsed.documentId).execute();
        await trx.deleteFrom('source_documents').where('id', '=', parsed.documentId).execute();
      }

      await trx.insertInto('source_documents').values({
        id: parsed.documentId,
        consultation,
        file_name: parsed.fileName,
        media_type: parsed.mediaType,
        size_bytes: parsed.sizeBytes,
        imported_at: new Date().toISOString(),
        parser: parsed.parser,
        parser_version: parsed.parserVersion,
        warnings_json: JSON.stringify(parsed.warnings),
        syntheses_json: JSON.stringify(parsed.syntheses),
      }).execute();

      if (parsed.themes.length > 0) await addLocalThemes(trx, consultation, consultationRow.themes_json, parsed.themes);

      for (const m of parsed.meetings) {
        if (m.consultation !== consultation) m.consultation = consultation;
      }
      await insertBatches(parsed.meetings.map((m) => meetingToRow(m, parsed.documentId)), (rows) => trx.insertInto('meetings').values(rows).execute());
      await this.insertContributions(trx, consultation, parsed.contributions, parsed.documentId);

      const surviving = new Set(parsed.contributions.map((c) => c.id));
      const carried = humanThemes.filter((h) => surviving.has(h.contribution_id));
      for (const h of carried) {
        await trx.insertInto('contribution_themes').values(h)
          .onConflict((oc) => oc.columns(['contribution_id', 'theme']).doUpdateSet({ assigned_by: h.assigned_by, provenance_json: h.provenance_json }))
          .execute();
      }
      return { ...base, outcome: existing ? 'replaced' as const : 'imported' as const };
    });
  }

  private async insertContributions(trx: Transaction<Database>, consultation: string, items: Contribution[], documentId: string | null): Promise<void> {
    const ids = new Set<string>();
    for (const c of items) {
      if (ids.has(c.id)) throw new StoreError(`Identifiant de contribution en double dans le document : ${c.id}`);
      ids.add(c.id);
    }
    const withSearch = this.dialect === 'sqlite';
    await insertBatches(items.map((c) => contributionToRow(c, consultation, documentId, withSearch)),
      (rows) => trx.insertInto('contributions').values(rows).execute());
    const themeRows = items.flatMap((c) => dedupeThemes(c.themes).map((t) => ({
      contribution_id: c.id, theme: t.theme, assigned_by: t.provenance.by, provenance_json: JSON.stringify(t.provenance),
    })));
    await insertBatches(themeRows, (rows) => trx.insertInto('contribution_themes').values(rows).execute());
  }

  /**
   * Adds contributions that do not come from a document (e.g. the public form). `also` runs in the
   * same transaction (e.g. to store the original of a pseudonymised text, or an audit entry).
   */
  async addContributions(consultation: string, items: Contribution[], also?: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.insertContributions(trx, consultation, items, null);
      if (also) await also(trx);
    });
  }

  // ---- contributions ----

  /** From the counters when the filter is a status and at most one dimension; otherwise an indexed count of the rows. */
  async countContributions(consultation: string, filter: ContributionFilter = {}): Promise<number> {
    const counted = await countFromCounters(this.db, consultation, { ...filter });
    if (counted !== undefined) return counted;
    const r = await this.filteredContributions(consultation, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Contributions in arrival order, streamed page by page so exports of any size stay in bounded memory. */
  async *iterateContributions(consultation: string, filter: ContributionFilter = {}, pageSize = 1000): AsyncGenerator<Contribution> {
    let after = -1;
    for (;;) {
      const rows = await this.filteredContributions(consultation, filter).selectAll('contributions')
        .where('contributions.seq', '>', after).orderBy('contributions.seq').limit(pageSize).execute();
      if (rows.length === 0) return;
      const themes = await this.themesOf(rows.map((r) => r.id));
      for (const r of rows) yield contributionFromRow(r, themes.get(r.id) ?? []);
      after = Number(rows[rows.length - 1]!.seq);
      if (rows.length < pageSize) return;
    }
  }

  async listContributions(consultation: string, filter: ContributionFilter = {}): Promise<Contribution[]> {
    const out: Contribution[] = [];
    for await (const c of this.iterateContributions(consultation, filter)) out.push(c);
    return out;
  }

  async getContribution(id: string): Promise<Contribution | undefined> {
    const r = await this.db.selectFrom('contributions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return contributionFromRow(r, (await this.themesOf([id])).get(id) ?? []);
  }

  /**
   * French full-text search: "installer" finds "installation", "medecin" finds "médecins", on
   * both databases. Results are ranked by relevance.
   */
  async searchContributions(consultation: string, query: string, limit = 50): Promise<Contribution[]> {
    let rows: ContributionRow[];
    if (this.dialect === 'sqlite') {
      const match = ftsMatch(query);
      if (!match) return [];
      rows = await this.db.selectFrom('contributions')
        .innerJoin(sql<{ rowid: number; rank: number }>`(SELECT rowid, rank FROM contributions_fts WHERE contributions_fts MATCH ${match})`.as('f'), 'f.rowid', 'contributions.seq')
        .selectAll('contributions')
        .where('contributions.consultation', '=', consultation)
        .orderBy('f.rank').orderBy('contributions.seq').limit(limit).execute();
    } else {
      const tsquery = pgTsQuery(query);
      if (!tsquery) return [];
      rows = await this.db.selectFrom('contributions')
        .selectAll('contributions')
        .where('consultation', '=', consultation)
        .where(sql<boolean>`search_vector @@ to_tsquery('simple', ${tsquery})`)
        .orderBy(sql`ts_rank(search_vector, to_tsquery('simple', ${tsquery}))`, 'desc')
        .orderBy('seq').limit(limit).execute();
    }
    const themes = await this.themesOf(rows.map((r) => r.id));
    return rows.map((r) => contributionFromRow(r, themes.get(r.id) ?? []));
  }

  /** Records theme assignments. A human assignment is never overwritten by a model's. */
  async assignThemes(contributionId: string, assignments: ThemeAssignment[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('contribution_themes').selectAll().where('contribution_id', '=', contributionId).execute();
      const humanThemes = new Set(existing.filter((e) => e.assigned_by === 'human').map((e) => e.theme));
      for (const a of dedupeThemes(assignments)) {
        if (humanThemes.has(a.theme) && a.provenance.by !== 'human') continue;
        const row = { contribution_id: contributionId, theme: a.theme, assigned_by: a.provenance.by, provenance_json: JSON.stringify(a.provenance) };
        await trx.insertInto('contribution_themes').values(row)
          .onConflict((oc) => oc.columns(['contribution_id', 'theme']).doUpdateSet({ assigned_by: row.assigned_by, provenance_json: row.provenance_json }))
          .execute();
      }
    });
  }

  /**
   * Records automatic results in one transaction: theme assignments (a human one is never
   * overwritten) and kinds (only where the kind is unset or was itself set by a model).
   * `replaceModelThemes` first drops the earlier model assignments of those contributions, so a
   * rerun does not accumulate stale predictions.
   */
  async applyModelResults(results: {
    themes?: { contribution: string; assignments: ThemeAssignment[] }[];
    kinds?: { contribution: string; kind: Contribution['kind'] & string; provenance: Provenance }[];
    replaceModelThemes?: boolean;
  }): Promise<{ themes: number; kinds: number }> {
    let themes = 0;
    let kinds = 0;
    await this.db.transaction().execute(async (trx) => {
      const targets = (results.themes ?? []).map((t) => t.contribution);
      if (results.replaceModelThemes) {
        for (let i = 0; i < targets.length; i += 500) {
          await trx.deleteFrom('contribution_themes').where('assigned_by', '=', 'model')
            .where('contribution_id', 'in', targets.slice(i, i + 500)).execute();
        }
      }
      const protectedPairs = new Set<string>();
      for (let i = 0; i < targets.length; i += 500) {
        const rows = await trx.selectFrom('contribution_themes').select(['contribution_id', 'theme'])
          .where('assigned_by', 'in', ['human', 'source']).where('contribution_id', 'in', targets.slice(i, i + 500)).execute();
        for (const r of rows) protectedPairs.add(`${r.contribution_id}\u0000${r.theme}`);
      }
      const rows = (results.themes ?? []).flatMap((t) => dedupeThemes(t.assignments)
        .filter((a) => !protectedPairs.has(`${t.contribution}\u0000${a.theme}`))
        .map((a) => ({ contribution_id: t.contribution, theme: a.theme, assigned_by: a.provenance.by, provenance_json: JSON.stringify(a.provenance) })));
      for (const row of rows) {
        await trx.insertInto('contribution_themes').values(row)
          .onConflict((oc) => oc.columns(['contribution_id', 'theme']).doUpdateSet({ assigned_by: row.assigned_by, provenance_json: row.provenance_json }))
          .execute();
        themes++;
      }
      for (const k of results.kinds ?? []) {
        const r = await trx.updateTable('contributions')
          .set({ kind: k.kind, kind_provenance_json: JSON.stringify(k.provenance) })
          .where('id', '=', k.contribution)
          .where((eb) => eb.or([eb('kind', 'is', null), eb('kind_provenance_json', 'like', '{"by":"model"%')]))
          .executeTakeFirst();
        kinds += Number(r.numUpdatedRows);
      }
    });
    return { themes, kinds };
  }

  /**
   * Counts of a consultation's contributions, from the counters triggers maintain (migration 0007_public_stats):
   * a few milliseconds at any size. `scope.moderation` restricts them to some moderation statuses (e.g. only
   * 'published' for public figures); every status by default.
   */
  async stats(consultation: string, scope: CountScope = {}): Promise<ConsultationStats> {
    const count = async (table: 'source_documents' | 'meetings') => Number((await this.db.selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n')).where('consultation', '=', consultation).executeTakeFirstOrThrow()).n);
    const counted = await countedStats(this.db, consultation, scope);
    return {
      consultation,
      contributions: counted.contributions,
      documents: await count('source_documents'),
      meetings: await count('meetings'),
      byTheme: counted.byTheme,
      byKind: counted.byKind,
      byMeeting: counted.byMeeting,
      byCollege: counted.byCollege,
      byChannel: counted.byChannel,
      withoutTheme: counted.withoutTheme,
    };
  }

  // ---- idea groups (common ideas) ----

  /** Replaces the consultation's idea groups (for one theme, or all when theme is undefined) in one transaction. */
  async saveIdeaGroups(consultation: string, groups: IdeaGroup[], theme?: string): Promise<void> {
    await this.db.transaction().execute((trx) => writeIdeaGroups(trx, consultation, groups, theme));
  }

  async listIdeaGroups(consultation: string, theme?: string): Promise<IdeaGroup[]> {
    return readIdeaGroups(this.db, consultation, theme);
  }

  // ---- trained analysis models ----

  /**
   * Keeps a trained model with its metadata; the same version saved again is replaced. `modelJson`, when given,
   * is the model already serialised (e.g. by the worker thread that trained it) instead of `model`.
   */
  async saveAnalysisModel(m: { consultation: string; purpose: string; version: string; metadata: unknown; model?: unknown; modelJson?: string }): Promise<void> {
    const row = { created_at: new Date().toISOString(), metadata_json: JSON.stringify(m.metadata), model_json: m.modelJson ?? JSON.stringify(m.model) };
    await this.db.insertInto('analysis_models').values({ consultation: m.consultation, purpose: m.purpose, version: m.version, ...row })
      .onConflict((oc) => oc.columns(['consultation', 'purpose', 'version']).doUpdateSet(row)).execute();
  }

  /** Models trained for a consultation (without their weights), newest first. */
  async listAnalysisModels(consultation: string): Promise<{ purpose: string; version: string; createdAt: string; metadata: unknown }[]> {
    const rows = await this.db.selectFrom('analysis_models').select(['purpose', 'version', 'created_at', 'metadata_json'])
      .where('consultation', '=', consultation).orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({ purpose: r.purpose, version: r.version, createdAt: r.created_at, metadata: JSON.parse(r.metadata_json) }));
  }

  /** Row counts of every table: lets tests prove that a failed operation changed nothing. */
  async tableCounts(): Promise<Record<string, number>> {
    const tables = ['consultations', 'territories', 'source_documents', 'meetings', 'contributions', 'contribution_themes', 'idea_groups', 'idea_members', 'syntheses', 'analysis_models'] as const;
    const out: Record<string, number> = {};
    for (const t of tables) {
      out[t] = Number((await this.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    }
    return out;
  }

  /** The consultation's contributions matching a filter, as a query to select from. */
  filteredContributions(consultation: string, f: ContributionFilter) {
    let q = this.db.selectFrom('contributions').where('contributions.consultation', '=', consultation);
    if (f.ids) q = q.where('contributions.id', 'in', f.ids.length ? f.ids : ['\u0000']);
    if (f.kind) q = q.where('contributions.kind', '=', f.kind);
    if (f.meeting) q = q.where('contributions.meeting', '=', f.meeting);
    if (f.college) q = q.where('contributions.author_college', '=', f.college);
    if (f.channel) q = q.where('contributions.channel', '=', f.channel);
    if (f.moderation) q = q.where('contributions.moderation_status', '=', f.moderation);
    if (f.documentId) q = q.where('contributions.document_id', '=', f.documentId);
    if (f.theme) {
      const theme = f.theme;
      q = q.where((eb) => eb.exists(eb.selectFrom('contribution_themes').select('theme')
        .whereRef('contribution_themes.contribution_id', '=', 'contributions.id').where('contribution_themes.theme', '=', theme)));
    }
    return q;
  }

  private async themesOf(ids: string[]): Promise<Map<string, ThemeAssignment[]>> {
    const out = new Map<string, ThemeAssignment[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (chunk.length === 0) continue;
      const rows = await this.db.selectFrom('contribution_themes').selectAll().where('contribution_id', 'in', chunk)
        .orderBy('contribution_id').orderBy('theme').execute();
      for (const r of rows) {
        const list = out.get(r.contribution_id) ?? [];
        list.push({ theme: r.theme, provenance: JSON.parse(r.provenance_json) as Provenance });
        out.set(r.contribution_id, list);
      }
    }
    return out;
  }
}

type Db = Kysely<Database> | Transaction<Database>;

/** The consultation's idea groups (one theme, or all), in their stored order, with their members. */
export async function readIdeaGroups(db: Db, consultation: string, theme?: string): Promise<IdeaGroup[]> {
  let q = db.selectFrom('idea_groups').selectAll().where('consultation', '=', consultation);
  if (theme !== undefined) q = q.where('theme', '=', theme);
  const rows = await q.orderBy('position').execute();
  if (rows.length === 0) return [];
  const members = new Map<string, IdeaGroup['members']>();
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => r.id);
    const ms = await db.selectFrom('idea_members').selectAll().where('group_id', 'in', chunk).orderBy('group_id').orderBy('contribution_id').execute();
    for (const m of ms) {
      const list = members.get(m.group_id) ?? [];
      list.push({ contribution: m.contribution_id, provenance: JSON.parse(m.provenance_json) as Provenance });
      members.set(m.group_id, list);
    }
  }
  return rows.map((r) => {
    const g: IdeaGroup = {
      id: r.id, consultation: r.consultation, parent: r.parent, label: r.label, labelByHuman: r.label_by_human === 1,
      members: members.get(r.id) ?? [], quotes: JSON.parse(r.quotes_json), lineage: JSON.parse(r.lineage_json),
    };
    if (r.theme !== null) g.theme = r.theme;
    if (r.stated_count !== null) g.statedCount = r.stated_count;
    return g;
  });
}

/** Replaces the consultation's idea groups (one theme, or all); call it inside a transaction. Parents are written first. */
export async function writeIdeaGroups(db: Db, consultation: string, groups: IdeaGroup[], theme?: string): Promise<void> {
  let del = db.deleteFrom('idea_groups').where('consultation', '=', consultation);
  if (theme !== undefined) del = del.where('theme', '=', theme);
  await del.execute();
  const ordered = parentsFirst(groups);
  const rows = ordered.map((g, i) => ({
    id: g.id, consultation, parent: g.parent, theme: g.theme ?? null, label: g.label,
    label_by_human: g.labelByHuman ? 1 : 0, quotes_json: JSON.stringify(g.quotes), lineage_json: JSON.stringify(g.lineage),
    stated_count: g.statedCount ?? null, position: i,
  }));
  await insertBatches(rows, (r) => db.insertInto('idea_groups').values(r).execute());
  const members = ordered.flatMap((g) => g.members.map((m) => ({ group_id: g.id, contribution_id: m.contribution, provenance_json: JSON.stringify(m.provenance) })));
  await insertBatches(members, (r) => db.insertInto('idea_members').values(r).execute());
}

/** Parents before their children, otherwise in the given order. */
function parentsFirst(groups: IdeaGroup[]): IdeaGroup[] {
  const ids = new Set(groups.map((g) => g.id));
  const out: IdeaGroup[] = [];
  const placed = new Set<string>();
  let pending = groups;
  while (pending.length) {
    const next: IdeaGroup[] = [];
    for (const g of pending) {
      if (g.parent === null || !ids.has(g.parent) || placed.has(g.parent)) { out.push(g); placed.add(g.id); } else next.push(g);
    }
    if (next.length === pending.length) { out.push(...next); break; }
    pending = next;
  }
  return out;
}

async function insertBatches<T>(rows: T[], insert: (rows: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) await insert(rows.slice(i, i + INSERT_BATCH));
}

async function addLocalThemes(trx: Transaction<Database>, consultation: string, themesJson: string, found: { code: string }[]): Promise<void> {
  const themes = JSON.parse(themesJson) as Consultation['themes'];
  const known = new Set(themes.map((t) => t.code));
  let changed = false;
  for (const t of found as Consultation['themes']) {
    if (!known.has(t.code)) { themes.push(t); known.add(t.code); changed = true; }
  }
  if (changed) await trx.updateTable('consultations').set({ themes_json: JSON.stringify(themes) }).where('slug', '=', consultation).execute();
}

function dedupeThemes(list: ThemeAssignment[]): ThemeAssignment[] {
  const byTheme = new Map<string, ThemeAssignment>();
  for (const a of list) byTheme.set(a.theme, a);
  return [...byTheme.values()];
}

function consultationFromRow(r: Database['consultations']): Consultation {
  const c: Consultation = { slug: r.slug, title: r.title, territory: r.territory, status: r.status as Consultation['status'], themes: JSON.parse(r.themes_json) };
  if (r.territory_level === 'departement' || r.territory_level === 'region') c.territoryLevel = r.territory_level;
  if (r.period_start) c.periodStart = r.period_start;
  if (r.period_end) c.periodEnd = r.period_end;
  if (r.description) c.description = r.description;
  return c;
}

function documentFromRow(r: Database['source_documents']): SourceDocument & { consultation: string } {
  return {
    id: r.id, consultation: r.consultation, fileName: r.file_name, mediaType: r.media_type, sizeBytes: Number(r.size_bytes),
    importedAt: r.imported_at, parser: r.parser, parserVersion: r.parser_version, warnings: JSON.parse(r.warnings_json),
  };
}

function meetingToRow(m: Meeting, documentId: string | null): MeetingRow {
  const p = m.participants;
  return {
    id: m.id, consultation: m.consultation, document_id: documentId, kind: m.kind, ref: m.ref ?? null, title: m.title,
    place: m.place ?? null, territory: m.territory ?? null, date: m.date ?? null, date_text: m.dateText ?? null, time: m.time ?? null,
    p_elus: p.elus, p_institutionnels: p.institutionnels, p_professionnels: p.professionnels, p_associations: p.associations,
    p_usagers: p.usagers, p_autres: p.autres, p_total: p.total,
    situation: m.situation ?? null, deroulement: m.deroulement ?? null, perspectives: m.perspectives ?? null,
    source_json: m.source ? JSON.stringify(m.source) : null,
  };
}

function meetingFromRow(r: MeetingRow): Meeting {
  const m: Meeting = {
    id: r.id, consultation: r.consultation, kind: r.kind as Meeting['kind'], title: r.title,
    participants: {
      elus: r.p_elus, institutionnels: r.p_institutionnels, professionnels: r.p_professionnels,
      associations: r.p_associations, usagers: r.p_usagers, autres: r.p_autres, total: r.p_total,
    },
  };
  const opt = { ref: r.ref, place: r.place, territory: r.territory, date: r.date, dateText: r.date_text, time: r.time, situation: r.situation, deroulement: r.deroulement, perspectives: r.perspectives };
  for (const [k, v] of Object.entries(opt)) if (v !== null) (m as unknown as Record<string, unknown>)[k] = v;
  if (r.source_json) m.source = JSON.parse(r.source_json);
  return m;
}

function contributionToRow(c: Contribution, consultation: string, documentId: string | null, withSearch: boolean): Omit<ContributionRow, 'seq' | 'theme_count'> {
  return {
    id: c.id, consultation, document_id: documentId, meeting: c.meeting ?? null, channel: c.channel,
    author_college: c.authorCollege ?? null, author_pseudonym: c.authorPseudonym ?? null, territory: c.territory ?? null,
    date: c.date ?? null, text: c.text, raw_text: c.rawText !== undefined && c.rawText !== c.text ? c.rawText : null,
    kind: c.kind ?? null, kind_provenance_json: c.kindProvenance ? JSON.stringify(c.kindProvenance) : null,
    category: c.category ?? null,
    moderation_status: c.moderation.status, moderation_reason: c.moderation.reason ?? null,
    moderation_by: c.moderation.by ?? null, moderation_at: c.moderation.at ?? null,
    source_json: JSON.stringify(c.source),
    search_terms: withSearch ? searchTerms(c.text).join(' ') : null,
  };
}

function contributionFromRow(r: ContributionRow, themes: ThemeAssignment[]): Contribution {
  const c: Contribution = {
    id: r.id, consultation: r.consultation, channel: r.channel as Contribution['channel'], text: r.text, themes,
    moderation: { status: r.moderation_status as Contribution['moderation']['status'] },
    source: JSON.parse(r.source_json),
  };
  if (r.meeting) c.meeting = r.meeting;
  if (r.author_college) c.authorCollege = r.author_college as Contribution['authorCollege'];
  if (r.author_pseudonym) c.authorPseudonym = r.author_pseudonym;
  if (r.territory) c.territory = r.territory;
  if (r.date) c.date = r.date;
  if (r.raw_text !== null) c.rawText = r.raw_text;
  if (r.kind) c.kind = r.kind as Contribution['kind'];
  if (r.kind_provenance_json) c.kindProvenance = JSON.parse(r.kind_provenance_json);
  if (r.category) c.category = r.category;
  if (r.moderation_reason) c.moderation.reason = r.moderation_reason;
  if (r.moderation_by) c.moderation.by = r.moderation_by;
  if (r.moderation_at) c.moderation.at = r.moderation_at;
  return c;
}
