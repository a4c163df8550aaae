/**
 * The corpus's schémas territoriaux de santé parsed once per test file (a `before` hook), and a parser for
 * `importPlan` that hands back a copy of that parse instead of reading the file again.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before } from 'node:test';
import { parsePlanBytes, type ParsedPlan } from '../../src/ingest/plan/index.ts';
import type { ParsePlan } from '../../src/usecases/plan.ts';
import { CORPUS_DIR } from './corpus.ts';

export interface CorpusPlans {
  files: Map<string, { bytes: Uint8Array; plan: ParsedPlan }>;
  cached: ParsePlan;
}

export function corpusPlans(names: readonly string[], skip: string | false | undefined): CorpusPlans {
  const files = new Map<string, { bytes: Uint8Array; plan: ParsedPlan }>();
  before(async () => {
    if (skip) return;
    for (const name of names) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, name)));
      const plan = await parsePlanBytes(bytes, name);
      assert.ok(plan, `${name} reconnu comme un schéma`);
      files.set(name, { bytes, plan });
    }
  });
  return { files, cached: async (_bytes, name) => structuredClone(files.get(name)!.plan) };
}
