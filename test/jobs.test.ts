import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { openJobs, runInline } from '../src/jobs/queue.ts';
import { runClaimedJob, type JobTimings } from '../src/jobs/run.ts';
import { claimableJobIds, claimJob, completeJob, createJob, failJob, getJob, recordJobProgress, releaseJob, renewJobLease } from '../src/store/jobs.ts';
import { Store } from '../src/store/index.ts';
import { appDb } from '../src/store/accounts.ts';
import { CLI_ACTOR } from '../src/usecases/context.ts';
import { testConsultation, testDocument } from './helpers/fixtures.ts';
import { storeTest } from './helpers/stores.ts';

const ANALYST = { name: 'analyste@ars.test', role: 'analyst' as const };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

storeTest('une tâche : une seule active par clé, un seul processus la tient, reprise quand son bail expire', async (store) => {
  const spec = { kind: 'analyze', consultation: null, input: { x: 1 }, createdBy: 'a', dedupeKey: 'analyze:x' };
  const first = await createJob(store, spec);
  assert.equal(first.created, true);
  assert.equal(first.job.state, 'queued');
  const again = await createJob(store, spec);
  assert.equal(again.created, false, 'même clé : la tâche existante');
  assert.equal(again.job.id, first.job.id);
  assert.deepEqual(await claimableJobIds(store, ['analyze']), [first.job.id]);

  const a = await claimJob(store, first.job.id, 'A', 300);
  assert.equal(a?.state, 'running');
  assert.equal(a?.attempts, 1);
  assert.equal(await claimJob(store, first.job.id, 'B', 300), undefined, 'bail vivant : B ne la prend pas');
  assert.equal(await renewJobLease(store, first.job.id, 'B', 300), false);
  assert.equal(await renewJobLease(store, first.job.id, 'A', 300), true);
  assert.deepEqual(await claimableJobIds(store, ['analyze']), []);
  // a second request while it runs still gets it
  assert.equal((await createJob(store, spec)).job.id, first.job.id);

  // A dies: once its lease has expired, B takes the job over; A's late writes change nothing
  await sleep(400);
  assert.deepEqual(await claimableJobIds(store, ['analyze']), [first.job.id]);
  const b = await claimJob(store, first.job.id, 'B', 60_000);
  assert.equal(b?.lockedBy, 'B');
  assert.equal(b?.attempts, 2);
  await recordJobProgress(store, first.job.id, 'A', { step: 'x', label: 'x', done: 1, total: 2, steps: [] });
  assert.equal(await completeJob(store, first.job.id, 'A', { by: 'A' }, []), false);
  await recordJobProgress(store, first.job.id, 'B', { step: 'group', label: 'Regroupement', done: 1, total: 2, steps: ['classify'] });
  const mid = await getJob(store, first.job.id);
  assert.deepEqual([mid?.step, mid?.progress, mid?.steps], ['group', { done: 1, total: 2, label: 'Regroupement' }, ['classify']]);

  // graceful shutdown gives it back without counting the attempt
  assert.equal(await releaseJob(store, first.job.id, 'B'), true);
  const released = await getJob(store, first.job.id);
  assert.deepEqual([released?.state, released?.attempts, released?.lockedBy], ['queued', 1, null]);
  await claimJob(store, first.job.id, 'C', 60_000);
  assert.equal(await completeJob(store, first.job.id, 'C', { groups: 3 }, ['classify', 'group']), true);
  const done = await getJob(store, first.job.id);
  assert.deepEqual([done?.state, done?.result, done?.lockedBy, done?.lockedUntil], ['done', { groups: 3 }, null, null]);
  assert.ok(done?.finishedAt);
  assert.equal(await claimJob(store, first.job.id, 'D', 60_000), undefined, 'une tâche finie ne se reprend pas');

  // finished: the key is free again
  const next = await createJob(store, spec);
  assert.equal(next.created, true);
  await claimJob(store, next.job.id, 'A', 60_000);
  assert.equal(await failJob(store, next.job.id, 'A', { code: 'internal', message: 'panne' }, false), true);
  assert.equal((await getJob(store, next.job.id))?.state, 'queued', 'un échec non définitif la remet en file');
  await claimJob(store, next.job.id, 'A', 60_000);
  await failJob(store, next.job.id, 'A', { code: 'not_found', message: 'Consultation inconnue' }, true);
  const failed = await getJob(store, next.job.id);
  assert.deepEqual([failed?.state, failed?.error], ['failed', { code: 'not_found', message: 'Consultation inconnue' }]);
});

