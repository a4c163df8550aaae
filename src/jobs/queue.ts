/**
 * Queuing and running jobs. The jobs table (src/store/jobs.ts) holds every job's state and lease on both
 * databases; what delivers a job to a process differs:
 * - embedded SQLite (the default, one machine): the server runs its jobs itself, polling the table (and woken
 *   at once by its own enqueues); `fabrique worker` can do the same next to it.
 * - PostgreSQL: pg-boss delivers a job to one of the workers (`fabrique worker`, or a server configured to run
 *   jobs): its delivery is written in the same transaction as the job row, it retries deliveries that failed
 *   and redelivers those of a worker that vanished. The lease in the job row still decides who runs it.
 */
import PgBoss from 'pg-boss';
import { claimableJobIds, claimJob, createJob, getJob, releaseJob, storeExecutor, type Job } from '../store/jobs.ts';
import { sha256Hex } from '../store/source-files.ts';
import type { Store } from '../store/store.ts';
import type { Actor } from '../usecases/context.ts';
import { JOB_HANDLERS, JOB_KINDS, parseJobInput, type JobKind } from './handlers.ts';
import { jobTimingsFromEnv, processName, runClaimedJob, type JobEnvelope, type JobTimings, type RunHooks } from './run.ts';

export const PGBOSS_QUEUE = 'fabrique-jobs';

export interface JobsOptions {
  /** run jobs in this process (default for a server: on SQLite yes, on PostgreSQL FABRIQUE_SERVE_JOBS=1) */
  run: boolean;
  /** shown in locked_by: serve, worker, cli */
  role: string;
  timings?: Partial<JobTimings>;
  hooks?: RunHooks;
  /** SQLite: how often the table is looked at for jobs queued by another process */
  pollMs?: number;
  log?: (msg: string) => void;
}

export interface EnqueueRequest {
  kind: JobKind;
  input: unknown;
  actor: Actor;
  /** the file an import reads: stored with the job (its sha256 goes in the input) */
  file?: Uint8Array;
}

export interface JobService {
  /** records the job (or returns the queued or running one doing the same) and has it delivered */
  enqueue(req: EnqueueRequest): Promise<{ job: Job; created: boolean }>;
  readonly runsJobs: boolean;
  readonly worker: string;
  /** the job being run by this process, if any */
  current(): Job | undefined;
  /** stops taking jobs; waits up to `timeoutMs` for the current one, then gives it back to the queue */
  close(timeoutMs?: number): Promise<void>;
}

/** Whether a server runs jobs itself: FABRIQUE_SERVE_JOBS=1/0, by default only on the embedded SQLite. */
export function serverRunsJobs(store: Store, env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.FABRIQUE_SERVE_JOBS?.trim();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  if (v) throw new Error(`FABRIQUE_SERVE_JOBS doit valoir 1 ou 0 (reçu : « ${v} »).`);
  return store.dialect === 'sqlite';
}

