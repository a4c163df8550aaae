/**
 * Issue 16, point 5: « signaler un contenu » and the news subscriptions. Reports: published contributions only, the
 * honeypot, the moderators' list (most reported first, reasons counted, visitors' words never public), keep or
 * unpublish (audited), erased with their contribution. Subscriptions: double opt-in through a real SMTP peer
 * (smtp-server on 127.0.0.1:0): a message goes out with the sending settings and nothing without them; one-time
 * links stored as hashes, single-use and expiring; restitution published → one message per subscriber;
 * unsubscribing or erasure deletes the address; no address in the audit log.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { mailSettingsFromEnv, maskEmail, maskEmailsIn, renderMessage, type MailSettings } from '../src/domain/engagement.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { startMailSender } from '../src/jobs/mail-sender.ts';
import type { Store } from '../src/store/index.ts';
import { context, VISITOR, type Actor } from '../src/usecases/context.ts';
import { updateConsultation } from '../src/usecases/consultations.ts';
import { deleteContribution } from '../src/usecases/deletion.ts';
import { confirmSubscription, purgeSubscriptions, reportContribution, reportQueue, requestSubscription } from '../src/usecases/engagement.ts';
import { importFiles } from '../src/usecases/imports.ts';
import { editSynthesisEditorial, generateSynthesis, publishSynthesis, synthesisDraft } from '../src/usecases/syntheses.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const ANALYST: Actor = { name: 'analyste@test.invalid', role: 'analyst' };
const DETAILS = 'Le texte cite le prénom de ma voisine, zorglubette, merci de le retirer';

const csv = () => [
  'Texte;Thème;Nature',
  'Il faudrait une navette vers l’hôpital le dimanche pour les personnes sans voiture;1;Proposition',
  'Les délais pour obtenir un rendez-vous chez l’ophtalmologiste dépassent six mois;1;Constat',
  'Ouvrir une maison de santé dans le bourg avec des horaires du soir;1;Proposition',
].join('\r\n') + '\r\n';

async function seed(store: Store): Promise<string[]> {
  await importFiles(context(store, ANALYST), { consultation: 'essai', files: [{ name: 'avis.csv', bytes: Buffer.from(csv()) }], publishBy: ANALYST.name });
  const rows = await store.db.selectFrom('contributions').select('id').where('consultation', '=', 'essai').orderBy('seq').execute();
  return rows.map((r) => r.id);
}

async function allText(store: Store, tables: string[]): Promise<string> {
  let out = '';
  for (const t of tables) out += JSON.stringify(await (store.db as any).selectFrom(t).selectAll().execute());
  return out;
}

describe('signaler un contenu', () => {
  let t: TestServer;
  let ids: string[];
  let visitor: Client;
  let analyst: Client;
  before(async () => {
    t = await testServer();
    ids = await seed(t.store);
    visitor = await Client.create(t.app, '192.0.2.90');
    analyst = await (await Client.create(t.app, '192.0.2.91')).login('analyst');
  });
  after(() => t.close());

  test('a visitor reports a published contribution; the moderators see it first with reasons and counts, the public never sees the words', async () => {
    const [a, b] = ids as [string, string];
    let res = await visitor.post(`/api/contributions/${a}/reports`, { reason: 'personal-data', details: DETAILS });
    assert.equal(res.statusCode, 201, res.body);
    res = await visitor.post(`/api/contributions/${a}/reports`, { reason: 'abusive' });
    assert.equal(res.statusCode, 201, res.body);
    res = await visitor.post(`/api/contributions/${b}/reports`, { reason: 'spam' });
    assert.equal(res.statusCode, 201, res.body);
    // a reason outside the list, an unknown contribution: refused with a French message
    res = await visitor.post(`/api/contributions/${a}/reports`, { reason: 'je-ne-sais-pas' });
    assert.equal(res.statusCode, 400);
    res = await visitor.post('/api/contributions/inconnue/reports', { reason: 'spam' });
    assert.equal(res.statusCode, 404);
    assert.match(res.json().error.message, /introuvable/);
    // the robot trap: answered the same, nothing kept
    const n = (await t.store.db.selectFrom('content_reports').selectAll().execute()).length;
    res = await visitor.post(`/api/contributions/${a}/reports`, { reason: 'spam', website: 'https://robot.example' });
    assert.equal(res.statusCode, 201);
    assert.equal((await t.store.db.selectFrom('content_reports').selectAll().execute()).length, n);

    res = await analyst.get('/api/admin/consultations/essai/reports');
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items;
    assert.deepEqual(items.map((i: any) => [i.contribution.id, i.count]), [[a, 2], [b, 1]], 'most reported first');
    assert.deepEqual(items[0].reasons, [{ reason: 'personal-data', count: 1 }, { reason: 'abusive', count: 1 }]);
    assert.equal(items[0].details[0].text, DETAILS);
    // facilitators and visitors do not reach it
    const facilitator = await (await Client.create(t.app, '192.0.2.92')).login('facilitator');
    assert.equal((await facilitator.get('/api/admin/consultations/essai/reports')).statusCode, 403);
    assert.equal((await visitor.get('/api/admin/consultations/essai/reports')).statusCode, 401);
    // never public: not in the public list, nor in the audit log
    const pub = await visitor.get('/api/consultations/essai/contributions');
    assert.equal(pub.statusCode, 200);
    assert.ok(!pub.body.includes('zorglubette'));
    const audit = await allText(t.store, ['audit_log']);
    assert.ok(audit.includes('report.create'));
    assert.ok(!audit.includes('zorglubette'), 'the visitor’s words stay out of the audit log');
  });

  test('keep dismisses the reports; unpublish rejects with the moderation action (reason required); both audited', async () => {
    const [a, b] = ids as [string, string];
    let res = await analyst.post(`/api/admin/consultations/essai/reports/${a}`, { decision: 'keep' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().settled, 2);
    assert.equal((await t.store.getContribution(a))?.moderation.status, 'published');
    res = await analyst.post(`/api/admin/consultations/essai/reports/${a}`, { decision: 'keep' });
    assert.equal(res.statusCode, 409, 'nothing left to settle');
    res = await analyst.post(`/api/admin/consultations/essai/reports/${b}`, { decision: 'unpublish' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /motif/);
    res = await analyst.post(`/api/admin/consultations/essai/reports/${b}`, { decision: 'unpublish', reason: 'Spam' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await t.store.getContribution(b))?.moderation.status, 'rejected');
    assert.deepEqual((await analyst.get('/api/admin/consultations/essai/reports')).json().items, []);
    const actions = (await t.store.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
    for (const a_ of ['report.dismiss', 'report.unpublish', 'moderation.reject']) assert.ok(actions.includes(a_), a_);
    // an unpublished contribution cannot be reported any more
    res = await visitor.post(`/api/contributions/${b}/reports`, { reason: 'spam' });
    assert.equal(res.statusCode, 404);
  });

  test('reports go with their contribution when it is erased', async () => {
    const c = ids[2]!;
    assert.equal((await visitor.post(`/api/contributions/${c}/reports`, { reason: 'other', details: DETAILS })).statusCode, 201);
    const admin = await (await Client.create(t.app, '192.0.2.93')).login('admin');
    const res = await admin.post(`/api/admin/contributions/${c}/erase`, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await t.store.db.selectFrom('content_reports').selectAll().where('contribution_id', '=', c).execute()).length, 0);
    assert.ok(!(await allText(t.store, ['content_reports', 'audit_log'])).includes('zorglubette'));
  });
});

/** A real SMTP peer on 127.0.0.1:0 keeping what it receives. */
async function smtpPeer(): Promise<{ port: number; messages: { to: string[]; raw: string }[]; close: () => Promise<void> }> {
  const messages: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => { messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') }); cb(); });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The decoded text of every part of a MIME message (quoted-printable or base64). */
function decoded(raw: string): string {
  const out: string[] = [];
  for (const part of raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
    const [head = '', ...rest] = part.split(/\r?\n\r?\n/);
    const body = rest.join('\n\n');
    if (/content-transfer-encoding:\s*base64/i.test(head)) out.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    else if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
      out.push(Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
    } else out.push(body);
  }
  return out.join('\n');
}

const tokenOf = (text: string, page: 'confirmer' | 'desabonner') => new RegExp(`/abonnement/${page}\\?jeton=([A-Za-z0-9_-]+)`).exec(text)?.[1];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('abonnement aux nouvelles d’une consultation', () => {
  let t: TestServer;
  let smtp: Awaited<ReturnType<typeof smtpPeer>>;
  let settings: MailSettings;
  const EMAIL = 'Camille.Essai@exemple.fr';
  before(async () => {
    smtp = await smtpPeer();
    settings = { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'ARS de test <ne-pas-repondre@ars.test>', publicUrl: 'https://concertation.exemple.fr' };
    t = await testServer({ mail: settings });
    await seed(t.store);
  });
  after(async () => { await t.close(); await smtp.close(); });

  test('without the sending settings nothing is ever sent: the message waits in the outbox', async () => {
    const plain = await testServer();
    try {
      const v = await Client.create(plain.app, '192.0.2.100');
      const res = await v.post('/api/consultations/essai/subscriptions', { email: 'sans.envoi@exemple.fr' });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json().sending, false);
      const sender = startMailSender(plain.store, null, { intervalMs: 3_600_000 });
      await sender.runNow();
      await sender.stop();
      assert.equal(smtp.messages.length, 0, 'no message reached the SMTP peer');
      const box = await (await (await Client.create(plain.app, '192.0.2.101')).login('admin')).get('/api/admin/outbox');
      assert.equal(box.statusCode, 200, box.body);
      assert.equal(box.json().sending, false);
      assert.deepEqual(box.json().items.map((i: any) => [i.kind, i.status, i.to]), [['confirmation', 'pending', 's•••@exemple.fr']]);
      assert.equal((await plain.store.db.selectFrom('mail_tokens').selectAll().execute()).length, 0, 'no link made for a message not sent');
    } finally { await plain.close(); }
  });

  test('double opt-in by SMTP: confirmation with one-time links stored as hashes, single use; restitution news; unsubscribe erases', async () => {
    const v = await Client.create(t.app, '192.0.2.102');
    let res = await v.post('/api/consultations/essai/subscriptions', { email: 'pas une adresse' });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /adresse électronique/);
    res = await v.post('/api/consultations/essai/subscriptions', { email: EMAIL });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().sending, true);
    // a second request answers the same and queues no second confirmation while one waits
    assert.equal((await v.post('/api/consultations/essai/subscriptions', { email: EMAIL.toLowerCase() })).statusCode, 202);
    assert.equal((await t.store.db.selectFrom('mail_outbox').selectAll().execute()).length, 1);

    const sender = startMailSender(t.store, settings, { intervalMs: 3_600_000 });
    try {
      assert.deepEqual(await sender.runNow(), { sent: 1, failed: 0 });
      assert.equal(smtp.messages.length, 1);
      const m = smtp.messages[0]!;
      assert.deepEqual(m.to, [EMAIL]);
      assert.match(m.raw, /^List-Unsubscribe:\s+<https:\/\/concertation\.exemple\.fr\/abonnement\/desabonner\?jeton=/m);
      const body = decoded(m.raw);
      assert.match(body, /Pour confirmer, ouvrez le lien/);
      assert.match(body, /text\/html|<a href=/);
      const confirm = tokenOf(body, 'confirmer');
      const unsub = tokenOf(body, 'desabonner');
      assert.ok(confirm && unsub, 'both links in the message');
      // only hashes at rest
      const stored = await allText(t.store, ['mail_tokens', 'mail_outbox', 'mail_subscriptions', 'audit_log']);
      assert.ok(!stored.includes(confirm!) && !stored.includes(unsub!), 'no raw token stored');
      assert.ok(stored.includes(sha(confirm!)));
      // no address in the audit log (masked)
      const audit = await allText(t.store, ['audit_log']);
      assert.ok(!audit.toLowerCase().includes(EMAIL.toLowerCase()));
      assert.ok(audit.includes(maskEmail(EMAIL)));

      res = await v.post('/api/subscriptions/confirm', { token: confirm });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().consultation.slug, 'essai');
      res = await v.post('/api/subscriptions/confirm', { token: confirm });
      assert.equal(res.statusCode, 404, 'a confirmation link works once');
      assert.equal((await t.store.db.selectFrom('mail_subscriptions').select('status').executeTakeFirstOrThrow()).status, 'active');

      // publishing the restitution tells the subscriber, with a fresh unsubscribe link
      const ctx = context(t.store, ANALYST);
      await generateSynthesis(ctx, { consultation: 'essai' });
      const draft = await synthesisDraft(ctx, { consultation: 'essai' });
      const keys = draft.problems.filter((p) => p.code === 'placeholder').map((p) => (p as { path?: string }).path).filter((k): k is string => !!k);
      if (keys.length) await editSynthesisEditorial(ctx, { consultation: 'essai', texts: Object.fromEntries(keys.map((k) => [k, `Texte de test (${k}).`])) });
      await publishSynthesis(ctx, { consultation: 'essai' });
      assert.deepEqual(await sender.runNow(), { sent: 1, failed: 0 });
      const news = decoded(smtp.messages[1]!.raw);
      assert.match(news, /La restitution de la consultation « Consultation d’essai » est publiée/);
      assert.match(news, /https:\/\/concertation\.exemple\.fr\/consultations\/essai\/restitution/);
      const unsub2 = tokenOf(news, 'desabonner');
      assert.ok(unsub2 && unsub2 !== unsub);

      // the back office's outbox: each message's state, the address masked
      const admin = await (await Client.create(t.app, '192.0.2.103')).login('admin');
      const box = (await admin.get('/api/admin/outbox')).json();
      assert.equal(box.sending, true);
      assert.deepEqual(box.items.map((i: any) => [i.kind, i.status]).sort(), [['confirmation', 'sent'], ['restitution', 'sent']]);
      assert.ok(!JSON.stringify(box).toLowerCase().includes(EMAIL.toLowerCase()));
      assert.deepEqual(box.subscribers, { pending: 0, active: 1 });

      res = await v.post('/api/subscriptions/unsubscribe', { token: unsub2 });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await t.store.db.selectFrom('mail_subscriptions').selectAll().execute()).length, 0, 'the address is deleted');
      assert.equal((await t.store.db.selectFrom('mail_outbox').selectAll().execute()).length, 0, 'with its messages');
      assert.equal((await v.post('/api/subscriptions/unsubscribe', { token: unsub })).statusCode, 404);
      assert.ok(!(await allText(t.store, ['mail_subscriptions', 'mail_tokens', 'mail_outbox', 'audit_log'])).toLowerCase().includes(EMAIL.toLowerCase()));
    } finally { await sender.stop(); }
  });

  test('a confirmation link expires; an address never confirmed is deleted after a week; an administrator erases an address', async () => {
    const start = new Date('2030-01-01T08:00:00Z');
    await requestSubscription(context(t.store, VISITOR, () => start), { consultation: 'essai', email: 'lente@exemple.fr' });
    const before = smtp.messages.length;
    const sender = startMailSender(t.store, settings, { intervalMs: 3_600_000, now: () => start });
    await sender.runNow();
    await sender.stop();
    const confirm = tokenOf(decoded(smtp.messages[before]!.raw), 'confirmer')!;
    const late = new Date(start.getTime() + 73 * 3_600_000);
    await assert.rejects(confirmSubscription(context(t.store, VISITOR, () => late), { token: confirm }), (e: Error) => /expiré/.test(e.message));
    // spent even when expired
    await assert.rejects(confirmSubscription(context(t.store, VISITOR, () => start), { token: confirm }), (e: Error) => /plus valable/.test(e.message));
    const purged = await purgeSubscriptions(context(t.store, VISITOR, () => new Date(start.getTime() + 8 * 86_400_000)));
    assert.equal(purged.subscriptions, 1);

    const v = await Client.create(t.app, '192.0.2.104');
    assert.equal((await v.post('/api/consultations/essai/subscriptions', { email: 'Effacer.Moi@exemple.fr' })).statusCode, 202);
    const admin = await (await Client.create(t.app, '192.0.2.105')).login('admin');
    const analyst = await (await Client.create(t.app, '192.0.2.106')).login('analyst');
    assert.equal((await analyst.get('/api/admin/outbox')).statusCode, 403, 'administrators only');
    const res = await admin.post('/api/admin/subscribers/erase', { email: 'effacer.moi@EXEMPLE.fr' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().erased, 1);
    assert.ok(!(await allText(t.store, ['mail_subscriptions', 'mail_outbox', 'audit_log'])).toLowerCase().includes('effacer.moi@exemple.fr'));
  });

  test('deleting a consultation deletes its subscribers', async () => {
    const s = t.store;
    await s.upsertConsultation({ slug: 'ephemere', title: 'Éphémère', territory: '12', status: 'open', periodStart: '2026-01-01', periodEnd: '2099-12-31', themes: CNR_SANTE_THEMES.map((x) => ({ ...x, keywords: [...x.keywords] })) });
    await requestSubscription(context(s, VISITOR), { consultation: 'ephemere', email: 'partira@exemple.fr' });
    const admin = await (await Client.create(t.app, '192.0.2.107')).login('admin');
    const res = await admin.request({ method: 'DELETE', url: '/api/admin/consultations/ephemere' });
    assert.ok(res.statusCode === 200, res.body);
    assert.equal((await s.db.selectFrom('mail_subscriptions').selectAll().where('consultation', '=', 'ephemere').execute()).length, 0);
  });
});

