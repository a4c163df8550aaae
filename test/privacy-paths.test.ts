/**
 * Paths around the masks (issue 9, point 2, found in review): control characters hiding personal data
 * from the masks, a re-read of a document with a newer parser, a moderator's own text, and a login
 * in a browser that already had a session.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moderateContribution, privateTexts } from '../src/store/moderation.ts';
import { Store } from '../src/store/index.ts';
import { testConsultation, testDocument } from './helpers/fixtures.ts';
import { Client, testServer } from './helpers/server.ts';

test('a control character inside a phone number or an e-mail does not hide it from the masks', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const doc = testDocument([
      'Appelez le 06\u000112\u000134\u000156\u000178 pour le transport.',
      'Écrire à jeanne.fictive@exa\u0001mple.fr pour la maison de santé.',
    ]);
    await store.importParsed('essai', doc);
    const [phone, mail] = doc.contributions.map((c) => c.id);
    const stored = [await store.getContribution(phone!), await store.getContribution(mail!)];
    assert.doesNotMatch(stored[0]!.text, /06\s?12|0612345678/, stored[0]!.text);
    assert.doesNotMatch(stored[1]!.text, /fictive@|example\.fr/, stored[1]!.text);
    // the original is kept apart, cleaned the same way, and its masks point into it
    const original = (await privateTexts(store, [phone!])).get(phone!)!;
    assert.equal(original.original, 'Appelez le 0612345678 pour le transport.');
    for (const m of original.masked) assert.equal(original.original.slice(m.start, m.end), m.original);
  } finally {
    await store.close();
  }
});

test('a re-read by a newer parser keeps a decision only over the same text, with the moderator’s public text', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const texts = ['Madame Fictivière attend un rendez-vous depuis huit mois.', 'Un bus vers l’hôpital le mardi.'];
    const first = testDocument(texts);
    await store.importParsed('essai', first);
    const [named, bus] = first.contributions.map((c) => c.id) as [string, string];
    await moderateContribution(store, named, { status: 'published', by: 'moderatrice@ars.test', action: 'moderation.publish', text: 'Une patiente attend un rendez-vous depuis huit mois.' });
    await moderateContribution(store, bus, { status: 'published', by: 'moderatrice@ars.test', action: 'moderation.publish' });

    // same texts, newer parser: both stay published, the moderator's wording stays public
    await store.importParsed('essai', testDocument(texts, { parserVersion: '2.0.0' }));
    assert.equal((await store.getContribution(named))!.text, 'Une patiente attend un rendez-vous depuis huit mois.');
    assert.equal((await store.getContribution(named))!.moderation.status, 'published');
    assert.equal((await store.getContribution(bus))!.moderation.status, 'published');

    // the parser now reads another text under the same id: back to moderation
    await store.importParsed('essai', testDocument([texts[0]!, 'Un bus vers l’hôpital le mardi et le jeudi.'], { parserVersion: '3.0.0' }));
    assert.equal((await store.getContribution(bus))!.moderation.status, 'pending');
    assert.equal((await store.getContribution(named))!.moderation.status, 'published');
  } finally {
    await store.close();
  }
});

test('a moderator’s replacement text is masked too, and a new login ends the browser’s previous session', async () => {
  const t = await testServer();
  try {
    const citizen = await Client.create(t.app, '10.7.0.1');
    const sent = await citizen.post('/api/consultations/essai/contributions', { text: 'Il manque un médecin le soir à Espalion.' });
    assert.equal(sent.statusCode, 201, sent.body);
    const id = sent.json().id as string;
    const analyst = await (await Client.create(t.app, '10.7.0.2')).login('analyst');
    const res = await analyst.post(`/api/admin/contributions/${encodeURIComponent(id)}/moderation`,
      { action: 'publish', text: 'Il manque un médecin le soir, appelez le 06 12 34 56 78.' });
    assert.equal(res.statusCode, 200, res.body);
    assert.doesNotMatch((await t.store.getContribution(id))!.text, /06 12 34 56 78/);

    const oldSession = analyst.cookies.get('fabrique_session')!;
    await analyst.login('admin');
    const stale = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `fabrique_session=${oldSession}` } });
    assert.notEqual(stale.json()?.user?.email, 'analyste@ars.test', 'the analyst session of this browser is closed');
  } finally {
    await t.close();
  }
});
