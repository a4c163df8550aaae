/**
 * Issue 16, point 5, in the browser: a visitor reports a published contribution by keyboard only, subscribes to the
 * consultation's news and confirms through the link of the message a real SMTP peer received; the moderator sees the
 * report first on the moderation page and keeps the contribution; the administrator sees the outbox. Each page with
 * no axe violation at 1280 and 375 px and no horizontal scrolling on a phone.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { SCREENSHOTS, SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled, type Fabrique, noHorizontalScroll } from './harness.ts';

// a real SMTP peer, and the sending settings the server reads at start (it starts after this module is loaded)
const received: string[] = [];
const smtp = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
  onData(stream, _session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => { received.push(Buffer.concat(chunks).toString('utf8')); cb(); });
  },
});
if (!SKIP) {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  process.env.FABRIQUE_SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.FABRIQUE_MAIL_FROM = 'ARS de démonstration <ne-pas-repondre@ars.test>';
  process.env.FABRIQUE_PUBLIC_URL = 'https://concertation.exemple.fr';
}


/** Both widths: axe, full-page shots, and a shot of `part` alone (what is looked at; full pages are long). */
async function atBothWidths(page: Page, name: string, part?: Locator): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await part?.screenshot({ path: join(SCREENSHOTS, `${name}-1280-partie.png`) });
  await checkA11y(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  await noHorizontalScroll(page, name);
  await screenshot(page, `${name}-375`);
  await part?.screenshot({ path: join(SCREENSHOTS, `${name}-375-partie.png`) });
  await checkA11y(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The decoded text parts of a MIME message (quoted-printable). */
const decoded = (raw: string) => Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');

describe('signaler un contenu et s’abonner', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;
  fabriqueSuite((a, b) => { app = a; browser = b; });
  after(async () => {
    for (const k of ['FABRIQUE_SMTP_URL', 'FABRIQUE_MAIL_FROM', 'FABRIQUE_PUBLIC_URL']) delete process.env[k];
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  test('a visitor reports a contribution with the keyboard only', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/consultations/demo/contributions`);
      await settled(page);
      const first = page.locator('.contribution').first();
      const text = await first.locator('.contribution__text').innerText();
      const button = first.getByRole('button', { name: 'Signaler un contenu' });
      await button.focus();
      await page.keyboard.press('Enter');
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      // the focus is on the first reason: arrows choose another, Tab goes on to the details
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowDown');
      const checked = first.getByRole('radio', { name: /injurieuse/ });
      assert.ok(await checked.isChecked(), 'the second reason chosen with the arrow key');
      await atBothWidths(page, 'engage-signaler-formulaire', first);
      await checked.focus();
      await page.keyboard.press('Tab');
      await page.keyboard.type('Ce passage vise une personne du village.');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await first.getByText(/Merci : votre signalement est transmis/).waitFor();
      assert.equal(await page.evaluate('document.activeElement?.textContent?.includes("Merci")'), true, 'the focus goes to the confirmation');
      await atBothWidths(page, 'engage-signaler-merci', first);
      // the moderator will find this one
      (globalThis as { reportedText?: string }).reportedText = text;
    });
  });

  test('a visitor subscribes, receives the confirmation by SMTP and confirms', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      await page.goto(`${app.baseUrl}/consultations/demo`);
      await settled(page);
      const field = page.getByLabel('Votre adresse électronique');
      await field.focus();
      await page.keyboard.type('pas une adresse');
      await page.keyboard.press('Enter');
      await page.getByText(/n’a pas la forme attendue/).waitFor();
      await field.fill('');
      await field.focus();
      await page.keyboard.type('habitante.essai@exemple.fr');
      await page.keyboard.press('Enter');
      await page.getByText(/un message vous est envoyé pour confirmer votre adresse/).waitFor();
      await atBothWidths(page, 'engage-abonnement', page.locator('section.subscribe'));
      // the sender runs every 15 s
      const deadline = Date.now() + 40_000;
      while (!received.some((m) => decoded(m).includes('/abonnement/confirmer?jeton=')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const message = decoded(received.find((m) => decoded(m).includes('/abonnement/confirmer?jeton=')) ?? '');
      const link = /https:\/\/concertation\.exemple\.fr(\/abonnement\/confirmer\?jeton=[A-Za-z0-9_-]+)/.exec(message)?.[1];
      assert.ok(link, 'the confirmation message reached the SMTP peer with its link');
      assert.match(message, /Se désabonner/);
      await page.goto(`${app.baseUrl}${link}`);
      await settled(page);
      await atBothWidths(page, 'engage-confirmer');
      await page.getByRole('button', { name: 'Confirmer mon abonnement' }).click();
      await page.getByText('Abonnement confirmé').waitFor();
      // a link works once
      await page.goto(`${app.baseUrl}${link}`);
      await settled(page);
      await page.getByRole('button', { name: 'Confirmer mon abonnement' }).click();
      await page.getByText(/n’est plus valable/).waitFor();
    });
  });

  test('the moderator sees the report first and keeps the contribution; the administrator sees the outbox', async () => {
    await inPage(browser, app.baseUrl, 'analyst', async (page) => {
      await page.goto(`${app.baseUrl}/admin/consultations/demo/moderation`);
      await settled(page);
      const section = page.locator('section.reported');
      await section.getByRole('heading', { name: /Contributions signalées par des visiteurs \(1\)/ }).waitFor();
      const main = await section.innerText();
      assert.match(main, /1 signalement — Propos injurieux \(1\)/);
      assert.match(main, /Ce passage vise une personne du village/);
      const reported = (globalThis as { reportedText?: string }).reportedText;
      if (reported) assert.ok(main.includes(reported.slice(0, 40)), 'the reported contribution is shown');
      // the reports come before the queue's filters
      const order = await page.evaluate('(() => { const s = document.querySelector("section.reported"); const f = document.querySelector("form[role=search]"); return !!(s && f && (s.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING)); })()');
      assert.equal(order, true);
      await atBothWidths(page, 'engage-moderation', section);
      await section.getByRole('button', { name: 'Garder (écarter les signalements)' }).click();
      await section.waitFor({ state: 'detached' });
    });
    await inPage(browser, app.baseUrl, 'admin', async (page) => {
      await page.getByRole('link', { name: /Messages aux abonnés/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Messages aux abonnés' }).waitFor();
      await settled(page);
      const main = await page.locator('main').innerText();
      assert.match(main, /1 adresse abonnée/);
      assert.match(main, /Envoyé\s+Confirmation de l’abonnement à h•••@exemple\.fr/i);
      assert.ok(!main.includes('habitante.essai@exemple.fr'), 'the address is masked');
      await atBothWidths(page, 'engage-messages', page.locator('main'));
    });
  });
});
