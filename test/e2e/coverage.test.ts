/**
 * The public coverage report page (issue 14): /schemas/:id/couverture, reached from the plan page, shows the decided
 * links' counts and quotes, never a withheld contribution, with no axe violation at 1280 and 375 px and no
 * horizontal scrolling of the page on a phone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CLI_ACTOR, context } from '../../src/usecases/context.ts';
import { decideTestLinks, seedCoverage } from '../helpers/coverage-fixture.ts';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique } from './harness.ts';

describe('le rapport de couverture dans le navigateur', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  let planId = '';
  fabriqueSuite((a, b) => { app = a; browser = b; }, {
    prepare: async (store) => {
      const seeded = await seedCoverage(store);
      planId = seeded.planId;
      await decideTestLinks(context(store, CLI_ACTOR), seeded.planId, seeded.ids);
    },
  });

  test('depuis la page du schéma : chiffres, citations, ce qui n’est pas repris ; sans violation axe, à 1280 et 375 px', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/schemas/${encodeURIComponent(planId)}`);
      await settled(page);
      await page.getByRole('link', { name: /Ce que la consultation est devenue dans le schéma/ }).click();
      await page.getByRole('heading', { level: 1, name: /Ce que la consultation est devenue dans le schéma — Lozère 2023-2028/ }).waitFor();
      await settled(page);
      await screenshot(page, 'couverture-1280');
      await checkA11y(page, 'couverture-1280');
      const main = (await page.locator('main').innerText());
      assert.match(main, /4 propositions publiées dans la consultation/);
      assert.match(main, /2 reprises par le schéma, 1 reprise en partie, 1 relevant du niveau national/);
      assert.match(main, /E1D2O3 – Accompagner l’installation des professionnels de santé/);
      assert.match(main, /Faire venir des cardiologues une journée par mois/);
      assert.match(main, /raison : une loi ne relève pas du schéma/);
      assert.ok(!main.includes('médecins remplaçants'), 'la contribution retenue en modération n’apparaît pas');
      const levels = (await page.evaluate('[...document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6")].map((h) => Number(h.tagName[1]))')) as number[];
      for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `titre de niveau ${levels[i]} après ${levels[i - 1]} (n° ${i})`);
      await page.setViewportSize({ width: 375, height: 800 });
      await settled(page);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      assert.ok(overflow <= 1, `pas de défilement horizontal de la page à 375 px (${overflow} px)`);
      await screenshot(page, 'couverture-375');
      await checkA11y(page, 'couverture-375');
    });
  });
});
