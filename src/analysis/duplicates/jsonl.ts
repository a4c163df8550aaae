import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseInputJsonl } from '../classify/jsonl.ts';
import { findDuplicates, type DuplicateOptions, type DuplicatesResult } from './minhash.ts';

export interface RunDuplicatesOptions extends DuplicateOptions {
  inPath: string;
  /** when absent, the JSON is written to stdout */
  outPath?: string;
}

/**
 * Implements `fabrique duplicates --in IN.jsonl [--out OUT.json]` (see docs/format-analysis.md).
 * Input rows `{"id","text"}`; bad rows throw a JsonlError naming the line.
 */
export function runDuplicates(o: RunDuplicatesOptions): DuplicatesResult {
  const items = parseInputJsonl(readFileSync(o.inPath, 'utf8'), basename(o.inPath));
  const { inPath: _i, outPath, ...opts } = o;
  const res = findDuplicates(items, opts);
  const json = JSON.stringify({ duplicates: res.duplicates, campaigns: res.campaigns, stats: res.stats }, null, 1) + '\n';
  if (outPath) writeFileSync(outPath, json); else process.stdout.write(json);
  return res;
}
