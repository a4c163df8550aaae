/**
 * Account hygiene: password policy, `fabrique user disable|enable|delete|assign|unassign`, facilitators
 * scoped to their consultations, CSRF tokens bound to the session, CSP and HSTS headers.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { emptyParticipants } from '../src/domain/meeting.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { buildApp } from '../src/server/app.ts';
import { passwordProblem } from '../src/server/password.ts';
import {
  appDb, assignConsultation, assignedConsultations, createSession, createUser, deleteUser, findUserByEmail, isAssigned, meetingConsultation, sessionUser,
  setUserDisabled, unassignConsultation,
} from '../src/store/accounts.ts';
import { Store } from '../src/store/index.ts';
import { Client, PASSWORD, testServer, USERS, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const GOOD = 'agrafe-cheval-batterie-lune';

/** Runs the CLI in-process on a database file, with FABRIQUE_PASSWORD, capturing its output. */
async function fabrique(db: string, password: string | undefined, ...args: string[]): Promise<{ code: number; out: string }> {
  const saved = { db: process.env.FABRIQUE_DB, url: process.env.DATABASE_URL, pw: process.env.FABRIQUE_PASSWORD };
  const log = console.log;
  const error = console.error;
  let out = '';
  console.log = (...a: unknown[]) => { out += `${a.join(' ')}\n`; };
  console.error = console.log;
  process.env.FABRIQUE_DB = db;
  process.env.DATABASE_URL = '';
  if (password === undefined) delete process.env.FABRIQUE_PASSWORD; else process.env.FABRIQUE_PASSWORD = password;
  try {
    return { code: await main(args), out };
  } finally {
    console.log = log;
    console.error = error;
    for (const [k, v] of [['FABRIQUE_DB', saved.db], ['DATABASE_URL', saved.url], ['FABRIQUE_PASSWORD', saved.pw]] as const) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }
}

describe('politique de mots de passe', () => {
  test('refuse les mots de passe courts, courants et leurs variantes simples', () => {
    const refused = [
      'court', 'azertyuiop', 'azertyuiop123', 'motdepasse2024!', 'Mot-de-passe-2025', 'P@ssw0rd1234', 'Soleil2024!!!', 'MOTDEPASSE123',
      'jetaimemonamour', '123456789012', 'aaaaaaaaaaaaaaaa', 'abababababababab', 'Bienvenue123!', 'administrateur', '1q2w3e4r5t6y',
    ];
    for (const p of refused) assert.ok(passwordProblem(p), `devrait être refusé : ${p}`);
    assert.match(passwordProblem('court')!, /trop court.*12 caractères/);
    assert.match(passwordProblem('motdepasse2024!')!, /plus courants/);
    assert.match(passwordProblem('claire.martin-2024', 'claire.martin@ars.test')!, /adresse e-mail/);
  });

  test('accepte une phrase de passe, le mot de passe des tests et ceux que tire la démo', () => {
    assert.equal(passwordProblem(GOOD), undefined);
    assert.equal(passwordProblem(PASSWORD, USERS.analyst), undefined);
    for (let i = 0; i < 200; i++) {
      const drawn = randomBytes(9).toString('base64url'); // as `fabrique demo` draws it
      if (passwordProblem(drawn)) assert.fail(`mot de passe tiré refusé : ${passwordProblem(drawn)}`);
    }
  });
});

