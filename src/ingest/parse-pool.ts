/**
 * Parsing of uploaded files off the event loop: each file is parsed in its own worker thread
 * (parse-worker.ts) under a memory ceiling (V8 resourceLimits) and a time limit, at most
 * `concurrency` at a time, the others waiting in a short queue. One fresh worker per file: a
 * crash, an exhausted heap or a timeout ends that worker only, its memory goes back to the system,
 * and the caller gets an ImportError with a French message — the server keeps serving.
 */
import { channel } from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';
import type { Contribution } from '../domain/contribution.ts';
import type { ParseFileOptions } from './import-file.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';
import { ImportError, type ParsedDocument } from './types.ts';

export interface ParsePoolOptions {
  /** heap ceiling of a parsing worker, in Mo (FABRIQUE_PARSE_MEMORY_MB, default 512) */
  memoryMb: number;
  /** longest parse, in milliseconds (FABRIQUE_PARSE_TIMEOUT_S, default 120 s) */
  timeoutMs: number;
  /** files parsed at the same time (FABRIQUE_PARSE_WORKERS, default 1: the other core serves requests) */
  concurrency: number;
  /** files waiting for a worker beyond which an upload is refused (503) */
  maxQueued: number;
}

export const DEFAULT_PARSE_POOL: ParsePoolOptions = { memoryMb: 512, timeoutMs: 120_000, concurrency: 1, maxQueued: 8 };

/** Published when a worker starts parsing a file ({ fileName, size }): observability and tests. */
export const parseStartChannel = channel('fabrique:parse:start');

function envPositive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name]?.trim();
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Pool options set in the environment (for `fabrique serve`). */
export function parsePoolOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ParsePoolOptions> {
  const memoryMb = envPositive(env, 'FABRIQUE_PARSE_MEMORY_MB');
  const timeoutS = envPositive(env, 'FABRIQUE_PARSE_TIMEOUT_S');
  const workers = envPositive(env, 'FABRIQUE_PARSE_WORKERS');
  return {
    ...(memoryMb ? { memoryMb: Math.round(memoryMb) } : {}),
    ...(timeoutS ? { timeoutMs: Math.round(timeoutS * 1000) } : {}),
    ...(workers ? { concurrency: Math.max(1, Math.round(workers)) } : {}),
  };
}

// Node 20 does not apply the parent's --import hooks to a worker's entry file, so each worker
// registers tsx itself before importing the TypeScript entry (works under `tsx`, `node --import tsx`
// and bin/fabrique.js alike).
const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_ENTRY = new URL('./parse-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_ENTRY)}); });`;

interface Job {
  bytes: Uint8Array;
  fileName: string;
  options: ParseFileOptions;
  resolve: (doc: ParsedDocument) => void;
  reject: (e: Error) => void;
}

export class ParsePool {
  readonly options: ParsePoolOptions;
  private readonly queue: Job[] = [];
  private readonly running = new Set<Worker>();
  private closed = false;

  constructor(options: Partial<ParsePoolOptions> = {}) {
    this.options = { ...DEFAULT_PARSE_POOL, ...options };
  }

  /** Parses a file in a worker thread; the caller keeps its bytes (a copy is transferred). */
  parse(bytes: Uint8Array, fileName: string, options: ParseFileOptions): Promise<ParsedDocument> {
    if (this.closed) return Promise.reject(new ImportError('Le serveur s’arrête : l’import n’a pas été analysé. Rien n’a été importé.', 'import.busy'));
    if (this.running.size >= this.options.concurrency && this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new ImportError('Trop de fichiers sont en cours d’analyse : réessayez dans quelques minutes. Rien n’a été importé.', 'import.busy'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, fileName, options, resolve, reject });
      this.next();
    });
  }

  /** Stops running workers and refuses queued files (server shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ImportError('Le serveur s’arrête : l’import n’a pas été analysé. Rien n’a été importé.', 'import.busy'));
    await Promise.all([...this.running].map((w) => w.terminate()));
  }

  private next(): void {
    while (this.running.size < this.options.concurrency && this.queue.length > 0) this.run(this.queue.shift()!);
  }

  private run(job: Job): void {
    const { fileName } = job;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
    });
    this.running.add(worker);
    let settled = false;
    let head: ParsedDocument | undefined;
    const contributions: Contribution[] = [];
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) job.reject(error);
      else job.resolve({ ...head!, contributions });
      void worker.terminate().finally(() => {
        this.running.delete(worker);
        this.next();
      });
    };
    const timer = setTimeout(() => finish(new ImportError(
      `L’analyse de « ${fileName} » a dépassé la durée maximale de ${Math.round(this.options.timeoutMs / 1000)} s : le fichier est trop long à lire. `
      + 'Rien n’a été importé ; découpez-le en plusieurs fichiers.', 'import.parse_timeout')), this.options.timeoutMs);

    worker.on('message', (m: ParseReply) => {
      if (m.type === 'head') head = m.doc;
      else if (m.type === 'contributions') contributions.push(...m.items);
      else if (m.type === 'done') finish(undefined);
      else if (m.error.importError) finish(new ImportError(m.error.message, m.error.code));
      else finish(new Error(m.error.message));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish(new ImportError(
          `L’analyse de « ${fileName} » demande plus de mémoire que la limite de ${this.options.memoryMb} Mo : le fichier est trop volumineux ou trop complexe. `
          + 'Rien n’a été importé ; découpez-le ou enregistrez-le en CSV.', 'import.parse_memory'));
      } else {
        finish(crashed(fileName, e));
      }
    });
    worker.on('messageerror', (e) => finish(crashed(fileName, e)));
    worker.on('exit', (code) => finish(crashed(fileName, new Error(`worker exited with code ${code}`))));
    worker.on('online', () => parseStartChannel.publish({ fileName, size: job.bytes.length }));

    // a fresh copy is transferred: the caller's buffer may share its memory with other buffers
    const copy = new Uint8Array(job.bytes);
    const request: ParseRequest = { bytes: copy, fileName, options: job.options };
    worker.postMessage(request, [copy.buffer]);
  }
}

function crashed(fileName: string, cause: Error): ImportError {
  const e = new ImportError(
    `L’analyse de « ${fileName} » s’est interrompue de façon inattendue. Rien n’a été importé ; réessayez, `
    + 'et si l’erreur se répète, transmettez le fichier à l’équipe technique.', 'import.parse_crashed');
  e.cause = cause;
  return e;
}
