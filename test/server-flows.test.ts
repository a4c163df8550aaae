import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { chromiumAvailable } from '../src/synthesis/index.ts';
import { listAudit } from '../src/store/audit.ts';
import { Client, testServer, waitForJob, type TestServer } from './helpers/server.ts';
import { fillEditorialTexts } from './helpers/editorial.ts';
import { contributionsCsv, multipart } from './helpers/multipart.ts';

const enc = encodeURIComponent;

describe('parcours complets', () => {
  let t: TestServer;
  before(async () => { t = await testServer(); });
  after(async () => { await t.close(); });

  test('contribution déposée → modérée (publiée) → visible publiquement, pseudonymisée', async () => {
    const visitor = await Client.create(t.app, '10.1.0.1');
    const text = 'Je suis suivie par le Dr Lambert à Rodez. Contactez-moi : camille.exemple@courriel.test ou 06 12 34 56 78, ' +
      'j’habite 12 rue des Lilas, 12000 Rodez. Il faut une maison de santé.';
    let res = await visitor.post('/api/consultations/essai/contributions', { text, theme: '1', college: 'usagers', postcode: '12000' });
    assert.equal(res.statusCode, 201);
    const { id, status } = res.json() as { id: string; status: string };
    assert.equal(status, 'pending');
    // not public before moderation
    assert.equal((await visitor.get('/api/consultations/essai/contributions')).json().total, 0);

    const analyst = await (await Client.create(t.app, '10.1.0.2')).login('analyst');
    res = await analyst.get('/api/admin/consultations/essai/moderation?status=pending');
    const item = res.json().items.find((i: { id: string }) => i.id === id);
    assert.equal(item.original, text, 'l’analyste voit l’original');
    assert.deepEqual(item.masked.map((m: { kind: string }) => m.kind).sort(), ['address', 'email', 'name', 'phone']);
    assert.equal(item.territory, '12');
    for (const secret of ['Lambert', 'camille.exemple', '06 12 34 56 78', '12 rue des Lilas']) assert.ok(!item.text.includes(secret), secret);

    res = await analyst.post(`/api/admin/contributions/${enc(id)}/moderation`, { action: 'publish' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'published');

    res = await visitor.get('/api/consultations/essai/contributions?theme=1');
    assert.equal(res.json().total, 1);
    const pub = res.json().items[0];
    assert.equal(pub.id, id);
    assert.match(pub.text, /Dr \[nom\].*\[courriel\].*\[téléphone\].*\[adresse\]/);
    assert.ok(!('original' in pub) && !('masked' in pub));
    assert.ok(!res.body.includes('Lambert'));
    // full-text search over the public text
    res = await visitor.get(`/api/consultations/essai/contributions?q=${enc('maisons de santé')}`);
    assert.equal(res.json().total, 1);
    res = await visitor.get(`/api/consultations/essai/contributions?q=Lambert`);
    assert.equal(res.json().total, 0, 'le nom masqué n’est pas cherchable');
    // counts and listings
    const list = (await visitor.get('/api/consultations')).json().items;
    assert.equal(list[0].counts.contributions, 1);
    assert.deepEqual((await visitor.get('/api/territories')).json().items.map((x: { code: string }) => x.code), ['12']);
    assert.equal((await visitor.get('/api/consultations/essai/stats')).json().byChannel.formulaire, 1);

    // reject another one, with a reason; a moderator's own pseudonymisation
    res = await visitor.post('/api/consultations/essai/contributions', { text: 'Message hors sujet et insultant' });
    const other = res.json().id as string;
    res = await analyst.post(`/api/admin/contributions/${enc(other)}/moderation`, { action: 'reject', reason: 'hors charte' });
    assert.equal(res.json().status, 'rejected');
    assert.equal(res.json().reason, 'hors charte');
    res = await analyst.post(`/api/admin/contributions/${enc(other)}/moderation`, { action: 'pseudonymise', text: 'Message [retiré]' });
    assert.equal(res.json().text, 'Message [retiré]');
    assert.equal(res.json().original, 'Message hors sujet et insultant');
    const audit = await listAudit(t.store, { consultation: 'essai' });
    assert.ok(audit.some((a) => a.action === 'moderation.publish' && a.targetId === id && a.actor === 'analyste@ars.test'));
    assert.ok(audit.some((a) => a.action === 'moderation.reject' && (a.after as { reason: string }).reason === 'hors charte'));
  });

  test('un animateur crée une réunion et saisit son compte-rendu d’atelier', async () => {
    const f = await (await Client.create(t.app, '10.1.1.1')).login('facilitator');
    let res = await f.post('/api/admin/consultations/essai/meetings', { title: 'Atelier de Laissac', place: 'Salle des fêtes, Laissac', date: '2026-02-10', time: '18h-20h' });
    assert.equal(res.statusCode, 201, res.body);
    const meeting = res.json() as { id: string; territory: string };
    assert.equal(meeting.territory, '12');
    res = await f.put(`/api/admin/meetings/${enc(meeting.id)}`, { place: 'Mairie de Laissac' });
    assert.equal(res.json().place, 'Mairie de Laissac');
    const participants = { elus: 4, institutionnels: 2, professionnels: 9, associations: 3, usagers: 12, autres: null, total: 30 };
    res = await f.post(`/api/admin/meetings/${enc(meeting.id)}/report`, {
      participants,
      themes: [
        { theme: '1', problematiques: ['Délais de rendez-vous de plusieurs mois', '  '], solutions: ['Ouvrir une maison de santé à Laissac, contact Mme Durand'], leviers: ['Le soutien de la communauté de communes'] },
        { theme: '2', problematiques: ['Les urgences les plus proches sont à 45 minutes'], solutions: [], leviers: [] },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const report = res.json() as { contributions: number; ids: string[]; meeting: { participants: typeof participants } };
    assert.equal(report.contributions, 4, 'les lignes vides sont ignorées');
    assert.deepEqual(report.meeting.participants, participants);
    const stored = await Promise.all(report.ids.map((id) => t.store.getContribution(id)));
    assert.deepEqual(stored.map((c) => c!.kind), ['constat', 'proposition', 'levier_frein', 'constat']);
    for (const c of stored) {
      assert.equal(c!.channel, 'atelier');
      assert.equal(c!.meeting, meeting.id);
      assert.equal(c!.kindProvenance?.by, 'human');
      assert.equal(c!.themes[0]!.provenance.by, 'human');
      assert.equal(c!.moderation.status, 'pending', 'une saisie en séance passe par la modération comme tout canal');
    }
    assert.match(stored[1]!.text, /Mme \[nom\]/);
    // typed-in entries enter moderation like every channel: there is no way to publish them directly
    // (resubmissions, drafts and the rest: test/workshop-reports.test.ts)
    const detail = (await f.get('/api/consultations/essai')).json();
    assert.equal(detail.meetings.find((m: { id: string }) => m.id === meeting.id).participants.total, 30);
    // a facilitator cannot moderate or analyse
    assert.equal((await f.get('/api/admin/consultations/essai/moderation')).statusCode, 403);
    // unknown theme: 400 naming the field, nothing stored
    const before = await t.store.tableCounts();
    res = await f.post(`/api/admin/meetings/${enc(meeting.id)}/report`, { participants, themes: [{ theme: '1', problematiques: ['ok'] }, { theme: 'zz', problematiques: ['x'] }] });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.field, 'body.themes.1.theme');
    assert.deepEqual(await t.store.tableCounts(), before);
  });

  test('un analyste importe, analyse, renomme / fusionne / scinde / déplace, annule, puis génère et télécharge la restitution', async () => {
    const a = await (await Client.create(t.app, '10.1.2.1')).login('analyst');
    let res = await a.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('contributions.csv', contributionsCsv(48)) });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().outcome, 'imported');
    assert.equal(res.json().contributions, 48);
    assert.ok(res.json().warnings.some((w: { code: string }) => w.code === 'tabular.columns'));
    // the same file again: nothing new
    res = await a.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('contributions.csv', contributionsCsv(48)) });
    assert.equal(res.json().outcome, 'unchanged');

    res = await a.post('/api/admin/consultations/essai/analyze', {});
    assert.equal(res.statusCode, 202, res.body);
    assert.match(res.json().id, /^[0-9a-f-]{36}$/);
    assert.ok(['queued', 'running', 'done'].includes(res.json().state));
    const analysis = await waitForJob(a, res.json().id);
    assert.equal(analysis.state, 'done', JSON.stringify(analysis.error));
    assert.ok(analysis.result.grouping.groups >= 2);
    assert.equal(analysis.progress.done, analysis.progress.total);
    const withTexts = (await a.get('/api/admin/consultations/essai/groups')).json() as { items: { members: string[] }[]; contributions: Record<string, { text: string } & Record<string, unknown>> };
    const first = withTexts.items[0]!.members[0]!;
    assert.match(withTexts.contributions[first]!.text, /remarque/, 'les textes des membres accompagnent les groupes');
    // what the analysis page shows of each member: every member is there, with its kind, college and themes
    for (const id of withTexts.items.flatMap((g) => g.members)) {
      const member = withTexts.contributions[id];
      assert.ok(member, `contribution ${id} of a group comes with the groups`);
      for (const key of ['kind', 'college', 'status', 'themes']) assert.ok(key in member, `${id}: ${key}`);
    }
    let groups = (await a.get('/api/admin/consultations/essai/groups')).json().items as { id: string; label: string; size: number; members: string[]; parent: string | null; labelByHuman: boolean }[];
    const [g1, g2, g3] = groups.filter((g) => g.parent === null && g.size > 1);
    assert.ok(g1 && g2 && g3, 'au moins trois groupes');

    res = await a.post(`/api/admin/groups/${enc(g1.id)}/rename`, { label: 'Accès au médecin traitant' });
    assert.equal(res.json().group.label, 'Accès au médecin traitant');
    assert.equal(res.json().group.labelByHuman, true);

    const moved = g2.members[0]!;
    res = await a.post(`/api/admin/contributions/${enc(moved)}/move`, { from: g2.id, to: g1.id });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().to.members.includes(moved));
    assert.ok(!res.json().from.members.includes(moved));

    res = await a.post('/api/admin/groups/merge', { ids: [g1.id, g3.id], label: 'Médecins et internes' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().group.size, g1.size + 1 + g3.size);
    groups = (await a.get('/api/admin/consultations/essai/groups')).json().items;
    assert.ok(!groups.some((g) => g.id === g3.id), 'le groupe absorbé a disparu');

    res = await a.post(`/api/admin/groups/${enc(g2.id)}/split`, { members: g2.members.slice(1, 3), label: 'Urgences de nuit' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().groups[1].size, 2);

    // undo: the split, then the merge, then the move — each restores the groups as they were
    const snapshot = async () => (await a.get('/api/admin/consultations/essai/groups')).json().items.map((g: { id: string; label: string; members: string[] }) => `${g.id}|${g.label}|${[...g.members].sort().join(',')}`).sort();
    res = await a.post('/api/admin/undo');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().undone.action, 'groups.split');
    res = await a.post('/api/admin/undo');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().undone.action, 'groups.merge');
    const afterMoveUndoMerge = await snapshot();
    assert.ok(afterMoveUndoMerge.some((s: string) => s.startsWith(`${g3.id}|`)), 'le groupe fusionné est rétabli');
    res = await a.post('/api/admin/undo');
    assert.equal(res.json().undone.action, 'groups.move');
    groups = (await a.get('/api/admin/consultations/essai/groups')).json().items;
    assert.ok(groups.find((g) => g.id === g2.id)!.members.includes(moved), 'la contribution est revenue');
    assert.equal(groups.find((g) => g.id === g1.id)!.label, 'Accès au médecin traitant', 'le renommage, plus ancien, reste');

    // a theme decision, and its undo
    res = await a.post(`/api/admin/contributions/${enc(moved)}/themes`, { theme: '4', accept: true });
    assert.ok(res.json().themes.some((x: { theme: string; provenance: { by: string } }) => x.theme === '4' && x.provenance.by === 'human'));
    res = await a.post('/api/admin/undo');
    assert.equal(res.json().undone.action, 'themes.accept');
    assert.ok(!(await t.store.getContribution(moved))!.themes.some((x) => x.theme === '4'));
    res = await a.post('/api/admin/undo');
    assert.equal(res.json().undone.action, 'groups.rename');
    res = await a.post('/api/admin/undo');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'not_found');

    // restitution: build + verify + save, editorial text, download, publish
    res = await a.post('/api/admin/consultations/essai/synthesis', {});
    assert.equal(res.statusCode, 202, res.body);
    const synthesis = await waitForJob(a, res.json().id);
    assert.equal(synthesis.state, 'done', JSON.stringify(synthesis.error));
    assert.equal(synthesis.result.verification.ok, true, JSON.stringify(synthesis.result.verification.failures));
    res = await a.put('/api/admin/consultations/essai/synthesis/editorial', { texts: { perspectives: 'Le CTS priorisera les propositions en juin.' } });
    assert.equal(res.statusCode, 200, res.body);
    res = await a.get('/api/admin/consultations/essai/synthesis?format=html');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="synthese-departement-12\.html"/);
    assert.match(res.body, /<html/);
    res = await a.get('/api/admin/consultations/essai/synthesis?format=md');
    assert.equal(res.statusCode, 200);
    if (chromiumAvailable()) {
      res = await a.get('/api/admin/consultations/essai/synthesis?format=pdf');
      assert.equal(res.statusCode, 200);
      assert.equal(res.rawPayload.subarray(0, 4).toString(), '%PDF');
    } else {
      res = await a.get('/api/admin/consultations/essai/synthesis?format=pdf');
      assert.equal(res.statusCode, 503);
    }
    const visitor = new Client(t.app);
    assert.equal((await visitor.get('/api/consultations/essai/restitution')).statusCode, 404);
    // publication is refused while a text is still to write (issue 11): the other texts are written first
    res = await a.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'publication_refused');
    await fillEditorialTexts(a, 'essai');
    res = await a.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 200, res.body);
    res = await visitor.get('/api/consultations/essai/restitution');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Le CTS priorisera les propositions en juin\./);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    const actions = new Set((await listAudit(t.store, { consultation: 'essai', limit: 1000 })).map((x) => x.action));
    for (const x of ['document.import', 'groups.analyze', 'groups.rename', 'groups.merge', 'groups.split', 'groups.move', 'themes.accept', 'undo', 'synthesis.generate', 'synthesis.editorial', 'synthesis.publish']) {
      assert.ok(actions.has(x), `audit : ${x}`);
    }
  });

  test('back-office : consultations (création, thèmes locaux), suggestion de thème', async () => {
    const a = await (await Client.create(t.app, '10.1.3.1')).login('admin');
    let res = await a.post('/api/admin/consultations', { slug: 'lot-2026', title: 'Consultation du Lot', territory: '46', periodStart: '2026-04-01' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().themes.length, 4);
    assert.equal((await a.post('/api/admin/consultations', { slug: 'lot-2026', title: 'x', territory: '46' })).statusCode, 409);
    const themes = [...res.json().themes, { code: 'vieillissement', label: 'Bien vieillir dans le Lot', keywords: ['EHPAD', 'aidants', 'maintien à domicile'], local: true }];
    res = await a.put('/api/admin/consultations/lot-2026', { themes, status: 'open', title: 'Consultation du Lot 2026' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().themes.at(-1).local, true);
    const v = await Client.create(t.app, '10.1.3.2');
    res = await v.post('/api/consultations/lot-2026/suggest-theme', { text: 'Plus de places en EHPAD et du soutien aux aidants' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().labels[0].theme, 'vieillissement');
    // a draft is not public, but the back office lists it
    await a.post('/api/admin/consultations', { slug: 'brouillon', title: 'Brouillon', territory: '12' });
    assert.ok((await a.get('/api/admin/consultations')).json().items.some((c: { slug: string; status: string }) => c.slug === 'brouillon' && c.status === 'draft'));
    assert.equal((await a.get('/api/admin/consultations/brouillon')).json().title, 'Brouillon');
    assert.equal((await v.get('/api/consultations/brouillon')).statusCode, 404);
    assert.ok(!(await v.get('/api/consultations')).json().items.some((c: { slug: string }) => c.slug === 'brouillon'));
    // a closed consultation refuses new contributions
    await a.put('/api/admin/consultations/lot-2026', { status: 'closed' });
    res = await v.post('/api/consultations/lot-2026/contributions', { text: 'Trop tard ?' });
    assert.equal(res.statusCode, 409);
  });
});
