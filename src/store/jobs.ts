/**
 * The jobs table (migration 0010_jobs): long work with a user-visible state, and the lease of the process
 * running it. Every change of state is a conditional UPDATE, so two processes never both hold a job: a
 * process claims a job that is queued, or running under a lease that expired (its process died), and each
 * later write checks that it still holds the lease. Lease times use the database's clock, so processes on
 * several machines agree on them.
 */
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql, type Expression, type Selectable, type Transaction } from 'kysely';
import type { Database, JobRow } from './schema.ts';
import type { Store } from './store.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed';
export const ACTIVE_JOB_STATES = ['queued', 'running'] as const;

export interface JobProgress { done: number; total: number; label: string | null }

export interface Job {
  id: string;
  kind: string;
  consultation: string | null;
  input: unknown;
  state: JobState;
  step: string | null;
  progress: JobProgress;
  steps: string[];
  result: unknown;
  error: { code: string; message: string; field?: string } | null;
  attempts: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface NewJob {
  kind: string;
  consultation: string | null;
  input: unknown;
  createdBy: string;
  /** at most one queued or running job per key: a second request gets the existing job */
  dedupeKey?: string;
  /** a file the job reads (an upload to import), kept until the job ends */
  file?: Uint8Array;
}

/** Runs SQL on the store's connection or inside a transaction (for a queue library that enqueues in our transaction). */
export interface SqlExecutor { executeSql(text: string, values: unknown[]): Promise<{ rows: any[] }> }

function executorOf(db: Store['db'] | Transaction<Database>): SqlExecutor {
  return {
    executeSql: async (text, values) => {
      const r = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: r.rows as any[] };
    },
  };
}

/** The store's connection for a queue library (pg-boss); its SQL stays the library's own. */
export function storeExecutor(store: Store): SqlExecutor {
  return executorOf(store.db);
}

