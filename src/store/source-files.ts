/**
 * The original bytes of imported documents (migration 0008_source_files). A document's id is the
 * sha256 of its bytes, so the bytes are checked against it before they are kept; the row cascades
 * with its document.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { StoreError } from './errors.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Keeps the bytes of a document (call it in the import's transaction); the same bytes twice are a no-op.
 * `sha256` is the bytes' hash: the document id itself, unless it is a consultation's own id for them (ingest/rebase.ts).
 */
export async function saveSourceFile(db: Db, documentId: string, fileName: string, bytes: Uint8Array, sha256 = documentId): Promise<void> {
  if (sha256Hex(bytes) !== sha256) {
    throw new StoreError('invalid', `Le contenu de « ${fileName} » ne correspond pas au document lu (le fichier a-t-il changé pendant l’import ?). Rien n’a été importé.`);
  }
  await db.insertInto('source_files').values({ document_id: documentId, content: bytes })
    .onConflict((oc) => oc.column('document_id').doNothing()).execute();
}

/** The stored bytes of a document, or undefined when they were not kept (imported before 0008). */
export async function readSourceFile(db: Db, documentId: string): Promise<Uint8Array | undefined> {
  const r = await db.selectFrom('source_files').select('content').where('document_id', '=', documentId).executeTakeFirst();
  return r ? new Uint8Array(r.content) : undefined;
}
