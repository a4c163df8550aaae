/**
 * The easy-to-read summary (FALC) of a consultation's restitution (migration 0028_easy_read): the draft written in
 * the back office and the copy published for the public, each change with its audit entry in its transaction.
 */
import type { EasyReadSummary } from '../domain/easy-read.ts';
import { recordAudit } from './audit.ts';
import type { Store } from './store.ts';

export interface StoredEasyRead {
  draft: EasyReadSummary;
  updatedAt: string;
  updatedBy: string;
  published: EasyReadSummary | null;
  publishedAt: string | null;
  publishedBy: string | null;
}

interface Audit { actor: string; at: string }

export async function getEasyRead(store: Store, consultation: string): Promise<StoredEasyRead | undefined> {
  const r = await store.db.selectFrom('easy_read_summaries').selectAll().where('consultation', '=', consultation).executeTakeFirst();
  if (!r) return undefined;
  return {
    draft: JSON.parse(r.draft_json) as EasyReadSummary, updatedAt: r.updated_at, updatedBy: r.updated_by,
    published: r.published_json ? JSON.parse(r.published_json) as EasyReadSummary : null, publishedAt: r.published_at, publishedBy: r.published_by,
  };
}

/** Saves the draft (the published copy stays as it is), audited `easy_read.save`. */
export async function saveEasyReadDraft(store: Store, consultation: string, draft: EasyReadSummary, audit: Audit): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('easy_read_summaries').select('draft_json').where('consultation', '=', consultation).executeTakeFirst();
    const values = { draft_json: JSON.stringify(draft), updated_at: audit.at, updated_by: audit.actor };
    await trx.insertInto('easy_read_summaries').values({ consultation, ...values, published_json: null, published_at: null, published_by: null })
      .onConflict((oc) => oc.column('consultation').doUpdateSet(values)).execute();
    await recordAudit(trx, {
      actor: audit.actor, action: 'easy_read.save', consultation, targetType: 'easy_read', targetId: consultation, at: audit.at,
      before: before ? JSON.parse(before.draft_json) : null, after: draft,
    });
  });
}

/**
 * Publishes the draft as it is stored now, or withdraws the published copy; audited `easy_read.publish` /
 * `easy_read.withdraw`. Undefined when there is no draft.
 */
export async function setEasyReadPublication(store: Store, consultation: string, publish: boolean, audit: Audit): Promise<StoredEasyRead | undefined> {
  return store.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('easy_read_summaries').selectAll().where('consultation', '=', consultation).executeTakeFirst();
    if (!r) return undefined;
    const published = publish ? r.draft_json : null;
    await trx.updateTable('easy_read_summaries').set({
      published_json: published, published_at: publish ? audit.at : null, published_by: publish ? audit.actor : null,
    }).where('consultation', '=', consultation).execute();
    await recordAudit(trx, {
      actor: audit.actor, action: publish ? 'easy_read.publish' : 'easy_read.withdraw', consultation, targetType: 'easy_read', targetId: consultation, at: audit.at,
      before: r.published_json ? { publishedAt: r.published_at } : null, after: publish ? JSON.parse(r.draft_json) : null,
    });
    return {
      draft: JSON.parse(r.draft_json) as EasyReadSummary, updatedAt: r.updated_at, updatedBy: r.updated_by,
      published: published ? JSON.parse(published) as EasyReadSummary : null, publishedAt: publish ? audit.at : null, publishedBy: publish ? audit.actor : null,
    };
  });
}
