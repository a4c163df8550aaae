/**
 * Repository of syntheses: the `syntheses` table keeps, per synthesis, the last generated document
 * (`model_json`) and the human-written parts (`editorial_json`); `published_syntheses` the restitution served to
 * the public. Documents are stored as given (JSON); their shape is the synthesis module's.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { appDb } from './accounts.ts';
import { recordAudit } from './audit.ts';
import { enqueueNewsIn } from './engagement.ts';
import type { Store } from './store.ts';

export interface SynthesisKey { id: string; consultation: string; level: string; territory: string }
/** What the store needs of a generated document (the whole of it is stored). */
export interface StoredSynthesis extends SynthesisKey { generatedAt: string; editorial: unknown }

type Db = Store['db'] | Transaction<Database>;

/** The stored editorial parts of a synthesis (undefined when there are none). */
export async function readEditorial(store: Store, id: string): Promise<unknown> {
  const row = await store.db.selectFrom('syntheses').select('editorial_json').where('id', '=', id).executeTakeFirst();
  return row ? JSON.parse(row.editorial_json) : undefined;
}

/** The last generated document of a synthesis (undefined when never generated). */
export async function readSynthesis(store: Store, id: string): Promise<unknown> {
  return readSynthesisIn(store.db, id);
}

async function readSynthesisIn(db: Db, id: string): Promise<unknown> {
  const row = await db.selectFrom('syntheses').select('model_json').where('id', '=', id).executeTakeFirst();
  return row ? JSON.parse(row.model_json) ?? undefined : undefined;
}

export async function listSynthesisRows(store: Store, consultation: string, level?: string): Promise<{ id: string; level: string; territory: string; generatedAt: string }[]> {
  let q = store.db.selectFrom('syntheses').select(['id', 'level', 'territory', 'generated_at']).where('consultation', '=', consultation);
  if (level !== undefined) q = q.where('level', '=', level);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, level: r.level, territory: r.territory, generatedAt: r.generated_at }));
}

async function writeEditorialIn(db: Db, target: SynthesisKey, editorial: unknown): Promise<void> {
  const json = JSON.stringify(editorial);
  await db.insertInto('syntheses').values({
    id: target.id, consultation: target.consultation, level: target.level, territory: target.territory,
    generated_at: '', model_json: 'null', editorial_json: json,
  }).onConflict((oc) => oc.column('id').doUpdateSet({ editorial_json: json })).execute();
}

async function writeSynthesisIn(db: Db, doc: StoredSynthesis): Promise<void> {
  const model = JSON.stringify(doc);
  const editorial = JSON.stringify(doc.editorial);
  await db.insertInto('syntheses').values({
    id: doc.id, consultation: doc.consultation, level: doc.level, territory: doc.territory,
    generated_at: doc.generatedAt, model_json: model, editorial_json: editorial,
  }).onConflict((oc) => oc.column('id').doUpdateSet({ generated_at: doc.generatedAt, model_json: model, editorial_json: editorial })).execute();
}

/** Stores the editorial parts of a synthesis (creating its row when it was never generated), without audit: tests, imports. */
export async function writeEditorial(store: Store, target: SynthesisKey, editorial: unknown): Promise<void> {
  await writeEditorialIn(store.db, target, editorial);
}

/** Stores a generated document as the synthesis' current one, without audit: tests and benches. */
export async function writeSynthesis(store: Store, doc: StoredSynthesis): Promise<void> {
  await writeSynthesisIn(store.db, doc);
}

type Audit = { actor: string; at: string };

/**
 * Stores a generated document with its audit entry (`synthesis.generate`: `before` summarises the document it
 * replaces, if any), in one transaction. Returns the document it replaced.
 */
export async function saveGeneratedSynthesis<D extends StoredSynthesis>(store: Store, doc: D,
  audit: Audit & { before: (previous: D) => unknown; after: unknown }): Promise<D | undefined> {
  return store.db.transaction().execute(async (trx) => {
    const previous = await readSynthesisIn(trx, doc.id) as D | undefined;
    await writeSynthesisIn(trx, doc);
    await recordAudit(trx, {
      actor: audit.actor, action: 'synthesis.generate', consultation: doc.consultation, targetType: 'synthesis', targetId: doc.id, at: audit.at,
      before: previous ? audit.before(previous) : null, after: audit.after,
    });
    return previous;
  });
}

/** Stores the editorial parts with their audit entry (`synthesis.editorial`) in one transaction. */
export async function saveEditorialChange(store: Store, target: SynthesisKey, change: { before: unknown; after: unknown }, audit: Audit): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await writeEditorialIn(trx, target, change.after);
    await recordAudit(trx, {
      actor: audit.actor, action: 'synthesis.editorial', consultation: target.consultation, targetType: 'synthesis', targetId: target.id, at: audit.at,
      before: change.before, after: change.after,
    });
  });
}

/**
 * Publishes a verified document: stores it as the synthesis' current one and as the public restitution (its HTML
 * and the contributions it relies on, which flag it stale when they change), with its audit entry
 * (`synthesis.publish`), in one transaction.
 */
export async function savePublication(store: Store, doc: StoredSynthesis, p: { html: string; contributions: string[]; after: unknown; notifySubscribers?: boolean }, audit: Audit): Promise<void> {
  await appDb(store).transaction().execute(async (trx) => {
    // the consultation's subscribers are told in the same transaction (one message each in the outbox)
    if (p.notifySubscribers) await enqueueNewsIn(trx as unknown as Transaction<Database>, doc.consultation, 'restitution', audit.at, randomUUID);
    await writeSynthesisIn(trx as unknown as Transaction<Database>, doc);
    const relied = { contributions_json: JSON.stringify(p.contributions), stale_since: null, stale_reason: null };
    await trx.insertInto('published_syntheses').values({
      id: doc.id, consultation: doc.consultation, level: doc.level, territory: doc.territory, html: p.html, published_at: audit.at, published_by: audit.actor, ...relied,
    }).onConflict((oc) => oc.column('id').doUpdateSet({ html: p.html, published_at: audit.at, published_by: audit.actor, ...relied })).execute();
    await recordAudit(trx, {
      actor: audit.actor, action: 'synthesis.publish', consultation: doc.consultation, targetType: 'synthesis', targetId: doc.id, at: audit.at,
      before: null, after: p.after,
    });
  });
}
