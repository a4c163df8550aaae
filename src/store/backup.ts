/**
 * Backup and restore of the embedded SQLite database (`fabrique backup`, `fabrique restore`).
 *
 * A backup goes through SQLite's online backup API, which reads one consistent snapshot that
 * includes what is still in the write-ahead log (copying the file alone misses it). It can run
 * while a server writes. A restore replaces the database file atomically and refuses to run while
 * another process has the database open. PostgreSQL is backed up with its own tools (pg_dump).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { migrationProvider } from './migrations.ts';
import { StoreError } from './errors.ts';
import { Store } from './store.ts';
import { plural } from '../text/french.ts';

/** Exit code of `fabrique backup` / `fabrique restore` on PostgreSQL: nothing done, use pg_dump / pg_restore. */
export const POSTGRES_EXIT_CODE = 3;

export function postgresBackupGuidance(): string {
  return [
    'La base est PostgreSQL : « fabrique backup » ne s’applique qu’à la base SQLite embarquée.',
    'Sauvegardez-la avec les outils de PostgreSQL (cohérent même pendant que le serveur écrit) :',
    '  pg_dump --format=custom --file=fabrique.dump "$DATABASE_URL"',
    'puis vérifiez la sauvegarde :',
    '  pg_restore --list fabrique.dump',
    'Pour une seule consultation, indépendamment de la base : fabrique export consultation --consultation <slug> --format archive --out archive.zip',
  ].join('\n');
}

export function postgresRestoreGuidance(): string {
  return [
    'La base est PostgreSQL : « fabrique restore » ne s’applique qu’à la base SQLite embarquée.',
    'Restaurez une sauvegarde pg_dump dans une base vide, serveur Fabrique arrêté :',
    '  createdb fabrique_restauree && pg_restore --no-owner --dbname=postgres://…/fabrique_restauree fabrique.dump',
    'puis pointez DATABASE_URL vers cette base et lancez « fabrique init » (migrations).',
    'Une archive de consultation se réimporte avec : fabrique import archive.zip',
  ].join('\n');
}

export interface DatabaseReport {
  path: string;
  sizeBytes: number;
  /** rows per table (SQLite internals and the full-text index excluded) */
  counts: Record<string, number>;
  migrations: string[];
}

export interface RestoreReport extends DatabaseReport {
  /** migrations applied to bring the restored database to the current version */
  migrated: string[];
  replaced: boolean;
}

/**
 * Writes a consistent copy of the store's SQLite database to `out`, then checks the copy
 * (integrity, foreign keys) before moving it into place. `out` is not overwritten unless `force`.
 */
export async function backupSqlite(store: Store, out: string, opts: { force?: boolean } = {}): Promise<DatabaseReport> {
  const handle = store.sqlite;
  if (!handle) throw new StoreError('invalid', postgresBackupGuidance());
  const path = resolve(out);
  if (store.location === path) throw new StoreError('invalid', 'La sauvegarde ne peut pas remplacer la base elle-même : choisissez un autre fichier.');
  if (existsSync(path) && !opts.force) throw new StoreError('conflict', `Le fichier ${out} existe déjà : choisissez un autre nom ou ajoutez --force pour le remplacer.`);
  if (!existsSync(dirname(path))) throw new StoreError('invalid', `Le dossier ${dirname(out)} n’existe pas.`);
  const tmp = besideTemp(path, 'sauvegarde');
  try {
    // One step for all pages: the copy is read in a single transaction, so concurrent writers can
    // neither restart it forever nor make it mix two states.
    await handle.backup(tmp, { progress: () => 0x7fffffff });
    const report = verifyDatabaseFile(tmp, { selfContained: true });
    fsyncFile(tmp);
    renameSync(tmp, path);
    fsyncFile(dirname(path));
    return { ...report, path };
  } catch (e) {
    removeDatabaseFiles(tmp);
    throw e;
  }
}

/**
 * Checks that a file is a sound Fabrique database: SQLite, integrity and foreign keys checked,
 * with the migrations table, and no migration unknown to this version. Nothing is written to it.
 */
export async function inspectDatabaseFile(path: string): Promise<DatabaseReport> {
  if (!existsSync(path)) throw new StoreError('not_found', `Fichier introuvable : ${path}`);
  if (statSync(path).isDirectory()) throw new StoreError('invalid', `${path} est un dossier, pas une base de données.`);
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try { readSync(fd, head, 0, 16, 0); } finally { closeSync(fd); }
  if (head.toString('latin1') !== 'SQLite format 3\u0000') throw new StoreError('invalid', `${path} n’est pas une base de données SQLite (ni une sauvegarde de « fabrique backup »).`);
  const report = verifyDatabaseFile(path, { readonly: true });
  await checkMigrationsKnown(report);
  return report;
}

/**
 * Replaces the SQLite database at `target` with the backup `source`: the backup is checked, copied
 * beside the target, migrated to the current version and checked again, made durable, then renamed
 * over the target in one step. Refuses while another process (a server) has the target open, and
 * refuses to replace a non-empty database unless `force`.
 */
