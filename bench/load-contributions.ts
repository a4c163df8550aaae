// Load test of the public contribution form. Run: npx tsx bench/load-contributions.ts [--duration 10] [--connections 50]
// The server runs in a child process (SQLite file in a temporary folder, form rate limit raised through
// FABRIQUE_FORM_RATE_LIMIT); autocannon posts distinct contributions with a valid CSRF token for a bounded
// time; then the database is counted: every 201 must be exactly one stored row, with no lost or duplicated text.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Options } from 'autocannon';

const SLUG = 'charge';

if (process.argv[2] === '--server') {
  const { Store } = await import('../src/store/index.ts');
  const { startServer } = await import('../src/server/serve.ts');
  const { CNR_SANTE_THEMES } = await import('../src/domain/theme.ts');
  const store = await Store.open({ sqlitePath: process.argv[3]! });
  await store.upsertConsultation({ slug: SLUG, title: 'Test de charge', territory: '12', status: 'open', themes: CNR_SANTE_THEMES.map((t) => ({ ...t, keywords: [...t.keywords] })) });
  const server = await startServer({ store, host: '127.0.0.1', port: 0 });
  process.stdout.write(`${server.url}\n`);
  process.on('message', async () => { await server.close(); await store.close(); process.exit(0); });
} else {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } } });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const autocannon = (await import('autocannon')).default;
  const { Store } = await import('../src/store/index.ts');

  const dir = mkdtempSync(join(tmpdir(), 'fabrique-charge-'));
  const db = join(dir, 'fabrique.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--server', db], {
    env: { ...process.env, FABRIQUE_FORM_RATE_LIMIT: '100000000' }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d; const line = out.split('\n')[0]; if (out.includes('\n') && line) resolve(line.trim()); });
    child.once('exit', (code) => reject(new Error(`le serveur s’est arrêté (${code})`)));
  });
  const base = url.replace(/\/$/, '');
  const csrfRes = await fetch(`${base}/api/csrf`);
  const token = ((await csrfRes.json()) as { token: string }).token;
  const cookie = `fabrique_csrf=${token}`;

  let sent = 0;
  const created = new Set<string>();
  const statuses: Record<string, number> = {};
  const themes = ['1', '2', '3', '4'];
  console.log(`Charge : ${connections} connexions pendant ${duration} s sur POST ${base}/api/consultations/${SLUG}/contributions`);
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: [{
      method: 'POST',
      path: `/api/consultations/${SLUG}/contributions`,
      headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie, origin: base },
      setupRequest: (req: Record<string, unknown>) => {
        const n = sent++;
        req.body = JSON.stringify({ text: `Contribution de charge n° ${n} : il faudrait un centre de santé ouvert le samedi.`, theme: themes[n % 4], college: 'usagers' });
        return req;
      },
      onResponse: (status: number, body: string) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 201) created.add((JSON.parse(body) as { id: string }).id);
      },
    }],
  } satisfies Options);

  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  const store = await Store.open({ sqlitePath: db });
  const rows = Number((await store.db.selectFrom('contributions').select((eb) => eb.fn.countAll<number>().as('n')).where('consultation', '=', SLUG).executeTakeFirstOrThrow()).n);
  const distinctTexts = Number((await store.db.selectFrom('contributions').select((eb) => eb.fn.count<number>('text').distinct().as('n')).where('consultation', '=', SLUG).executeTakeFirstOrThrow()).n);
  const stored = await store.db.selectFrom('contributions').select(['id', 'text']).where('consultation', '=', SLUG).execute();
  const ids = new Set(stored.map((r) => r.id));
  const lost = [...created].filter((id) => !ids.has(id)).length;
  // every stored text is one that was sent (number below `sent`)
  const foreign = stored.filter((r) => { const m = /n° (\d+) :/.exec(r.text); return !m || Number(m[1]) >= sent; }).length;
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const ok = statuses['201'] ?? 0;
  console.log(`Requêtes : ${result.requests.total} en ${result.duration.toFixed(1)} s — ${result.requests.average.toFixed(0)} req/s en moyenne (min ${result.requests.min}, max ${result.requests.max})`);
  console.log(`Contributions acceptées (201) : ${ok} — ${(ok / result.duration).toFixed(0)} dépôts/s`);
  console.log(`Latence (ms) : moyenne ${result.latency.average.toFixed(1)}, p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99}, max ${result.latency.max}`);
  console.log(`Statuts : ${JSON.stringify(statuses)} ; erreurs réseau ${result.errors}, délais dépassés ${result.timeouts}, non-2xx ${result.non2xx}`);
  // requests still in flight when autocannon stops are answered and stored, but not counted by it
  const inFlight = rows - ok;
  console.log(`Base : ${rows} lignes, ${distinctTexts} textes distincts ; ${lost} réponse(s) 201 sans ligne ; ${inFlight} dépôt(s) en vol à l’arrêt (≤ ${connections}) ; ${foreign} texte(s) inconnu(s)`);
  const sound = lost === 0 && distinctTexts === rows && inFlight >= 0 && inFlight <= connections && foreign === 0 && result.errors === 0;
  console.log(sound ? 'Vérification : aucune contribution perdue ni dupliquée.' : 'Vérification : ÉCART entre les réponses et la base !');
  process.exit(sound ? 0 : 1);
}
