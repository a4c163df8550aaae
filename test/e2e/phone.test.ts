/**
 * Every page on a phone (issue 16, point 3): each route of WEB_PAGE_ROUTES, public pages anonymously and back-office
 * pages signed in, at 375 px then 1280 px on the demo data. At both widths: the page does not scroll sideways, no
 * table or box scrolls sideways inside it either (tables reflow into cards below 48em), axe finds no WCAG A/AA
 * violation, and a full-page screenshot is written (out/screenshots/phone-*). The facilitator's « Saisir le
 * compte-rendu » link is inside the viewport at both widths, and the charts of « En chiffres » draw one bar per
 * territory only for comparable figures (rates), never a population on France's scale.
 *
 * A new page: append it to PAGES (its route as written in WEB_PAGE_ROUTES, who signs in, how its address is made
 * from the demo ids); the first test fails while a route of WEB_PAGE_ROUTES is missing from PAGES.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { WEB_PAGE_ROUTES } from '../../src/domain/site.ts';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, type USERS } from './harness.ts';

/** The demo's ids, read from the public API (nothing hard-coded but the demo's slug and plan). */
interface DemoIds { slug: string; plan: string; contribution: string; idea: string; meeting: string; action: string }

interface PhonePage {
  /** the route exactly as in WEB_PAGE_ROUTES */
  route: (typeof WEB_PAGE_ROUTES)[number];
  /** who is signed in (null: anonymous) */
  who: keyof typeof USERS | null;
  /** the address, from the demo ids; by default the route with :slug and :id replaced */
  path?: (d: DemoIds) => string;
  /** short name of the screenshots */
  name: string;
}

const enc = encodeURIComponent;

/** One entry a page; append new pages here. */
const PAGES: PhonePage[] = [
  { route: '/', who: null, name: 'accueil' },
  { route: '/consultations', who: null, name: 'consultations' },
  { route: '/consultations/:slug', who: null, name: 'consultation' },
  { route: '/consultations/:slug/contribuer', who: null, name: 'contribuer' },
  { route: '/consultations/:slug/contribuer/merci', who: null, name: 'merci' },
  { route: '/consultations/:slug/contributions', who: null, name: 'contributions' },
  { route: '/consultations/:slug/restitution', who: null, name: 'restitution' },
  { route: '/consultations/:slug/chiffres', who: null, name: 'chiffres' },
  { route: '/schemas/:id', who: null, path: (d) => `/schemas/${enc(d.plan)}`, name: 'schema' },
  { route: '/schemas/:id/couverture', who: null, path: (d) => `/schemas/${enc(d.plan)}/couverture`, name: 'couverture' },
  { route: '/schemas/:id/suivi', who: null, path: (d) => `/schemas/${enc(d.plan)}/suivi`, name: 'suivi' },
  { route: '/contributions/:id', who: null, path: (d) => `/contributions/${enc(d.contribution)}`, name: 'contribution' },
  { route: '/idees/:id', who: null, path: (d) => `/idees/${enc(d.idea)}`, name: 'idee' },
  { route: '/connexion', who: null, name: 'connexion' },
  { route: '/accessibilite', who: null, name: 'accessibilite' },
  { route: '/mentions-legales', who: null, name: 'mentions-legales' },
  { route: '/donnees-personnelles', who: null, name: 'donnees-personnelles' },
  { route: '/gestion-des-cookies', who: null, name: 'cookies' },
  { route: '/plan-du-site', who: null, name: 'plan-du-site' },
  { route: '/admin', who: 'admin', name: 'admin' },
  { route: '/admin', who: 'facilitator', name: 'admin-animateur' },
  { route: '/admin/consultations/nouvelle', who: 'admin', name: 'admin-nouvelle' },
  { route: '/admin/consultations/:slug', who: 'admin', name: 'admin-consultation' },
  { route: '/admin/consultations/:slug', who: 'facilitator', name: 'admin-consultation-animateur' },
  { route: '/admin/consultations/:slug/reunions/:id/compte-rendu', who: 'facilitator', path: (d) => `/admin/consultations/${d.slug}/reunions/${enc(d.meeting)}/compte-rendu`, name: 'admin-compte-rendu' },
  { route: '/admin/consultations/:slug/import', who: 'admin', name: 'admin-import' },
  { route: '/admin/consultations/:slug/moderation', who: 'admin', name: 'admin-moderation' },
  { route: '/admin/consultations/:slug/analyse', who: 'analyst', name: 'admin-analyse' },
  { route: '/admin/consultations/:slug/synthese', who: 'analyst', name: 'admin-synthese' },
  { route: '/admin/consultations/:slug/rouvrir', who: 'admin', name: 'admin-rouvrir' },
  { route: '/admin/schemas', who: 'analyst', name: 'admin-schemas' },
  { route: '/admin/schemas/:id', who: 'analyst', path: (d) => `/admin/schemas/${enc(d.plan)}`, name: 'admin-schema' },
  { route: '/admin/schemas/:id/liens', who: 'analyst', path: (d) => `/admin/schemas/${enc(d.plan)}/liens`, name: 'admin-liens' },
  { route: '/admin/suivi', who: 'admin', name: 'admin-suivi-mien' },
  { route: '/admin/schemas/:id/suivi', who: 'admin', path: (d) => `/admin/schemas/${enc(d.plan)}/suivi`, name: 'admin-suivi' },
  { route: '/admin/actions/:id', who: 'admin', path: (d) => `/admin/actions/${enc(d.action)}`, name: 'admin-action' },
  // pages of the other parts of issue 16: search, agenda and map, subscriptions, open data, easy-to-read, accounts
  { route: '/recherche', who: null, path: () => '/recherche?q=m%C3%A9decin', name: 'recherche' },
  { route: '/agenda', who: null, name: 'agenda' },
  { route: '/consultations/:slug/carte', who: null, name: 'carte' },
  { route: '/consultations/:slug/facile', who: null, name: 'facile' },
  { route: '/donnees', who: null, name: 'donnees' },
  { route: '/abonnement/confirmer', who: null, path: () => '/abonnement/confirmer?jeton=inconnu', name: 'abonnement-confirmer' },
  { route: '/abonnement/desabonner', who: null, path: () => '/abonnement/desabonner?jeton=inconnu', name: 'abonnement-desabonner' },
  { route: '/connexion/nouveau-mot-de-passe', who: null, path: () => '/connexion/nouveau-mot-de-passe?token=inconnu', name: 'nouveau-mot-de-passe' },
  { route: '/admin/comptes', who: 'admin', name: 'admin-comptes' },
  { route: '/admin/messages', who: 'admin', name: 'admin-messages' },
];

