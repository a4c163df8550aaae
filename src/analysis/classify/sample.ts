import { fnv1a } from '../random.ts';

/**
 * A model learns from at most this many labelled examples: a deterministic sample beyond (a resource bound, not a
 * tuned value: at 1M contributions with 750k labelled, training on all held ~1 GB of analysed examples for a model
 * that 100k examples already saturate).
 */
export const MAX_TRAINING = 100_000;

/** At most MAX_TRAINING examples, chosen by a seeded hash of their id (same data and seed, same sample), in input order. */
export function trainingSample<T extends { id?: string; text: string }>(examples: readonly T[], seed: number, max = MAX_TRAINING): readonly T[] {
  if (examples.length <= max) return examples;
  const key = (e: T, i: number) => fnv1a(e.id ?? String(i), 0x811c9dc5 ^ seed);
  const ranked = examples.map((e, i) => ({ i, k: key(e, i) })).sort((a, b) => a.k - b.k || a.i - b.i).slice(0, max);
  return ranked.sort((a, b) => a.i - b.i).map((r) => examples[r.i] as T);
}
