/**
 * Span-level scoring of a pseudonymiser against a gold JSONL set (format: test/fixtures/privacy/README.md).
 * A predicted span and a gold span match when they have the same kind and overlap by at least one
 * character; each span matches at most once (greedy, in text order). Precision = matched predictions /
 * predictions, recall = matched gold spans / gold spans. "masked" recall ignores the kind: a gold span
 * counts as hidden when any predicted span overlaps it (what matters for privacy).
 */
import { readFileSync } from 'node:fs';

export interface GoldSpan { kind: string; start: number; end: number; text: string }
export interface GoldSentence { id: string; text: string; spans: GoldSpan[] }
export interface PredictedSpan { kind: string; start: number; end: number }
export type Pseudonymiser = (text: string) => { masked: PredictedSpan[] };

export interface Counts { gold: number; predicted: number; matched: number; hidden: number }
export interface Score extends Counts { precision: number; recall: number; f1: number; maskedRecall: number }
export interface Miss { id: string; kind: string; text: string; type: 'missed' | 'spurious'; sentence: string }

export function readGold(path: string | URL): GoldSentence[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as GoldSentence);
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

function score(c: Counts): Score {
  const precision = c.predicted === 0 ? 1 : c.matched / c.predicted;
  const recall = c.gold === 0 ? 1 : c.matched / c.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1, maskedRecall: c.gold === 0 ? 1 : c.hidden / c.gold };
}

export function evaluate(set: GoldSentence[], run: Pseudonymiser): { overall: Score; byKind: Map<string, Score>; errors: Miss[] } {
  const counts = new Map<string, Counts>();
  const get = (k: string) => { let c = counts.get(k); if (!c) counts.set(k, c = { gold: 0, predicted: 0, matched: 0, hidden: 0 }); return c; };
  const errors: Miss[] = [];
  for (const s of set) {
    const pred = run(s.text).masked;
    const usedPred = new Set<number>();
    for (const g of s.spans) {
      get(g.kind).gold++;
      if (pred.some((p) => overlap(p, g))) get(g.kind).hidden++;
      const k = pred.findIndex((p, i) => !usedPred.has(i) && p.kind === g.kind && overlap(p, g));
      if (k >= 0) { usedPred.add(k); get(g.kind).matched++; } else errors.push({ id: s.id, kind: g.kind, text: g.text, type: 'missed', sentence: s.text });
    }
    pred.forEach((p, i) => {
      get(p.kind).predicted++;
      if (!usedPred.has(i)) errors.push({ id: s.id, kind: p.kind, text: s.text.slice(p.start, p.end), type: 'spurious', sentence: s.text });
    });
  }
  const total: Counts = { gold: 0, predicted: 0, matched: 0, hidden: 0 };
  for (const c of counts.values()) { total.gold += c.gold; total.predicted += c.predicted; total.matched += c.matched; total.hidden += c.hidden; }
  const byKind = new Map([...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, score(c)]));
  return { overall: score(total), byKind, errors };
}
