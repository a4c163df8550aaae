/**
 * Real 404s for the pages of items (issue 16): the web app's page of a consultation, plan, contribution or idea that
 * does not exist, or is not public, answers the app with the status 404; a contribution that is not public answers
 * exactly as one that does not exist.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { pageItemOfPath } from '../src/domain/page-items.ts';
import { seedCoverage, SLUG } from './helpers/coverage-fixture.ts';
import { testServer, type TestServer } from './helpers/server.ts';

describe('les 404 des pages d’éléments', () => {
  let server: TestServer;
  let dist: string;
  let planId: string;
  let ids: string[];
  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'fabrique-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="fr"><head><title>Fabrique</title></head><body><div id="root"></div></body></html>');
    server = await testServer({ webDist: dist });
    ({ planId, ids } = await seedCoverage(server.store));
    await server.store.upsertConsultation({ slug: 'brouillon', title: 'Brouillon', territory: '12', status: 'draft', themes: [...CNR_SANTE_THEMES] });
    // an idea whose only member awaits moderation: nothing of it is public
    const prov = { by: 'human' as const, reviewer: 'test', at: '2026-11-30T00:00:00Z' };
    await server.store.saveIdeaGroups(SLUG, [...await server.store.listIdeaGroups(SLUG), {
      id: 'g-retenue', consultation: SLUG, parent: null, theme: '1', label: 'Une idée sans contribution publiée', labelByHuman: true,
      members: [{ contribution: ids[5]!, provenance: prov }], quotes: [], lineage: [],
    }]);
  });
  after(async () => { await server?.close(); rmSync(dist, { recursive: true, force: true }); });

  const get = (url: string) => server.app.inject({ url });

  test('le chemin dit l’élément, décodé comme le routeur du navigateur', () => {
    assert.deepEqual(pageItemOfPath('/consultations/a%20b/contributions'), { kind: 'consultation', id: 'a b' });
    assert.deepEqual(pageItemOfPath('/schemas/48/suivi/'), { kind: 'plan', id: '48' });
    assert.deepEqual(pageItemOfPath('/idees/demo%2F1%3Ag2'), { kind: 'idea', id: 'demo/1:g2' });
    assert.equal(pageItemOfPath('/consultations'), null);
    assert.equal(pageItemOfPath('/plan-du-site'), null);
    assert.equal(pageItemOfPath('/consultations/%E0%A4%A'), null);
  });

  test('un élément qui existe et qui est public : 200', async () => {
    for (const url of [`/consultations/${SLUG}`, `/consultations/${SLUG}/contributions?page=2`, `/consultations/${SLUG}/chiffres`, '/consultations/essai/contribuer',
      `/schemas/${encodeURIComponent(planId)}`, `/schemas/${encodeURIComponent(planId)}/couverture`, '/schemas/48/suivi', `/schemas/${encodeURIComponent('Lozère')}`,
      `/contributions/${encodeURIComponent(ids[0]!)}`, '/idees/g-install', '/idees/g-install/']) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<div id="root">/, url);
    }
  });

  test('un élément inconnu ou non public : la page de l’application avec un 404', async () => {
    for (const url of ['/consultations/nope', '/consultations/nope/contributions', '/consultations/nope/contribuer/merci', '/consultations/brouillon',
      '/consultations/brouillon/chiffres', '/schemas/nope', '/schemas/nope/suivi', '/schemas/75', '/contributions/nope', `/contributions/${encodeURIComponent(ids[5]!)}`,
      '/idees/nope', '/idees/g-retenue', `/consultations/${'x'.repeat(400)}`]) {
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(String(res.headers['content-type']), /^text\/html/, url);
      assert.match(res.body, /<div id="root">/, url);
    }
  });

  test('une contribution non publiée répond exactement comme une contribution qui n’existe pas', async () => {
    const hidden = await get(`/contributions/${encodeURIComponent(ids[5]!)}`);
    const missing = await get('/contributions/nope');
    assert.equal(hidden.statusCode, missing.statusCode);
    assert.equal(hidden.body, missing.body);
    const keep = ['content-type', 'cache-control', 'content-length', 'content-security-policy'];
    assert.deepEqual(keep.map((h) => hidden.headers[h]), keep.map((h) => missing.headers[h]));
    // and its API answers as the page does
    const api = await get(`/api/contributions/${encodeURIComponent(ids[5]!)}/followup`);
    assert.equal(api.statusCode, 404);
  });

  test('une adresse qui n’est pas une page reste un 404, une page sans élément un 200', async () => {
    assert.equal((await get('/inconnue')).statusCode, 404);
    assert.equal((await get('/plan-du-site')).statusCode, 200);
    assert.equal((await get('/consultations')).statusCode, 200);
  });
});
