/**
 * Traceability in the browser (issue 14, second acceptance point): an analyst imports the Lozère plan into a
 * consultation with a few contributions and one common idea, computes the suggestions on the review page, confirms
 * the idea's first candidate with the keyboard; the link then shows in the coverage report, in the regenerated
 * restitution and under the objective of the public plan page (« Ce que vous avez dit »); rejecting it removes it
 * from all three; both decisions are in the audit log. The review page has no axe violation at 1280 and 375 px and
 * no horizontal scroll at 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { listAudit } from '../../src/store/audit.ts';
import type { Store } from '../../src/store/index.ts';
import { analyzeConsultation } from '../../src/usecases/analysis.ts';
import { createConsultation } from '../../src/usecases/consultations.ts';
import { CLI_ACTOR, context } from '../../src/usecases/context.ts';
import { moderateContributions, submitContribution } from '../../src/usecases/contributions.ts';
import { importPlan } from '../../src/usecases/plan.ts';
import type { PlanLink } from '../../src/domain/links.ts';
import { CORPUS_DIR, corpusSkip } from '../helpers/corpus.ts';
import { SKIP, checkA11y, fabriqueSuite, inPage, screenshot, settled } from './harness.ts';

const LOZERE = 'sts-lozere-2023-2028.md';
const SLUG = 'lozere-liens';
const skip = SKIP || corpusSkip(LOZERE);

/** Written for this test (never the corpus' sentences): four on cancer screening near home, two on paediatricians. */
const CONTRIBUTIONS: [theme: string, text: string][] = [
  ['1', 'Un bus de dépistage des cancers devrait passer dans les villages : beaucoup de personnes âgées ne se font jamais dépister.'],
  ['1', 'Organiser des journées de dépistage des cancers dans les communes rurales, au plus près des habitants éloignés des soins.'],
  ['1', 'Une équipe mobile de dépistage des cancers irait vers les femmes isolées qui ne font pas le dépistage du sein.'],
  ['1', 'Faire venir le dépistage des cancers dans les villages, les habitants isolés ne font pas la route jusqu’à la ville.'],
  ['2', 'Il faut attendre des mois pour obtenir un rendez-vous chez un pédiatre pour les enfants.'],
  ['2', 'Les délais pour voir un pédiatre sont trop longs et les familles font des heures de route.'],
];

interface LinksBody { plan: { id: string }; sources: { source: { kind: string; id: string }; label?: string | null; text: string; candidates: PlanLink[]; decisions: PlanLink[] }[] }

/** A JSON call of the API from the signed-in page's session (CSRF token fetched as the web app does). */
async function api<T>(page: Page, base: string, method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['x-csrf-token'] = ((await (await page.request.get(`${base}/api/csrf`)).json()) as { token: string }).token;
    headers.origin = base;
  }
  const res = await page.request.fetch(`${base}/api${path}`, { method, headers, ...(data !== undefined ? { data } : {}) });
  assert.ok(res.ok(), `${method} ${path} : ${res.status()} ${await res.text()}`);
  const type = res.headers()['content-type'] ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/**
 * The objects of a JSON document that name the element `code` in one of their own string properties (a section
 * `{ key: 'target.E1D4O6', … }`, a link `{ target: 'E1D4O6', … }`; « E1D4 » is not « E1D4O6 »): the coverage
 * report's shape is its package's, this only assumes that what belongs to an element sits in the object naming it.
 */
function holders(doc: unknown, code: string): unknown[] {
  const names = new RegExp(`(^|[^A-Za-z0-9])${code}($|[^A-Za-z0-9])`);
  const out: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) { for (const x of v) walk(x); return; }
    if (!v || typeof v !== 'object') return;
    if (Object.values(v).some((x) => typeof x === 'string' && names.test(x))) out.push(v);
    for (const x of Object.values(v)) walk(x);
  };
  walk(doc);
  return out;
}
const mentions = (o: unknown, needles: string[]) => { const s = JSON.stringify(o); return needles.some((n) => s.includes(n)); };

