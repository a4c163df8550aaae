/**
 * Parsing of uploaded files off the event loop: files are parsed in worker threads
 * (parse-worker.ts) under a memory ceiling (V8 resourceLimits) and a time limit, at most
 * `concurrency` at a time, the others waiting in a short queue. A worker is kept for the next file
 * (loading the parsers costs seconds) and ended after `idleMs` without work, which gives its memory
 * back. A crash, an exhausted heap or a timeout ends that worker only: the caller gets an
 * ImportError with a French message, the next file gets a fresh worker, the server keeps serving.
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
  /** an idle worker is ended after this many milliseconds */
  idleMs: number;
}

export const DEFAULT_PARSE_POOL: ParsePoolOptions = { memoryMb: 512, timeoutMs: 120_000, concurrency: 1, maxQueued: 8, idleMs: 60_000 };

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

/** One worker thread and the file it is parsing, if any. */
interface Slot {
  worker: Worker;
  /** settles the current job (success when error is undefined) */
  finish?: (error: Error | undefined) => void;
  onMessage?: (m: ParseReply) => void;
  idleTimer?: NodeJS.Timeout;
  dead: boolean;
}

let nextJobId = 1;

export class ParsePool {
  readonly options: ParsePoolOptions;
  private readonly queue: Job[] = [];
  private readonly slots = new Set<Slot>();
  private closed = false;

  constructor(options: Partial<ParsePoolOptions> = {}) {
    this.options = { ...DEFAULT_PARSE_POOL, ...options };
  }

  /** Parses a file in a worker thread; the caller keeps its bytes (a copy is transferred). */
  parse(bytes: Uint8Array, fileName: string, options: ParseFileOptions): Promise<ParsedDocument> {
    if (this.closed) return Promise.reject(stopping());
    const busy = [...this.slots].filter((s) => s.finish).length;
    if (busy >= this.options.concurrency && this.queue.length >= this.options.maxQueued) {
      return Promise.reject(new ImportError('Trop de fichiers sont en cours d’analyse : réessayez dans quelques minutes. Rien n’a été importé.', 'import.busy'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, fileName, options, resolve, reject });
      this.next();
    });
  }

  /** Ends every worker and refuses queued files (server shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(stopping());
    const slots = [...this.slots];
    for (const slot of slots) slot.finish?.(stopping());
    await Promise.all(slots.map((slot) => this.end(slot)));
  }

  private next(): void {
    while (this.queue.length > 0) {
      const slot = [...this.slots].find((s) => !s.finish && !s.dead)
        ?? (this.slots.size < this.options.concurrency ? this.spawn() : undefined);
      if (!slot) return;
      this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
    });
    const slot: Slot = { worker, dead: false };
    this.slots.add(slot);
    const fail = (error: ImportError) => {
      slot.dead = true;
      this.slots.delete(slot);
      if (slot.finish) slot.finish(error);
      this.next();
    };
    worker.on('message', (m: ParseReply) => slot.onMessage?.(m));
    worker.on('error', (e: Error & { code?: string }) => {
      fail(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ImportError('', 'import.parse_memory') : crashed('', e));
    });
    worker.on('messageerror', (e) => { fail(crashed('', e)); void this.end(slot); });
    worker.on('exit', (code) => fail(crashed('', new Error(`parse worker exited with code ${code}`))));
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    const { fileName } = job;
    const id = nextJobId++;
    clearTimeout(slot.idleTimer);
    slot.worker.ref();
    let head: ParsedDocument | undefined;
    const contributions: Contribution[] = [];
    const timer = setTimeout(() => {
      slot.dead = true; // before settling, so that the next file does not go to this worker
      slot.finish?.(new ImportError(
        `L’analyse de « ${fileName} » a dépassé la durée maximale de ${Math.round(this.options.timeoutMs / 1000)} s : le fichier est trop long à lire. `
        + 'Rien n’a été importé ; découpez-le en plusieurs fichiers.', 'import.parse_timeout'));
      void this.end(slot);
    }, this.options.timeoutMs);
    slot.finish = (error) => {
      clearTimeout(timer);
      slot.finish = undefined;
      slot.onMessage = undefined;
      if (!error) job.resolve({ ...head!, contributions });
      // the worker's own errors carry no file name: name the file here
      else if (error instanceof ImportError && error.code === 'import.parse_memory') job.reject(outOfMemory(fileName, this.options.memoryMb));
      else if (error instanceof ImportError && error.code === 'import.parse_crashed') job.reject(crashed(fileName, error.cause as Error));
      else job.reject(error);
      if (!slot.dead && !this.closed) {
        // an idle worker neither keeps the process alive nor its memory for long
        slot.worker.unref();
        slot.idleTimer = setTimeout(() => void this.end(slot), this.options.idleMs);
        slot.idleTimer.unref();
        this.next();
      }
    };
    slot.onMessage = (m) => {
      if (m.id !== id) return;
      if (m.type === 'head') head = m.doc;
      else if (m.type === 'contributions') contributions.push(...m.items);
      else if (m.type === 'done') slot.finish?.(undefined);
      else if (m.error.importError) slot.finish?.(new ImportError(m.error.message, m.error.code));
      else slot.finish?.(new Error(m.error.message));
    };
    parseStartChannel.publish({ fileName, size: job.bytes.length });
    // a fresh copy is transferred: the caller's buffer may share its memory with other buffers
    const copy = new Uint8Array(job.bytes);
    const request: ParseRequest = { id, bytes: copy, fileName, options: job.options };
    slot.worker.postMessage(request, [copy.buffer]);
  }

  /** Ends a worker (idle, timed out, or at shutdown). */
  private async end(slot: Slot): Promise<void> {
    clearTimeout(slot.idleTimer);
    slot.dead = true;
    this.slots.delete(slot);
    await slot.worker.terminate();
    this.next();
  }
}

const stopping = () => new ImportError('Le serveur s’arrête : le fichier n’a pas été analysé. Rien n’a été importé.', 'import.busy');

function outOfMemory(fileName: string, memoryMb: number): ImportError {
  return new ImportError(
    `L’analyse de « ${fileName} » demande plus de mémoire que la limite de ${memoryMb} Mo : le fichier est trop volumineux ou trop complexe. `
    + 'Rien n’a été importé ; découpez-le ou enregistrez-le en CSV.', 'import.parse_memory');
}

function crashed(fileName: string, cause: Error): ImportError {
  const e = new ImportError(
    `L’analyse de « ${fileName} » s’est interrompue de façon inattendue. Rien n’a été importé ; réessayez, `
    + 'et si l’erreur se répète, transmettez le fichier à l’équipe technique.', 'import.parse_crashed');
  e.cause = cause;
  return e;
}
