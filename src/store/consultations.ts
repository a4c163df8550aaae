/**
 * Repository of the consultation aggregate: the consultation, its territories, its meetings and its territory's
 * indicators. Each write is one transaction that carries its audit entries.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Consultation } from '../domain/consultation.ts';
import type { Meeting } from '../domain/meeting.ts';
import type { Indicator } from '../domain/plan.ts';
import type { ScopeLevel, Territory } from '../domain/territory.ts';
import { recordAudit, type NewAuditEntry } from './audit.ts';
import { enqueueNewsIn } from './engagement.ts';
import { StoreError } from './errors.ts';
import { replaceIndicatorsIn } from './indicators.ts';
import type { Database } from './schema.ts';
import { meetingToRow } from './rows.ts';
import { meetingFromRow, type Store } from './store.ts';

export interface ConsultationWrite {
  consultation: Consultation;
  /** territory rows the consultation needs (its département and région, see scopeTerritories) */
  territories: Territory[];
  /** meetings declared with the consultation (a consultation file), upserted by id */
  meetings?: Meeting[];
  /** the territory's indicators, replacing the stored ones; undefined leaves them alone */
  indicators?: { territory: string; level: ScopeLevel; items: Indicator[] };
  audit: NewAuditEntry[];
  /** refuse (conflict) when the slug is taken, checked inside the transaction */
  mustBeNew?: boolean;
  /** the consultation opened or closed: one message to each of its subscribers, in the same transaction */
  news?: 'opened' | 'closed';
}

/** Creates or updates a consultation with everything it declares, in one transaction; returns whether it was created. */
export async function saveConsultation(store: Store, w: ConsultationWrite): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    for (const t of w.territories) await upsertTerritoryIn(trx, t);
    const created = await upsertConsultationIn(trx, w.consultation);
    if (!created && w.mustBeNew) throw new StoreError('conflict', `La consultation « ${w.consultation.slug} » existe déjà.`, 'slug');
    for (const m of w.meetings ?? []) {
      const row = meetingToRow(m, null);
      const { id: _id, ...rest } = row;
      await trx.insertInto('meetings').values(row).onConflict((oc) => oc.column('id').doUpdateSet(rest)).execute();
    }
    if (w.indicators) await replaceIndicatorsIn(trx, w.indicators.territory, w.indicators.level, w.indicators.items);
    for (const e of w.audit) await recordAudit(trx, e);
    if (w.news) await enqueueNewsIn(trx, w.consultation.slug, w.news, w.audit[0]?.at ?? new Date().toISOString(), randomUUID);
    return created;
  });
}

async function upsertTerritoryIn(trx: Transaction<Database>, t: Territory): Promise<void> {
  await trx.insertInto('territories')
    .values({ code: t.code, name: t.name, level: t.level, parent: t.parent ?? null })
    .onConflict((oc) => oc.columns(['level', 'code']).doUpdateSet({ name: t.name, parent: t.parent ?? null }))
    .execute();
}

async function upsertConsultationIn(trx: Transaction<Database>, c: Consultation): Promise<boolean> {
  const existing = await trx.selectFrom('consultations').select('slug').where('slug', '=', c.slug).executeTakeFirst();
  const row = {
    title: c.title, territory: c.territory, territory_level: c.territoryLevel ?? null, period_start: c.periodStart ?? null,
    period_end: c.periodEnd ?? null, status: c.status, description: c.description ?? null, themes_json: JSON.stringify(c.themes),
  };
  if (existing) {
    await trx.updateTable('consultations').set(row).where('slug', '=', c.slug).execute();
    return false;
  }
  await trx.insertInto('consultations').values({ slug: c.slug, ...row, created_at: new Date().toISOString() }).execute();
  return true;
}

/** Contributions (all, whatever their moderation) and meetings of each consultation, for the back office's list. */
export async function consultationCounts(store: Store): Promise<Map<string, { contributions: number; meetings: number }>> {
  const contributions = await store.db.selectFrom('contributions').select(['consultation', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('consultation').execute();
  const meetings = await meetingCounts(store);
  const out = new Map<string, { contributions: number; meetings: number }>();
  for (const r of contributions) out.set(r.consultation, { contributions: Number(r.n), meetings: meetings.get(r.consultation) ?? 0 });
  for (const [slug, n] of meetings) if (!out.has(slug)) out.set(slug, { contributions: 0, meetings: n });
  return out;
}

/** Meetings of each consultation. */
export async function meetingCounts(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom('meetings').select(['consultation', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('consultation').execute();
  return new Map(rows.map((r) => [r.consultation, Number(r.n)]));
}

export async function getMeeting(store: Store, id: string): Promise<Meeting | undefined> {
  const r = await store.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? meetingFromRow(r) : undefined;
}

/** Adds a meeting declared in the back office, with its audit entry. */
export async function insertMeeting(store: Store, m: Meeting, audit: NewAuditEntry): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('meetings').values(meetingToRow(m, null)).execute();
    await recordAudit(trx, audit);
  });
}

function participantColumns(m: Meeting) {
  const p = m.participants;
  return {
    p_elus: p.elus, p_institutionnels: p.institutionnels, p_professionnels: p.professionnels, p_associations: p.associations,
    p_usagers: p.usagers, p_autres: p.autres, p_total: p.total,
  };
}

/** Updates the fields a person edits (title, kind, place, territory, dates, participants), with its audit entry. */
export async function updateMeeting(store: Store, m: Meeting, audit: NewAuditEntry): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('meetings').set({
      title: m.title, kind: m.kind, place: m.place ?? null, territory: m.territory ?? null, date: m.date ?? null,
      date_text: m.dateText ?? null, time: m.time ?? null, ...participantColumns(m),
    }).where('id', '=', m.id).execute();
    await recordAudit(trx, audit);
  });
}


/** An administrator reopens a consultation past its end date until `until` (its period stays as published), audited. */
export async function reopenConsultation(store: Store, slug: string, until: string, audit: NewAuditEntry): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('consultations').set({ status: 'open', reopened_until: until }).where('slug', '=', slug).execute();
    await recordAudit(trx, audit);
    await enqueueNewsIn(trx, slug, 'opened', audit.at ?? new Date().toISOString(), randomUUID);
  });
}