describe('comptes : politique, désactivation, suppression, affectation des animateurs (CLI et API)', () => {
  let dir: string;
  let db: string;
  let store: Store;
  let t: { app: Awaited<ReturnType<typeof buildApp>> };
  const analyst = 'analyste.hygiene@ars.test';
  const facilitator = 'animation.hygiene@ars.test';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fabrique-hygiene-'));
    db = join(dir, 'f.sqlite');
    store = await Store.open({ sqlitePath: db });
    await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement' });
    for (const slug of ['essai', 'autre']) {
      await store.upsertConsultation({ slug, title: `Consultation ${slug}`, territory: '12', status: 'open', themes: CNR_SANTE_THEMES.map((x) => ({ ...x, keywords: [...x.keywords] })) });
      await store.upsertMeetings([{ id: `${slug}:reunion-1`, consultation: slug, kind: 'atelier', title: `Atelier ${slug}`, participants: emptyParticipants() }]);
    }
    t = { app: await buildApp({ store }) };
    await t.app.ready();
  });
  after(async () => {
    await t.app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const login = async (email: string, password: string, ip: string) => {
    const c = await Client.create(t.app, ip);
    const res = await c.post('/api/auth/login', { email, password });
    if (res.statusCode === 200) await c.refreshCsrf();
    return { c, status: res.statusCode };
  };

  test('user add et user password refusent un mot de passe courant, avec un message clair ; rien n’est créé', async () => {
    let r = await fabrique(db, 'azertyuiop123', 'user', 'add', '--email', analyst, '--role', 'analyst');
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /Mot de passe refusé : c’est l’un des mots de passe les plus courants/);
    assert.equal(await findUserByEmail(store, analyst), undefined);
    r = await fabrique(db, 'trop-court', 'user', 'add', '--email', analyst, '--role', 'analyst');
    assert.match(r.out, /trop court/);
    r = await fabrique(db, GOOD, 'user', 'add', '--email', analyst, '--role', 'analyst');
    assert.equal(r.code, 0, r.out);
    r = await fabrique(db, 'motdepasse2025!', 'user', 'password', '--email', analyst);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /plus courants/);
    assert.equal((await login(analyst, GOOD, '10.8.0.1')).status, 200, 'l’ancien mot de passe reste valable');
  });

  test('user disable ferme les sessions à l’instant et empêche la connexion ; enable la rétablit ; journalisé', async () => {
    const { c } = await login(analyst, GOOD, '10.8.0.2');
    assert.equal((await c.get('/api/auth/me')).statusCode, 200);
    let r = await fabrique(db, undefined, 'user', 'disable', '--email', analyst);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /désactivé/);
    assert.equal((await c.get('/api/auth/me')).statusCode, 401, 'la session ouverte ne vaut plus rien');
    assert.equal((await c.get('/api/admin/consultations')).statusCode, 401);
    const sessions = await appDb(store).selectFrom('sessions').selectAll().execute();
    assert.equal(sessions.length, 0, 'sessions supprimées');
    assert.equal((await login(analyst, GOOD, '10.8.0.3')).status, 401, 'connexion refusée');
    r = await fabrique(db, undefined, 'user', 'list');
    assert.match(r.out, /désactivé/);
    r = await fabrique(db, undefined, 'user', 'enable', '--email', analyst);
    assert.equal(r.code, 0, r.out);
    assert.equal((await login(analyst, GOOD, '10.8.0.4')).status, 200);
    const audit = await appDb(store).selectFrom('audit_log').select(['action', 'target_id', 'actor']).where('action', 'in', ['user.disable', 'user.enable']).execute();
    assert.deepEqual(audit.map((a) => [a.action, a.target_id]), [['user.disable', analyst], ['user.enable', analyst]]);
  });

  test('un animateur ne voit et ne modifie que les consultations qui lui sont affectées', async () => {
    assert.equal((await fabrique(db, GOOD, 'user', 'add', '--email', facilitator, '--role', 'facilitator')).code, 0);
    const { c } = await login(facilitator, GOOD, '10.8.0.5');
    assert.deepEqual((await c.get('/api/admin/consultations')).json().items, [], 'aucune affectation : liste vide');
    assert.equal((await c.get('/api/admin/consultations/essai')).statusCode, 403);
    let r = await fabrique(db, undefined, 'user', 'assign', '--email', facilitator, '--consultation', 'essai');
    assert.equal(r.code, 0, r.out);
    assert.deepEqual((await c.get('/api/admin/consultations')).json().items.map((x: { slug: string }) => x.slug), ['essai']);
    assert.equal((await c.get('/api/admin/consultations/essai')).statusCode, 200);
    assert.equal((await c.put(`/api/admin/meetings/${encodeURIComponent('essai:reunion-1')}`, { title: 'Atelier renommé' })).statusCode, 200);
    const before = await store.tableCounts();
    const refused = [
      await c.get('/api/admin/consultations/autre'),
      await c.post('/api/admin/consultations/autre/meetings', { title: 'Réunion hors affectation' }),
      await c.put(`/api/admin/meetings/${encodeURIComponent('autre:reunion-1')}`, { title: 'Renommée hors affectation' }),
      await c.post(`/api/admin/meetings/${encodeURIComponent('autre:reunion-1')}/report`, { participants: emptyParticipants(), themes: [] }),
    ];
    assert.deepEqual(refused.map((x) => x.statusCode), [403, 403, 403, 403]);
    assert.match(refused[0]!.json().error.message, /pas affecté/);
    assert.deepEqual(await store.tableCounts(), before);
    assert.equal((await store.listMeetings('autre'))[0]!.title, 'Atelier autre');
    // admin and analyst are not scoped
    const { c: a } = await login(analyst, GOOD, '10.8.0.6');
    assert.equal((await a.get('/api/admin/consultations')).json().items.length, 2);
    r = await fabrique(db, undefined, 'user', 'list');
    assert.match(r.out, /essai/);
    r = await fabrique(db, undefined, 'user', 'assign', '--email', analyst, '--consultation', 'essai');
    assert.equal(r.code, 1);
    assert.match(r.out, /seuls les animateurs/);
    r = await fabrique(db, undefined, 'user', 'unassign', '--email', facilitator, '--consultation', 'essai');
    assert.equal(r.code, 0, r.out);
    assert.equal((await c.get('/api/admin/consultations/essai')).statusCode, 403);
    const audit = await appDb(store).selectFrom('audit_log').select('action').where('action', 'in', ['user.assign', 'user.unassign']).execute();
    assert.deepEqual(audit.map((x) => x.action), ['user.assign', 'user.unassign']);
  });

  test('user delete supprime le compte et ses sessions ; le journal garde l’adresse', async () => {
    const { c } = await login(facilitator, GOOD, '10.8.0.7');
    const r = await fabrique(db, undefined, 'user', 'delete', '--email', facilitator);
    assert.equal(r.code, 0, r.out);
    assert.equal(await findUserByEmail(store, facilitator), undefined);
    assert.equal((await c.get('/api/auth/me')).statusCode, 401);
    assert.equal((await login(facilitator, GOOD, '10.8.0.8')).status, 401);
    const entry = await appDb(store).selectFrom('audit_log').selectAll().where('action', '=', 'user.delete').executeTakeFirstOrThrow();
    assert.equal(entry.target_id, facilitator);
    assert.equal(entry.actor, 'ligne de commande');
    const assigned = await appDb(store).selectFrom('audit_log').select('target_id').where('action', '=', 'user.assign').execute();
    assert.deepEqual(assigned.map((x) => x.target_id), [facilitator], 'les entrées antérieures gardent l’adresse');
    assert.match((await fabrique(db, undefined, 'user', 'delete', '--email', facilitator)).out, /Aucun compte/);
  });
});

