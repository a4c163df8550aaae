/**
 * Workshop reports typed in the back office: drafts, reopening, one report per meeting (a resubmission updates
 * it, never duplicates), empty reports refused, total-vs-sum anomalies as the importer flags them, entries
 * pending moderation. Through the API (a facilitator, as the web app does) and through the use case.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublic } from '../src/domain/contribution.ts';
import { emptyParticipants } from '../src/domain/meeting.ts';
import { listAudit } from '../src/store/audit.ts';
import { getMeetingReport } from '../src/store/meeting-reports.ts';
import { context } from '../src/usecases/context.ts';
import { addMeeting } from '../src/usecases/consultations.ts';
import { moderateContribution } from '../src/usecases/contributions.ts';
import { getWorkshopReport, recordWorkshopReport } from '../src/usecases/reports.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const enc = encodeURIComponent;
const participants = { elus: 3, institutionnels: 2, professionnels: 10, associations: 4, usagers: 9, autres: null, total: 28 };

describe('comptes-rendus d’ateliers saisis', () => {
  let t: TestServer;
  let f: Client;
  before(async () => {
    t = await testServer();
    f = await (await Client.create(t.app, '10.30.0.1')).login('facilitator');
  });
  after(() => t.close());

  async function newMeeting(title: string): Promise<string> {
    const res = await f.post('/api/admin/consultations/essai/meetings', { title, date: '2026-02-12' });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  }
  const reportOf = (id: string) => f.get(`/api/admin/meetings/${enc(id)}/report`);
  const save = (id: string, body: object) => f.post(`/api/admin/meetings/${enc(id)}/report`, body);
  async function meetingContributions(id: string) {
    const all = [];
    for await (const c of t.store.iterateContributions('essai')) if (c.meeting === id) all.push(c);
    return all;
  }

  test('un brouillon s’enregistre sans rien soumettre, se rouvre et se modifie', async () => {
    const id = await newMeeting('Atelier de Millau');
    let res = await reportOf(id);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'none');
    const before = await t.store.countContributions('essai');
    res = await save(id, { participants, draft: true, themes: [{ theme: '1', problematiques: ['Pas de pédiatre à moins d’une heure'], solutions: [''] }] });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'draft');
    assert.equal(res.json().added, 0);
    assert.equal(await t.store.countContributions('essai'), before, 'un brouillon ne crée aucune contribution');
    const meeting = (await f.get('/api/admin/consultations/essai')).json().meetings.find((m: { id: string }) => m.id === id);
    assert.equal(meeting.participants.total, null, 'un brouillon ne change pas la réunion');
    // reopened: the draft as typed, empty rows left out
    res = await reportOf(id);
    assert.equal(res.json().status, 'draft');
    assert.deepEqual(res.json().participants, participants);
    assert.deepEqual(res.json().themes, [{ theme: '1', problematiques: ['Pas de pédiatre à moins d’une heure'], solutions: [], leviers: [] }]);
    // edited and saved again: still one report, the new draft replaces the old one
    res = await save(id, { participants, draft: true, themes: [{ theme: '1', problematiques: ['Pas de pédiatre à moins d’une heure'], solutions: ['Une téléconsultation au cabinet infirmier'] }] });
    assert.equal(res.statusCode, 201);
    const stored = await getMeetingReport(t.store, id);
    assert.equal(stored?.draft?.[0]?.solutions[0], 'Une téléconsultation au cabinet infirmier');
    const audit = await listAudit(t.store, { consultation: 'essai' });
    const drafts = audit.filter((a) => a.action === 'meeting.report.draft' && a.targetId === id);
    assert.equal(drafts.length, 2);
    assert.ok(!JSON.stringify(drafts).includes('pédiatre'), 'le journal ne garde pas les textes');
  });

  test('soumis puis resoumis : mis à jour sans doublon, les entrées inchangées gardent leur modération', async () => {
    const id = await newMeeting('Atelier de Rodez');
    const themes = [{ theme: '1', problematiques: ['Délais de rendez-vous de plusieurs mois'], solutions: ['Ouvrir une maison de santé, contact Mme Durand'] }];
    let res = await save(id, { participants, themes });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'submitted');
    assert.equal(res.json().added, 2);
    const first = res.json().ids as string[];
    let stored = await meetingContributions(id);
    assert.equal(stored.length, 2);
    for (const c of stored) assert.equal(c.moderation.status, 'pending', 'en attente de modération comme tout canal');
    assert.ok(!stored.some(isPublic));
    // the same report again: nothing added, nothing duplicated
    res = await save(id, { participants, themes });
    assert.equal(res.statusCode, 201);
    assert.deepEqual([res.json().added, res.json().kept, res.json().removed], [0, 2, 0]);
    assert.deepEqual(res.json().ids, first);
    assert.equal((await meetingContributions(id)).length, 2);
    // an analyst publishes the first entry; reopened, the report shows the public (pseudonymised) texts
    const analyst = context(t.store, { name: 'analyste@ars.test', role: 'analyst' });
    await moderateContribution(analyst, { id: first[0]!, action: 'publish' });
    res = await reportOf(id);
    assert.equal(res.json().status, 'submitted');
    const reopened = res.json().themes as { theme: string; problematiques: string[]; solutions: string[] }[];
    assert.deepEqual(reopened[0]!.problematiques, ['Délais de rendez-vous de plusieurs mois']);
    assert.match(reopened[0]!.solutions[0]!, /Mme \[nom\]/, 'le texte rouvert est celui, pseudonymisé, des contributions');
    // resubmitted as reopened (masked text), with one entry edited and one added
    res = await save(id, {
      participants,
      themes: [{ theme: '1', problematiques: reopened[0]!.problematiques, solutions: reopened[0]!.solutions, leviers: ['Le soutien de la communauté de communes'] }],
    });
    assert.deepEqual([res.json().added, res.json().kept, res.json().removed], [1, 2, 0]);
    stored = await meetingContributions(id);
    assert.equal(stored.length, 3);
    assert.equal(stored.find((c) => c.id === first[0])?.moderation.status, 'published', 'la décision de modération reste');
    // an entry edited is withdrawn and its new text awaits moderation
    res = await save(id, { participants, themes: [{ theme: '1', problematiques: ['Délais de rendez-vous de six mois et plus'], solutions: reopened[0]!.solutions, leviers: ['Le soutien de la communauté de communes'] }] });
    assert.deepEqual([res.json().added, res.json().kept, res.json().removed], [1, 2, 1]);
    stored = await meetingContributions(id);
    assert.equal(stored.length, 3);
    assert.equal(stored.find((c) => c.id === first[0]), undefined);
    assert.equal(stored.find((c) => c.text.startsWith('Délais de rendez-vous de six mois'))?.moderation.status, 'pending');
    const audit = await listAudit(t.store, { consultation: 'essai', limit: 500 });
    const removal = audit.find((a) => a.action === 'contribution.report.remove' && a.targetId === first[0]);
    assert.ok(removal, 'le retrait est inscrit au journal');
    assert.ok(!JSON.stringify(removal).includes('Délais'), 'sans le texte');
  });

  test('un compte-rendu vide est refusé avec un message clair, rien n’est écrit', async () => {
    const id = await newMeeting('Atelier de Villefranche');
    const before = await t.store.tableCounts();
    const res = await save(id, { participants, themes: [{ theme: '1', problematiques: ['   ', ''], solutions: [] }] });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /Compte-rendu vide : saisissez au moins une problématique/);
    assert.deepEqual(await t.store.tableCounts(), before);
    // a draft may be empty (participants only)
    assert.equal((await save(id, { participants, draft: true, themes: [] })).statusCode, 201);
  });

  test('un total différent de la somme des collèges est gardé et signalé comme l’importeur le signale', async () => {
    const id = await newMeeting('Atelier d’Espalion');
    const res = await save(id, { participants: { ...participants, total: 31 }, themes: [{ theme: '2', problematiques: ['Les urgences sont à 45 minutes'] }] });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().anomalies, [{
      level: 'warning', code: 'participants.total_mismatch',
      message: 'Total des participants indiqué (31) différent de la somme des collèges (28) pour « Atelier d’Espalion ».',
    }]);
    assert.equal((await reportOf(id)).json().anomalies[0].code, 'participants.total_mismatch', 'enregistrée avec le compte-rendu');
    const audit = await listAudit(t.store, { consultation: 'essai' });
    const entry = audit.find((a) => a.action === 'meeting.report' && a.targetId === id);
    assert.deepEqual((entry?.after as { report: { anomalies: string[] } }).report.anomalies, ['participants.total_mismatch']);
    const meeting = (await f.get('/api/admin/consultations/essai')).json().meetings.find((m: { id: string }) => m.id === id);
    assert.equal(meeting.participants.total, 31, 'le total reste tel qu’indiqué');
  });

  test('« publish » n’existe plus : les entrées entrent en modération, même saisies par un analyste', async () => {
    const id = await newMeeting('Atelier de Decazeville');
    const a = await (await Client.create(t.app, '10.30.0.2')).login('analyst');
    const res = await a.post(`/api/admin/meetings/${enc(id)}/report`, { participants, publish: true, themes: [{ theme: '1', problematiques: ['Un cabinet infirmier de plus'] }] });
    assert.equal(res.statusCode, 201, res.body);
    const [c] = await meetingContributions(id);
    assert.equal(c?.moderation.status, 'pending');
  });

  test('le cas d’utilisation : un compte-rendu par réunion, thème inconnu refusé', async () => {
    const ctx = context(t.store, { name: 'animation@ars.test', role: 'facilitator' });
    const m = await addMeeting(ctx, { consultation: 'essai', title: 'Atelier de Saint-Affrique' });
    await assert.rejects(recordWorkshopReport(ctx, { meeting: m.id, participants, themes: [{ theme: 'zz', problematiques: ['x'] }] }), /Thème inconnu/);
    const one = await recordWorkshopReport(ctx, { meeting: m.id, participants, themes: [{ theme: '3', solutions: ['Un bus vers l’hôpital', 'Un bus vers l’hôpital'] }] });
    assert.equal(one.added, 2, 'deux entrées identiques saisies deux fois restent deux entrées');
    const two = await recordWorkshopReport(ctx, { meeting: m.id, participants, themes: [{ theme: '3', solutions: ['Un bus vers l’hôpital'] }] });
    assert.deepEqual([two.added, two.kept, two.removed], [0, 1, 1]);
    const view = await getWorkshopReport(ctx, m.id);
    assert.equal(view.contributions, 1);
    assert.deepEqual(view.themes, [{ theme: '3', problematiques: [], solutions: ['Un bus vers l’hôpital'], leviers: [] }]);
    await assert.rejects(getWorkshopReport(ctx, 'essai:inconnue'), /Réunion inconnue/);
  });
});

storeTest('un compte-rendu soumis, resoumis et rouvert sur chaque base', async (store) => {
  await store.migrate();
  await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement' });
  await store.upsertConsultation({ slug: 'bases', title: 'Consultation des bases', territory: '12', status: 'open', themes: [{ code: '1', label: 'Accès aux soins', keywords: [], local: false }] });
  const ctx = context(store, { name: 'animation@ars.test', role: 'facilitator' });
  const m = await addMeeting(ctx, { consultation: 'bases', title: 'Atelier des bases' });
  await recordWorkshopReport(ctx, { meeting: m.id, participants: { ...emptyParticipants(), usagers: 5, total: 6 }, draft: true, themes: [{ theme: '1', problematiques: ['Brouillon'] }] });
  assert.equal((await getWorkshopReport(ctx, m.id)).status, 'draft');
  const one = await recordWorkshopReport(ctx, { meeting: m.id, participants: { ...emptyParticipants(), usagers: 5, total: 6 }, themes: [{ theme: '1', problematiques: ['Premier constat', 'Second constat'] }] });
  assert.equal(one.added, 2);
  assert.equal(one.anomalies[0]?.code, 'participants.total_mismatch');
  const two = await recordWorkshopReport(ctx, { meeting: m.id, participants: { ...emptyParticipants(), usagers: 6, total: 6 }, themes: [{ theme: '1', problematiques: ['Second constat'] }] });
  assert.deepEqual([two.added, two.kept, two.removed], [0, 1, 1]);
  assert.deepEqual(two.anomalies, []);
  assert.equal(await store.countContributions('bases'), 1);
  assert.equal((await getMeetingReport(store, m.id))?.status, 'submitted');
});
