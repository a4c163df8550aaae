/**
 * The traceability review's HTTP API (issue 14) and `fabrique link`: an analyst runs the suggestion, reads each
 * source with its candidates, confirms, marks and undoes (audited); anonymous visitors and facilitators are
 * refused by the route; bodies are validated with French messages. The CLI writes the same suggestions as JSON
 * Lines from a stored consultation, or from free texts against a plan file without any database.
 * Plans and texts are made up (test/helpers/link-plan.ts and the sample below).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseLinkItems } from '../src/cli/commands/link.ts';
import { listAudit } from '../src/store/audit.ts';
import { Store } from '../src/store/index.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { importPlan } from '../src/usecases/plan.ts';
import { runCli } from './helpers/cli.ts';
import { STORE_TEXTS, testDocument } from './helpers/fixtures.ts';
import { linkTestPlan } from './helpers/link-plan.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';

const NOW = () => new Date('2026-12-01T10:00:00.000Z');

async function seed(store: Store): Promise<string> {
  await store.upsertConsultation({ slug: 'liens', title: 'Consultation des liens', territory: '46', status: 'open', themes: [] });
  await store.importParsed('liens', testDocument(STORE_TEXTS, { consultation: 'liens', documentId: 'c'.repeat(64) }));
  const plan = await importPlan(context(store, CLI_ACTOR, NOW), { bytes: new TextEncoder().encode('plan des liens'), fileName: 'sts-essai.md', consultation: 'liens' },
    async () => linkTestPlan('first'));
  return plan.planId;
}

describe('API de relecture des liens', () => {
  let t: TestServer;
  let planId: string;
  before(async () => {
    t = await testServer();
    planId = await seed(t.store);
    const quoted = (await t.store.listContributions('liens')).find((c) => c.text === STORE_TEXTS[4])!.id;
    await t.store.saveIdeaGroups('liens', [{
      id: 'liens-g1', consultation: 'liens', parent: null, theme: '1', label: 'Maisons de santé', labelByHuman: true,
      members: [{ contribution: quoted, provenance: { by: 'human', reviewer: 'analyste', at: '2026-12-01T10:00:00.000Z' } }], quotes: [quoted], lineage: [],
    }]);
  });
  after(() => t?.close());
  const url = (rest = '') => `/api/admin/plans/${encodeURIComponent(planId)}/links${rest}`;

  test('réservée aux analystes et aux administrateurs, décidé par la route', async () => {
    const visitor = await Client.create(t.app, '10.40.0.1');
    assert.equal((await visitor.get(url())).statusCode, 401);
    assert.equal((await visitor.post(url('/suggest'), {})).statusCode, 401);
    assert.equal((await visitor.post(url('/x/undo'), {})).statusCode, 401, 'la route d’annulation (enregistrée à part) est gardée aussi');
    const facilitator = await (await Client.create(t.app, '10.40.0.2')).login('facilitator');
    const refused = await facilitator.get(url());
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error.message, /rôle/);
    assert.equal((await facilitator.post(url('/decisions'), { source: { kind: 'planItem', id: '0' }, target: 'E1D1O1', decision: 'confirm' })).statusCode, 403);
    assert.equal((await facilitator.post(url('/x/undo'))).statusCode, 403);
    assert.equal((await t.store.db.selectFrom('plan_links').select('id').execute()).length, 0, 'rien d’écrit');
  });

  test('suggérer, relire, confirmer, marquer, annuler : audité', async () => {
    const c = await (await Client.create(t.app, '10.40.0.3')).login('analyst');
    const suggested = await c.post(url('/suggest'), {});
    assert.equal(suggested.statusCode, 200, suggested.body);
    assert.ok(suggested.json().suggested > 0);

    const review = await c.get(url('?kind=planItem'));
    assert.equal(review.statusCode, 200, review.body);
    const body = review.json();
    assert.deepEqual(body.plan, { id: planId, title: 'Schéma territorial de santé', territory: '46', consultation: 'liens' });
    assert.deepEqual(body.sources.map((s: { source: unknown }) => s.source), [0, 1, 2].map((i) => ({ kind: 'planItem', id: String(i) })));
    const item = body.sources[2];
    assert.equal(item.text, 'Créer des maisons de santé');
    assert.equal(item.label, undefined, 'un élément du plan est son texte');
    assert.equal(item.candidates[0].target, 'E1D1O2');
    assert.ok(item.candidates.every((l: { status: string }, i: number, all: { score: number }[]) => l.status === 'suggested' && (i === 0 || all[i - 1]!.score >= all[i]!.score)));
    assert.ok(item.candidates[0].evidence.length > 0, 'le pourquoi du rang');
    // the model's « nothing fits » verdict survives storage: the same as the suggestion said, with its threshold
    assert.ok(body.sources.every((s: { nothingFits?: boolean; threshold?: number; candidates: unknown[] }) =>
      s.candidates.length === 0 || (typeof s.nothingFits === 'boolean' && typeof s.threshold === 'number')), 'verdict sur chaque source suggérée');
    assert.equal(item.nothingFits, false, 'les maisons de santé : le plan les crée');
    const ideas = (await c.get(url('?kind=idea'))).json().sources;
    assert.deepEqual(ideas.map((s: { source: unknown; label: string; theme: string; text: string }) => [s.source, s.label, s.theme, s.text]),
      [[{ kind: 'idea', id: 'liens-g1' }, 'Maisons de santé', '1', `Maisons de santé\n${STORE_TEXTS[4]}`]], 'l’idée telle que la suggestion l’a lue');
    const all = (await c.get(url())).json();
    assert.ok(all.sources.some((s: { source: { kind: string } }) => s.source.kind === 'contribution'), 'les propositions aussi');

    const confirmed = await c.post(url('/decisions'), { source: { kind: 'planItem', id: '2' }, target: 'E1D1O2', decision: 'confirm' });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.deepEqual([confirmed.json().status, confirmed.json().decidedBy, confirmed.json().id], ['confirmed', 'analyste@ars.test', item.candidates[0].id]);
    const national = await c.post(url('/decisions'), { source: { kind: 'planItem', id: '1' }, decision: 'national', note: null });
    assert.equal(national.statusCode, 200, national.body);
    assert.equal(national.json().target, null);

    const after1 = (await c.get(url('?kind=planItem'))).json().sources;
    assert.deepEqual(after1[2].decisions.map((l: { target: string }) => l.target), ['E1D1O2']);
    assert.ok(!after1[2].candidates.some((l: { target: string }) => l.target === 'E1D1O2'));

    const undone = await c.post(url(`/${confirmed.json().id}/undo`), {});
    assert.equal(undone.statusCode, 200, undone.body);
    assert.deepEqual(undone.json().link, item.candidates[0], 'la suggestion d’avant, à l’identique');
    assert.equal((await c.post(url(`/${confirmed.json().id}/undo`), {})).statusCode, 404);
    const removed = await c.post(url(`/${national.json().id}/undo`), {});
    assert.deepEqual(removed.json(), { link: null });

    const actions = (await listAudit(t.store, { consultation: 'liens' })).map((e) => e.action);
    assert.deepEqual(actions.filter((a) => a.startsWith('link')).reverse(), ['links.suggest', 'link.confirm', 'link.national', 'link.undo', 'link.undo']);
  });

  test('corps validés, messages en français ; plan inconnu : 404', async () => {
    const c = await (await Client.create(t.app, '10.40.0.4')).login('admin');
    const bad = await c.post(url('/decisions'), { source: { kind: 'planItem', id: '0' }, decision: 'avis' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.field, /decision/);
    assert.match(bad.json().error.message, /^Saisie refusée/);
    const partly = await c.post(url('/decisions'), { source: { kind: 'planItem', id: '0' }, target: 'E1D1O1', decision: 'confirm', kind: 'partly' });
    assert.equal(partly.statusCode, 400);
    assert.match(partly.json().error.message, /ce qui n’est pas repris/);
    const notInPlan = await c.post(url('/decisions'), { source: { kind: 'planItem', id: '0' }, target: 'E7D1O1', decision: 'confirm' });
    assert.equal(notInPlan.statusCode, 404);
    assert.match(notInPlan.json().error.message, /ni un objectif ni un défi/);
    const reason = await c.post(url('/decisions'), { source: { kind: 'planItem', id: '0' }, decision: 'not_taken_up', note: '   ' });
    assert.equal(reason.statusCode, 400);
    assert.match(reason.json().error.message, /raison/);
    assert.equal((await c.get('/api/admin/plans/inconnu/links')).statusCode, 404);
    assert.equal((await c.post('/api/admin/plans/inconnu/links/suggest', {})).statusCode, 404);
    assert.equal((await c.post('/api/admin/plans/inconnu/links/x/undo', {})).statusCode, 404);
    // undo takes no body: an empty one sent as JSON is no malformed JSON (the link is unknown: 404), a broken one is
    const empty = await c.request({ method: 'POST', url: url('/inconnu/undo'), payload: '', headers: { 'content-type': 'application/json' } });
    assert.equal(empty.statusCode, 404, empty.body);
    assert.equal((await c.request({ method: 'POST', url: url('/inconnu/undo'), payload: '{', headers: { 'content-type': 'application/json' } })).statusCode, 400);
    // a plan item's position is written one way only: « 01 », « +1 », « 1.0 », « 1e0 » are no other items (400)
    for (const id of ['01', '+1', '1.0', '1e0', ' 1']) {
      const r = await c.post(url('/decisions'), { source: { kind: 'planItem', id }, target: 'E1D1O1', decision: 'confirm' });
      assert.equal(r.statusCode, 400, `${id} : ${r.body}`);
      assert.match(r.json().error.message, /sans zéro initial/);
    }
    assert.equal((await c.post(url('/decisions'), { source: { kind: 'planItem', id: '9' }, target: 'E1D1O1', decision: 'confirm' })).statusCode, 404);
    assert.equal((await c.get(url('?kind=avis'))).statusCode, 400);
  });

  test('rapport de couverture public : refusé pour une consultation à laquelle le schéma ne répond pas (409), caché pour un brouillon (404)', async () => {
    await t.store.upsertConsultation({ slug: 'autre', title: 'Une autre consultation', territory: '46', status: 'open', themes: [] });
    await t.store.upsertConsultation({ slug: 'brouillon', title: 'Un brouillon', territory: '46', status: 'draft', themes: [] });
    const visitor = await Client.create(t.app, '10.40.0.5');
    const cov = (q: string) => visitor.get(`/api/plans/${encodeURIComponent(planId)}/coverage${q}`);
    const other = await cov('?consultation=autre&format=md');
    assert.equal(other.statusCode, 409, other.body);
    assert.match(other.json().error.message, /répond à la consultation « liens », pas à « autre »/);
    assert.equal((await cov('?consultation=brouillon')).statusCode, 404, 'un visiteur n’apprend rien d’un brouillon');
    assert.equal((await cov('')).statusCode, 200, 'la consultation du schéma, par défaut');
  });
});

/** A small scheme written for this test (the Markdown rendering's marks, as in test/plan-parse.test.ts). */
const SAMPLE = [
  '# Schéma territorial de santé EXEMPLE', '', 'Période 2024-2029', '',
  '# DÉFIS PRIORITAIRES et objectifs opérationnels', '',
  '# 1', '', '## Accès aux soins de démonstration', '',
  '## DÉFI #2', '', '## Accéder à un médecin traitant', '', '### Les enjeux', '', 'Des habitants sans médecin traitant.', '',
  'Réf. E1D2', '', '### Thèmes associés', '', 'Accès aux soins', '',
  'Objectif  ', 'Opérationnel  ', '#3', '', '## Favoriser l’installation des jeunes médecins en zone rurale', '', 'Réf. E1D2O3', '',
  '### En pratique', '', '- Aider les internes à se loger pendant leur stage ;', '- Ouvrir des maisons de santé pluriprofessionnelles.', '',
  'Objectif  ', 'Opérationnel  ', '#4', '', '## Renforcer la prévention à l’école', '', 'Réf. E1D2O4', '',
  '### En pratique', '', '- Des ateliers de prévention avec les infirmières scolaires.', '',
  '# ÉVOLUTION de l\'offre en regard des besoins', '',
].join('\n');

