/**
 * Theme suggestions for the public form, never fitted on the request path: the consultation's stored theme model
 * (trained by `fabrique analyze` or by a background training, see theme-training.ts) is loaded once and cached;
 * when there is none, or it was trained for other themes, the answer comes at once from a zero-shot classifier
 * over the themes' labels and keywords only, and a training is scheduled in a worker thread.
 */
import type { Consultation } from '../domain/consultation.ts';
import { TextClassifier, type ClassifierJSON, type ClassifierMetadata } from '../analysis/classify/classifier.ts';
import { ZeroShotClassifier } from '../analysis/classify/zeroshot.ts';
import { analysisModelJson, latestAnalysisModel } from '../store/theme-models.ts';
import type { Store } from '../store/store.ts';
import { scheduleThemeTraining } from './theme-training.ts';

/** A served model is trusted this long before the store is asked (one cheap query) whether a newer one exists. */
const CHECK_MS = 30_000;
/** A stored model older than this (or older than the last change of the data) is retrained in the background, still served meanwhile. */
const RETRAIN_MS = 60 * 60_000;
/** After a training that found too few examples (or failed), the next attempt waits this long. */
const RETRY_MS = 10 * 60_000;

type Predict = (text: string) => { label: string; p: number }[];
interface Served { themesKey: string; checkedAt: number; version: string | null; source: 'trained' | 'zero-shot'; predict: Predict }

/** per store (several servers may share a process, e.g. in tests), per consultation */
interface State { served: Map<string, Served>; refreshing: Map<string, Promise<Served>>; lastAttempt: Map<string, number> }
const states = new WeakMap<Store, State>();
/** when the data a consultation's model learns from last changed (imports, analysis, theme edits) */
const changedAt = new Map<string, number>();
let clearedAll = 0;

function stateOf(store: Store): State {
  let s = states.get(store);
  if (!s) { s = { served: new Map(), refreshing: new Map(), lastAttempt: new Map() }; states.set(store, s); }
  return s;
}

export async function suggestThemes(store: Store, c: Consultation, text: string): Promise<{ theme: string; label: string; p: number }[]> {
  if (c.themes.length === 0) return [];
  const model = await servedModel(store, c);
  const labels = new Map(c.themes.map((t) => [t.code, t.label]));
  return model.predict(text).filter((l) => labels.has(l.label))
    .map((l) => ({ theme: l.label, label: labels.get(l.label)!, p: Number(l.p.toFixed(4)) }));
}

/** Where the consultation's suggestions come from at the moment (for tests and diagnostics). */
export function suggestionSource(store: Store, slug: string): { source: 'trained' | 'zero-shot'; version: string | null } | undefined {
  const s = stateOf(store).served.get(slug);
  return s ? { source: s.source, version: s.version } : undefined;
}

/** The data or themes of a consultation changed: look for a newer model at the next request and retrain if needed. */
export function clearSuggestCache(slug?: string): void {
  if (slug) changedAt.set(slug, Date.now());
  else clearedAll = Date.now();
}

/** Whether the data changed after `at` (ms). */
function changedSince(slug: string, at: number): boolean {
  return Math.max(changedAt.get(slug) ?? 0, clearedAll) > at;
}

function servedModel(store: Store, c: Consultation): Promise<Served> | Served {
  const { served, refreshing } = stateOf(store);
  const key = JSON.stringify(c.themes);
  const current = served.get(c.slug);
  if (current && current.themesKey === key && Date.now() - current.checkedAt < CHECK_MS && !changedSince(c.slug, current.checkedAt)) return current;
  let pending = refreshing.get(c.slug);
  if (!pending) {
    pending = refresh(store, c, key, current).finally(() => refreshing.delete(c.slug));
    refreshing.set(c.slug, pending);
  }
  return pending;
}

async function refresh(store: Store, c: Consultation, key: string, current: Served | undefined): Promise<Served> {
  const stored = await latestAnalysisModel(store, c.slug, 'themes');
  const now = Date.now();
  let next: Served | undefined;
  if (stored && fitsThemes(stored.metadata as ClassifierMetadata, c)) {
    if (current && current.version === stored.version && current.themesKey === key) next = { ...current, checkedAt: now };
    else next = await loadStored(store, c.slug, stored.version, key);
    const trainedAt = Date.parse(stored.createdAt);
    if (next && (now - trainedAt > RETRAIN_MS || changedSince(c.slug, trainedAt))) train(store, c.slug);
  }
  if (!next) {
    next = current?.source === 'zero-shot' && current.themesKey === key ? { ...current, checkedAt: now } : zeroShot(c, key);
    train(store, c.slug);
  }
  stateOf(store).served.set(c.slug, next);
  return next;
}

/** A stored model serves a consultation when it was trained for the same theme codes. */
function fitsThemes(m: ClassifierMetadata | undefined, c: Consultation): boolean {
  const codes = new Set(c.themes.map((t) => t.code));
  const trainedFor = m?.params?.themes;
  if (!Array.isArray(trainedFor) || trainedFor.length === 0) return Object.keys(m?.labelCounts ?? {}).every((l) => codes.has(l));
  return trainedFor.length === codes.size && trainedFor.every((code) => codes.has(String(code)));
}

async function loadStored(store: Store, slug: string, version: string, key: string): Promise<Served | undefined> {
  const json = await analysisModelJson(store, slug, 'themes', version);
  if (!json) return undefined;
  try {
    const model = TextClassifier.fromJSON(JSON.parse(json) as ClassifierJSON);
    return { themesKey: key, checkedAt: Date.now(), version, source: 'trained', predict: (text) => model.predict(text, { explain: 0 }).labels };
  } catch {
    return undefined; // an incompatible model version: served by zero-shot until retrained
  }
}

function zeroShot(c: Consultation, key: string): Served {
  // no fit over the contributions: the IDF comes from the theme descriptions and the text itself
  const zs = new ZeroShotClassifier(c.themes);
  return { themesKey: key, checkedAt: Date.now(), version: null, source: 'zero-shot', predict: (text) => zs.predict(text, { explain: 0 }).labels };
}

function train(store: Store, slug: string): void {
  const { served, lastAttempt } = stateOf(store);
  const last = lastAttempt.get(slug);
  // a failed or skipped training is retried after RETRY_MS, or sooner when the data changed since
  if (last !== undefined && Date.now() - last < RETRY_MS && !changedSince(slug, last)) return;
  lastAttempt.set(slug, Date.now());
  void scheduleThemeTraining(store, slug).then((r) => {
    // the new model is picked up at the next request
    if (r.outcome === 'trained') { served.delete(slug); lastAttempt.delete(slug); }
  });
}
