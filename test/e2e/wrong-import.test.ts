/**
 * Issue 11, e2e: a wrong import is deleted and the consultation's figures return to what they were. The real
 * case: the Nouvelle-Aquitaine workshop report imported into the demo's Aveyron consultation. The import asks
 * « Importer quand même ? », the analyst confirms, the public figures change; the analyst deletes the document
 * from the Import page (confirmation dialog), and the public figures are exactly the ones before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.ts';
import { SKIP, checkA11y, fabriqueSuite, launchBrowser, inPage, login, newContext, screenshot, settled, startFabrique, type Fabrique } from './harness.ts';

const SLUG = 'demo';
const NA = 'cnr-sante-nouvelle-aquitaine-ateliers.txt';

describe('un import erroné est supprimé', { skip: SKIP || corpusSkip(NA), timeout: 600_000 }, () => {
  let app: Fabrique;
  let browser: Browser;

  fabriqueSuite((a, b) => { app = a; browser = b; });

  /** What the public "En chiffres" page says: the headline numbers and every table of figures. */
  async function publicFigures(page: Page): Promise<{ contributions: string; text: string }> {
    await page.goto(`${app.baseUrl}/consultations/${SLUG}/chiffres`);
    await settled(page);
    await page.locator('.kpi').first().waitFor();
    const contributions = await page.locator('.kpi').first().innerText();
    const text = await page.locator('main').innerText();
    return { contributions, text };
  }

  test('l’analyste importe le mauvais fichier, voit les chiffres changer, le supprime : les chiffres reviennent', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      const before = await publicFigures(page);
      assert.match(before.contributions, /\d/);

      await login(page, app.baseUrl, 'analyst');
      await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}/import`);
      await settled(page);
      const documents = page.getByRole('table', { name: /Documents importés/ });
      await documents.waitFor();
      const rowsBefore = await documents.locator('tbody tr').count();
      await page.getByLabel(/Fichier à importer/).setInputFiles(join(CORPUS_DIR, NA));
      await page.getByLabel(/Publier le document en bloc/).check({ force: true });
      await page.getByRole('button', { name: 'Importer', exact: true }).click();

      // the file names other départements only: the import asks first, nothing is stored yet
      const warning = page.getByText('Ce fichier concerne un autre territoire');
      await warning.waitFor({ timeout: 60_000 });
      const question = await page.locator('.fr-alert--warning').innerText();
      for (const code of ['16 (Charente)', '33 (Gironde)', '47 (Lot-et-Garonne)']) assert.ok(question.includes(code), `${code} dans « ${question} »`);
      assert.match(question, /Aveyron, 12/);
      await screenshot(page, 'wrong-import-01-question');
      await checkA11y(page, 'wrong-import-01-question');
      assert.equal(await documents.locator('tbody tr').count(), rowsBefore, 'rien n’a été importé');

      await page.getByRole('button', { name: 'Importer quand même' }).click();
      await page.getByRole('heading', { name: 'Résultat de l’import' }).waitFor({ timeout: 120_000 });
      assert.match(await page.locator('main').innerText(), /Publié en bloc par analyste@ars\.test/);
      await documents.getByRole('row', { name: new RegExp(NA.replace(/\./g, '\\.')) }).waitFor();

      const during = await publicFigures(page);
      assert.notEqual(during.contributions, before.contributions, 'les chiffres publics ont changé');

      // delete the document from the Import page, behind a confirmation dialog
      await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}/import`);
      await settled(page);
      const row = documents.getByRole('row', { name: new RegExp(NA.replace(/\./g, '\\.')) });
      await row.waitFor();
      await row.getByRole('button', { name: 'Supprimer' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /Supprimer « cnr-sante-nouvelle-aquitaine-ateliers\.txt » \?/);
      assert.match(await dialog.innerText(), /contributions/);
      await screenshot(page, 'wrong-import-02-confirmation');
      await checkA11y(page, 'wrong-import-02-confirmation');
      await dialog.getByRole('button', { name: 'Supprimer le document' }).click();
      await page.getByText(/a été supprimé, avec ses/).waitFor({ timeout: 60_000 });
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await documents.locator('tbody tr').count(), rowsBefore);
      await page.setViewportSize({ width: 375, height: 800 });
      await screenshot(page, 'wrong-import-03-supprime-375');
      await checkA11y(page, 'wrong-import-03-supprime-375');
      await page.setViewportSize({ width: 1280, height: 900 });

      const afterDeletion = await publicFigures(page);
      assert.equal(afterDeletion.contributions, before.contributions);
      assert.equal(afterDeletion.text, before.text, 'chaque chiffre public est revenu à ce qu’il était');
    });
  });

  test('l’analyste efface une contribution publiée depuis sa carte de modération (demande RGPD)', async () => {
    const count = (s: string) => Number(s.replace(/\D/g, ''));
    await inPage(browser, app.baseUrl, null, async (page) => {
      const before = count((await publicFigures(page)).contributions);
      await login(page, app.baseUrl, 'analyst');
      await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}/moderation?status=published`);
      await settled(page);
      const card = page.locator('li.moderation-item').first();
      await card.waitFor();
      const id = await card.getAttribute('data-contribution');
      const text = await card.locator('.contribution__text').first().innerText();
      await card.getByRole('button', { name: 'Effacer (demande RGPD)' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /Effacer cette contribution à la demande de son auteur/);
      await screenshot(page, 'erase-01-confirmation');
      await checkA11y(page, 'erase-01-confirmation');
      await dialog.getByRole('button', { name: 'Effacer définitivement' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
      await page.locator(`li.moderation-item[data-contribution="${id}"]`).waitFor({ state: 'detached', timeout: 30_000 });
      assert.equal(count((await publicFigures(page)).contributions), before - 1, 'une contribution publique de moins');
      // its words are on no public page any more
      await page.goto(`${app.baseUrl}/consultations/${SLUG}/contributions`);
      await settled(page);
      assert.ok(!(await page.locator('main').innerText()).includes(text.slice(0, 60)));
    });
  });
});
