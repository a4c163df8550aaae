/**
 * Progress of a long command on stderr: a bar redrawn in place on a terminal, one plain line per step
 * otherwise (logs, pipes, CI), so stdout keeps only the result.
 */
import type { ProgressEvent, ProgressReporter } from '../usecases/progress.ts';

export interface TerminalProgress { report: ProgressReporter; end: () => void }

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, width = 24): TerminalProgress {
  const tty = Boolean(stream.isTTY);
  let step: string | undefined;
  let drawn = false;
  const report = (e: ProgressEvent) => {
    if (!tty) {
      if (e.step !== step) stream.write(`… ${e.label}\n`);
      step = e.step;
      return;
    }
    step = e.step;
    const ratio = e.total > 0 ? Math.min(1, Math.max(0, e.done / e.total)) : 0;
    const full = Math.round(ratio * width);
    const line = `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.round(ratio * 100)).padStart(3)} %  ${e.label}`;
    const columns = stream.columns ?? 80;
    stream.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, line.length + 8))}`);
    drawn = true;
  };
  return { report, end: () => { if (tty && drawn) stream.write('\r\x1b[2K'); } };
}
