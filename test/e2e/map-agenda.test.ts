/**
 * The agenda and the map (issue 16, point 5), by keyboard, at 1280 and 375 px: the agenda lists the demo's upcoming
 * meetings with « Ajouter à mon agenda » links that download a calendar file; the map's département is a named,
 * focusable area whose figures are read out; the tables of meetings by commune and of contributions by postcode
 * area show Rodez and Millau and merge the rest; axe finds nothing, nothing scrolls sideways on a phone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { SCREENSHOTS, SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, noHorizontalScroll } from './harness.ts';


/** Tabs until the focused element matches, at most `max` times; returns its accessible text. */
async function tabTo(page: Page, test: (el: { tag: string; text: string; label: string; href: string }) => boolean, max = 80): Promise<{ tag: string; text: string; label: string; href: string }> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = (await page.evaluate(`(() => { const a = document.activeElement; return a ? { tag: a.tagName.toLowerCase(), text: (a.textContent || '').trim(), label: a.getAttribute('aria-label') || '', href: a.getAttribute('href') || '' } : null; })()`)) as { tag: string; text: string; label: string; href: string } | null;
    if (el && test(el)) return el;
  }
  throw new Error('élément introuvable au clavier');
}

describe('agenda et carte', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  fabriqueSuite((a, b) => { app = a; browser = b; });

  test('l’agenda au clavier : réunions à venir, lien « Ajouter à mon agenda » qui télécharge un fichier iCalendar', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${app.baseUrl}/`);
      await settled(page);
      // from the main menu, by keyboard
      await tabTo(page, (e) => e.tag === 'a' && e.text === 'Agenda');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Agenda des réunions' }).waitFor();
      await settled(page);
      const main = await page.locator('main').innerText();
      assert.match(main, /3 réunions à venir/);
      assert.match(main, /Atelier de restitution à Rodez/);
      assert.match(main, /de 18 h 30 à 20 h 30/);
      assert.match(main, /Réunions passées/);
      assert.match(main, /Date à préciser/, 'the online consultation has a period, no day');
      await screenshot(page, 'agenda-1280');
      await checkA11y(page, 'agenda-1280');
      const link = await tabTo(page, (e) => e.tag === 'a' && e.text.startsWith('Ajouter à mon agenda'));
      assert.match(link.text, /Atelier de restitution à Rodez/, 'the link names its meeting');
      const download = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      const file = await download;
      const path = await file.path();
      const text = (await import('node:fs')).readFileSync(path!, 'utf8');
      assert.match(text, /^BEGIN:VCALENDAR\r\n/);
      assert.match(text, /DTSTART;TZID=Europe\/Paris:\d{8}T183000/);
      assert.equal((text.match(/BEGIN:VEVENT/g) ?? []).length, 1);
      await page.setViewportSize({ width: 375, height: 800 });
      await settled(page);
      await noHorizontalScroll(page, 'agenda');
      await screenshot(page, 'agenda-375');
      await page.screenshot({ path: join(SCREENSHOTS, 'agenda-375-haut.png') });
      await checkA11y(page, 'agenda-375');
    });
  });

  test('la carte au clavier : zone du département nommée et focalisable, tableaux par commune, seuil de 5', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${app.baseUrl}/consultations/demo`);
      await settled(page);
      const main0 = await page.locator('main').innerText();
      assert.match(main0, /Prochaines réunions/);
      assert.match(main0, /Ajouter les réunions de la consultation à mon agenda/);
      await screenshot(page, 'consultation-agenda-1280');
      await checkA11y(page, 'consultation-agenda-1280');
      await tabTo(page, (e) => e.tag === 'a' && e.text === 'Carte');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/consultations\/demo\/carte$/);
      await page.getByRole('heading', { level: 1, name: /^Carte/ }).waitFor();
      await settled(page);
      const area = await tabTo(page, (e) => e.tag === 'path');
      assert.match(area.label, /^Aveyron \(12\) : \d+ réunions, \d+ contributions publiées$/);
      assert.match(await page.locator('[aria-live="polite"]').innerText(), /^Aveyron \(12\)/, 'the focused area’s figures are shown');
      const main = await page.locator('main').innerText();
      assert.match(main, /\nVillefranche-de-Rouergue\t\s*Atelier de l’Ouest-Aveyron/, 'a meeting at the commune its place names');
      assert.match(main, /\nRodez, [^\t\n]*\t\s*12000\s*\t\s*6\n/);
      assert.match(main, /\nMillau, [^\t\n]*\t\s*12100\s*\t\s*5\n/);
      assert.match(main, /Autres communes \(3 secteurs de moins de 5\)\s*\t\s*—\s*\t\s*5/);
      assert.match(main, /à partir\s+de 5 contributions publiées/);
      assert.match(main, /CC BY 4\.0/);
      assert.match(main, /Licence Ouverte 2\.0/);
      await screenshot(page, 'map-1280');
      await checkA11y(page, 'map-1280');
      await page.setViewportSize({ width: 375, height: 800 });
      await settled(page);
      await noHorizontalScroll(page, 'carte');
      const smallest = (await page.evaluate(`Math.min(...[...document.querySelectorAll('.map-label')].map((e) => parseFloat(getComputedStyle(e).fontSize)))`)) as number;
      assert.ok(smallest >= 12, `étiquettes de la carte : ${smallest} px`);
      await screenshot(page, 'map-375');
      await page.screenshot({ path: join(SCREENSHOTS, 'map-375-haut.png') });
      await checkA11y(page, 'map-375');
    });
  });
});
