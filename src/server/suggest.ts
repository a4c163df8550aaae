/** Theme suggestions for the form: a trained classifier when there are enough labelled contributions, zero-shot otherwise; cached per consultation. */
import type { Consultation } from '../domain/consultation.ts';
import { TextClassifier } from '../analysis/classify/classifier.ts';
import { ZeroShotClassifier } from '../analysis/classify/zeroshot.ts';
import type { Store } from '../store/store.ts';

const MIN_TRAINING = 20;
const TTL_MS = 10 * 60_000;

interface Entry { key: string; at: number; predict: (text: string) => { label: string; p: number }[] }
const cache = new Map<string, Promise<Entry>>();

async function build(store: Store, c: Consultation, key: string): Promise<Entry> {
  const all = await store.listContributions(c.slug);
  const live = all.filter((x) => x.moderation.status !== 'rejected' && x.text.trim());
  const examples = live.map((x) => ({ id: x.id, text: x.text, labels: x.themes.filter((t) => t.provenance.by !== 'model').map((t) => t.theme) }))
    .filter((e) => e.labels.length > 0);
  if (examples.length >= MIN_TRAINING && new Set(examples.flatMap((e) => e.labels)).size >= 2) {
    const model = TextClassifier.train(examples, { themes: c.themes, seed: 1 });
    return { key, at: Date.now(), predict: (text) => model.predict(text, { explain: 0 }).labels };
  }
  const zs = new ZeroShotClassifier(c.themes).fit(live.slice(0, 5000).map((x) => x.text));
  return { key, at: Date.now(), predict: (text) => zs.predict(text).labels };
}

export async function suggestThemes(store: Store, c: Consultation, text: string): Promise<{ theme: string; label: string; p: number }[]> {
  if (c.themes.length === 0) return [];
  const key = JSON.stringify(c.themes);
  let entry = cache.get(c.slug);
  const current = entry ? await entry.catch(() => undefined) : undefined;
  if (!current || current.key !== key || Date.now() - current.at > TTL_MS) {
    entry = build(store, c, key);
    cache.set(c.slug, entry);
  }
  const e = await entry!;
  const labels = new Map(c.themes.map((t) => [t.code, t.label]));
  return e.predict(text).filter((l) => labels.has(l.label))
    .map((l) => ({ theme: l.label, label: labels.get(l.label)!, p: Number(l.p.toFixed(4)) }));
}

export function clearSuggestCache(slug?: string): void {
  if (slug) cache.delete(slug); else cache.clear();
}
