/** Reads for training and serving the theme model of the public suggestion off the request path. */
import type { Store } from './store.ts';

export interface LabelledExample { seq: number; id: string; text: string; labels: string[] }

/**
 * One page (in arrival order, after `afterSeq`) of the contributions a theme model learns from: not rejected,
 * with a non-empty text and at least one theme from their source or a human (never a model's own output).
 * `next` is the `afterSeq` of the following page, null after the last one.
 */
export async function labelledThemeExamples(store: Store, consultation: string, afterSeq: number, limit: number):
  Promise<{ examples: LabelledExample[]; next: number | null }> {
  const rows = await store.db.selectFrom('contributions').select(['seq', 'id', 'text'])
    .where('consultation', '=', consultation).where('seq', '>', afterSeq).where('moderation_status', '<>', 'rejected')
    .where((eb) => eb.exists(eb.selectFrom('contribution_themes').select('theme')
      .whereRef('contribution_themes.contribution_id', '=', 'contributions.id').where('contribution_themes.assigned_by', '<>', 'model')))
    .orderBy('seq').limit(limit).execute();
  if (rows.length === 0) return { examples: [], next: null };
  const labels = new Map<string, string[]>();
  const themes = await store.db.selectFrom('contribution_themes').select(['contribution_id', 'theme'])
    .where('contribution_id', 'in', rows.map((r) => r.id)).where('assigned_by', '<>', 'model')
    .orderBy('contribution_id').orderBy('theme').execute();
  for (const t of themes) labels.set(t.contribution_id, [...(labels.get(t.contribution_id) ?? []), t.theme]);
  const examples = rows.map((r) => ({ seq: Number(r.seq), id: r.id, text: r.text, labels: labels.get(r.id) ?? [] }))
    .filter((r) => r.text.trim().length > 0);
  return { examples, next: rows.length < limit ? null : Number(rows[rows.length - 1]!.seq) };
}

/** The newest stored model of a purpose (without its weights), or undefined. */
export async function latestAnalysisModel(store: Store, consultation: string, purpose: string):
  Promise<{ version: string; createdAt: string; metadata: unknown } | undefined> {
  const r = await store.db.selectFrom('analysis_models').select(['version', 'created_at', 'metadata_json'])
    .where('consultation', '=', consultation).where('purpose', '=', purpose)
    .orderBy('created_at', 'desc').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return r ? { version: r.version, createdAt: r.created_at, metadata: JSON.parse(r.metadata_json) } : undefined;
}

/** The serialised weights of a stored model (JSON text), or undefined. */
export async function analysisModelJson(store: Store, consultation: string, purpose: string, version: string): Promise<string | undefined> {
  const r = await store.db.selectFrom('analysis_models').select('model_json')
    .where('consultation', '=', consultation).where('purpose', '=', purpose).where('version', '=', version).executeTakeFirst();
  return r?.model_json;
}
