/**
 * Runs one claimed job: its handler (src/jobs/handlers.ts) with the context of the person who asked for it,
 * the progress stored in the job row (throttled), and a heartbeat that renews the lease while it runs. A
 * process that lost the lease (it stalled longer than the lease and another took the job over) writes
 * nothing more to the row.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isUserError } from '../domain/errors.ts';
import { StoreError } from '../store/errors.ts';
import { databaseFault } from '../store/faults.ts';
import { ImportError } from '../ingest/types.ts';
import { completeJob, failJob, readJobFile, recordJobProgress, renewJobLease, type Job } from '../store/jobs.ts';
import type { Store } from '../store/store.ts';
import type { Actor, UseCaseContext } from '../usecases/context.ts';
import type { ProgressEvent, ProgressReporter } from '../usecases/progress.ts';
import { isJobKind, JOB_HANDLERS, parseJobInput } from './handlers.ts';

export interface JobTimings {
  /** how long a lease lasts without a heartbeat (a dead process's job is taken over after this) */
  leaseMs: number;
  heartbeatMs: number;
  /** attempts before a job that keeps failing (other than a user error) is marked failed */
  maxAttempts: number;
  /** minimum pause between two progress writes of the same step */
  progressEveryMs: number;
}

function envSeconds(name: string, fallback: number): number {
  const v = process.env[name]?.trim();
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} doit être un nombre de secondes positif (reçu : « ${v} »).`);
  return n;
}

export function jobTimingsFromEnv(): JobTimings {
  const leaseMs = Math.round(envSeconds('FABRIQUE_JOB_LEASE_SECONDS', 120) * 1000);
  return { leaseMs, heartbeatMs: Math.max(200, Math.round(leaseMs / 6)), maxAttempts: 3, progressEveryMs: 500 };
}

/** A name for this process in `locked_by`: machine, pid and a random part (pids are reused). */
export function processName(role: string): string {
  return `${role}:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** What the job row stores: the person who asked (for the audit entries the use case writes) and its input. */
export interface JobEnvelope { actor: Actor; input: unknown }

export type RunOutcome = 'done' | 'failed' | 'retry' | 'lost';

export interface RunHooks {
  /** also told every progress event (the CLI's bar) */
  onProgress?: ProgressReporter;
  /** after the job's row says done (e.g. the server clears its suggestion cache) */
  onDone?: (job: Job, result: unknown) => void;
}

export function errorOf(e: unknown): { code: string; message: string; field?: string } {
  // the field tells a face what to ask (e.g. `force`: an import to confirm)
  if (isUserError(e)) return { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) };
  if (e instanceof StoreError || e instanceof ImportError) return { code: 'invalid', message: e.message };
  const fault = databaseFault(e);
  if (fault) return { code: 'unavailable', message: fault.message };
  return { code: 'internal', message: `Erreur inattendue : ${String((e as Error)?.message ?? e).split('\n')[0]}` };
}

/** Runs a job this process has claimed (claimJob) and records its outcome. */
export async function runClaimedJob(store: Store, job: Job, worker: string, timings: JobTimings, hooks: RunHooks = {}): Promise<RunOutcome> {
  let lost = false;
  const heartbeat = setInterval(() => {
    renewJobLease(store, job.id, worker, timings.leaseMs).then((held) => { if (!held) lost = true; }, () => { /* retried at the next beat */ });
  }, timings.heartbeatMs);
  heartbeat.unref();

  const steps: string[] = [...job.steps];
  let current: ProgressEvent | undefined;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    const e = current!;
    lastWrite = Date.now();
    writing = writing.then(() => recordJobProgress(store, job.id, worker, { ...e, steps: [...steps] })).catch(() => { /* progress is best effort */ });
  };
  const progress: ProgressReporter = (e) => {
    hooks.onProgress?.(e);
    const stepChanged = current?.step !== e.step;
    if (stepChanged && current && !steps.includes(current.step)) steps.push(current.step);
    current = e;
    if (stepChanged || e.done >= e.total || Date.now() - lastWrite >= timings.progressEveryMs) write();
  };

  try {
    if (!isJobKind(job.kind)) throw Object.assign(new Error(`type de tâche inconnu : ${job.kind}`), { final: true });
    const envelope = job.input as JobEnvelope;
    const input = parseJobInput(job.kind, envelope?.input);
    const actor: Actor = envelope?.actor ?? { name: job.createdBy, role: 'cli' };
    const ctx: UseCaseContext = { store, actor, now: () => new Date() };
    const result = await JOB_HANDLERS[job.kind].run(ctx, input, progress, { file: () => readJobFile(store, job.id) });
    if (current && !steps.includes(current.step)) steps.push(current.step);
    await writing;
    if (lost || !(await completeJob(store, job.id, worker, result, steps))) return 'lost';
    hooks.onDone?.(job, result);
    return 'done';
  } catch (e) {
    await writing;
    if (lost) return 'lost';
    const error = errorOf(e);
    // a user error (unknown consultation, invalid synthesis) fails the same way every time, except a
    // conflict (the data changed during the run), which a new attempt on the new data resolves
    const final = (isUserError(e) && e.code !== 'conflict') || e instanceof StoreError || (e instanceof ImportError && e.code !== 'import.busy') || (e as { final?: boolean }).final === true || job.attempts >= timings.maxAttempts;
    if (!(await failJob(store, job.id, worker, error, final).catch(() => false))) return 'lost';
    return final ? 'failed' : 'retry';
  } finally {
    clearInterval(heartbeat);
  }
}
