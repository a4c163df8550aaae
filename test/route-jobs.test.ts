/**
 * Routes whose work runs as a job (src/jobs): the synthesis generation, and the import of a file above the
 * job threshold. Each answers 202 with the job, followed through GET /api/admin/jobs/:id until its result is
 * stored; small uploads keep their synchronous answer.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { IMPORT_JOB_BYTES, optionsFromEnv } from '../src/server/app.ts';
import { listAudit } from '../src/store/audit.ts';
import { loadSynthesis } from '../src/synthesis/index.ts';
import { contributionsCsv, multipart } from './helpers/multipart.ts';
import { Client, testServer, waitForJob, type TestServer } from './helpers/server.ts';

const IMPORTS = '/api/admin/consultations/essai/imports';
const SYNTHESIS = '/api/admin/consultations/essai/synthesis';

const jobCount = async (t: TestServer) => (await t.store.db.selectFrom('jobs').select('id').execute()).length;

/** The fields every job view has (the same shape as POST …/analyze answers). */
function assertJobView(body: Record<string, unknown>, kind: string): void {
  assert.match(String(body.id), /^[0-9a-f-]{36}$/);
  assert.equal(body.kind, kind);
  assert.equal(body.consultation, 'essai');
  assert.ok(['queued', 'running', 'done'].includes(String(body.state)), `état : ${body.state}`);
  for (const key of ['step', 'progress', 'steps', 'error', 'attempts', 'createdAt', 'updatedAt', 'finishedAt']) assert.ok(key in body, `champ ${key}`);
}

describe('génération de la synthèse en tâche', () => {
  let t: TestServer;
  let analyst: Client;
  before(async () => {
    t = await testServer();
    analyst = await (await Client.create(t.app)).login('analyst');
    const res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('contributions.csv', contributionsCsv(24), { publish: '1' }) });
    assert.equal(res.statusCode, 201, res.body);
    const analysis = await waitForJob(analyst, (await analyst.post('/api/admin/consultations/essai/analyze', {})).json().id);
    assert.equal(analysis.state, 'done', JSON.stringify(analysis.error));
  });
  after(async () => { await t.close(); });

  test('POST …/synthesis : 202 avec la tâche, puis la synthèse vérifiée est enregistrée et auditée', async () => {
    const res = await analyst.post(SYNTHESIS, {});
    assert.equal(res.statusCode, 202, res.body);
    assertJobView(res.json(), 'synthesis');
    const job = await waitForJob(analyst, res.json().id);
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    assert.deepEqual((await analyst.get(`/api/admin/jobs/${res.json().id}`)).json().steps, ['build', 'verify', 'save']);
    assert.equal(job.progress.done, job.progress.total);
    const result = job.result as { id: string; verification: { ok: boolean; checked: { figures: number } }; notices: string[] };
    assert.equal(result.verification.ok, true, JSON.stringify(result.verification));
    assert.ok(result.verification.checked.figures > 0);
    assert.ok(Array.isArray(result.notices));
    const stored = await loadSynthesis(t.store, result.id);
    assert.ok(stored, 'la synthèse est enregistrée');
    assert.equal(stored.consultation, 'essai');
    // what the page reloads after the job: the stored document, by its target
    const download = await analyst.get(`${SYNTHESIS}?format=json`);
    assert.equal(download.statusCode, 200, download.body);
    assert.equal(download.json().id, result.id);
    const audit = (await listAudit(t.store, { consultation: 'essai' })).filter((e) => e.action === 'synthesis.generate');
    assert.deepEqual(audit.map((e) => e.actor), ['analyste@ars.test']);
  });

  test('consultation inconnue : 404 sans tâche ; une animatrice ne peut pas lancer la génération', async () => {
    const jobsBefore = await jobCount(t);
    let res = await analyst.post('/api/admin/consultations/absente/synthesis', {});
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(res.json().error.code, 'not_found');
    const facilitator = await (await Client.create(t.app, '10.9.9.9')).login('facilitator');
    res = await facilitator.post(SYNTHESIS, {});
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(await jobCount(t), jobsBefore, 'aucune tâche créée');
  });

  test('un niveau inconnu est refusé avant toute tâche (400)', async () => {
    const res = await analyst.post(SYNTHESIS, { level: 'commune' });
    assert.equal(res.statusCode, 400, res.body);
  });
});

