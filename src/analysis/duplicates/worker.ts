/**
 * Worker thread of `startDuplicates`: finds the duplicates of the texts it is given and posts the result on its
 * port, then flips the shared flag the caller may be blocked on (2 = started, 1 = result posted).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { findDuplicates, type DuplicateOptions } from './minhash.ts';

const { port, flag, ids, texts, options } = workerData as { port: MessagePort; flag: Int32Array; ids: string[]; texts: string[]; options: DuplicateOptions };
// started (2): the caller now waits for the result rather than for a worker that never loaded
Atomics.store(flag, 0, 2);
Atomics.notify(flag, 0);
try {
  const items = ids.map((id, i) => ({ id, text: texts[i] as string }));
  port.postMessage({ result: findDuplicates(items, options) });
} catch (e) {
  port.postMessage({ error: e instanceof Error ? e.message : String(e) });
} finally {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  port.close();
}
