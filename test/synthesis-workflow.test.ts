/**
 * The synthesis workflow of issue 11: a draft that says what changed in the data and is regenerated keeping the
 * editorial parts; national marks and emblematic actions; the territory's indicators in the context; publication
 * refused while a text is still to write or a check fails, with a French list of what to fix.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { UserError } from '../src/domain/errors.ts';
import { listAudit } from '../src/store/audit.ts';
import { saveIndicators } from '../src/store/indicators.ts';
import { Store } from '../src/store/store.ts';
import {
  buildSynthesis, loadSynthesis, publicationProblems, PublicationRefusedError, renderUnverified, walkSections, type SynthesisDocument,
} from '../src/synthesis/index.ts';
import { context, type Actor } from '../src/usecases/context.ts';
import { moderateContribution } from '../src/usecases/contributions.ts';
import {
  downloadSynthesis, editSynthesisEditorial, generateSynthesis, markNational, publishSynthesis, synthesisDraft,
} from '../src/usecases/syntheses.ts';
import { buildParsed, DEPT_MEETINGS, DEPT_SLUG, departementStore } from './helpers/synthesis-fixture.ts';
import { Client, testServer, waitForJob, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';
import { listNationalMarks, setNationalMark } from '../src/store/national-marks.ts';

const ANALYST: Actor = { name: 'analyste@test.invalid', role: 'analyst' };
const TEXTS = {
  'contexte.situation': 'Un territoire rural et âgé, au relief marqué (texte de test).',
  'contexte.reunions': 'Deux réunions, en présentiel et en visioconférence (texte de test).',
  perspectives: 'Le conseil territorial retiendra dix propositions (texte de test).',
};
/** Things that must never reach a screen: rule keys, verifier paths, ids of contributions. */
const INTERNAL = /figures\[|quotes\[|sections\[|theme\.\d|contexte\.|idea\.|[0-9a-f]{12}:\d/;

function section(doc: SynthesisDocument, key: string) {
  return [...walkSections(doc.sections)].find((s) => s.key === key);
}

describe('flux de la synthèse (consultation fictive du Lot)', () => {
  let store: Store;
  const ctx = () => context(store, ANALYST);
  const target = { consultation: DEPT_SLUG, level: 'departement' as const };

  before(async () => {
    ({ store } = await departementStore());
  });
  after(async () => { await store.close(); });

  test('publication refused while texts are to write, with the list by section; published once written', async () => {
    await generateSynthesis(ctx(), target);
    const refused = await publishSynthesis(ctx(), target).then(() => undefined, (e: unknown) => e);
    assert.ok(refused instanceof PublicationRefusedError, String(refused));
    assert.ok(refused instanceof UserError && refused.code === 'conflict');
    const sections = refused.problems.map((p) => p.section);
    assert.deepEqual(refused.problems.map((p) => p.code), ['placeholder', 'placeholder', 'placeholder']);
    assert.deepEqual(sections, [
      'I – Éléments de contexte › La situation du territoire', 'I – Éléments de contexte › Les réunions de co-construction', 'III – Perspectives',
    ]);
    assert.match(refused.problems[0]!.message, /^texte à rédiger — situation du territoire/);
    for (const p of refused.problems) assert.doesNotMatch(`${p.section} ${p.message}`, INTERNAL);
    assert.match(refused.message, /3 points à corriger/);
    // the optional texts (constats of each theme) do not hold it back
    assert.ok(!refused.problems.some((p) => p.path?.endsWith('.constats')));
    assert.equal((await store.db.selectFrom('published_syntheses').selectAll().execute()).length, 0, 'rien n’est publié');

    await editSynthesisEditorial(ctx(), { ...target, texts: TEXTS });
    const draft = await synthesisDraft(ctx(), target);
    assert.deepEqual(draft.problems, [], 'les textes enregistrés depuis la génération comptent');
    const { doc } = await publishSynthesis(ctx(), target);
    const html = (await store.db.selectFrom('published_syntheses').select('html').executeTakeFirstOrThrow()).html;
    assert.ok(html.includes('Un territoire rural et âgé'));
    assert.ok(!html.includes('Texte à rédiger'), 'aucun texte à rédiger dans la restitution publiée');
    assert.equal(doc.sections[0]!.sections[0]!.blocks[0]!.type, 'editorial');
  });

  test('a tampered figure is refused with a French description of where and what', async () => {
    const doc = await buildSynthesis(store, { ...target });
    const f = doc.figures.find((x) => x.key === 'theme.1.constats.total')!;
    f.value += 1;
    const { problems } = await publicationProblems(store, doc);
    assert.ok(problems.length >= 1);
    const p = problems.find((x) => x.code === 'verification')!;
    assert.equal(p.section, 'II – Solutions et propositions › Accès à un médecin traitant ou à une équipe traitante, exercice coordonné › Constats');
    assert.match(p.message, /indique 4, les données (en )?donnent 3/);
    assert.doesNotMatch(`${p.section} ${p.message}`, INTERNAL);
    assert.equal(p.path, `figures[${doc.figures.indexOf(f)}] theme.1.constats.total`, 'le chemin reste pour les outils');
    // a changed id list is said without the ids
    const g = doc.figures.find((x) => x.key === 'total')!;
    g.contributions = [...g.contributions.slice(1), 'abcdef012345:99'];
    const again = await publicationProblems(store, doc);
    for (const x of again.problems) assert.doesNotMatch(`${x.section} ${x.message}`, INTERNAL);
  });

  test('the draft says what changed in the data, and regenerating keeps texts, headings and chosen quotes', async () => {
    const before = await loadSynthesis(store, `${DEPT_SLUG}:departement:46`);
    assert.ok(before?.basis, 'le brouillon garde ce sur quoi il a été construit');
    const quoted = before.quotes.find((q) => q.contribution && section(before, 'theme.1.propositions'))!;
    await editSynthesisEditorial(ctx(), { ...target, headings: { 'theme.1.constats': 'Ce que disent les habitants' } });
    const ideaKey = 'c:1:proposition:_sans';
    await editSynthesisEditorial(ctx(), { ...target, quotes: { [ideaKey]: [{ contribution: quoted.contribution }] } });
    await generateSynthesis(ctx(), target);
    let draft = await synthesisDraft(ctx(), target);
    assert.equal(draft.stale, false);
    assert.equal(draft.changes?.summary, '');

    // three new contributions published, one withdrawn
    const items = [1, 2, 3].map((n) => ({ meeting: 'm1', theme: '1', kind: 'proposition' as const, text: `Proposition ajoutée numéro ${n} pour les essais de régénération.` }));
    const { parsed } = buildParsed('ajout-fictif.txt', DEPT_SLUG, [], items);
    await store.importParsed(DEPT_SLUG, parsed, { publishBy: 'analyste@test.invalid' });
    const victim = (await store.listContributions(DEPT_SLUG)).find((c) => c.text.startsWith('Le bus vers'))!;
    await moderateContribution(ctx(), { id: victim.id, action: 'reject', reason: 'hors sujet (test)' });

    draft = await synthesisDraft(ctx(), target);
    assert.equal(draft.stale, true);
    assert.deepEqual({ p: draft.changes?.published, w: draft.changes?.withdrawn }, { p: 3, w: 1 });
    assert.equal(draft.changes?.summary, '3 contributions publiées et 1 retirée depuis la génération du brouillon.');
    assert.equal(draft.problems.filter((p) => p.code === 'stale').length, 1, 'une seule ligne : régénérer, pas chaque chiffre');
    assert.ok(!draft.problems.some((p) => p.code === 'verification'));
    assert.match(draft.problems.at(-1)!.message, /Régénérez le brouillon/);
    assert.ok(draft.doc, 'le brouillon reste lisible (textes, rubriques)');
    assert.ok(draft.verification && !draft.verification.ok);
    await assert.rejects(downloadSynthesis(ctx(), { ...target, format: 'md' }),
      (e: unknown) => e instanceof UserError && e.code === 'conflict' && /^Le brouillon ne correspond plus aux données : 3 contributions publiées et 1 retirée depuis la génération du brouillon\. Régénérez-le/.test(e.message));

    await generateSynthesis(ctx(), target);
    draft = await synthesisDraft(ctx(), target);
    assert.equal(draft.stale, false);
    assert.deepEqual(draft.problems, []);
    const doc = draft.doc!;
    assert.equal(section(doc, 'theme.1.constats')?.title, 'Ce que disent les habitants');
    const situation = section(doc, 'contexte.situation')!.blocks[0]!;
    assert.ok(situation.type === 'editorial' && situation.text === TEXTS['contexte.situation']);
    assert.ok(doc.quotes.some((q) => q.chosen && q.contribution === quoted.contribution), 'la citation choisie est gardée');
    assert.equal(doc.figures.find((f) => f.key === 'total')?.value, before.figures.find((f) => f.key === 'total')!.value + 2);
  });

  test('an analyst marks a proposal as national: stored, audited, in the national section; unmarked, it leaves', async () => {
    const c = (await store.listContributions(DEPT_SLUG)).find((x) => x.text.startsWith('Créer un transport'))!;
    const r = await markNational(ctx(), { consultation: DEPT_SLUG, type: 'contribution', id: c.id, national: true });
    assert.equal(r.changed, true);
    assert.deepEqual(r.marks.map((m) => [m.type, m.id, m.by]), [['contribution', c.id, ANALYST.name]]);
    assert.equal((await markNational(ctx(), { consultation: DEPT_SLUG, type: 'contribution', id: c.id, national: true })).changed, false);
    const audit = (await listAudit(store, { consultation: DEPT_SLUG })).filter((a) => a.action === 'synthesis.national');
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]!.after, { national: true });
    let doc = await buildSynthesis(store, target);
    const fig = doc.figures.find((f) => f.key === 'theme.1.national.total')!;
    assert.deepEqual(fig.contributions, [c.id]);
    const nat = section(doc, 'theme.1.national')!;
    assert.equal(nat.blocks[0]!.type, 'quotes');
    assert.ok(doc.quotes.some((q) => q.contribution === c.id && (nat.blocks[0] as { quotes: string[] }).quotes.includes(q.id)));
    // the verifier recomputes it from the stored mark
    assert.deepEqual((await publicationProblems(store, doc)).problems.filter((p) => p.code === 'verification'), []);
    // the draft generated before the mark is now out of date: the mark changed what it counts
    await generateSynthesis(ctx(), target);
    await markNational(ctx(), { consultation: DEPT_SLUG, type: 'contribution', id: c.id, national: false });
    const draft = await synthesisDraft(ctx(), target);
    assert.equal(draft.changes?.national, 1);
    assert.equal(draft.changes?.summary, '1 proposition marquée ou démarquée « niveau national » depuis la génération du brouillon.');
    doc = await buildSynthesis(store, target);
    assert.equal(section(doc, 'theme.1.national')!.blocks[0]!.type, 'slot');
    await assert.rejects(markNational(ctx(), { consultation: DEPT_SLUG, type: 'group', id: 'inconnu', national: true }), (e: unknown) => e instanceof UserError && e.code === 'not_found');
  });

  test('emblematic actions entered by the team are in their theme’s section, in every format', async () => {
    await editSynthesisEditorial(ctx(), { ...target, actions: { 2: [{ title: 'Régulation du soir', description: 'Des généralistes répondent aux appels non urgents.', owner: 'Association fictive', territory: 'Nord du Lot' }] } });
    const doc = await buildSynthesis(store, target);
    const s = section(doc, 'theme.2.actions')!;
    const table = s.blocks.find((b) => b.type === 'table');
    assert.ok(table && table.type === 'table');
    assert.deepEqual(table.rows.map((r) => [r.header, ...r.cells.map((c) => ('text' in c ? c.text : ''))]),
      [['Régulation du soir', 'Des généralistes répondent aux appels non urgents.', 'Association fictive', 'Nord du Lot']]);
    for (const format of ['html', 'md'] as const) assert.ok((await renderUnverified(doc, format)).bytes.toString('utf8').includes('Régulation du soir'), format);
    const docx = await JSZip.loadAsync((await renderUnverified(doc, 'docx')).bytes);
    assert.ok((await docx.file('word/document.xml')!.async('string')).includes('Régulation du soir'));
    await assert.rejects(editSynthesisEditorial(ctx(), { ...target, actions: { 99: [{ title: 'x' }] } }), /Thème inconnu/);
    await assert.rejects(editSynthesisEditorial(ctx(), { ...target, actions: { 2: [{ title: '  ' }] } }), /indiquez son intitulé/);
    await editSynthesisEditorial(ctx(), { ...target, actions: { 2: [] } });
    assert.ok(!section(await buildSynthesis(store, target), 'theme.2.actions')!.blocks.some((b) => b.type === 'table'));
  });

  test('the territory’s indicators are in the context section with région, France and source, in every format', async () => {
    let doc = await buildSynthesis(store, target);
    assert.equal(section(doc, 'contexte.situation')!.blocks[1]!.type, 'slot', 'sans indicateur, la rubrique le dit');
    await saveIndicators(store, '46', 'departement', [
      { id: 'medecins', label: 'Médecins généralistes pour 100 000 habitants', unit: 'pour 100 000 hab.', territory: '46', year: 2022, value: 78.5, regionValue: 91.2, franceValue: 86.1, source: 'Source fictive de test' },
      { id: 'urgences', label: 'Part de la population à plus de 30 min des urgences', unit: '%', territory: '46', year: 2021, value: 12, regionValue: null, franceValue: 6, source: 'Source fictive de test' },
    ]);
    doc = await buildSynthesis(store, target);
    const table = section(doc, 'contexte.situation')!.blocks.find((b) => b.type === 'table');
    assert.ok(table && table.type === 'table');
    assert.deepEqual(table.columns, ['Indicateur', 'Lot', 'Région', 'France', 'Année', 'Source']);
    assert.deepEqual(table.rows[0]!.cells, [{ text: '78,5' }, { text: '91,2' }, { text: '86,1' }, { text: '2022' }, { text: 'Source fictive de test' }]);
    assert.deepEqual(table.rows[1]!.cells[1], { nc: true }, 'une valeur absente reste « non communiqué »');
    const html = (await renderUnverified(doc, 'html')).bytes.toString('utf8');
    assert.ok(html.includes('Médecins généralistes pour 100 000 habitants (pour 100 000 hab.)') && html.includes('78,5') && html.includes('Source fictive de test'));
    assert.ok(!html.includes('aucun indicateur'));
    assert.ok((await renderUnverified(doc, 'md')).bytes.toString('utf8').includes('86,1'));
    const docx = await JSZip.loadAsync((await renderUnverified(doc, 'docx')).bytes);
    const xml = await docx.file('word/document.xml')!.async('string');
    assert.ok(xml.includes('Médecins généralistes') && xml.includes('91,2'));
  });
});

describe('flux de la synthèse par l’API', () => {
  let t: TestServer;
  let a: Client;
  before(async () => {
    t = await testServer();
    const meetings = DEPT_MEETINGS().map((m) => ({ ...m, territory: '12' }));
    const items = [
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Ouvrir un cabinet secondaire tenu à tour de rôle par les médecins du pôle.' },
      { meeting: 'm2', theme: '1', kind: 'constat' as const, text: 'Les délais pour voir un généraliste dépassent trois semaines.' },
    ];
    await t.store.importParsed('essai', buildParsed('essai-fictif.txt', 'essai', meetings, items).parsed, { publishBy: 'analyste@test.invalid' });
    a = await (await Client.create(t.app)).login('analyst');
  });
  after(async () => { await t.close(); });

  test('draft, national mark, actions, then publish: refused with a list, then published', async () => {
    let res = await a.get('/api/admin/consultations/essai/synthesis/draft');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().doc, null);
    res = await a.post('/api/admin/consultations/essai/synthesis', {});
    assert.equal((await waitForJob(a, res.json().id)).state, 'done');
    res = await a.get('/api/admin/consultations/essai/synthesis/draft');
    const draft = res.json();
    assert.equal(draft.stale, false);
    assert.equal(draft.problems.length, 3);
    assert.equal(draft.doc.title, 'Synthèse de restitution');

    const proposal = (await t.store.listContributions('essai')).find((c) => c.kind === 'proposition')!;
    res = await a.put('/api/admin/consultations/essai/national', { type: 'contribution', id: proposal.id, national: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().marks.length, 1);
    res = await a.put('/api/admin/consultations/essai/synthesis/editorial', { actions: { 1: [{ title: 'Cabinet itinérant', description: 'Deux jours par semaine.' }] } });
    assert.equal(res.statusCode, 200, res.body);

    res = await a.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 409, res.body);
    const body = res.json();
    assert.equal(body.error.code, 'publication_refused');
    assert.deepEqual(body.problems.map((p: { code: string }) => p.code), ['placeholder', 'placeholder', 'placeholder']);
    assert.ok(body.problems.every((p: { section: string; message: string }) => !INTERNAL.test(`${p.section} ${p.message}`)));
    assert.ok(body.problems.every((p: { path: string }) => typeof p.path === 'string'), 'les clés restent dans le JSON pour les outils');

    res = await a.put('/api/admin/consultations/essai/synthesis/editorial', { texts: TEXTS });
    assert.equal(res.statusCode, 200, res.body);
    res = await a.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 200, res.body);
    const html = (await new Client(t.app).get('/api/consultations/essai/restitution')).body;
    assert.ok(html.includes('Cabinet itinérant') && html.includes('Un territoire rural et âgé'));
    assert.ok(html.includes('Ouvrir un cabinet secondaire'), 'la proposition marquée est citée dans la rubrique nationale');
    assert.ok(!html.includes('Texte à rédiger'));
    // the published document is the draft now; a mark removed afterwards makes it out of date, said in one line
    assert.equal((await a.get('/api/admin/consultations/essai/synthesis/draft')).json().stale, false);
    await a.put('/api/admin/consultations/essai/national', { type: 'contribution', id: proposal.id, national: false });
    res = await a.get('/api/admin/consultations/essai/synthesis/draft');
    assert.equal(res.json().stale, true);
    assert.equal(res.json().changes.summary, '1 proposition marquée ou démarquée « niveau national » depuis la génération du brouillon.');
    assert.deepEqual(res.json().problems.map((p: { code: string }) => p.code), ['stale']);
  });
});

