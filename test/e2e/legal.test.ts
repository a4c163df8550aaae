/**
 * The legal pages and the site map (issue 16): each reached from the DSFR footer, with no axe violation at 1280 and
 * 375 px and no horizontal scrolling on a phone; only the site's own cookies, no request to another site; an unknown
 * address answers 404 with the app's « Page introuvable ».
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { SCREENSHOTS, SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, noHorizontalScroll } from './harness.ts';

const PAGES: { link: RegExp; h1: string; name: string; expect: RegExp[] }[] = [
  { link: /^Accessibilité : non conforme$/, h1: 'Déclaration d’accessibilité', name: 'accessibilite', expect: [/Ce site est non conforme/, /Voies de recours/, /Libre réponse 71120/, /axe-core/, /13\.1/] },
  { link: /^Mentions légales$/, h1: 'Mentions légales', name: 'mentions-legales', expect: [/Éditeur/, /non renseigné par l’exploitant/, /EUPL-1\.2/] },
  { link: /^Données personnelles$/, h1: 'Données personnelles', name: 'donnees-personnelles', expect: [/le code postal lui-même est gardé à part, jamais publié/, /à partir de 5 contributions/, /90 jours/, /12 heures/, /CNIL/, /mission d’intérêt public/] },
  { link: /^Gestion des cookies$/, h1: 'Gestion des cookies', name: 'gestion-des-cookies', expect: [/fabrique_csrf/, /fabrique_session/, /aucun outil de mesure\s+d’audience/] },
  { link: /^Plan du site$/, h1: 'Plan du site', name: 'plan-du-site', expect: [/Contributions publiées/, /Espace ARS : connexion/, /Gestion des cookies/] },
];


describe('pages légales et plan du site', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  fabriqueSuite((a, b) => { app = a; browser = b; });

  test('les cinq pages depuis le pied de page : contenu, axe à 1280 et 375 px, sans défilement horizontal', async () => {
    await inPage(browser, app.baseUrl, null, async (page, ctx) => {
      const foreign: string[] = [];
      page.on('request', (r) => { if (!r.url().startsWith(app.baseUrl) && !r.url().startsWith('data:')) foreign.push(r.url()); });
      await page.goto(`${app.baseUrl}/`);
      await settled(page);
      for (const p of PAGES) {
        // from the footer of the page before (the home page first): the footer is on every page
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.locator('#pied-de-page').getByRole('link', { name: p.link }).click();
        await page.getByRole('heading', { level: 1, name: p.h1 }).waitFor();
        await settled(page);
        const main = await page.locator('main').innerText();
        for (const re of p.expect) assert.match(main, re, `${p.name} : ${re}`);
        const levels = (await page.evaluate('[...document.querySelectorAll("main h1, main h2, main h3, main h4")].map((h) => Number(h.tagName[1]))')) as number[];
        for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `${p.name} : titre de niveau ${levels[i]} après ${levels[i - 1]}`);
        await screenshot(page, `legal-${p.name}-1280`);
        await checkA11y(page, `legal-${p.name}-1280`);
        await page.setViewportSize({ width: 375, height: 800 });
        await settled(page);
        await noHorizontalScroll(page, p.name);
        await screenshot(page, `legal-${p.name}-375`);
        // the first screen as a phone shows it, for reading (full-page shots are long)
        await page.screenshot({ path: join(SCREENSHOTS, `legal-${p.name}-375-haut.png`) });
        await checkA11y(page, `legal-${p.name}-375`);
      }
      // the site map reaches the demo consultation's pages
      await page.goto(`${app.baseUrl}/plan-du-site`);
      await settled(page);
      await page.locator('main').getByRole('link', { name: 'En chiffres' }).first().click();
      await page.waitForURL(/\/consultations\/demo\/chiffres$/);
      assert.deepEqual(foreign, [], 'aucune requête vers un autre site');
      // what the cookie page lists: only the CSRF cookie for a visitor who sent nothing yet (none at all, or it)
      const names = (await ctx.cookies()).map((c) => c.name);
      assert.ok(names.every((n) => n === 'fabrique_csrf' || n === 'fabrique_session'), `cookies : ${names.join(', ')}`);
    });
  });

  test('une adresse inconnue répond 404 avec « Page introuvable », une page connue 200', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      const missing = await page.goto(`${app.baseUrl}/consultations/demo/nulle-part`);
      assert.equal(missing?.status(), 404);
      await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
      await settled(page);
      await screenshot(page, 'legal-404-1280');
      await checkA11y(page, 'legal-404-1280');
      await page.getByRole('link', { name: 'Consulter le plan du site' }).click();
      await page.getByRole('heading', { level: 1, name: 'Plan du site' }).waitFor();
      const known = await page.goto(`${app.baseUrl}/mentions-legales`);
      assert.equal(known?.status(), 200);
    });
  });
});

describe('pages légales réglées par l’exploitant', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  const SITE = {
    FABRIQUE_SITE_PUBLISHER: 'Agence régionale de santé d’essai', FABRIQUE_SITE_DIRECTOR: 'La directrice générale d’essai',
    FABRIQUE_SITE_CONTACT: 'contact@ars.test', FABRIQUE_SITE_DPO: 'dpo@ars.test',
    FABRIQUE_SITE_RGAA_AUDIT_DATE: '2026-03-01', FABRIQUE_SITE_RGAA_AUDIT_RATE: '64,5',
  };
  // the server reads the settings when it starts (fabriqueSuite's before), then the environment is put back
  before(() => { Object.assign(process.env, SITE); });
  fabriqueSuite((a, b) => { app = a; browser = b; });
  before(() => { for (const k of Object.keys(SITE)) delete process.env[k]; });

  test('éditeur, contacts, audit et état « partiellement conforme » dans les pages et le pied de page', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/mentions-legales`);
      await settled(page);
      const notice = await page.locator('main').innerText();
      assert.match(notice, /Agence régionale de santé d’essai/);
      assert.match(notice, /La directrice générale d’essai/);
      assert.match(notice, /non renseigné par l’exploitant/, 'l’hébergeur non réglé est dit tel');
      assert.equal(await page.locator('main a[href="mailto:contact@ars.test"]').count(), 1);
      await page.locator('#pied-de-page').getByRole('link', { name: 'Accessibilité : partiellement conforme' }).click();
      await page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' }).waitFor();
      await settled(page);
      const decl = await page.locator('main').innerText();
      assert.match(decl, /Ce site est partiellement conforme/);
      assert.match(decl, /réalisé le 1(?:er|ᵉʳ) mars 2026 révèle que 64,5 % des critères/);
      assert.match(decl, /établie le 1(?:er|ᵉʳ) mars 2026/);
      await checkA11y(page, 'legal-accessibilite-auditee-1280');
      await page.locator('#pied-de-page').getByRole('link', { name: 'Données personnelles' }).click();
      await page.getByRole('heading', { level: 1, name: 'Données personnelles' }).waitFor();
      await settled(page);
      assert.match(await page.locator('main').innerText(), /Écrivez au délégué à la protection des données : dpo@ars\.test/);
    });
  });
});