function requestRow(req: EnqueueRequest) {
  const spec = JOB_HANDLERS[req.kind];
  const given = req.file ? { ...(req.input as object), sha256: sha256Hex(req.file) } : req.input;
  const input = parseJobInput(req.kind, given);
  const envelope: JobEnvelope = { actor: req.actor, input };
  return {
    kind: req.kind, consultation: spec.consultation(input), input: envelope, createdBy: req.actor.name, dedupeKey: spec.dedupeKey(input),
    ...(req.file ? { file: req.file } : {}),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => { setTimeout(r, ms).unref(); });

/** Runs one job at a time; shared by both ways of delivering. */
abstract class RunnerBase implements JobService {
  readonly worker: string;
  protected readonly timings: JobTimings;
  protected running: { job: Job; done: Promise<unknown> } | undefined;
  protected stopping = false;

  constructor(protected readonly store: Store, protected readonly o: JobsOptions) {
    this.worker = processName(o.role);
    this.timings = { ...jobTimingsFromEnv(), ...o.timings };
  }

  abstract enqueue(req: EnqueueRequest): Promise<{ job: Job; created: boolean }>;
  abstract get runsJobs(): boolean;
  abstract close(timeoutMs?: number): Promise<void>;

  current(): Job | undefined {
    return this.running?.job;
  }

  /** Claims and runs the job if nobody else holds it; undefined when it was not claimable. */
  protected async tryRun(id: string) {
    if (this.stopping) return undefined;
    const job = await claimJob(this.store, id, this.worker, this.timings.leaseMs);
    if (!job) return undefined;
    const done = runClaimedJob(this.store, job, this.worker, this.timings, this.o.hooks);
    this.running = { job, done };
    try {
      const outcome = await done;
      this.o.log?.(`tâche ${job.kind} ${job.id} : ${outcome}`);
      return outcome;
    } finally {
      this.running = undefined;
    }
  }

  /** Waits for the current job up to `timeoutMs`; gives it back to the queue if it is still running. */
  protected async settleCurrent(timeoutMs: number): Promise<void> {
    const r = this.running;
    if (!r) return;
    const finished = await Promise.race([r.done.then(() => true, () => true), sleep(timeoutMs).then(() => false)]);
    if (!finished && await releaseJob(this.store, r.job.id, this.worker).catch(() => false)) {
      this.o.log?.(`tâche ${r.job.kind} ${r.job.id} rendue à la file (arrêt)`);
    }
  }
}

/** Embedded SQLite (or a worker without pg-boss): polls the jobs table. */
class PollingJobs extends RunnerBase {
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(store: Store, o: JobsOptions) {
    super(store, o);
    if (o.run) this.loop = this.poll();
  }

  get runsJobs(): boolean { return this.o.run; }

  async enqueue(req: EnqueueRequest) {
    const r = await createJob(this.store, requestRow(req));
    this.wakeUp?.();
    return r;
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      let ran = false;
      try {
        for (const id of await claimableJobIds(this.store, JOB_KINDS)) {
          if (this.stopping) break;
          if (await this.tryRun(id)) { ran = true; break; }
        }
      } catch (e) {
        this.o.log?.(`file des tâches : ${(e as Error).message}`);
      }
      if (ran || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.o.pollMs ?? 1000);
        t.unref();
        this.wakeUp = () => { clearTimeout(t); resolve(); };
      });
      this.wakeUp = undefined;
    }
  }

  async close(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.settleCurrent(timeoutMs);
    if (!this.running) await this.loop;
  }
}

/** PostgreSQL: pg-boss, in its own schema, over the store's connection pool. */
class PgBossJobs extends RunnerBase {
  private boss: PgBoss | undefined;
  private starting: Promise<PgBoss> | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(store: Store, o: JobsOptions) {
    super(store, o);
  }

  get runsJobs(): boolean { return this.o.run; }

