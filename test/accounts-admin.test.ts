/**
 * Account management from the back office (issue 16): only administrators manage accounts; one-time links are
 * single use, expire after 24 hours, are stored hashed and never audited; using one ends the account's sessions;
 * an administrator cannot disable or delete themself nor the last administrator; hostile input is refused
 * clearly. And the back-office home: its to-do follows the role, a facilitator's only their consultations.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ROLES } from '../src/domain/roles.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { listAudit } from '../src/store/audit.ts';
import { findUserByEmail } from '../src/store/accounts.ts';
import { loggedRequest, redactTokens } from '../src/server/app.ts';
import { PASSWORD_POLICY } from '../src/server/routes/accounts.ts';
import { createAccount, LINK_HOURS, setPasswordWithLink } from '../src/usecases/accounts.ts';
import { addMeeting } from '../src/usecases/consultations.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { Client, testServer, USERS, type TestServer } from './helpers/server.ts';
import { openFreshSchema } from './helpers/stores.ts';
import type { Store } from '../src/store/index.ts';

// SQLite always; PostgreSQL too when FABRIQUE_TEST_DATABASE_URL is set (a fresh schema per suite)
const PG = process.env.FABRIQUE_TEST_DATABASE_URL;
const DATABASES = [{ name: 'sqlite', skip: false as const }, { name: 'postgres', skip: PG ? false as const : 'PostgreSQL absent : définir FABRIQUE_TEST_DATABASE_URL' }];

async function server(db: string): Promise<TestServer> {
  if (db !== 'postgres') return testServer();
  const { store, schema } = await openFreshSchema(PG!);
  const t = await testServer({}, store as Store);
  return { ...t, close: async () => { await t.app.close(); await store.db.schema.dropSchema(schema).ifExists().cascade().execute(); await store.close(); } };
}


const NEW_PASSWORD = 'cerisier lanterne gravier boussole';
const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;

for (const { name: db, skip } of DATABASES) {
describe(`gestion des comptes par les administrateurs [${db}]`, { skip }, () => {
  let t: TestServer;
  let admin: Client;
  before(async () => {
    t = await server(db);
    admin = await (await Client.create(t.app, '10.30.0.1')).login('admin');
  });
  after(() => t.close());

  for (const role of ROLES.filter((r) => r !== 'admin')) {
    test(`${role} : aucune route des comptes n’est permise`, async () => {
      const c = await (await Client.create(t.app, `10.30.1.${ROLES.indexOf(role)}`)).login(role);
      const id = (await findUserByEmail(t.store, USERS.analyst))!.id;
      for (const [method, url, payload] of [
        ['GET', '/api/admin/accounts'], ['POST', '/api/admin/accounts', { email: 'intrus@ars.test', role: 'admin' }],
        ['POST', `/api/admin/accounts/${id}/state`, { disabled: true }], ['POST', `/api/admin/accounts/${id}/password-link`],
        ['DELETE', `/api/admin/accounts/${id}`], ['POST', `/api/admin/accounts/${id}/consultations`, { consultation: 'essai' }],
        ['DELETE', `/api/admin/accounts/${id}/consultations/essai`],
      ] as const) {
        const res = await c.request({ method, url, ...(payload ? { payload } : {}) });
        assert.equal(res.statusCode, 403, `${role} ${method} ${url} → ${res.statusCode}`);
      }
      assert.equal(await findUserByEmail(t.store, 'intrus@ars.test'), undefined);
      assert.equal((await findUserByEmail(t.store, USERS.analyst))!.disabled, false);
    });
  }

  test('sans session : refusé (401), et les use cases refusent un acteur qui n’est pas administrateur', async () => {
    const anon = await Client.create(t.app, '10.30.2.1');
    assert.equal((await anon.get('/api/admin/accounts')).statusCode, 401);
    await assert.rejects(createAccount(context(t.store, { name: USERS.analyst, role: 'analyst' }), { email: 'x@ars.test', role: 'admin' }), /administrateurs/);
  });

  test('créer un compte : lien à usage unique, mot de passe choisi par la personne, connexion ; jeton jamais stocké ni audité', async () => {
    const res = await admin.post('/api/admin/accounts', { email: ' Nouvelle.Animatrice@ARS.test ', role: 'facilitator' });
    assert.equal(res.statusCode, 201, res.body);
    const { account, link } = res.json();
    assert.equal(account.email, 'nouvelle.animatrice@ars.test');
    assert.match(link.path, /^\/connexion\/nouveau-mot-de-passe\?token=[A-Za-z0-9_-]{43}$/);
    const hours = (Date.parse(link.expiresAt) - Date.now()) / 3600_000;
    assert.ok(hours > LINK_HOURS - 0.1 && hours <= LINK_HOURS, `valable ${hours} h`);
    const token = tokenOf(link.path);

    // no password yet: nothing signs in
    const visitor = await Client.create(t.app, '10.30.3.1');
    assert.equal((await visitor.post('/api/auth/login', { email: account.email, password: '!' })).statusCode, 401);
    const listed = (await admin.get('/api/admin/accounts')).json().accounts.find((a: { email: string }) => a.email === account.email);
    assert.equal(listed.passwordSet, false);
    assert.equal(listed.pendingLinkUntil, link.expiresAt);
    assert.equal(listed.lastSignInAt, null);

    const check = await visitor.post('/api/auth/password-link/check', { token });
    assert.equal(check.statusCode, 200, check.body);
    assert.equal(check.json().email, account.email);
    assert.equal(check.json().purpose, 'invite');

    // the password rules of src/server/password.ts apply
    const weak = await visitor.post('/api/auth/password-link', { token, password: 'motdepasse123' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.json().error.message, /courants|court/);
    const short = await visitor.post('/api/auth/password-link', { token, password: 'court' });
    assert.equal(short.statusCode, 400);
    assert.match(short.json().error.message, /trop court/);

    const set = await visitor.post('/api/auth/password-link', { token, password: NEW_PASSWORD });
    assert.equal(set.statusCode, 200, set.body);
    const login = await visitor.post('/api/auth/login', { email: account.email, password: NEW_PASSWORD });
    assert.equal(login.statusCode, 200, login.body);
    await visitor.refreshCsrf();
    const after = (await admin.get('/api/admin/accounts')).json().accounts.find((a: { email: string }) => a.email === account.email);
    assert.equal(after.passwordSet, true);
    assert.ok(after.lastSignInAt, 'la dernière connexion est connue');

    // single use
    const again = await (await Client.create(t.app, '10.30.3.2')).post('/api/auth/password-link', { token, password: 'une autre phrase longue et rare' });
    assert.equal(again.statusCode, 404, again.body);
    assert.match(again.json().error.message, /déjà servi|expiré/);
    assert.equal((await visitor.post('/api/auth/password-link/check', { token })).statusCode, 404);

    // only the hash is stored, and no audit entry holds the token nor its hash
    const hash = createHash('sha256').update(token).digest('hex');
    const audit = JSON.stringify(await listAudit(t.store, { limit: 1000 }));
    assert.ok(!audit.includes(token) && !audit.includes(hash), 'le journal ne contient pas le jeton');
    assert.match(audit, /user\.create/);
    assert.match(audit, /user\.password_set/);
  });

  test('réinitialiser : le nouveau lien ferme toutes les sessions à son usage, le précédent ne sert plus', async () => {
    const analyst = await (await Client.create(t.app, '10.30.4.1')).login('analyst');
    assert.equal((await analyst.get('/api/admin/consultations')).statusCode, 200);
    const id = (await findUserByEmail(t.store, USERS.analyst))!.id;
    const first = (await admin.post(`/api/admin/accounts/${id}/password-link`)).json().link;
    const second = (await admin.post(`/api/admin/accounts/${id}/password-link`)).json().link;
    const v = await Client.create(t.app, '10.30.4.2');
    assert.equal((await v.post('/api/auth/password-link/check', { token: tokenOf(first.path) })).statusCode, 404, 'remplacé par le second');
    // until the link is used, the current session and password still work
    assert.equal((await analyst.get('/api/admin/consultations')).statusCode, 200);
    const res = await v.post('/api/auth/password-link', { token: tokenOf(second.path), password: NEW_PASSWORD });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await analyst.get('/api/admin/consultations')).statusCode, 401, 'la session ouverte est fermée');
    assert.equal((await v.post('/api/auth/login', { email: USERS.analyst, password: NEW_PASSWORD })).statusCode, 200);
  });

  test('un lien expire après 24 heures', async () => {
    const born = new Date('2026-12-01T08:00:00.000Z');
    const ctx = context(t.store, CLI_ACTOR, () => born);
    const { link } = await createAccount(ctx, { email: 'expire@ars.test', role: 'analyst' });
    const later = (h: number) => context(t.store, { name: 'visiteur', role: 'visitor' }, () => new Date(born.getTime() + h * 3600_000));
    await assert.rejects(setPasswordWithLink(later(24), { token: tokenOf(link.path), password: NEW_PASSWORD }, PASSWORD_POLICY), /expiré/);
    await assert.rejects(setPasswordWithLink(later(30), { token: tokenOf(link.path), password: NEW_PASSWORD }, PASSWORD_POLICY), /expiré/);
    const ok = await setPasswordWithLink(later(23.9), { token: tokenOf(link.path), password: NEW_PASSWORD }, PASSWORD_POLICY);
    assert.equal(ok.email, 'expire@ars.test');
  });

  test('désactiver, réactiver, affecter, supprimer ; ni soi-même ni le dernier administrateur', async () => {
    const me = (await findUserByEmail(t.store, USERS.admin))!.id;
    let res = await admin.post(`/api/admin/accounts/${me}/state`, { disabled: true });
    assert.equal(res.statusCode, 409);
    assert.match(res.json().error.message, /propre compte/);
    res = await admin.request({ method: 'DELETE', url: `/api/admin/accounts/${me}` });
    assert.equal(res.statusCode, 409);

    // the command line is not an administrator's own account, but the last administrator stays
    const cli = context(t.store, CLI_ACTOR);
    const { setAccountDisabled, deleteAccount } = await import('../src/usecases/accounts.ts');
    await assert.rejects(setAccountDisabled(cli, { email: USERS.admin, disabled: true }), /dernier compte administrateur/);
    await assert.rejects(deleteAccount(cli, { email: USERS.admin }), /dernier compte administrateur/);

    const created = (await admin.post('/api/admin/accounts', { email: 'second.admin@ars.test', role: 'admin' })).json();
    const second = await Client.create(t.app, '10.30.5.1');
    await second.post('/api/auth/password-link', { token: tokenOf(created.link.path), password: NEW_PASSWORD });
    assert.equal((await second.post('/api/auth/login', { email: 'second.admin@ars.test', password: NEW_PASSWORD })).statusCode, 200);
    await second.refreshCsrf();
    // with another administrator, the first may be disabled by them
    res = await second.post(`/api/admin/accounts/${me}/state`, { disabled: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await admin.get('/api/admin/accounts')).statusCode, 401, 'désactivé : sa session est fermée');
    // and the second is now the last active administrator: cannot be disabled, even by the command line
    await assert.rejects(setAccountDisabled(cli, { email: 'second.admin@ars.test', disabled: true }), /dernier/);
    res = await second.post(`/api/admin/accounts/${me}/state`, { disabled: false });
    assert.equal(res.statusCode, 200);
    admin = await (await Client.create(t.app, '10.30.0.2')).login('admin');

    // facilitators: assign and unassign
    const fac = (await admin.post('/api/admin/accounts', { email: 'anim2@ars.test', role: 'facilitator' })).json().account;
    res = await admin.post(`/api/admin/accounts/${fac.id}/consultations`, { consultation: 'essai' });
    assert.deepEqual(res.json(), { outcome: 'assigned' });
    assert.deepEqual((await admin.post(`/api/admin/accounts/${fac.id}/consultations`, { consultation: 'essai' })).json(), { outcome: 'already' });
    const listed = (await admin.get('/api/admin/accounts')).json().accounts.find((a: { id: string }) => a.id === fac.id);
    assert.deepEqual(listed.consultations, ['essai']);
    res = await admin.post(`/api/admin/accounts/${fac.id}/consultations`, { consultation: 'inconnue' });
    assert.equal(res.statusCode, 404);
    const analystId = (await findUserByEmail(t.store, USERS.analyst))!.id;
    res = await admin.post(`/api/admin/accounts/${analystId}/consultations`, { consultation: 'essai' });
    assert.equal(res.statusCode, 400, 'seuls les animateurs sont affectés');
    assert.deepEqual((await admin.request({ method: 'DELETE', url: `/api/admin/accounts/${fac.id}/consultations/essai` })).json(), { outcome: 'unassigned' });

    // delete: its pending link goes with it
    const pending = (await admin.post(`/api/admin/accounts/${fac.id}/password-link`)).json().link;
    res = await admin.request({ method: 'DELETE', url: `/api/admin/accounts/${fac.id}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await findUserByEmail(t.store, 'anim2@ars.test'), undefined);
    assert.equal((await (await Client.create(t.app, '10.30.5.2')).post('/api/auth/password-link/check', { token: tokenOf(pending.path) })).statusCode, 404);
    assert.equal((await admin.request({ method: 'DELETE', url: `/api/admin/accounts/${fac.id}` })).statusCode, 404);

    // a disabled account gets no link, and its pending link no longer works
    const off = (await admin.post('/api/admin/accounts', { email: 'off@ars.test', role: 'analyst' })).json();
    await admin.post(`/api/admin/accounts/${off.account.id}/state`, { disabled: true });
    assert.equal((await admin.post(`/api/admin/accounts/${off.account.id}/password-link`)).statusCode, 409);
    assert.equal((await (await Client.create(t.app, '10.30.5.3')).post('/api/auth/password-link', { token: tokenOf(off.link.path), password: NEW_PASSWORD })).statusCode, 404);
  });

  test('entrées hostiles : refusées avec un message clair, rien n’est créé', async () => {
    const cases: [unknown, RegExp][] = [
      [{ email: 'pas-une-adresse', role: 'analyst' }, /e-mail invalide/],
      [{ email: '<script>@x.fr', role: 'analyst' }, /e-mail invalide/],
      [{ email: `${'a'.repeat(330)}@ars.test`, role: 'analyst' }, /./],
      [{ email: 'ok@ars.test', role: 'superadmin' }, /./],
      [{ email: 'ok@ars.test' }, /./],
      [{ email: USERS.analyst, role: 'analyst' }, /existe déjà/],
    ];
    for (const [body, message] of cases) {
      const res = await admin.post('/api/admin/accounts', body);
      assert.ok(res.statusCode === 400 || res.statusCode === 409, `${JSON.stringify(body).slice(0, 60)} → ${res.statusCode}`);
      assert.match(res.json().error.message, message);
    }
    assert.equal(await findUserByEmail(t.store, 'ok@ars.test'), undefined);
    const v = await Client.create(t.app, '10.30.6.1');
    for (const token of ['', 'x', '../../etc/passwd', 'a'.repeat(43), "' OR 1=1 --"]) {
      const res = await v.post('/api/auth/password-link', { token, password: NEW_PASSWORD });
      assert.ok(res.statusCode === 400 || res.statusCode === 404, `${token} → ${res.statusCode}`);
    }
    assert.equal((await admin.post('/api/admin/accounts/inconnu/state', { disabled: true })).statusCode, 404);
    // the page's address holds the token: the request log hides it
    assert.equal(redactTokens('/connexion/nouveau-mot-de-passe?token=abcDEF_-123&x=1'), '/connexion/nouveau-mot-de-passe?token=[masqué]&x=1');
    assert.doesNotMatch(JSON.stringify(loggedRequest({ method: 'GET', url: '/connexion/nouveau-mot-de-passe?token=secret' })), /secret/);
    const page = await v.get('/connexion/nouveau-mot-de-passe?token=secret');
    assert.match(String(page.headers['x-robots-tag'] ?? ''), /noindex/);
  });
});

describe(`accueil du back-office : à faire et brouillons selon le rôle [${db}]`, { skip }, () => {
  let t: TestServer;
  before(async () => {
    t = await server(db);
    await t.store.upsertConsultation({
      slug: 'autre', title: 'Consultation d’une autre équipe', territory: '76', territoryLevel: 'region', status: 'draft',
      themes: CNR_SANTE_THEMES.map((th) => ({ ...th, keywords: [...th.keywords] })),
    });
    const model = { by: 'model' as const, model: 'themes', version: '1', probability: 0.7, at: '2026-12-01T00:00:00Z' };
    for (const slug of ['essai', 'autre']) {
      await t.store.addContributions(slug, [1, 2, 3].map((n) => ({
        id: `${slug}:c${n}`, consultation: slug, channel: 'formulaire' as const, text: `Contribution numéro ${n} sur les transports vers l’hôpital`,
        themes: n === 1 ? [{ theme: CNR_SANTE_THEMES[0]!.code, provenance: model }] : [],
        moderation: { status: 'pending' as const }, source: { documentId: slug, file: 'formulaire' },
      })));
      await addMeeting(context(t.store, CLI_ACTOR), { consultation: slug, title: `Atelier passé de ${slug}`, date: '2026-03-01' });
      await addMeeting(context(t.store, CLI_ACTOR), { consultation: slug, title: `Atelier à venir de ${slug}`, date: '2099-03-01' });
    }
  });
  after(() => t.close());

  test('analyste : tout, brouillons compris', async () => {
    const c = await (await Client.create(t.app, '10.31.0.1')).login('analyst');
    const home = (await c.get('/api/admin/home')).json();
    assert.equal(home.totals.moderation, 6);
    assert.equal(home.totals.themes, 2);
    assert.equal(home.totals.reports, 2, 'les réunions à venir ne comptent pas');
    assert.equal(home.totals.stale, 0);
    assert.equal(home.totals.links, 0);
    assert.deepEqual(home.drafts.consultations.map((d: { slug: string }) => d.slug), ['autre']);
    const mod = home.todo.find((i: { kind: string; subject: { id: string } }) => i.kind === 'moderation' && i.subject.id === 'essai');
    assert.deepEqual(mod, { kind: 'moderation', count: 3, href: '/admin/consultations/essai/moderation', subject: { kind: 'consultation', id: 'essai', title: 'Consultation d’essai' } });
  });

  test('animateur : ses consultations seulement, et rien de la modération', async () => {
    const c = await (await Client.create(t.app, '10.31.0.2')).login('facilitator');
    const home = (await c.get('/api/admin/home')).json();
    assert.deepEqual(Object.keys(home.totals).sort(), ['late', 'reports']);
    assert.equal(home.totals.reports, 1);
    assert.ok(home.todo.every((i: { subject: { id: string } }) => i.subject.id !== 'autre'), JSON.stringify(home.todo));
    assert.deepEqual(home.drafts.consultations, []);
    assert.ok(!JSON.stringify(home).includes('autre équipe'));
  });

  test('porteur : le suivi seulement ; visiteur : refusé', async () => {
    const c = await (await Client.create(t.app, '10.31.0.3')).login('owner');
    const home = (await c.get('/api/admin/home')).json();
    assert.deepEqual(Object.keys(home.totals), ['late']);
    assert.deepEqual(home.drafts, { consultations: [], syntheses: [] });
    assert.equal((await (await Client.create(t.app, '10.31.0.4')).get('/api/admin/home')).statusCode, 401);
  });

  test('une réunion dont le compte-rendu est soumis sort de la liste', async () => {
    const c = await (await Client.create(t.app, '10.31.0.5')).login('facilitator');
    const meeting = (await t.store.listMeetings('essai')).find((m) => m.date === '2026-03-01')!;
    const res = await c.post(`/api/admin/meetings/${encodeURIComponent(meeting.id)}/report`, {
      participants: { elus: 1, institutionnels: 0, professionnels: 2, associations: 0, usagers: 5, autres: 0, total: 8 },
      themes: [{ theme: CNR_SANTE_THEMES[0]!.code, problematiques: ['Les trajets vers l’hôpital sont trop longs pour les personnes âgées'], solutions: [], leviers: [] }],
    });
    assert.equal(res.statusCode, 201, res.body);
    const home = (await c.get('/api/admin/home')).json();
    assert.equal(home.totals.reports, 0);
  });
});
}

test('la ligne de commande : user link donne un lien à usage unique ; le dernier administrateur reste', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { runCli } = await import('./helpers/cli.ts');
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-comptes-'));
  const db = join(dir, 'f.sqlite');
  try {
    let r = await runCli(['user', 'add', '--email', 'seul.admin@ars.test', '--admin'], { FABRIQUE_DB: db, FABRIQUE_PASSWORD: NEW_PASSWORD });
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['user', 'link', '--email', 'seul.admin@ars.test'], { FABRIQUE_DB: db, FABRIQUE_SITE_URL: 'https://fabrique.exemple.fr/' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valable 24 heures/);
    assert.match(r.stdout, /^https:\/\/fabrique\.exemple\.fr\/connexion\/nouveau-mot-de-passe\?token=[A-Za-z0-9_-]{43}$/m);
    r = await runCli(['user', 'disable', '--email', 'seul.admin@ars.test'], { FABRIQUE_DB: db });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /dernier compte administrateur/);
    r = await runCli(['user', 'delete', '--email', 'seul.admin@ars.test'], { FABRIQUE_DB: db });
    assert.notEqual(r.code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
