/**
 * Lossless consultation archive (docs/format-archive.md): one ZIP holding a manifest, one JSON
 * entry per table with every row of the consultation (all columns, JSON columns decoded), and the
 * original bytes of its source documents. The archive is independent of the database: exported
 * from SQLite it imports into PostgreSQL and back. An import is one transaction, checked first.
 */
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from './audit.ts';
import { consultationTerritoryLevel } from './indicators.ts';
import { detachPlanItemLinks } from './links.ts';
import { migrationProvider } from './migrations.ts';
import type { Database } from './schema.ts';
import { searchTerms } from './search-terms.ts';
import { sha256Hex } from './source-files.ts';
import { StoreError } from './errors.ts';
import type { Store } from './store.ts';

export const ARCHIVE_FORMAT = 'fabrique-consultation-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
/** Ceiling on the expanded size of an archive read in memory (guards against ZIP bombs). */
const MAX_EXPANDED_BYTES = 2 * 1024 * 1024 * 1024;

export interface ArchiveEntry {
  name: string;
  sha256: string;
  bytes: number;
  /** for table entries: the table and its row count */
  table?: string;
  rows?: number;
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  appVersion: string;
  createdAt: string;
  consultation: string;
  sourceDatabase: 'sqlite' | 'postgres';
  /** migrations applied to the database it was exported from */
  migrations: string[];
  counts: Record<string, number>;
  entries: ArchiveEntry[];
  personalData: string;
}

type AnyDb = Kysely<any> | Transaction<any>;
type Row = Record<string, unknown>;

interface TableSpec {
  table: string;
  /** the consultation's rows, in a stable order (arrival order where it matters) */
  rows: (db: AnyDb, slug: string, ctx: ExportContext) => Promise<Row[]>;
  /** columns the database fills itself: not archived, regenerated on import (in the archived order) */
  generated?: string[];
  /** reference data shared by consultations: missing rows are added, existing ones kept as they are */
  sharedKey?: string[];
  /** tables whose ids are global: an id owned by another consultation stops the import */
  globalId?: string;
}

interface ExportContext { territoryCodes: string[]; territoryLevel: string; territory: string }

const byConsultation = (table: string, order: string[]) => (db: AnyDb, slug: string) =>
  order.reduce((q, col) => q.orderBy(col), db.selectFrom(table).selectAll().where('consultation', '=', slug)).execute() as Promise<Row[]>;

const ofContributions = (table: string, order: string[]) => (db: AnyDb, slug: string) =>
  order.reduce((q, col) => q.orderBy(col), db.selectFrom(table).selectAll()
    .where('contribution_id', 'in', db.selectFrom('contributions').select('id').where('consultation', '=', slug))).execute() as Promise<Row[]>;