describe('jeton CSRF lié à la session', () => {
  let t: TestServer;
  before(async () => { t = await testServer(); });
  after(async () => { await t.close(); });

  test('le jeton de la session A est refusé pour la session B ; celui d’avant la connexion aussi', async () => {
    const a = await (await Client.create(t.app, '10.7.0.1')).login('analyst');
    const b = await (await Client.create(t.app, '10.7.0.2')).login('analyst');
    assert.notEqual(a.csrf, b.csrf);
    const body = (slug: string) => ({ slug, title: 'Consultation CSRF', territory: '12' });
    const before = await t.store.tableCounts();
    let res = await b.post('/api/admin/consultations', body('csrf-b'), { 'x-csrf-token': a.csrf });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'csrf');
    // a token fetched before login (even one the attacker planted as a cookie) no longer works once signed in
    const planted = await Client.create(t.app, '10.7.0.3');
    const early = planted.csrf;
    await planted.login('analyst');
    res = await planted.post('/api/admin/consultations', body('csrf-c'), { 'x-csrf-token': early });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await t.store.tableCounts(), before);
    res = await b.post('/api/admin/consultations', body('csrf-b'));
    assert.equal(res.statusCode, 201, res.body);
  });

  test('le formulaire public garde le jeton anonyme (double soumission), y compris après déconnexion', async () => {
    const v = await Client.create(t.app, '10.7.1.1');
    assert.equal((await v.post('/api/consultations/essai/contributions', { text: 'Contribution anonyme avec jeton' })).statusCode, 201);
    const u = await (await Client.create(t.app, '10.7.1.2')).login('facilitator');
    assert.equal((await u.post('/api/auth/logout')).statusCode, 200);
    await u.refreshCsrf();
    assert.equal(u.csrf, u.cookies.get('fabrique_csrf'), 'anonyme : le jeton est celui du cookie');
    assert.equal((await u.post('/api/consultations/essai/contributions', { text: 'Contribution après déconnexion' })).statusCode, 201);
  });
});

