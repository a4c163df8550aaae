/**
 * The back office shows each role the sections the API lets it use, from one table (src/domain/roles.ts):
 * for every role, every section GET /api/auth/me lists is allowed by the API and every other one refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BACK_OFFICE_SECTIONS, ROLES, SECTION_ROLES, sectionsOf, type Role, type Section } from '../src/domain/roles.ts';
import { emptyParticipants } from '../src/domain/meeting.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';

const enc = encodeURIComponent;

/** Requests of each section, as its page makes them (bodies valid enough to pass validation where cheap). */
function requests(meeting: string): Record<Section, { method: string; url: string; payload?: unknown }[]> {
  return {
    consultations: [{ method: 'GET', url: '/api/admin/consultations' }],
    meetings: [
      { method: 'GET', url: '/api/admin/consultations/essai' },
      { method: 'POST', url: '/api/admin/consultations/essai/meetings', payload: { title: 'Atelier de contrôle des rôles' } },
      { method: 'PUT', url: `/api/admin/meetings/${enc(meeting)}`, payload: { place: 'Salle du conseil' } },
    ],
    reports: [
      { method: 'GET', url: `/api/admin/meetings/${enc(meeting)}/report` },
      { method: 'POST', url: `/api/admin/meetings/${enc(meeting)}/report`, payload: { participants: emptyParticipants(), draft: true, themes: [] } },
    ],
    settings: [{ method: 'PUT', url: '/api/admin/consultations/essai', payload: { description: 'Description revue.' } }],
    import: [{ method: 'POST', url: '/api/admin/consultations/essai/imports', payload: {} }],
    moderation: [{ method: 'GET', url: '/api/admin/consultations/essai/moderation' }],
    analysis: [{ method: 'GET', url: '/api/admin/consultations/essai/groups' }],
    synthesis: [{ method: 'GET', url: '/api/admin/consultations/essai/synthesis' }],
    // no such plan (404) once the role passes: the guard answers first
    plans: [{ method: 'PATCH', url: '/api/admin/plans/aucun/elements/E1', payload: { field: 'title', value: 'Titre corrigé' } }],
    // refused for a consultation that is open (409) once the role passes: the guard answers first
    reopen: [{ method: 'POST', url: '/api/admin/consultations/essai/reopen', payload: { until: '2099-12-31' } }],
    // every role reaches the follow-up; the use case narrows owners and facilitators to their actions
    followup: [{ method: 'GET', url: '/api/admin/followup/actions' }],
    // the subscribers' messages and the erasure of an address: administrators only
    outbox: [{ method: 'GET', url: '/api/admin/outbox' }, { method: 'POST', url: '/api/admin/subscribers/erase', payload: { email: 'personne@exemple.fr' } }],
    accounts: [{ method: 'GET', url: '/api/admin/accounts' }],
  };
}

describe('espace ARS selon le rôle', () => {
  let t: TestServer;
  let meeting: string;
  before(async () => {
    t = await testServer();
    const a = await (await Client.create(t.app, '10.20.0.1')).login('analyst');
    const res = await a.post('/api/admin/consultations/essai/meetings', { title: 'Atelier témoin' });
    assert.equal(res.statusCode, 201, res.body);
    meeting = res.json().id;
  });
  after(() => t.close());

  test('la table des rôles : l’administrateur a tout, l’animateur les réunions et comptes-rendus seulement', () => {
    assert.deepEqual(sectionsOf('admin'), [...BACK_OFFICE_SECTIONS]);
    assert.deepEqual(sectionsOf('facilitator'), ['consultations', 'meetings', 'reports', 'followup']);
    assert.deepEqual(sectionsOf('analyst'), ['consultations', 'meetings', 'reports', 'settings', 'import', 'moderation', 'analysis', 'synthesis', 'plans', 'followup']);
    assert.deepEqual(sectionsOf('owner'), ['followup']);
  });

  for (const role of ROLES) {
    test(`${role} : chaque partie montrée est permise par l’API, chaque partie cachée est refusée`, async () => {
      const c = await (await Client.create(t.app, `10.20.1.${ROLES.indexOf(role) + 1}`)).login(role as Role);
      const me = await c.get('/api/auth/me');
      assert.equal(me.statusCode, 200);
      const shown = new Set(me.json().user.sections as Section[]);
      assert.deepEqual([...shown], sectionsOf(role), 'la liste vient de la table partagée');
      for (const section of BACK_OFFICE_SECTIONS) {
        for (const r of requests(meeting)[section]) {
          const res = await c.request({ method: r.method, url: r.url, ...(r.payload !== undefined ? { payload: r.payload as object } : {}) });
          const where = `${role} ${section} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (shown.has(section)) {
            assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `montrée mais refusée : ${where}`);
          } else {
            assert.equal(res.statusCode, 403, `cachée mais permise : ${where}`);
            assert.match(res.json().error.message, /rôle|administrateur/, where);
          }
        }
      }
    });
  }

  test('chaque route du back-office déclare les rôles d’une partie de la table', async () => {
    const tables = new Set(Object.values(SECTION_ROLES).map((roles) => roles.filter((r) => r !== 'admin').slice().sort().join(',')));
    for (const r of t.app.accessTable) {
      if (r.access === 'public') continue;
      const declared = [...r.access.roles].sort().join(',');
      assert.ok(tables.has(declared), `${r.method} ${r.url} : rôles ${declared || '(admin seul)'} hors de la table des parties`);
    }
  });

  test('la connexion renvoie aussi les parties du rôle', async () => {
    const c = await Client.create(t.app, '10.20.2.1');
    const res = await c.post('/api/auth/login', { email: 'animation@ars.test', password: 'mot-de-passe-de-test-42' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().user.sections, ['consultations', 'meetings', 'reports', 'followup']);
  });
});
