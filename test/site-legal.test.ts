/**
 * The site's legal settings (FABRIQUE_SITE_*): validated with a French message naming the variable, the RGAA status
 * following from the audit, `GET /api/site`; real 404s for page paths no route of the web app matches.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../src/domain/errors.ts';
import { WEB_PAGE_ROUTES, isWebPagePath, rgaaStatus, siteSettingsFromEnv } from '../src/domain/site.ts';
import Fastify from 'fastify';
import type { AppContext } from '../src/server/context.ts';
import { siteRoutes } from '../src/server/routes/site.ts';
import { testServer, type TestServer } from './helpers/server.ts';

const KNOWN = { auditTextRetentionDays: 90, sessionHours: 12, loginLockMinutes: 15 };
const read = (env: Record<string, string>) => siteSettingsFromEnv(env, KNOWN);

function refused(env: Record<string, string>, variable: string, message: RegExp): void {
  assert.throws(() => read(env), (e: unknown) => {
    assert.ok(e instanceof UserError, String(e));
    assert.equal(e.code, 'invalid');
    assert.ok(e.message.startsWith(`${variable} : `), e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('réglages légaux du site', () => {
  test('rien de configuré : tout est null et le site est non conforme', () => {
    const s = read({});
    assert.deepEqual(
      [s.publisher, s.publisherAddress, s.director, s.host, s.contact, s.dpo, s.audit, s.declarationDate],
      [null, null, null, null, null, null, null, null],
    );
    assert.equal(rgaaStatus(s.audit), 'non-conforme');
    assert.equal(s.auditTextRetentionDays, 90);
  });

  test('le statut suit le taux de l’audit (RGAA 4.1 : 100 %, au moins 50 %, moins)', () => {
    const at = (rate: string) => rgaaStatus(read({ FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-03-01', FABRIQUE_SITE_RGAA_AUDIT_RATE: rate }).audit);
    assert.equal(at('100'), 'totalement-conforme');
    assert.equal(at('72,5 %'), 'partiellement-conforme');
    assert.equal(at('50'), 'partiellement-conforme');
    assert.equal(at('49.9'), 'non-conforme');
    const s = read({ FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-03-01', FABRIQUE_SITE_RGAA_AUDIT_RATE: '72,5', FABRIQUE_SITE_RGAA_AUDITOR: 'Cabinet d’essai' });
    assert.deepEqual(s.audit, { date: '2026-03-01', rate: 72.5, auditor: 'Cabinet d’essai' });
    assert.equal(s.declarationDate, '2026-03-01', 'sans date de déclaration, celle de l’audit');
  });

  test('valeurs acceptées : textes, contacts électroniques ou https', () => {
    const s = read({
      FABRIQUE_SITE_PUBLISHER: '  Agence régionale de santé d’essai  ', FABRIQUE_SITE_DIRECTOR: 'La directrice générale',
      FABRIQUE_SITE_HOST: 'Hébergeur d’essai, 1 rue de l’Exemple, 75000 Paris, 01 00 00 00 00',
      FABRIQUE_SITE_CONTACT: 'contact@ars.test', FABRIQUE_SITE_DPO: 'https://ars.test/dpo',
    });
    assert.equal(s.publisher, 'Agence régionale de santé d’essai');
    assert.equal(s.contact, 'contact@ars.test');
    assert.equal(s.dpo, 'https://ars.test/dpo');
  });

  test('valeurs refusées, en français, en nommant la variable', () => {
    refused({ FABRIQUE_SITE_CONTACT: 'www.ars.test' }, 'FABRIQUE_SITE_CONTACT', /adresse électronique .* ou une adresse https:\/\/ \(reçu : « www\.ars\.test » \)|adresse https/);
    refused({ FABRIQUE_SITE_DPO: 'http://ars.test/dpo' }, 'FABRIQUE_SITE_DPO', /https:\/\//);
    refused({ FABRIQUE_SITE_PUBLISHER: 'ARS <script>' }, 'FABRIQUE_SITE_PUBLISHER', /une seule ligne/);
    refused({ FABRIQUE_SITE_HOST: 'x'.repeat(301) }, 'FABRIQUE_SITE_HOST', /au plus 300 caractères/);
    refused({ FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-02-30', FABRIQUE_SITE_RGAA_AUDIT_RATE: '60' }, 'FABRIQUE_SITE_RGAA_AUDIT_DATE', /AAAA-MM-JJ/);
    refused({ FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-02-01', FABRIQUE_SITE_RGAA_AUDIT_RATE: '120' }, 'FABRIQUE_SITE_RGAA_AUDIT_RATE', /entre 0 et 100/);
    refused({ FABRIQUE_SITE_RGAA_AUDIT_RATE: '80' }, 'FABRIQUE_SITE_RGAA_AUDIT_DATE', /ensemble/);
    refused({ FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-02-01' }, 'FABRIQUE_SITE_RGAA_AUDIT_RATE', /ensemble/);
    refused({ FABRIQUE_SITE_RGAA_AUDITOR: 'Cabinet' }, 'FABRIQUE_SITE_RGAA_AUDITOR', /sans audit/);
    refused({ FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-02-01', FABRIQUE_SITE_RGAA_AUDIT_RATE: '80', FABRIQUE_SITE_RGAA_DECLARATION_DATE: '2026-01-01' },
      'FABRIQUE_SITE_RGAA_DECLARATION_DATE', /ne peut précéder/);
  });
});

describe('les adresses de pages de l’application web', () => {
  test('la liste du domaine est celle des routes de web/src/App.tsx', () => {
    const app = readFileSync(new URL('../web/src/App.tsx', import.meta.url), 'utf8');
    const routed = [...app.matchAll(/^\s*\['(\/[^']*)',/gm)].map((m) => m[1]!);
    assert.ok(routed.length > 20, `routes lues dans App.tsx : ${routed.length}`);
    assert.deepEqual([...routed].sort(), [...WEB_PAGE_ROUTES].sort());
  });

  test('correspondance comme le routeur du navigateur', () => {
    for (const p of ['/', '/consultations/', '/consultations/demo', '/consultations/d%C3%A9mo/chiffres', '/admin/consultations/demo/reunions/r1/compte-rendu', '/plan-du-site']) {
      assert.ok(isWebPagePath(p), p);
    }
    for (const p of ['/inconnue', '/consultations/demo/inconnue', '/consultations/demo/chiffres/plus', '/admin/rien', '/consultations/%E0%A4%A']) {
      assert.ok(!isWebPagePath(p), p);
    }
  });
});

describe('GET /api/site et les 404 des pages', () => {
  let server: TestServer;
  let dist: string;
  const saved = { ...process.env };
  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'fabrique-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="fr"><head><title>Fabrique</title></head><body><div id="root"></div></body></html>');
    Object.assign(process.env, {
      FABRIQUE_SITE_PUBLISHER: 'Agence régionale de santé d’essai', FABRIQUE_SITE_CONTACT: 'contact@ars.test',
      FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-03-01', FABRIQUE_SITE_RGAA_AUDIT_RATE: '64', FABRIQUE_AUDIT_TEXT_RETENTION_DAYS: '30',
    });
    try {
      server = await testServer({ webDist: dist, loginLockMinutes: 20 });
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
  after(async () => { await server?.close(); rmSync(dist, { recursive: true, force: true }); });

  test('GET /api/site donne les réglages, le statut déduit, la licence et les durées réelles', async () => {
    const res = await server.app.inject({ url: '/api/site' });
    assert.equal(res.statusCode, 200);
    const site = res.json();
    assert.equal(site.publisher, 'Agence régionale de santé d’essai');
    assert.equal(site.director, null);
    assert.equal(site.contact, 'contact@ars.test');
    assert.deepEqual(site.audit, { date: '2026-03-01', rate: 64, auditor: null });
    assert.equal(site.rgaaStatus, 'partiellement-conforme');
    assert.equal(site.licence, JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).license);
    assert.equal(site.auditTextRetentionDays, 30);
    assert.equal(site.sessionHours, 12);
    assert.equal(site.loginLockMinutes, 20);
  });

  test('une valeur fausse arrête le démarrage avec un message en français', async () => {
    // the route reads the settings when it is registered, i.e. while buildApp starts the server
    const bare = Fastify();
    const ctx = { options: { loginLockMinutes: 15 } } as unknown as AppContext;
    await assert.rejects(async () => { await bare.register((api) => siteRoutes(api, ctx, { FABRIQUE_SITE_DPO: 'dpo' })).ready(); }, /FABRIQUE_SITE_DPO : une adresse électronique/);
    await bare.close();
  });

  test('une adresse de page connue répond 200, une inconnue 404 avec la page de l’application', async () => {
    for (const url of ['/', '/consultations/essai', '/consultations/essai/chiffres?theme=x', '/accessibilite', '/plan-du-site', '/admin/schemas/p1/liens', '/connexion/']) {
      const res = await server.app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<div id="root">/, url);
    }
    for (const url of ['/inconnue', '/consultations/essai/inconnue', '/admin/nimporte', '/accessibilite/plus']) {
      const res = await server.app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.match(String(res.headers['content-type']), /^text\/html/, url);
      assert.match(res.body, /<div id="root">/, `${url} : la page « Page introuvable » de l’application`);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
    }
    const head = await server.app.inject({ method: 'HEAD', url: '/inconnue' });
    assert.equal(head.statusCode, 404);
    const api = await server.app.inject({ url: '/api/inconnue' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'not_found');
  });
});
