import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { saveIndicators } from '../src/store/indicators.ts';
import { testServer, type TestServer } from './helpers/server.ts';

describe('GET /api/consultations/:slug/indicators', () => {
  let t: TestServer;
  before(async () => { t = await testServer(); });
  after(async () => { await t.close(); });

  test('aucun indicateur : le territoire et une liste vide', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/consultations/essai/indicators' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      territory: { code: '12', name: 'Aveyron', level: 'departement', region: { code: '76', name: 'Occitanie' } },
      items: [],
    });
  });

  test('les indicateurs du département, dans l’ordre, une valeur manquante restant null', async () => {
    await saveIndicators(t.store, '12', 'departement', [
      { id: 'population', label: 'Population', unit: 'habitants', territory: '12', year: 2021, value: 279600, regionValue: 6022000, franceValue: 67600000, source: 'Valeurs fictives' },
      { id: 'apl', label: 'APL aux médecins généralistes', territory: '12', year: 2022, value: null, regionValue: 3.4 },
    ]);
    // the région with the same code is not the consultation's territory
    await saveIndicators(t.store, '12', 'region', [{ id: 'autre', label: 'Autre', territory: '12', year: 2022, value: 1 }]);
    const res = await t.app.inject({ method: 'GET', url: '/api/consultations/essai/indicators' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().items, [
      { id: 'population', label: 'Population', unit: 'habitants', year: 2021, value: 279600, regionValue: 6022000, franceValue: 67600000, source: 'Valeurs fictives' },
      { id: 'apl', label: 'APL aux médecins généralistes', unit: null, year: 2022, value: null, regionValue: 3.4, franceValue: null, source: null },
    ]);
  });

  test('consultation inconnue ou brouillon : 404', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/consultations/inconnue/indicators' })).statusCode, 404);
    const c = (await t.store.getConsultation('essai'))!;
    await t.store.upsertConsultation({ ...c, slug: 'brouillon', status: 'draft' });
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/consultations/brouillon/indicators' })).statusCode, 404);
  });

  test('la route figure dans le document OpenAPI', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.ok(Object.keys(res.json().paths).some((p) => p.endsWith('/consultations/{slug}/indicators')));
  });
});
