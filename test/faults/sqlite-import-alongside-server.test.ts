/**
 * A CLI import next to a running server (issue 9, point 6): a child process imports a large CSV into
 * the SQLite file the in-process server uses. The server keeps answering (no 500, no "database is
 * locked"), every acknowledged submission is stored once, readers never see half a document, and a
 * killed import leaves nothing visible and does not prevent the next one.
 *
 * Slow (about a minute: a 60,000-row import, then a 10,000-row one killed and run again): run by `npm run test:faults` (and .ci/run).
 * FABRIQUE_TEST_IMPORT_ROWS changes the size.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { generateContributions } from '../../bench/scale/generate.ts';
import { Store } from '../../src/store/index.ts';
import { Client, testServer, type TestServer } from '../helpers/server.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const ROWS = Number(process.env.FABRIQUE_TEST_IMPORT_ROWS ?? 60_000);
/** the import killed mid-way, then run again: large enough to be staged */
const KILLED_ROWS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'fabrique-import-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function startImport(db: string, csv: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/fabrique.ts'), 'import', csv, '--consultation', 'essai'], {
    cwd: ROOT, env: { ...process.env, FABRIQUE_DB: db, DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, done };
}

/** Contributions of imported documents visible in the consultation, and the number of such documents. */
async function visibleImport(store: Store): Promise<{ documents: number; contributions: number }> {
  const documents = await store.listDocuments('essai');
  let contributions = 0;
  for (const d of documents) contributions += await store.countContributions('essai', { documentId: d.id });
  return { documents: documents.length, contributions };
}

async function stagedRows(store: Store): Promise<number> {
  return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM contributions WHERE consultation LIKE '~import~%'`.execute(store.db)).rows[0]!.n);
}

interface Traffic { acknowledged: string[]; failures: string[]; requests: number }

/** GETs and POSTs of visitors while `running` is true; every answer other than 200/201 is a failure. */
async function visitorTraffic(t: TestServer, isRunning: () => boolean, tag: string, rows: number): Promise<Traffic> {
  const out: Traffic = { acknowledged: [], failures: [], requests: 0 };
  const client = await Client.create(t.app, '10.0.0.1');
  let i = 0;
  const partial: string[] = [];
  while (isRunning()) {
    const text = `Visite ${tag} ${i++} : il faudrait un cabinet infirmier ouvert le samedi matin.`;
    const [list, detail, post] = await Promise.all([
      client.get('/api/consultations/essai/contributions?pageSize=20'),
      client.get('/api/consultations/essai'),
      client.post('/api/consultations/essai/contributions', { text }),
    ]);
    out.requests += 3;
    for (const r of [list, detail]) if (r.statusCode !== 200) out.failures.push(`GET ${r.statusCode} ${r.body.slice(0, 200)}`);
    if (post.statusCode === 201) out.acknowledged.push(text);
    else out.failures.push(`POST ${post.statusCode} ${post.body.slice(0, 200)}`);
    const seen = await visibleImport(t.store);
    if (seen.contributions !== 0 && seen.contributions !== rows) partial.push(`${seen.contributions} contributions visibles sur ${rows}`);
  }
  out.failures.push(...partial);
  return out;
}

test(`CLI import of ${ROWS} rows next to a running server: it keeps answering, nothing half-visible, a killed import leaves nothing`, { timeout: 20 * 60_000 }, async (ctx) => {
  const db = join(dir, 'fabrique.sqlite');
  const writeCsv = (name: string, n: number, seed: number) => {
    const path = join(dir, name);
    const rows = generateContributions(n, seed).map((c) => `"${c.text.replace(/"/g, '""')}",${c.theme}`);
    writeFileSync(path, `texte,thème\n${rows.join('\n')}\n`);
    return path;
  };
  const big = writeCsv('consultation-en-ligne.csv', ROWS, 7);
  const other = writeCsv('ateliers.csv', KILLED_ROWS, 8);

  const t = await testServer({ formRateLimit: 1_000_000, readRateLimit: 0 }, await Store.open({ sqlitePath: db }));
  try {
    // 1. a big import, with visitors reading and writing during the whole import
    const imported = startImport(db, big);
    let running = true;
    const traffic = visitorTraffic(t, () => running, 'pendant', ROWS);
    const result = await imported.done;
    running = false;
    const seen = await traffic;
    assert.equal(result.code, 0, result.stderr);
    ctx.diagnostic(`${seen.requests} requests during the import, ${seen.acknowledged.length} submissions acknowledged, ${seen.failures.length} failures`);
    assert.deepEqual(seen.failures, [], `${seen.failures.length} failures out of ${seen.requests} requests`);
    assert.ok(seen.acknowledged.length > 0, 'submissions were acknowledged during the import');
    assert.deepEqual(await visibleImport(t.store), { documents: 1, contributions: ROWS });
    const texts = new Map<string, number>();
    for (const c of await t.store.listContributions('essai', { channel: 'formulaire' })) texts.set(c.text, (texts.get(c.text) ?? 0) + 1);
    for (const a of seen.acknowledged) assert.equal(texts.get(a), 1, `stored once: ${a}`);

    // 2. kill -9 mid-way: nothing visible, nothing listed
    const killed = startImport(db, other);
    let exited = false;
    void killed.done.then(() => { exited = true; });
    while (!exited && await stagedRows(t.store) < 1000) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!exited, 'the import finished before it could be killed');
    killed.child.kill('SIGKILL');
    const killedResult = await killed.done;
    assert.equal(killedResult.signal, 'SIGKILL', `${killedResult.code} ${killedResult.stderr}`);
    assert.deepEqual(await visibleImport(t.store), { documents: 1, contributions: ROWS }, 'a killed import leaves nothing visible');
    assert.ok((await t.store.listConsultations()).every((c) => c.slug === 'essai'), 'no staging consultation listed');

    // 3. the next import of the same file succeeds and removes what the killed one left
    const again = await startImport(db, other).done;
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await visibleImport(t.store), { documents: 2, contributions: ROWS + KILLED_ROWS });
    assert.equal(await stagedRows(t.store), 0, 'the staging rows of the killed import are gone');
  } finally {
    await t.close();
  }
});
