import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CNR_SANTE_THEMES, type Theme } from '../../domain/theme.ts';
import { TextClassifier, type ClassifierOptions, type LabelledText, type Prediction } from './classifier.ts';
import { ZeroShotClassifier } from './zeroshot.ts';

/** A JSONL contract violation; the message names the file and the 1-based line number. */
export class JsonlError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'JsonlError';
  }
}

export interface InputRow { id: string; text: string }
export interface TrainingRow extends InputRow { labels: string[] }
export interface OutputRow { id: string; labels: { label: string; p: number }[]; explanation: Prediction['explanation']; offTopic?: true }

/** The JSON objects of a JSON Lines text, with their 1-based line numbers; blank lines skipped, BOM accepted. */
export function* jsonObjects(content: string, file: string): Generator<{ line: number; row: Record<string, unknown> }> {
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/^\uFEFF/, '');
    if (raw.trim() === '') continue;
    let v: unknown;
    try { v = JSON.parse(raw); } catch (e) { throw new JsonlError(file, i + 1, `invalid JSON (${(e as Error).message})`); }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new JsonlError(file, i + 1, 'each line must be a JSON object');
    yield { line: i + 1, row: v as Record<string, unknown> };
  }
}

/** Checks a row's `id` (unique, string or number) and `text`. */
export function idAndText(row: Record<string, unknown>, file: string, line: number, seen: Set<string>): InputRow {
  const id = row.id;
  if (!(typeof id === 'string' && id.length > 0) && !(typeof id === 'number' && Number.isFinite(id))) {
    throw new JsonlError(file, line, '"id" must be a non-empty string (or a number)');
  }
  const sid = String(id);
  if (seen.has(sid)) throw new JsonlError(file, line, `duplicate id "${sid}"`);
  seen.add(sid);
  if (typeof row.text !== 'string') throw new JsonlError(file, line, '"text" must be a string');
  return { id: sid, text: row.text };
}

/** Input rows `{"id","text"}`. */
export function parseInputJsonl(content: string, file = 'input'): InputRow[] {
  const seen = new Set<string>();
  const out: InputRow[] = [];
  for (const { line, row } of jsonObjects(content, file)) out.push(idAndText(row, file, line, seen));
  return out;
}

/** Training rows `{"id","text","label"}` or `{"id","text","labels":[...]}`. */
export function parseTrainingJsonl(content: string, file = 'train'): TrainingRow[] {
  const seen = new Set<string>();
  const out: TrainingRow[] = [];
  for (const { line, row } of jsonObjects(content, file)) {
    const base = idAndText(row, file, line, seen);
    const hasLabel = 'label' in row, hasLabels = 'labels' in row;
    if (hasLabel && hasLabels) throw new JsonlError(file, line, 'give either "label" or "labels", not both');
    let labels: string[];
    if (hasLabel) {
      if (typeof row.label !== 'string' || row.label.trim() === '') throw new JsonlError(file, line, '"label" must be a non-empty string');
      labels = [row.label];
    } else if (hasLabels) {
      const ls = row.labels;
      if (!Array.isArray(ls) || ls.length === 0 || !ls.every((l) => typeof l === 'string' && l.trim() !== '')) {
        throw new JsonlError(file, line, '"labels" must be a non-empty array of non-empty strings');
      }
      labels = [...new Set(ls as string[])];
    } else {
      throw new JsonlError(file, line, 'missing "label" (or "labels")');
    }
    out.push({ ...base, labels });
  }
  if (out.length === 0) throw new JsonlError(file, 1, 'no training row');
  return out;
}

export function toOutputRow(id: string, p: Prediction): OutputRow {
  return { id, labels: p.labels.map((l) => ({ label: l.label, p: Number(l.p.toFixed(4)) })), explanation: p.explanation, ...(p.offTopic ? { offTopic: true as const } : {}) };
}

export interface RunClassifyOptions {
  /** labelled JSONL; when absent, the zero-shot fallback scores the themes */
  trainPath?: string | undefined;
  inPath: string;
  outPath: string;
  /** themes for the zero-shot fallback and the theme prior (default: the 4 national CNR Santé themes) */
  themes?: readonly Theme[];
  /** also write the trained model as JSON here */
  modelOutPath?: string;
  classifier?: ClassifierOptions;
}

export interface RunClassifySummary {
  mode: 'trained' | 'zero-shot';
  trainingRows: number;
  inputRows: number;
  labels: string[];
  trainingSha256?: string;
}

/**
 * Implements `fabrique classify --train … --in … --out …` (see docs/format-analysis.md).
 * With training data: trains a `TextClassifier` (the theme prior is used for labels equal to a theme code);
 * without: the zero-shot classifier over `themes`.
 */
export function runClassify(o: RunClassifyOptions): RunClassifySummary {
  const themes = o.themes ?? CNR_SANTE_THEMES;
  const inputs = parseInputJsonl(readFileSync(o.inPath, 'utf8'), basename(o.inPath));
  let rows: OutputRow[];
  let summary: RunClassifySummary;
  if (o.trainPath) {
    const bytes = readFileSync(o.trainPath);
    const train = parseTrainingJsonl(bytes.toString('utf8'), basename(o.trainPath));
    const sha = createHash('sha256').update(bytes).digest('hex');
    const examples: LabelledText[] = train.map((r) => ({ id: r.id, text: r.text, labels: r.labels }));
    const model = TextClassifier.train(examples, { themes, ...o.classifier, trainingSha256: sha });
    if (o.modelOutPath) writeFileSync(o.modelOutPath, JSON.stringify(model.toJSON()));
    rows = inputs.map((r) => toOutputRow(r.id, model.predict(r.text)));
    summary = { mode: 'trained', trainingRows: train.length, inputRows: inputs.length, labels: [...model.labels], trainingSha256: sha };
  } else {
    const zs = new ZeroShotClassifier(themes);
    const preds = zs.predictMany(inputs.map((r) => r.text));
    rows = inputs.map((r, i) => toOutputRow(r.id, preds[i] as Prediction));
    summary = { mode: 'zero-shot', trainingRows: 0, inputRows: inputs.length, labels: themes.map((t) => t.code) };
  }
  writeFileSync(o.outPath, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  return summary;
}
