/**
 * The easy-to-read summary (FALC, issue 16): the checks of the easy-to-read rules a program can check (warnings,
 * src/domain/easy-read.ts, docs/easy-read.md), and the summary's life — saved, published only after the restitution,
 * separately from the draft, withdrawn — each step audited, through the routes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEasyRead, normaliseEasyRead, sentences, words, type EasyReadRule } from '../src/domain/easy-read.ts';
import { UserError } from '../src/domain/errors.ts';
import { Client, testServer } from './helpers/server.ts';

const rules = (text: string, title = 'Ce que vous avez dit') => checkEasyRead({ title, sections: [{ heading: 'Partie', text }] }).map((w) => w.rule);
const has = (text: string, rule: EasyReadRule) => rules(text).includes(rule);

test('sentences and words', () => {
  assert.deepEqual(sentences('Vous avez parlé. Des médecins ! Et après ?\n- une ligne'), ['Vous avez parlé.', 'Des médecins !', 'Et après ?', '- une ligne']);
  assert.equal(words('L’ARS a reçu 1 250 avis.').length, 6, 'l’ + ARS, and 1 250 as one number');
});

test('long sentences: more than 15 words', () => {
  assert.ok(!has('Vous avez donné votre avis sur la santé dans le département.', 'phrase-longue'));
  const long = 'Vous avez dit que les médecins sont trop loin de chez vous et que les rendez-vous arrivent souvent beaucoup trop tard.';
  const w = checkEasyRead({ title: 'T', sections: [{ heading: 'H', text: long }] })[0]!;
  assert.equal(w.rule, 'phrase-longue');
  assert.deepEqual(w.where, { part: 'text', section: 0 });
  assert.match(w.message, /21 mots/);
});

test('sigles: flagged once unless explained with a parenthesis anywhere in the summary', () => {
  assert.deepEqual(rules('L’ARS écoute. L’ARS répond.'), ['sigle']);
  assert.ok(!has('L’ARS (l’agence régionale de santé) écoute. L’ARS répond.', 'sigle'));
  assert.ok(!has('L’agence régionale de santé (ARS) écoute. L’ARS répond.', 'sigle'));
  assert.ok(!has('Le chapitre II parle de santé.', 'sigle'), 'a roman numeral is not a sigle');
  assert.ok(!has('Vous avez parlé de Rodez.', 'sigle'));
});

test('abbreviations, percentages, large numbers, semicolons', () => {
  assert.ok(has('Les médecins, les infirmiers, etc.', 'abreviation'));
  assert.ok(has('Voir le n° 3.', 'abreviation'));
  assert.ok(has('Pour 42 % des personnes, c’est loin.', 'pourcentage'));
  assert.ok(has('Vingt pour cent des avis parlent des urgences.', 'pourcentage'));
  assert.ok(has('Vous êtes 1 250 à avoir répondu.', 'grand-nombre'));
  assert.ok(has('Il y a 3,5 millions d’habitants.', 'grand-nombre'));
  assert.ok(!has('Vous êtes 125 à avoir répondu en 2026.', 'grand-nombre'), 'a small number and a year are fine');
  assert.ok(has('Il manque des médecins ; les urgences ferment.', 'point-virgule'));
});

test('passive and negative forms where they can be seen', () => {
  assert.ok(has('Le document a été écrit par l’agence.', 'forme-passive'));
  assert.ok(has('Les avis sont lus par une équipe.', 'forme-passive'));
  assert.ok(!has('L’agence a écrit le document.', 'forme-passive'));
  assert.ok(has('Les urgences ne sont pas ouvertes la nuit.', 'forme-negative'));
  assert.ok(has('Il n’y a plus de médecin.', 'forme-negative'));
  assert.ok(!has('Les urgences ferment la nuit.', 'forme-negative'));
});

test('a summary written to the rules has no warning', () => {
  const ok = normaliseEasyRead({
    title: 'Votre avis sur la santé en Aveyron',
    sections: [{ heading: 'Ce que vous avez dit', text: 'Vous voulez un médecin près de chez vous.\nVous voulez des urgences ouvertes la nuit.' }],
  });
  assert.deepEqual(checkEasyRead(ok), []);
});

test('the shape: a title and at least one section with a heading and a text', () => {
  assert.throws(() => normaliseEasyRead({ title: ' ', sections: [] }), (e) => e instanceof UserError && e.field === 'title');
  assert.throws(() => normaliseEasyRead({ title: 'T', sections: [] }), (e) => e instanceof UserError && /au moins une partie/.test(e.message));
  assert.throws(() => normaliseEasyRead({ title: 'T', sections: [{ heading: 'H', text: '' }] }), (e) => e instanceof UserError && e.field === 'sections.0.text');
  assert.deepEqual(normaliseEasyRead({ title: ' T ', sections: [{ heading: '', text: ' ' }, { heading: 'H', text: 'x\r\ny' }] }), { title: 'T', sections: [{ heading: 'H', text: 'x\ny' }] });
});

test('the summary through the routes: saved, published after the restitution only, draft apart, withdrawn; audited', async () => {
  const server = await testServer();
  try {
    const visitor = await Client.create(server.app);
    const analyst = await (await Client.create(server.app)).login('analyst');
    const facilitator = await (await Client.create(server.app)).login('facilitator');
    const base = '/api/admin/consultations/essai/easy-read';
    assert.equal((await visitor.get(base)).statusCode, 401);
    assert.equal((await facilitator.put(base, { title: 'T', sections: [{ heading: 'H', text: 'Un texte.' }] })).statusCode, 403);
    const empty = (await analyst.get(base)).json() as { draft: unknown; restitutionPublished: boolean };
    assert.deepEqual([empty.draft, empty.restitutionPublished], [null, false]);
    assert.equal((await analyst.put(base, { title: '', sections: [] })).statusCode, 400);
    const saved = await analyst.put(base, { title: 'Votre avis sur la santé', sections: [{ heading: 'Ce que dit l’ARS', text: 'Les urgences ne sont pas ouvertes la nuit.' }] });
    assert.equal(saved.statusCode, 200);
    const view = saved.json() as { warnings: { rule: string }[]; unpublishedChanges: boolean };
    assert.deepEqual(view.warnings.map((w) => w.rule).sort(), ['forme-negative', 'sigle']);
    assert.equal(view.unpublishedChanges, true);
    const check = (await analyst.post(`${base}/check`, { title: 'T', sections: [{ heading: 'H', text: 'Pour 40 % des gens.' }] })).json() as { warnings: { rule: string }[] };
    assert.deepEqual(check.warnings.map((w) => w.rule), ['pourcentage']);
    // not before the restitution it summarises
    const refused = await analyst.post(`${base}/publish`);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Publiez d’abord la restitution/);
    assert.equal((await visitor.get('/api/consultations/essai/facile')).statusCode, 404);
    await server.store.db.insertInto('published_syntheses').values({
      id: 'synthese:departement:12', consultation: 'essai', level: 'departement', territory: '12', html: '<p>restitution</p>',
      published_at: '2026-03-01T00:00:00Z', published_by: 'test', contributions_json: '[]', stale_since: null, stale_reason: null,
    }).execute();
    assert.equal((await analyst.post(`${base}/publish`)).statusCode, 200);
    const pub = (await visitor.get('/api/consultations/essai/facile')).json() as { summary: { title: string }; consultation: { title: string } };
    assert.equal(pub.summary.title, 'Votre avis sur la santé');
    // a new draft does not change what the public reads until it is published
    await analyst.put(base, { title: 'Un autre titre', sections: [{ heading: 'H', text: 'Un texte.' }] });
    assert.equal(((await visitor.get('/api/consultations/essai/facile')).json() as { summary: { title: string } }).summary.title, 'Votre avis sur la santé');
    assert.equal(((await analyst.get(base)).json() as { unpublishedChanges: boolean }).unpublishedChanges, true);
    assert.equal((await analyst.post(`${base}/withdraw`)).statusCode, 200);
    assert.equal((await visitor.get('/api/consultations/essai/facile')).statusCode, 404);
    const audit = await server.store.db.selectFrom('audit_log').select(['action', 'actor']).where('target_type', '=', 'easy_read').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['easy_read.save', 'easy_read.publish', 'easy_read.save', 'easy_read.withdraw']);
    assert.ok(audit.every((a) => a.actor === 'analyste@ars.test'));
  } finally {
    await server.close();
  }
});