  static schema(env: NodeJS.ProcessEnv = process.env): string {
    const s = env.FABRIQUE_PGBOSS_SCHEMA?.trim() || 'pgboss';
    if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`FABRIQUE_PGBOSS_SCHEMA invalide : « ${s} »`);
    return s;
  }

  /** Starts pg-boss (creating or upgrading its schema) and the queue, once. */
  start(): Promise<PgBoss> {
    this.starting ??= (async () => {
      const boss = new PgBoss({
        db: storeExecutor(this.store), schema: PgBossJobs.schema(), migrate: true, schedule: false,
        // expiry of deliveries and their archiving: only where jobs run
        supervise: this.o.run, maintenanceIntervalSeconds: 30,
      });
      boss.on('error', (e) => this.o.log?.(`pg-boss : ${e.message}`));
      await boss.start();
      if (!(await boss.getQueue(PGBOSS_QUEUE))) {
        // 'short': at most one waiting delivery per job (singletonKey = job id); a vanished worker's
        // delivery expires after FABRIQUE_JOB_EXPIRE_SECONDS and is retried
        await boss.createQueue(PGBOSS_QUEUE, {
          name: PGBOSS_QUEUE, policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true,
          expireInSeconds: Math.round(Number(process.env.FABRIQUE_JOB_EXPIRE_SECONDS?.trim() || 900)),
        }).catch(async (e) => { if (!(await boss.getQueue(PGBOSS_QUEUE))) throw e; });
      }
      this.boss = boss;
      return boss;
    })();
    return this.starting;
  }

  async enqueue(req: EnqueueRequest) {
    const boss = await this.start();
    return createJob(this.store, requestRow(req), async (job, executor) => {
      await boss.send(PGBOSS_QUEUE, { jobId: job.id }, { singletonKey: job.id, db: executor });
    });
  }

  /** Starts taking deliveries (workers, or a server with FABRIQUE_SERVE_JOBS=1). */
  async work(): Promise<void> {
    const boss = await this.start();
    await boss.work<{ jobId: string }>(PGBOSS_QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([delivery]) => {
      if (delivery) await this.deliver(delivery.data.jobId);
    });
    const sweep = () => { void this.sweep(); };
    this.sweeper = setInterval(sweep, Math.max(1000, this.timings.leaseMs / 2));
    this.sweeper.unref();
    sweep();
  }

  private async deliver(jobId: string): Promise<void> {
    if (this.stopping) throw new Error('arrêt en cours : la tâche sera reprise par un autre processus');
    const job = await getJob(this.store, jobId);
    if (!job || job.state === 'done' || job.state === 'failed') return;
    const outcome = await this.tryRun(jobId);
    if (outcome === undefined) {
      // another process holds a live lease: look again later, in case it dies before finishing
      await this.boss!.sendAfter(PGBOSS_QUEUE, { jobId }, { singletonKey: jobId }, Math.ceil(this.timings.leaseMs / 1000));
      return;
    }
    if (outcome === 'retry') throw new Error(`tâche ${jobId} : nouvel essai`);
  }

  /**
   * Jobs queued or under an expired lease get a delivery: covers a job whose process died (its delivery
   * waits for pg-boss's expiry otherwise) and one whose deliveries were all used up.
   */
  private async sweep(): Promise<void> {
    if (this.stopping || !this.boss) return;
    try {
      for (const id of await claimableJobIds(this.store, JOB_KINDS, 50)) {
        await this.boss.send(PGBOSS_QUEUE, { jobId: id }, { singletonKey: id });
      }
    } catch (e) {
      this.o.log?.(`file des tâches : ${(e as Error).message}`);
    }
  }

  async close(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await this.settleCurrent(timeoutMs);
    // pg-boss waits for its handlers and fails what is still running, so it is delivered again
    if (this.starting) await (await this.starting).stop({ graceful: true, wait: true, timeout: 1000, close: false });
  }
}

/** The job service of a process: enqueues, and runs jobs when `o.run`. */
export async function openJobs(store: Store, o: JobsOptions): Promise<JobService> {
  if (store.dialect === 'sqlite') return new PollingJobs(store, o);
  const jobs = new PgBossJobs(store, o);
  if (o.run) await jobs.work();
  return jobs;
}

/**
 * Runs a job in this process now (`fabrique analyze`): queued or taken over from a dead process, it runs
 * here; running elsewhere, this waits for it. Returns the job as it ended.
 */
export async function runInline(store: Store, req: EnqueueRequest, hooks: RunHooks & { waitMs?: number } = {}): Promise<Job> {
  const timings = jobTimingsFromEnv();
  const worker = processName('cli');
  const { job } = await createJob(store, requestRow(req));
  for (;;) {
    const claimed = await claimJob(store, job.id, worker, timings.leaseMs);
    if (claimed) {
      const outcome = await runClaimedJob(store, claimed, worker, timings, hooks);
      if (outcome !== 'retry') break;
      continue;
    }
    const now = await getJob(store, job.id);
    if (!now || now.state === 'done' || now.state === 'failed') break;
    if (now.step) hooks.onProgress?.({ step: now.step, label: now.progress.label ?? now.step, done: now.progress.done, total: now.progress.total });
    // a referenced timer: this process has nothing else to keep it alive while it waits
    await new Promise((r) => setTimeout(r, hooks.waitMs ?? 1000));
  }
  return (await getJob(store, job.id))!;
}
