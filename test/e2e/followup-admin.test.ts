/**
 * The follow-up's back office in the browser (issue 15): the CTS dashboard of a plan and an action's page have no
 * axe violation at 1280 and 375 px and no horizontal scroll at 375 px; an invalid progress is announced; an owner
 * account (« porteur d’action »), sent to its actions when it signs in, updates the action assigned to it with the
 * keyboard only (Tab, typing, Enter), and the action's timeline shows the change. The plan is made up
 * (test/helpers/link-plan.ts); no corpus needed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { createUser } from '../../src/store/accounts.ts';
import { listActionAccounts, setActionAccounts } from '../../src/store/action-accounts.ts';
import type { Store } from '../../src/store/index.ts';
import { hashPassword } from '../../src/server/password.ts';
import { createAction, updateAction } from '../../src/usecases/actions.ts';
import { CLI_ACTOR, context } from '../../src/usecases/context.ts';
import { addIndicator } from '../../src/usecases/followup-indicators.ts';
import { importPlan } from '../../src/usecases/plan.ts';
import { linkTestPlan } from '../helpers/link-plan.ts';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled } from './harness.ts';

const OWNER = { email: 'porteur@ars.test', password: 'motdepasse-porteur-2024' };

async function noHorizontalScroll(page: Page, what: string): Promise<void> {
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  assert.ok(overflow <= 0, `${what} : défilement horizontal de ${overflow} px à 375 px`);
}

/** Presses Tab until the focused element matches `selector` (keyboard only); fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${selector} jamais atteint au clavier en ${max} tabulations`);
}

describe('suivi du schéma : tableau de bord et page d’une action', { skip: SKIP, timeout: 240_000 }, () => {
  let app: { baseUrl: string };
  let browser: Browser;
  let store: Store;
  let planId = '';
  let late = '';
  let other = '';
  fabriqueSuite((a, b) => { app = a; browser = b; }, {
    prepare: async (s) => {
      store = s;
      const ctx = context(s, CLI_ACTOR);
      await s.upsertConsultation({ slug: 'suivi-e2e', title: 'Consultation du suivi (essai)', territory: '46', status: 'open', themes: [] });
      planId = (await importPlan(ctx, { bytes: new TextEncoder().encode('plan du suivi e2e'), fileName: 'sts-suivi-e2e.md', consultation: 'suivi-e2e' },
        async () => linkTestPlan('first'))).planId;
      late = (await createAction(ctx, { plan: planId, objective: 'E1D1O1', title: 'Ouvrir une maison de santé pluriprofessionnelle au nord du département' })).id;
      await updateAction(ctx, { action: late, owner: { organisation: 'CPTS du Causse', contact: 'Coordination' }, status: 'en_cours', startDate: '2026-01-05', dueDate: '2026-06-30', progress: 30 });
      other = (await createAction(ctx, { plan: planId, objective: 'E1D1O2', title: 'Organiser des consultations avancées de spécialistes' })).id;
      await addIndicator(ctx, { plan: planId, label: 'Maisons de santé ouvertes', baseline: { value: 2, source: 'constat du schéma' }, target: { value: 5 }, objective: 'E1D1O1' });
      const u = await createUser(s, { email: OWNER.email, role: 'owner', passwordHash: await hashPassword(OWNER.password) });
      await setActionAccounts(s, { actionId: late, userIds: [u.id], at: new Date().toISOString(), actor: 'e2e', audit: () => ({ actor: 'e2e', action: 'action.accounts', targetType: 'followup_action', targetId: late }) });
    },
  });

  test('tableau de bord et page d’une action : sans violation axe à 1280 et 375 px, sans défilement horizontal ; une erreur est annoncée', async () => {
    await inPage(browser, app.baseUrl, 'analyst', async (page) => {
      const base = app.baseUrl;
      // entry point: the plan's admin page links to its follow-up
      await page.goto(`${base}/admin/schemas/${encodeURIComponent(planId)}`);
      await settled(page);
      await page.getByRole('link', { name: /Suivi du schéma/ }).click();
      await page.getByRole('heading', { level: 2, name: 'Tableau de bord du CTS' }).waitFor();
      await settled(page);
      assert.match(await page.locator('.followup-counts').innerText(), /1\s+action en retard[\s\S]*1\s+action sans porteur[\s\S]*1\s+indicateur sans mesure récente/);
      await page.getByRole('link', { name: 'Ouvrir une maison de santé pluriprofessionnelle au nord du département' }).first().waitFor();
      await screenshot(page, 'suivi-tableau-1280');
      await checkA11y(page, 'suivi-tableau-1280');

      // an analyst enters a measurement of an indicator from the page: its progress follows
      await page.getByRole('button', { name: 'Ajouter une mesure : Maisons de santé ouvertes' }).click();
      const measure = page.getByRole('form', { name: 'Ajouter une mesure : Maisons de santé ouvertes' });
      await measure.getByLabel(/^Valeur/).fill('3');
      await measure.getByRole('button', { name: 'Enregistrer la mesure' }).click();
      await page.getByText('Mesure enregistrée pour « Maisons de santé ouvertes ».').waitFor();
      await page.locator('#indicateurs-titre ~ * tr', { hasText: 'Maisons de santé ouvertes' }).filter({ hasText: /1 sur 3/ }).first().waitFor();
      await checkA11y(page, 'suivi-mesure-1280');

      // a filter on the owner organisation, applied from the form (kept in the address)
      await page.getByLabel('Organisation porteuse', { exact: true }).selectOption('CPTS du Causse');
      await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
      await page.waitForURL(/owner=CPTS/);
      await settled(page);
      await page.locator('#tdb-sans-porteur + p').filter({ hasText: /sans objet/ }).waitFor();
      assert.equal(await page.getByLabel('Organisation porteuse', { exact: true }).inputValue(), 'CPTS du Causse', 'le filtre appliqué reste affiché');

      await page.setViewportSize({ width: 375, height: 800 });
      await settled(page);
      await noHorizontalScroll(page, 'tableau de bord');
      await screenshot(page, 'suivi-tableau-375');
      await checkA11y(page, 'suivi-tableau-375');

      await page.goto(`${base}/admin/actions/${encodeURIComponent(other)}`);
      await settled(page);
      await page.getByRole('heading', { level: 2, name: 'Historique' }).waitFor();
      await noHorizontalScroll(page, 'page d’une action');
      await checkA11y(page, 'suivi-action-375');
      await page.setViewportSize({ width: 1280, height: 900 });
      await settled(page);
      await screenshot(page, 'suivi-action-1280');
      await checkA11y(page, 'suivi-action-1280');

      // an invalid progress: refused before sending, the message announced and focused
      await page.getByLabel('Avancement (%)').fill('150');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.locator('#action-annonce').filter({ hasText: /Erreur : l’avancement est un nombre entre 0 et 100/ }).waitFor();
      assert.ok(await page.evaluate('document.activeElement?.textContent?.includes("entre 0 et 100") ?? false'), 'le message d’erreur reçoit le focus');
      await checkA11y(page, 'suivi-action-erreur-1280');
    });
  });

  test('au clavier seulement, le porteur fait passer son action à « réalisée » avec un commentaire ; l’historique le montre', async () => {
    await inPage(browser, app.baseUrl, null, async (page) => {
      const base = app.baseUrl;
      await page.goto(`${base}/connexion`);
      await settled(page);
      await tabTo(page, 'input[type=email], input[name=email]');
      await page.keyboard.type(OWNER.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(OWNER.password);
      await page.keyboard.press('Enter');
      // an owner's home is the list of its actions
      await page.getByRole('heading', { level: 1, name: 'Mes actions de suivi' }).waitFor();
      await settled(page);
      assert.equal((await page.locator('main table tbody tr').count()), 1, 'une seule action affectée');
      await tabTo(page, `a[href="/admin/actions/${encodeURIComponent(late)}"]`);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Mettre à jour' }).waitFor();
      await settled(page);

      await tabTo(page, 'select[name=status]');
      // the focus is visible on the field reached with Tab
      const outline = (await page.evaluate('(() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; })()')) as string;
      assert.doesNotMatch(outline, /^none|0px$/, `focus visible (outline ${outline})`);
      await page.keyboard.type('réa');
      assert.equal(await page.locator('select[name=status]').inputValue(), 'realisee');
      await tabTo(page, 'textarea[name=comment]');
      await page.keyboard.type('Maison de santé ouverte en novembre.');
      await tabTo(page, 'form.followup-form button[type=submit]');
      await page.keyboard.press('Enter');
      await page.locator('#action-annonce').filter({ hasText: /Action enregistrée : statut, avancement/ }).waitFor();

      const entry = page.locator('.followup-timeline__entry').first();
      await entry.filter({ hasText: 'Statut : en cours → réalisée' }).waitFor();
      const text = await entry.innerText();
      assert.match(text, /Avancement : 30 % → 100 %/);
      assert.match(text, /« Maison de santé ouverte en novembre\. »/);
      assert.match(text, new RegExp(`par ${OWNER.email.replace('.', '\\.')}`));
      await screenshot(page, 'suivi-action-porteur-1280');
      await checkA11y(page, 'suivi-action-porteur-1280');

      // not the other action: read-only page refused to an owner
      await page.goto(`${base}/admin/actions/${encodeURIComponent(other)}`);
      await page.getByText(/ne vous est pas affectée/).first().waitFor();
    });
    assert.equal(((await listActionAccounts(store, [late])).get(late) ?? []).length, 1);
  });
});
