import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../src/store/index.ts';
import { analyzeConsultation, type AnalyzeInput } from '../src/usecases/analysis.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';
import { testConsultation, testDocument, THEMED_TEXTS } from './helpers/fixtures.ts';

/** The analysis use case, as the CLI runs it. */
function analyze(store: Store, consultation: string, options: Omit<AnalyzeInput, 'consultation'>) {
  return analyzeConsultation(context(store, CLI_ACTOR), { consultation, ...options });
}

// Made-up texts, one list per national theme.
const BY_THEME = THEMED_TEXTS;

test('analysis suggests themes for unlabelled contributions, records them as model output, keeps human decisions', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const labelled = Object.entries(BY_THEME).flatMap(([theme, texts]) => texts.map((text) => ({ theme, text })));
    const doc = testDocument([...labelled.map((l) => l.text), 'Personne ne répond aux urgences le dimanche soir', 'Un médecin traitant pour chaque enfant', 'Des stages pour les internes en zone rurale']);
    doc.contributions.forEach((c, i) => {
      c.themes = i < labelled.length ? [{ theme: labelled[i]!.theme, provenance: { by: 'source', documentId: doc.documentId } }] : [];
    });
    await store.importParsed('essai', doc);
    const [urg, mt, stage] = doc.contributions.slice(labelled.length).map((c) => c.id);
    await store.assignThemes(mt!, [{ theme: '4', provenance: { by: 'human', reviewer: 'analyste', at: '2026-01-01T00:00:00Z' } }]);

    const summary = await analyze(store, 'essai', { seed: 7 });
    assert.equal(summary.themes.mode, 'trained');
    assert.equal(summary.themes.trainingExamples, 25);
    assert.equal(summary.themes.predicted, 2);
    const urgC = await store.getContribution(urg!);
    assert.equal(urgC!.themes[0]!.theme, '2');
    assert.equal(urgC!.themes[0]!.provenance.by, 'model');
    const p = urgC!.themes[0]!.provenance;
    assert.ok(p.by === 'model' && p.probability! > 0 && p.model === 'fabrique-themes-linear');
    assert.equal((await store.getContribution(stage!))!.themes[0]!.theme, '3');
    // the human decision stands and is not doubled by a model guess
    assert.deepEqual((await store.getContribution(mt!))!.themes.map((t) => [t.theme, t.provenance.by]), [['4', 'human']]);

    // the trained model is kept with its metadata, and the assignments name its version
    const models = await store.listAnalysisModels('essai');
    assert.equal(models.length, 1);
    const meta = models[0]!.metadata as { trainingSha256: string; trainingSize: number };
    assert.equal(models[0]!.purpose, 'themes');
    assert.equal(meta.trainingSize, 25);
    assert.ok(p.by === 'model' && p.version === models[0]!.version && p.version.endsWith(meta.trainingSha256.slice(0, 12)));

    const before = await store.tableCounts();
    await analyze(store, 'essai', { seed: 7 });
    assert.deepEqual(await store.tableCounts(), before, 'a rerun replaces model assignments instead of adding');
  } finally {
    await store.close();
  }
});

test('analysis learns kinds when enough contributions carry one', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const constats = ['Il manque des médecins', 'Les délais sont trop longs', 'Manque de transports vers l’hôpital', 'Les urgences sont saturées',
      'Il y a trop peu de pédiatres', 'Les jeunes manquent de suivi', 'Le cabinet est fermé le samedi', 'Pas de dentiste à moins de 30 km',
      'Les infirmiers sont épuisés', 'La population vieillit vite', 'Il manque de places en EHPAD', 'Trop de patients sans suivi'];
    const propositions = ['Créer une maison de santé', 'Développer la téléconsultation', 'Financer un bus santé', 'Ouvrir un centre de soins non programmés',
      'Favoriser les stages en zone rurale', 'Mettre en place un guichet unique', 'Recruter des médecins salariés', 'Développer le transport solidaire',
      'Organiser des dépistages itinérants', 'Former des infirmiers en pratique avancée', 'Créer une permanence le samedi', 'Mutualiser les secrétariats'];
    const doc = testDocument([...constats, ...propositions, 'Il manque des kinés', 'Créer un centre de santé']);
    doc.contributions.forEach((c, i) => {
      if (i < constats.length) c.kind = 'constat';
      else if (i < constats.length + propositions.length) c.kind = 'proposition';
      else delete c.kind;
    });
    await store.importParsed('essai', doc);
    const summary = await analyze(store, 'essai', { seed: 1 });
    assert.equal(summary.kinds.mode, 'trained');
    assert.equal(summary.kinds.assigned, 2);
    const [a, b] = doc.contributions.slice(-2).map((c) => c.id);
    const ca = await store.getContribution(a!);
    assert.equal(ca!.kind, 'constat');
    assert.equal(ca!.kindProvenance!.by, 'model');
    assert.equal((await store.getContribution(b!))!.kind, 'proposition');
    // source kinds are never touched
    assert.equal((await store.getContribution(doc.contributions[0]!.id))!.kindProvenance, undefined);
  } finally {
    await store.close();
  }
});

