/**
 * Moderation at scale in the browser: an analyst filters the queue (text search and channel, reflected in the
 * address), shows 50 a page, selects the page and publishes the 50 at once; the public list counts exactly 50
 * more. Then the keyboard shortcuts on what remains. Screenshots at 1280 and 375 px, axe on both.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIRequestContext, Browser } from 'playwright-core';
import { SKIP, USERS, checkA11y, launchBrowser, login, newContext, screenshot, settled, startFabrique, type Fabrique } from './harness.ts';

const SLUG = 'demo';
// a word no demo contribution uses, so that the filter selects exactly the contributions sent here
const WORD = 'téléphérique';
const SENT = 60;

async function csrf(r: APIRequestContext, base: string) {
  return { 'x-csrf-token': ((await (await r.get(`${base}/api/csrf`)).json()) as { token: string }).token, origin: base };
}

async function publicTotal(r: APIRequestContext, base: string): Promise<number> {
  const res = await r.get(`${base}/api/consultations/${SLUG}/contributions?pageSize=1`);
  assert.equal(res.status(), 200);
  return ((await res.json()) as { total: number }).total;
}

describe('modération en masse', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;

  before(async () => {
    app = await startFabrique();
    browser = await launchBrowser();
    // setup: the demo is published as a whole by `fabrique demo`; pending contributions come from the public form
    const ctx = await newContext(browser);
    const r = ctx.request;
    assert.equal((await r.post(`${app.baseUrl}/api/auth/login`, { headers: await csrf(r, app.baseUrl), data: { email: USERS.analyst.email, password: USERS.analyst.password } })).status(), 200);
    assert.equal((await r.put(`${app.baseUrl}/api/admin/consultations/${SLUG}`, { headers: await csrf(r, app.baseUrl), data: { status: 'open' } })).status(), 200);
    await ctx.close();
    const visitor = await newContext(browser);
    const headers = await csrf(visitor.request, app.baseUrl);
    for (let i = 1; i <= SENT; i++) {
      const res = await visitor.request.post(`${app.baseUrl}/api/consultations/${SLUG}/contributions`, {
        headers, data: { text: `Proposition ${i} : un ${WORD} relierait la vallée à l’hôpital, les patients n’auraient plus deux heures de route pour une consultation de suivi.` },
      });
      assert.equal(res.status(), 201, await res.text());
    }
    await visitor.close();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('un analyste filtre, sélectionne 50 contributions et les publie : le public en compte exactement 50 de plus', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const before = await publicTotal(page.request, app.baseUrl);
    await login(page, app.baseUrl, 'analyst');
    await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}/moderation`);
    await settled(page);
    await page.locator('.moderation-item').first().waitFor();

    // filters: text search through the index and channel, reflected in the address
    await page.getByLabel('Recherche dans le texte').fill(WORD);
    await page.getByLabel('Canal').selectOption('formulaire');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('status').filter({ hasText: `${SENT} contributions (à modérer) répondant aux filtres` }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), WORD);
    assert.equal(url.searchParams.get('channel'), 'formulaire');
    assert.match(await page.getByRole('navigation', { name: 'Statut de modération' }).innerText(), new RegExp(`À modérer \\(${SENT}\\)`));
    await page.getByLabel('Contributions par page').selectOption('50');
    await page.waitForURL(/pageSize=50/);
    await page.getByRole('status').filter({ hasText: 'page 1 sur 2' }).waitFor();
    assert.equal(await page.locator('.moderation-item').count(), 50);
    // a filtered view survives a reload (the address holds it)
    await page.reload();
    await settled(page);
    await page.getByRole('status').filter({ hasText: 'page 1 sur 2' }).waitFor();
    assert.equal(await page.getByLabel('Recherche dans le texte').inputValue(), WORD);

    // cards are titled with the text's start and the channel, not a technical id
    const firstTitle = await page.locator('.moderation-item h2').first().innerText();
    assert.match(firstTitle, new RegExp(`^Proposition \\d+ : un ${WORD} relierait`));
    assert.ok(firstTitle.endsWith('…') && [...firstTitle].length <= 81, firstTitle);
    assert.match(await page.locator('.moderation-item__meta').first().innerText(), /Formulaire/);

    await page.getByLabel(/Tout sélectionner sur la page \(50\)/).check({ force: true });
    await page.getByText('50 contributions sélectionnées.').waitFor();
    await screenshot(page, '30-moderation-selection-1280');
    await checkA11y(page, '30-moderation-selection-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, '31-moderation-selection-375');
    await checkA11y(page, '31-moderation-selection-375');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Publier la sélection (50)' }).click();
    await page.locator('#moderation-annonce', { hasText: '50 contributions publiées.' }).waitFor();
    await page.getByRole('status').filter({ hasText: `${SENT - 50} contributions (à modérer)` }).waitFor();
    assert.equal(await publicTotal(page.request, app.baseUrl), before + 50, 'exactement 50 de plus côté public');
    const pub = await page.request.get(`${app.baseUrl}/api/consultations/${SLUG}/contributions?q=${encodeURIComponent(WORD)}&pageSize=100`);
    assert.equal(((await pub.json()) as { total: number }).total, 50);
    // (each decision's audit entry is checked by test/moderation-queue.test.ts: no route reads the journal)
    await ctx.close();
  });

  test('raccourcis clavier : j/k, x, r (motif demandé), sans effet pendant la saisie', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await login(page, app.baseUrl, 'analyst');
    await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}/moderation?status=pending&q=${encodeURIComponent(WORD)}`);
    await settled(page);
    await page.locator('.moderation-item').first().waitFor();
    const remaining = await page.locator('.moderation-item').count();
    assert.equal(remaining, SENT - 50);
    const focusedCard = () => page.evaluate('document.activeElement?.closest(".moderation-item")?.dataset.contribution ?? null') as Promise<string | null>;
    const ids = await page.locator('.moderation-item').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { contribution: string } }).dataset.contribution));

    // typing a j in the search field stays in the field
    await page.getByLabel('Recherche dans le texte').focus();
    await page.keyboard.type(' j');
    assert.equal(await focusedCard(), null);
    assert.equal(await page.getByLabel('Recherche dans le texte').inputValue(), `${WORD} j`);
    await page.locator('h1').focus();

    await page.keyboard.press('?');
    await page.getByText('contribution suivante').waitFor();
    await page.keyboard.press('j');
    assert.equal(await focusedCard(), ids[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedCard(), ids[2]);
    await page.keyboard.press('k');
    assert.equal(await focusedCard(), ids[1]);
    await page.keyboard.press('x');
    await page.getByText('1 contribution sélectionnée.').waitFor();
    await page.locator('#moderation-annonce', { hasText: 'Contribution sélectionnée.' }).waitFor();
    await page.keyboard.press('r');
    const card = page.locator(`.moderation-item[data-contribution="${ids[1]}"]`);
    await card.getByRole('group', { name: /Motif du rejet/ }).waitFor();
    // the focus is in the reason form: letters no longer act on the queue
    await page.keyboard.press('p');
    assert.equal(await page.locator('.moderation-item').count(), remaining, 'p ignoré dans le formulaire du motif');
    await screenshot(page, '32-moderation-clavier-1280');
    await checkA11y(page, '32-moderation-clavier-1280');
    await card.getByLabel('Doublon').check({ force: true });
    await card.getByRole('button', { name: 'Confirmer le rejet' }).click();
    await page.locator('#moderation-annonce', { hasText: 'Contribution rejetée' }).waitFor();
    await page.getByRole('status').filter({ hasText: `${remaining - 1} contribution` }).waitFor();
    // the focus went on to the next card
    assert.equal(await focusedCard(), ids[2]);
    await page.keyboard.press('p');
    await page.locator('#moderation-annonce', { hasText: 'Contribution publiée' }).waitFor();
    await page.getByRole('status').filter({ hasText: `${remaining - 2} contribution` }).waitFor();
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, '33-moderation-clavier-375');
    await ctx.close();
  });
});