async function storeWithContributions(): Promise<Store> {
  const store = await Store.open({ sqlitePath: ':memory:' });
  await store.upsertConsultation(testConsultation());
  const texts = Array.from({ length: 30 }, (_, i) => (i % 2 ? `Manque de médecins traitants dans le canton ${i}, délais trop longs` : `Transports vers l'hôpital difficiles pour les personnes âgées ${i}`));
  await store.importParsed('essai', testDocument(texts));
  return store;
}

const FAST: JobTimings = { leaseMs: 300, heartbeatMs: 50, maxAttempts: 3, progressEveryMs: 0 };

test('une analyse en tâche : progression enregistrée, résultat, une entrée d’audit ; reprise après la mort de son processus', async () => {
  const store = await storeWithContributions();
  try {
    // a process claims the analysis and dies without a word
    const { job } = await createJob(store, { kind: 'analyze', consultation: 'essai', input: { actor: ANALYST, input: { consultation: 'essai', seed: 1 } }, createdBy: ANALYST.name, dedupeKey: 'analyze:essai' });
    assert.ok(await claimJob(store, job.id, 'mort', FAST.leaseMs));
    const service = await openJobs(store, { run: true, role: 'test', timings: FAST, pollMs: 50 });
    try {
      const seen: string[] = [];
      for (let i = 0; i < 200; i++) {
        const j = await getJob(store, job.id);
        if (j?.lockedBy && !seen.includes(j.lockedBy)) seen.push(j.lockedBy);
        if (j?.state === 'done' || j?.state === 'failed') break;
        await sleep(50);
      }
      const done = await getJob(store, job.id);
      assert.equal(done?.state, 'done', JSON.stringify(done?.error));
      assert.equal(done?.attempts, 2, 'repris une fois');
      assert.ok(seen[0] === 'mort' && seen.length >= 1);
      assert.deepEqual([done?.steps[0], done?.steps.at(-1)], ['load', 'save']);
      assert.ok(done?.steps.includes('themes') && done.steps.includes('grouping'), JSON.stringify(done?.steps));
      assert.deepEqual([done?.step, done?.progress.done, done?.progress.total], ['save', 1, 1]);
      const result = done?.result as { contributions: number; grouping: { groups: number } };
      assert.equal(result.contributions, 30);
      assert.ok(result.grouping.groups >= 1);
      const audit = await appDb(store).selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'groups.analyze').execute();
      assert.deepEqual(audit, [{ actor: ANALYST.name, action: 'groups.analyze' }]);
      // the same job enqueued through the service runs at once in this process
      const again = await service.enqueue({ kind: 'analyze', input: { consultation: 'essai' }, actor: ANALYST });
      assert.equal(again.created, true);
      for (let i = 0; i < 200 && (await getJob(store, again.job.id))?.state !== 'done'; i++) await sleep(25);
      assert.equal((await getJob(store, again.job.id))?.state, 'done');
    } finally {
      await service.close();
    }
  } finally {
    await store.close();
  }
});

test('une tâche qui échoue : erreur de l’utilisateur définitive, l’inline la rapporte', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    const events: string[] = [];
    const job = await runInline(store, { kind: 'analyze', input: { consultation: 'absente' }, actor: ANALYST }, { onProgress: (e) => events.push(e.step) });
    assert.equal(job.state, 'failed');
    assert.equal(job.error?.code, 'not_found');
    assert.match(job.error!.message, /Consultation inconnue/);
    assert.equal(job.attempts, 1, 'pas de nouvel essai pour une erreur de l’utilisateur');
    // invalid input never reaches the use case
    await assert.rejects(runInline(store, { kind: 'analyze', input: { consultation: '' }, actor: ANALYST }), /invalides/);
  } finally {
    await store.close();
  }
});

test('arrêt pendant une tâche : rendue à la file, sans essai compté', async () => {
  const store = await storeWithContributions();
  try {
    const { job } = await createJob(store, { kind: 'analyze', consultation: 'essai', input: { actor: ANALYST, input: { consultation: 'essai' } }, createdBy: ANALYST.name, dedupeKey: 'analyze:essai' });
    const claimed = (await claimJob(store, job.id, 'W', 60_000))!;
    const running = runClaimedJob(store, claimed, 'W', FAST);
    assert.equal(await releaseJob(store, job.id, 'W'), true);
    // the process goes on a little before it exits: whatever it finishes, the row is no longer its
    assert.equal(await running, 'lost');
    const after = await getJob(store, job.id);
    assert.deepEqual([after?.state, after?.attempts, after?.result], ['queued', 0, null]);
  } finally {
    await store.close();
  }
});

