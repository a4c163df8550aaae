/**
 * Latency of every public route with many contributions stored. Run: npm run bench:public -- [--size 1m|100k]
 *   [--duration 10] [--connections 10] [--db PATH (reuse or keep the generated SQLite file)] [--port N]
 * Generates N synthetic contributions (bench/scale/generate.ts) into a fresh SQLite file through the store's
 * import path, with a mix of moderation statuses, channels, colleges, meetings and themes; stores a theme model
 * (as `fabrique analyze` does); spawns a real `fabrique serve` on it; drives a bounded loopback load on each route
 * in turn (autocannon: fixed connections and duration); prints p50/p99/max and requests/s per route, the ratio to
 * the p99 of GET /api/csrf (no database) and the timings of the query paths the routes used before the counters.
 * Exits non-zero when a route's p99 exceeds 200 ms, a route answered an error, or nothing was measured.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { generateContributions } from './scale/generate.ts';
import { trainThemes } from '../src/analysis/classify/train-worker.ts';
import { CNR_SANTE_THEMES, contributionId, emptyParticipants, type Contribution, type Meeting } from '../src/domain/index.ts';
import type { ParsedDocument } from '../src/ingest/types.ts';
import { savePublishedSynthesis } from '../src/store/moderation.ts';
import { Store } from '../src/store/index.ts';

const P99_LIMIT_MS = 200;
const SLUG = 'charge';
const CHUNK = 50_000;

const { values } = parseArgs({ options: {
  size: { type: 'string', default: '1m' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' },
  db: { type: 'string' }, port: { type: 'string' },
} });
const size = parseSize(values.size!);
const duration = Number(values.duration);
const connections = Number(values.connections);
const port = Number(values.port ?? 4100 + Math.floor(Math.random() * 800));

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--size : valeur illisible « ${s} » (exemples : 100k, 1m, 5000)`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1));
}

const COLLEGES = ['usagers', 'professionnels', 'elus', 'institutionnels', 'associations'] as const;
const MEETINGS = 40;

/**
 * Moderation status mix of a real consultation, through the real import gate: contributions arrive pending
 * (5 % rejected by the source), and four documents in five are published as a whole by a moderator, so about
 * 76 % end up published, 19 % pending, 5 % rejected.
 */
function status(i: number): Contribution['moderation']['status'] {
  return (i * 2654435761) % 100 < 5 ? 'rejected' : 'pending';
}
const publishedDocument = (doc: number) => doc % 5 !== 4;