/** Every consultation-scoped table, in insertion order (referenced rows first). */
const TABLES: TableSpec[] = [
  { table: 'consultations', rows: (db, slug) => db.selectFrom('consultations').selectAll().where('slug', '=', slug).execute() as Promise<Row[]> },
  {
    table: 'territories', sharedKey: ['level', 'code'],
    rows: (db, _slug, ctx) => ctx.territoryCodes.length === 0 ? Promise.resolve([])
      : db.selectFrom('territories').selectAll().where('code', 'in', ctx.territoryCodes).orderBy('level').orderBy('code').execute() as Promise<Row[]>,
  },
  {
    table: 'indicators', sharedKey: ['territory_level', 'territory', 'id', 'year'],
    rows: (db, _slug, ctx) => db.selectFrom('indicators').selectAll().where('territory', '=', ctx.territory)
      .where('territory_level', '=', ctx.territoryLevel).orderBy('position').orderBy('id').orderBy('year').execute() as Promise<Row[]>,
  },
  { table: 'source_documents', globalId: 'id', rows: byConsultation('source_documents', ['imported_at', 'id']) },
  {
    table: 'source_files',
    rows: (db, slug) => db.selectFrom('source_files').selectAll()
      .where('document_id', 'in', db.selectFrom('source_documents').select('id').where('consultation', '=', slug)).orderBy('document_id').execute() as Promise<Row[]>,
  },
  { table: 'meetings', globalId: 'id', rows: byConsultation('meetings', ['id']) },
  // a draft report holds texts as typed (not yet pseudonymised): personal data, like contribution_private
  { table: 'meeting_reports', rows: byConsultation('meeting_reports', ['meeting_id']) },
  { table: 'contributions', globalId: 'id', generated: ['seq', 'search_terms', 'search_vector', 'theme_count'], rows: byConsultation('contributions', ['seq']) },
  { table: 'contribution_themes', rows: ofContributions('contribution_themes', ['contribution_id', 'theme']) },
  { table: 'contribution_private', rows: ofContributions('contribution_private', ['contribution_id']) },
  // the postcode typed on the form (issue 16, the map): personal data, like contribution_private
  { table: 'contribution_areas', rows: ofContributions('contribution_areas', ['contribution_id']) },
  { table: 'idea_groups', globalId: 'id', rows: byConsultation('idea_groups', ['position', 'id']) },
  {
    table: 'idea_members',
    rows: (db, slug) => db.selectFrom('idea_members').selectAll()
      .where('group_id', 'in', db.selectFrom('idea_groups').select('id').where('consultation', '=', slug))
      .orderBy('group_id').orderBy('contribution_id').execute() as Promise<Row[]>,
  },
  { table: 'national_marks', rows: byConsultation('national_marks', ['target_type', 'target_id']) },
  { table: 'syntheses', globalId: 'id', rows: byConsultation('syntheses', ['generated_at', 'id']) },
  { table: 'published_syntheses', globalId: 'id', rows: byConsultation('published_syntheses', ['published_at', 'id']) },
  { table: 'easy_read_summaries', rows: byConsultation('easy_read_summaries', []) },
  { table: 'analysis_models', rows: byConsultation('analysis_models', ['created_at', 'purpose', 'version']) },
  { table: 'audit_log', generated: ['id'], rows: byConsultation('audit_log', ['id']) },
];

/** Tables of the instance, not of a consultation: never archived (accounts, sessions, migrations, search index). */
// accounts, sessions, facilitator assignments and rate limits belong to the database, not to the consultation;
// contribution_counts is derived by triggers from the rows (rebuilt as they are imported); jobs is the state of
// work in progress on this instance (its effects, groups or syntheses, are archived). The schémas territoriaux
// (plans and their rows, the regional catalogue shared by the région's plans) belong to a département, a
// consultation only optionally: they are not part of a consultation's archive and are imported again from
// their STS file (idempotent by its sha256); their data repère travel with the indicators table. The links of
// issue 14 (plan_links, plan_link_history) belong to a plan (their foreign key): without it in the archive they
// could not be imported; the link decisions are in the archived audit log (codes and ids, not the notes).
// The follow-up actions of issue 15 and their timeline belong to a plan too (foreign key), for the same reason,
// and so do the follow-up indicators and their measurements. action_accounts ties an action to an account: like
// consultation_assignments it belongs to the instance's accounts, which are never archived; so do the one-time
// password links (password_resets).
// Issue 16: content_reports are a moderation signal from anonymous visitors about the published texts of this
// instance, settled here (kept or unpublished, audited: the decision travels in the archived audit log, the
// visitors' own words do not); mail_subscriptions, mail_tokens and mail_outbox hold e-mail addresses given to this
// site for its own messages: they never leave it in an archive (another instance has no consent to write to them).
export const NOT_ARCHIVED_TABLES = ['users', 'sessions', 'consultation_assignments', 'rate_limits', 'contribution_counts', 'search_scopes', 'jobs', 'job_files', 'kysely_migration', 'kysely_migration_lock',
  'plan_catalogue', 'plans', 'plan_elements', 'plan_actions', 'plan_oqos', 'plan_items', 'plan_warnings', 'plan_links', 'plan_link_history', 'followup_actions', 'followup_timeline',
  'followup_indicators', 'followup_measurements', 'action_accounts', 'content_reports', 'mail_subscriptions', 'mail_tokens', 'mail_outbox', 'password_resets'];
export const ARCHIVED_TABLES = TABLES.map((t) => t.table);