const PG_URL = process.env.FABRIQUE_TEST_DATABASE_URL;
test('PostgreSQL : pg-boss livre la tâche à un worker ; une tâche dont le processus est mort est reprise', { skip: PG_URL ? false : 'PostgreSQL absent : définir FABRIQUE_TEST_DATABASE_URL (fait par .ci/run)' }, async () => {
  const schema = `t_${Math.random().toString(16).slice(2, 10)}`;
  const bossSchema = `${schema}_boss`;
  const saved = process.env.FABRIQUE_PGBOSS_SCHEMA;
  process.env.FABRIQUE_PGBOSS_SCHEMA = bossSchema;
  const store = await Store.open({ databaseUrl: PG_URL!, pgSchema: schema });
  try {
    await store.upsertConsultation(testConsultation());
    const texts = Array.from({ length: 24 }, (_, i) => (i % 2 ? `Manque de médecins traitants dans le canton ${i}` : `Transports vers l'hôpital difficiles ${i}`));
    await store.importParsed('essai', testDocument(texts));
    // a server enqueues (it does not run jobs on PostgreSQL): the row and its delivery in one transaction
    const server = await openJobs(store, { run: false, role: 'serve' });
    const { job } = await server.enqueue({ kind: 'analyze', input: { consultation: 'essai', seed: 1 }, actor: ANALYST });
    const deliveries = await store.db.executeQuery<{ n: number }>(CompiledQuery.raw(`SELECT count(*)::int AS n FROM ${bossSchema}.job WHERE data->>'jobId' = $1`, [job.id]));
    assert.equal(deliveries.rows[0]!.n, 1, 'une livraison pg-boss par tâche');
    await sleep(300);
    assert.equal((await getJob(store, job.id))?.state, 'queued', 'personne ne la prend sans worker');

    const worker = await openJobs(store, { run: true, role: 'worker', timings: FAST });
    try {
      for (let i = 0; i < 400 && (await getJob(store, job.id))?.state !== 'done'; i++) await sleep(50);
      const done = await getJob(store, job.id);
      assert.equal(done?.state, 'done', JSON.stringify(done?.error));
      assert.equal(done?.attempts, 1);

      // a process took a job and died: the worker's sweep delivers it again once the lease has expired
      const orphan = await createJob(store, { kind: 'analyze', consultation: 'essai', input: { actor: ANALYST, input: { consultation: 'essai' } }, createdBy: ANALYST.name, dedupeKey: 'analyze:essai' });
      assert.ok(await claimJob(store, orphan.job.id, 'mort', FAST.leaseMs));
      for (let i = 0; i < 400 && (await getJob(store, orphan.job.id))?.state !== 'done'; i++) await sleep(50);
      const resumed = await getJob(store, orphan.job.id);
      assert.deepEqual([resumed?.state, resumed?.attempts], ['done', 2]);
      const audit = await appDb(store).selectFrom('audit_log').select('id').where('action', '=', 'groups.analyze').execute();
      assert.equal(audit.length, 2, 'une entrée d’audit par analyse');
    } finally {
      await worker.close();
      await server.close();
    }
  } finally {
    if (saved === undefined) delete process.env.FABRIQUE_PGBOSS_SCHEMA; else process.env.FABRIQUE_PGBOSS_SCHEMA = saved;
    await store.db.schema.dropSchema(bossSchema).ifExists().cascade().execute();
    await store.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await store.close();
  }
});

