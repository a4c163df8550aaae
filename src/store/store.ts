import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, type CompiledQuery, PostgresDialect, sql, type Selectable, type Transaction } from 'kysely';
import pg from 'pg';
import type { Consultation, ConsultationStats } from '../domain/consultation.ts';
import { isPublic, PUBLIC_MODERATION_STATUS, type Contribution, type Moderation, type ThemeAssignment, type Provenance } from '../domain/contribution.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import type { Meeting } from '../domain/meeting.ts';
import type { ImportWarning, SourceDocument } from '../domain/source.ts';
import type { HumanSynthesisItem } from '../domain/synthesis.ts';
import type { Territory } from '../domain/territory.ts';
import { consultationDocumentId, contentSha256, rebaseDocument } from '../ingest/rebase.ts';
import type { ParsedDocument } from '../ingest/types.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import { sanitizeText } from '../domain/text.ts';
import { flagStaleRestitutions } from './stale-restitutions.ts';
import { recordAudit } from './audit.ts';
import { migrationProvider, type Dialect } from './migrations.ts';
import { SanitizeTextPlugin } from './sanitize-plugin.ts';
import type { ContributionRow as ContributionTable, Database, Db, MeetingRow } from './schema.ts';

type ContributionRow = Selectable<ContributionTable>;
import { SEARCH_SEQ_SPAN, searchRangeStart, seqOfSearchRowid } from './migration-0011-search-scope.ts';
import { candidateTerms, rankCandidates, rankWindowRows, termFrequencies, type RankRequest } from './search-rank.ts';
import { ReadPool, readWorkersFromEnv } from './read-pool.ts';
import { ftsMatch, pgTsQuery, searchTerms } from './search-terms.ts';
import { countedStats, countFromCounters, type CountScope } from './public-stats.ts';
import { StoreError } from './errors.ts';
import { readSourceFile, saveSourceFile } from './source-files.ts';
import { DatabaseFaultError, databaseFault } from './faults.ts';
import { SQLITE_LOCK_WAIT_MS, SQLITE_NATIVE_BUSY_MS, WaitingSqliteDialect } from './sqlite-driver.ts';
import { importStaged, isStagingSlug, removeStagedImports, shouldStageImport, STAGING_PREFIX } from './staged-import.ts';
import { addLocalThemes, insertBatches, meetingToRow } from './rows.ts';

export interface StoreConfig {
  /** postgres://… to use PostgreSQL; otherwise the SQLite file `sqlitePath` */
  databaseUrl?: string;
  /** SQLite file, or ":memory:" */
  sqlitePath?: string;
  /** PostgreSQL only: a schema to work in (created if missing), used to isolate test runs */
  pgSchema?: string;
  /** SQLite only: how long a write waits (asynchronously) for another process's lock; default 30 s */
  sqliteLockWaitMs?: number;
  /** PostgreSQL only: called when an idle or busy connection is lost (default: one line on stderr) */
  onConnectionError?: (err: Error) => void;
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
  /** who published the document as a whole, and when; null: its contributions await moderation */
  publication: DocumentPublication | null;
  documentId: string;
  fileName: string;
  parser: string;
  meetings: number;
  contributions: number;
  syntheses: number;
  warnings: ImportWarning[];
}

/** A named person's decision to publish a source document as a whole (recorded and audited). */
export interface DocumentPublication {
  by: string;
  at: string;
}

export interface ImportOptions {
  /** publish the document as a whole in the name of this person (otherwise its contributions are pending) */
  publishBy?: string;
  /** the file as read, kept with the document (checked against its id, the sha256) */
  bytes?: Uint8Array;
  /** who imports: a `document.import` audit entry is written in the import's transaction (none when nothing changed) */
  actor?: string;
}

/** A contribution to store, with the text as written when the caller already pseudonymised it. */
export interface ContributionInput {
  contribution: Contribution;
  original?: string;
  masked?: MaskedSpanRecord[];
}

export interface MaskedSpanRecord { kind: string; start: number; end: number; original: string }

/** The filter every public path uses: only contributions the publication rule makes public. */
export const PUBLIC_FILTER = { moderation: PUBLIC_MODERATION_STATUS } as const satisfies ContributionFilter;

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
  /** dated on or after this day (YYYY-MM-DD); contributions without a date are left out */
  from?: string;
  /** dated on or before this day (YYYY-MM-DD, the whole day); contributions without a date are left out */
  to?: string;
}

