/**
 * Row helpers shared by the Store class and the staged import (staged-import.ts), which the Store itself
 * calls: apart from store.ts so that neither imports the other.
 */
import type { Transaction } from 'kysely';
import type { Consultation } from '../domain/consultation.ts';
import type { Meeting } from '../domain/meeting.ts';
import type { Database, MeetingRow } from './schema.ts';

/** Rows per INSERT statement. */
const INSERT_BATCH = 200;

export async function insertBatches<T>(rows: T[], insert: (rows: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) await insert(rows.slice(i, i + INSERT_BATCH));
}

export async function addLocalThemes(trx: Transaction<Database>, consultation: string, themesJson: string, found: { code: string }[]): Promise<void> {
  const themes = JSON.parse(themesJson) as Consultation['themes'];
  const known = new Set(themes.map((t) => t.code));
  let changed = false;
  for (const t of found as Consultation['themes']) {
    if (!known.has(t.code)) { themes.push(t); known.add(t.code); changed = true; }
  }
  if (changed) await trx.updateTable('consultations').set({ themes_json: JSON.stringify(themes) }).where('slug', '=', consultation).execute();
}

export function meetingToRow(m: Meeting, documentId: string | null): MeetingRow {
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
