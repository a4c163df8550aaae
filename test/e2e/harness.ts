/**
 * End-to-end harness: builds the web app when stale, seeds a temporary SQLite database with the demo
 * consultation, creates one user per role, starts the real server on 127.0.0.1 and drives Debian's
 * Chromium with playwright-core. Nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const CHROMIUM = process.env.FABRIQUE_CHROMIUM?.trim() || '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const SKIP: string | false = HAS_CHROMIUM ? false : `chromium absent (${CHROMIUM}) : tests de bout en bout ignorés`;
if (!HAS_CHROMIUM) console.log(`# ${SKIP}`);

export const SCREENSHOTS = join(ROOT, 'out', 'screenshots');
const SEED_DIR = join(ROOT, 'out', 'e2e');

export const USERS = {
  admin: { email: 'admin@ars.test', password: 'motdepasse-admin-2024', role: 'admin' },
  analyst: { email: 'analyste@ars.test', password: 'motdepasse-analyste-2024', role: 'analyst' },
  facilitator: { email: 'animateur@ars.test', password: 'motdepasse-animateur-2024', role: 'facilitator' },
} as const;

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds web/dist unless it is newer than every source of the front end. */
export function ensureWebBuilt(): void {
  const index = join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'web', 'src')), statSync(join(ROOT, 'web', 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources && process.env.FABRIQUE_E2E_REBUILD !== '1') return;
  // the package script: it also keeps only the DSFR icons the code uses, as the served build does
  const r = spawnSync('npm', ['run', '-s', 'build:web', '--', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(r.status, 0, 'vite build a échoué');
}

/** A SQLite file with the demo consultation, seeded once (`fabrique demo`) and copied per run. */
function seededDb(target: string): void {
  mkdirSync(SEED_DIR, { recursive: true });
  const seed = join(SEED_DIR, 'demo-seed.sqlite');
  const inputs = Math.max(newestMtime(join(ROOT, 'demo')), newestMtime(join(ROOT, 'src')));
  if (!existsSync(seed) || statSync(seed).mtimeMs < inputs) {
    rmSync(seed, { force: true });
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'fabrique.ts'), 'demo'], {
      cwd: ROOT, env: { ...process.env, FABRIQUE_DB: seed, DATABASE_URL: '' }, encoding: 'utf8',
    });
    assert.equal(r.status, 0, `fabrique demo a échoué : ${r.stderr}`);
  }
  copyFileSync(seed, target);
}

export interface Fabrique {
  baseUrl: string;
  close: () => Promise<void>;
}

/** `prepare`: more data for one suite (e.g. a plan imported), written before the server starts. */
export async function startFabrique(opts: { prepare?: (store: import('../../src/store/index.ts').Store) => Promise<void> } = {}): Promise<Fabrique> {
  ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-e2e-'));
  const db = join(dir, 'fabrique.sqlite');
  seededDb(db);
  const { Store } = await import('../../src/store/index.ts');
  const { assignConsultation, createUser } = await import('../../src/store/accounts.ts');
  const { hashPassword } = await import('../../src/server/password.ts');
  const serve = await import('../../src/server/serve.ts');
  const store = await Store.open({ sqlitePath: db });
  await store.migrate();
  for (const u of Object.values(USERS)) {
    await createUser(store, { email: u.email, role: u.role, passwordHash: await hashPassword(u.password) });
  }
  // facilitators reach only the consultations they are assigned to
  await assignConsultation(store, USERS.facilitator.email, 'demo', 'e2e');
  await opts.prepare?.(store);
  const server = await serve.startServer({ store, host: '127.0.0.1', port: 0, formRateLimit: 1000, loginRateLimit: 1000, loginAccountRateLimit: 1000, readRateLimit: 0 });
  return {
    baseUrl: server.url.replace(/\/$/, ''),
    close: async () => {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
}

/** Waits until the page's main heading is rendered and nothing is loading. */
export async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction('!document.querySelector("main [role=status]")?.textContent?.includes("Chargement")', undefined, { timeout: 15_000 }).catch(() => {});
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface AxeReport { page: string; violations: { id: string; impact?: string | null; help: string; targets: string[] }[] }
export const axeReports: AxeReport[] = [];

/** Runs axe-core (WCAG 2 A/AA, 2.1 AA) and fails on any violation, naming each. */
export async function checkA11y(page: Page, name: string): Promise<void> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  axeReports.push({ page: name, violations });
  assert.deepEqual(violations, [], `${name} : violations axe\n${JSON.stringify(violations, null, 2)}`);
}

/** Visits a page, waits, screenshots and checks accessibility. */
export async function visit(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await settled(page);
  await screenshot(page, name);
  await checkA11y(page, name);
}

export async function login(page: Page, baseUrl: string, who: keyof typeof USERS): Promise<void> {
  await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel('Adresse électronique').fill(USERS[who].email);
  await page.getByLabel('Mot de passe').fill(USERS[who].password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Back-office' }).waitFor();
}

/**
 * Runs `fn` in a fresh browser context (signed in as `who` when given) and fails on any JavaScript error
 * or anything the Content-Security-Policy blocked; the context is closed whatever happens.
 */
export async function inPage(browser: Browser, baseUrl: string, who: keyof typeof USERS | null, fn: (page: Page, ctx: BrowserContext) => Promise<void>): Promise<void> {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(`CSP : ${m.text()}`); });
  try {
    if (who) await login(page, baseUrl, who);
    await fn(page, ctx);
    assert.deepEqual(errors, [], `erreurs JavaScript : ${errors.join('\n')}`);
  } finally {
    await ctx.close();
  }
}

/**
 * In a describe block: starts the demo server and the browser before its tests (handing them to `set`) and
 * closes both after them.
 */
export function fabriqueSuite(set: (app: Fabrique, browser: Browser) => void, opts: Parameters<typeof startFabrique>[0] = {}): void {
  let app: Fabrique | undefined;
  let browser: Browser | undefined;
  before(async () => {
    app = await startFabrique(opts);
    browser = await launchBrowser();
    set(app, browser);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
}

/** The page does not scroll sideways (at 375 px, where the suites call it); one pixel of rounding allowed. */
export async function noHorizontalScroll(page: Page, what: string): Promise<void> {
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  assert.ok(overflow <= 1, `${what} : pas de défilement horizontal à 375 px (${overflow} px)`);
}

/** At 1280 then 375 px: screenshots and axe at both, no sideways scroll at 375; back to 1280 px. */
export async function atBothWidths(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await settled(page);
  await screenshot(page, `${name}-1280`);
  await checkA11y(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  await settled(page);
  await noHorizontalScroll(page, name);
  await screenshot(page, `${name}-375`);
  await checkA11y(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** `prepare` of the suites that need the demo's restitution and its easy-to-read summary published, as `fabrique demo --serve` does. */
export async function publishDemoRestitution(store: import('../../src/store/index.ts').Store): Promise<void> {
  const { context } = await import('../../src/usecases/context.ts');
  const { publishSynthesis } = await import('../../src/usecases/syntheses.ts');
  const { demoEasyRead, DEMO_ACTOR } = await import('../../src/cli/commands/demo.ts');
  await publishSynthesis(context(store, { name: DEMO_ACTOR, role: 'cli' }), { consultation: 'demo' });
  await demoEasyRead(store, 'demo', { publish: true });
}
