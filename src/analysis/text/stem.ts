import { createRequire } from 'node:module';
import type { SnowballFactory } from 'snowball-stemmers';
import { foldAccents } from './normalize.ts';

/**
 * French Snowball stemmer (the algorithm of PostgreSQL's `french_stem` dictionary), memoised.
 *
 * Snowball keeps accents and treats them as letters: "médecins" → "médecin" but "medecins" → "medecin",
 * "prévention" → "prévent" but "prevention" → "prevent". `stem` returns the pure Snowball output
 * (lowercased input); `stemKey` folds accents *after* stemming so that accented and unaccented spellings
 * meet ("médecins", "medecin" → "medecin"). Folding after stemming (not before) keeps the suffix rules that
 * depend on "é"/"è" ("créée", "infirmière") working as designed.
 */
// createRequire: the package is CommonJS flagged `__esModule`, which makes default-import interop differ
// between loaders; requiring it is unambiguous.
const snowball = createRequire(import.meta.url)('snowball-stemmers') as SnowballFactory;
const stemmer = snowball.newStemmer('french');

const MAX_MEMO = 200_000;
let memo = new Map<string, string>();
let keyMemo = new Map<string, string>();

export function stem(token: string): string {
  const hit = memo.get(token);
  if (hit !== undefined) return hit;
  const s = stemmer.stem(token.toLowerCase());
  if (memo.size >= MAX_MEMO) memo = new Map();
  memo.set(token, s);
  return s;
}

/** Accent-insensitive stem: `foldAccents(stem(token))`. This is what `terms` uses. */
export function stemKey(token: string): string {
  const hit = keyMemo.get(token);
  if (hit !== undefined) return hit;
  const s = foldAccents(stem(token));
  if (keyMemo.size >= MAX_MEMO) keyMemo = new Map();
  keyMemo.set(token, s);
  return s;
}