async function generate(path: string): Promise<void> {
  const t0 = performance.now();
  const store = await Store.open({ sqlitePath: path });
  await store.upsertTerritory({ code: '76', name: 'Occitanie', level: 'region' });
  await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement', parent: '76' });
  const themes = CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] }));
  await store.upsertConsultation({ slug: SLUG, title: 'Consultation de charge', territory: '12', status: 'open', themes });
  for (const slug of ['voisine-a', 'voisine-b']) await store.upsertConsultation({ slug, title: `Consultation ${slug}`, territory: '12', status: 'open', themes });
  const data = generateContributions(size, 7);
  const tGen = performance.now();
  for (let start = 0, doc = 0; start < data.length; start += CHUNK, doc++) {
    const documentId = `${doc.toString(16).padStart(4, '0')}${'b'.repeat(60)}`;
    const meetings: Meeting[] = doc === 0 ? Array.from({ length: MEETINGS }, (_, m) => ({
      id: `${documentId.slice(0, 12)}:m${m + 1}`, consultation: SLUG, kind: 'atelier', title: `Atelier ${m + 1}`, participants: emptyParticipants(),
    })) : [];
    const contributions: Contribution[] = data.slice(start, start + CHUNK).map((g, k) => {
      const i = start + k;
      const atelier = i % 3 === 0;
      return {
        id: contributionId(documentId, k + 1), consultation: SLUG, channel: atelier ? 'atelier' : i % 3 === 1 ? 'formulaire' : 'import_tableur',
        text: g.text, kind: g.kind, ...(i % 7 !== 0 ? { authorCollege: COLLEGES[i % COLLEGES.length] } : {}),
        ...(atelier ? { meeting: `0000bbbbbbbb:m${(i % MEETINGS) + 1}` } : {}),
        themes: i % 4 === 3 ? [] : [{ theme: g.theme, provenance: { by: 'source', documentId } }],
        moderation: { status: status(i) }, source: { documentId, file: `charge-${doc}.csv`, lineStart: k + 2, lineEnd: k + 2 },
      } as Contribution;
    });
    const parsed: ParsedDocument = {
      documentId, fileName: `charge-${doc}.csv`, mediaType: 'text/csv', sizeBytes: 0, parser: 'bench', parserVersion: '1',
      themes: [], syntheses: [], warnings: [], meetings, contributions,
    };
    await store.importParsed(SLUG, parsed, publishedDocument(doc) ? { publishBy: 'moderateur-banc' } : {});
    process.stderr.write(`\r  importées : ${Math.min(start + CHUNK, data.length).toLocaleString('fr')} / ${data.length.toLocaleString('fr')}`);
  }
  process.stderr.write('\n');
  const tImport = performance.now();
  // a theme model, as `fabrique analyze` stores it (trained on a sample: the route serves it, it does not train)
  const sample = data.filter((_, i) => i % 4 !== 3).slice(0, 5000).map((g, i) => ({ id: `s${i}`, text: g.text, labels: [g.theme] }));
  const trained = trainThemes(sample, themes);
  if (trained.type === 'trained') await store.saveAnalysisModel({ consultation: SLUG, purpose: 'themes', version: trained.version, metadata: trained.metadata, modelJson: trained.modelJson });
  await savePublishedSynthesis(store, { id: `${SLUG}:restitution`, consultation: SLUG, level: 'departement', territory: '12', by: 'bench',
    html: '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Restitution</title></head><body><h1>Restitution de la consultation de charge</h1><p>Texte de banc d’essai.</p></body></html>' },
  { before: null, after: null });
  await store.close();
  console.log(`Base générée : ${size.toLocaleString('fr')} contributions en ${((tImport - t0) / 1000).toFixed(0)} s (génération ${((tGen - t0) / 1000).toFixed(0)} s, import ${((tImport - tGen) / 1000).toFixed(0)} s)`);
}

/** The query paths the public routes used before the counters, timed in this process on the same file. */
async function oldPaths(path: string): Promise<Record<string, number>> {
  const store = await Store.open({ sqlitePath: path });
  const time = async (f: () => Promise<unknown>) => { const t = performance.now(); await f(); return performance.now() - t; };
  const countAll = (q: ReturnType<typeof store.db.selectFrom<'contributions'>>) => q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const out: Record<string, number> = {};
  out['ancien GET …/stats (comptes sur les lignes)'] = await time(async () => {
    for (const col of ['kind', 'meeting', 'author_college', 'channel'] as const) {
      await store.db.selectFrom('contributions').select([col, (eb) => eb.fn.countAll<number>().as('n')]).where('consultation', '=', SLUG).groupBy(col).execute();
    }
    await store.db.selectFrom('contribution_themes').innerJoin('contributions', 'contributions.id', 'contribution_themes.contribution_id')
      .select(['contribution_themes.theme', (eb) => eb.fn.countAll<number>().as('n')]).where('contributions.consultation', '=', SLUG).groupBy('contribution_themes.theme').execute();
    await countAll(store.db.selectFrom('contributions').where('consultation', '=', SLUG)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('contribution_themes').select('theme').whereRef('contribution_themes.contribution_id', '=', 'contributions.id')))));
    await countAll(store.db.selectFrom('contributions').where('consultation', '=', SLUG));
  });
  // the index of 0007 would speed this count up too: the old plan is forced
  out['ancien total d’une page de la liste (count des publiées)'] = await time(() => sql`SELECT count(*) AS n FROM contributions INDEXED BY contributions_consultation_seq
    WHERE consultation = ${SLUG} AND moderation_status = 'published'`.execute(store.db));
  out['ancien GET /api/consultations (group by sur les contributions)'] = await time(() => store.db.selectFrom('contributions')
    .select(['consultation', (eb) => eb.fn.countAll<number>().as('n')]).where('moderation_status', '=', 'published').groupBy('consultation').execute());
  out['ancienne recherche (1 000 lignes complètes, « urgences »)'] = await time(() => store.searchContributions(SLUG, 'urgences', 1000));
  out['nouveau store.stats'] = await time(() => store.stats(SLUG));
  await store.close();
  return out;
}