const PERSONAL_DATA_NOTE = 'tables/contribution_private.json holds the original, unmasked texts of pseudonymised contributions, '
  + 'tables/contribution_areas.json the postcodes typed on the public form, '
  + 'and the source files may name people: this archive contains personal health data (GDPR art. 9). Store and send it as such.';

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'inconnue';
  }
}

async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute() as { name: string }[];
  return rows.map((r) => r.name);
}

/** Builds the archive of one consultation, read in one transaction so it is a consistent snapshot. */
export async function exportConsultationArchive(store: Store, slug: string): Promise<{ zip: Uint8Array; manifest: ArchiveManifest }> {
  // tables are addressed by name from TABLES: a view of the database without row types
  const db: Kysely<any> = store.db;
  // SQLite transactions are snapshots already; PostgreSQL needs repeatable read for one across statements.
  const tx = store.dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  return tx.execute(async (trx) => {
    const c = await trx.selectFrom('consultations').selectAll().where('slug', '=', slug).executeTakeFirst() as Database['consultations'] | undefined;
    if (!c) throw new StoreError('not_found', `Consultation inconnue : « ${slug} »`);
    const ctx: ExportContext = {
      territory: c.territory,
      territoryLevel: consultationTerritoryLevel({ territory: c.territory, ...(c.territory_level === 'region' || c.territory_level === 'departement' ? { territoryLevel: c.territory_level } : {}) }),
      territoryCodes: await usedTerritories(trx, slug, c.territory),
    };
    const files: Zippable = {};
    const entries: ArchiveEntry[] = [];
    const counts: Record<string, number> = {};
    const add = (name: string, data: Uint8Array, extra: Partial<ArchiveEntry> = {}) => {
      files[name] = data;
      entries.push({ name, sha256: sha256Hex(data), bytes: data.length, ...extra });
    };
    for (const spec of TABLES) {
      const rows = (await spec.rows(trx, slug, ctx)).map((r) => encodeRow(spec, r));
      if (spec.table === 'source_files') {
        for (const r of rows) {
          const name = `files/${String(r.document_id)}`;
          add(name, r.content as Uint8Array);
          r.content = name;
        }
        counts.files = rows.length;
      }
      counts[spec.table] = rows.length;
      add(`tables/${spec.table}.json`, strToU8(JSON.stringify({ table: spec.table, rows }, null, 1)), { table: spec.table, rows: rows.length });
    }
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT, formatVersion: ARCHIVE_FORMAT_VERSION, appVersion: appVersion(), createdAt: new Date().toISOString(),
      consultation: slug, sourceDatabase: store.dialect, migrations: await appliedMigrations(trx), counts, entries,
      personalData: PERSONAL_DATA_NOTE,
    };
    const zip = zipSync({ [MANIFEST]: strToU8(JSON.stringify(manifest, null, 2)), ...files }, { level: 6, mtime: new Date(manifest.createdAt) });
    return { zip, manifest };
  });
}

/** Codes of the consultation's territory, its meetings' and contributions', and their parents. */
async function usedTerritories(db: AnyDb, slug: string, own: string): Promise<string[]> {
  const codes = new Set<string>([own]);
  for (const table of ['meetings', 'contributions']) {
    const rows = await db.selectFrom(table).select('territory').distinct().where('consultation', '=', slug).where('territory', 'is not', null).execute() as { territory: string }[];
    for (const r of rows) codes.add(r.territory);
  }
  const all = await db.selectFrom('territories').select(['code', 'parent']).execute() as { code: string; parent: string | null }[];
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of all) if (codes.has(t.code) && t.parent && !codes.has(t.parent)) { codes.add(t.parent); grew = true; }
  }
  return [...codes].sort();
}

/**
 * A row as archived: generated columns dropped; `*_json` columns decoded (left out when NULL, so a
 * stored JSON `null` stays distinct from a NULL column).
 */
function encodeRow(spec: TableSpec, r: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) {
    if (spec.generated?.includes(k)) continue;
    if (k.endsWith('_json')) {
      if (v === null) continue;
      const decoded = JSON.parse(String(v)) as unknown;
      // Re-encoding must give back the stored text exactly, or the archive would not be lossless.
      if (JSON.stringify(decoded) !== v) throw new StoreError('invalid', `Table ${spec.table}, colonne ${k} : texte JSON non canonique, archive impossible sans perte.`);
      out[k] = decoded;
    } else if (v instanceof Uint8Array) out[k] = new Uint8Array(v);
    else out[k] = v;
  }
  return out;
}

