import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TextClassifier, type ClassifierJSON } from '../src/analysis/classify/classifier.ts';
import { suggestionSource } from '../src/server/suggest.ts';
import { themeTrainingFor, themeTrainingsStarted } from '../src/server/theme-training.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';
import { testDocument } from './helpers/fixtures.ts';
import { analyzeConsultation } from '../src/usecases/analysis.ts';
import { CLI_ACTOR, context } from '../src/usecases/context.ts';

const BY_THEME: Record<string, string[]> = {
  '1': ['Plus aucun médecin traitant ne prend de nouveaux patients au village', 'Le généraliste part à la retraite sans successeur',
    'Attribuer un médecin traitant à chaque patient en affection longue', 'Développer les maisons de santé et l’exercice coordonné',
    'Un transport solidaire vers le cabinet médical pour les personnes âgées', 'Trop de délai pour un rendez-vous chez le médecin'],
  '2': ['Les urgences sont saturées la nuit et le week-end', 'Aucun médecin de garde le samedi après-midi',
    'Appeler le 15 avant de se déplacer aux urgences', 'Ouvrir des créneaux de soins non programmés en soirée',
    'Huit heures d’attente aux urgences pour une entorse', 'La permanence des soins repose sur trop peu de médecins'],
  '3': ['Loger gratuitement les internes en stage dans le département', 'Les jeunes médecins ne veulent pas s’installer à la campagne',
    'Accompagner l’emploi du conjoint des soignants', 'Faire découvrir le territoire aux étudiants en médecine',
    'Augmenter le nombre de maîtres de stage', 'Un guichet unique pour accueillir les professionnels de santé'],
  '4': ['Développer l’éducation à la santé dès l’école primaire', 'Un bus de dépistage dans les quartiers',
    'Des actions de prévention des addictions au collège', 'Plus d’infirmières scolaires dans les écoles',
    'Des bilans de prévention gratuits pour les seniors', 'Les pharmaciens pour la vaccination et le dépistage'],
};

/** The labelled texts above, plus `unlabelled` texts without a theme (for the analysis to classify). */
function labelledDocument(documentId = 'c'.repeat(64), consultation = 'essai', unlabelled: string[] = []) {
  const entries = Object.entries(BY_THEME).flatMap(([theme, texts]) => texts.map((text) => ({ theme, text })));
  const doc = testDocument([...entries.map((e) => e.text), ...unlabelled], { documentId, consultation });
  doc.contributions.forEach((c, i) => { c.themes = entries[i] ? [{ theme: entries[i]!.theme, provenance: { by: 'source', documentId } }] : []; });
  return doc;
}

let t: TestServer;
const mainThreadTrainings: number[] = [];
const train = TextClassifier.train;
before(async () => {
  t = await testServer({ formRateLimit: 1000 });
  // any fitting on this (the server's) thread is recorded; the worker thread has its own copy of the module
  (TextClassifier as { train: typeof train }).train = (...args: Parameters<typeof train>) => { mainThreadTrainings.push(args[0].length); return train.apply(TextClassifier, args); };
});
after(async () => {
  (TextClassifier as { train: typeof train }).train = train;
  await t.close();
});

const TEXT = 'Les urgences de l’hôpital ferment la nuit, il faut attendre des heures';

test('the suggestion answers at once without fitting, trains once in a worker thread, then serves the stored model', async () => {
  await t.store.importParsed('essai', labelledDocument());
  const v = await Client.create(t.app, '10.9.0.1');
  const startedBefore = themeTrainingsStarted();
  const answers = await Promise.all([1, 2, 3, 4].map(() => v.post('/api/consultations/essai/suggest-theme', { text: TEXT })));
  for (const res of answers) assert.equal(res.statusCode, 200, res.body);
  assert.equal(answers[0]!.json().labels[0].theme, '2', 'réponse de repli (zéro-shot) déjà pertinente');
  assert.deepEqual(mainThreadTrainings, [], 'aucun apprentissage sur le fil du serveur');
  assert.equal(suggestionSource(t.store, 'essai')?.source, 'zero-shot');
  assert.equal(themeTrainingsStarted() - startedBefore, 1, 'un seul apprentissage pour des requêtes simultanées');
  const training = themeTrainingFor(t.store, 'essai');
  assert.ok(training, 'apprentissage en cours en arrière-plan');
  const outcome = await training;
  assert.equal(outcome.outcome, 'trained', JSON.stringify(outcome));

  const models = await t.store.listAnalysisModels('essai');
  assert.deepEqual(models.map((m) => m.purpose), ['themes']);
  const stored = await t.store.db.selectFrom('analysis_models').select('model_json').executeTakeFirstOrThrow();
  const expected = TextClassifier.fromJSON(JSON.parse(stored.model_json) as ClassifierJSON).predict(TEXT, { explain: 0 }).labels;
  const res = await v.post('/api/consultations/essai/suggest-theme', { text: TEXT });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json().labels.map((l: { theme: string; p: number }) => [l.theme, l.p]), expected.map((l) => [l.label, Number(l.p.toFixed(4))]));
  assert.equal(suggestionSource(t.store, 'essai')?.source, 'trained');
  assert.equal(themeTrainingsStarted() - startedBefore, 1, 'pas de nouvel apprentissage');
  assert.deepEqual(mainThreadTrainings, []);
});

test('a model stored by the analysis is served without any training', async () => {
  await t.store.upsertConsultation({ slug: 'analysee', title: 'Consultation analysée', territory: '12', status: 'open', themes: (await t.store.requireConsultation('essai')).themes });
  await t.store.importParsed('analysee', labelledDocument('d'.repeat(64), 'analysee', ['Des médecins de garde la nuit', 'Un stage en zone rurale pour les internes']));
  assert.equal((await analyzeConsultation(context(t.store, CLI_ACTOR), { consultation: 'analysee' })).themes.mode, 'trained');
  mainThreadTrainings.length = 0;
  const startedBefore = themeTrainingsStarted();
  const v = await Client.create(t.app, '10.9.0.2');
  const res = await v.post('/api/consultations/analysee/suggest-theme', { text: TEXT });
  assert.equal(res.statusCode, 200);
  assert.equal(suggestionSource(t.store, 'analysee')?.source, 'trained');
  assert.equal(themeTrainingsStarted(), startedBefore);
  assert.deepEqual(mainThreadTrainings, []);
});

test('too few labelled contributions: zero-shot answers, the training stores nothing', async () => {
  await t.store.upsertConsultation({ slug: 'naissante', title: 'Consultation naissante', territory: '12', status: 'open', themes: (await t.store.requireConsultation('essai')).themes });
  const v = await Client.create(t.app, '10.9.0.3');
  const res = await v.post('/api/consultations/naissante/suggest-theme', { text: 'Créer un bus de dépistage et de prévention' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().labels[0].theme, '4');
  const outcome = await themeTrainingFor(t.store, 'naissante');
  assert.equal(outcome?.outcome, 'skipped');
  assert.deepEqual(await t.store.listAnalysisModels('naissante'), []);
});