const WIDTHS = [{ width: 375, height: 800 }, { width: 1280, height: 900 }] as const;

async function demoIds(base: string): Promise<DemoIds> {
  const get = async <T,>(path: string): Promise<T> => {
    const r = await fetch(`${base}/api${path}`);
    assert.equal(r.status, 200, `GET /api${path}`);
    return (await r.json()) as T;
  };
  const slug = 'demo';
  const plan = 'sts-12-7af56949b0ee-demo';
  const cons = await get<{ meetings: { id: string }[] }>(`/consultations/${slug}`);
  const contributions = await get<{ items: { id: string }[] }>(`/consultations/${slug}/contributions?pageSize=50`);
  // a published contribution that belongs to an idea (its page then shows the idea and what became of it)
  let contribution = '';
  let idea = '';
  for (const c of contributions.items) {
    const f = await get<{ ideas: { id: string }[] }>(`/contributions/${enc(c.id)}/followup`);
    if (f.ideas.length) { contribution = c.id; idea = f.ideas[0]!.id; break; }
  }
  assert.ok(contribution && idea, 'une contribution publiée rattachée à une idée commune');
  const followup = await get<{ engagements: { objectives: { actions: { id: string }[] }[] }[] }>(`/plans/${plan}/followup`);
  const action = followup.engagements.flatMap((e) => e.objectives.flatMap((o) => o.actions))[0]?.id;
  assert.ok(action, 'une action du schéma de démonstration');
  assert.ok(cons.meetings[0], 'une réunion de démonstration');
  return { slug, plan, contribution, idea, meeting: cons.meetings[0].id, action };
}

/** What scrolls sideways at this width: the page itself, or any element inside it (a table, a code block…). */
const SIDEWAYS = `(() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) out.push('la page (' + doc.scrollWidth + ' px pour ' + window.innerWidth + ' px)');
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (!/(auto|scroll)/.test(s.overflowX) || el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
    const name = el.getAttribute('aria-label') || String(el.className) || el.tagName;
    out.push(el.tagName.toLowerCase() + ' « ' + name.slice(0, 80) + ' » (' + el.scrollWidth + ' px pour ' + el.clientWidth + ' px)');
  }
  return out;
})()`;

async function sidewaysScroll(page: Page): Promise<string[]> {
  return (await page.evaluate(SIDEWAYS)) as string[];
}

const fill = (p: PhonePage, d: DemoIds) => p.path?.(d) ?? p.route.replace(':slug', d.slug);

