/**
 * Changes made through the web application to contributions: originals of pseudonymised texts (kept
 * apart from the public text), moderation decisions, human theme decisions, published restitutions.
 * Each change is one transaction with its audit entry.
 */
import { PUBLIC_MODERATION_STATUS, type Contribution, type ModerationStatus, type ThemeAssignment } from '../domain/contribution.ts';
import { publishDocumentIn, type DocumentPublication, type Store } from './store.ts';
import type { Database } from './schema.ts';
import type { Transaction } from 'kysely';
import { StoreError } from './errors.ts';
import { searchTerms } from './search-terms.ts';
import { appDb, type AppDb } from './accounts.ts';
import { recordAudit } from './audit.ts';
import { insertContributionAreas } from './contribution-areas.ts';
import { flagStaleRestitutions } from './stale-restitutions.ts';

export interface MaskedSpanJson { kind: string; start: number; end: number; original: string }

export interface PrivateText { original: string; masked: MaskedSpanJson[] }

export interface NewPrivateContribution {
  contribution: Contribution;
  /** the text as written, before pseudonymisation (kept only when it differs from the public text) */
  original?: string;
  masked?: MaskedSpanJson[];
  /** the postcode typed on the public form (table contribution_areas, personal data: only counts leave) */
  postcode?: string;
}

/**
 * Adds contributions (form, workshop report) in one transaction, with the originals of their
 * pseudonymised texts (the store pseudonymises every text it writes and keeps the original apart)
 * and, when `audit` is given, one audit entry per contribution, of its public text.
 */
export async function addContributionsWithOriginals(store: Store, consultation: string, items: NewPrivateContribution[],
  audit?: { actor: string; action: string }, also?: (db: AppDb) => Promise<void>): Promise<void> {
  await store.addContributions(consultation, items, async (trx, stored) => {
    const db = trx;
    const areas = items.filter((i) => i.postcode !== undefined).map((i) => ({ contributionId: i.contribution.id, postcode: i.postcode! }));
    if (areas.length) await insertContributionAreas(db, consultation, areas);
    if (also) await also(db);
    if (audit) {
      const at = new Date().toISOString();
      const entries = stored.map((c) => ({
        at, actor: audit.actor, action: audit.action, consultation, target_type: 'contribution', target_id: c.id, before_json: null,
        after_json: JSON.stringify({ text: c.text, kind: c.kind ?? null, themes: c.themes.map((t) => t.theme) }),
        undone_at: null,
      }));
      for (let k = 0; k < entries.length; k += 200) await db.insertInto('audit_log').values(entries.slice(k, k + 200)).execute();
    }
  });
}

export async function privateTexts(store: Store, ids: string[]): Promise<Map<string, PrivateText>> {
  const out = new Map<string, PrivateText>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await appDb(store).selectFrom('contribution_private').selectAll().where('contribution_id', 'in', chunk).execute();
    for (const r of rows) out.set(r.contribution_id, { original: r.original_text, masked: JSON.parse(r.masked_json) as MaskedSpanJson[] });
  }
  return out;
}

async function setText(db: AppDb, dialect: Store['dialect'], id: string, text: string): Promise<void> {
  await db.updateTable('contributions')
    .set(dialect === 'sqlite' ? { text, search_terms: searchTerms(text).join(' ') } : { text })
    .where('id', '=', id).execute();
}

/** A moderation decision, optionally with a new public text (e.g. a moderator's manual pseudonymisation, with what was masked). */
export interface ModerationChange {
  status: ModerationStatus; reason?: string | null; by: string; at?: string; text?: string; masked?: MaskedSpanJson[]; action: string;
}

/** Records a moderation decision with its audit entry. */
export async function moderateContribution(store: Store, id: string, change: ModerationChange): Promise<void> {
  await moderateContributions(store, [{ id, change }]);
}

/** Several moderation decisions (a bulk decision) in one transaction, each with its audit entry: all or none. */
export async function moderateContributions(store: Store, decisions: { id: string; change: ModerationChange }[]): Promise<void> {
  await appDb(store).transaction().execute(async (trx) => {
    for (const d of decisions) await moderateIn(trx, store.dialect, d.id, d.change);
  });
}

