/**
 * Duplicates off the main thread: the analysis starts them in a worker before classifying, and takes the result
 * when the grouping needs it, so the two use both cores. `take()` is synchronous (it waits on a shared flag and
 * reads the port without the event loop), which keeps the analysis a plain function. Small inputs, or a worker
 * that does not answer, are computed on the calling thread: same result, the seed decides everything.
 */
import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startTsWorker } from '../../workers/start.ts';
import { findDuplicates, type DuplicateOptions, type DuplicatesResult } from './minhash.ts';

const WORKER = new URL('./worker.ts', import.meta.url);
/** Below this many texts a worker's start-up costs more than it saves. */
export const OFF_THREAD_MIN = 5000;
/** A worker not started after this long (failed to load), or silent this long once started (crashed, out of
 * memory), is given up and the work done here. */
const START_MS = 60_000;
const GIVE_UP_MS = 20 * 60_000;

export interface PendingDuplicates {
  /** the result (blocks until the worker is done); computed once */
  take(): DuplicatesResult;
  /** 'worker' when a worker thread computed it */
  readonly where: 'worker' | 'here';
}

export function startDuplicates(items: readonly { id: string; text: string }[], options: DuplicateOptions = {}, opts: { minItems?: number } = {}): PendingDuplicates {
  const here = (): PendingDuplicates => {
    let r: DuplicatesResult | undefined;
    return { where: 'here', take: () => (r ??= findDuplicates(items, options)) };
  };
  if (items.length < (opts.minItems ?? OFF_THREAD_MIN)) return here();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = startTsWorker(WORKER, {
      workerData: { port: port2, flag, ids: items.map((i) => i.id), texts: items.map((i) => i.text), options },
      transferList: [port2],
    });
  } catch {
    return here();
  }
  // a failing worker must not crash the process: its error is seen through the missing result
  worker.on('error', () => {});
  worker.unref();
  let r: DuplicatesResult | undefined;
  return {
    where: 'worker',
    take: () => {
      if (r) return r;
      Atomics.wait(flag, 0, 0, START_MS);
      if (Atomics.load(flag, 0) === 2) Atomics.wait(flag, 0, 2, GIVE_UP_MS);
      const done = Atomics.load(flag, 0) === 1;
      const msg = done ? receiveMessageOnPort(port1)?.message as { result?: DuplicatesResult; error?: string } | undefined : undefined;
      port1.close();
      void worker.terminate();
      if (msg?.error) throw new Error(`duplicates worker: ${msg.error}`);
      r = msg?.result ?? findDuplicates(items, options);
      return r;
    },
  };
}
