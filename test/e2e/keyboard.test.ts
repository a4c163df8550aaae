/**
 * Keyboard only: fill and send the contribution form with Tab / typing / Enter, and move a
 * contribution between idea groups with the "Déplacer" button, arrow keys and Enter; on a phone, reach the
 * restitution's PDF, the document and its easy-to-read summary.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { SKIP, USERS, launchBrowser, newContext, screenshot, settled, startFabrique, type Fabrique, publishDemoRestitution } from './harness.ts';

const SLUG = 'demo';

/** Description of the focused element (string expression: the root tsconfig has no DOM types). */
async function focused(page: Page): Promise<{ tag: string; id: string; text: string; label: string }> {
  return (await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el) return { tag: '', id: '', text: '', label: '' };
    const lab = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    return { tag: el.tagName.toLowerCase(), id: el.id || '', text: (el.textContent || '').trim().slice(0, 80), label: lab ? lab.textContent.trim() : '' };
  })()`)) as { tag: string; id: string; text: string; label: string };
}

/** Presses Tab until `want` matches the focused element; fails after `max` presses. */
async function tabTo(page: Page, want: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string, max = 80): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (want(await focused(page))) return i;
  }
  assert.fail(`${what} : introuvable au clavier après ${max} tabulations`);
}

describe('au clavier seulement', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;

  before(async () => {
    app = await startFabrique();
    browser = await launchBrowser();
    // setup (not part of the keyboard check): open the consultation through the API as an analyst
    const ctx = await newContext(browser);
    const r = ctx.request;
    const csrf = async () => ({ 'x-csrf-token': ((await (await r.get(`${app.baseUrl}/api/csrf`)).json()) as { token: string }).token, origin: app.baseUrl });
    assert.equal((await r.post(`${app.baseUrl}/api/auth/login`, { headers: await csrf(), data: { email: USERS.analyst.email, password: USERS.analyst.password } })).status(), 200);
    // the CSRF token is bound to the session: fetched again once signed in
    assert.equal((await r.put(`${app.baseUrl}/api/admin/consultations/${SLUG}`, { headers: await csrf(), data: { status: 'open' } })).status(), 200);
    await ctx.close();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('formulaire de contribution : tabulation, saisie, envoi', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${app.baseUrl}/consultations/${SLUG}/contribuer`);
    await settled(page);
    // the first Tab reaches the skip links
    await page.keyboard.press('Tab');
    assert.match((await focused(page)).text, /Contenu/);
    await tabTo(page, (f) => f.id === 'contribution-texte', 'zone de texte');
    await page.keyboard.type('Le bus vers l’hôpital ne passe que deux fois par jour : les rendez-vous de consultation sont souvent manqués.');
    await tabTo(page, (f) => f.id === 'contribution-theme', 'liste des thèmes', 5);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, (f) => f.id === 'contribution-college', 'liste des collèges', 5);
    await page.keyboard.press('ArrowDown');
    await tabTo(page, (f) => f.id === 'contribution-cp', 'code postal', 3);
    await page.keyboard.type('12100');
    await tabTo(page, (f) => f.tag === 'button' && /Envoyer ma contribution/.test(f.text), 'bouton d’envoi', 3);
    await screenshot(page, '20-clavier-formulaire');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Merci pour votre contribution' }).waitFor();
    // focus moves to the new page's heading
    assert.equal((await focused(page)).tag, 'h1');
    await ctx.close();
  });

  test('déplacer une contribution d’un groupe à l’autre : Déplacer, flèches, Entrée', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${app.baseUrl}/connexion`);
    await settled(page);
    await tabTo(page, (f) => f.label.includes('Adresse électronique'), 'champ e-mail');
    await page.keyboard.type(USERS.analyst.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(USERS.analyst.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Back-office' }).waitFor();
    await page.goto(`${app.baseUrl}/admin/consultations/${SLUG}/analyse`);
    await settled(page);
    await page.locator('.member').first().waitFor({ timeout: 60_000 });

    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Déplacer', 'premier bouton Déplacer', 200);
    const moved = (await page.evaluate('document.activeElement.closest("[data-contribution]").dataset.contribution')) as string;
    const from = (await page.evaluate('document.activeElement.closest("[data-group]").dataset.group')) as string;
    await page.keyboard.press('Enter');
    const live = page.locator('#analyse-annonce');
    await live.filter({ hasText: 'Contribution saisie' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await live.filter({ hasText: /Destination : .*\(2 sur/ }).waitFor();
    await screenshot(page, '21-clavier-deplacement');
    const to = (await page.evaluate('document.querySelector(".group-card--target").dataset.group')) as string;
    assert.notEqual(to, from);
    await page.keyboard.press('Enter');
    await live.filter({ hasText: 'Contribution déplacée' }).waitFor();
    const res = await page.request.get(`${app.baseUrl}/api/admin/consultations/${SLUG}/groups?theme=1`);
    const { items } = (await res.json()) as { items: { id: string; members: string[] }[] };
    assert.ok(items.find((g) => g.id === to)?.members.includes(moved), 'la contribution a rejoint le groupe choisi au clavier');
    assert.ok(!items.find((g) => g.id === from)?.members.includes(moved), 'et a quitté son groupe');
    await ctx.close();
  });
});

describe('la restitution au clavier, sur un téléphone', { skip: SKIP, timeout: 300_000 }, () => {
  let app: Fabrique;
  let browser: Browser;

  before(async () => {
    // setup (not part of the keyboard check): the demo's restitution and its easy-to-read summary published, as `npm start` does
    app = await startFabrique({
      prepare: publishDemoRestitution,
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('Tab jusqu’au PDF (Entrée le télécharge), au document lui-même, puis au résumé facile à lire (Entrée l’ouvre)', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    try {
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${app.baseUrl}/consultations/${SLUG}/restitution`);
      await page.getByRole('heading', { level: 1, name: /^Restitution/ }).waitFor();
      await settled(page);
      await tabTo(page, (f) => f.tag === 'a' && f.text.startsWith('Télécharger la restitution'), 'lien du PDF');
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      assert.match(download.suggestedFilename(), /^restitution-demo\.pdf$/);
      await tabTo(page, (f) => f.tag === 'a' && /version facile à lire/.test(f.text), 'lien du résumé facile à lire', 10);
      // the document itself comes next in the tab order: its own links are reached inside the frame
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).tag, 'iframe', 'le document de la restitution est le suivant dans l’ordre du clavier');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/consultations\/demo\/facile$/);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await settled(page);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      assert.ok(overflow <= 1, `pas de défilement horizontal à 375 px (${overflow} px)`);
      await screenshot(page, 'clavier-facile-375');
    } finally {
      await ctx.close();
    }
  });
});
