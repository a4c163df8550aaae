/**
 * The analysis and synthesis use cases through every face: the CLI (in-process `main(argv)` on a SQLite file) and
 * the API (fastify inject) on the same fixture store the same result; two processes analysing the same
 * consultation (two Store instances on one database) never both write.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { UserError } from '../src/domain/errors.ts';
import { listAudit } from '../src/store/audit.ts';
import { Store, type StoreConfig } from '../src/store/index.ts';
import { loadSynthesis, synthesisId } from '../src/synthesis/index.ts';
import { analyzeConsultation, renameGroup } from '../src/usecases/analysis.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import type { ProgressEvent } from '../src/usecases/progress.ts';
import { testDocument, THEMED_TEXTS } from './helpers/fixtures.ts';
import { Client, testServer, waitForJob } from './helpers/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'fabrique-faces-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Made-up texts; the first ones carry a theme from their source, the others are left to the analysis.
const BY_THEME = THEMED_TEXTS;
const UNLABELLED = ['Personne ne répond aux urgences le dimanche soir', 'Un médecin traitant pour chaque enfant du canton',
  'Des stages pour les internes en zone rurale', 'Plus de dépistage gratuit dans les pharmacies', 'Les urgences de nuit sont trop loin',
  'Une maison de santé dans chaque bourg', 'Loger les étudiants en médecine près de l’hôpital', 'Des cours de cuisine saine au collège'];

/** The fixture: the territories and consultation of the server tests, one published document. */
async function seedFixture(store: Store, withConsultation: boolean): Promise<void> {
  if (withConsultation) {
    await store.upsertTerritory({ code: '76', name: 'Occitanie', level: 'region' });
    await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement', parent: '76' });
    await store.upsertConsultation({
      slug: 'essai', title: 'Consultation d’essai', territory: '12', status: 'open', periodStart: '2026-01-01', periodEnd: '2026-03-31',
      themes: CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] })),
    });
  }
  const labelled = Object.entries(BY_THEME).flatMap(([theme, texts]) => texts.map((text) => ({ theme, text })));
  const doc = testDocument([...labelled.map((l) => l.text), ...UNLABELLED, ...UNLABELLED.slice(0, 3).map((t) => `${t} !`)]);
  doc.contributions.forEach((c, i) => {
    c.themes = i < labelled.length ? [{ theme: labelled[i]!.theme, provenance: { by: 'source', documentId: doc.documentId } }] : [];
  });
  await store.importParsed('essai', doc, { publishBy: 'test' });
}

/** What an analysis and a synthesis stored, without the times (the two runs are not simultaneous). */
async function storedResult(store: Store) {
  const groups = (await store.listIdeaGroups('essai')).map((g) => ({
    id: g.id, parent: g.parent, theme: g.theme, label: g.label, labelByHuman: g.labelByHuman, quotes: g.quotes,
    members: g.members.map((m) => `${m.contribution}:${m.provenance.by}`), lineage: g.lineage.map((e) => e.op),
  }));
  const themes = (await store.listContributions('essai')).map((c) => ({
    id: c.id, kind: c.kind, themes: c.themes.map((t) => `${t.theme}:${t.provenance.by}:${t.provenance.by === 'model' ? t.provenance.probability : ''}`),
  }));
  const synthesis = await loadSynthesis(store, synthesisId('essai', 'departement', '12'));
  const figures = synthesis?.figures.map((f) => ({ key: f.key, value: f.value, contributions: f.contributions }));
  return { groups, themes, figures, quotes: synthesis?.quotes.map((q) => q.contribution) };
}

async function silently<T>(fn: () => Promise<T>): Promise<T> {
  const { log, error } = console;
  console.log = () => {};
  console.error = () => {};
  try { return await fn(); } finally { console.log = log; console.error = error; }
}

