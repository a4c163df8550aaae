import type { PlanText } from './common.ts';
import type { OutlineMark } from './outline.ts';
export function scanPdfText(t: PlanText): { marks: OutlineMark[]; from: number; to: number } { return { marks: [], from: 0, to: t.lines.length }; }
export function pdfTextHeader(_t: PlanText): { title: string; territory: string; line: number } | null { return null; }