describe('fabrique link', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'fabrique-link-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as { source: { kind: string; id: string }; candidates: { target: string; score: number; evidence: unknown[] }[]; nothingFits: boolean });

  test('--consultation --plan : suggestions enregistrées et écrites en JSON Lines, meilleur candidat d’abord', async () => {
    const db = join(dir, 'liens.sqlite');
    const store = await Store.open({ sqlitePath: db });
    let planId: string;
    try { planId = await seed(store); } finally { await store.close(); }
    const env = { FABRIQUE_DB: db, DATABASE_URL: undefined };
    const out = join(dir, 'liens.jsonl');
    const r = await runCli(['link', '--consultation', 'liens', '--plan', planId, '--out', out], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\d+ sources? :/);
    const got = lines(readFileSync(out, 'utf8'));
    assert.deepEqual(got.filter((l) => l.source.kind === 'planItem').map((l) => l.source.id), ['0', '1', '2']);
    assert.equal(got.filter((l) => l.source.kind === 'contribution').length, 3, 'les trois propositions');
    for (const l of got) {
      assert.ok(l.candidates.every((c, i) => Object.keys(c).join() === 'target,score,evidence' && (i === 0 || l.candidates[i - 1]!.score >= c.score)));
    }
    const stdout = await runCli(['link', '--plan', planId, '--sources', 'planItem'], env);
    assert.equal(stdout.code, 0, stdout.stderr);
    assert.equal(lines(stdout.stdout).length, 3);
    const unknown = await runCli(['link', '--plan', planId, '--sources', 'avis'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Nature de source inconnue/);
    const s2 = await Store.open({ sqlitePath: db });
    try { assert.ok((await s2.db.selectFrom('plan_links').select('id').execute()).length > 0, 'enregistrées'); } finally { await s2.close(); }
  });

  test('--in textes.jsonl --plan fichier : sans base de données ; une ligne fautive est nommée', async () => {
    const plan = join(dir, 'exemple.md');
    writeFileSync(plan, SAMPLE);
    const items = join(dir, 'textes.jsonl');
    writeFileSync(items, [
      JSON.stringify({ id: 'a', text: 'Loger les internes pendant leur stage pour qu’ils s’installent' }),
      '',
      JSON.stringify({ id: 7, text: 'Des ateliers de prévention à l’école avec les infirmières' }),
      JSON.stringify({ id: 'c', text: 'Réparer le toit de la mairie' }),
    ].join('\n'));
    // no database: a FABRIQUE_DB in a directory that does not exist would fail to open
    const env = { FABRIQUE_DB: join(dir, 'absent', 'jamais.sqlite'), DATABASE_URL: undefined };
    const r = await runCli(['link', '--in', items, '--plan', plan], env);
    assert.equal(r.code, 0, r.stderr);
    const got = lines(r.stdout);
    assert.deepEqual(got.map((l) => l.source), [{ kind: 'contribution', id: 'a' }, { kind: 'contribution', id: '7' }, { kind: 'contribution', id: 'c' }]);
    assert.equal(got[0]!.candidates[0]?.target, 'E1D2O3');
    assert.equal(got[1]!.candidates[0]?.target, 'E1D2O4');

    writeFileSync(items, `${JSON.stringify({ id: 'a', text: 'Un texte' })}\n{"id": "b"}\n`);
    const bad = await runCli(['link', '--in', items, '--plan', plan], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /textes\.jsonl, ligne 2 : « text » manquant ou vide/);
    assert.equal((await runCli(['link', '--in', items, '--plan', plan, '--consultation', 'x'], env)).code, 2);
  });

  test('lecture des textes libres : chaque faute nomme sa ligne', () => {
    const fails = (content: string, re: RegExp) => assert.throws(() => parseLinkItems(content, 't.jsonl'), re);
    fails('pas du json', /t\.jsonl, ligne 1 : JSON invalide/);
    fails('\n[1, 2]', /ligne 2 : attendu un objet/);
    fails('{"text": "x"}', /ligne 1 : « id » manquant/);
    fails('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}', /ligne 2 : identifiant « a » déjà lu ligne 1/);
    fails('{"id": "a", "text": "x", "kind": "avis"}', /« kind » inconnu/);
    assert.deepEqual(parseLinkItems('\uFEFF{"id": "a", "text": "x", "kind": "idea"}\r\n', 't.jsonl'), [{ source: { kind: 'idea', id: 'a' }, text: 'x' }]);
  });
});