describe('réglages d’envoi et messages', () => {
  test('the settings are all or nothing, validated with the variable named, the password never echoed', () => {
    assert.equal(mailSettingsFromEnv({}), null);
    assert.throws(() => mailSettingsFromEnv({ FABRIQUE_MAIL_FROM: 'a@b.fr' }), /FABRIQUE_MAIL_FROM/);
    assert.throws(() => mailSettingsFromEnv({ FABRIQUE_SMTP_URL: 'http://relais:25', FABRIQUE_MAIL_FROM: 'a@b.fr', FABRIQUE_PUBLIC_URL: 'https://x.fr' }), /FABRIQUE_SMTP_URL/);
    assert.throws(() => mailSettingsFromEnv({ FABRIQUE_SMTP_URL: 'smtp://u:secret-42@relais:587' }), (e: Error) => /FABRIQUE_MAIL_FROM/.test(e.message) && !e.message.includes('secret-42'));
    assert.throws(() => mailSettingsFromEnv({ FABRIQUE_SMTP_URL: 'smtp://relais:587', FABRIQUE_MAIL_FROM: 'ARS <a@b.fr>' }), /FABRIQUE_PUBLIC_URL/);
    assert.deepEqual(mailSettingsFromEnv({ FABRIQUE_SMTP_URL: 'smtp://relais:587', FABRIQUE_MAIL_FROM: 'ARS <a@b.fr>', FABRIQUE_PUBLIC_URL: 'https://x.fr/' }),
      { smtpUrl: 'smtp://relais:587', from: 'ARS <a@b.fr>', publicUrl: 'https://x.fr' });
  });

  test('messages in French, text and HTML, each with the unsubscribe link; addresses masked in errors', () => {
    for (const kind of ['confirmation', 'restitution', 'opened', 'closed'] as const) {
      const m = renderMessage({ kind, consultation: { slug: 'essai', title: 'Santé <Aveyron>' }, publicUrl: 'https://x.fr', unsubscribeToken: 'jeton-de-test-desabonnement', confirmToken: 'jeton-de-test-confirmation' });
      assert.ok(m.text.includes('https://x.fr/abonnement/desabonner?jeton=jeton-de-test-desabonnement'), kind);
      assert.ok(m.html.includes('Se désabonner') && m.html.includes('Santé &lt;Aveyron&gt;'), kind);
    }
    assert.equal(maskEmailsIn('550 5.1.1 <camille.essai@exemple.fr>: Recipient address rejected'), '550 5.1.1 <c•••@exemple.fr>: Recipient address rejected');
  });
});

