/**
 * Issue 11, first acceptance point, on the demo data: a contribution sent through the public form and
 * not moderated appears in no public page, public figure, public idea or published restitution; once
 * published it appears in all of them; once erased in none, and the audit log records the erasure
 * without its text.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { DEMO_ACTOR, DEMO_DIR, demoFiles } from '../src/cli/commands/demo.ts';
import { importPaths } from '../src/cli/commands/import.ts';
import { loadConsultationFile } from '../src/ingest/consultation-file.ts';
import { listAudit } from '../src/store/audit.ts';
import { latestAnalysisModel } from '../src/store/theme-models.ts';
import { Store } from '../src/store/index.ts';
import { analyzeConsultation } from '../src/usecases/analysis.ts';
import { loadConsultation, reopenConsultation } from '../src/usecases/consultations.ts';
import { applyEditorialFile } from '../src/cli/commands/synthesize.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { publishSynthesis } from '../src/usecases/syntheses.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';

const SLUG = 'demo';
const enc = encodeURIComponent;
/** a word found in no demo text, so that every public face can be searched for it */
const MARKER = 'Zorbazine';
const TEXT = `Le centre de santé de ${MARKER} devrait ouvrir le samedi matin pour les familles qui travaillent en semaine.`;

describe('publication d’une contribution du formulaire public, de bout en bout (démo)', { timeout: 300_000 }, () => {
  let t: TestServer;
  let visitor: Client;
  let analyst: Client;
  let contributionId: string;
  const before0: { total?: number } = {};

  before(async () => {
    const store = await Store.open({ sqlitePath: ':memory:' });
    t = await testServer({ formRateLimit: 100, readRateLimit: 10_000 }, store);
    const file = await loadConsultationFile(join(DEMO_DIR, 'consultation.json'));
    const cli = context(store, CLI_ACTOR);
    await loadConsultation(cli, file);
    const online = file.meetings.find((m) => m.kind === 'consultation_en_ligne');
    const files = await demoFiles();
    await importPaths(store, SLUG, files.filter((f) => f.endsWith('.csv')), { publishBy: DEMO_ACTOR, ...(online ? { meeting: online.id } : {}) });
    await importPaths(store, SLUG, files.filter((f) => !f.endsWith('.csv')), { publishBy: DEMO_ACTOR });
    await analyzeConsultation(cli, { consultation: SLUG, seed: 1 });
    // as `fabrique demo` does: its 2022 period is over, it reopens it; its editorial texts are written
    await reopenConsultation(context(store, { name: DEMO_ACTOR, role: 'cli' }), { slug: SLUG, until: '2099-12-31' });
    await applyEditorialFile(cli, { consultation: SLUG }, join(DEMO_DIR, 'editorial.json'));
    await publishSynthesis(context(store, { name: DEMO_ACTOR, role: 'cli' }), { consultation: SLUG, level: 'departement' });
    visitor = await Client.create(t.app, '192.0.2.10');
    analyst = await (await Client.create(t.app)).login('analyst');
  });
  after(async () => { await t?.close(); });

  /** Every public face, asked the same questions. */
  async function publicFaces() {
    const list = (await visitor.get('/api/consultations')).json().items.find((c: any) => c.slug === SLUG);
    const stats = (await visitor.get(`/api/consultations/${SLUG}/stats`)).json();
    const search = (await visitor.get(`/api/consultations/${SLUG}/contributions?q=${enc(MARKER)}`)).json();
    const page = (await visitor.get(`/api/consultations/${SLUG}/contributions?pageSize=100`)).json();
    const restitution = await visitor.get(`/api/consultations/${SLUG}/restitution`);
    return {
      homeTotal: list.counts.contributions as number,
      statsTotal: stats.contributions as number,
      listTotal: page.total as number,
      found: (search.items as { text: string }[]).filter((c) => c.text.includes(MARKER)).length,
      restitutionStatus: restitution.statusCode,
      restitutionQuotes: restitution.statusCode === 200 ? restitution.body.split(MARKER).length - 1 : 0,
    };
  }

  test('envoyée et non modérée : nulle part en public', async () => {
    const start = await publicFaces();
    before0.total = start.statsTotal;
    const res = await visitor.post(`/api/consultations/${SLUG}/contributions`, { text: TEXT, theme: '1' });
    assert.equal(res.statusCode, 201, res.body);
    contributionId = res.json().id;
    const now = await publicFaces();
    assert.deepEqual(now, { ...start, found: 0, restitutionQuotes: 0 });
    assert.equal(now.homeTotal, now.statsTotal);
    assert.equal(now.listTotal, now.statsTotal);
  });

  test('publiée par la modération : comptée, trouvée, dans les idées et la restitution publiée', async () => {
    const res = await analyst.post(`/api/admin/contributions/${enc(contributionId)}/moderation`, { action: 'publish' });
    assert.equal(res.statusCode, 200, res.body);
    const now = await publicFaces();
    assert.equal(now.statsTotal, before0.total! + 1);
    assert.equal(now.homeTotal, now.statsTotal);
    assert.equal(now.listTotal, now.statsTotal);
    assert.equal(now.found, 1);
    // the restitution published before relied on every public contribution: still valid (not stale) since
    // the new one is not in it; analysing and publishing again brings it in
    await analyzeConsultation(context(t.store, CLI_ACTOR), { consultation: SLUG, seed: 1 });
    const published = await publishSynthesis(context(t.store, { name: 'analyste@ars.test', role: 'analyst' }), { consultation: SLUG, level: 'departement' });
    assert.ok(published.doc.figures.some((f) => f.value === now.statsTotal), 'la restitution compte la contribution publiée');
    const groups = (await analyst.get(`/api/admin/consultations/${SLUG}/groups`)).json();
    assert.ok(JSON.stringify(groups).includes(contributionId), 'elle entre dans une idée commune');
    assert.ok(await latestAnalysisModel(t.store, SLUG, 'themes'), 'the analysis trained a theme model');
  });

  test('effacée (demande RGPD) : nulle part, chiffres revenus, restitution retirée, audit sans le texte', async () => {
    const res = await analyst.post(`/api/admin/contributions/${enc(contributionId)}/erase`, {});
    assert.equal(res.statusCode, 200, res.body);
    const now = await publicFaces();
    assert.equal(now.statsTotal, before0.total);
    assert.equal(now.homeTotal, now.statsTotal);
    assert.equal(now.listTotal, now.statsTotal);
    assert.equal(now.found, 0);
    // the restitution that counted it is no longer served until published again, and never quotes it
    assert.equal(now.restitutionQuotes, 0);
    assert.notEqual(now.restitutionStatus, 200, 'la restitution qui la comptait est retirée');
    const withdrawn = await visitor.get(`/api/consultations/${SLUG}/restitution`);
    assert.equal(withdrawn.statusCode, 404);
    assert.match(withdrawn.json().error.message, /^La restitution publiée le .+ a été retirée le .+ : une contribution qu’elle comptait ou citait/);
    const groups = (await analyst.get(`/api/admin/consultations/${SLUG}/groups`)).json();
    assert.ok(!JSON.stringify(groups).includes(contributionId), 'plus dans aucune idée');
    // the classifiers trained on it (their vocabulary may hold its stems) are gone until the next analysis
    assert.equal(await latestAnalysisModel(t.store, SLUG, 'themes'), undefined);
    // published again: the figures are those of before the submission
    const again = await publishSynthesis(context(t.store, { name: 'analyste@ars.test', role: 'analyst' }), { consultation: SLUG, level: 'departement' });
    assert.ok(!JSON.stringify(again.doc).includes(MARKER));
    assert.equal((await publicFaces()).restitutionStatus, 200);
    const audit = await listAudit(t.store, { consultation: SLUG });
    const erasure = audit.filter((a) => a.action === 'contribution.erase' && a.targetId === contributionId);
    assert.equal(erasure.length, 1, 'l’effacement est au journal');
    assert.deepEqual(audit.filter((a) => JSON.stringify(a).includes(MARKER)).map((a) => a.action), [], 'aucune entrée ne garde le texte');
  });
});