test('grouping through the store: quotes are real members, and a human move survives a rerun', async () => {
  const { moveContribution } = await import('../src/analysis/grouping/index.ts');
  const { fromIdeaGroups, toIdeaGroups } = await import('../src/analysis/ideas.ts');
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const texts = Object.values(BY_THEME).flat();
    const doc = testDocument([...texts, ...texts.map((t) => `${t} dans notre canton`)]);
    await store.importParsed('essai', doc);
    const first = await analyze(store, 'essai', { seed: 3 });
    assert.ok(first.grouping.groups >= 4, `groups: ${first.grouping.groups}`);
    const groups = await store.listIdeaGroups('essai');
    const all = new Set(groups.flatMap((g) => g.members.map((m) => m.contribution)));
    assert.equal(all.size, doc.contributions.length, 'every contribution sits in exactly one group');
    for (const g of groups) {
      const own = new Set(groups.filter((x) => x.id === g.id || x.parent === g.id).flatMap((x) => x.members.map((m) => m.contribution)));
      for (const q of g.quotes) assert.ok(own.has(q), `quote ${q} of ${g.id} is one of its members`);
    }

    // A human moves one contribution to another top group (same theme scope), as the review screen does.
    const model = fromIdeaGroups(groups, 3)!;
    const moved = doc.contributions[0]!.id;
    const from = groups.find((g) => g.members.some((m) => m.contribution === moved))!;
    const target = groups.find((g) => g.parent === null && g.theme === from.theme && g.id !== from.id && g.id !== from.parent)
      ?? groups.find((g) => g.parent === null && g.id !== from.id && g.id !== from.parent)!;
    const after = moveContribution(model, moved, target.id.replace(/^essai\//, ''), { by: 'analyste', at: '2026-01-01T00:00:00Z' });
    await store.saveIdeaGroups('essai', toIdeaGroups(after, 'essai', '2026-01-01T00:00:00Z'));

    const second = await analyze(store, 'essai', { seed: 3 });
    assert.ok(second.grouping.keptHumanDecisions >= 1);
    const rerun = await store.listIdeaGroups('essai');
    const holder = rerun.find((g) => g.members.some((m) => m.contribution === moved))!;
    assert.equal(holder.id, target.id);
    assert.equal(holder.members.find((m) => m.contribution === moved)!.provenance.by, 'human');
  } finally {
    await store.close();
  }
});

test('two consultations can be analysed in the same database', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    for (const slug of ['essai', 'autre']) {
      await store.upsertConsultation(testConsultation(slug));
      await store.importParsed(slug, testDocument(Object.values(BY_THEME).flat(), { consultation: slug, documentId: (slug === 'essai' ? 'c' : 'd').repeat(64) }));
      await analyze(store, slug, { seed: 1 });
    }
    const a = await store.listIdeaGroups('essai');
    const b = await store.listIdeaGroups('autre');
    assert.ok(a.length > 0 && b.length > 0);
    assert.ok(a.every((g) => g.id.startsWith('essai/')) && b.every((g) => g.id.startsWith('autre/')));
    await analyze(store, 'essai', { seed: 1 });
    assert.deepEqual((await store.listIdeaGroups('essai')).map((g) => g.id), a.map((g) => g.id), 'a rerun keeps the ids');
  } finally {
    await store.close();
  }
});

