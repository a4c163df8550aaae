/**
 * The coverage report (issue 14, item 5): built from a plan, a consultation and the decided links; every count is a
 * `links` figure the verifier recomputes, so an altered count fails and is named; a withheld contribution is neither
 * counted nor quoted. The consultation and the plan are written here (a small scheme in the sts-markdown rendering).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readStoredPlan } from '../src/store/plans.ts';
import { buildCoverageFrom, type CoverageDocument } from '../src/synthesis/coverage.ts';
import { loadSynthesisData, planLinkData, type SynthesisData } from '../src/synthesis/data.ts';
import { strFromU8, unzipSync } from 'fflate';
import { renderHtml, renderMarkdown, renderUnverified } from '../src/synthesis/index.ts';
import { verifyAgainst } from '../src/synthesis/verify.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_ACTOR, context, VISITOR } from '../src/usecases/context.ts';
import { coverageReport } from '../src/usecases/coverage.ts';
import { verifySynthesis } from '../src/synthesis/verify.ts';
import { runCli } from './helpers/cli.ts';
import { decideLink } from '../src/usecases/links.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { Store as StoreClass } from '../src/store/store.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';
import { NOW, SLUG, TEXTS, coverageStore, decideTestLinks, testLinks, type CoverageFixture } from './helpers/coverage-fixture.ts';
import { testServer } from './helpers/server.ts';

const LOZERE = 'sts-lozere-2023-2028.md';

const fig = (doc: CoverageDocument, key: string) => {
  const f = doc.figures.find((x) => x.key === key);
  assert.ok(f, `chiffre ${key} présent`);
  return f;
};

describe('rapport de couverture (liens donnés au modèle, sans la base des liens)', () => {
  let fx: CoverageFixture;
  let data: SynthesisData;
  let doc: CoverageDocument;
  before(async () => {
    fx = await coverageStore();
    data = await loadSynthesisData(fx.store, SLUG);
    const stored = (await readStoredPlan(fx.store, fx.planId))!;
    const pl = planLinkData(data, stored, testLinks(fx.planId, fx.ids));
    // the verifier reads the same links
    data.planLinks = async () => pl;
    doc = await buildCoverageFrom(data, pl, { consultation: SLUG, now: NOW });
  });
  after(() => fx.store.close());

  test('counts per outcome: decided links only, a contribution follows its idea, the withheld one is out', () => {
    const [c0, c1, c2, c3] = fx.ids;
    assert.deepEqual(fig(doc, 'all.total').contributions, [c0, c1, c2, c3]);
    assert.deepEqual(fig(doc, 'all.taken_up').contributions, [c0, c1]);
    assert.deepEqual(fig(doc, 'all.partly').contributions, [c2]);
    assert.deepEqual(fig(doc, 'all.national').contributions, [c3]);
    assert.equal(fig(doc, 'all.not_taken_up').value, 0);
    assert.equal(fig(doc, 'all.undecided').value, 0);
    assert.equal(fig(doc, 'theme.1.taken_up.share').value, 66.7);
    assert.equal(fig(doc, 'theme.2.national.share').value, 100);
    assert.deepEqual(fig(doc, 'items.not_taken_up').sources, ['2']);
    assert.deepEqual(fig(doc, 'items.undecided').sources, ['0']);
    // decided one by one: the contributions that follow their idea are not among them
    assert.deepEqual(fig(doc, 'direct.national').contributions, [c3]);
    assert.deepEqual(fig(doc, 'direct.not_taken_up').contributions, []);
  });

  test('per objective: contributions, ideas and plan items behind it, with verbatim quotes', () => {
    const [c0, c1, c2] = fx.ids;
    assert.deepEqual(fig(doc, 'target.E1D2O3.contributions').contributions, [c0, c1]);
    assert.deepEqual(fig(doc, 'target.E1D2O3.ideas').sources, ['g-install']);
    assert.deepEqual(fig(doc, 'target.E1D2O3.items').sources, ['1']);
    assert.deepEqual(fig(doc, 'target.E1D2O4.contributions').contributions, [c2]);
    assert.deepEqual(fig(doc, 'target.E1D2O4.contributions.partly').contributions, [c2]);
    const md = renderMarkdown(doc as never);
    assert.match(md, /E1D2O3 – Accompagner l’installation/);
    assert.match(md, /les consultations de cardiologie seulement/);
    assert.match(md, /Créer un guichet unique pour l’installation des professionnels/);
    assert.ok(doc.quotes.some((q) => q.contribution === c2 && q.text === TEXTS[2]!.text));
  });

  test('what is not taken up is listed with its reason', () => {
    const md = renderMarkdown(doc as never);
    assert.match(md, /Ce qui relève du niveau national/);
    assert.match(md, /relève de l’Assurance maladie/);
    assert.match(md, /Réduire la tarification des transports sanitaires par une loi » — raison : une loi ne relève pas du schéma/);
  });

  test('a withheld contribution is neither counted nor quoted, in any format', () => {
    const withheld = fx.ids[5]!;
    const json = JSON.stringify(doc);
    assert.ok(!json.includes(withheld), 'son identifiant n’apparaît pas');
    assert.ok(!json.includes('médecins remplaçants'), 'son texte n’apparaît pas');
    assert.ok(!renderHtml(doc as never).includes('médecins remplaçants'));
  });

  test('DOCX: the same report, its annex without the restitution’s wording', async () => {
    const docx = (await renderUnverified(doc, 'docx')).bytes;
    const xml = strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!);
    assert.match(xml, /Rapport de couverture/);
    assert.match(xml, /format fabrique\.coverage/);
    assert.ok(!xml.includes('médecins remplaçants'));
  });

  test('verifies; one altered count fails and is named by its key', async () => {
    assert.deepEqual((await verifyAgainst(data, doc as never)).failures, []);
    const altered = structuredClone(doc);
    fig(altered, 'all.taken_up').value = 3;
    const r = await verifyAgainst(data, altered as never);
    assert.equal(r.ok, false);
    assert.ok(r.failures.some((f) => f.path.endsWith(' all.taken_up') && /indique 3, les données donnent 2/.test(f.message)), JSON.stringify(r.failures));
    const ideas = structuredClone(doc);
    fig(ideas, 'target.E1D2O3.ideas').sources = [];
    assert.ok((await verifyAgainst(data, ideas as never)).failures.some((f) => f.path.endsWith(' target.E1D2O3.ideas')));
    const quote = structuredClone(doc);
    quote.quotes[0]!.text = `${quote.quotes[0]!.text} (ajouté)`;
    assert.ok((await verifyAgainst(data, quote as never)).failures.some((f) => f.path.startsWith('quotes[0]')));
  });
});

describe('rapport de couverture depuis la base : cas d’usage, commande, route publique', () => {
  let dir: string;
  let db: string;
  let fx: CoverageFixture;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fabrique-couverture-'));
    db = join(dir, 'fabrique.db');
    fx = await coverageStore(db);
    await decideTestLinks(context(fx.store, CLI_ACTOR, () => NOW), fx.planId, fx.ids);
  });
  after(async () => {
    await fx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the use case builds from the stored links and the store verifies it; a rejection takes a link out', async () => {
    const ctx = context(fx.store, CLI_ACTOR, () => NOW);
    const { document, verification } = await coverageReport(ctx, { plan: fx.planId });
    assert.equal(verification.ok, true);
    assert.equal(document.consultation, SLUG, 'the plan’s consultation by default');
    assert.deepEqual(fig(document, 'all.taken_up').contributions, [fx.ids[0], fx.ids[1]]);
    assert.ok(!JSON.stringify(document).includes(fx.ids[5]!));
    // the idea's link rejected: its two contributions are no longer taken up, and the saved report no longer verifies
    const idea = { plan: fx.planId, source: { kind: 'idea' as const, id: 'g-install' }, target: 'E1D2O3' };
    await decideLink(ctx, { ...idea, decision: 'reject' });
    const stale = await verifySynthesis(fx.store, document as never);
    assert.ok(stale.failures.some((f) => f.path.endsWith(' all.taken_up')), JSON.stringify(stale.failures));
    const again = (await coverageReport(ctx, { plan: fx.planId })).document;
    assert.equal(fig(again, 'all.taken_up').value, 0);
    assert.equal(fig(again, 'all.undecided').value, 2);
    assert.ok(!again.figures.some((f) => f.key === 'target.E1D2O3.ideas' && f.value > 0));
    await decideLink(ctx, { ...idea, decision: 'confirm' });
    assert.equal(fig((await coverageReport(ctx, { plan: fx.planId })).document, 'all.taken_up').value, 2);
  });

  test('a contribution’s own rejection of its idea’s objective takes it out of that objective', async () => {
    const ctx = context(fx.store, CLI_ACTOR, () => NOW);
    const c0 = { plan: fx.planId, source: { kind: 'contribution' as const, id: fx.ids[0]! }, target: 'E1D2O3' };
    await decideLink(ctx, { ...c0, decision: 'confirm' });
    await decideLink(ctx, { ...c0, decision: 'reject' });
    const doc = (await coverageReport(ctx, { plan: fx.planId })).document;
    assert.deepEqual(fig(doc, 'target.E1D2O3.contributions').contributions, [fx.ids[1]]);
    assert.deepEqual(fig(doc, 'all.undecided').contributions, [fx.ids[0]]);
    await decideLink(ctx, { ...c0, decision: 'confirm' });
    assert.deepEqual(fig((await coverageReport(ctx, { plan: fx.planId })).document, 'target.E1D2O3.contributions').contributions, [fx.ids[0], fx.ids[1]]);
  });

  test('a visitor sees no report of a draft consultation', async () => {
    await fx.store.upsertConsultation({ ...(await fx.store.requireConsultation(SLUG)), status: 'draft' });
    try {
      await assert.rejects(coverageReport(context(fx.store, VISITOR, () => NOW), { plan: fx.planId }), (e: Error & { code?: string }) => e.code === 'not_found');
      assert.equal((await coverageReport(context(fx.store, CLI_ACTOR, () => NOW), { plan: fx.planId })).verification.ok, true, 'the back office still does');
    } finally {
      await fx.store.upsertConsultation({ ...(await fx.store.requireConsultation(SLUG)), status: 'closed' });
    }
  });

  test('fabrique coverage writes a verified JSON; fabrique verify accepts it and names an altered count', async () => {
    const out = join(dir, 'couverture.json');
    const made = await runCli(['coverage', '--plan', fx.planId, '--format', 'json', '--out', out], { FABRIQUE_DB: db });
    assert.equal(made.code, 0, made.stderr);
    const ok = await runCli(['verify', out], { FABRIQUE_DB: db });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Rapport de couverture vérifié : \d+ chiffres recalculés/);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as CoverageDocument;
    fig(doc, 'theme.1.partly').value += 1;
    const altered = join(dir, 'couverture-modifiee.json');
    writeFileSync(altered, JSON.stringify(doc));
    const bad = await runCli(['verify', altered], { FABRIQUE_DB: db });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /theme\.1\.partly/);
    assert.match(bad.stderr, /le document indique 2, les données donnent 1/);
    const md = await runCli(['coverage', '--plan', fx.planId, '--consultation', SLUG], { FABRIQUE_DB: db });
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^# Rapport de couverture/);
  });

  test('GET /api/plans/:id/coverage is public, shows only what the public may see, and downloads the verified document', async () => {
    const server = await testServer({}, fx.store);
    try {
      const res = await server.app.inject({ method: 'GET', url: `/api/plans/${encodeURIComponent(fx.planId)}/coverage` });
      assert.equal(res.statusCode, 200, res.body);
      const view = res.json();
      assert.equal(view.figures['all.taken_up'].value, 2);
      assert.equal(view.figures['theme.1.taken_up.share'].text, '66,7 %');
      assert.ok(!res.body.includes('médecins remplaçants') && !res.body.includes(fx.ids[5]!));
      const summary = JSON.stringify(view.sections[0].blocks[0].content);
      assert.match(summary, /reprises par le schéma/, 'the text agreed with its numbers');
      const md = await server.app.inject({ method: 'GET', url: `/api/plans/${encodeURIComponent(fx.planId)}/coverage?format=md` });
      assert.equal(md.statusCode, 200);
      assert.match(String(md.headers['content-type']), /text\/markdown/);
      assert.match(md.body, /# Rapport de couverture/);
      const json = await server.app.inject({ method: 'GET', url: `/api/plans/${encodeURIComponent(fx.planId)}/coverage?format=json` });
      assert.equal(JSON.parse(json.body).format, 'fabrique.coverage');
      const none = await server.app.inject({ method: 'GET', url: '/api/plans/inconnu/coverage' });
      assert.equal(none.statusCode, 404);
    } finally {
      await server.app.close();
    }
  });
});

describe('rapport de couverture du schéma de la Lozère (corpus), ses 20 propositions du CNR décidées comme un lecteur attentif', { skip: corpusSkip(LOZERE, '../eval/sts-lozere-cnr-links.tsv') }, () => {
  test('15 reprises, 5 non reprises, sous les objectifs du lecteur ; vérifié, puis un nombre modifié est nommé', async () => {
    const store = await StoreClass.open({ sqlitePath: ':memory:' });
    try {
      await store.upsertConsultation({ slug: 'lozere-essai', title: 'Consultation de Lozère (essai)', territory: '48', status: 'closed', themes: [...CNR_SANTE_THEMES] });
      const ctx = context(store, CLI_ACTOR, () => NOW);
      const imported = await importPlan(ctx, { bytes: new Uint8Array(readFileSync(join(CORPUS_DIR, LOZERE))), fileName: LOZERE, consultation: 'lozere-essai' });
      const plan = (await readStoredPlan(store, imported.planId))!;
      // the reader's links of ../shared/eval (not the suggestions): decisions as a reviewer would take them
      const rows = readFileSync(join(CORPUS_DIR, '..', 'eval', 'sts-lozere-cnr-links.tsv'), 'utf8').split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t'));
      assert.equal(rows.length, 20);
      const expected = new Map<string, number>();
      for (const [line, , link] of rows) {
        const pos = plan.consultationItems.findIndex((c) => c.section === 'cnr' && c.source.lineStart === Number(line));
        assert.ok(pos >= 0, `élément de la ligne ${line}`);
        const source = { kind: 'planItem' as const, id: String(pos) };
        if (link === 'NOT_TAKEN_UP') await decideLink(ctx, { plan: plan.id, source, decision: 'not_taken_up', note: 'aucun objectif du schéma ne le reprend' });
        else {
          await decideLink(ctx, { plan: plan.id, source, target: link!, decision: 'confirm' });
          expected.set(link!, (expected.get(link!) ?? 0) + 1);
        }
      }
      const { document } = await coverageReport(ctx, { plan: plan.id });
      assert.equal(fig(document, 'items.total').value, 20);
      assert.equal(fig(document, 'items.taken_up').value, 15);
      assert.equal(fig(document, 'items.not_taken_up').value, 5);
      assert.equal(fig(document, 'items.undecided').value, 0);
      for (const [code, n] of expected) assert.equal(fig(document, `target.${code}.items`).value, n, code);
      const md = renderMarkdown(document);
      assert.equal((md.match(/— raison : aucun objectif du schéma ne le reprend/g) ?? []).length, 5);
      const altered = structuredClone(document);
      fig(altered, 'items.not_taken_up').value = 4;
      fig(altered, 'items.not_taken_up').sources = fig(altered, 'items.not_taken_up').sources!.slice(1);
      const r = await verifySynthesis(store, altered);
      assert.deepEqual([...new Set(r.failures.map((f) => f.path.split(' ')[1]))], ['items.not_taken_up']);
    } finally {
      await store.close();
    }
  });
});
