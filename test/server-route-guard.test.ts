/**
 * The access guard is the matched route's own: every back-office route of the OpenAPI document (and
 * every declared route, hidden ones included) is requested under path variants the router may decode
 * or normalise (percent-encoded letters and slashes, doubled slashes, dot segments, trailing slash or
 * dot, changed case…), anonymously, with a role below the route's, and as a facilitator outside their
 * consultations. Each answer must be a refusal (401/403) or "no such route" (404, 405 for a path that exists for other methods, 400 bad URL), and no
 * row may change.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { emptyParticipants } from '../src/domain/meeting.ts';
import { installSecurity } from '../src/server/security.ts';
import { appDb, type Role } from '../src/store/accounts.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';

interface OpenApi { paths: Record<string, Record<string, unknown>> }
interface Route { method: string; path: string; roles: readonly Role[] | 'public'; scope?: string }

const OTHER = 'autre'; // a draft consultation the facilitator is NOT assigned to
const OTHER_MEETING = `${OTHER}:reunion-1`;
const OTHER_CONTRIBUTION = `${OTHER}:contribution-1`;

/** A body the handler would accept, so that a bypass would really write (and be seen). */
function bodyFor(method: string, path: string): unknown {
  if (method === 'GET' || method === 'HEAD') return undefined;
  const key = `${method} ${path}`;
  const bodies: Record<string, unknown> = {
    'POST /api/admin/consultations': { slug: 'intrusion', title: 'Consultation intruse', territory: '12' },
    'PUT /api/admin/consultations/{slug}': { title: 'Titre modifié par intrusion', status: 'open' },
    'POST /api/admin/consultations/{slug}/meetings': { title: 'Réunion intruse' },
    'PUT /api/admin/meetings/{id}': { title: 'Réunion renommée par intrusion' },
    'POST /api/admin/meetings/{id}/report': { participants: { ...emptyParticipants(), usagers: 3, total: 3 }, themes: [{ theme: CNR_SANTE_THEMES[0]!.code, problematiques: ['Texte écrit par intrusion dans le compte-rendu.'] }] },
    'POST /api/admin/contributions/{id}/moderation': { action: 'publish' },
    'POST /api/admin/contributions/{id}/themes': { theme: CNR_SANTE_THEMES[1]!.code, accept: true },
    'PUT /api/admin/consultations/{slug}/synthesis/editorial': { texts: { introduction: 'Texte intrus' } },
  };
  return bodies[key] ?? {};
}

function fill(path: string): string {
  return path
    .replace('/meetings/{id}', `/meetings/${encodeURIComponent(OTHER_MEETING)}`)
    .replace('/contributions/{id}', `/contributions/${encodeURIComponent(OTHER_CONTRIBUTION)}`)
    .replace(/\{slug\}/g, OTHER)
    .replace(/\{[^}]+\}/g, 'g1');
}

const pct = (ch: string) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** The path variants: each one either reaches the same route (and its guard) or no route at all. */
function variants(url: string): string[] {
  const segs = url.split('/').slice(1); // ['api', 'admin', …]
  const join = (s: string[]) => '/' + s.join('/');
  const out = new Set<string>([url]);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (!/^[a-z]/i.test(s)) continue;
    out.add(join(segs.map((x, j) => (j === i ? pct(s[0]!) + s.slice(1) : x)))); // /api/%61dmin/…
    out.add(join(segs.map((x, j) => (j === i ? pct(s[0]!).toLowerCase() + s.slice(1) : x))));
    out.add(join(segs.map((x, j) => (j === i ? [...s].map((ch) => (/[a-z]/i.test(ch) ? pct(ch) : ch)).join('') : x))));
    out.add(join(segs.map((x, j) => (j === i ? s[0]!.toUpperCase() + s.slice(1) : x)))); // /api/Admin/…
    out.add(join(segs.map((x, j) => (j === i ? `%25${pct(s[0]!).slice(1)}${s.slice(1)}` : x)))); // double encoding
  }
  out.add('/' + segs.join('%2F'));
  out.add('/' + segs.join('%2f'));
  out.add(`/${segs[0]}/${segs.slice(1).join('%2F')}`);
  out.add(`/${segs[0]}%2F${segs.slice(1).join('/')}`);
  out.add(`//${segs.join('/')}`);
  out.add(`/${segs[0]}//${segs.slice(1).join('/')}`);
  out.add(segs.length > 2 ? `/${segs.slice(0, 2).join('/')}//${segs.slice(2).join('/')}` : `${url}//`);
  out.add(`${url}/`);
  out.add(`${url}.`);
  out.add(`${url}%2E`);
  out.add(`${url}/.`);
  out.add(`${url};`);
  out.add(`/${segs[0]}/./${segs.slice(1).join('/')}`);
  out.add(`/${segs[0]}/x/../${segs.slice(1).join('/')}`);
  out.add(`/${segs[0]}\\${segs.slice(1).join('\\')}`);
  out.add(url.toUpperCase());
  out.add(`/API/${segs.slice(1).join('/')}`);
  out.add(`${url}?_=1`);
  return [...out];
}

