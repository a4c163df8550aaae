/**
 * Storage of syntheses in the store's `syntheses` table: `model_json` holds the last generated
 * document, `editorial_json` the human-written parts. Regenerating replaces the model and keeps the
 * editorial parts, which are applied again by buildSynthesis.
 */
import type { SynthesisLevel } from '../domain/synthesis.ts';
import type { Store } from '../store/store.ts';
import { emptyEditorial, type SynthesisDocument, type SynthesisEditorial } from './model.ts';

/** Normalises an editorial object read from JSON (missing maps become empty). */
export function normaliseEditorial(raw: unknown): SynthesisEditorial {
  const e = emptyEditorial();
  if (!raw || typeof raw !== 'object') return e;
  const r = raw as Partial<Record<keyof SynthesisEditorial, unknown>>;
  const rec = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
  e.texts = Object.fromEntries(Object.entries(rec(r.texts)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  e.headings = Object.fromEntries(Object.entries(rec(r.headings)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  e.quotes = Object.fromEntries(Object.entries(rec(r.quotes)).filter(([, v]) => Array.isArray(v))
    .map(([k, v]) => [k, (v as unknown[]).filter((q): q is { contribution: string; text?: string } =>
      !!q && typeof q === 'object' && typeof (q as { contribution?: unknown }).contribution === 'string')
      .map((q) => (typeof q.text === 'string' ? { contribution: q.contribution, text: q.text } : { contribution: q.contribution }))]));
  e.order = Object.fromEntries(Object.entries(rec(r.order)).filter(([, v]) => Array.isArray(v))
    .map(([k, v]) => [k, (v as unknown[]).filter((x): x is string => typeof x === 'string')]));
  if (typeof r.updatedAt === 'string') e.updatedAt = r.updatedAt;
  if (typeof r.updatedBy === 'string') e.updatedBy = r.updatedBy;
  return e;
}

export async function loadEditorial(store: Store, id: string): Promise<SynthesisEditorial> {
  const row = await store.db.selectFrom('syntheses').select('editorial_json').where('id', '=', id).executeTakeFirst();
  return normaliseEditorial(row ? JSON.parse(row.editorial_json) : undefined);
}

/** Stores the editorial parts of a synthesis (creating its row when it was never generated). */
export async function saveEditorial(store: Store, target: { id: string; consultation: string; level: SynthesisLevel; territory: string },
  editorial: SynthesisEditorial): Promise<void> {
  const e = { ...normaliseEditorial(editorial), updatedAt: editorial.updatedAt ?? new Date().toISOString() };
  if (editorial.updatedBy) e.updatedBy = editorial.updatedBy;
  const json = JSON.stringify(e);
  await store.db.insertInto('syntheses').values({
    id: target.id, consultation: target.consultation, level: target.level, territory: target.territory,
    generated_at: '', model_json: 'null', editorial_json: json,
  }).onConflict((oc) => oc.column('id').doUpdateSet({ editorial_json: json })).execute();
}

/** Stores a generated document as the synthesis' current model; its editorial parts are stored too. */
export async function saveSynthesis(store: Store, doc: SynthesisDocument): Promise<void> {
  const model = JSON.stringify(doc);
  const editorial = JSON.stringify(doc.editorial);
  await store.db.insertInto('syntheses').values({
    id: doc.id, consultation: doc.consultation, level: doc.level, territory: doc.territory,
    generated_at: doc.generatedAt, model_json: model, editorial_json: editorial,
  }).onConflict((oc) => oc.column('id').doUpdateSet({ generated_at: doc.generatedAt, model_json: model, editorial_json: editorial })).execute();
}

/** The last stored model of a synthesis, if it was generated. */
export async function loadSynthesis(store: Store, id: string): Promise<SynthesisDocument | undefined> {
  const row = await store.db.selectFrom('syntheses').select('model_json').where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const doc = JSON.parse(row.model_json) as SynthesisDocument | null;
  return doc ?? undefined;
}

export async function listSyntheses(store: Store, consultation: string): Promise<{ id: string; level: string; territory: string; generatedAt: string }[]> {
  const rows = await store.db.selectFrom('syntheses').select(['id', 'level', 'territory', 'generated_at']).where('consultation', '=', consultation).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, level: r.level, territory: r.territory, generatedAt: r.generated_at }));
}
