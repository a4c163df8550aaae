/**
 * What a citizen on a rural line downloads and waits for. Run: npm run bench:weight [-- --runs 3]
 * Serves the built web app (npm run build:web) on the demo consultation, opens each public page in Debian's
 * Chromium with an empty cache under the issue's throttled profile (1.6 Mbit/s down, 750 kbit/s up, 150 ms
 * round trip, CPU 4× slower) and prints, per page, the bytes transferred and the first contentful paint (median
 * of the runs). The baseline, measured in the same run, is the same page with compression refused by the browser
 * (Accept-Encoding: identity): the ratio shows what compression saves. Exits 1 when nothing was measured or the
 * home page misses the issue's targets (under 300 KB transferred, first contentful paint under 3 s).
 * Options: --page /chemin (one page only), --detail (each response and its size).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { startServer } from '../src/server/serve.ts';
import { Store } from '../src/store/index.ts';

const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
const CHROMIUM = process.env.FABRIQUE_CHROMIUM?.trim() || '/usr/bin/chromium';
const TARGET_BYTES = 300 * 1024;
const TARGET_FCP_MS = 3000;
const PROFILE = { latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8), cpu: 4 };

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, detail: { type: 'boolean', default: false }, page: { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs : un entier positif est attendu (reçu « ${values.runs} »)`);
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium absent (${CHROMIUM}) : rien n’est mesuré.`);
  process.exit(1);
}
if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
  console.error('Le site n’est pas construit : lancez d’abord npm run build:web.');
  process.exit(1);
}

const PAGES: [string, string][] = [
  ['Accueil', '/'],
  ['Consultation', '/consultations/demo'],
  ['Contribuer', '/consultations/demo/contribuer'],
  ['En chiffres', '/consultations/demo/chiffres'],
  ['Contributions', '/consultations/demo/contributions'],
];

interface Measure { bytes: number; fcp: number | null; requests: number }

async function measure(browser: Browser, url: string, compressed: boolean): Promise<Measure> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: PROFILE.latency, downloadThroughput: PROFILE.downloadThroughput, uploadThroughput: PROFILE.uploadThroughput });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpu });
  if (!compressed) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  let bytes = 0;
  let requests = 0;
  const urls = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => { urls.set(e.requestId, e.request.url); });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests++;
    if (values.detail && compressed && !urls.get(e.requestId)?.startsWith('data:')) console.log(`    ${kb(e.encodedDataLength).padStart(8)}  ${urls.get(e.requestId)?.replace(/^https?:\/\/[^/]+/, '')}`);
  });
  await page.goto(url, { waitUntil: 'networkidle', timeout: 180_000 });
  await page.locator('h1').first().waitFor({ timeout: 180_000 });
  await page.waitForLoadState('networkidle');
  // buffered: the paint entry may have been recorded before the observer exists
  const fcp = await page.evaluate(() => new Promise<number | null>((done) => {
    new PerformanceObserver((list) => {
      const e = list.getEntriesByName('first-contentful-paint')[0];
      if (e) done(e.startTime);
    }).observe({ type: 'paint' as 'mark', buffered: true }); // node's types list no 'paint' (a browser entry type)
    setTimeout(() => done(null), 5000);
  }));
  await context.close();
  return { bytes, fcp, requests };
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const kb = (n: number) => `${(n / 1024).toFixed(0)} Ko`;
const sec = (n: number | null) => (n === null ? '—' : `${(n / 1000).toFixed(2)} s`);

// the demo consultation, seeded once (as the end-to-end tests do) and reused while the sources do not change
const dir = join(ROOT, 'out', 'bench');
mkdirSync(dir, { recursive: true });
const db = join(dir, 'weight-demo.sqlite');
if (!existsSync(db) || statSync(db).mtimeMs < statSync(join(ROOT, 'demo')).mtimeMs) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'fabrique.ts'), 'demo'], { cwd: ROOT, env: { ...process.env, FABRIQUE_DB: db, DATABASE_URL: '' }, encoding: 'utf8' });
  if (r.status !== 0) { console.error(`fabrique demo a échoué : ${r.stderr}`); process.exit(1); }
}
const store = await Store.open({ sqlitePath: db });
await store.migrate();
const server = await startServer({ store, host: '127.0.0.1', port: 0, readRateLimit: 0 });
const base = server.url.replace(/\/$/, '');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });

console.log(`Profil : ${PROFILE.downloadThroughput * 8 / 1e6} Mbit/s, ${PROFILE.latency} ms aller-retour, processeur ${PROFILE.cpu}× plus lent ; cache vide ; médiane de ${runs === 1 ? "1 passage" : `${runs} passages`}, fenêtre de 375 px.`);
console.log('page | transféré | requêtes | 1er affichage | sans compression (référence) | 1er affichage réf. | rapport octets | rapport affichage');
let measured = 0;
let failed = false;
try {
  for (const [name, path] of PAGES.filter(([, p]) => !values.page || p === values.page)) {
    const ours: Measure[] = [];
    const ref: Measure[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await measure(browser, base + path, true));
      ref.push(await measure(browser, base + path, false));
    }
    const b = median(ours.map((m) => m.bytes));
    const rb = median(ref.map((m) => m.bytes));
    const f = ours.every((m) => m.fcp !== null) ? median(ours.map((m) => m.fcp!)) : null;
    const rf = ref.every((m) => m.fcp !== null) ? median(ref.map((m) => m.fcp!)) : null;
    if (b > 0) measured++;
    console.log(`${name} (${path}) | ${kb(b)} | ${median(ours.map((m) => m.requests))} | ${sec(f)} | ${kb(rb)} | ${sec(rf)} | ${(b / rb).toFixed(2)}× | ${f && rf ? (f / rf).toFixed(2) + '×' : '—'}`);
    if (path === '/') {
      const okBytes = b < TARGET_BYTES;
      const okFcp = f !== null && f < TARGET_FCP_MS;
      console.log(`  objectif accueil : transfert < ${kb(TARGET_BYTES)} ${okBytes ? 'atteint' : 'NON ATTEINT'} ; 1er affichage < ${sec(TARGET_FCP_MS)} ${okFcp ? 'atteint' : 'NON ATTEINT'}`);
      failed ||= !okBytes || !okFcp;
    }
  }
} finally {
  await browser.close();
  await server.close();
  await store.close();
}
if (measured === 0) { console.error('Rien n’a été mesuré.'); process.exit(1); }
if (failed) process.exit(1);
