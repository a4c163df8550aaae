import type { ImportWarning } from '../domain/source.ts';
import type { ProgressEvent, ProgressReporter } from '../usecases/progress.ts';
import { plural } from '../text/french.ts';

const LEVELS: Record<string, string> = { info: 'info', warning: 'attention', error: 'erreur' };

/** Prints an import's anomaly report compactly: the first few of each code, then a count. */
export function printWarnings(warnings: ImportWarning[], perCode = 3): void {
  if (warnings.length === 0) return;
  const byCode = new Map<string, ImportWarning[]>();
  for (const w of warnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
  console.log(`  ${plural(warnings.length, 'anomalie signalée', 'anomalies signalées')} :`);
  for (const list of byCode.values()) {
    for (const w of list.slice(0, perCode)) {
      const where = w.source?.row ? ` (ligne ${w.source.row})` : w.source?.lineStart ? ` (l. ${w.source.lineStart})` : '';
      console.log(`    - [${LEVELS[w.level] ?? w.level}] ${w.message}${where}`);
    }
    if (list.length > perCode) console.log(`    … et ${plural(list.length - perCode, 'autre du même genre', 'autres du même genre')}`);
  }
}

/** Left-aligned text table for the terminal. */
export function table(rows: (string | number)[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths = all[0]?.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length))) ?? [];
  const line = (r: (string | number)[]) => r.map((v, i) => typeof v === 'number'
    ? String(v).padStart(widths[i]!) : String(v).padEnd(widths[i]!)).join('  ').trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return out.join('\n');
}

/**
 * Progress of a long use case on the terminal: one line on stderr rewritten in place, only when stderr is a
 * terminal (pipes, logs and tests get the final output alone).
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter & { end(): void } {
  let shown = false;
  let step: string | undefined;
  const report = ((e: ProgressEvent) => {
    // not a terminal (logs, pipes, CI): one plain line per step, never a redrawn bar
    if (!stream.isTTY) {
      if (e.step !== step) stream.write(`… ${e.label}\n`);
      step = e.step;
      return;
    }
    const width = 20;
    const filled = e.total > 0 ? Math.round((Math.min(e.done, e.total) / e.total) * width) : 0;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.label}${e.total > 1 ? ` (${e.done}/${e.total})` : ''}`;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`);
    shown = true;
  }) as ProgressReporter & { end(): void };
  report.end = () => { if (shown) stream.write('\r\x1b[2K'); shown = false; };
  return report;
}