test('un import en tâche : le fichier gardé avec la tâche jusqu’à sa fin, stocké une fois, idempotent', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  const service = await openJobs(store, { run: true, role: 'test', timings: FAST, pollMs: 50 });
  try {
    await store.upsertConsultation(testConsultation());
    const csv = Buffer.from(['texte', ...Array.from({ length: 12 }, (_, i) => `Il faut plus de médecins de garde le week-end, commune ${i}`)].join('\n'));
    const input = { consultation: 'essai', fileName: 'contributions.csv' };
    const waitDone = async (id: string) => {
      for (let i = 0; i < 400 && !['done', 'failed'].includes((await getJob(store, id))!.state); i++) await sleep(25);
      return (await getJob(store, id))!;
    };
    const { job } = await service.enqueue({ kind: 'import', input, actor: ANALYST, file: csv });
    assert.match((job.input as { input: { sha256: string } }).input.sha256, /^[0-9a-f]{64}$/);
    const done = await waitDone(job.id);
    assert.equal(done.state, 'done', JSON.stringify(done.error));
    assert.deepEqual(done.steps, ['import']);
    const result = done.result as { outcome: string; contributions: number };
    assert.deepEqual([result.outcome, result.contributions], ['imported', 12]);
    assert.equal((await store.listContributions('essai')).length, 12);
    assert.deepEqual(await store.db.selectFrom('job_files').select('job_id').execute(), [], 'le fichier de la tâche est retiré à sa fin');
    // the same file again: a new job, nothing stored twice
    const again = await service.enqueue({ kind: 'import', input, actor: ANALYST, file: csv });
    assert.notEqual(again.job.id, job.id);
    assert.equal(((await waitDone(again.job.id)).result as { outcome: string }).outcome, 'unchanged');
    assert.equal((await store.listContributions('essai')).length, 12);
    const audit = await appDb(store).selectFrom('audit_log').select('action').where('action', '=', 'document.import').execute();
    assert.equal(audit.length, 1, 'un document audité une fois : le second envoi ne change rien');
    // an unreadable file: a failed job with the reader's French message, no retry
    const bad = await service.enqueue({ kind: 'import', input: { consultation: 'essai', fileName: 'vieux.xls' }, actor: ANALYST, file: Buffer.from('x') });
    const failed = await waitDone(bad.job.id);
    assert.deepEqual([failed.state, failed.error?.code, failed.attempts], ['failed', 'invalid', 1]);
    assert.match(failed.error!.message, /xls/);
  } finally {
    await service.close();
    await store.close();
  }
});

test('fabrique analyze (en processus) exécute la même tâche que l’API : ligne de la tâche, résultat, audit', async (t) => {
  const { main } = await import('../src/cli/main.ts');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/fabrique-jobs-cli-');
  const saved = { db: process.env.FABRIQUE_DB, url: process.env.DATABASE_URL };
  process.env.FABRIQUE_DB = `${dir}/f.sqlite`;
  delete process.env.DATABASE_URL;
  try {
    const seed = await Store.open({ sqlitePath: process.env.FABRIQUE_DB });
    await seed.upsertConsultation(testConsultation());
    await seed.importParsed('essai', testDocument(Array.from({ length: 20 }, (_, i) => `Il manque des pharmacies de garde la nuit, quartier ${i}`)));
    await seed.close();
    const out: string[] = [];
    const err: string[] = [];
    t.mock.method(console, 'log', (...a: unknown[]) => { out.push(a.join(' ')); });
    const write = process.stderr.write.bind(process.stderr);
    t.mock.method(process.stderr, 'write', (chunk: string | Uint8Array) => { err.push(String(chunk)); return true; });
    let code: number;
    try {
      code = await main(['analyze', '--consultation', 'essai', '--seed', '3', '--json']);
    } finally {
      (process.stderr as { write: typeof write }).write = write;
    }
    assert.equal(code, 0, err.join(''));
    const summary = JSON.parse(out.join('\n')) as { contributions: number };
    assert.equal(summary.contributions, 20);
    assert.match(err.join(''), /^… Lecture des contributions et des idées communes\n… Classement des contributions par thème\n(… .+\n)+… Enregistrement des résultats\n$/, 'hors terminal : une ligne par étape');
    const check = await Store.open({ sqlitePath: process.env.FABRIQUE_DB });
    try {
      const jobs = await check.db.selectFrom('jobs').selectAll().execute();
      assert.equal(jobs.length, 1);
      assert.deepEqual([jobs[0]!.kind, jobs[0]!.state, jobs[0]!.created_by], ['analyze', 'done', CLI_ACTOR.name]);
      assert.deepEqual(JSON.parse(jobs[0]!.result_json!), summary);
      const audit = await appDb(check).selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'groups.analyze').execute();
      assert.deepEqual(audit, [{ actor: CLI_ACTOR.name, action: 'groups.analyze' }]);
    } finally {
      await check.close();
    }
    assert.equal(await main(['analyze', '--consultation', 'inconnue']), 3, 'consultation inconnue : code 3 (not_found)');
  } finally {
    if (saved.db === undefined) delete process.env.FABRIQUE_DB; else process.env.FABRIQUE_DB = saved.db;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    rmSync(dir, { recursive: true, force: true });
  }
});
