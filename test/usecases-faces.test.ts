/**
 * The CLI and the API are two faces of the same use cases: the same steps (create a consultation, import a file,
 * publish it) through `main(argv)` and through fastify's inject give the same stored result. Also the territory
 * rule: codes 75 and 76 are a région when the level says so, from every face.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { UserError } from '../src/domain/errors.ts';
import { resolveScope, scopeTerritories } from '../src/domain/territory.ts';
import { listAudit } from '../src/store/audit.ts';
import { Store } from '../src/store/index.ts';
import { multipart } from './helpers/multipart.ts';
import { Client, testServer, USERS, type TestServer } from './helpers/server.ts';

const FIXTURE = new URL('./fixtures/faces/contributions-occitanie.csv', import.meta.url).pathname;
const PUBLISHER = USERS.analyst;

/** Runs the CLI in-process on the SQLite file `db`, its output kept quiet; returns the exit code and what it printed. */
async function cli(db: string, ...argv: string[]): Promise<{ code: number; out: string }> {
  const saved = { db: process.env.FABRIQUE_DB, url: process.env.DATABASE_URL, log: console.log, error: console.error };
  let out = '';
  process.env.FABRIQUE_DB = db;
  process.env.DATABASE_URL = '';
  console.log = (...a: unknown[]) => { out += `${a.join(' ')}\n`; };
  console.error = (...a: unknown[]) => { out += `${a.join(' ')}\n`; };
  try {
    return { code: await main(argv), out };
  } finally {
    if (saved.db === undefined) delete process.env.FABRIQUE_DB; else process.env.FABRIQUE_DB = saved.db;
    if (saved.url === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = saved.url;
    console.log = saved.log;
    console.error = saved.error;
  }
}

/** What both faces must have stored alike: the consultation, its territories, documents and contributions (no timestamps). */
async function storedResult(store: Store, slug: string) {
  const consultation = await store.getConsultation(slug);
  const territories = await store.db.selectFrom('territories').select(['code', 'level', 'name', 'parent']).orderBy('level').orderBy('code').execute();
  const documents = (await store.listDocuments(slug)).map((d) => ({ id: d.id, fileName: d.fileName, parser: d.parser, publishedBy: d.publication?.by ?? null }));
  const contributions = (await store.listContributions(slug)).map((c) => ({
    id: c.id, text: c.text, status: c.moderation.status, by: c.moderation.by ?? null, territory: c.territory ?? null,
    themes: c.themes.map((t) => `${t.theme}:${t.provenance.by}`).sort(),
  }));
  return { consultation, territories: territories.filter((t) => t.code === '76' && t.level === 'region'), documents, contributions };
}

describe('one use case, two faces', () => {
  let dir: string;
  let t: TestServer;
  let analyst: Client;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fabrique-faces-'));
    t = await testServer();
    analyst = await (await Client.create(t.app, '10.9.0.1')).login('analyst');
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('resolveScope: the level decides between a région and a département that share a code', () => {
    assert.deepEqual(resolveScope('75', 'region'), { code: '75', level: 'region', name: 'Nouvelle-Aquitaine' });
    assert.deepEqual(resolveScope('76', 'region'), { code: '76', level: 'region', name: 'Occitanie' });
    assert.equal(resolveScope('75').name, 'Paris');
    assert.equal(resolveScope('76').name, 'Seine-Maritime');
    assert.deepEqual(resolveScope(' 2a ').region, { code: '94', name: 'Corse' });
    assert.equal(resolveScope('84').level, 'departement', '84 is the Vaucluse without a level');
    assert.equal(resolveScope('84', 'region').name, 'Auvergne-Rhône-Alpes');
    assert.equal(resolveScope('93', 'region').level, 'region');
    assert.deepEqual(scopeTerritories(resolveScope('46')).map((x) => `${x.level}:${x.code}`), ['region:76', 'departement:46']);
    assert.throws(() => resolveScope('99'), (e) => e instanceof UserError && e.code === 'invalid' && e.field === 'territory');
    assert.throws(() => resolveScope('46', 'region'), (e) => e instanceof UserError && /région inconnu|territoire inconnu/.test(e.message));
    assert.throws(() => resolveScope('46', 'canton'), (e) => e instanceof UserError && e.field === 'level');
  });

  for (const [code, region, departement] of [['75', 'Nouvelle-Aquitaine', 'Paris'], ['76', 'Occitanie', 'Seine-Maritime']] as const) {
    test(`API: territory ${code} with level region is ${region}, without a level ${departement}`, async () => {
      let res = await analyst.post('/api/admin/consultations', { slug: `api-region-${code}`, title: `CNR ${region}`, territory: code, level: 'region' });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json().territory, { code, name: region, level: 'region' });
      assert.equal(res.json().status, 'draft', 'the default status of every face');
      const stored = await t.store.getConsultation(`api-region-${code}`);
      assert.equal(stored?.territoryLevel, 'region');
      assert.equal((await t.store.getTerritory(code, 'region'))?.name, region);
      res = await analyst.post('/api/admin/consultations', { slug: `api-dep-${code}`, title: `CNR ${departement}`, territory: code });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json().territory, { code, name: departement, level: 'departement' });
      assert.equal((await t.store.getConsultation(`api-dep-${code}`))?.territoryLevel, 'departement');
      // the back office's list names the région too
      const list = (await analyst.get('/api/admin/consultations')).json().items as { slug: string; territory: { name: string } }[];
      assert.equal(list.find((c) => c.slug === `api-region-${code}`)?.territory.name, region);
    });

    test(`CLI: consultation create --territory ${code} --level region is ${region}`, async () => {
      const db = join(dir, `cli-${code}.sqlite`);
      const made = await cli(db, 'consultation', 'create', '--slug', `cli-region-${code}`, '--title', `CNR ${region}`, '--territory', code, '--level', 'region');
      assert.equal(made.code, 0, made.out);
      assert.match(made.out, new RegExp(`la région ${region}`));
      const dep = await cli(db, 'consultation', 'create', '--slug', `cli-dep-${code}`, '--title', `CNR ${departement}`, '--territory', code);
      assert.equal(dep.code, 0, dep.out);
      const store = await Store.open({ sqlitePath: db });
      try {
        const c = await store.getConsultation(`cli-region-${code}`);
        assert.equal(c?.territory, code);
        assert.equal(c?.territoryLevel, 'region');
        assert.equal(c?.status, 'draft', 'the default status of every face');
        assert.equal((await store.getTerritory(code, 'region'))?.name, region);
        assert.equal((await store.getConsultation(`cli-dep-${code}`))?.territoryLevel, 'departement');
        const audit = await listAudit(store, { consultation: `cli-region-${code}` });
        assert.deepEqual(audit.map((e) => [e.action, e.actor]), [['consultation.create', 'ligne de commande']]);
      } finally { await store.close(); }
    });
  }

  test('a regional consultation of code 75 is Nouvelle-Aquitaine on the map and for its meetings, never Paris', async () => {
    const server = await testServer();
    try {
      const a = await (await Client.create(server.app, '10.9.0.6')).login('analyst');
      let res = await a.post('/api/admin/consultations', { slug: 'na', title: 'CNR Nouvelle-Aquitaine', territory: '75', level: 'region', status: 'open' });
      assert.equal(res.statusCode, 201, res.body);
      const codes = ((await a.get('/api/territories')).json().items as { code: string; region: { name: string } | null }[]);
      assert.ok(codes.some((x) => x.code === '33' && x.region?.name === 'Nouvelle-Aquitaine'), 'Gironde counts the regional consultation');
      assert.ok(!codes.some((x) => x.code === '75'), 'Paris does not');
      res = await a.post('/api/admin/consultations/na/meetings', { title: 'Plénière régionale', kind: 'pleniere' });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().territory, null, 'a regional consultation lends no département to its meetings');
      res = await a.get('/api/consultations/na/indicators');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().territory, { code: '75', name: 'Nouvelle-Aquitaine', level: 'region', region: null });
    } finally { await server.close(); }
  });

  test('a bad territory or level is refused alike: 400 through the API, exit 1 through the CLI, nothing stored', async () => {
    const res = await analyst.post('/api/admin/consultations', { slug: 'nulle-part', title: 'Nulle part', territory: '99' });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'validation');
    assert.equal(res.json().error.field, 'body.territory');
    assert.equal(await t.store.getConsultation('nulle-part'), undefined);
    const db = join(dir, 'cli-bad.sqlite');
    const out = await cli(db, 'consultation', 'create', '--slug', 'nulle-part', '--title', 'Nulle part', '--territory', '46', '--level', 'region');
    assert.equal(out.code, 1, out.out);
    assert.match(out.out, /inconnu/);
    const store = await Store.open({ sqlitePath: db });
    try { assert.equal(await store.getConsultation('nulle-part'), undefined); } finally { await store.close(); }
  });

  test('create, import, publish: the CLI and the API store the same consultation, contributions and statuses', async () => {
    // CLI face
    const db = join(dir, 'cli-faces.sqlite');
    let r = await cli(db, 'consultation', 'create', '--slug', 'faces', '--title', 'CNR Santé Occitanie', '--territory', '76', '--level', 'region', '--status', 'open');
    assert.equal(r.code, 0, r.out);
    r = await cli(db, 'import', FIXTURE, '--consultation', 'faces', '--publish', '--by', PUBLISHER);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /importé : 5 contributions/);
    const cliStore = await Store.open({ sqlitePath: db });
    let fromCli;
    try {
      fromCli = await storedResult(cliStore, 'faces');
      const actions = (await listAudit(cliStore, { consultation: 'faces' })).map((e) => e.action).sort();
      assert.deepEqual(actions, ['consultation.create', 'document.import', 'document.publish']);
    } finally { await cliStore.close(); }

    // API face: the same steps, publish=1 on the upload, on a database of its own
    const server = await testServer();
    try {
      const analyst = await (await Client.create(server.app, '10.9.0.4')).login('analyst');
      let res = await analyst.post('/api/admin/consultations', { slug: 'faces', title: 'CNR Santé Occitanie', territory: '76', level: 'region', status: 'open' });
      assert.equal(res.statusCode, 201, res.body);
      const upload = multipart('contributions-occitanie.csv', readFileSync(FIXTURE), { publish: '1' });
      res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/faces/imports', payload: upload.payload, headers: upload.headers });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().contributions, 5);
      const fromApi = await storedResult(server.store, 'faces');
      const actions = (await listAudit(server.store, { consultation: 'faces' })).map((e) => e.action).sort();
      assert.deepEqual(actions, ['consultation.create', 'document.import', 'document.publish']);

      assert.deepEqual(fromApi, fromCli);
      // what the comparison covers, so that it cannot pass on empty results
      assert.equal(fromCli.consultation?.territoryLevel, 'region');
      assert.equal(fromCli.consultation?.status, 'open');
      assert.deepEqual(fromCli.territories, [{ code: '76', level: 'region', name: 'Occitanie', parent: null }]);
      assert.equal(fromCli.contributions.length, 5);
      assert.ok(fromCli.contributions.every((c) => c.status === 'published' && c.by === PUBLISHER));
      assert.ok(fromCli.contributions.some((c) => /Figeac/.test(c.text)));
      assert.ok(fromCli.contributions.every((c) => !c.text.includes('contact@exemple.invalid')), 'the e-mail is masked on both faces');
      assert.equal(fromCli.documents[0]?.publishedBy, PUBLISHER);
    } finally { await server.close(); }
  });

  test('publishing later through the API (POST …/documents/:id/publish) gives what --publish gives', async () => {
    const db = join(dir, 'cli-later.sqlite');
    assert.equal((await cli(db, 'consultation', 'create', '--slug', 'plus-tard', '--title', 'Plus tard', '--territory', '76', '--level', 'region', '--status', 'open')).code, 0);
    assert.equal((await cli(db, 'import', FIXTURE, '--consultation', 'plus-tard', '--publish', '--by', PUBLISHER)).code, 0);
    const cliStore = await Store.open({ sqlitePath: db });
    let fromCli;
    try { fromCli = await storedResult(cliStore, 'plus-tard'); } finally { await cliStore.close(); }

    const server = await testServer();
    try {
      const a = await (await Client.create(server.app, '10.9.0.2')).login('analyst');
      let res = await a.post('/api/admin/consultations', { slug: 'plus-tard', title: 'Plus tard', territory: '76', level: 'region', status: 'open' });
      assert.equal(res.statusCode, 201, res.body);
      const upload = multipart('contributions-occitanie.csv', readFileSync(FIXTURE));
      res = await a.request({ method: 'POST', url: '/api/admin/consultations/plus-tard/imports', payload: upload.payload, headers: upload.headers });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().publication, null);
      const pending = await storedResult(server.store, 'plus-tard');
      assert.ok(pending.contributions.every((c) => c.status === 'pending'));
      res = await a.post(`/api/admin/documents/${res.json().documentId}/publish`, {});
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(await storedResult(server.store, 'plus-tard'), fromCli);
    } finally { await server.close(); }
  });

  test('the upload takes the meeting option of `fabrique import --meeting`', async () => {
    const t = await testServer();
    try {
      const a = await (await Client.create(t.app, '10.9.0.5')).login('analyst');
      let res = await a.post('/api/admin/consultations', { slug: 'avec-reunion', title: 'Avec réunion', territory: '46', status: 'open' });
      assert.equal(res.statusCode, 201, res.body);
      res = await a.post('/api/admin/consultations/avec-reunion/meetings', { title: 'Consultation en ligne', kind: 'consultation_en_ligne' });
      assert.equal(res.statusCode, 201, res.body);
      const meeting = res.json().id as string;
      let upload = multipart('contributions-occitanie.csv', readFileSync(FIXTURE), { meeting: 'avec-reunion:inconnue' });
      res = await a.request({ method: 'POST', url: '/api/admin/consultations/avec-reunion/imports', payload: upload.payload, headers: upload.headers });
      assert.equal(res.statusCode, 404, res.body);
      assert.equal((await t.store.listContributions('avec-reunion')).length, 0);
      upload = multipart('contributions-occitanie.csv', readFileSync(FIXTURE), { meeting });
      res = await a.request({ method: 'POST', url: '/api/admin/consultations/avec-reunion/imports', payload: upload.payload, headers: upload.headers });
      assert.equal(res.statusCode, 201, res.body);
      const stored = await t.store.listContributions('avec-reunion');
      assert.equal(stored.length, 5);
      assert.ok(stored.every((c) => c.meeting === meeting));
    } finally { await t.close(); }
  });

  test('bulk moderation decides every contribution or none, each audited', async () => {
    const t = await testServer();
    try {
      const a = await (await Client.create(t.app, '10.9.0.5')).login('analyst');
      let res = await a.post('/api/admin/consultations', { slug: 'en-bloc', title: 'En bloc', territory: '46', status: 'open' });
      assert.equal(res.statusCode, 201, res.body);
      const upload = multipart('contributions-occitanie.csv', readFileSync(FIXTURE));
      res = await a.request({ method: 'POST', url: '/api/admin/consultations/en-bloc/imports', payload: upload.payload, headers: upload.headers });
      assert.equal(res.statusCode, 201, res.body);
      const ids = (await t.store.listContributions('en-bloc')).map((c) => c.id);
      res = await a.post('/api/admin/consultations/en-bloc/moderation', { ids: [...ids.slice(0, 2), 'en-bloc:inconnue'], action: 'reject', reason: 'Doublon' });
      assert.equal(res.statusCode, 404, res.body);
      assert.ok((await t.store.listContributions('en-bloc')).every((c) => c.moderation.status === 'pending'), 'none decided');
      res = await a.post('/api/admin/consultations/en-bloc/moderation', { ids: ids.slice(0, 3), action: 'publish', reason: 'relu' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().items.length, 3);
      const after = await t.store.listContributions('en-bloc');
      assert.deepEqual(after.map((c) => c.moderation.status), ['published', 'published', 'published', 'pending', 'pending']);
      const audit = (await listAudit(t.store, { consultation: 'en-bloc' })).filter((e) => e.action === 'moderation.publish');
      assert.equal(audit.length, 3);
      // a facilitator may not moderate
      const f = await (await Client.create(t.app, '10.9.0.3')).login('facilitator');
      assert.equal((await f.post('/api/admin/consultations/essai/moderation', { ids: ['x'], action: 'publish' })).statusCode, 403);
    } finally { await t.close(); }
  });
});