export async function restoreSqlite(source: string, target: string, opts: { force?: boolean } = {}): Promise<RestoreReport> {
  const src = resolve(source);
  const dst = resolve(target);
  if (src === dst) throw new StoreError('invalid', 'La sauvegarde à restaurer est la base elle-même.');
  const backupReport = await inspectDatabaseFile(src);
  let replaced = false;
  if (existsSync(dst)) {
    const current = claimUnused(dst);
    replaced = true;
    if (current.rows > 0 && !opts.force) {
      throw new StoreError('conflict', `La base ${target} n’est pas vide (${current.rows} lignes${current.fabrique ? '' : ', et ce n’est pas une base Fabrique'}) : ` +
        'ajoutez --force pour la remplacer (faites d’abord « fabrique backup » si vous voulez la garder).');
    }
  }
  if (!existsSync(dirname(dst))) throw new StoreError('invalid', `Le dossier ${dirname(target)} n’existe pas.`);
  const tmp = besideTemp(dst, 'restauration');
  try {
    const from = new SQLite(src, { readonly: true, fileMustExist: true });
    try { await from.backup(tmp, { progress: () => 0x7fffffff }); } finally { from.close(); }
    const store = await Store.open({ sqlitePath: tmp });
    await store.close();
    const report = verifyDatabaseFile(tmp, { selfContained: true });
    const migrated = report.migrations.filter((m) => !backupReport.migrations.includes(m));
    fsyncFile(tmp);
    // Checked again just before the switch: a server started meanwhile would keep writing to the old file.
    if (existsSync(dst)) claimUnused(dst);
    // The old log and index belong to the old file: left beside the new one, SQLite would replay them into it.
    for (const suffix of ['-wal', '-shm']) rmSync(dst + suffix, { force: true });
    renameSync(tmp, dst);
    fsyncFile(dirname(dst));
    return { ...report, path: dst, migrated, replaced };
  } catch (e) {
    removeDatabaseFiles(tmp);
    throw e;
  }
}

/** Names of the migrations this version knows. */
async function knownMigrations(): Promise<Set<string>> {
  return new Set(Object.keys(await migrationProvider('sqlite').getMigrations()));
}

function verifyDatabaseFile(path: string, opts: { readonly?: boolean; selfContained?: boolean }): DatabaseReport {
  let db: SQLite.Database;
  try {
    db = new SQLite(path, { readonly: opts.readonly ?? false, fileMustExist: true });
  } catch (e) {
    throw new StoreError('invalid', `Ouverture impossible de ${path} : ${(e as Error).message}`);
  }
  try {
    // A backup is one file: rollback journal mode, no -wal beside it to lose when it is copied.
    if (opts.selfContained) db.pragma('journal_mode = DELETE');
    let integrity: string[];
    try {
      integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (e) {
      throw new StoreError('invalid', `${path} n’est pas une base de données SQLite lisible (${(e as Error).message}).`);
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      throw new StoreError('invalid', `La base ${path} est endommagée (contrôle d’intégrité : ${integrity.slice(0, 3).join(' ; ')}).`);
    }
    const tables = userTables(db);
    if (!tables.includes('kysely_migration') || !tables.includes('consultations')) {
      throw new StoreError('invalid', `${path} est une base SQLite mais pas une base Fabrique (table des migrations absente).`);
    }
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) throw new StoreError('invalid', `La base ${path} a ${plural(fk.length, 'référence cassée', 'références cassées')} entre tables.`);
    const migrations = (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    const counts: Record<string, number> = {};
    for (const t of tables) {
      if (t.startsWith('kysely_')) continue;
      counts[t] = (db.prepare(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n;
    }
    return { path, sizeBytes: statSync(path).size, counts, migrations };
  } finally {
    db.close();
  }
}

/** A database written by a newer Fabrique would be half-understood: refuse it. */
async function checkMigrationsKnown(report: DatabaseReport): Promise<void> {
  const known = await knownMigrations();
  const unknown = report.migrations.filter((m) => !known.has(m));
  if (unknown.length) {
    throw new StoreError('invalid', `La base ${report.path} vient d’une version plus récente de Fabrique (migrations inconnues : ${unknown.join(', ')}) : mettez Fabrique à jour avant de la restaurer.`);
  }
}

function userTables(db: SQLite.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'contributions_fts%' ORDER BY name`)
    .all() as { name: string }[]).map((r) => r.name);
}

/**
 * Proves no other process has the database open, by taking SQLite's exclusive lock without waiting
 * (every connection to a WAL database holds a shared lock while it is open), then folds the
 * write-ahead log into the file. Returns how many rows it holds.
 */
function claimUnused(path: string): { rows: number; fabrique: boolean } {
  let db: SQLite.Database;
  try {
    db = new SQLite(path, { fileMustExist: true, timeout: 0 });
  } catch (e) {
    throw new StoreError('invalid', `Ouverture impossible de la base ${path} : ${(e as Error).message}`);
  }
  try {
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY' || (e as { code?: string }).code === 'SQLITE_LOCKED') {
        throw new StoreError('unavailable', `La base ${path} est ouverte par un autre processus (un serveur « fabrique serve » ?) : arrêtez-le avant de restaurer.`);
      }
      if ((e as { code?: string }).code === 'SQLITE_NOTADB') return { rows: 1, fabrique: false };
      throw e;
    }
    const tables = userTables(db);
    let rows = 0;
    for (const t of tables) {
      if (t.startsWith('kysely_')) continue;
      rows += (db.prepare(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`).get() as { n: number }).n;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { rows, fabrique: tables.includes('kysely_migration') };
  } finally {
    db.close();
  }
}

function besideTemp(path: string, what: string): string {
  return join(dirname(path), `.${basename(path)}.${what}-${randomBytes(4).toString('hex')}`);
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}
