import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { idAndText, jsonObjects, JsonlError } from '../classify/jsonl.ts';
import { groupContributions, groupsOutput, type GroupInput, type GroupOptions, type GroupingModel, type GroupOutput } from './model.ts';

/**
 * Rows `{"id","text"}` with an optional `"theme"` (string or number). Blank lines are skipped, a BOM is
 * accepted; a bad row throws a JsonlError naming the file and the 1-based line number.
 */
export function parseGroupInput(content: string, file = 'input'): GroupInput[] {
  const seen = new Set<string>();
  const out: GroupInput[] = [];
  for (const { line, row } of jsonObjects(content, file)) {
    const item: GroupInput = idAndText(row, file, line, seen);
    if (row.theme !== undefined && row.theme !== null) {
      if (typeof row.theme !== 'string' && typeof row.theme !== 'number') throw new JsonlError(file, line, '"theme" must be a string or a number');
      item.theme = String(row.theme);
    }
    out.push(item);
  }
  return out;
}

export interface RunGroupOptions extends Omit<GroupOptions, 'seed'> {
  inPath: string;
  outPath: string;
  seed?: number;
  /** also write the full model (for assignNew / human operations / regroup) as JSON */
  modelOutPath?: string;
}

export interface RunGroupSummary { items: number; groups: number; subIdeas: number; byTheme: boolean; seed: number }

/**
 * Implements `fabrique group --in IN.jsonl --out OUT.json [--seed N]` (see docs/format-analysis.md).
 * Output: `{"groups":[{id,label,parent,members,quotes,…}]}`, top groups first.
 */
export function runGroup(o: RunGroupOptions): RunGroupSummary {
  const items = parseGroupInput(readFileSync(o.inPath, 'utf8'), basename(o.inPath));
  const { inPath: _i, outPath: _o, modelOutPath, ...opts } = o;
  const model: GroupingModel = groupContributions(items, { ...opts, seed: o.seed ?? 1 });
  const groups: GroupOutput[] = groupsOutput(model, items.map((i) => i.id));
  writeFileSync(o.outPath, JSON.stringify({ seed: model.seed, byTheme: model.byTheme, groups }, null, 1) + '\n');
  if (modelOutPath) writeFileSync(modelOutPath, JSON.stringify(model));
  return { items: items.length, groups: groups.filter((g) => g.parent === null).length, subIdeas: groups.filter((g) => g.parent !== null).length, byTheme: model.byTheme, seed: model.seed };
}
