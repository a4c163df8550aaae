import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The real documents shared beside the repository (../shared/corpus), never copied into it. */
export const CORPUS_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

/** CI=true (set by .ci/run and most CI services): missing inputs are failures, not skips. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Skip reason for tests that read the corpus: false when every file is there. Locally a missing
 * corpus skips with a message; in CI it throws, so the test file fails instead of passing silently.
 */
export function corpusSkip(...files: string[]): string | false {
  const missing = files.map((f) => join(CORPUS_DIR, f)).filter((p) => !existsSync(p));
  if (missing.length === 0) return false;
  const reason = `corpus absent : ${missing.join(', ')} introuvable`;
  if (IN_CI) throw new Error(`${reason} ; en CI (CI=true) les tests du corpus doivent tourner : créer le lien ../shared`);
  return `${reason}, test ignoré`;
}