async function startServer(path: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, '../bin/fabrique.js'), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, FABRIQUE_DB: path, DATABASE_URL: '', FABRIQUE_READ_RATE_LIMIT: '1000000000', FABRIQUE_FORM_RATE_LIMIT: '1000000000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const base = await new Promise<string>((ok, ko) => {
    let err = '';
    const onData = (d: Buffer) => {
      err += d;
      const m = /Fabrique : (http:\/\/\S+?)\/? \(/.exec(err);
      if (m) { child.stderr!.off('data', onData); child.stderr!.resume(); ok(m[1]!); }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => ko(new Error(`le serveur s’est arrêté (code ${code}) : ${err.slice(-2000)}`)));
  });
  return { base, stop: () => new Promise<void>((ok) => { child.once('exit', () => ok()); child.kill('SIGTERM'); }) };
}

/** `informative`: printed, not held to the p99 limit (a filtered page that deep costs in proportion to its offset; see docs/performance.md). */
interface Route { name: string; method?: 'GET' | 'POST'; path: string; body?: string; informative?: boolean; /** more paths, cycled by each connection */ more?: string[] }

async function main(): Promise<number> {
  const dir = values.db ? undefined : mkdtempSync(join(tmpdir(), 'fabrique-public-'));
  const path = values.db ? resolve(values.db) : join(dir!, 'fabrique.sqlite');
  console.log(`machine : ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} Go, node ${process.version}, charge moyenne ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  try {
    if (!existsSync(path)) await generate(path);
    else console.log(`Base réutilisée : ${path}`);
    const old = await oldPaths(path);
    const server = await startServer(path);
    try {
      const csrf = await fetch(`${server.base}/api/csrf`);
      const token = ((await csrf.json()) as { token: string }).token;
      const cookie = `fabrique_csrf=${token}`;
      const published = ((await (await fetch(`${server.base}/api/consultations/${SLUG}`)).json()) as { counts: { contributions: number } }).counts.contributions;
      console.log(`Contributions publiées dans la consultation : ${published.toLocaleString('fr')}`);
      const deepPage = Math.max(2, Math.min(100_000, Math.floor(published / 2 / 20)));
      const routes: Route[] = [
        { name: 'GET /api/csrf (référence, sans base)', path: '/api/csrf' },
        { name: 'GET / (application web)', path: '/' },
        { name: 'GET /api/consultations (accueil)', path: '/api/consultations' },
        { name: 'GET …/charge (détail)', path: `/api/consultations/${SLUG}` },
        { name: 'GET …/contributions page 1', path: `/api/consultations/${SLUG}/contributions` },
        { name: `GET …/contributions page ${deepPage}`, path: `/api/consultations/${SLUG}/contributions?page=${deepPage}` },
        { name: 'GET …/contributions?theme=2', path: `/api/consultations/${SLUG}/contributions?theme=2` },
        { name: 'GET …/contributions?theme=2 page 50', path: `/api/consultations/${SLUG}/contributions?theme=2&page=50` },
        { name: 'GET …/contributions?theme=2 page 500 (info)', path: `/api/consultations/${SLUG}/contributions?theme=2&page=500`, informative: true },
        { name: 'GET …/contributions?kind&college', path: `/api/consultations/${SLUG}/contributions?kind=proposition&college=usagers` },
        { name: 'GET …/contributions?q=urgences', path: `/api/consultations/${SLUG}/contributions?q=urgences` },
        { name: 'GET …/contributions?q=médecin traitant p3', path: `/api/consultations/${SLUG}/contributions?q=${encodeURIComponent('médecin traitant')}&page=3` },
        // words of every frequency (the generator's vocabulary and words it never uses), pages 1 to 3, cycled
        { name: 'GET …/contributions?q= (12 requêtes variées)', ...variedSearches() },
        { name: 'GET …/stats', path: `/api/consultations/${SLUG}/stats` },
        { name: 'GET …/indicators', path: `/api/consultations/${SLUG}/indicators` },
        { name: 'GET /api/territories', path: '/api/territories' },
        { name: 'GET …/restitution', path: `/api/consultations/${SLUG}/restitution` },
        { name: 'POST …/suggest-theme', method: 'POST', path: `/api/consultations/${SLUG}/suggest-theme`, body: JSON.stringify({ text: 'Les urgences ferment la nuit, il faut un médecin de garde' }) },
      ];
      console.log(`Charge : ${connections} connexions pendant ${duration} s par route, en boucle locale (${server.base}), une route après l’autre`);
      console.log(`${'route'.padEnd(44)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)} ${'req/s'.padStart(8)} ${'×réf'.padStart(6)}  statut`);
      let baseline = 0;
      let failed = 0;
      for (const r of routes) {
        // let the previous route's last requests finish, so that they are not measured with this one
        await new Promise((ok) => setTimeout(ok, 1000));
        await fetch(`${server.base}/api/csrf`);
        // a list answering nothing would be measured fast and mean nothing: each list must return rows
        let shown = '';
        if (r.path.includes('/contributions')) {
          const body = (await (await fetch(`${server.base}${r.path}`)).json()) as { items?: unknown[]; total?: number };
          shown = ` ${body.items?.length ?? 0}/${body.total ?? 0}`;
          if (!body.items?.length && !r.informative) { failed++; shown += ' (aucun résultat : ÉCHEC)'; }
        }
        const statuses: Record<string, number> = {};
        const headers: Record<string, string> = r.method === 'POST'
          ? { 'content-type': 'application/json', 'x-csrf-token': token, cookie, origin: server.base } : {};
        const res = await autocannon({
          url: server.base, connections, duration,
          requests: [r.path, ...(r.more ?? [])].map((path) => ({ method: r.method ?? 'GET', path, headers, ...(r.body ? { body: r.body } : {}),
            onResponse: (status: number) => { statuses[status] = (statuses[status] ?? 0) + 1; } })),
        });
        if (baseline === 0) baseline = Math.max(res.latency.p99, 1);
        const bad = res.requests.total === 0 || (!r.informative && res.latency.p99 > P99_LIMIT_MS) || res.non2xx > 0 || res.errors > 0;
        if (bad) failed++;
        console.log(`${r.name.padEnd(44)} ${fmt(res.latency.p50)} ${fmt(res.latency.p99)} ${fmt(res.latency.max)} ${res.requests.average.toFixed(0).padStart(8)} ${(res.latency.p99 / baseline).toFixed(1).padStart(6)}  ${JSON.stringify(statuses)}${shown}${res.errors ? ` erreurs ${res.errors}` : ''}${bad ? '  ← ÉCHEC' : ''}`);
      }
      console.log('\nChemins de requête d’avant (mesurés une fois, hors charge, sur la même base) :');
      for (const [k, v] of Object.entries(old)) console.log(`  ${k.padEnd(62)} ${v.toFixed(1).padStart(9)} ms`);
      console.log(failed ? `\n${failed} route(s) au-delà de ${P99_LIMIT_MS} ms au p99 ou en erreur.` : `\nToutes les routes publiques sous ${P99_LIMIT_MS} ms au p99.`);
      return failed ? 1 : 0;
    } finally {
      await server.stop();
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

function variedSearches(): { path: string; more: string[] } {
  const words = ['médecin', 'pharmacie', 'infirmières', 'prévention', 'transport', 'dentiste', 'psychiatrie', 'maison de santé',
    'téléconsultation', 'hôpital', 'vaccination', 'ophtalmologue'];
  const paths = words.map((w, i) => `/api/consultations/${SLUG}/contributions?q=${encodeURIComponent(w)}${i % 3 ? `&page=${(i % 3) + 1}` : ''}`);
  return { path: paths[0]!, more: paths.slice(1) };
}

function fmt(ms: number): string {
  return `${ms.toFixed(0)}`.padStart(4) + ' ms';
}

process.exit(await main());