/** Contents of every table holding data or accounts, to prove that nothing was written. */
async function snapshot(t: TestServer): Promise<Record<string, unknown[]>> {
  const tables = ['consultations', 'territories', 'source_documents', 'meetings', 'contributions', 'contribution_themes', 'idea_groups', 'idea_members',
    'syntheses', 'analysis_models', 'users', 'sessions', 'audit_log', 'contribution_private', 'published_syntheses', 'consultation_assignments'] as const;
  const db = appDb(t.store) as unknown as { selectFrom: (t: string) => { selectAll: () => { execute: () => Promise<Record<string, unknown>[]> } } };
  const out: Record<string, unknown[]> = {};
  for (const name of tables) {
    const rows = await db.selectFrom(name).selectAll().execute();
    out[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe('garde d’accès décidée par la route, quelle que soit l’écriture de l’adresse', () => {
  let t: TestServer;
  let routes: Route[];
  before(async () => {
    // thousands of address variants from one client: the read limit (tested in its own file) must not answer first
    t = await testServer({ readRateLimit: 0 });
    await t.store.upsertConsultation({
      slug: OTHER, title: 'Consultation non affectée (brouillon)', territory: '12', status: 'draft',
      themes: CNR_SANTE_THEMES.map((th) => ({ ...th, keywords: [...th.keywords] })),
    });
    await t.store.upsertMeetings([{ id: OTHER_MEETING, consultation: OTHER, kind: 'atelier', title: 'Atelier de la consultation non affectée', participants: emptyParticipants() }]);
    await t.store.addContributions(OTHER, [{
      id: OTHER_CONTRIBUTION, consultation: OTHER, channel: 'formulaire', text: 'Une contribution en attente de modération, jamais publique.',
      themes: [], moderation: { status: 'pending' }, source: { documentId: 'formulaire', file: 'formulaire en ligne' },
    }]);
    const doc = t.app.swagger() as unknown as OpenApi;
    const declared = new Map(t.app.accessTable.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.access]));
    const keys = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) keys.add(`${m.toUpperCase()} ${p}`);
    for (const [k, access] of declared) if (access !== 'public' && !k.startsWith('HEAD ')) keys.add(k); // hidden back-office routes too
    routes = [...keys].map((k) => {
      const [method, path] = k.split(' ') as [string, string];
      const access = declared.get(k);
      assert.ok(access !== undefined, `route du document OpenAPI sans déclaration d’accès : ${k}`);
      return { method, path, roles: access === 'public' ? 'public' : access.roles, ...(access !== 'public' && access.scope ? { scope: access.scope } : {}) };
    });
  });
  after(async () => { await t.close(); });

  test('chaque route du back-office est déclarée, et toute route /api a une déclaration', () => {
    const backOffice = routes.filter((r) => r.roles !== 'public');
    assert.ok(backOffice.length >= 20, `routes du back-office : ${backOffice.length}`);
    for (const r of backOffice) assert.ok(r.path.startsWith('/api/admin'), `route réservée hors /api/admin : ${r.method} ${r.path}`);
    for (const r of t.app.accessTable) assert.ok(r.url.startsWith('/api'), r.url);
  });

  test('visiteur, rôle insuffisant, animateur hors affectation : refusés sous chaque variante, rien d’écrit', async () => {
    const anonymous = await Client.create(t.app, '10.9.0.1');
    const byRole: Record<'facilitator' | 'analyst', Client> = {
      facilitator: await (await Client.create(t.app, '10.9.0.2')).login('facilitator'),
      analyst: await (await Client.create(t.app, '10.9.0.3')).login('analyst'),
    };
    const before = await snapshot(t);
    const failures: string[] = [];
    let requests = 0;
    const send = async (who: string, c: Client, method: string, url: string, payload: unknown, expect: number[]) => {
      let res: LightMyRequestResponse;
      try {
        res = await c.request({ method, url, ...(payload !== undefined ? { payload: payload as string } : {}) });
      } catch {
        return; // not a request an HTTP client can send
      }
      requests++;
      const badUrl = res.statusCode === 400 && /FST_ERR_BAD_URL|Adresse invalide/.test(res.body);
      if (!expect.includes(res.statusCode) && !badUrl) failures.push(`${who} ${method} ${url} → ${res.statusCode} ${res.body.slice(0, 80)}`);
    };
    for (const r of routes) {
      if (r.roles === 'public') continue;
      const allowed = r.roles;
      const canonical = fill(r.path);
      for (const url of variants(canonical)) {
        const payload = bodyFor(r.method, r.path);
        await send('visiteur', anonymous, r.method, url, payload, [401, 404, 405]);
        if (r.method === 'GET') await send('visiteur', anonymous, 'HEAD', url, undefined, [401, 404, 405]);
        for (const role of ['facilitator', 'analyst'] as const) {
          if (!allowed.includes(role)) await send(role, byRole[role], r.method, url, payload, [403, 404, 405]);
        }
        // a facilitator allowed on the route but not assigned to the consultation of the request
        if (allowed.includes('facilitator') && r.scope !== 'list') await send('animateur hors affectation', byRole.facilitator, r.method, url, payload, [403, 404, 405]);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} accès non refusés sur ${requests} requêtes :\n${failures.slice(0, 40).join('\n')}`);
    assert.ok(requests > 1000, `requêtes envoyées : ${requests}`);
    assert.deepEqual(await snapshot(t), before, 'aucune ligne n’a changé (données, comptes, journal d’audit)');
  });

  test('les variantes que le routeur décode atteignent bien la route (le test porte sur de vraies correspondances)', async () => {
    const analyst = await (await Client.create(t.app, '10.9.0.4')).login('analyst');
    for (const url of ['/api/%61dmin/consultations', '/api/admin/%63onsultations/autre', '/api/./admin/consultations']) {
      const res = await analyst.get(url);
      assert.equal(res.statusCode, 200, `${url} → ${res.statusCode}`);
    }
    // the same variant, anonymously: refused by the matched route's guard
    const anonymous = await Client.create(t.app, '10.9.0.5');
    const res = await anonymous.get('/api/%61dmin/consultations/autre/moderation');
    assert.equal(res.statusCode, 401);
    assert.doesNotMatch(res.body, /jamais publique/);
  });
});

describe('refus par défaut au démarrage', () => {
  test('une route /api ou une écriture sans déclaration d’accès empêche le démarrage', async () => {
    const t = await testServer();
    try {
      const attempts: [string, (app: ReturnType<typeof Fastify>) => void][] = [
        ['route /api sans déclaration', (app) => app.get('/api/oubliee', async () => ({ ok: true }))],
        ['écriture hors /api sans déclaration', (app) => app.post('/ailleurs', async () => ({ ok: true }))],
        ['animateurs sans périmètre', (app) => app.get('/api/admin/x/:slug', { config: { roles: ['facilitator'] } }, async () => ({ ok: true }))],
        ['périmètre slug sans :slug', (app) => app.get('/api/admin/y', { config: { roles: ['facilitator'], scope: 'slug' } }, async () => ({ ok: true }))],
      ];
      for (const [name, add] of attempts) {
        const app = Fastify();
        await app.register(fastifyCookie);
        installSecurity(app, t.store, { secureCookies: false, allowedOrigins: [] });
        assert.throws(() => add(app), /déclaration d’accès|config\.scope/, name);
        await app.close();
      }
      // declared routes are accepted
      const app = Fastify();
      await app.register(fastifyCookie);
      installSecurity(app, t.store, { secureCookies: false, allowedOrigins: [] });
      app.get('/api/publique', { config: { access: 'public' } }, async () => ({ ok: true }));
      app.get('/api/admin/z/:slug', { config: { roles: ['facilitator'], scope: 'slug' } }, async () => ({ ok: true }));
      app.get('/fichier.txt', async () => 'fichier du site');
      await app.ready();
      assert.deepEqual(app.accessTable.map((r) => `${r.method} ${r.url}`), ['GET /api/publique', 'HEAD /api/publique', 'GET /api/admin/z/:slug', 'HEAD /api/admin/z/:slug']);
      assert.equal((await app.inject({ method: 'GET', url: '/api/admin/z/essai' })).statusCode, 401);
      assert.equal((await app.inject({ method: 'HEAD', url: '/api/admin/z/essai' })).statusCode, 401);
      await app.close();
    } finally {
      await t.close();
    }
  });
});
