/**
 * The public follow-up pages (issue 15): /schemas/:id/suivi reached from the plan page, /contributions/:id and
 * /idees/:id (« Que sont devenues vos propositions ? »). What they print (progress with its number, statuses, the
 * owner organisation, the timeline, the indicator against its baseline and target), what they never print (the
 * contact person, the account, a withheld contribution), no axe violation at 1280 and 375 px, no horizontal
 * scrolling of the page on a phone, and bars drawn in HTML (no charting library downloaded).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPlanActions } from '../../src/usecases/actions.ts';
import { CLI_ACTOR, context } from '../../src/usecases/context.ts';
import { oqosIndicators } from '../../src/usecases/followup-indicators.ts';
import { importPlan } from '../../src/usecases/plan.ts';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.ts';
import { TEXTS, decideTestLinks, seedCoverage } from '../helpers/coverage-fixture.ts';
import { CONTACT, OWNER, seedFollowup } from '../helpers/followup-fixture.ts';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, atBothWidths } from './harness.ts';

async function headingsInOrder(page: Page): Promise<void> {
  const levels = (await page.evaluate('[...document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6")].map((h) => Number(h.tagName[1]))')) as number[];
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `titre de niveau ${levels[i]} après ${levels[i - 1]} (n° ${i})`);
}


describe('le suivi public dans le navigateur', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  let planId = '';
  let ids: string[] = [];
  let lotPlan = '';
  const LOT = 'sts-lot-2023-2028.txt';
  const lotSkip = corpusSkip(LOT);
  fabriqueSuite((a, b) => { app = a; browser = b; }, {
    prepare: async (store) => {
      const seeded = await seedCoverage(store);
      planId = seeded.planId;
      ids = seeded.ids;
      await decideTestLinks(context(store, CLI_ACTOR), seeded.planId, seeded.ids);
      await seedFollowup(store, planId);
      if (!lotSkip) {
        // the Lot's scheme of the corpus (read from ../shared, never copied): 91 proposed actions, its OQOS followed
        const cli = context(store, CLI_ACTOR);
        lotPlan = (await importPlan(cli, { bytes: new Uint8Array(readFileSync(join(CORPUS_DIR, LOT))), fileName: LOT })).planId;
        await importPlanActions(cli, { plan: lotPlan });
        await oqosIndicators(cli, { plan: lotPlan });
      }
    },
  });

  test('no page downloads a charting library: the follow-up page, reached from the plan page, draws its bars in HTML', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      const scripts: string[] = [];
      page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
      await page.goto(`${app.baseUrl}/`);
      await settled(page);
      assert.ok(scripts.length > 0 && !scripts.some((u) => /echarts/.test(u)), `accueil : ${scripts.join(', ')}`);
      await page.goto(`${app.baseUrl}/schemas/${encodeURIComponent(planId)}`);
      await settled(page);
      await page.getByRole('link', { name: /Le suivi du schéma/ }).click();
      await page.getByRole('heading', { level: 1, name: /Le suivi du schéma — Lozère 2023-2028/ }).waitFor();
      await page.locator('.followup-indicator__chart .bar__fill').first().waitFor();
      // the other charts (BarChart) are tables with bars too
      await page.goto(`${app.baseUrl}/consultations/couverture-test/chiffres`);
      await page.locator('.chart table .bar__fill').first().waitFor();
      assert.ok(!scripts.some((u) => /echarts/.test(u)), `aucune bibliothèque de graphiques : ${scripts.join(', ')}`);
    });
  });

  test('/schemas/:id/suivi: progress with its number, actions by status, the indicator, the taken-up share; nothing private', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/schemas/${encodeURIComponent(planId)}/suivi`);
      await page.getByRole('heading', { level: 1, name: /Le suivi du schéma/ }).waitFor();
      await page.locator('.followup-indicator__chart .bar__fill').first().waitFor();
      // one timeline open, to see it on the screenshot
      await page.locator('details.followup-history summary').first().click();
      const main = await page.locator('main').innerText();
      assert.match(main, /Avancement de l’ensemble du schéma\s*73,3 %/);
      assert.match(main, /Avancement de l’objectif\s*60 %/);
      assert.match(main, /2 actions : 1 en cours, 1 abandonnée\./);
      assert.match(main, /En cours \(1\)/);
      assert.match(main, new RegExp(`Porteur : ${OWNER}`));
      assert.match(main, /Motif de l’abandon : Remplacée par une action régionale\./);
      assert.match(main, /Début le 15 janvier 2026, échéance le 30 juin 2027/);
      assert.match(main, /statut : engagée → en cours/);
      assert.match(main, /«\s*Le guichet reçoit ses premiers rendez-vous\.\s*»/);
      assert.match(main, /75 %\s*des propositions publiées de la consultation «\s*Consultation fictive de Lozère\s*» sont reprises/);
      assert.match(main, /Unités de dialyse médicalisée/);
      assert.match(main, /Départ 2 implantations, cible 5 implantations/);
      assert.match(main, /Mesure du 15 novembre 2026\s*3 implantations/);
      assert.match(main, /2 contributions publiées reprises dans cet objectif/);
      assert.match(main, /5 contributions publiées\s*1 idée commune\s*2 objectifs du schéma nourris par la consultation\s*1 action de ces objectifs engagée, en cours ou réalisée\s*0 action réalisée/);
      for (const bad of [CONTACT, 'Une autre personne', 'pilote.suivi', TEXTS[5]!.text, 'en_cours', 'proposee', 'E1D2O3']) assert.ok(!main.includes(bad), `jamais à l’écran : ${bad}`);
      await headingsInOrder(page);
      assert.equal(await page.getByRole('progressbar').first().getAttribute('aria-valuetext'), '73,3 %');
      const download = page.getByRole('link', { name: /Télécharger le suivi en données ouvertes/ });
      assert.match(String(await download.getAttribute('href')), /\/api\/plans\/.+\/followup\.json$/);
      await atBothWidths(page, 'suivi');
    });
  });

  test('/contributions/:id, from the contribution list: its idea, its objective and actions; a withheld contribution is not found', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/consultations/couverture-test`);
      const toFollowup = page.getByRole('link', { name: /Que sont devenues vos propositions \? Le suivi du schéma/ });
      assert.match(String(await toFollowup.getAttribute('href')), /^\/schemas\/.+\/suivi$/);
      await page.goto(`${app.baseUrl}/consultations/couverture-test/contributions`);
      await settled(page);
      const item = page.locator('li.contribution', { hasText: 'Installer un guichet unique' });
      await item.getByRole('link', { name: 'Que devient cette contribution ?' }).click();
      await page.getByRole('heading', { level: 1, name: 'Que sont devenues vos propositions ?' }).waitFor();
      await settled(page);
      const main = await page.locator('main').innerText();
      assert.match(main, /Installer un guichet unique pour aider les jeunes médecins/);
      assert.match(main, /Faciliter l’installation des médecins — 2 contributions/);
      assert.match(main, /Objectif : Accompagner l’installation des professionnels de santé/);
      assert.match(main, /Repris\s+dans le schéma territorial de santé \(Lozère\) avec l’idée commune «\s*Faciliter l’installation des médecins\s*»/i);
      assert.match(main, /Un guichet départemental/);
      assert.ok(!main.includes(CONTACT) && !main.includes('pilote.suivi'));
      await headingsInOrder(page);
      await atBothWidths(page, 'contribution');
      // a national decision, with its reason
      await page.goto(`${app.baseUrl}/contributions/${encodeURIComponent(ids[3]!)}`);
      await page.getByText('Relève du niveau national').waitFor();
      assert.match(await page.locator('main').innerText(), /la prise en charge des transports relève de l’Assurance maladie/);
      // withheld in moderation: not found, its text never shown
      await page.goto(`${app.baseUrl}/contributions/${encodeURIComponent(ids[5]!)}`);
      await page.getByRole('heading', { level: 1, name: 'Contribution introuvable' }).waitFor();
      assert.ok(!(await page.locator('main').innerText()).includes(TEXTS[5]!.text));
      await checkA11y(page, 'contribution-introuvable');
    });
  });

  test('/idees/:id: its contributions, its objective and actions; from an example to the contribution page', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/idees/g-install`);
      await page.getByRole('heading', { level: 1, name: 'Que sont devenues vos propositions ?' }).waitFor();
      await settled(page);
      const main = await page.locator('main').innerText();
      assert.match(main, /l’idée commune «\s*Faciliter l’installation des médecins\s*», exprimée dans 2 contributions publiées/);
      assert.match(main, /Quelques contributions/);
      assert.match(main, /Objectif : Accompagner l’installation des professionnels de santé/);
      assert.ok(!main.includes(TEXTS[5]!.text), 'la contribution retenue en modération n’apparaît pas');
      await headingsInOrder(page);
      await atBothWidths(page, 'idee');
      await page.getByRole('link', { name: 'Suivre cette contribution' }).first().click();
      await page.locator('blockquote.followup-quote').waitFor();
      assert.match(page.url(), /\/contributions\//);
    });
  });

  test('the Lot’s scheme of the corpus: 91 actions under 19 objectives, its OQOS indicators; axe and 375 px', { skip: lotSkip }, async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/schemas/${encodeURIComponent(lotPlan)}/suivi`);
      await page.getByRole('heading', { level: 1, name: /Le suivi du schéma — Lot/ }).waitFor();
      await settled(page);
      const main = await page.locator('main').innerText();
      assert.match(main, /Avancement de l’ensemble du schéma\s*0 %/);
      assert.match(main, /91 actions : 91 proposées\./);
      assert.equal(await page.locator('article.followup-objective').count(), 19);
      assert.match(main, /Indicateurs du schéma/);
      assert.ok(!/\bproposee\b|\boqos\b/.test(main), 'aucun code interne à l’écran');
      await headingsInOrder(page);
      await atBothWidths(page, 'suivi-lot');
    });
  });
});
