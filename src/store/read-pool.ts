/**
 * Read-only SQLite connections in worker threads, for the public queries that may take milliseconds each at a
 * million contributions (full-text search): better-sqlite3 runs a query synchronously on the calling thread,
 * so on the server's single connection concurrent searches queue behind each other and hold up every other
 * request. Workers read the same file (WAL: they see every committed write) on the machine's other core.
 * Started on first use; a worker that fails is replaced, and the query runs on the main connection meanwhile.
 * FABRIQUE_READ_WORKERS sets their number (default 2, 0 runs every query on the main connection).
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/start.ts';
import type { ReadReply, ReadRequest } from './read-worker.ts';

export interface CompiledRead { sql: string; parameters: readonly unknown[] }

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, { ok: (rows: unknown[]) => void; ko: (e: Error) => void }>;
}

const RESTART_PAUSE_MS = 10_000;

export function readWorkersFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.FABRIQUE_READ_WORKERS?.trim();
  const n = v ? Number(v) : 2;
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 8) : 2;
}

export class ReadPool {
  private readonly slots: (Slot | undefined)[];
  private nextId = 1;
  private closed = false;
  /** after a worker failed, queries run on the main connection for a while instead of restarting workers in a loop */
  private pausedUntil = 0;

  constructor(private readonly path: string, size: number) {
    this.slots = Array.from({ length: size }, () => undefined);
  }

  get size(): number { return this.slots.length; }

  /** Rows of a compiled SELECT, from the least busy worker. */
  async query<T>(q: CompiledRead): Promise<T[]> {
    if (this.closed) throw new Error('pool de lecture fermé');
    if (Date.now() < this.pausedUntil) throw new Error('lecteurs en pause après une panne');
    let best = 0;
    for (let i = 0; i < this.slots.length; i++) {
      if (!this.slots[i]) { best = i; break; }
      if (this.slots[i]!.pending.size < this.slots[best]!.pending.size) best = i;
    }
    const slot = this.slots[best] ?? (this.slots[best] = this.start(best));
    await slot.ready;
    const id = this.nextId++;
    return new Promise<T[]>((ok, ko) => {
      slot.pending.set(id, { ok: ok as (rows: unknown[]) => void, ko });
      slot.worker.postMessage({ id, sql: q.sql, parameters: [...q.parameters] } satisfies ReadRequest);
    });
  }

  /** Starts every worker and waits until each has opened its connection (failures surface on first query). */
  async startAll(): Promise<void> {
    await Promise.all(this.slots.map((s, i) => (s ?? (this.slots[i] = this.start(i))).ready.catch(() => {})));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s, i) => {
      this.slots[i] = undefined;
      return s?.worker.terminate();
    }));
  }

  private start(index: number): Slot {
    const worker = startTsWorker(new URL('./read-worker.ts', import.meta.url), { workerData: { path: this.path } });
    worker.unref();
    const pending: Slot['pending'] = new Map();
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    const ready = new Promise<void>((ok, ko) => { markReady = ok; failStart = ko; });
    ready.catch(() => {});
    const fail = (e: Error) => {
      if (this.slots[index]?.worker === worker) this.slots[index] = undefined;
      if (!this.closed) this.pausedUntil = Date.now() + RESTART_PAUSE_MS;
      failStart(e);
      for (const p of pending.values()) p.ko(e);
      pending.clear();
    };
    worker.on('message', (m: ReadReply | { ready: true }) => {
      if ('ready' in m) return markReady();
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ('error' in m) p.ko(new Error(m.error));
      else p.ok(m.rows);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`lecteur arrêté (code ${code})`)));
    return { worker, ready, pending };
  }
}
