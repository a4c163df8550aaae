/**
 * Back office (issue 16) in the browser: the home shows the to-do and the drafts; an administrator creates an
 * account by keyboard, copies its one-time link and assigns it to a consultation; the new facilitator opens the
 * link, sets a password, signs in and finds their to-do; a région consultation is created from the select. No axe
 * violation and no horizontal scrolling at 1280 and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, noHorizontalScroll, atBothWidths } from './harness.ts';



const NEW_EMAIL = 'nouvelle.animatrice@ars.test';
const NEW_PASSWORD = 'hirondelle cadran poivrier falaise';

describe('comptes et accueil du back-office dans le navigateur', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  fabriqueSuite((a, b) => { app = a; browser = b; });

  test('accueil : à faire et brouillons de l’administrateur', async () => {
    await inPage(browser, app.baseUrl, 'admin', async (page) => {
      await settled(page);
      const todo = page.getByRole('region', { name: 'À faire' }).or(page.locator('section[aria-labelledby="a-faire-titre"]'));
      await todo.first().waitFor();
      const text = await todo.first().innerText();
      for (const title of ['Modération', 'Thèmes suggérés', 'Comptes-rendus', 'Restitutions', 'Liens au schéma', 'Suivi du schéma']) assert.match(text, new RegExp(title));
      assert.match(await page.locator('main').innerText(), /Brouillons/);
      await atBothWidths(page, 'accueil-back-office-admin');
    });
  });

  test('un administrateur crée un compte au clavier, copie le lien ; la personne choisit son mot de passe et se connecte', async () => {
    let link = '';
    await inPage(browser, app.baseUrl, 'admin', async (page, ctx) => {
      await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
      await page.getByRole('link', { name: /Gérer les comptes/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Comptes' }).waitFor();
      await settled(page);
      await atBothWidths(page, 'comptes');

      // by keyboard: the e-mail, Tab to the role, the arrow keys to choose, Tab to the button, Enter
      await page.getByLabel('Adresse électronique *').focus();
      await page.keyboard.type(NEW_EMAIL);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("name")'), 'role');
      await page.getByLabel('Rôle *').selectOption('facilitator');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const field = page.getByLabel('Lien à usage unique');
      await field.waitFor();
      link = await field.inputValue();
      assert.match(link, /\/connexion\/nouveau-mot-de-passe\?token=[A-Za-z0-9_-]{43}$/);
      // the alert takes the focus, so a keyboard user lands on it
      assert.equal(await page.evaluate('document.activeElement?.id'), 'lien-a-transmettre');
      await page.getByRole('button', { name: 'Copier le lien' }).press('Enter');
      await page.getByText(/Lien copié|Copie automatique impossible/).waitFor();
      const copied = await page.evaluate('navigator.clipboard.readText()').catch(() => link);
      assert.equal(copied, link);
      await atBothWidths(page, 'comptes-lien');

      // the new account: waiting for its password; assign it to the demo consultation
      const card = page.locator('li.account-card', { hasText: NEW_EMAIL });
      assert.match(await card.innerText(), /En attente/);
      await card.getByLabel(`Affecter ${NEW_EMAIL} à une consultation`).selectOption({ index: 1 });
      await card.getByRole('button', { name: 'Affecter' }).click();
      await card.getByRole('button', { name: /Retirer/ }).first().waitFor();
    });

    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'Choisir votre mot de passe' }).waitFor();
      await settled(page);
      assert.ok(!page.url().includes('token='), 'le jeton quitte la barre d’adresse');
      assert.equal(await page.locator('meta[name="robots"]').getAttribute('content'), 'noindex, nofollow');
      await page.getByLabel('Nouveau mot de passe').fill('motdepasse123');
      await page.getByLabel('Le même mot de passe, à nouveau').fill('motdepasse123');
      await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      await page.getByText('Enregistrement impossible').waitFor();
      await atBothWidths(page, 'nouveau-mot-de-passe');
      await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
      await page.getByLabel('Le même mot de passe, à nouveau').fill(NEW_PASSWORD);
      await page.getByLabel('Le même mot de passe, à nouveau').press('Enter');
      await page.getByText('Mot de passe enregistré').waitFor();
      await page.getByRole('link', { name: 'Se connecter' }).last().click();
      await page.getByLabel('Adresse électronique').fill(NEW_EMAIL);
      await page.getByLabel('Mot de passe').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('heading', { level: 1, name: 'Back-office' }).waitFor();
      await settled(page);
      const main = await page.locator('main').innerText();
      assert.match(main, /À faire/);
      assert.match(main, /Comptes-rendus/);
      assert.ok(!main.includes('Modération :'), 'un animateur ne voit pas la modération');
      await atBothWidths(page, 'accueil-back-office-animateur');

      // the link served once
      await page.goto(link);
      await page.getByText('Lien non valable').waitFor();
    });
  });

  test('créer une consultation régionale en choisissant le territoire par son nom', async () => {
    await inPage(browser, app.baseUrl, 'admin', async (page) => {
      await page.getByRole('link', { name: 'Nouvelle consultation' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nouvelle consultation' }).waitFor();
      await page.getByLabel('Titre *').fill('Santé des jeunes en Occitanie');
      await page.locator('input[name="slug"]').fill('jeunes-occitanie');
      await page.getByLabel('Territoire *').selectOption({ label: 'Occitanie' });
      await page.getByRole('button', { name: 'Créer la consultation' }).click();
      await page.getByRole('heading', { level: 1, name: /Santé des jeunes en Occitanie/ }).waitFor();
      await page.goto(`${app.baseUrl}/admin`);
      await settled(page);
      const drafts = await page.locator('section[aria-labelledby="brouillons-titre"]').innerText();
      assert.match(drafts, /Santé des jeunes en Occitanie/);
      const row = await page.locator('tr', { hasText: 'Santé des jeunes en Occitanie' }).innerText();
      assert.match(row, /Occitanie \(76\)/);
    });
  });
});
