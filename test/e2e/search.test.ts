/**
 * Finding things (issue 16): the search field of the DSFR header on every page, by keyboard, to « /recherche »
 * (results grouped with their counts, matched words marked); the contributions list's sort, dates and meeting
 * filter in the address; after « Page suivante » the focus on the results count, and back restoring the page and
 * its position; axe 0 violations; 375 px without horizontal scroll.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { SCREENSHOTS, SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, noHorizontalScroll } from './harness.ts';


describe('recherche, tri, dates et pages', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  fabriqueSuite((a, b) => { app = a; browser = b; }, {
    // the demo's restitution published, as `npm start` does: its common ideas are found
    prepare: async (store) => {
      const { context } = await import('../../src/usecases/context.ts');
      const { publishSynthesis } = await import('../../src/usecases/syntheses.ts');
      await publishSynthesis(context(store, { name: 'fabrique demo', role: 'cli' }), { consultation: 'demo', level: 'departement', territory: '12' });
    },
  });

  test('le champ de recherche de l’en-tête, au clavier, jusqu’aux résultats groupés', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/consultations/demo/chiffres`);
      await settled(page);
      // from any page: the header's field, typed and sent with Enter
      await page.locator('#fr-header-search-input').focus();
      await page.keyboard.type('médecin traitant');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/recherche\?q=m%C3%A9decin\+traitant$/);
      await page.getByRole('heading', { level: 1, name: 'Recherche : médecin traitant' }).waitFor();
      await settled(page);
      const status = await page.locator('.search-status').innerText();
      assert.match(status, /^\d+ résultats/, status);
      const groups = await page.locator('main h2').allInnerTexts();
      assert.ok(groups.some((g) => /^Défis et objectifs des schémas territoriaux de santé \(\d+ défis? ou objectifs?\)$/.test(g)), groups.join(' | '));
      assert.ok(groups.some((g) => g.startsWith('Idées communes des restitutions')), groups.join(' | '));
      const marks = (await page.locator('main mark').allInnerTexts()).map((m) => m.toLowerCase());
      assert.ok(marks.includes('médecin') && marks.some((m) => m.startsWith('traitant')), marks.join(', '));
      assert.ok(!(await page.locator('main').innerText()).includes('(s)'));
      await screenshot(page, 'recherche-1280');
      await checkA11y(page, 'recherche-1280');
      // one kind only, then a result's page
      await page.locator('main nav').getByRole('link', { name: /^\d+ contributions$/ }).click();
      await page.waitForURL(/type=contribution/);
      await settled(page);
      assert.deepEqual(await page.locator('main h2').allInnerTexts().then((h) => h.map((x) => x.replace(/ \(.*$/, ''))), ['Contributions publiées']);
      await page.setViewportSize({ width: 375, height: 800 });
      await settled(page);
      await noHorizontalScroll(page, 'recherche');
      await screenshot(page, 'recherche-375');
      await page.screenshot({ path: join(SCREENSHOTS, 'recherche-375-haut.png') });
      await checkA11y(page, 'recherche-375');
      // on a phone the header's field is behind its « Rechercher » button, by keyboard too; the modal closes on sending
      await page.locator('#fr-header-search-button').focus();
      await page.keyboard.press('Enter');
      await page.locator('#fr-header-search-input').waitFor({ state: 'visible' });
      // the field keeps the words of the last search
      assert.equal(await page.locator('#fr-header-search-input').inputValue(), 'médecin traitant');
      await page.locator('#fr-header-search-input').focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('urgences');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Recherche : urgences' }).waitFor();
      assert.match(page.url(), /\/recherche\?q=urgences$/);
      await page.locator('#fr-header-search-input').waitFor({ state: 'hidden' });
      await settled(page);
      await noHorizontalScroll(page, 'recherche urgences');
      await page.locator('#resultats-contribution + ul .search-result a').first().click();
      await page.waitForURL(/\/contributions\//);
      await page.getByRole('heading', { level: 1 }).waitFor();
    });
  });

  test('la liste des contributions : réunions avec leurs contributions, tri et dates dans l’adresse, focus après « Page suivante », retour', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/consultations/demo/contributions`);
      await settled(page);
      // only meetings with published contributions, each with its number
      const meetings = (await page.getByLabel('Réunion').locator('option').allInnerTexts()).slice(1);
      assert.ok(meetings.length >= 2, meetings.join(' | '));
      for (const m of meetings) assert.match(m, /\(\d+ contributions?\)$/, m);
      assert.ok(!meetings.some((m) => m.startsWith('Réunion départementale de restitution')), 'une réunion sans contribution publiée n’est pas proposée');
      // dates and order, sent with the form, kept in the address
      await page.getByLabel('Du').fill('2022-10-05');
      await page.getByLabel('Au').fill('2022-11-15');
      await page.getByLabel('Ordre').selectOption('anciennes');
      await page.locator('main').getByRole('button', { name: 'Rechercher' }).click();
      await page.waitForURL(/du=2022-10-05&au=2022-11-15&tri=anciennes/);
      await settled(page);
      const first = await page.locator('.contribution__meta').first().innerText();
      assert.match(first, /octobre 2022/, first);
      await screenshot(page, 'contributions-filtres-1280');
      await page.screenshot({ path: join(SCREENSHOTS, 'contributions-filtres-1280-haut.png') });
      await checkA11y(page, 'contributions-filtres-1280');
      // « Page suivante » from the bottom of the list: the count gets the focus and comes into view
      const before = await page.locator('.contribution').first().innerText();
      await page.locator('nav[aria-label="Pagination"], nav.fr-pagination').getByRole('link', { name: /Page suivante/ }).scrollIntoViewIfNeeded();
      const bottom = (await page.evaluate('window.scrollY')) as number;
      assert.ok(bottom > 400, `la liste a défilé (${bottom})`);
      await page.locator('nav.fr-pagination').getByRole('link', { name: /Page suivante/ }).click();
      await page.waitForURL(/page=2/);
      await settled(page);
      await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { classList: { contains: (c: string) => boolean } } | null } }).document.activeElement?.classList.contains('list-status'));
      const top = (await page.evaluate('document.querySelector(".list-status").getBoundingClientRect().top')) as number;
      assert.ok(top >= 0 && top < 300, `le nombre de résultats est en vue (${top})`);
      assert.match(await page.locator('.list-status').innerText(), /page 2 sur/);
      assert.notEqual(await page.locator('.contribution').first().innerText(), before);
      // back: page 1 again, where it was left
      await page.goBack();
      await page.waitForURL((u) => !u.search.includes('page=2'));
      await settled(page);
      await page.waitForFunction((b) => Math.abs((globalThis as unknown as { scrollY: number }).scrollY - b) < 60, bottom, { timeout: 5000 });
      assert.equal(await page.locator('.contribution').first().innerText(), before);
      // a shared link with the dates the wrong way round: a French message from the server
      await page.goto(`${app.baseUrl}/consultations/demo/contributions?du=2022-11-15&au=2022-10-05`);
      await settled(page);
      await page.getByText('La date de début (« du ») doit précéder la date de fin (« au »)').waitFor();
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${app.baseUrl}/consultations/demo/contributions?tri=anciennes&du=2022-10-05`);
      await settled(page);
      await noHorizontalScroll(page, 'contributions');
      await screenshot(page, 'contributions-filtres-375');
      await page.screenshot({ path: join(SCREENSHOTS, 'contributions-filtres-375-haut.png') });
      await checkA11y(page, 'contributions-filtres-375');
    });
  });
});