test('the CLI and the API run analyze and synthesize through the same use cases: same stored groups, themes and figures', async () => {
  // CLI: in-process main(argv) on a SQLite file
  const cliDb = join(dir, 'cli.sqlite');
  const seeded = await Store.open({ sqlitePath: cliDb });
  await seedFixture(seeded, true);
  await seeded.close();
  const previousDb = process.env.FABRIQUE_DB;
  process.env.FABRIQUE_DB = cliDb;
  try {
    assert.equal(await silently(() => main(['analyze', '--consultation', 'essai', '--seed', '1'])), 0);
    assert.equal(await silently(() => main(['synthesize', '--consultation', 'essai', '--format', 'json', '--out', join(dir, 'cli-synthese.json')])), 0);
    // a missing consultation is the use case's not_found, exit code 3
    assert.equal(await silently(() => main(['analyze', '--consultation', 'absente'])), 3);
  } finally {
    if (previousDb === undefined) delete process.env.FABRIQUE_DB; else process.env.FABRIQUE_DB = previousDb;
  }
  const cliStore = await Store.open({ sqlitePath: cliDb });
  const fromCli = await storedResult(cliStore);
  const cliAudit = (await listAudit(cliStore, { consultation: 'essai' })).map((e) => `${e.actor} ${e.action}`);
  await cliStore.close();

  // API: fastify inject on another SQLite file with the same fixture
  const t = await testServer({}, await Store.open({ sqlitePath: join(dir, 'api.sqlite') }));
  try {
    await seedFixture(t.store, false);
    const a = await (await Client.create(t.app)).login('analyst');
    let res = await a.post('/api/admin/consultations/essai/analyze', { seed: 1 });
    assert.equal(res.statusCode, 202, res.body);
    const analysis = await waitForJob(a, res.json().id);
    assert.equal(analysis.state, 'done', JSON.stringify(analysis.error));
    res = await a.post('/api/admin/consultations/essai/synthesis', {});
    assert.equal(res.statusCode, 202, res.body);
    const synthesis = await waitForJob(a, res.json().id);
    assert.equal(synthesis.state, 'done', JSON.stringify(synthesis.error));
    assert.equal(synthesis.result.verification.ok, true);
    res = await a.post('/api/admin/consultations/absente/analyze', {});
    assert.equal(res.statusCode, 404);
    const fromApi = await storedResult(t.store);
    const apiAudit = (await listAudit(t.store, { consultation: 'essai' })).map((e) => `${e.actor} ${e.action}`).filter((x) => !x.startsWith('test '));

    assert.ok(fromCli.groups.length >= 4, `groups: ${fromCli.groups.length}`);
    assert.ok(fromCli.themes.some((c) => c.themes.some((x) => x.includes(':model:'))), 'the analysis suggested themes');
    assert.ok(fromCli.figures && fromCli.figures.length > 0 && fromCli.figures.some((f) => f.value > 0), 'the synthesis has figures');
    assert.deepEqual(fromApi, fromCli);
    // each face audits the same changes, in the name of its actor
    assert.deepEqual(cliAudit.filter((x) => !x.startsWith('test ')), ['ligne de commande synthesis.generate', 'ligne de commande groups.analyze']);
    assert.deepEqual(apiAudit, ['analyste@ars.test synthesis.generate', 'analyste@ars.test groups.analyze']);
  } finally {
    await t.close();
  }
});

/** Two Store instances on one database, as two processes (servers, workers, the CLI) would open it. */
function twoProcesses(name: string, fn: (open: () => Promise<Store>) => Promise<void>): void {
  test(`${name} [sqlite]`, async () => {
    const path = join(dir, `${randomBytes(4).toString('hex')}.sqlite`);
    await fn(() => Store.open({ sqlitePath: path }));
  });
  const url = process.env.FABRIQUE_TEST_DATABASE_URL;
  test(`${name} [postgres]`, { skip: url ? false : 'PostgreSQL absent : définir FABRIQUE_TEST_DATABASE_URL (fait par .ci/run)' }, async () => {
    const config: StoreConfig = { databaseUrl: url!, pgSchema: `t_${randomBytes(6).toString('hex')}` };
    try {
      await fn(() => Store.open(config));
    } finally {
      // the test closed its stores
      const cleanup = await Store.open(config);
      await cleanup.db.schema.dropSchema(config.pgSchema!).ifExists().cascade().execute();
      await cleanup.close();
    }
  });
}

async function seededPair(open: () => Promise<Store>): Promise<[Store, Store]> {
  const first = await open();
  await seedFixture(first, true);
  return [first, await open()];
}

