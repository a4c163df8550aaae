/**
 * Syntheses as the store keeps them (src/store/syntheses.ts): the last generated document and the human-written
 * parts. Regenerating replaces the model and keeps the editorial parts, which are applied again by buildSynthesis.
 */
import type { SynthesisLevel } from '../domain/synthesis.ts';
import type { Store } from '../store/store.ts';
import { listSynthesisRows, readEditorial, readSynthesis, writeEditorial, writeSynthesis } from '../store/syntheses.ts';
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
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  e.actions = Object.fromEntries(Object.entries(rec(r.actions)).filter(([, v]) => Array.isArray(v))
    .map(([k, v]) => [k, (v as unknown[]).flatMap((a) => {
      const x = (a && typeof a === 'object' ? a : {}) as Record<string, unknown>;
      const title = str(x.title);
      if (!title) return [];
      const owner = str(x.owner);
      const territory = str(x.territory);
      return [{ title, description: str(x.description) ?? '', ...(owner ? { owner } : {}), ...(territory ? { territory } : {}) }];
    })]).filter(([, v]) => (v as unknown[]).length > 0));
  if (typeof r.updatedAt === 'string') e.updatedAt = r.updatedAt;
  if (typeof r.updatedBy === 'string') e.updatedBy = r.updatedBy;
  return e;
}

export async function loadEditorial(store: Store, id: string): Promise<SynthesisEditorial> {
  return normaliseEditorial(await readEditorial(store, id));
}

/** The editorial parts as stored: normalised, with their update time. */
export function editorialToStore(editorial: SynthesisEditorial, at = new Date().toISOString()): SynthesisEditorial {
  const e = { ...normaliseEditorial(editorial), updatedAt: editorial.updatedAt ?? at };
  if (editorial.updatedBy) e.updatedBy = editorial.updatedBy;
  return e;
}

/** Stores the editorial parts of a synthesis (creating its row when it was never generated), without audit entry. */
export async function saveEditorial(store: Store, target: { id: string; consultation: string; level: SynthesisLevel; territory: string },
  editorial: SynthesisEditorial): Promise<void> {
  await writeEditorial(store, target, editorialToStore(editorial));
}

/** Stores a generated document as the synthesis' current model, without audit entry (the use cases audit theirs). */
export async function saveSynthesis(store: Store, doc: SynthesisDocument): Promise<void> {
  await writeSynthesis(store, doc);
}

/** The last stored model of a synthesis, if it was generated. */
export async function loadSynthesis(store: Store, id: string): Promise<SynthesisDocument | undefined> {
  return (await readSynthesis(store, id)) as SynthesisDocument | undefined;
}

export async function listSyntheses(store: Store, consultation: string): Promise<{ id: string; level: string; territory: string; generatedAt: string }[]> {
  return listSynthesisRows(store, consultation);
}
