/**
 * Rate limits (issue 9, point 9 and the GET limits of point 4): trusted proxy hops, counters in
 * the database shared by several app instances, login limits per address and per account, lockout
 * and unlock, the read limit of public GET routes, 429 in the API's error shape.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildApp, optionsFromEnv } from '../src/server/app.ts';
import { listAudit } from '../src/store/audit.ts';
import { Store } from '../src/store/index.ts';
import { accountLockedUntil, deleteExpiredRateLimits, hitRateLimit, recordLoginFailure } from '../src/store/rate-limits.ts';
import { runCli } from './helpers/cli.ts';
import { Client, PASSWORD, testServer, USERS } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const FORM = '/api/consultations/essai/contributions';

function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try { return fn(); } finally {
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
}

function assertErrorShape(body: unknown, code: string): void {
  assert.deepEqual(Object.keys(body as object), ['error']);
  const e = (body as { error: Record<string, unknown> }).error;
  assert.equal(e.code, code);
  assert.equal(typeof e.message, 'string');
}

describe('proxy hops (FABRIQUE_TRUST_PROXY)', () => {
  test('with 1 hop, rotating the left-most X-Forwarded-For values does not escape the form limit', async () => {
    const options = withEnv({ FABRIQUE_TRUST_PROXY: '1' }, () => optionsFromEnv());
    const t = await testServer({ ...options, formRateLimit: 3 });
    try {
      const proxy = await Client.create(t.app, '10.0.0.1');
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await proxy.post(FORM, { text: `Contribution par le proxy ${i}` }, { 'x-forwarded-for': `192.0.2.${i + 1}, 203.0.113.7` });
        codes.push(res.statusCode);
      }
      assert.deepEqual(codes, [201, 201, 201, 429, 429]);
      // the client the proxy saw is another person: not limited
      const other = await proxy.post(FORM, { text: 'Une autre personne derrière le même proxy' }, { 'x-forwarded-for': '203.0.113.8' });
      assert.equal(other.statusCode, 201);
    } finally { await t.close(); }
  });

  test('with 2 hops the address is the second from the right; values beyond it are ignored', async () => {
    const options = withEnv({ FABRIQUE_TRUST_PROXY: '2' }, () => optionsFromEnv());
    assert.equal(options.trustProxy, 2);
    const t = await testServer({ ...options, readRateLimit: 2 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({ method: 'GET', url: '/api/consultations', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.9, 10.0.0.2` } });
        codes.push(res.statusCode);
      }
      assert.deepEqual(codes, [200, 200, 429]);
    } finally { await t.close(); }
  });

  test('a value that is not a number of hops is refused at start-up', () => {
    assert.throws(() => withEnv({ FABRIQUE_TRUST_PROXY: 'true' }, () => optionsFromEnv()), /FABRIQUE_TRUST_PROXY doit être un nombre entier/);
  });
});

storeTest('rate-limit counter: one atomic statement, concurrent hits all counted, windows expire and are cleaned', async (store) => {
  const now = 1_800_000_000_000;
  const hits = await Promise.all(Array.from({ length: 40 }, () => hitRateLimit(store, 'essai|ip:192.0.2.1', 60_000, now)));
  assert.deepEqual(hits.map((h) => h.hits).sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1));
  assert.ok(hits.every((h) => h.expiresAt === now + 60_000));
  // still the same window 59 s later; a new one after it ended
  assert.equal((await hitRateLimit(store, 'essai|ip:192.0.2.1', 60_000, now + 59_000)).hits, 41);
  const next = await hitRateLimit(store, 'essai|ip:192.0.2.1', 60_000, now + 60_000);
  assert.deepEqual(next, { hits: 1, expiresAt: now + 120_000 });
  // the hit at now + 60 s started a background clean-up of the windows ended by then: this
  // short window starts at that moment, so that clean-up cannot take it before the explicit one
  await hitRateLimit(store, 'essai|ip:192.0.2.2', 1_000, now + 60_000);
  assert.equal(await deleteExpiredRateLimits(store, now + 62_000), 1);
  assert.equal(await deleteExpiredRateLimits(store, now + 200_000), 1);
});

storeTest('two app instances on the same database share the form counter', async (store) => {
  const t = await testServer({ formRateLimit: 3 }, store);
  const second = await buildApp({ store, formRateLimit: 3 });
  await second.ready();
  try {
    const a = await Client.create(t.app, '192.0.2.50');
    const b = await Client.create(second, '192.0.2.50');
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await (i % 2 ? b : a).post(FORM, { text: `Contribution partagée ${i}` })).statusCode);
    assert.deepEqual(codes, [201, 201, 201, 429], 'the fourth submission is refused whichever instance receives it');
  } finally {
    await second.close();
    await t.app.close();
  }
});

test('two processes on the same SQLite file share the counters (two connections)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-limits-'));
  const path = join(dir, 'f.sqlite');
  const s1 = await Store.open({ sqlitePath: path });
  const s2 = await Store.open({ sqlitePath: path });
  try {
    const t = await testServer({ readRateLimit: 3 }, s1);
    const other = await buildApp({ store: s2, readRateLimit: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await (i % 2 ? other : t.app).inject({ method: 'GET', url: '/api/consultations', remoteAddress: '192.0.2.60' })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 429]);
    await other.close();
    await t.app.close();
  } finally {
    await s1.close();
    await s2.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('login limits and lockout', () => {
  test('per address: many e-mails from one address are limited together', async () => {
    const t = await testServer({ loginRateLimit: 4, loginAccountRateLimit: 100 });
    try {
      const c = await Client.create(t.app, '192.0.2.70');
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await c.post('/api/auth/login', { email: `personne${i}@exemple.test`, password: 'mauvais mot de passe' })).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 401, 429, 429]);
      const res = await c.post('/api/auth/login', { email: USERS.admin, password: PASSWORD });
      assert.equal(res.statusCode, 429);
      assertErrorShape(res.json(), 'rate_limited');
      assert.match(res.json().error.message, /Trop de tentatives de connexion : réessayez dans \d+ seconde/);
      assert.ok(Number(res.headers['retry-after']) > 0);
    } finally { await t.close(); }
  });

  test('per account: attempts on one account from many addresses are limited together', async () => {
    const t = await testServer({ loginRateLimit: 100, loginAccountRateLimit: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const c = await Client.create(t.app, `198.51.100.${i + 1}`);
        codes.push((await c.post('/api/auth/login', { email: i % 2 ? USERS.analyst.toUpperCase() : USERS.analyst, password: 'mauvais mot de passe' })).statusCode);
      }
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
      // another account is not affected
      assert.equal((await (await Client.create(t.app, '198.51.100.9')).post('/api/auth/login', { email: USERS.admin, password: PASSWORD })).statusCode, 200);
    } finally { await t.close(); }
  });

  test('repeated failures lock the account, without revealing whether it exists; unlock is audited; a success resets the count', async () => {
    const t = await testServer({ loginRateLimit: 1000, loginAccountRateLimit: 1000, loginLockFailures: 3, loginLockMinutes: 15 });
    try {
      const attempt = async (email: string, password: string, ip = '192.0.2.80') => (await Client.create(t.app, ip)).post('/api/auth/login', { email, password });
      // a success between failures starts the count again
      for (let i = 0; i < 2; i++) assert.equal((await attempt(USERS.facilitator, 'mauvais')).statusCode, 401);
      assert.equal((await attempt(USERS.facilitator, PASSWORD)).statusCode, 200);
      for (let i = 0; i < 2; i++) assert.equal((await attempt(USERS.facilitator, 'mauvais')).statusCode, 401);
      assert.equal((await attempt(USERS.facilitator, PASSWORD)).statusCode, 200, 'not locked: the success reset the failures');

      const outcomes = [];
      for (let i = 0; i < 3; i++) outcomes.push((await attempt(USERS.analyst, 'mauvais', `192.0.2.${90 + i}`)).statusCode);
      assert.deepEqual(outcomes, [401, 401, 429]);
      const locked = await attempt(USERS.analyst, PASSWORD, '192.0.2.99');
      assert.equal(locked.statusCode, 429, 'even the right password is refused while locked');
      assertErrorShape(locked.json(), 'account_locked');
      assert.match(locked.json().error.message, /bloquée pendant 15 minute/);

      // an account that does not exist answers exactly the same way
      const ghost: { status: number; body: unknown }[] = [];
      for (let i = 0; i < 4; i++) { const r = await attempt('inconnu@ars.test', 'mauvais'); ghost.push({ status: r.statusCode, body: r.json() }); }
      assert.deepEqual(ghost.map((g) => g.status), [401, 401, 429, 429]);
      assert.deepEqual(ghost[3]!.body, locked.json());

      // `fabrique user unlock` on a SQLite file: audited, and the account can log in again
      const dir = mkdtempSync(join(tmpdir(), 'fabrique-unlock-'));
      try {
        const db = join(dir, 'f.sqlite');
        const fileStore = await Store.open({ sqlitePath: db });
        await recordLoginFailure(fileStore, USERS.analyst, { failures: 1, windowMs: 60_000, lockMs: 900_000 });
        assert.ok(await accountLockedUntil(fileStore, USERS.analyst));
        await fileStore.close();
        const unlock = await runCli(['user', 'unlock', '--email', USERS.analyst.toUpperCase()], { FABRIQUE_DB: db });
        assert.equal(unlock.code, 0, unlock.stderr);
        assert.match(unlock.stdout, /débloquée/);
        const reopened = await Store.open({ sqlitePath: db });
        assert.equal(await accountLockedUntil(reopened, USERS.analyst), undefined);
        const audit = await listAudit(reopened, { actor: 'ligne de commande' });
        assert.equal(audit[0]?.action, 'user.unlock');
        assert.equal(audit[0]?.targetId, USERS.analyst);
        await reopened.close();
      } finally { rmSync(dir, { recursive: true, force: true }); }
    } finally { await t.close(); }
  });

  storeTest('a lock ends by itself after its duration', async (store) => {
    const now = 1_800_000_000_000;
    const policy = { failures: 2, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
    assert.equal(await recordLoginFailure(store, 'a@ars.test', policy, now), undefined);
    assert.equal(await recordLoginFailure(store, 'a@ars.test', policy, now + 1000), now + 1000 + policy.lockMs);
    assert.equal(await accountLockedUntil(store, 'a@ars.test', now + 2000), now + 1000 + policy.lockMs);
    assert.equal(await accountLockedUntil(store, 'a@ars.test', now + 1000 + policy.lockMs), undefined);
    // after the lock the count starts from zero
    assert.equal(await recordLoginFailure(store, 'a@ars.test', policy, now + 2 * policy.lockMs), undefined);
  });
});

describe('read limit on public GET routes', () => {
  test('per address, 429 in the error shape with Retry-After; back-office GETs and other addresses are not affected', async () => {
    const t = await testServer({ readRateLimit: 3 });
    try {
      const codes: number[] = [];
      const urls = ['/api/consultations', '/api/consultations/essai', '/api/territories', '/api/consultations/essai/stats'];
      for (const url of urls) codes.push((await t.app.inject({ method: 'GET', url, remoteAddress: '192.0.2.100' })).statusCode);
      assert.deepEqual(codes, [200, 200, 200, 429]);
      const res = await t.app.inject({ method: 'GET', url: '/api/inexistant', remoteAddress: '192.0.2.100' });
      assert.equal(res.statusCode, 429, 'unknown API addresses count too');
      assertErrorShape(res.json(), 'rate_limited');
      assert.ok(Number(res.headers['retry-after']) > 0);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/consultations', remoteAddress: '192.0.2.101' })).statusCode, 200);
      // IPv6 addresses of one /64 network are one subscriber
      const v6: number[] = [];
      for (let i = 1; i <= 4; i++) v6.push((await t.app.inject({ method: 'GET', url: '/api/consultations', remoteAddress: `2001:db8:1:2::${i}` })).statusCode);
      assert.deepEqual(v6, [200, 200, 200, 429]);
      const analyst = await (await Client.create(t.app, '192.0.2.102')).login('analyst');
      for (let i = 0; i < 5; i++) assert.equal((await analyst.get('/api/admin/consultations')).statusCode, 200);
    } finally { await t.close(); }
  });

  test('reads fail open when the counter cannot be written; the form does not', async () => {
    const t = await testServer({ readRateLimit: 3 });
    try {
      const v = await Client.create(t.app, '192.0.2.110');
      await t.store.db.schema.dropTable('rate_limits').execute();
      for (let i = 0; i < 5; i++) assert.equal((await v.get('/api/consultations')).statusCode, 200);
      assert.equal((await v.post(FORM, { text: 'Contribution sans compteur' })).statusCode, 500);
    } finally { await t.close(); }
  });

  test('FABRIQUE_READ_RATE_LIMIT sets it (0 turns it off)', () => {
    assert.equal(withEnv({ FABRIQUE_READ_RATE_LIMIT: '1200' }, () => optionsFromEnv()).readRateLimit, 1200);
    assert.equal(withEnv({ FABRIQUE_READ_RATE_LIMIT: '0' }, () => optionsFromEnv()).readRateLimit, 0);
  });
});