describe('les mêmes règles sur chaque base', () => {
  let smtp: Awaited<ReturnType<typeof smtpPeer>>;
  before(async () => { smtp = await smtpPeer(); });
  after(() => smtp.close());

  storeTest('reports, subscriptions, outbox, links and purge', async (store) => {
    await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement' });
    await store.upsertConsultation({ slug: 'essai', title: 'Consultation d’essai', territory: '12', status: 'open', periodStart: '2026-01-01', periodEnd: '2099-12-31', themes: CNR_SANTE_THEMES.map((x) => ({ ...x, keywords: [...x.keywords] })) });
    const [id] = await seed(store);
    const visitor = context(store, VISITOR);
    await reportContribution(visitor, { id: id!, reason: 'abusive', details: DETAILS });
    await reportContribution(visitor, { id: id!, reason: 'abusive' });
    const queue = await reportQueue(context(store, ANALYST), { consultation: 'essai' });
    assert.deepEqual(queue.map((q) => [q.contributionId, q.count, q.reasons]), [[id, 2, { abusive: 2 }]]);

    await requestSubscription(visitor, { consultation: 'essai', email: 'base@exemple.fr' });
    const settings = { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'ne-pas-repondre@ars.test', publicUrl: 'https://x.fr' };
    const sender = startMailSender(store, settings, { intervalMs: 3_600_000 });
    try {
      const before_ = smtp.messages.length;
      assert.deepEqual(await sender.runNow(), { sent: 1, failed: 0 });
      const confirm = tokenOf(decoded(smtp.messages[before_]!.raw), 'confirmer')!;
      await confirmSubscription(visitor, { token: confirm });
      // closing the consultation by hand tells the subscriber
      await updateConsultation(context(store, { name: 'admin@ars.test', role: 'admin' }), { slug: 'essai', status: 'closed' });
      assert.deepEqual(await sender.runNow(), { sent: 1, failed: 0 });
      assert.match(decoded(smtp.messages[before_ + 1]!.raw), /ne reçoit plus de contributions/);
    } finally { await sender.stop(); }
    await deleteContribution(context(store, { name: 'admin@ars.test', role: 'admin' }), { id: id!, mode: 'erase' });
    assert.equal((await store.db.selectFrom('content_reports').selectAll().execute()).length, 0);
    const purged = await purgeSubscriptions(context(store, VISITOR, () => new Date(Date.now() + 400 * 86_400_000)));
    assert.equal(purged.messages, 2);
  });
});