/** Generates the restitution through the API (a job, followed until done) and downloads it as Markdown. */
async function regenerate(page: Page, base: string): Promise<string> {
  let job = await api<{ id: string; state: string; error?: unknown }>(page, base, 'POST', `/admin/consultations/${SLUG}/synthesis`, {});
  for (let i = 0; i < 600 && job.state !== 'done' && job.state !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = await api(page, base, 'GET', `/admin/jobs/${encodeURIComponent(job.id)}`);
  }
  assert.equal(job.state, 'done', `génération de la restitution : ${JSON.stringify(job.error ?? job.state)}`);
  return api<string>(page, base, 'GET', `/admin/consultations/${SLUG}/synthesis?format=md`);
}

/** « Calculer les suggestions », and its outcome as announced (fails at once, with the message, on an error). */
async function computeSuggestions(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Calculer les suggestions' }).click();
  const said = page.locator('#liens-annonce').filter({ hasText: /Suggestions calculées|Échec/ });
  await said.waitFor();
  assert.match((await said.textContent()) ?? '', /Suggestions calculées/);
}

describe('relier ce que la consultation a dit aux objectifs du schéma', { skip, timeout: 300_000 }, () => {
  let app: { baseUrl: string };
  let browser: Browser;
  let store: Store;
  let planId = '';
  const contributionIds: string[] = [];
  fabriqueSuite((a, b) => { app = a; browser = b; }, {
    prepare: async (s) => {
      store = s;
      const ctx = context(s, CLI_ACTOR);
      await createConsultation(ctx, { slug: SLUG, title: 'Consultation de la Lozère (essai des liens)', territory: '48', status: 'open' });
      for (const [theme, text] of CONTRIBUTIONS) contributionIds.push((await submitContribution(ctx, { consultation: SLUG, text, theme })).id);
      await moderateContributions(ctx, { ids: contributionIds, action: 'publish' });
      await analyzeConsultation(ctx, { consultation: SLUG });
      const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, LOZERE)));
      planId = (await importPlan(ctx, { bytes, fileName: LOZERE, consultation: SLUG })).planId;
    },
  });

  test('un lien confirmé au clavier paraît dans la couverture, la restitution et la page publique ; écarté, il disparaît partout ; les deux au journal', async () => {
    await inPage(browser, app.baseUrl, 'analyst', async (page) => {
      const base = app.baseUrl;
      // the idea to review: the largest group of the consultation (the four texts on screening)
      const groups = (await store.listIdeaGroups(SLUG)).filter((g) => !g.parent).sort((a, b) => b.members.length - a.members.length);
      const idea = groups[0]!;
      assert.ok(idea.members.length >= 2, 'l’analyse a formé une idée commune');

      // entry point: the analysis page links each idea to its review
      await page.goto(`${base}/admin/consultations/${SLUG}/analyse?theme=${encodeURIComponent(idea.theme ?? "1")}`);
      await settled(page);
      const entry = page.locator(`[data-group="${idea.id}"]`).getByRole('link', { name: 'Objectifs du schéma' });
      await entry.click();
      await page.getByRole('heading', { level: 1, name: /^Liens avec le schéma/ }).waitFor();
      await settled(page);
      assert.match(page.url(), /\/liens\?kind=idea&source=/);

      const live = page.locator('#liens-annonce');
      await computeSuggestions(page);
      const card = page.locator(`.link-source[data-source="${idea.id}"]`);
      await card.locator('.link-candidate').first().waitFor();
      await screenshot(page, 'liens-idee-1280');
      await checkA11y(page, 'liens-idee-1280');

      // keyboard only: j reaches the (only) source shown, l its best candidate, c confirms it
      await page.locator('h1').focus();
      await page.keyboard.press('j');
      assert.equal(await page.evaluate('document.activeElement?.dataset?.source'), idea.id, 'j place le focus sur la source');
      await page.keyboard.press('l');
      const target = (await page.evaluate('document.activeElement?.dataset?.target')) as string;
      assert.match(target, /^E\d+D\d+(O\d+)?$/, 'l place le focus sur le premier objectif suggéré');
      await page.keyboard.press('c');
      await live.filter({ hasText: /Lien confirmé|Échec/ }).waitFor();
      assert.match((await live.textContent()) ?? '', /Lien confirmé/);
      await card.locator('.link-decision', { hasText: 'Confirmé' }).waitFor();
      // the list reloaded: the focus is still on the decided source
      await page.waitForFunction(`document.activeElement?.dataset?.source === ${JSON.stringify(idea.id)}`, undefined, { timeout: 5_000 });

      const links = await api<LinksBody>(page, base, 'GET', `/admin/plans/${encodeURIComponent(planId)}/links?kind=idea`);
      const decided = links.sources.find((s) => s.source.id === idea.id)!.decisions;
      const confirmed = decided.find((d) => d.status === 'confirmed' && d.target === target);
      assert.ok(confirmed, `le lien ${target} est confirmé : ${JSON.stringify(decided)}`);
      assert.equal(confirmed.kind, 'taken_up');

      const plan = await api<{ engagements: { defis: { code: string; title: string; objectives: { code: string; title: string }[] }[] }[] }>(page, base, 'GET', `/plans/${encodeURIComponent(planId)}`);
      const elements = plan.engagements.flatMap((e) => e.defis.flatMap((d) => [d, ...d.objectives]));
      const targetTitle = elements.find((el) => el.code === target)!.title;
      const ideaNames = [idea.id, idea.label];

      // 1. coverage report (COVERAGE): the objective's entry names the idea
      const coverage = await api<unknown>(page, base, 'GET', `/plans/${encodeURIComponent(planId)}/coverage?consultation=${SLUG}`);
      assert.ok(holders(coverage, target).some((o) => mentions(o, ideaNames)), 'la couverture rattache l’idée à l’objectif');
      // 2. regenerated restitution (SAID): the idea shows its objective
      const md = await regenerate(page, base);
      assert.ok(md.includes(target) || md.includes(targetTitle), 'la restitution régénérée cite l’objectif de l’idée');
      // 3. public plan page (SAID): « Ce que vous avez dit » under the objective
      const pub = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
      const visitor = await pub.newPage();
      await visitor.goto(`${base}/schemas/${encodeURIComponent(planId)}`);
      await settled(visitor);
      // the element's own block (a défi's comes before its objectives' blocks)
      const said = visitor.locator(`[aria-labelledby="el-${target}"]`).locator('section', { has: visitor.getByRole('heading', { name: 'Ce que vous avez dit' }) }).first();
      await said.waitFor();
      assert.ok((await said.textContent())!.includes(idea.label), 'l’idée paraît sous son objectif sur la page publique');

      // rejecting it: by mouse this time, on the decision
      await card.getByRole('button', { name: 'Écarter ce lien' }).click();
      await live.filter({ hasText: /Lien écarté|Échec/ }).waitFor();
      assert.match((await live.textContent()) ?? '', /Lien écarté/);
      await card.locator('.link-decision', { hasText: 'Écarté' }).waitFor();
      const after = await api<LinksBody>(page, base, 'GET', `/admin/plans/${encodeURIComponent(planId)}/links?kind=idea`);
      assert.ok(!after.sources.find((s) => s.source.id === idea.id)!.decisions.some((d) => d.status === 'confirmed'), 'plus de lien confirmé');

      const coverage2 = await api<unknown>(page, base, 'GET', `/plans/${encodeURIComponent(planId)}/coverage?consultation=${SLUG}`);
      assert.ok(!holders(coverage2, target).some((o) => mentions(o, ideaNames)), 'la couverture ne rattache plus l’idée');
      const md2 = await regenerate(page, base);
      assert.ok(!md2.includes(target) && !md2.includes(targetTitle), 'la restitution régénérée ne cite plus l’objectif');
      await visitor.reload();
      await settled(visitor);
      assert.ok(await said.count() === 0 || !(await said.textContent())!.includes(idea.label), 'l’idée ne paraît plus sous l’objectif');
      await pub.close();

      // both decisions in the audit log, without any contribution text
      const audit = (await listAudit(store, { limit: 500 })).filter((e) => /link/i.test(`${e.action} ${e.targetType}`));
      const confirmEntry = audit.find((e) => /confirm/i.test(`${e.action} ${JSON.stringify(e.after)}`) && JSON.stringify(e).includes(target));
      const rejectEntry = audit.find((e) => /reject/i.test(`${e.action} ${JSON.stringify(e.after)}`) && JSON.stringify(e).includes(target));
      assert.ok(confirmEntry, `la confirmation est au journal : ${JSON.stringify(audit.map((e) => e.action))}`);
      assert.ok(rejectEntry, 'le rejet est au journal');
      assert.equal(confirmEntry.actor, rejectEntry.actor);
      for (const e of [confirmEntry, rejectEntry]) {
        for (const [, text] of CONTRIBUTIONS) assert.ok(!JSON.stringify(e).includes(text), 'aucun texte de contribution au journal');
      }
    });
  });

  test('page de revue : propositions du plan, sans violation axe à 1280 et 375 px, sans défilement horizontal', async () => {
    await inPage(browser, app.baseUrl, 'analyst', async (page) => {
      // entry point from the plan's back-office page
      await page.goto(`${app.baseUrl}/admin/schemas/${encodeURIComponent(planId)}`);
      await settled(page);
      await page.getByRole('link', { name: /Relier aux objectifs/ }).click();
      await page.getByRole('heading', { level: 1, name: /^Liens avec le schéma/ }).waitFor();
      await settled(page);
      await computeSuggestions(page);
      await page.locator('.link-source').first().waitFor();
      assert.ok(await page.locator('.link-source').count() >= 20, 'les 20 propositions du CNR (et les autres éléments de la consultation que le schéma liste)');
      assert.ok(await page.locator('.link-candidate').count() > 0, 'des objectifs suggérés');
      assert.ok(await page.getByText(/score \d+ %/).count() > 0, 'le score en texte');
      // the shortcut help opens with « ? » and lists the keys
      await page.locator('h1').focus();
      await page.keyboard.press('?');
      await page.getByText('annuler la dernière décision prise sur cette page').waitFor();
      await screenshot(page, 'liens-propositions-1280');
      await checkA11y(page, 'liens-propositions-1280');
      // « x » asks the reason, Échap gives the focus back to the source
      const live = page.locator('#liens-annonce');
      const first = page.locator('.link-source').first();
      const source = (await first.getAttribute('data-source'))!;
      const decisionsOf = async () => (await api<LinksBody>(page, app.baseUrl, 'GET', `/admin/plans/${encodeURIComponent(planId)}/links?kind=planItem`))
        .sources.find((s) => s.source.id === source)!.decisions;
      await page.keyboard.press('j');
      await page.keyboard.press('x');
      await page.getByLabel('Motif *').waitFor();
      await page.keyboard.press('Escape');
      assert.ok(await page.evaluate('document.activeElement?.classList.contains("link-source")'), 'Échap rend le focus à la source');
      // « x », a reason and Entrée mark it « non repris »; « u » undoes it
      await page.keyboard.press('x');
      await page.keyboard.type('Hors du champ du schéma (essai)');
      await page.keyboard.press('Enter');
      await live.filter({ hasText: /non repris|Échec/ }).waitFor();
      assert.match((await live.textContent()) ?? '', /Marqué « non repris »/);
      const marked = await decisionsOf();
      assert.ok(marked.some((d) => d.kind === 'not_taken_up' && d.status === 'confirmed' && d.note === 'Hors du champ du schéma (essai)'), JSON.stringify(marked));
      await first.locator('.link-decision').waitFor();
      await page.waitForFunction(`document.activeElement?.dataset?.source === ${JSON.stringify(source)}`, undefined, { timeout: 5_000 });
      await page.keyboard.press('u');
      await live.filter({ hasText: /Décision annulée|Échec/ }).waitFor();
      assert.match((await live.textContent()) ?? '', /Décision annulée/);
      await first.locator('.link-decision').waitFor({ state: 'detached' });
      assert.deepEqual(await decisionsOf(), [], 'l’annulation rend la source à son état d’avant');

      await page.setViewportSize({ width: 375, height: 800 });
      await settled(page);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      assert.ok(overflow <= 1, `pas de défilement horizontal à 375 px (${overflow} px)`);
      await screenshot(page, 'liens-propositions-375');
      await checkA11y(page, 'liens-propositions-375');
    });
  });
});
