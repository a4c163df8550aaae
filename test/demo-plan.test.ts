/**
 * The demo's schéma territorial de santé (demo/sts-aveyron-demo.md, written by the team) and the traceability step of
 * `fabrique demo`: the plan parses as intended; after the demo's flow its CNR proposals and some ideas are decided, a
 * second run changes nothing, and the coverage report verifies. In-process, on the demo's workshop reports only (the
 * 444 online contributions would add seconds of analysis and nothing this test checks).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_ACTOR, DEMO_DIR, DEMO_PLAN_FILE, demoFollowup, demoPlan, writeDemoCoverage } from '../src/cli/commands/demo.ts';
import { followupFunnel } from '../src/usecases/followup-report.ts';
import { listActions } from '../src/usecases/actions.ts';
import { listIndicators } from '../src/usecases/followup-indicators.ts';
import { importPaths } from '../src/cli/commands/import.ts';
import { loadConsultationFile } from '../src/ingest/consultation-file.ts';
import { parsePlanBytes } from '../src/ingest/plan/index.ts';
import { Store } from '../src/store/store.ts';
import { analyzeConsultation } from '../src/usecases/analysis.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { loadConsultation } from '../src/usecases/consultations.ts';
import { coverageReport } from '../src/usecases/coverage.ts';
import { listLinks } from '../src/usecases/links.ts';

test('the demo plan parses with the intended structure and no warning', async () => {
  const p = (await parsePlanBytes(new Uint8Array(await readFile(join(DEMO_DIR, DEMO_PLAN_FILE))), DEMO_PLAN_FILE))!;
  assert.ok(p, 'reconnu comme schéma');
  assert.equal(p.parser, 'sts-markdown');
  assert.equal(p.plan.territory, 'Aveyron');
  assert.deepEqual(p.plan.period, { start: 2023, end: 2028 });
  const defis = p.plan.engagements.flatMap((e) => e.defis);
  const objectives = defis.flatMap((d) => d.objectives);
  assert.deepEqual(p.plan.engagements.map((e) => e.code), ['E1', 'E3', 'E6']);
  assert.deepEqual(defis.map((d) => d.code), ['E1D2', 'E1D4', 'E3D1', 'E3D2', 'E3D4', 'E6D1']);
  assert.deepEqual(objectives.map((o) => o.code), ['E1D2O3', 'E1D4O6', 'E1D4O2', 'E3D1O5', 'E3D1O7', 'E3D2O1', 'E3D2O4', 'E3D4O2', 'E6D1O1', 'E6D1O3']);
  for (const o of objectives) {
    assert.ok(o.constats && o.objectif && o.resultatsAttendus && o.defiARelever, `${o.code} : rubriques imprimées`);
    assert.ok(o.themes.length > 0 && o.actions.length >= 2 && o.actions.every((a) => a.placement === 'heading'), `${o.code} : thèmes et « En pratique »`);
  }
  assert.equal(objectives.flatMap((o) => o.actions).length, 26);
  const cnr = p.consultationItems.filter((i) => i.section === 'cnr');
  assert.equal(cnr.length, 12);
  assert.equal(new Set(cnr.map((i) => i.group)).size, 5);
  assert.equal(p.oqos.length, 3);
  assert.equal(p.indicators.length, 3);
  assert.deepEqual(p.warnings, []);
});

test('the demo links its plan: decisions taken once, kept on a second run, coverage verified and written', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  const out = await mkdtemp(join(tmpdir(), 'fabrique-demo-plan-'));
  try {
    const file = await loadConsultationFile(join(DEMO_DIR, 'consultation.json'));
    await loadConsultation(context(store, CLI_ACTOR), file);
    // the three workshop reports (their Markdown source: the same contributions as the PDFs the demo imports, read faster)
    await importPaths(store, 'demo', ['espalion', 'laissac', 'requista'].map((a) => join(DEMO_DIR, 'ateliers', `atelier-${a}.md`)), { publishBy: DEMO_ACTOR });
    await analyzeConsultation(context(store, CLI_ACTOR), { consultation: 'demo', seed: 1 });

    const lines: string[] = [];
    const first = await demoPlan(store, 'demo', (l) => lines.push(l));
    assert.match(lines.join('\n'), /Décisions de démonstration/);
    const items = first.taken.filter((d) => d.source.kind === 'planItem');
    // every CNR proposal is decided: ten taken up (the plan answers them), one national, one not taken up
    assert.equal(items.length, 12);
    assert.equal(items.filter((d) => d.decision === 'confirm').length, 10);
    assert.equal(items.filter((d) => d.decision === 'national').length, 1);
    assert.equal(items.filter((d) => d.decision === 'not_taken_up').length, 1);
    assert.ok(first.taken.some((d) => d.source.kind === 'idea' && d.decision === 'confirm'), 'au moins une idée commune reliée');
    const ctx = context(store, CLI_ACTOR);
    const decided = await listLinks(ctx, { plan: first.planId, statuses: ['confirmed'] });
    assert.equal(decided.length, first.taken.length);
    assert.ok(decided.every((l) => l.decidedBy === DEMO_ACTOR));

    // again: the plan is unchanged, nothing is decided twice, nothing fails
    const again: string[] = [];
    const second = await demoPlan(store, 'demo', (l) => again.push(l));
    assert.equal(second.planId, first.planId);
    assert.match(again[0]!, /déjà importé/);
    assert.deepEqual(second.taken, []);
    assert.equal(second.kept, first.taken.length);
    assert.equal((await listLinks(ctx, { plan: first.planId, statuses: ['confirmed'] })).length, decided.length);

    const report = await coverageReport(ctx, { plan: first.planId, consultation: 'demo' });
    assert.ok(report.verification.ok);
    assert.ok(report.verification.checked.figures > 0);
    const files = await writeDemoCoverage(store, 'demo', first.planId, out, { pdf: false }); // Chromium would add seconds
    assert.ok(files.some((f) => f.endsWith('couverture.md')) && files.some((f) => f.endsWith('couverture.html')));
    for (const f of files) assert.ok(existsSync(f));
    const md = await readFile(join(out, 'couverture.md'), 'utf8');
    assert.match(md, /Ce que le schéma ne reprend pas/);
    assert.match(md, /Ce qui relève du niveau national/);
    assert.match(md, /E3D2O4/);

    // the follow-up: the « En pratique » items as actions, two of them moved on under objectives the consultation
    // fed, so that the funnel and the public follow-up show something; a second run changes nothing
    const logged: string[] = [];
    await demoFollowup(store, first.planId, (l) => logged.push(l));
    assert.match(logged.join('\n'), /26 actions proposées créées/);
    const steps = async () => Object.fromEntries((await followupFunnel(ctx, { plan: first.planId })).steps.map((s) => [s.key, s.count]));
    const funnel = await steps();
    assert.equal(funnel.engaged, 2);
    assert.equal(funnel.done, 1);
    const actions = (await listActions(ctx, { plan: first.planId })).actions;
    assert.equal(actions.length, 26);
    assert.deepEqual(actions.map((a) => a.status).filter((s) => s !== 'proposee').sort(), ['en_cours', 'realisee']);
    assert.ok(actions.every((a) => a.owner.contact === null), 'no contact person is invented');
    const [indicator] = (await listIndicators(ctx, { plan: first.planId })).indicators;
    assert.equal(indicator?.progress.label, '1 sur 3 maisons de santé supplémentaires (33 %)');
    await demoFollowup(store, first.planId, () => {});
    assert.deepEqual(await steps(), funnel);
    assert.equal((await listIndicators(ctx, { plan: first.planId })).indicators.length, 1);
  } finally {
    await store.close();
    await rm(out, { recursive: true, force: true });
  }
});