function decodeRow(r: Row, files: Map<string, Uint8Array>, table: string, jsonColumns: string[]): Row {
  const out: Row = {};
  for (const k of jsonColumns) out[k] = null;
  for (const [k, v] of Object.entries(r)) {
    if (k.endsWith('_json')) out[k] = JSON.stringify(v);
    else if (table === 'source_files' && k === 'content') {
      const bytes = files.get(String(v));
      if (!bytes) throw new StoreError('invalid', `Archive incomplète : le fichier source ${String(v)} manque.`);
      out[k] = bytes;
    } else out[k] = v;
  }
  return out;
}

/** True when the bytes are a consultation archive (a ZIP whose manifest says so), whatever the file name. */
export function isConsultationArchive(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return false;
  try {
    const m = readManifestEntry(bytes);
    return m !== undefined && (m as { format?: unknown }).format === ARCHIVE_FORMAT;
  } catch {
    return false;
  }
}

function readManifestEntry(bytes: Uint8Array): unknown {
  const found = unzipSync(bytes, { filter: (f) => f.name === MANIFEST && f.originalSize < 64 * 1024 * 1024 });
  const m = found[MANIFEST];
  return m ? JSON.parse(strFromU8(m)) : undefined;
}

export interface ArchiveImportResult {
  consultation: string;
  replaced: boolean;
  counts: Record<string, number>;
  manifest: ArchiveManifest;
}

/**
 * Checks an archive completely (manifest, format version, sha256 of every entry, known migrations)
 * before anything is written. Returns the manifest and the decoded table rows.
 */
export async function readConsultationArchive(bytes: Uint8Array): Promise<{ manifest: ArchiveManifest; tables: Map<string, Row[]>; files: Map<string, Uint8Array> }> {
  let manifest: ArchiveManifest;
  try {
    const m = readManifestEntry(bytes);
    if (!m) throw new Error('manifest.json absent');
    manifest = m as ArchiveManifest;
  } catch (e) {
    throw new StoreError('invalid', `Ce fichier n’est pas une archive de consultation Fabrique lisible (${(e as Error).message}).`);
  }
  if (manifest.format !== ARCHIVE_FORMAT) throw new StoreError('invalid', 'Ce fichier ZIP n’est pas une archive de consultation Fabrique (manifeste d’un autre format).');
  if (manifest.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    throw new StoreError('invalid', `Version de format d’archive inconnue : ${String(manifest.formatVersion)} (cette version de Fabrique lit la version ${ARCHIVE_FORMAT_VERSION}). Rien n’a été importé.`);
  }
  if (!Array.isArray(manifest.entries) || !Array.isArray(manifest.migrations) || typeof manifest.consultation !== 'string') {
    throw new StoreError('invalid', 'Manifeste d’archive incomplet (entrées, migrations ou consultation manquantes). Rien n’a été importé.');
  }
  const known = new Set(Object.keys(await migrationProvider('sqlite').getMigrations()));
  const newer = manifest.migrations.filter((m) => !known.has(m));
  if (newer.length) throw new StoreError('invalid', `Archive produite par une version plus récente de Fabrique (migrations inconnues : ${newer.join(', ')}) : mettez Fabrique à jour. Rien n’a été importé.`);

  const listed = new Map(manifest.entries.map((e) => [e.name, e]));
  const unlisted: string[] = [];
  let expanded = 0;
  const content = unzipSync(bytes, {
    filter: (f) => {
      if (f.name === MANIFEST || f.name.endsWith('/')) return false;
      if (!listed.has(f.name)) { unlisted.push(f.name); return false; }
      expanded += f.originalSize;
      if (expanded > MAX_EXPANDED_BYTES) throw new StoreError('too_large', 'Archive trop volumineuse une fois décompressée. Rien n’a été importé.');
      return true;
    },
  });
  if (unlisted.length) throw new StoreError('invalid', `L’archive contient des fichiers absents de son manifeste (${unlisted.slice(0, 3).join(', ')}) : elle a été modifiée. Rien n’a été importé.`);
  for (const e of manifest.entries) {
    const data = content[e.name];
    if (!data) throw new StoreError('invalid', `Archive incomplète : ${e.name} manque. Rien n’a été importé.`);
    if (sha256Hex(data) !== e.sha256) throw new StoreError('invalid', `L’empreinte sha256 de ${e.name} ne correspond pas au manifeste : l’archive a été modifiée ou abîmée. Rien n’a été importé.`);
  }
  const tables = new Map<string, Row[]>();
  const files = new Map<string, Uint8Array>();
  for (const e of manifest.entries) {
    if (e.name.startsWith('files/')) { files.set(e.name, content[e.name]!); continue; }
    const spec = TABLES.find((t) => `tables/${t.table}.json` === e.name);
    if (!spec) throw new StoreError('invalid', `Entrée d’archive inconnue : ${e.name}. Rien n’a été importé.`);
    const parsed = JSON.parse(strFromU8(content[e.name]!)) as { table?: string; rows?: unknown };
    if (parsed.table !== spec.table || !Array.isArray(parsed.rows) || parsed.rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      throw new StoreError('invalid', `Entrée ${e.name} mal formée. Rien n’a été importé.`);
    }
    tables.set(spec.table, parsed.rows as Row[]);
  }
  const consultations = tables.get('consultations') ?? [];
  if (consultations.length !== 1 || consultations[0]!.slug !== manifest.consultation) {
    throw new StoreError('invalid', 'L’archive ne contient pas exactement la consultation annoncée par son manifeste. Rien n’a été importé.');
  }
  for (const [table, rows] of tables) {
    const owner = table === 'consultations' ? 'slug' : 'consultation';
    if (rows.some((r) => owner in r && r[owner] !== manifest.consultation)) {
      throw new StoreError('invalid', `L’archive mêle plusieurs consultations (table ${table}). Rien n’a été importé.`);
    }
  }
  checkReferences(tables);
  return { manifest, tables, files };
}