async function moderateIn(trx: AppDb, dialect: Store['dialect'], id: string, change: ModerationChange): Promise<void> {
  const at = change.at ?? new Date().toISOString();
  const before = await trx.selectFrom('contributions').select(['id', 'consultation', 'text', 'moderation_status', 'moderation_reason'])
    .where('id', '=', id).executeTakeFirst();
  if (!before) throw new StoreError('not_found', `Contribution inconnue : ${id}`);
  if (change.text !== undefined && change.text !== before.text) {
    const priv = await trx.selectFrom('contribution_private').select('contribution_id').where('contribution_id', '=', id).executeTakeFirst();
    // keep the original as written the first time the public text changes
    if (!priv) await trx.insertInto('contribution_private').values({ contribution_id: id, original_text: before.text, masked_json: JSON.stringify(change.masked ?? []) }).execute();
    else if (change.masked) await trx.updateTable('contribution_private').set({ masked_json: JSON.stringify(change.masked) }).where('contribution_id', '=', id).execute();
    await setText(trx, dialect, id, change.text);
  }
  await trx.updateTable('contributions').set({
    moderation_status: change.status, moderation_reason: change.reason ?? null, moderation_by: change.by, moderation_at: at,
  }).where('id', '=', id).execute();
  const textChanged = change.text !== undefined && change.text !== before.text;
  if (before.moderation_status === PUBLIC_MODERATION_STATUS && (change.status !== PUBLIC_MODERATION_STATUS || textChanged)) {
    await flagStaleRestitutions(trx, before.consultation, id, at, change.by,
      textChanged && change.status === PUBLIC_MODERATION_STATUS ? 'texte d’une contribution modifié après publication' : 'contribution retirée de la publication');
  }
  await recordAudit(trx, {
    actor: change.by, action: change.action, consultation: before.consultation, targetType: 'contribution', targetId: id, at,
    before: { text: before.text, status: before.moderation_status, reason: before.moderation_reason },
    after: { text: change.text ?? before.text, status: change.status, reason: change.reason ?? null },
  });
}

export interface ThemeRowJson { theme: string; assigned_by: string; provenance_json: string }

/** Replaces every theme assignment of a contribution (used by human decisions and their undo), audited. */
export async function replaceContributionThemes(store: Store, id: string, assignments: ThemeAssignment[] | ThemeRowJson[],
  audit: { actor: string; action: string } | null): Promise<{ before: ThemeRowJson[]; after: ThemeRowJson[] }> {
  const after: ThemeRowJson[] = assignments.map((a) => ('provenance' in a
    ? { theme: a.theme, assigned_by: a.provenance.by, provenance_json: JSON.stringify(a.provenance) } : a));
  return appDb(store).transaction().execute(async (trx) => {
    const c = await trx.selectFrom('contributions').select(['id', 'consultation']).where('id', '=', id).executeTakeFirst();
    if (!c) throw new StoreError('not_found', `Contribution inconnue : ${id}`);
    const before = await trx.selectFrom('contribution_themes').select(['theme', 'assigned_by', 'provenance_json'])
      .where('contribution_id', '=', id).orderBy('theme').execute();
    await trx.deleteFrom('contribution_themes').where('contribution_id', '=', id).execute();
    const seen = new Set<string>();
    for (const a of after) {
      if (seen.has(a.theme)) continue;
      seen.add(a.theme);
      await trx.insertInto('contribution_themes').values({ contribution_id: id, ...a }).execute();
    }
    if (audit) {
      await recordAudit(trx, { actor: audit.actor, action: audit.action, consultation: c.consultation, targetType: 'contribution', targetId: id, before, after });
    }
    return { before, after };
  });
}

/**
 * Undoes a recorded theme decision: the contribution's assignments go back to what they were,
 * provided they are still as the decision left them (otherwise `conflict`). One transaction.
 */