/** Milliseconds since the epoch by the database's clock. */
function dbNowMs(store: Store): Expression<number> {
  return store.dialect === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)`;
}

function fromRow(r: Selectable<JobRow>): Job {
  return {
    id: r.id, kind: r.kind, consultation: r.consultation, input: JSON.parse(r.input_json), state: r.state as JobState,
    step: r.step, progress: { done: Number(r.progress_done), total: Number(r.progress_total), label: r.step_label },
    steps: JSON.parse(r.steps_json) as string[],
    result: r.result_json === null ? null : JSON.parse(r.result_json),
    error: r.error_json === null ? null : JSON.parse(r.error_json),
    attempts: Number(r.attempts), lockedBy: r.locked_by, lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
    createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at, startedAt: r.started_at, finishedAt: r.finished_at,
  };
}

/** The predicate of the partial index jobs_active_key, literally: a database only matches it written the same way. */
const ACTIVE_INDEX_PREDICATE = sql<boolean>`state IN ('queued', 'running')`;

const iso = () => new Date().toISOString();

/**
 * Records a queued job, or returns the queued or running job with the same dedupe key (`created: false`).
 * `alsoInTransaction` runs in the same transaction (pg-boss enqueues its delivery there: both or neither).
 */
export async function createJob(store: Store, spec: NewJob, alsoInTransaction?: (job: Job, executor: SqlExecutor) => Promise<void>):
  Promise<{ job: Job; created: boolean }> {
  return store.db.transaction().execute(async (trx) => {
    const at = iso();
    const inserted = await trx.insertInto('jobs').values({
      id: randomUUID(), kind: spec.kind, consultation: spec.consultation, input_json: JSON.stringify(spec.input ?? null),
      dedupe_key: spec.dedupeKey ?? null, state: 'queued', step: null, step_label: null, progress_done: 0, progress_total: 0,
      steps_json: '[]', result_json: null, error_json: null, attempts: 0, locked_by: null, locked_until: null,
      created_by: spec.createdBy, created_at: at, updated_at: at, started_at: null, finished_at: null,
    }).onConflict((oc) => oc.column('dedupe_key').where(ACTIVE_INDEX_PREDICATE).doNothing())
      .returningAll().executeTakeFirst();
    if (!inserted) {
      const existing = await trx.selectFrom('jobs').selectAll().where('dedupe_key', '=', spec.dedupeKey!)
        .where('state', 'in', [...ACTIVE_JOB_STATES]).executeTakeFirstOrThrow();
      return { job: fromRow(existing), created: false };
    }
    const job = fromRow(inserted);
    if (spec.file) await trx.insertInto('job_files').values({ job_id: job.id, content: spec.file }).execute();
    if (alsoInTransaction) await alsoInTransaction(job, executorOf(trx));
    return { job, created: true };
  });
}

export async function getJob(store: Store, id: string): Promise<Job | undefined> {
  const r = await store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Jobs of a consultation, newest first. */
/**
 * Takes the job for `worker` when it is queued, or running under an expired lease (its process died);
 * counts an attempt. Undefined when another process holds it or it is finished.
 */
export async function claimJob(store: Store, id: string, worker: string, leaseMs: number): Promise<Job | undefined> {
  const now = dbNowMs(store);
  const r = await store.db.updateTable('jobs')
    .set((eb) => ({
      state: 'running', locked_by: worker, locked_until: sql<number>`${now} + ${leaseMs}`,
      attempts: eb('attempts', '+', 1), started_at: eb.fn.coalesce('started_at', eb.val(iso())), updated_at: iso(), error_json: null,
    }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('locked_until', '<', now)])]))
    .returningAll().executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** Ids of jobs a process could claim now (queued, or running under an expired lease), oldest first. */
export async function claimableJobIds(store: Store, kinds: readonly string[], limit = 10): Promise<string[]> {
  if (kinds.length === 0) return [];
  const now = dbNowMs(store);
  const rows = await store.db.selectFrom('jobs').select('id').where('kind', 'in', [...kinds])
    .where((eb) => eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('locked_until', '<', now)])]))
    .orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Renews the lease; false when the process no longer holds it (another took the job over). */
export async function renewJobLease(store: Store, id: string, worker: string, leaseMs: number): Promise<boolean> {
  const r = await store.db.updateTable('jobs').set({ locked_until: sql<number>`${dbNowMs(store)} + ${leaseMs}` })
    .where('id', '=', id).where('locked_by', '=', worker).where('state', '=', 'running').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores the step and progress shown to the user (only while the process holds the job). */
export async function recordJobProgress(store: Store, id: string, worker: string, p: { step: string; label: string; done: number; total: number; steps: string[] }): Promise<void> {
  await store.db.updateTable('jobs').set({
    step: p.step, step_label: p.label, progress_done: Math.max(0, Math.round(p.done)), progress_total: Math.max(0, Math.round(p.total)),
    steps_json: JSON.stringify(p.steps), updated_at: iso(),
  }).where('id', '=', id).where('locked_by', '=', worker).where('state', '=', 'running').execute();
}

/** The job finished: its result, lease released, its file deleted. False when the process had lost the job. */
export async function completeJob(store: Store, id: string, worker: string, result: unknown, steps: string[]): Promise<boolean> {
  const at = iso();
  return store.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('jobs').set({
      state: 'done', result_json: JSON.stringify(result ?? null), error_json: null, steps_json: JSON.stringify(steps),
      locked_by: null, locked_until: null, updated_at: at, finished_at: at,
    }).where('id', '=', id).where('locked_by', '=', worker).where('state', '=', 'running').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await trx.deleteFrom('job_files').where('job_id', '=', id).execute();
    return true;
  });
}

/** The file of a job (an upload to import); undefined once the job has ended. */
export async function readJobFile(store: Store, id: string): Promise<Uint8Array | undefined> {
  const r = await store.db.selectFrom('job_files').select('content').where('job_id', '=', id).executeTakeFirst();
  return r ? new Uint8Array(r.content) : undefined;
}

/**
 * The attempt failed: `final` marks the job failed with the error; otherwise it goes back to the queue
 * (the error kept for the user) for another attempt.
 */
export async function failJob(store: Store, id: string, worker: string, error: { code: string; message: string }, final: boolean): Promise<boolean> {
  const at = iso();
  return store.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('jobs').set({
      state: final ? 'failed' : 'queued', error_json: JSON.stringify(error), locked_by: null, locked_until: null, updated_at: at,
      ...(final ? { finished_at: at } : {}),
    }).where('id', '=', id).where('locked_by', '=', worker).where('state', '=', 'running').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    if (final) await trx.deleteFrom('job_files').where('job_id', '=', id).execute();
    return true;
  });
}

/** Gives the job back to the queue without counting the attempt (graceful shutdown). */
export async function releaseJob(store: Store, id: string, worker: string): Promise<boolean> {
  const r = await store.db.updateTable('jobs').set((eb) => ({
    state: 'queued', locked_by: null, locked_until: null, attempts: sql<number>`CASE WHEN ${eb.ref('attempts')} > 0 THEN ${eb.ref('attempts')} - 1 ELSE 0 END`, updated_at: iso(),
  })).where('id', '=', id).where('locked_by', '=', worker).where('state', '=', 'running').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Jobs waiting, running, and running under an expired lease (their process died; taken over soon). */
export async function jobCounts(store: Store): Promise<{ queued: number; running: number; stalled: number }> {
  const now = dbNowMs(store);
  const r = await store.db.selectFrom('jobs').select((eb) => [
    eb.fn.count<number>(eb.case().when('state', '=', 'queued').then(1).end()).as('queued'),
    eb.fn.count<number>(eb.case().when('state', '=', 'running').then(1).end()).as('running'),
    eb.fn.count<number>(eb.case().when(eb.and([eb('state', '=', 'running'), eb('locked_until', '<', now)])).then(1).end()).as('stalled'),
  ]).where('state', 'in', [...ACTIVE_JOB_STATES]).executeTakeFirst();
  return { queued: Number(r?.queued ?? 0), running: Number(r?.running ?? 0), stalled: Number(r?.stalled ?? 0) };
}