twoProcesses('two concurrent analyses of one consultation do not both write: the one that finishes second gets a conflict', async (open) => {
  const [one, two] = await seededPair(open);
  try {
    const input = { consultation: 'essai', seed: 1 };
    // process one has read its inputs (version, contributions, groups) when process two runs a whole analysis
    const readGroups = one.listIdeaGroups.bind(one);
    let interleaved = false;
    one.listIdeaGroups = async (...args) => {
      const groups = await readGroups(...args);
      if (!interleaved) {
        interleaved = true;
        await analyzeConsultation(context(two, { name: 'analyste-2', role: 'analyst' }), { ...input, regroup: true });
      }
      return groups;
    };
    const steps: ProgressEvent[] = [];
    await assert.rejects(analyzeConsultation(context(one, { name: 'analyste-1', role: 'analyst' }), input, (e) => steps.push(e)), (e: unknown) => {
      assert.ok(e instanceof UserError && e.code === 'conflict', String(e));
      assert.match(e.message, /ont changé pendant l’analyse.*rien n’a été enregistré, relancez/);
      return true;
    });
    assert.ok(interleaved);
    assert.deepEqual([...new Set(steps.map((s) => s.step))], ['load', 'themes', 'kinds', 'duplicates', 'grouping', 'save'], 'progress of each step');
    assert.ok(steps.filter((s) => s.step === 'grouping').length >= 4, 'one grouping step per theme');
    assert.ok(steps.every((s) => s.label.length > 0 && s.done <= s.total));

    // only process two wrote: one audit entry, its groups
    const analyses = (await listAudit(two, { consultation: 'essai' })).filter((e) => e.action === 'groups.analyze');
    assert.deepEqual(analyses.map((e) => e.actor), ['analyste-2']);
    const stored = await two.listIdeaGroups('essai');
    assert.ok(stored.length > 0);

    // run again, process one succeeds and replaces them
    one.listIdeaGroups = readGroups;
    const summary = await analyzeConsultation(context(one, { name: 'analyste-1', role: 'analyst' }), input);
    assert.equal(summary.grouping.grouped, 35);
    assert.deepEqual((await listAudit(one, { consultation: 'essai' })).filter((e) => e.action === 'groups.analyze').map((e) => e.actor), ['analyste-1', 'analyste-2']);
  } finally {
    await one.close();
    await two.close();
  }
});

twoProcesses('a group renamed by another process during an analysis is not overwritten: the analysis refuses', async (open) => {
  const [one, two] = await seededPair(open);
  try {
    await analyzeConsultation(context(one, CLI_ACTOR), { consultation: 'essai' });
    const target = (await one.listIdeaGroups('essai')).find((g) => g.parent === null)!;
    const readGroups = one.listIdeaGroups.bind(one);
    one.listIdeaGroups = async (...args) => {
      const groups = await readGroups(...args);
      one.listIdeaGroups = readGroups;
      await renameGroup(context(two, { name: 'analyste-2', role: 'analyst' }), { id: target.id, label: 'Accès au médecin traitant' });
      return groups;
    };
    await assert.rejects(analyzeConsultation(context(one, CLI_ACTOR), { consultation: 'essai', regroup: true }), (e: unknown) => e instanceof UserError && e.code === 'conflict');
    const renamed = (await two.listIdeaGroups('essai')).find((g) => g.id === target.id)!;
    assert.equal(renamed.label, 'Accès au médecin traitant');
    assert.equal(renamed.labelByHuman, true);
    // the next analysis keeps the human label
    await analyzeConsultation(context(one, CLI_ACTOR), { consultation: 'essai', regroup: true });
    assert.equal((await one.listIdeaGroups('essai')).find((g) => g.id === target.id)?.label, 'Accès au médecin traitant');
  } finally {
    await one.close();
    await two.close();
  }
});

twoProcesses('two analyses writing at the same moment: exactly one is saved, the other gets a conflict', async (open) => {
  const [one, two] = await seededPair(open);
  try {
    // both have read their inputs before either writes
    let arrived = 0;
    let release!: () => void;
    const bothLoaded = new Promise<void>((resolve) => { release = resolve; });
    for (const store of [one, two]) {
      const readGroups = store.listIdeaGroups.bind(store);
      store.listIdeaGroups = async (...args) => {
        const groups = await readGroups(...args);
        if (++arrived === 2) release();
        await bothLoaded;
        return groups;
      };
    }
    const results = await Promise.allSettled([one, two].map((store, i) =>
      analyzeConsultation(context(store, { name: `analyste-${i + 1}`, role: 'analyst' }), { consultation: 'essai', seed: 1 })));
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(failure.reason instanceof UserError && failure.reason.code === 'conflict', String(failure.reason));
    assert.equal((await listAudit(one, { consultation: 'essai' })).filter((e) => e.action === 'groups.analyze').length, 1);
  } finally {
    await one.close();
    await two.close();
  }
});