describe('chaque page sur un téléphone (375 px) et sur un écran (1280 px)', { skip: SKIP, timeout: 900_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  let ids: DemoIds;
  fabriqueSuite((a, b) => { app = a; browser = b; });

  test('la liste des pages couvre chaque route de WEB_PAGE_ROUTES', () => {
    const listed = new Set(PAGES.map((p) => p.route));
    assert.deepEqual(WEB_PAGE_ROUTES.filter((r) => !listed.has(r)), [], 'routes absentes de PAGES (test/e2e/phone.test.ts)');
    for (const p of PAGES) assert.doesNotMatch(fill(p, { slug: 's', plan: 'p', contribution: 'c', idea: 'i', meeting: 'm', action: 'a' }), /:/, `${p.route} : paramètre non remplacé`);
  });

  for (const who of [null, 'admin', 'analyst', 'facilitator'] as const) {
    const pages = PAGES.filter((p) => p.who === who);
    test(`${who ?? 'visiteur'} : ${pages.length} pages sans défilement horizontal, sans violation axe, à 375 et 1280 px`, async () => {
      ids ??= await demoIds(app.baseUrl);
      await inPage(browser, app.baseUrl, who, async (page) => {
        const problems: string[] = [];
        for (const p of pages) {
          for (const size of WIDTHS) {
            // every page is tried, and all that is wrong is reported at the end
            try {
              await page.setViewportSize(size);
              await page.goto(`${app.baseUrl}${fill(p, ids)}`);
              await settled(page);
              for (const s of await sidewaysScroll(page)) problems.push(`${p.name} à ${size.width} px, défilement horizontal : ${s}`);
              await screenshot(page, `phone-${p.name}-${size.width}`);
              await checkA11y(page, `phone-${p.name}-${size.width}`);
            } catch (e) {
              problems.push(`${p.name} à ${size.width} px : ${(e as Error).message.slice(0, 2000)}`);
            }
          }
        }
        assert.deepEqual(problems, []);
      });
    });
  }

  test('« Saisir le compte-rendu » : dans la fenêtre à 375 et 1280 px, pour l’animateur', async () => {
    ids ??= await demoIds(app.baseUrl);
    await inPage(browser, app.baseUrl, 'facilitator', async (page) => {
      for (const size of WIDTHS) {
        await page.setViewportSize(size);
        await page.goto(`${app.baseUrl}/admin/consultations/${ids.slug}`);
        await settled(page);
        const links = page.getByRole('link', { name: /^Saisir le compte-rendu/ });
        const n = await links.count();
        assert.ok(n >= 3, `${n} liens « Saisir le compte-rendu »`);
        for (let i = 0; i < n; i++) {
          const link = links.nth(i);
          await link.scrollIntoViewIfNeeded();
          const box = await link.boundingBox();
          assert.ok(box, 'lien affiché');
          const vw = size.width;
          assert.ok(box.x >= 0 && box.x + box.width <= vw, `lien n° ${i + 1} hors de la fenêtre à ${vw} px (x ${box.x}, largeur ${box.width})`);
        }
        // it leads to the report form of that meeting
        await links.first().click();
        await page.getByRole('heading', { level: 1, name: /compte-rendu/i }).waitFor();
      }
    });
  });

  test('« En chiffres » : une barre par territoire pour les taux seulement, valeur et unité au bout de chaque barre', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${app.baseUrl}/consultations/demo/chiffres`);
      await settled(page);
      const indicators = page.getByRole('region', { name: 'Indicateurs du territoire' });
      // a population (279 600 against 67,6 millions) is given as numbers, with no bar on a common scale
      const population = indicators.getByRole('table', { name: /^Population \(2021\)/ });
      assert.match(await population.getByRole('row', { name: /Aveyron/ }).innerText(), /279\s600\s+habitants/);
      assert.equal(await population.locator('.bar__fill').count(), 0, 'aucune barre pour une population');
      // a share is drawn: three bars, the longest for the largest value, the value and unit printed after each bar
      const older = indicators.getByRole('table', { name: /^Part des 75 ans et plus/ });
      const fills = older.locator('.bar__fill');
      assert.equal(await fills.count(), 3, 'Aveyron, région, France');
      const widths = await fills.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      assert.ok(widths[0]! > widths[1]! && widths[1]! > widths[2]! && widths[2]! > 0, `barres proportionnelles : ${widths.join(', ')}`);
      assert.match(await older.getByRole('row', { name: /Aveyron/ }).innerText(), /13,2\s%/);
      // a missing figure is said, not drawn as 0
      const apl = indicators.getByRole('table', { name: /Accessibilité potentielle localisée/ });
      assert.match(await apl.getByRole('row', { name: /Aveyron/ }).innerText(), /donnée manquante/);
      // counts by theme: the labels wrap inside the width, every value is printed
      const byTheme = page.getByRole('table', { name: /^Contributions par thème/ });
      const rows = byTheme.locator('tbody tr');
      assert.ok((await rows.count()) >= 4);
      for (const t of await rows.allInnerTexts()) assert.match(t, /\d+ contributions?/, t);
      // the map of the home page: the labels shown are of at least 12 px once the drawing is scaled to the screen
      for (const size of WIDTHS) {
        await page.setViewportSize(size);
        await page.goto(`${app.baseUrl}/`);
        await settled(page);
        const sizes = (await page.evaluate(`[...document.querySelectorAll('.cartogram text')]
          .filter((e) => getComputedStyle(e).display !== 'none')
          .map((e) => { const svg = e.closest('svg'); return parseFloat(getComputedStyle(e).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; })`)) as number[];
        assert.ok(sizes.length > 0 && Math.min(...sizes) >= 12, `étiquettes de la carte à ${Math.min(...sizes).toFixed(1)} px à ${size.width} px`);
      }
    });
  });
});
