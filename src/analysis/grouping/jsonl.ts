import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { JsonlError } from '../classify/jsonl.ts';
import { groupContributions, groupsOutput, type GroupInput, type GroupOptions, type GroupingModel, type GroupOutput } from './model.ts';

/**
 * Rows `{"id","text"}` with an optional `"theme"` (string or number). Blank lines are skipped, a BOM is
 * accepted; a bad row throws a JsonlError naming the file and the 1-based line number.
 */
export function parseGroupInput(content: string, file = 'input'): GroupInput[] {
  const lines = content.split(/\r?\n/);
  const seen = new Set<string>();
  const out: GroupInput[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/^\uFEFF/, '');
    if (raw.trim() === '') continue;
    let v: unknown;
    try { v = JSON.parse(raw); } catch (e) { throw new JsonlError(file, i + 1, `invalid JSON (${(e as Error).message})`); }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new JsonlError(file, i + 1, 'each line must be a JSON object');
    const row = v as Record<string, unknown>;
    const id = row.id;
    if (!(typeof id === 'string' && id.length > 0) && !(typeof id === 'number' && Number.isFinite(id))) throw new JsonlError(file, i + 1, '"id" must be a non-empty string (or a number)');
    const sid = String(id);
    if (seen.has(sid)) throw new JsonlError(file, i + 1, `duplicate id "${sid}"`);
    seen.add(sid);
    if (typeof row.text !== 'string') throw new JsonlError(file, i + 1, '"text" must be a string');
    const item: GroupInput = { id: sid, text: row.text };
    if (row.theme !== undefined && row.theme !== null) {
      if (typeof row.theme !== 'string' && typeof row.theme !== 'number') throw new JsonlError(file, i + 1, '"theme" must be a string or a number');
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