/** Column → table whose archived ids it must name (or null): an archive never reaches rows outside itself. */
const REFERENCES: { table: string; column: string; target: string; nullable?: boolean }[] = [
  { table: 'source_files', column: 'document_id', target: 'source_documents' },
  { table: 'meetings', column: 'document_id', target: 'source_documents', nullable: true },
  { table: 'contributions', column: 'document_id', target: 'source_documents', nullable: true },
  { table: 'contributions', column: 'meeting', target: 'meetings', nullable: true },
  { table: 'contribution_themes', column: 'contribution_id', target: 'contributions' },
  { table: 'contribution_private', column: 'contribution_id', target: 'contributions' },
  { table: 'contribution_areas', column: 'contribution_id', target: 'contributions' },
  { table: 'idea_groups', column: 'parent', target: 'idea_groups', nullable: true },
  { table: 'idea_members', column: 'group_id', target: 'idea_groups' },
  { table: 'idea_members', column: 'contribution_id', target: 'contributions' },
];

function checkReferences(tables: Map<string, Row[]>): void {
  for (const ref of REFERENCES) {
    const ids = new Set((tables.get(ref.target) ?? []).map((r) => r.id));
    const bad = (tables.get(ref.table) ?? []).find((r) => {
      const v = r[ref.column];
      return (v === null || v === undefined) ? !ref.nullable : !ids.has(v);
    });
    if (bad) {
      throw new StoreError('invalid', `L’archive est incohérente : ${ref.table}.${ref.column} = ${String(bad[ref.column])} ne désigne aucune ligne de ${ref.target} de l’archive. Rien n’a été importé.`);
    }
  }
}

/**
 * Restores an archived consultation, ids and all, in one transaction. Refuses when the
 * consultation exists (unless `force`, which replaces it and its audit entries) or when one of its
 * global ids (documents, contributions…) belongs to another consultation of this database.
 */
