/**
 * Large imports on SQLite, written in short transactions so the site keeps answering (issue 9, point 6).
 *
 * SQLite has one writer at a time: a 60k-row import in one transaction holds the write lock for its
 * whole duration, and every submission of the public form waits for it. Here a new document is
 * written into a hidden staging consultation (`~import~<document id>`, never listed, a draft, and a
 * slug no user can create) in transactions of STAGE_CHUNK contributions, with a pause between them
 * so other writers get the lock. One last short transaction moves the document, its meetings and its
 * contributions into the real consultation: readers see all of it or nothing. A killed import leaves
 * only the staging consultation, removed by the next import of the same document or, once its
 * heartbeat is stale, by any import or at start-up.
 *
 * PostgreSQL keeps the single transaction: its writers do not block each other or the readers.
 */
import type { Transaction } from 'kysely';
import type { Contribution } from '../domain/contribution.ts';
import type { ParsedDocument } from '../ingest/types.ts';
import { StoreError } from './errors.ts';
import type { Database, DatabaseHandle } from './schema.ts';
import { addLocalThemes, insertBatches, meetingToRow } from './rows.ts';

/** Imports with fewer contributions keep the single transaction: they hold the lock briefly anyway. */
export const STAGED_IMPORT_MIN = 2000;
const STAGE_CHUNK = 500;
/** Pause between two chunks: long enough for a waiting writer to take the lock. */
const STAGE_PAUSE_MS = 30;
export const STAGING_PREFIX = '~import~';
/** A staging consultation whose heartbeat is older than this belongs to a dead import. */
const STALE_STAGING_MS = 10 * 60_000;

export type InsertContributions = (trx: Transaction<Database>, consultation: string, items: Contribution[]) => Promise<void>;

export function isStagingSlug(slug: string): boolean {
  return slug.startsWith(STAGING_PREFIX);
}

export function shouldStageImport(store: DatabaseHandle, parsed: ParsedDocument): boolean {
  return store.dialect === 'sqlite' && parsed.contributions.length >= STAGED_IMPORT_MIN;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Imports a new document in stages. Returns undefined when the document is already stored (unchanged,
 * replaced or conflicting): that case stays with the single transaction of importParsed.
 */
export async function importStaged<Summary extends object>(store: DatabaseHandle, consultation: string, parsed: ParsedDocument,
  base: Summary, insert: InsertContributions,
  finish?: (trx: Transaction<Database>) => Promise<void>): Promise<(Summary & { outcome: 'imported' }) | undefined> {
  const db = store.db;
  const target = await db.selectFrom('consultations').select('slug').where('slug', '=', consultation).executeTakeFirst();
  if (!target || isStagingSlug(consultation)) throw new StoreError('not_found', `Consultation inconnue : « ${consultation} »`);
  const existing = await db.selectFrom('source_documents').select('consultation').where('id', '=', parsed.documentId).executeTakeFirst();
  const staging = `${STAGING_PREFIX}${parsed.documentId}`;
  if (existing && existing.consultation !== staging) return undefined;

  const ids = new Set<string>();
  for (const c of parsed.contributions) {
    if (ids.has(c.id)) throw new StoreError('invalid', `Identifiant de contribution en double dans le document : ${c.id}`);
    ids.add(c.id);
  }
  await removeStagedImports(store, staging);

  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('consultations').values({
        slug: staging, title: `Import en cours : ${parsed.fileName}`, territory: '', territory_level: null,
        period_start: null, period_end: null, status: 'draft', description: null, themes_json: '[]',
        created_at: new Date().toISOString(),
      }).execute();
      await trx.insertInto('source_documents').values({
        id: parsed.documentId, consultation: staging, file_name: parsed.fileName, media_type: parsed.mediaType,
        size_bytes: parsed.sizeBytes, imported_at: new Date().toISOString(), parser: parsed.parser,
        parser_version: parsed.parserVersion, warnings_json: JSON.stringify(parsed.warnings),
        syntheses_json: JSON.stringify(parsed.syntheses),
      }).execute();
      await insertBatches(parsed.meetings.map((m) => ({ ...meetingToRow(m, parsed.documentId), consultation: staging })),
        (rows) => trx.insertInto('meetings').values(rows).execute());
    });

    for (let i = 0; i < parsed.contributions.length; i += STAGE_CHUNK) {
      await sleep(STAGE_PAUSE_MS);
      await db.transaction().execute(async (trx) => {
        // the staging row is deleted by a concurrent clean-up only if it is stale: refresh it
        const alive = await trx.updateTable('consultations').set({ created_at: new Date().toISOString() }).where('slug', '=', staging).executeTakeFirst();
        if (Number(alive.numUpdatedRows) !== 1) throw new StoreError('conflict', `Import de « ${parsed.fileName} » interrompu : un autre import du même fichier a pris sa place.`);
        await insert(trx, staging, parsed.contributions.slice(i, i + STAGE_CHUNK));
      });
    }

    await sleep(STAGE_PAUSE_MS);
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('consultations').selectAll().where('slug', '=', consultation).executeTakeFirst();
      if (!row) throw new StoreError('not_found', `Consultation inconnue : « ${consultation} »`);
      await trx.updateTable('source_documents').set({ consultation, imported_at: new Date().toISOString() }).where('id', '=', parsed.documentId).execute();
      await trx.updateTable('meetings').set({ consultation }).where('document_id', '=', parsed.documentId).execute();
      await trx.updateTable('contributions').set({ consultation }).where('document_id', '=', parsed.documentId).execute();
      if (parsed.themes.length > 0) await addLocalThemes(trx, consultation, row.themes_json, parsed.themes);
      await trx.deleteFrom('consultations').where('slug', '=', staging).execute();
      if (finish) await finish(trx);
    });
    return { ...base, outcome: 'imported' };
  } catch (e) {
    await removeStagedImports(store, staging).catch(() => {});
    throw e;
  }
}

/**
 * Removes the staging consultation `slug` (if given) and every stale one, in short transactions:
 * their rows were never visible, so removing them in pieces changes nothing for readers.
 */
export async function removeStagedImports(store: DatabaseHandle, slug?: string): Promise<number> {
  const cutoff = new Date(Date.now() - STALE_STAGING_MS).toISOString();
  const rows = await store.db.selectFrom('consultations').select(['slug', 'created_at'])
    .where('slug', 'like', `${STAGING_PREFIX}%`).execute();
  const doomed = rows.filter((r) => r.slug === slug || r.created_at < cutoff).map((r) => r.slug);
  for (const s of doomed) {
    for (;;) {
      const r = await store.db.deleteFrom('contributions')
        .where('seq', 'in', (eb) => eb.selectFrom('contributions').select('seq').where('consultation', '=', s).limit(STAGE_CHUNK))
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) break;
    }
    await store.db.deleteFrom('consultations').where('slug', '=', s).execute();
  }
  return doomed.length;
}
