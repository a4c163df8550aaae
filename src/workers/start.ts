import { Worker, type WorkerOptions } from 'node:worker_threads';

const BOOTSTRAP = new URL('./ts-worker.mjs', import.meta.url);

/** Starts a worker thread running a TypeScript module (a file: URL), through the tsx bootstrap. */
export function startTsWorker(entry: URL, options: Omit<WorkerOptions, 'workerData'> & { workerData?: Record<string, unknown> } = {}): Worker {
  return new Worker(BOOTSTRAP, { ...options, workerData: { ...options.workerData, entry: entry.href } });
}
