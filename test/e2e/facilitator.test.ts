/**
 * A facilitator in Chromium against the real server and the demo data: the back office shows only meetings
 * and reports; a forbidden page reached by its address says so in French; a workshop report is saved as a
 * draft, reopened, submitted, then resubmitted without duplicates. A consultation past its end date is shown
 * closed, its form says so, and an administrator reopens it. Screenshots at 1280 and 375 px.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { SKIP, axeReports, fabriqueSuite, checkA11y, launchBrowser, inPage, login, newContext, screenshot, settled, startFabrique, type Fabrique } from './harness.ts';

const SLUG = 'demo';
const PROBLEM = 'Le centre de santé du canton ferme deux jours par semaine faute de médecin salarié.';
const SOLUTION = 'Partager un poste de médecin salarié entre le centre de santé et l’hôpital de proximité.';

describe('parcours d’un animateur', { skip: SKIP, timeout: 600_000 }, () => {
  let app: Fabrique;
  let browser: Browser;

  fabriqueSuite((a, b) => { app = a; browser = b; });
  after(() => {
    const bad = axeReports.filter((r) => r.violations.length);
    console.log(`# axe-core : ${axeReports.length} pages vérifiées, ${bad.length} avec des violations`);
  });

  async function both(page: Page, name: string): Promise<void> {
    await screenshot(page, `${name}-1280`);
    await checkA11y(page, `${name}-1280`);
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, `${name}-375`);
    await checkA11y(page, `${name}-375`);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  test('ne voit que les réunions et comptes-rendus ; un brouillon, rouvert, soumis, resoumis sans doublon', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await login(page, app.baseUrl, 'facilitator');
      await settled(page);
      const home = await page.locator('main').innerText();
      assert.match(home, /Réunions/);
      for (const hidden of ['Import', 'Modération', 'Analyse', 'Synthèse', 'Nouvelle consultation']) {
        assert.equal(await page.locator('main').getByRole('link', { name: new RegExp(`^${hidden}`) }).count(), 0, `« ${hidden} » montré à un animateur`);
      }
      await both(page, 'animateur-01-accueil');

      await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}`);
      await settled(page);
      const nav = page.getByRole('navigation', { name: 'Étapes de la consultation' });
      assert.deepEqual((await nav.getByRole('link').allInnerTexts()).map((s) => s.trim()), ['Consultation et réunions', 'Page publique']);
      await both(page, 'animateur-02-consultation');

      // a forbidden page by its address: a French message, no error dump, no API call refused on screen
      await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}/moderation`);
      await page.getByRole('heading', { level: 1, name: 'Accès non autorisé' }).waitFor();
      const refused = await page.locator('main').innerText();
      assert.match(refused, /réservée aux analystes et aux administrateurs/);
      assert.doesNotMatch(refused, /403|forbidden|Error/);
      await both(page, 'animateur-03-acces-refuse');

      // a draft, then reopened
      await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}`);
      await settled(page);
      await page.getByRole('link', { name: /Saisir le compte-rendu/ }).nth(1).click();
      await page.getByRole('heading', { level: 1, name: /Compte-rendu/ }).waitFor();
      await settled(page);
      const reportUrl = page.url();
      // the meeting's participants as imported are prefilled: type them all
      const typed: [string, string][] = [['Élus', '3'], ['Institutionnels', ''], ['Professionnels de santé et médico-social', '10'],
        ['Représentants d’associations', ''], ['Usagers du système de santé', ''], ['Autres', ''], ['Total indiqué', '14']];
      for (const [label, value] of typed) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByLabel('Problématique 1 (thème 1)').fill(PROBLEM);
      await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
      await page.getByText('Brouillon enregistré', { exact: true }).waitFor();
      assert.match(await page.locator('main').innerText(), /Total des participants indiqué \(14\) différent de la somme des collèges \(13\)/);
      await both(page, 'animateur-04-brouillon');

      await page.goto(reportUrl);
      await settled(page);
      await page.getByText(/Brouillon enregistré, non soumis/).waitFor();
      assert.equal(await page.getByLabel('Problématique 1 (thème 1)').inputValue(), PROBLEM, 'le brouillon se rouvre tel que saisi');
      assert.equal(await page.getByLabel('Total indiqué').inputValue(), '14');

      // edited and submitted
      await page.getByLabel('Solution 1 (thème 1)').fill(SOLUTION);
      await page.getByRole('button', { name: 'Soumettre le compte-rendu' }).click();
      await page.getByText('Compte-rendu soumis', { exact: true }).waitFor();
      assert.match(await page.locator('.fr-alert--success').innerText(), /2 contributions .*en attente de modération.*2 entrées ajoutées/);
      await both(page, 'animateur-05-soumis');

      // reopened and resubmitted as it is: updated, nothing duplicated
      await page.goto(reportUrl);
      await settled(page);
      assert.equal(await page.getByLabel('Solution 1 (thème 1)').inputValue(), SOLUTION);
      await page.getByRole('button', { name: 'Soumettre la mise à jour' }).click();
      await page.getByText('Compte-rendu soumis', { exact: true }).waitFor();
      const again = await page.locator('.fr-alert--success').innerText();
      assert.match(again, /2 contributions/);
      assert.match(again, /2 entrées inchangées/);
      assert.doesNotMatch(again, /ajoutée/);
      await both(page, 'animateur-06-resoumis');
    });
  });

  test('une consultation passée est montrée close, son formulaire le dit, un administrateur la rouvre', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await login(page, app.baseUrl, 'admin');
      // created as the back office's API would be asked to: open, but its period ended in 2023
      const created = await page.evaluate(async () => {
        const { token } = await (await fetch('/api/csrf')).json() as { token: string };
        const res = await fetch('/api/admin/consultations', {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token },
          body: JSON.stringify({ slug: 'passee', title: 'Consultation de l’hiver 2023', territory: '12', status: 'open', periodStart: '2023-01-09', periodEnd: '2023-03-31' }),
        });
        return res.status;
      });
      assert.equal(created, 201);

      await page.goto(`${app.baseUrl}/consultations/passee/contribuer`);
      await page.getByRole('heading', { level: 1, name: /Contribuer/ }).waitFor();
      await settled(page);
      assert.match(await page.locator('main').innerText(), /Cette consultation est close depuis le 31 mars 2023 : elle n’accepte plus de contributions\./);
      assert.equal(await page.getByLabel(/Votre contribution/).count(), 0, 'pas de formulaire');
      await both(page, 'consultation-close-01-formulaire');

      await page.goto(`${app.baseUrl}/admin`);
      await settled(page);
      await page.getByRole('link', { name: 'Rouvrir : Consultation de l’hiver 2023' }).click();
      await page.getByRole('heading', { level: 1, name: /Rouvrir/ }).waitFor();
      await settled(page);
      await page.getByLabel('Nouvelle date de fin (incluse)').fill('2099-06-30');
      await both(page, 'consultation-close-02-rouvrir');
      await page.getByRole('button', { name: 'Rouvrir aux contributions' }).click();
      await page.getByText('Consultation rouverte', { exact: true }).waitFor();
      assert.match(await page.locator('.fr-alert--success').innerText(), /jusqu’au 30 juin 2099 inclus/);

      await page.goto(`${app.baseUrl}/consultations/passee`);
      await settled(page);
      assert.match(await page.locator('main').innerText(), /Rouverte aux contributions jusqu’au 30 juin 2099 inclus/);
      await page.getByRole('link', { name: 'Contribuer' }).first().waitFor();
      await both(page, 'consultation-close-03-rouverte');
    });
  });
});
