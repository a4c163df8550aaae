/**
 * Open data, the restitution PDF and the easy-to-read page (issue 16, point 5), in Chromium: the downloads from the
 * consultation page and the catalogue /donnees (file names, UTF-8 BOM, as many rows as « En chiffres »), the PDF with
 * its size, the easy-to-read page linked from the restitution, its editor in the back office with its warnings; axe
 * at 0 violations and no horizontal scroll at 375 px on each page.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, atBothWidths, publishDemoRestitution } from './harness.ts';
import type { Browser } from 'playwright-core';


describe('données ouvertes, restitution en PDF, version facile à lire', { skip: SKIP, timeout: 600_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  fabriqueSuite((a, b) => { app = a; browser = b; }, {
    // the demo's restitution and its easy-to-read summary published, as `fabrique demo --serve` does
    prepare: publishDemoRestitution,
  });

  test('les téléchargements depuis la page de la consultation et le catalogue /donnees', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/consultations/demo`);
      await settled(page);
      const section = page.locator('section', { has: page.getByRole('heading', { name: 'Télécharger les données' }) });
      await section.waitFor();
      assert.match(await section.innerText(), /Licence Ouverte 2\.0/);
      const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: /Contributions publiées .*\(tableur\)/ }).click()]);
      assert.equal(download.suggestedFilename(), 'demo-contributions.csv');
      const bytes = Buffer.from(await (await fetch(`${app.baseUrl}/api/consultations/demo/donnees/contributions.csv`)).arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 avec BOM');
      const rows = Papa.parse<string[]>(bytes.subarray(3).toString('utf8'), { delimiter: ';', skipEmptyLines: true }).data.slice(1);
      const stats = await (await fetch(`${app.baseUrl}/api/consultations/demo/stats`)).json() as { contributions: number };
      assert.equal(rows.length, stats.contributions, 'as many rows as « En chiffres »');
      assert.match(await page.locator('main').innerText(), /version facile à lire/);
      await atBothWidths(page, 'donnees-consultation');

      await page.goto(`${app.baseUrl}/plan-du-site`);
      await settled(page);
      await page.locator('main').getByRole('link', { name: /^Données ouvertes/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Données ouvertes' }).waitFor();
      assert.match(await page.locator('main').innerText(), /points-virgules/);
      const [fig] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Chiffres publics .*\(JSON\)/ }).first().click()]);
      assert.equal(fig.suggestedFilename(), 'demo-chiffres.json');
      await atBothWidths(page, 'donnees-catalogue');
    });
  });

  test('la restitution en PDF (taille affichée) et la page facile à lire', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/consultations/demo/restitution`);
      await settled(page);
      const details = page.locator('.fr-download__detail');
      await page.waitForFunction('/PDF – \\d[\\d,]* (ko|Mo)/.test(document.querySelector(".fr-download__detail")?.textContent ?? "")', undefined, { timeout: 120_000 });
      assert.match(await details.innerText(), /^PDF – \d/);
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger la restitution/ }).click()]);
      assert.equal(pdf.suggestedFilename(), 'restitution-demo.pdf');
      await atBothWidths(page, 'restitution-pdf');
      await page.getByRole('link', { name: 'Lire le résumé en version facile à lire' }).click();
      await page.getByRole('heading', { level: 1, name: 'La santé en Aveyron : ce que vous avez dit' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Trouver un médecin/);
      await atBothWidths(page, 'facile');
    });
  });

  test('l’éditeur du résumé facile à lire signale une phrase trop longue et un sigle', async () => {
    await inPage(browser, app.baseUrl, 'analyst', async (page) => {
      await page.goto(`${app.baseUrl}/admin/consultations/demo/synthese`);
      await settled(page);
      const editor = page.locator('section', { has: page.getByRole('heading', { name: /Résumé facile à lire/ }) });
      await editor.getByLabel('Texte de la partie 1').waitFor();
      assert.equal(await editor.locator('input').first().inputValue(), 'La santé en Aveyron : ce que vous avez dit');
      await editor.getByText('Aucun avertissement sur les règles vérifiées.').waitFor();
      await editor.getByLabel('Texte de la partie 1').fill('Le CTS a demandé votre avis sur les médecins, les urgences, les infirmiers, les pharmacies et les transports de tout le département.');
      const warning = editor.locator('.fr-alert--warning');
      await warning.waitFor({ timeout: 15_000 });
      const text = await warning.innerText();
      assert.match(text, /Phrase longue/);
      assert.match(text, /« CTS » n’est pas expliqué/);
      await atBothWidths(page, 'facile-editeur');
    });
  });
});