describe('en-têtes : Content-Security-Policy et HSTS', () => {
  let t: TestServer;
  before(async () => { t = await testServer({ trustProxy: 1 }); });
  after(async () => { await t.close(); });

  const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

  test('HTML de l’application : scripts du site seulement, aucun script en ligne ; JSON : rien à exécuter', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/consultations' });
    assert.match(String(page.headers['content-type']), /text\/html/);
    const csp = directives(String(page.headers['content-security-policy']));
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    const api = await t.app.inject({ method: 'GET', url: '/api/consultations' });
    assert.equal(api.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  });

  test('/api/docs : son script et son style en ligne autorisés par empreinte, rien d’autre', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    const csp = directives(String(page.headers['content-security-policy']));
    const script = page.body.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    const hash = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    assert.deepEqual(csp.get('script-src'), [hash]);
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
  });

  test('HSTS seulement quand la requête est arrivée en https', async () => {
    const http = await t.app.inject({ method: 'GET', url: '/api/consultations' });
    assert.equal(http.headers['strict-transport-security'], undefined);
    const https = await t.app.inject({ method: 'GET', url: '/api/consultations', headers: { 'x-forwarded-proto': 'https' } });
    assert.match(String(https.headers['strict-transport-security']), /^max-age=\d{7,}/);
  });
});

describe('stockage des comptes : affectations, désactivation, suppression (SQLite et PostgreSQL)', () => {
  storeTest('affecter, désactiver, supprimer : sessions fermées, journal tenu, table 0005 en cascade', async (store) => {
    await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement' });
    await store.upsertConsultation({ slug: 'essai', title: 'Essai', territory: '12', status: 'draft', themes: [] });
    await store.upsertMeetings([{ id: 'essai:reunion-1', consultation: 'essai', kind: 'atelier', title: 'Atelier', participants: emptyParticipants() }]);
    const u = await createUser(store, { email: 'Animation@ars.test', role: 'facilitator', passwordHash: 'x' });
    assert.equal(await assignConsultation(store, u.email, 'essai', 'test'), 'assigned');
    assert.equal(await assignConsultation(store, u.email, 'essai', 'test'), 'already');
    await assert.rejects(assignConsultation(store, u.email, 'inconnue', 'test'), /Consultation inconnue/);
    assert.deepEqual(await assignedConsultations(store, u.id), ['essai']);
    assert.equal(await isAssigned(store, u.id, 'essai'), true);
    assert.equal(await meetingConsultation(store, 'essai:reunion-1'), 'essai');
    assert.equal(await meetingConsultation(store, 'absente'), undefined);
    await createSession(store, 'hash-1', u.id, new Date(Date.now() + 3600_000));
    assert.ok(await sessionUser(store, 'hash-1'));
    await setUserDisabled(store, u.email, true, 'test');
    assert.equal(await sessionUser(store, 'hash-1'), undefined);
    assert.equal((await appDb(store).selectFrom('sessions').selectAll().execute()).length, 0);
    await setUserDisabled(store, u.email, false, 'test');
    assert.equal(await unassignConsultation(store, u.email, 'essai', 'test'), 'unassigned');
    assert.equal(await unassignConsultation(store, u.email, 'essai', 'test'), 'absent');
    await assignConsultation(store, u.email, 'essai', 'test');
    await createSession(store, 'hash-2', u.id, new Date(Date.now() + 3600_000));
    await deleteUser(store, u.email, 'test');
    assert.equal(await findUserByEmail(store, u.email), undefined);
    assert.equal((await appDb(store).selectFrom('sessions').selectAll().execute()).length, 0);
    assert.equal((await appDb(store).selectFrom('consultation_assignments').selectAll().execute()).length, 0);
    const actions = await appDb(store).selectFrom('audit_log').select(['action', 'target_id']).orderBy('id').execute();
    assert.deepEqual(actions.map((a) => a.action), ['user.assign', 'user.disable', 'user.enable', 'user.unassign', 'user.assign', 'user.delete']);
    assert.ok(actions.every((a) => a.target_id === 'animation@ars.test'));
  });
});
