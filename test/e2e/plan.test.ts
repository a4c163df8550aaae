/**
 * The public page « Le schéma territorial de santé » of the Lozère (issue 13, acceptance): imported through the
 * use case into the demo database, rendered in Chromium at 1280 and 375 px with no axe violation, headings in
 * order, long OQOS tables scrolling inside a focusable region with a caption; and its back-office counterpart,
 * where an analyst corrects a title.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CLI_ACTOR, context } from '../../src/usecases/context.ts';
import { importPlan } from '../../src/usecases/plan.ts';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.ts';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, visit, type Fabrique } from './harness.ts';

const LOZERE = 'sts-lozere-2023-2028.md';
const skip = SKIP || corpusSkip(LOZERE);

describe('le schéma territorial de santé dans le navigateur', { skip, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  fabriqueSuite((a, b) => { app = a; browser = b; }, {
    prepare: async (store) => {
      const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, LOZERE)));
      await importPlan(context(store, CLI_ACTOR), { bytes, fileName: LOZERE, consultation: undefined });
    },
  });

  test('page publique du Lozère : sans violation axe, titres dans l’ordre, à 1280 et à 375 px', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/`);
      await settled(page);
      await page.getByRole('heading', { level: 2, name: 'Les schémas territoriaux de santé' }).waitFor();
      await checkA11y(page, 'accueil-avec-schema');
      await page.getByRole('link', { name: /schéma territorial de santé — Lozère/ }).click();
      await page.getByRole('heading', { level: 1, name: /Le schéma territorial de santé — Lozère 2023-2028/ }).waitFor();
      await settled(page);
      await screenshot(page, 'plan-lozere-1280');
      await checkA11y(page, 'plan-lozere-1280');
      const levels = (await page.evaluate('[...document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6")].map((h) => Number(h.tagName[1]))')) as number[];
      assert.equal(levels[0], 1);
      for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `titre de niveau ${levels[i]} après ${levels[i - 1]} (n° ${i})`);
      assert.equal(await page.locator('main h5').count(), 13, '13 objectifs');
      assert.equal(await page.locator('main h4', { hasText: /^Défi / }).count(), 11, '11 défis');
      assert.ok(await page.getByText('donnée manquante').count() >= 6, 'les cases vides des OQOS sont dites manquantes');
      const oqos = page.locator('.oqos-table [role=region]');
      assert.ok(await oqos.count() >= 20, 'les tableaux OQOS');
      assert.equal(await oqos.first().getAttribute('tabindex'), '0', 'zone défilante atteignable au clavier');
      assert.ok(await page.locator('.oqos-table caption').count() >= 20, 'chaque tableau a sa légende');

      await page.setViewportSize({ width: 375, height: 800 });
      await settled(page);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      assert.ok(overflow <= 1, `pas de défilement horizontal de la page à 375 px (${overflow} px)`);
      await screenshot(page, 'plan-lozere-375');
      await checkA11y(page, 'plan-lozere-375');
    });
  });

  test('« En chiffres » garde ses graphiques d’indicateurs (composant partagé avec la data repère)', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await visit(page, `${app.baseUrl}/consultations/demo/chiffres`, 'plan-chiffres-demo');
      await page.getByRole('heading', { level: 2, name: 'Indicateurs du territoire' }).waitFor();
      assert.ok(await page.locator('section[aria-labelledby=indicateurs-titre] figure').count() >= 1, 'les graphiques des indicateurs');
    });
  });

  test('back-office : un analyste corrige le titre d’un engagement, la page publique le montre', async () => {
    await inPage(browser, app.baseUrl, 'analyst', async (page) => {
      await visit(page, `${app.baseUrl}/admin/schemas`, 'plan-admin-liste');
      await page.getByRole('link', { name: /Schéma territorial de santé/ }).first().click();
      await page.getByRole('heading', { level: 1, name: /^Corriger/ }).waitFor();
      await settled(page);
      // « Corriger » in the list fills the form above and takes the focus there
      await page.getByRole('button', { name: 'Corriger E2D1O6' }).click();
      assert.equal(await page.getByLabel('Élément', { exact: true }).inputValue(), 'E2D1O6');
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("name")'), 'code');
      await page.getByLabel('Élément', { exact: true }).selectOption('E1');
      await page.getByLabel('Champ à corriger').selectOption('title');
      const input = page.getByLabel(/Nouvelle valeur/);
      await input.fill('');
      await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
      await page.getByText('Le titre ne peut pas être vide.').first().waitFor();
      await input.fill('Un engagement au titre relu');
      await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
      await page.getByText(/inscrite au journal d’audit/).first().waitFor();
      await screenshot(page, 'plan-admin-correction');
      await checkA11y(page, 'plan-admin-correction');
      await page.getByRole('link', { name: 'Page publique du schéma' }).click();
      await page.getByRole('heading', { level: 3, name: /Un engagement au titre relu/ }).waitFor();
    });
  });
});