test('new contributions join the existing groups without reshuffling them; --regroup recomputes', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const texts = Object.values(BY_THEME).flat();
    await store.importParsed('essai', testDocument(texts));
    await analyze(store, 'essai', { seed: 2 });
    const groupOf = async () => new Map((await store.listIdeaGroups('essai')).flatMap((g) => g.members.map((m) => [m.contribution, g.id] as const)));
    const before = await groupOf();

    const later = testDocument(['Un médecin traitant pour les personnes âgées isolées', 'Les urgences de nuit sont trop loin',
      'Loger les internes en stage près de l’hôpital', 'Dépistage gratuit dans les pharmacies'], { documentId: 'e'.repeat(64) });
    await store.importParsed('essai', later);
    await analyze(store, 'essai', { seed: 2 });
    const after = await groupOf();
    for (const [c, g] of before) assert.equal(after.get(c), g, `${c} stays in ${g}`);
    for (const c of later.contributions) assert.ok(after.has(c.id), `${c.id} joined a group`);
    const known = new Set(before.values());
    assert.ok(later.contributions.some((c) => known.has(after.get(c.id)!)), 'new contributions join existing groups');

    const full = await analyze(store, 'essai', { seed: 2, regroup: true });
    assert.equal(full.grouping.grouped, texts.length + 4);
  } finally {
    await store.close();
  }
});

test('non-answers are counted apart: no theme, no kind, no group, not a campaign', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const labelled = Object.entries(BY_THEME).flatMap(([theme, texts]) => texts.map((text) => ({ theme, text })));
    const empty = ['RAS', 'R.A.S.', 'RAS', 'ras', 'RAS.', 'Rien à signaler', 'Aucune idée', 'Pas d’avis', 'Pas d’expérience', '/', 'Originaire de Normandie.', 'idem', 'RAS'];
    const doc = testDocument([...labelled.map((l) => l.text), ...empty, 'Personne ne répond aux urgences le dimanche soir']);
    doc.contributions.forEach((c, i) => {
      if (i < labelled.length) c.themes = [{ theme: labelled[i]!.theme, provenance: { by: 'source', documentId: doc.documentId } }];
      else { c.themes = []; delete c.kind; }
    });
    await store.importParsed('essai', doc);
    const summary = await analyze(store, 'essai', { seed: 3 });
    assert.equal(summary.grouping.nonAnswers, empty.length);
    assert.equal(summary.grouping.nonAnswerReasons.context, 1);
    assert.deepEqual(summary.grouping.campaigns, []);
    assert.equal(summary.themes.predicted, 1);
    const ids = new Set(doc.contributions.slice(labelled.length, labelled.length + empty.length).map((c) => c.id));
    const groups = await store.listIdeaGroups('essai');
    assert.ok(groups.length > 0);
    assert.ok(groups.every((g) => g.members.every((m) => !ids.has(m.contribution))), 'a non-answer is in no group');
    for (const id of ids) assert.deepEqual((await store.getContribution(id))!.themes, []);
  } finally {
    await store.close();
  }
});

test('a model learns from a deterministic sample of at most MAX_TRAINING examples', async () => {
  const { trainingSample } = await import('../src/analysis/classify/sample.ts');
  const examples = Array.from({ length: 1000 }, (_, i) => ({ id: `c${i}`, text: `texte ${i}`, labels: [String(i % 4)] }));
  assert.equal(trainingSample(examples, 1, 2000), examples);
  const a = trainingSample(examples, 1, 300);
  assert.equal(a.length, 300);
  assert.deepEqual(a, trainingSample(examples, 1, 300));
  assert.notDeepEqual(a, trainingSample(examples, 2, 300));
  const pos = a.map((e) => Number(e.id.slice(1)));
  assert.deepEqual(pos, [...pos].sort((x, y) => x - y), 'input order kept');
  for (const l of ['0', '1', '2', '3']) assert.ok(a.filter((e) => e.labels[0] === l).length > 50, 'every label is sampled');
});
