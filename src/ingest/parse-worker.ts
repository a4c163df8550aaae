/**
 * Worker-thread side of the parse pool (see parse-pool.ts): receives files' bytes one at a time,
 * parses them with parseBytes and posts each ParsedDocument back in several messages, so that the
 * main thread deserialises it in slices between other requests instead of in one long pause.
 */
import { parentPort } from 'node:worker_threads';
import type { Contribution } from '../domain/contribution.ts';
import { parseBytes, type ParseFileOptions } from './import-file.ts';
import { ImportError, type ParsedDocument } from './types.ts';

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  fileName: string;
  options: ParseFileOptions;
}

/** Messages from the worker, in order: head, contributions (zero or more), done — or a single error. */
export type ParseReply = { id: number } & (
  | { type: 'head'; doc: ParsedDocument }
  | { type: 'contributions'; items: Contribution[] }
  | { type: 'done' }
  | { type: 'error'; error: { importError: boolean; message: string; code?: string } });

/** Contributions per message: each slice takes the main thread a few milliseconds to deserialise. */
export const CONTRIBUTIONS_PER_MESSAGE = 1000;

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs in a worker thread (see parse-pool.ts)');

port.on('message', (req: ParseRequest) => {
  const { id } = req;
  const send = (m: ParseReply) => port.postMessage(m);
  parseBytes(req.bytes, req.fileName, req.options).then((doc) => {
    const { contributions } = doc;
    send({ id, type: 'head', doc: { ...doc, contributions: [] } });
    for (let i = 0; i < contributions.length; i += CONTRIBUTIONS_PER_MESSAGE) {
      send({ id, type: 'contributions', items: contributions.slice(i, i + CONTRIBUTIONS_PER_MESSAGE) });
    }
    send({ id, type: 'done' });
  }, (e: unknown) => {
    send({
      id,
      type: 'error',
      error: e instanceof ImportError
        ? { importError: true, message: e.message, code: e.code }
        : { importError: false, message: e instanceof Error ? e.message : String(e) },
    });
  });
});