storeTest('national marks: set once, cleared, audited in the same transaction', async (store) => {
  await store.upsertConsultation({ slug: 'marques', title: 'Marques fictives', territory: '12', status: 'open', themes: [] });
  const at = '2026-12-01T10:00:00.000Z';
  assert.equal(await setNationalMark(store, 'marques', { type: 'group', id: 'marques:g1', national: true }, { actor: 'analyste@test.invalid', at }), true);
  assert.equal(await setNationalMark(store, 'marques', { type: 'group', id: 'marques:g1', national: true }, { actor: 'analyste@test.invalid', at }), false);
  assert.equal(await setNationalMark(store, 'marques', { type: 'contribution', id: 'abc:1', national: true }, { actor: 'analyste@test.invalid', at }), true);
  assert.deepEqual(await listNationalMarks(store, 'marques'), [
    { type: 'contribution', id: 'abc:1', by: 'analyste@test.invalid', at }, { type: 'group', id: 'marques:g1', by: 'analyste@test.invalid', at },
  ]);
  assert.equal(await setNationalMark(store, 'marques', { type: 'contribution', id: 'abc:1', national: false }, { actor: 'analyste@test.invalid', at }), true);
  assert.deepEqual((await listNationalMarks(store, 'marques')).map((m) => m.id), ['marques:g1']);
  const audit = (await listAudit(store, { consultation: 'marques' })).filter((a) => a.action === 'synthesis.national');
  assert.equal(audit.length, 3);
});