export async function undoThemeChange(store: Store, entry: { id: number; consultation: string | null; targetId: string; before: unknown; after: unknown }, actor: string):
  Promise<'undone' | 'conflict'> {
  const key = (rows: ThemeRowJson[]) => JSON.stringify([...rows].sort((x, y) => x.theme.localeCompare(y.theme)).map((x) => [x.theme, x.assigned_by, x.provenance_json]));
  return appDb(store).transaction().execute(async (trx) => {
    const current = await trx.selectFrom('contribution_themes').select(['theme', 'assigned_by', 'provenance_json'])
      .where('contribution_id', '=', entry.targetId).execute();
    if (key(current) !== key(entry.after as ThemeRowJson[])) return 'conflict' as const;
    await trx.deleteFrom('contribution_themes').where('contribution_id', '=', entry.targetId).execute();
    for (const a of entry.before as ThemeRowJson[]) await trx.insertInto('contribution_themes').values({ contribution_id: entry.targetId, ...a }).execute();
    const at = new Date().toISOString();
    await trx.updateTable('audit_log').set({ undone_at: at }).where('id', '=', entry.id).execute();
    await recordAudit(trx, { actor, action: 'undo', consultation: entry.consultation, targetType: 'audit', targetId: String(entry.id), at, before: entry.after, after: entry.before });
    return 'undone' as const;
  });
}

/**
 * Publishes an imported document as a whole in the name of `by`: its pending contributions become
 * public (those already decided stay as decided), recorded on the document and audited.
 */
export async function publishDocument(store: Store, documentId: string, by: string): Promise<DocumentPublication & { consultation: string }> {
  const who = by.trim();
  if (!who) throw new StoreError('invalid', 'Pour publier un document en bloc, indiquez qui le publie.');
  return store.db.transaction().execute(async (trx: Transaction<Database>) => {
    const doc = await trx.selectFrom('source_documents').select(['id', 'consultation']).where('id', '=', documentId).executeTakeFirst();
    if (!doc) throw new StoreError('not_found', `Document inconnu : ${documentId}`);
    return { ...(await publishDocumentIn(trx, doc.id, doc.consultation, who)), consultation: doc.consultation };
  });
}

// ---- published restitutions ----

/** `contributions`: ids the restitution counts or quotes, so that withdrawing one of them flags it stale. */
export async function savePublishedSynthesis(store: Store, p: { id: string; consultation: string; level: string; territory: string; html: string; by: string; contributions?: string[] },
  audit: { before: unknown; after: unknown }): Promise<string> {
  const at = new Date().toISOString();
  const relied = { contributions_json: p.contributions ? JSON.stringify(p.contributions) : null, stale_since: null, stale_reason: null };
  await appDb(store).transaction().execute(async (trx) => {
    await trx.insertInto('published_syntheses').values({ id: p.id, consultation: p.consultation, level: p.level, territory: p.territory, html: p.html, published_at: at, published_by: p.by, ...relied })
      .onConflict((oc) => oc.column('id').doUpdateSet({ html: p.html, published_at: at, published_by: p.by, ...relied })).execute();
    await recordAudit(trx, { actor: p.by, action: 'synthesis.publish', consultation: p.consultation, targetType: 'synthesis', targetId: p.id, at, before: audit.before, after: audit.after });
  });
  return at;
}

/** The latest published restitution withdrawn (flagged stale) when none is valid: said to visitors instead of « never published ». */
export async function withdrawnRestitution(store: Store, consultation: string): Promise<{ publishedAt: string; withdrawnAt: string } | undefined> {
  const r = await appDb(store).selectFrom('published_syntheses').select(['published_at', 'stale_since'])
    .where('consultation', '=', consultation).where('stale_since', 'is not', null).orderBy('published_at', 'desc').limit(1).executeTakeFirst();
  return r?.stale_since ? { publishedAt: r.published_at, withdrawnAt: r.stale_since } : undefined;
}

/** The latest published restitution still valid (a stale one is not served: see flagStaleRestitutions). */
export async function latestPublishedSynthesis(store: Store, consultation: string): Promise<{ id: string; html: string; publishedAt: string } | undefined> {
  const r = await appDb(store).selectFrom('published_syntheses').select(['id', 'html', 'published_at'])
    .where('consultation', '=', consultation).where('stale_since', 'is', null).orderBy('published_at', 'desc').limit(1).executeTakeFirst();
  return r ? { id: r.id, html: r.html, publishedAt: r.published_at } : undefined;
}
