/**
 * Training of the theme model served by the public suggestion, off the request path: the examples are read from
 * the store page by page (the event loop keeps answering between pages) and sent to a worker thread, which fits
 * and serialises the model; the model is then stored (analysis_models, purpose 'themes') with its metadata.
 * At most one training runs at a time for a consultation in this process, and across processes sharing the
 * database (several servers): a lease row in the rate_limits table says a training is running somewhere.
 */
import type { Worker } from 'node:worker_threads';
import type { TrainReply, TrainRequest } from '../analysis/classify/train-worker.ts';
import type { Store } from '../store/store.ts';
import { hitRateLimit, setRateLimit } from '../store/rate-limits.ts';
import { labelledThemeExamples } from '../store/theme-models.ts';
import { startTsWorker } from '../workers/start.ts';

const PAGE = 1000;
const WORKER = new URL('../analysis/classify/train-worker.ts', import.meta.url);

export type TrainingOutcome =
  | { outcome: 'trained'; version: string; examples: number }
  | { outcome: 'skipped'; examples: number; labels: number }
  | { outcome: 'failed'; error: string }
  /** another process (server) is training this consultation's model: its model is served once stored */
  | { outcome: 'elsewhere' };

/** How long a training's lease holds if its process dies without releasing it. */
const LEASE_MS = 10 * 60_000;
const leaseKey = (slug: string) => `theme-training|${slug}`;

interface Job { done: Promise<TrainingOutcome>; worker?: Worker; stopped: boolean }
/** per store (several servers may share a process, e.g. in tests), per consultation */
const runningByStore = new WeakMap<Store, Map<string, Job>>();
let started = 0;

function runningOf(store: Store): Map<string, Job> {
  let m = runningByStore.get(store);
  if (!m) { m = new Map(); runningByStore.set(store, m); }
  return m;
}

/** Starts a training for the consultation unless one is running; returns its outcome (it never rejects). */
export function scheduleThemeTraining(store: Store, slug: string): Promise<TrainingOutcome> {
  const running = runningOf(store);
  const current = running.get(slug);
  if (current) return current.done;
  const job: Job = { done: Promise.resolve({ outcome: 'failed', error: '' }), stopped: false };
  started++;
  job.done = train(store, slug, job)
    .catch((e: unknown): TrainingOutcome => ({ outcome: 'failed', error: (e as Error)?.message ?? String(e) }))
    .finally(() => { running.delete(slug); void job.worker?.terminate(); });
  running.set(slug, job);
  return job.done;
}

/** The running training of a consultation, if any. */
export function themeTrainingFor(store: Store, slug: string): Promise<TrainingOutcome> | undefined {
  return runningOf(store).get(slug)?.done;
}

/** How many trainings this process started (for tests and diagnostics). */
export function themeTrainingsStarted(): number {
  return started;
}

/** Stops every running training on a store (server shutdown) and waits for them to settle. */
export async function stopThemeTrainings(store: Store): Promise<void> {
  const jobs = [...runningOf(store).values()];
  for (const j of jobs) { j.stopped = true; await j.worker?.terminate(); }
  await Promise.all(jobs.map((j) => j.done));
}

async function train(store: Store, slug: string, job: Job): Promise<TrainingOutcome> {
  // the first hit of the window holds the lease; released when done (the window ends at once)
  if ((await hitRateLimit(store, leaseKey(slug), LEASE_MS)).hits > 1) return { outcome: 'elsewhere' };
  try {
    return await trainHere(store, slug, job);
  } finally {
    await setRateLimit(store, leaseKey(slug), 0, 0).catch(() => { /* the lease then lapses after LEASE_MS */ });
  }
}

async function trainHere(store: Store, slug: string, job: Job): Promise<TrainingOutcome> {
  const c = await store.getConsultation(slug);
  if (!c || c.themes.length === 0) return { outcome: 'skipped', examples: 0, labels: 0 };
  const worker = startTsWorker(WORKER);
  job.worker = worker;
  const reply = new Promise<TrainReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`l’entraînement s’est arrêté (code ${code})`)));
  });
  reply.catch(() => undefined); // observed below; avoids an unhandled rejection while pages are still read
  const send = (m: TrainRequest) => worker.postMessage(m);
  let after = -1;
  for (;;) {
    if (job.stopped) throw new Error('entraînement interrompu');
    const page = await labelledThemeExamples(store, slug, after, PAGE);
    if (page.examples.length > 0) send({ type: 'examples', items: page.examples.map((e) => ({ id: e.id, text: e.text, labels: e.labels })) });
    if (page.next === null) break;
    after = page.next;
  }
  send({ type: 'train', themes: c.themes });
  const r = await reply;
  if (r.type === 'skipped') return { outcome: 'skipped', examples: r.examples, labels: r.labels };
  if (job.stopped) throw new Error('entraînement interrompu');
  await store.saveAnalysisModel({ consultation: slug, purpose: 'themes', version: r.version, metadata: r.metadata, modelJson: r.modelJson });
  return { outcome: 'trained', version: r.version, examples: r.examples };
}