test('an idea mixing constats and proposals marked national: the checkbox, the confirmation and the national section give one number', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    const slug = 'idee-mixte';
    await store.upsertConsultation({ slug, title: 'Idée mixte fictive', territory: '46', status: 'closed', themes: [...(await import('../src/domain/theme.ts')).CNR_SANTE_THEMES] });
    const proposals = [
      'Financer des bourses pour les étudiants en médecine qui s’engagent à exercer en zone rurale.',
      'Supprimer le numerus apertus au profit d’un quota régional de places en faculté.',
      'Créer un statut national de praticien territorial salarié par l’État.',
      'Aligner la rémunération des consultations longues sur le temps réellement passé.',
      'Rendre obligatoire un stage de six mois hors des métropoles pendant l’internat.',
      'Étendre le droit de prescription des pharmaciens pour les infections bénignes.',
      'Revaloriser la visite à domicile dans la nomenclature de l’assurance maladie.',
      'Permettre aux infirmiers de renouveler les ordonnances des traitements chroniques.',
      'Simplifier les démarches administratives imposées aux cabinets libéraux.',
      'Ouvrir la télésurveillance des insuffisants cardiaques au remboursement de droit commun.',
      'Instaurer une quatrième année de médecine générale effectuée dans les déserts médicaux.',
      'Donner aux kinésithérapeutes un accès direct sans prescription préalable.',
      'Garantir par la loi un médecin traitant à chaque assuré de plus de soixante-dix ans.',
      'Réserver une part des places d’internat aux étudiants originaires de départements ruraux.',
      'Harmoniser les aides à l’installation versées par les communes et les départements.',
    ];
    const items = [
      ...proposals.map((text) => ({ meeting: 'm1', theme: '1', kind: 'proposition' as const, text })),
      { meeting: 'm1', theme: '1', kind: 'constat' as const, text: 'Les jeunes médecins refusent de s’installer loin des villes universitaires.' },
      { meeting: 'm2', theme: '1', kind: 'constat' as const, text: 'La formation se déroule presque entièrement au centre hospitalier universitaire.' },
      { meeting: 'm2', theme: '1', kind: 'constat' as const, text: 'Les gardes pèsent sur les rares praticiens restés dans le canton.' },
      // a member filed under another theme only, and one of another département: not counted for this idea here
      { meeting: 'm2', theme: '2', kind: 'proposition' as const, text: 'Confier la régulation des urgences nocturnes à un centre départemental unique.' },
      { meeting: 'm2', theme: '1', kind: 'proposition' as const, text: 'Mutualiser les remplaçants entre les communautés professionnelles voisines.', dept: '12' },
      // a proposal of the theme outside the idea, not marked
      { meeting: 'm1', theme: '1', kind: 'proposition' as const, text: 'Installer une cabine de téléconsultation dans la pharmacie du bourg.' },
    ];
    const { parsed } = buildParsed('idee-mixte.txt', slug, DEPT_MEETINGS(), items);
    await store.importParsed(slug, parsed, { publishBy: 'analyste@test.invalid' });
    const prov = { by: 'human' as const, reviewer: 'test', at: '2026-12-01T00:00:00Z' };
    const members = parsed.contributions.slice(0, items.length - 1).map((c) => ({ contribution: c.id, provenance: prov }));
    await store.saveIdeaGroups(slug, [{ id: 'g-former', consultation: slug, parent: null, theme: '1', label: 'Former et installer les médecins', labelByHuman: true, members, quotes: [], lineage: [] }]);
    const ctx = () => context(store, ANALYST);
    const target = { consultation: slug, level: 'departement' as const, territory: '46' };

    await generateSynthesis(ctx(), target);
    let draft = await synthesisDraft(ctx(), target);
    const props = section(draft.doc!, 'theme.1.propositions')!;
    const idea = props.blocks.flatMap((b) => (b.type === 'ideas' ? b.items : [])).find((it) => it.key === 'g:g-former')!;
    // what the page's checkbox « Idée entière : … (N propositions) » shows: the idea's figure
    const shown = draft.doc!.figures.find((f) => f.key === idea.figure)!;
    assert.equal(shown.value, proposals.length, 'les propositions de l’idée, dans le thème et le territoire');

    await markNational(ctx(), { consultation: slug, type: 'group', id: 'g-former', national: true });
    draft = await synthesisDraft(ctx(), target);
    assert.equal(draft.changes?.national, shown.value);
    assert.equal(draft.changes?.summary, `${shown.value} propositions marquées ou démarquées « niveau national » depuis la génération du brouillon.`);

    await generateSynthesis(ctx(), target);
    draft = await synthesisDraft(ctx(), target);
    assert.deepEqual(draft.problems.filter((p) => p.code === 'verification' || p.code === 'stale'), []);
    const doc = draft.doc!;
    const nat = doc.figures.find((f) => f.key === 'theme.1.national.total')!;
    assert.equal(nat.value, shown.value);
    assert.deepEqual([...nat.contributions].sort(), [...shown.contributions].sort(), 'les mêmes propositions, aucun constat');
    const block = section(doc, 'theme.1.national')!.blocks[0]!;
    assert.ok(block.type === 'quotes');
    assert.match((block.intro ?? []).map((x) => (typeof x === 'string' ? x : '')).join(''), /^ proposition\(s\) de ce thème, dans ce territoire, relève\(nt\) du niveau national/);
    // each text once in the document: those already quoted as the idea's examples are not quoted again
    const elsewhere = doc.quotes.filter((q) => !block.quotes.includes(q.id) && nat.contributions.includes(q.contribution)).length;
    assert.ok(elsewhere > 0);
    assert.ok(nat.value - elsewhere > 10);
    assert.equal(block.quotes.length, 10, 'une liste lisible, bornée à 10');
    const quoted = block.quotes.map((id) => doc.quotes.find((q) => q.id === id)!.contribution);
    assert.equal(new Set(quoted).size, quoted.length, 'chaque texte une fois');
    for (const id of quoted) assert.ok(nat.contributions.includes(id));
    const others = doc.figures.find((f) => f.key === 'theme.1.national.autres')!;
    assert.equal(others.value, shown.value - quoted.length, '« et N autres » : celles qui ne sont pas citées');
    const rest = section(doc, 'theme.1.national')!.blocks[1]!;
    assert.ok(rest.type === 'paragraph' && rest.content.some((x) => typeof x !== 'string' && x.figure === others.key));
    assert.ok((await publicationProblems(store, doc)).problems.every((p) => p.code !== 'verification'));
  } finally {
    await store.close();
  }
});