export type { ConsultationStats };

/** The day after a YYYY-MM-DD day, as YYYY-MM-DD. */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
}


/** The persistence layer: one API over SQLite (embedded default) and PostgreSQL. */
export class Store {
  private constructor(readonly db: Kysely<Database>, readonly dialect: Dialect, readonly location: string,
    private readonly sqliteHandle?: SQLite.Database) {}

  /** The embedded SQLite connection (for its online backup API); undefined on PostgreSQL. */
  get sqlite(): SQLite.Database | undefined {
    return this.sqliteHandle;
  }

  static async open(config: StoreConfig = configFromEnv()): Promise<Store> {
    let store: Store;
    if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) {
      const schema = config.pgSchema;
      if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new StoreError('invalid', `Nom de schéma invalide : ${schema}`);
      const pool = new pg.Pool({
        connectionString: config.databaseUrl,
        max: 4,
        // a database that does not answer fails the request (503) instead of hanging it
        connectionTimeoutMillis: 5000,
        keepAlive: true,
        ...(schema ? { options: `-c search_path=${schema},public` } : {}),
      });
      watchConnections(pool, config.onConnectionError ?? logConnectionError);
      // bigint columns (sizes, counts) come back as strings by default.
      pg.types.setTypeParser(20, (v) => Number(v));
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new SanitizeTextPlugin()] });
      if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
      store = new Store(db, 'postgres', config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@'));
    } else if (config.databaseUrl) {
      throw new StoreError('invalid', `DATABASE_URL doit commencer par postgres:// (reçu : ${config.databaseUrl.split(':')[0]}:…)`);
    } else {
      const path = config.sqlitePath ?? DEFAULT_SQLITE_PATH;
      const database = openSqlite(path);
      const db = new Kysely<Database>({ dialect: new WaitingSqliteDialect(database, config.sqliteLockWaitMs ?? SQLITE_LOCK_WAIT_MS), plugins: [new SanitizeTextPlugin()] });
      store = new Store(db, 'sqlite', path === ':memory:' ? path : resolve(path), database);
    }
    try {
      await store.migrate();
      // what a killed import left (never visible); a running one keeps its heartbeat fresh
      if (store.dialect === 'sqlite') await removeStagedImports(store);
    } catch (e) {
      await store.close().catch(() => {});
      throw e;
    }
    return store;
  }

  async migrate(): Promise<string[]> {
    // Kysely looks for its migration tables in every schema unless told which: name the one in use,
    // or a fresh schema next to another Fabrique schema (tests, several instances) is never migrated.
    const migrationTableSchema = this.dialect === 'postgres'
      ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(this.db)).rows[0]?.schema : undefined;
    // allowUnorderedMigrations: 0010_jobs came after 0011_search_scope was applied on some databases; a pending
    // migration named before the last applied one is applied rather than refused (migrations are independent)
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.dialect), allowUnorderedMigrations: true, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const fault = databaseFault(error);
      if (fault) throw new DatabaseFaultError(fault, { cause: error });
      throw new StoreError('invalid', `Échec de la migration de la base : ${(error as Error).message ?? error}`);
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async close(): Promise<void> {
    await this.readPool?.close();
    await this.db.destroy();
  }

  private readPool?: ReadPool | null;

  private readers(): ReadPool | null {
    if (this.readPool === undefined) {
      const workers = this.dialect === 'sqlite' && this.location !== ':memory:' ? readWorkersFromEnv() : 0;
      this.readPool = workers > 0 ? new ReadPool(this.location, workers) : null;
    }
    return this.readPool;
  }

  /** A search window ranked on a read worker (or here when there is none): the ordered arrival numbers. */
  async rankedSearchWindow(q: CompiledQuery, rank: RankRequest): Promise<number[]> {
    return this.onReader((pool) => pool.query<number>(q, rank),
      async () => rankWindowRows((await this.db.executeQuery<{ seq: number; search_terms: string | null }>(q)).rows, rank));
  }

  /** `work` on the read workers, or `inline` on the main connection when there are none or they fail. */
  private async onReader<T>(work: (pool: ReadPool) => Promise<T>, inline: () => Promise<T>): Promise<T> {
    const pool = this.readers();
    if (pool) {
      try {
        return await work(pool);
      } catch { /* run on the main connection below */ }
    }
    return inline();
  }

  /** Starts the read workers now (a server, before its first search, which would otherwise wait for them). */
  async startReadWorkers(): Promise<void> {
    await this.readers()?.startAll();
  }

  /**
   * Runs a compiled SELECT on a read-only connection of a worker thread when the database is a SQLite file
   * (read-pool.ts), on the main connection otherwise or when the worker fails (its error is then the main
   * connection's own: the same query fails the same way).
   */
  async readQuery<T>(q: CompiledQuery): Promise<T[]> {
    return this.onReader((pool) => pool.query<T>(q), async () => (await this.db.executeQuery<T>(q)).rows as T[]);
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
    if (isStagingSlug(slug)) return undefined;
    const r = await this.db.selectFrom('consultations').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? consultationFromRow(r) : undefined;
  }

  /** Like getConsultation, but a missing consultation is a user error with a helpful message. */
  async requireConsultation(slug: string): Promise<Consultation> {
    const c = await this.getConsultation(slug);
    if (!c) {
      const known = (await this.listConsultations()).map((x) => x.slug);
      throw new StoreError('not_found', `Consultation inconnue : « ${slug} »` +
        (known.length ? ` (consultations existantes : ${known.join(', ')})` : ' (aucune consultation : lancez « fabrique demo » ou créez-en une)'));
    }
    return c;
  }

  async listConsultations(): Promise<Consultation[]> {
    const rows = await this.db.selectFrom('consultations').selectAll()
      .where('slug', 'not like', `${STAGING_PREFIX}%`).orderBy('created_at').orderBy('slug').execute();
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
   * `bytes`, the file as read, are kept with the document (checked against its id, the sha256).
   *
   * Like every channel, texts are pseudonymised here (originals kept apart in contribution_private)
   * and contributions enter moderation as pending whatever the parser says (a parser's rejection is
   * kept), unless `publishBy` names the person publishing the whole document: recorded and audited.
   */
  /**
   * The document of `consultation` made of these bytes: the sha256 itself, unless another consultation holds it,
   * then the consultation's own id (kept once taken, even if the other consultation's copy is deleted later).
   */
  private async documentFor(consultation: string, parsed: ParsedDocument): Promise<ParsedDocument> {
    const sha256 = contentSha256(parsed);
    const own = consultationDocumentId(sha256, consultation);
    const rows = await this.db.selectFrom('source_documents').select(['id', 'consultation']).where('id', 'in', [sha256, own]).execute();
    if (rows.some((r) => r.id === own)) return rebaseDocument(parsed, own);
    const first = rows.find((r) => r.id === sha256);
    if (!first || first.consultation === consultation || isStagingSlug(first.consultation)) return rebaseDocument(parsed, sha256);
    return rebaseDocument(parsed, own);
  }

  async importParsed(consultation: string, given: ParsedDocument, options: ImportOptions = {}): Promise<ImportResult> {
    // the same bytes in another consultation: this consultation's own document id (idempotent per consultation)
    const parsed = await this.documentFor(consultation, given);
    const publishBy = options.publishBy?.trim();
    if (options.publishBy !== undefined && !publishBy) throw new StoreError('invalid', 'Pour publier un document en bloc, indiquez qui le publie.');
    const bytes = options.bytes;
    const base = {
      documentId: parsed.documentId, fileName: parsed.fileName, parser: parsed.parser,
      meetings: parsed.meetings.length, contributions: parsed.contributions.length,
      syntheses: parsed.syntheses.length, warnings: parsed.warnings,
    };
    // Large new documents on SQLite: short transactions, made visible at once (staged-import.ts).
    // Only new documents are staged: gated as pending, or published as a whole by `publishBy`.
    if (shouldStageImport(this, parsed)) {
      const publication: DocumentPublication | null = publishBy ? { by: publishBy, at: new Date().toISOString() } : null;
      const staged = await importStaged(this, consultation, parsed, base,
        async (trx, slug, items) => {
          await this.insertContributions(trx, slug,
            items.map((c) => ({ contribution: { ...c, moderation: importedModeration(c.moderation, undefined, publication) } })), parsed.documentId);
        },
        async (trx) => {
          if (bytes) await saveSourceFile(trx, parsed.documentId, parsed.fileName, bytes, contentSha256(parsed));
          if (options.actor) await recordImport(trx, consultation, options.actor, { ...base, outcome: 'imported' });
          if (publication) {
            await trx.updateTable('source_documents').set({ published_by: publication.by, published_at: publication.at }).where('id', '=', parsed.documentId).execute();
            const published = parsed.contributions.filter((c) => importedModeration(c.moderation, undefined, publication).status === PUBLIC_MODERATION_STATUS).length;
            await recordPublication(trx, consultation, parsed.documentId, publication, published);
          }
        });
      if (staged) return { ...staged, publication };
    }
    return this.db.transaction().execute(async (trx) => {
      const consultationRow = await trx.selectFrom('consultations').selectAll().where('slug', '=', consultation).executeTakeFirst();
      if (!consultationRow) throw new StoreError('not_found', `Consultation inconnue : « ${consultation} »`);
      const existing = await trx.selectFrom('source_documents').selectAll().where('id', '=', parsed.documentId).executeTakeFirst();
      if (existing && existing.consultation !== consultation) {
        throw new StoreError('conflict', `Le fichier « ${parsed.fileName} » est déjà importé dans la consultation « ${existing.consultation} ».`);
      }
      if (existing && existing.parser === parsed.parser && existing.parser_version === parsed.parserVersion) {
        if (bytes) await saveSourceFile(trx, parsed.documentId, parsed.fileName, bytes, contentSha256(parsed));
        let publication = existing.published_by && existing.published_at ? { by: existing.published_by, at: existing.published_at } : null;
        if (publishBy && !publication) publication = await publishDocumentIn(trx, parsed.documentId, consultation, publishBy);
        return { ...base, outcome: 'unchanged' as const, publication, warnings: JSON.parse(existing.warnings_json) as ImportWarning[] };
      }
      const publication: DocumentPublication | null = publishBy ? { by: publishBy, at: new Date().toISOString() }
        : existing?.published_by && existing.published_at ? { by: existing.published_by, at: existing.published_at } : null;

      let humanThemes: { contribution_id: string; theme: string; assigned_by: string; provenance_json: string }[] = [];
      // A re-read by a newer parser keeps the bytes stored earlier (the delete below cascades to them).
      const keptBytes = bytes ?? (existing ? await readSourceFile(trx, parsed.documentId) : undefined);
      // decisions made in Fabrique (by a person, or by publishing the document) survive a re-read of the
      // same text only, with the public text as it was (a moderator's own masking included)
      const decided = new Map<string, { moderation: Moderation; asWritten: string; publicText: string; original?: string }>();
      const previous: { id: string; text: string; moderation_status: string }[] = [];
      if (existing) {
        const rows = await trx.selectFrom('contributions')
          .leftJoin('contribution_private', 'contribution_private.contribution_id', 'contributions.id')
          .select(['contributions.id', 'contributions.text', 'contributions.moderation_status', 'contributions.moderation_reason',
            'contributions.moderation_by', 'contributions.moderation_at', 'contribution_private.original_text'])
          .where('contributions.document_id', '=', parsed.documentId).execute();
        for (const r of rows) {
          previous.push(r);
          if (r.moderation_at === null) continue;
          decided.set(r.id, {
            moderation: { status: r.moderation_status as Moderation['status'], ...(r.moderation_reason ? { reason: r.moderation_reason } : {}),
              ...(r.moderation_by ? { by: r.moderation_by } : {}), ...(r.moderation_at ? { at: r.moderation_at } : {}) },
            asWritten: r.original_text ?? r.text, publicText: r.text, ...(r.original_text !== null ? { original: r.original_text } : {}),
          });
        }
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
        published_by: publication?.by ?? null,
        published_at: publication?.at ?? null,
      }).execute();
      if (keptBytes) await saveSourceFile(trx, parsed.documentId, parsed.fileName, keptBytes, contentSha256(parsed));

      if (parsed.themes.length > 0) await addLocalThemes(trx, consultation, consultationRow.themes_json, parsed.themes);

      for (const m of parsed.meetings) {
        if (m.consultation !== consultation) m.consultation = consultation;
      }
      await insertBatches(parsed.meetings.map((m) => meetingToRow(m, parsed.documentId)), (rows) => trx.insertInto('meetings').values(rows).execute());
      const gated: ContributionInput[] = parsed.contributions.map((c) => {
        const kept = decided.get(c.id);
        if (kept && kept.asWritten === sanitizeText(c.text)) {
          return { contribution: { ...c, text: kept.publicText, moderation: kept.moderation }, ...(kept.original !== undefined ? { original: kept.original } : {}) };
        }
        return { contribution: { ...c, moderation: importedModeration(c.moderation, undefined, publication) } };
      });
      await this.insertContributions(trx, consultation, gated, parsed.documentId);
      // a published restitution that relied on a contribution now gone or rewritten is no longer valid
      const now = new Map(gated.map((g) => [g.contribution.id, g.contribution]));
      for (const p of previous) {
        if (p.moderation_status !== PUBLIC_MODERATION_STATUS) continue;
        const after = now.get(p.id);
        if (after && after.text === p.text && isPublic(after)) continue;
        await flagStaleRestitutions(trx, consultation, p.id, new Date().toISOString(), publication?.by ?? 'import',
          after ? 'une contribution citée a changé à la relecture du document' : 'une contribution citée a disparu à la relecture du document');
      }
      if (publishBy && publication) {
        await recordPublication(trx, consultation, parsed.documentId, publication, gated.filter((g) => g.contribution.moderation.status === PUBLIC_MODERATION_STATUS).length);
      }

      const surviving = new Set(parsed.contributions.map((c) => c.id));
      const carried = humanThemes.filter((h) => surviving.has(h.contribution_id));
      for (const h of carried) {
        await trx.insertInto('contribution_themes').values(h)
          .onConflict((oc) => oc.columns(['contribution_id', 'theme']).doUpdateSet({ assigned_by: h.assigned_by, provenance_json: h.provenance_json }))
          .execute();
      }
      const outcome = existing ? 'replaced' as const : 'imported' as const;
      if (options.actor) await recordImport(trx, consultation, options.actor, { ...base, outcome });
      return { ...base, publication, outcome };
    });
  }

  /**
   * The one place contributions are written: every text is pseudonymised here, whatever the channel,
   * and the text as written is kept apart (contribution_private). Returns what was stored.
   */
  private async insertContributions(trx: Transaction<Database>, consultation: string, items: ContributionInput[], documentId: string | null): Promise<Contribution[]> {
    const ids = new Set<string>();
    for (const { contribution: c } of items) {
      if (ids.has(c.id)) throw new StoreError('invalid', `Identifiant de contribution en double dans le document : ${c.id}`);
      ids.add(c.id);
    }
    const stored: Contribution[] = [];
    const originals: { contribution_id: string; original_text: string; masked_json: string }[] = [];
    for (const item of items) {
      const { stored: c, original, masked } = pseudonymised(item);
      stored.push(c);
      if (original !== undefined) originals.push({ contribution_id: c.id, original_text: original, masked_json: JSON.stringify(masked) });
    }
    const withSearch = this.dialect === 'sqlite';
    await insertBatches(stored.map((c) => contributionToRow(c, consultation, documentId, withSearch)),
      (rows) => trx.insertInto('contributions').values(rows).execute());
    await insertBatches(originals, (rows) => trx.insertInto('contribution_private').values(rows).execute());
    const themeRows = stored.flatMap((c) => dedupeThemes(c.themes).map((t) => ({
      contribution_id: c.id, theme: t.theme, assigned_by: t.provenance.by, provenance_json: JSON.stringify(t.provenance),
    })));
    await insertBatches(themeRows, (rows) => trx.insertInto('contribution_themes').values(rows).execute());
    return stored;
  }

  /**
   * Adds contributions that do not come from a document (e.g. the public form, a workshop report typed
   * in), pseudonymised like every channel. `also` runs in the same transaction with what was stored
   * (e.g. for the audit entries).
   */
  async addContributions(consultation: string, items: (Contribution | ContributionInput)[],
    also?: (trx: Transaction<Database>, stored: Contribution[]) => Promise<void>): Promise<Contribution[]> {
    const inputs = items.map((i) => ('contribution' in i ? i : { contribution: i }));
    return this.db.transaction().execute(async (trx) => {
      const stored = await this.insertContributions(trx, consultation, inputs, null);
      if (also) await also(trx, stored);
      return stored;
    });
  }

  /** Which of these contribution ids are stored (e.g. to settle a commit whose answer was lost with the connection). */
  async existingContributionIds(ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.selectFrom('contributions').select('id').where('id', 'in', ids.slice(i, i + 500)).execute();
      for (const r of rows) out.add(r.id);
    }
    return out;
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
      const seqs = (await sql<{ seq: number }>`SELECT ${seqOfSearchRowid('rowid')} AS seq FROM contributions_fts WHERE contributions_fts MATCH ${match}
        AND rowid BETWEEN ${searchRangeStart(consultation, undefined)} AND ${searchRangeStart(consultation, undefined)} + ${sql.lit(4 * SEARCH_SEQ_SPAN - 1)}`
        .execute(this.db)).rows.map((r) => Number(r.seq));
      const terms = [...new Set(searchTerms(query))];
      const [candidates, stats] = await Promise.all([candidateTerms(this, seqs), termFrequencies(this, terms)]);
      const order = rankCandidates(terms, candidates, stats.frequency, stats.totalDocs).slice(0, limit);
      const position = new Map(order.map((seq, i) => [seq, i]));
      rows = order.length === 0 ? [] : (await this.db.selectFrom('contributions').selectAll().where('seq', 'in', order).execute())
        .sort((a, b) => position.get(Number(a.seq))! - position.get(Number(b.seq))!);
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
  async applyModelResults(results: ModelResults): Promise<{ themes: number; kinds: number }> {
    return this.db.transaction().execute((trx) => applyModelResultsIn(trx, results));
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
  async saveAnalysisModel(m: AnalysisModelInput): Promise<void> {
    await saveAnalysisModelIn(this.db, m);
  }

  /** Models trained for a consultation (without their weights), newest first. */
  async listAnalysisModels(consultation: string): Promise<{ purpose: string; version: string; createdAt: string; metadata: unknown }[]> {
    const rows = await this.db.selectFrom('analysis_models').select(['purpose', 'version', 'created_at', 'metadata_json'])
      .where('consultation', '=', consultation).orderBy('created_at', 'desc').execute();
    return rows.map((r) => ({ purpose: r.purpose, version: r.version, createdAt: r.created_at, metadata: JSON.parse(r.metadata_json) }));
  }

  /** Row counts of every table: lets tests prove that a failed operation changed nothing. */
  async tableCounts(): Promise<Record<string, number>> {
    const tables = ['consultations', 'territories', 'source_documents', 'meetings', 'contributions', 'contribution_themes', 'idea_groups', 'idea_members', 'syntheses', 'analysis_models', 'source_files'] as const;
    const out: Record<string, number> = {};
    for (const t of tables) {
      out[t] = Number((await this.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    }
    return out;
  }

  /** The consultation's contributions matching a filter, as a query to select from. */
  filteredContributions(consultation: string, f: ContributionFilter) {
    let q = this.db.selectFrom('contributions').where('contributions.consultation', '=', consultation);
    // an empty id list matches nothing (a printable sentinel: parameters are cleaned of control characters)
    if (f.ids) q = q.where('contributions.id', 'in', f.ids.length ? f.ids : ['\u2205']);
    if (f.kind) q = q.where('contributions.kind', '=', f.kind);
    if (f.meeting) q = q.where('contributions.meeting', '=', f.meeting);
    if (f.college) q = q.where('contributions.author_college', '=', f.college);
    if (f.channel) q = q.where('contributions.channel', '=', f.channel);
    if (f.moderation) q = q.where('contributions.moderation_status', '=', f.moderation);
    if (f.documentId) q = q.where('contributions.document_id', '=', f.documentId);
    // dates are ISO text (a day, or a day and a time): compared as text, the day after `to` excluded
    if (f.from) q = q.where('contributions.date', '>=', f.from);
    if (f.to) q = q.where('contributions.date', '<', nextDay(f.to));
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


/**
 * pg emits 'error' on the pool (idle connection lost: pg_terminate_backend, server restart) and on
 * a checked-out client; without a listener Node kills the process. The pool drops broken clients
 * and opens new ones on the next request, so logging is all that is needed to recover by itself.
 */
function watchConnections(pool: pg.Pool, onError: (err: Error) => void): void {
  pool.on('error', (err) => onError(err));
  pool.on('connect', (client) => { client.on('error', (err) => onError(err)); });
}

function logConnectionError(err: Error): void {
  const code = (err as { code?: string }).code;
  console.error(`Fabrique : connexion à PostgreSQL perdue (${code ?? err.message}) ; une nouvelle connexion sera ouverte à la prochaine requête.`);
}

/** Opens the SQLite file in WAL mode; a missing directory is created. Faults get their French message. */
function openSqlite(path: string): SQLite.Database {
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    const database = new SQLite(path);
    try {
      database.pragma('journal_mode = WAL');
      database.pragma('foreign_keys = ON');
      // health testimony must not linger in free pages once deleted or rewritten (erasure, moderation edits):
      // SQLite overwrites deleted content with zeros, for a small cost on writes (as browsers do)
      database.pragma('secure_delete = ON');
      // short: better-sqlite3 sleeps inside this call; longer waits are asynchronous (sqlite-driver.ts)
      database.pragma(`busy_timeout = ${SQLITE_NATIVE_BUSY_MS}`);
    } catch (e) {
      database.close();
      throw e;
    }
    return database;
  } catch (e) {
    const fault = databaseFault(e);
    if (fault) throw new DatabaseFaultError(fault, { cause: e });
    throw e;
  }
}

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

export interface ModelResults {
  themes?: { contribution: string; assignments: ThemeAssignment[] }[];
  kinds?: { contribution: string; kind: Contribution['kind'] & string; provenance: Provenance }[];
  replaceModelThemes?: boolean;
}

export interface AnalysisModelInput { consultation: string; purpose: string; version: string; metadata: unknown; model?: unknown; modelJson?: string; at?: string }

/** `Store.saveAnalysisModel` on a connection or inside the caller's transaction. */
export async function saveAnalysisModelIn(db: Db, m: AnalysisModelInput): Promise<void> {
  const row = { created_at: m.at ?? new Date().toISOString(), metadata_json: JSON.stringify(m.metadata), model_json: m.modelJson ?? JSON.stringify(m.model) };
  await db.insertInto('analysis_models').values({ consultation: m.consultation, purpose: m.purpose, version: m.version, ...row })
    .onConflict((oc) => oc.columns(['consultation', 'purpose', 'version']).doUpdateSet(row)).execute();
}

/** `Store.applyModelResults` inside the caller's transaction. */
export async function applyModelResultsIn(trx: Transaction<Database>, results: ModelResults): Promise<{ themes: number; kinds: number }> {
  let themes = 0;
  let kinds = 0;
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
  return { themes, kinds };
}

/**
 * The public text of a contribution to store: pseudonymised (idempotent on a text already masked by
 * its caller), with the text as written to keep apart when they differ. The raw extracted text is
 * masked too (the source document keeps it), and so is the category: a parser takes it from the
 * document's own headings, which may name a person ("Témoignage : Dr …"), and it is published as an
 * idea's label in restitutions and exports; the heading as written stays in the source document.
 */
function pseudonymised(item: ContributionInput): { stored: Contribution; original?: string; masked: MaskedSpanRecord[] } {
  // cleaned before masking: a control character inside a phone number or an address would hide it
  // from the masks, then be removed on the way to the database (sanitize-plugin), revealing it
  const c = { ...item.contribution, text: sanitizeText(item.contribution.text),
    ...(item.contribution.rawText !== undefined ? { rawText: sanitizeText(item.contribution.rawText) } : {}) };
  const p = pseudonymise(c.text);
  const stored: Contribution = { ...c, text: p.text };
  if (c.category !== undefined) stored.category = pseudonymise(c.category).text;
  if (c.rawText !== undefined) {
    const raw = pseudonymise(c.rawText).text;
    if (raw !== p.text) stored.rawText = raw; else delete stored.rawText;
  }
  const original = item.original !== undefined ? sanitizeText(item.original) : c.text;
  if (original === p.text) return { stored, masked: [] };
  // offsets must refer to the original: the caller's masks when it masked it, else ours
  const masked = item.original === undefined ? p.masked : p.masked.length === 0 && item.masked ? item.masked : pseudonymise(original).masked;
  return { stored, original, masked };
}

/**
 * Moderation of an imported contribution: a decision already made in Fabrique wins; else published
 * when a named person publishes the document; else pending — except a rejection by the source
 * (Polis, Decidim), which is kept. What a parser says is never enough to publish.
 */
function importedModeration(fromParser: Moderation, decided: Moderation | undefined, publication: DocumentPublication | null): Moderation {
  if (decided) return decided;
  if (fromParser.status === 'rejected') return fromParser;
  if (publication) return { status: PUBLIC_MODERATION_STATUS, by: publication.by, at: publication.at, reason: 'document publié en bloc' };
  return { status: 'pending', ...(fromParser.reason ? { reason: fromParser.reason } : {}) };
}

/** Publishes an already stored document as a whole: its pending contributions become public (decided ones stay). */
export async function publishDocumentIn(trx: Transaction<Database>, documentId: string, consultation: string, by: string): Promise<DocumentPublication> {
  const publication = { by, at: new Date().toISOString() };
  await trx.updateTable('source_documents').set({ published_by: publication.by, published_at: publication.at }).where('id', '=', documentId).execute();
  const r = await trx.updateTable('contributions')
    .set({ moderation_status: PUBLIC_MODERATION_STATUS, moderation_by: by, moderation_at: publication.at, moderation_reason: 'document publié en bloc' })
    .where('document_id', '=', documentId).where('moderation_status', '=', 'pending').executeTakeFirst();
  await recordPublication(trx, consultation, documentId, publication, Number(r.numUpdatedRows));
  return publication;
}

async function recordImport(trx: Transaction<Database>, consultation: string, actor: string,
  r: Pick<ImportResult, 'documentId' | 'fileName' | 'outcome' | 'contributions' | 'meetings'>): Promise<void> {
  await recordAudit(trx, {
    actor, action: 'document.import', consultation, targetType: 'document', targetId: r.documentId,
    after: { fileName: r.fileName, outcome: r.outcome, contributions: r.contributions, meetings: r.meetings },
  });
}

async function recordPublication(trx: Transaction<Database>, consultation: string, documentId: string, publication: DocumentPublication, published: number): Promise<void> {
  await recordAudit(trx, {
    actor: publication.by, action: 'document.publish', consultation, targetType: 'document', targetId: documentId, at: publication.at,
    before: null, after: { publishedBy: publication.by, publishedAt: publication.at, contributionsPublished: published },
  });
}

function dedupeThemes(list: ThemeAssignment[]): ThemeAssignment[] {
  const byTheme = new Map<string, ThemeAssignment>();
  for (const a of list) byTheme.set(a.theme, a);
  return [...byTheme.values()];
}

export function consultationFromRow(r: Database['consultations']): Consultation {
  const c: Consultation = { slug: r.slug, title: r.title, territory: r.territory, status: r.status as Consultation['status'], themes: JSON.parse(r.themes_json) };
  if (r.territory_level === 'departement' || r.territory_level === 'region') c.territoryLevel = r.territory_level;
  if (r.period_start) c.periodStart = r.period_start;
  if (r.period_end) c.periodEnd = r.period_end;
  if (r.description) c.description = r.description;
  if (r.reopened_until) c.reopenedUntil = r.reopened_until;
  return c;
}

function documentFromRow(r: Database['source_documents']): SourceDocument & { consultation: string } {
  return {
    id: r.id, consultation: r.consultation, fileName: r.file_name, mediaType: r.media_type, sizeBytes: Number(r.size_bytes),
    importedAt: r.imported_at, parser: r.parser, parserVersion: r.parser_version, warnings: JSON.parse(r.warnings_json),
    ...(r.published_by && r.published_at ? { publication: { by: r.published_by, at: r.published_at } } : {}),
  };
}

export function meetingFromRow(r: MeetingRow): Meeting {
  const m: Meeting = {
    id: r.id, consultation: r.consultation, kind: r.kind as Meeting['kind'], title: r.title,
    participants: {
      elus: r.p_elus, institutionnels: r.p_institutionnels, professionnels: r.p_professionnels,
      associations: r.p_associations, usagers: r.p_usagers, autres: r.p_autres, total: r.p_total,
    },
  };
  const optional = <K extends keyof Meeting>(key: K, value: Meeting[K] | null) => { if (value !== null) m[key] = value; };
  optional('ref', r.ref); optional('place', r.place); optional('territory', r.territory); optional('date', r.date);
  optional('dateText', r.date_text); optional('time', r.time); optional('situation', r.situation);
  optional('deroulement', r.deroulement); optional('perspectives', r.perspectives);
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