describe('import d’un gros fichier en tâche', () => {
  let t: TestServer;
  let analyst: Client;
  // a low threshold keeps the test file small; the default applies the same rule at IMPORT_JOB_BYTES
  const threshold = 4096;
  before(async () => {
    t = await testServer({ importJobBytes: threshold });
    analyst = await (await Client.create(t.app)).login('analyst');
  });
  after(async () => { await t.close(); });

  test('au-dessus du seuil : 202 avec la tâche, puis les contributions sont enregistrées, en attente de modération', async () => {
    const csv = contributionsCsv(120);
    assert.ok(Buffer.byteLength(csv) > threshold);
    let res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('grand.csv', csv) });
    assert.equal(res.statusCode, 202, res.body);
    assertJobView(res.json(), 'import');
    const job = await waitForJob(analyst, res.json().id);
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    // the job's result is what a direct import answers
    const result = job.result as { outcome: string; documentId: string; fileName: string; contributions: number; publication: unknown; warnings: unknown[] };
    assert.deepEqual([result.outcome, result.fileName, result.contributions, result.publication], ['imported', 'grand.csv', 120, null]);
    assert.ok(Array.isArray(result.warnings));
    const stored = await t.store.listContributions('essai');
    assert.equal(stored.length, 120);
    assert.ok(stored.every((c) => c.moderation.status === 'pending'), 'en attente de modération');
    assert.equal((await analyst.get('/api/consultations/essai/contributions')).json().total, 0, 'rien de public');
    // the bytes are kept with the document, as for a direct import; the job's copy goes when it ends
    const source = await t.store.db.selectFrom('source_files').selectAll().where('document_id', '=', result.documentId).executeTakeFirstOrThrow();
    assert.equal(Buffer.from(source.content).toString('utf8'), csv);
    assert.deepEqual(await t.store.db.selectFrom('job_files').select('job_id').execute(), []);
    const audit = (await listAudit(t.store, { consultation: 'essai' })).filter((e) => e.action === 'document.import');
    assert.deepEqual(audit.map((e) => e.actor), ['analyste@ars.test']);

    // the same file again: a new job, nothing stored twice
    res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('grand.csv', csv) });
    assert.equal(res.statusCode, 202, res.body);
    const again = await waitForJob(analyst, res.json().id);
    assert.equal(again.result.outcome, 'unchanged');
    assert.equal((await t.store.listContributions('essai')).length, 120);
  });

  test('sous le seuil, la réponse reste synchrone (201 et le résultat de l’import)', async () => {
    const csv = contributionsCsv(8);
    assert.ok(Buffer.byteLength(csv) <= threshold);
    const res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('petit.csv', csv) });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual([res.json().outcome, res.json().contributions], ['imported', 8]);
  });

  test('gros fichier refusé avant toute tâche : réunion inconnue (404), contenu qui ne correspond pas (415), champ invalide (400)', async () => {
    const before = { ...await t.store.tableCounts(), jobs: await jobCount(t) };
    const csv = contributionsCsv(120);
    let res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('grand-bis.csv', csv, { meeting: 'reunion-absente' }) });
    assert.equal(res.statusCode, 404, res.body);
    assert.match(res.json().error.message, /Réunion inconnue/);
    res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('faux.pdf', csv) });
    assert.equal(res.statusCode, 415, res.body);
    res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('grand-ter.csv', csv, { publish: 'peut-être' }) });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual({ ...await t.store.tableCounts(), jobs: await jobCount(t) }, before, 'ni tâche ni contribution');
  });

  test('un fichier illisible au-dessus du seuil : la tâche échoue avec le message du lecteur, rien n’est importé', async () => {
    const before = (await t.store.listContributions('essai')).length;
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(threshold, 1)]);
    const res = await analyst.request({ method: 'POST', url: IMPORTS, ...multipart('tableau.xlsx', broken) });
    assert.equal(res.statusCode, 202, res.body);
    const job = await waitForJob(analyst, res.json().id);
    assert.equal(job.state, 'failed');
    assert.equal(job.error?.code, 'invalid');
    assert.ok(job.error!.message.length > 0);
    assert.equal((await t.store.listContributions('essai')).length, before);
  });

  test('FABRIQUE_IMPORT_JOB_MB fixe le seuil (5 Mo par défaut)', () => {
    assert.equal(IMPORT_JOB_BYTES, 5 * 1024 * 1024);
    const previous = process.env.FABRIQUE_IMPORT_JOB_MB;
    try {
      delete process.env.FABRIQUE_IMPORT_JOB_MB;
      assert.equal(optionsFromEnv().importJobBytes, undefined);
      process.env.FABRIQUE_IMPORT_JOB_MB = '2';
      assert.equal(optionsFromEnv().importJobBytes, 2 * 1024 * 1024);
    } finally {
      if (previous === undefined) delete process.env.FABRIQUE_IMPORT_JOB_MB; else process.env.FABRIQUE_IMPORT_JOB_MB = previous;
    }
  });
});
