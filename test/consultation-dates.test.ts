/**
 * A consultation past its last day is shown closed and refuses contributions (409 with the closing date),
 * unless an administrator reopens it until a new date (audited, period kept as published).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsContributions, closedMessage, effectiveStatus, frenchDay, parisDay } from '../src/domain/consultation.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { listAudit } from '../src/store/audit.ts';
import { context } from '../src/usecases/context.ts';
import { reopenConsultation } from '../src/usecases/consultations.ts';
import { submitContribution } from '../src/usecases/contributions.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';
import { runCli } from './helpers/cli.ts';

const themes = () => CNR_SANTE_THEMES.map((x) => ({ ...x, keywords: [...x.keywords] }));

test('règle : close après son dernier jour (heure de Paris), jusqu’à la date de réouverture', () => {
  const c = { status: 'open' as const, periodEnd: '2022-12-09' };
  // 9 December 23:30 in Paris is still the 9th; 23:30 UTC on the 9th is already the 10th in Paris
  assert.equal(effectiveStatus(c, new Date('2022-12-09T22:30:00Z')), 'open');
  assert.equal(effectiveStatus(c, new Date('2022-12-09T23:30:00Z')), 'closed');
  assert.equal(parisDay(new Date('2022-12-09T23:30:00Z')), '2022-12-10');
  assert.equal(effectiveStatus({ status: 'open' }, new Date('2100-01-01')), 'open', 'sans date de fin : ouverte');
  assert.equal(effectiveStatus({ status: 'draft', periodEnd: '2022-12-09' }, new Date('2026-12-01')), 'draft');
  const reopened = { ...c, reopenedUntil: '2027-01-31' };
  assert.ok(acceptsContributions(reopened, new Date('2026-12-01T12:00:00Z')));
  assert.ok(!acceptsContributions(reopened, new Date('2027-02-01T12:00:00Z')));
  assert.equal(closedMessage(c), 'Cette consultation est close depuis le 9 décembre 2022 : elle n’accepte plus de contributions.');
  assert.equal(frenchDay('2027-03-01'), '1er mars 2027');
});

describe('dates de consultation', () => {
  let t: TestServer;
  before(async () => {
    t = await testServer({ formRateLimit: 100 });
    await t.store.upsertConsultation({ slug: 'passee', title: 'Consultation passée', territory: '12', status: 'open', periodStart: '2022-10-03', periodEnd: '2022-12-09', themes: themes() });
  });
  after(() => t.close());

  test('montrée close sur la page publique et dans la liste, contributions refusées avec un message clair', async () => {
    const v = await Client.create(t.app, '10.40.0.1');
    const detail = (await v.get('/api/consultations/passee')).json();
    assert.equal(detail.status, 'closed');
    assert.equal(detail.acceptsContributions, false);
    assert.equal(detail.closedReason, 'Cette consultation est close depuis le 9 décembre 2022 : elle n’accepte plus de contributions.');
    assert.equal(detail.periodEnd, '2022-12-09');
    const list = (await v.get('/api/consultations')).json().items as { slug: string; status: string; acceptsContributions: boolean }[];
    assert.deepEqual(list.filter((c) => c.slug === 'passee').map((c) => [c.status, c.acceptsContributions]), [['closed', false]]);
    assert.deepEqual(list.filter((c) => c.slug === 'essai').map((c) => [c.status, c.acceptsContributions]), [['open', true]]);
    const before = await t.store.countContributions('passee');
    const res = await v.post('/api/consultations/passee/contributions', { text: 'Une contribution arrivée trop tard pour être prise en compte.' });
    assert.equal(res.statusCode, 409, res.body);
    assert.match(res.json().error.message, /close depuis le 9 décembre 2022/);
    assert.equal(await t.store.countContributions('passee'), before);
  });

  test('seul un administrateur la rouvre, jusqu’à une date à venir ; inscrit au journal ; la période reste', async () => {
    const analyst = await (await Client.create(t.app, '10.40.0.2')).login('analyst');
    let res = await analyst.post('/api/admin/consultations/passee/reopen', { until: '2099-01-31' });
    assert.equal(res.statusCode, 403);
    // nor by moving its end date, or setting it open again: that is reopening too
    res = await analyst.put('/api/admin/consultations/passee', { periodEnd: '2099-01-31' });
    assert.equal(res.statusCode, 403, res.body);
    assert.match(res.json().error.message, /seul un administrateur peut la rouvrir/);
    res = await analyst.put('/api/admin/consultations/passee', { description: 'Une consultation de l’automne 2022.' });
    assert.equal(res.statusCode, 200, 'ses autres champs restent modifiables');
    assert.equal(res.json().status, 'closed');
    const admin = await (await Client.create(t.app, '10.40.0.3')).login('admin');
    res = await admin.post('/api/admin/consultations/passee/reopen', { until: '2020-01-31' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /déjà passée/);
    res = await admin.post('/api/admin/consultations/essai/reopen', { until: '2099-01-31' });
    assert.equal(res.statusCode, 409, 'une consultation ouverte ne se rouvre pas');
    res = await admin.post('/api/admin/consultations/passee/reopen', { until: '2099-01-31' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'open');
    assert.equal(res.json().reopenedUntil, '2099-01-31');
    assert.equal(res.json().periodEnd, '2022-12-09', 'la période publiée reste celle d’origine');
    const audit = (await listAudit(t.store, { consultation: 'passee' })).find((a) => a.action === 'consultation.reopen');
    assert.equal(audit?.actor, 'admin@ars.test');
    assert.deepEqual(audit?.after, { status: 'open', reopenedUntil: '2099-01-31' });
    const v = await Client.create(t.app, '10.40.0.4');
    res = await v.post('/api/consultations/passee/contributions', { text: 'Une contribution reçue après la réouverture de la consultation.' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'pending');
  });
});

storeTest('réouverture enregistrée et relue sur chaque base', async (store) => {
  await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement' });
  await store.upsertConsultation({ slug: 'close', title: 'Close', territory: '12', status: 'open', periodEnd: '2022-12-09', themes: themes() });
  const now = () => new Date('2026-12-01T10:00:00Z');
  const visitor = context(store, { name: 'visiteur', role: 'visitor' }, now);
  await assert.rejects(submitContribution(visitor, { consultation: 'close', text: 'Trop tard pour cette consultation.' }), /close depuis le 9 décembre 2022/);
  await assert.rejects(reopenConsultation(context(store, { name: 'a@ars.test', role: 'analyst' }, now), { slug: 'close', until: '2026-12-31' }), /administrateur/);
  await reopenConsultation(context(store, { name: 'admin@ars.test', role: 'admin' }, now), { slug: 'close', until: '2026-12-31' });
  assert.equal((await store.getConsultation('close'))?.reopenedUntil, '2026-12-31');
  assert.equal((await submitContribution(visitor, { consultation: 'close', text: 'Reçue pendant la réouverture.' })).status, 'pending');
  // a later update of its other fields keeps the reopening
  await store.upsertConsultation({ slug: 'close', title: 'Close (renommée)', territory: '12', status: 'open', periodEnd: '2022-12-09', themes: themes() });
  assert.equal((await store.getConsultation('close'))?.reopenedUntil, '2026-12-31');
  const late = context(store, { name: 'visiteur', role: 'visitor' }, () => new Date('2027-01-01T10:00:00Z'));
  await assert.rejects(submitContribution(late, { consultation: 'close', text: 'Après la réouverture.' }), /close depuis le 31 décembre 2026/);
});

test('fabrique consultation reopen : la même réouverture, en ligne de commande ; list montre l’état vu du public', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-dates-'));
  const env = { FABRIQUE_DB: join(dir, 'f.sqlite') };
  try {
    let out = await runCli(['consultation', 'create', '--slug', 'hiver', '--title', 'Consultation de l’hiver', '--territory', '12', '--status', 'open', '--start', '2023-01-09', '--end', '2023-03-31'], env);
    assert.equal(out.code, 0, out.stderr);
    out = await runCli(['consultation', 'list'], env);
    assert.match(out.stdout, /hiver .*closed/);
    out = await runCli(['consultation', 'reopen', '--slug', 'hiver', '--until', '2099-06-30'], env);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /rouverte aux contributions jusqu’au 30 juin 2099 inclus/);
    out = await runCli(['consultation', 'reopen', '--slug', 'hiver', '--until', '2099-07-31'], env);
    assert.equal(out.code, 4, 'déjà ouverte : conflit');
    assert.match(out.stderr, /déjà ouverte/);
    out = await runCli(['consultation', 'list'], env);
    assert.match(out.stdout, /hiver .*open/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