export async function importConsultationArchive(store: Store, bytes: Uint8Array, opts: { force?: boolean; actor?: string } = {}): Promise<ArchiveImportResult> {
  const { manifest, tables, files } = await readConsultationArchive(bytes);
  const slug = manifest.consultation;
  const db: Kysely<any> = store.db; // tables addressed by name from TABLES
  let replaced = false;
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('consultations').select('slug').where('slug', '=', slug).executeTakeFirst();
    if (existing) {
      if (!opts.force) throw new StoreError('conflict', `La consultation « ${slug} » existe déjà dans cette base : ajoutez --force pour la remplacer par l’archive. Rien n’a été importé.`);
      // The cascades remove everything the consultation owns; its audit entries are replaced by the archive's.
      // Its plan's own items keep their links (the plan stays, without consultation, as on a deletion).
      await detachPlanItemLinks(trx, slug);
      await trx.deleteFrom('consultations').where('slug', '=', slug).execute();
      await trx.deleteFrom('audit_log').where('consultation', '=', slug).execute();
      replaced = true;
    }
    for (const spec of TABLES) {
      if (spec.globalId) await refuseForeignIds(trx, spec, tables.get(spec.table) ?? [], slug);
    }
    for (const spec of TABLES) {
      const archived = tables.get(spec.table) ?? [];
      const jsonColumns = [...new Set(archived.flatMap((r) => Object.keys(r).filter((k) => k.endsWith('_json'))))];
      let rows = archived.map((r) => decodeRow(r, files, spec.table, jsonColumns));
      if (spec.table === 'contributions') {
        const withSearch = store.dialect === 'sqlite';
        rows = rows.map((r) => ({ ...r, search_terms: withSearch ? searchTerms(String(r.text)).join(' ') : null }));
      }
      if (spec.table === 'idea_groups') rows = parentsFirst(rows);
      counts[spec.table] = rows.length;
      if (rows.length === 0) continue;
      if (spec.sharedKey) {
        const key = spec.sharedKey;
        for (const r of rows) await trx.insertInto(spec.table).values(r).onConflict((oc) => oc.columns(key).doNothing()).execute();
        continue;
      }
      // 100 rows per statement stays far below the bind-parameter limits of both databases.
      for (let i = 0; i < rows.length; i += 100) await trx.insertInto(spec.table).values(rows.slice(i, i + 100)).execute();
    }
    await recordAudit(trx, {
      actor: opts.actor ?? 'cli', action: 'consultation.archive_import', consultation: slug, targetType: 'consultation', targetId: slug,
      after: { archiveCreatedAt: manifest.createdAt, appVersion: manifest.appVersion, sourceDatabase: manifest.sourceDatabase, replaced, counts },
    });
  });
  return { consultation: slug, replaced, counts, manifest };
}

async function refuseForeignIds(db: AnyDb, spec: TableSpec, rows: Row[], slug: string): Promise<void> {
  const ids = rows.map((r) => String(r[spec.globalId!]));
  for (let i = 0; i < ids.length; i += 500) {
    const clash = await db.selectFrom(spec.table).select([spec.globalId!, 'consultation']).where(spec.globalId!, 'in', ids.slice(i, i + 500))
      .where('consultation', '!=', slug).limit(1).executeTakeFirst() as Row | undefined;
    if (clash) {
      throw new StoreError('conflict', `L’identifiant ${String(clash[spec.globalId!])} (table ${spec.table}) appartient déjà à la consultation « ${String(clash.consultation)} » de cette base. Rien n’a été importé.`);
    }
  }
}

/** Idea groups with each parent before its children (the stored order already is, unless edited by hand). */
function parentsFirst(rows: Row[]): Row[] {
  const ids = new Set(rows.map((r) => r.id));
  const placed = new Set<unknown>();
  const out: Row[] = [];
  let pending = rows;
  while (pending.length) {
    const next = pending.filter((r) => {
      if (r.parent === null || !ids.has(r.parent) || placed.has(r.parent)) { out.push(r); placed.add(r.id); return false; }
      return true;
    });
    if (next.length === pending.length) { out.push(...next); break; }
    pending = next;
  }
  return out;
}

/** Lists the tables of the database (for the test that every table is either archived or excluded on purpose). */
export async function databaseTables(store: Store): Promise<string[]> {
  if (store.dialect === 'sqlite') {
    const r = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'contributions_fts%' ORDER BY name`.execute(store.db);
    return r.rows.map((x) => x.name);
  }
  const r = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(store.db);
  return r.rows.map((x) => x.name);
}
