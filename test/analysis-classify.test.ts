import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { tokenize } from '../src/analysis/text/index.ts';
import { computeAnalysis } from '../src/analysis/pipeline.ts';
import { testConsultation, testDocument } from './helpers/fixtures.ts';
import {
  TextClassifier, ZeroShotClassifier, trainKindClassifier, kindCues, runClassify, parseTrainingJsonl, JsonlError,
  type LabelledText,
} from '../src/analysis/classify/index.ts';

// Made-up examples (not from the corpus).
const TRAIN: LabelledText[] = [
  ['Le bus ne passe plus dans le village', 'transport'],
  ['Il faut plus de navettes vers la gare', 'transport'],
  ['Les horaires du train sont mal adaptés', 'transport'],
  ['Créer une ligne de bus vers la ville', 'transport'],
  ['La gare ferme trop tôt le soir', 'transport'],
  ['Manque de covoiturage pour aller en ville', 'transport'],
  ['Les loyers sont trop chers pour les jeunes', 'logement'],
  ['Construire des logements sociaux', 'logement'],
  ['Rénover les appartements vides du centre', 'logement'],
  ['Trouver un appartement est difficile', 'logement'],
  ['Les maisons anciennes sont mal isolées', 'logement'],
  ['Aider les jeunes à payer le loyer', 'logement'],
  ['Le collège manque de professeurs', 'ecole'],
  ['Ouvrir une classe de plus à l’école', 'ecole'],
  ['La cantine de l’école est trop petite', 'ecole'],
  ['Les élèves font une heure de trajet vers le collège', 'ecole'],
  ['Recruter des enseignants remplaçants', 'ecole'],
  ['Une garderie après la classe pour les élèves', 'ecole'],
].map(([text, label], i) => ({ id: `t${i}`, text: text as string, labels: [label as string] }));

const opts = { minDf: 1, epochs: 30, learningRate: 0.3 } as const;

test('learns a small 3-label set', () => {
  const clf = TextClassifier.train(TRAIN, opts);
  assert.deepEqual([...clf.labels], ['ecole', 'logement', 'transport']);
  const top = (t: string) => clf.predict(t).labels[0]!.label;
  assert.equal(top('Un bus pour aller à la gare'), 'transport');
  assert.equal(top('Des logements moins chers, le loyer est trop élevé'), 'logement');
  assert.equal(top('Plus de professeurs au collège'), 'ecole');
  const p = clf.predict('Un bus pour aller à la gare');
  assert.equal(p.labels.length, 3);
  for (let i = 1; i < p.labels.length; i++) assert.ok(p.labels[i - 1]!.p >= p.labels[i]!.p);
  for (const l of p.labels) assert.ok(l.p > 0 && l.p < 1);
  // training accuracy
  const ok = TRAIN.filter((e) => top(e.text) === e.labels[0]).length;
  assert.ok(ok >= TRAIN.length - 1, `training accuracy ${ok}/${TRAIN.length}`);
});

test('deterministic for a seed', () => {
  const a = TextClassifier.train(TRAIN, opts).toJSON();
  const b = TextClassifier.train(TRAIN, opts).toJSON();
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.calibration, b.calibration);
  assert.equal(a.metadata.trainingSha256, b.metadata.trainingSha256);
  const c = TextClassifier.train(TRAIN, { ...opts, seed: 7 }).toJSON();
  assert.notDeepEqual(a.weights, c.weights);
});

test('explanation terms are real words of the input', () => {
  const clf = TextClassifier.train(TRAIN, opts);
  const text = 'Les navettes vers la gare passent rarement';
  const p = clf.predict(text);
  assert.ok(p.explanation.length > 0);
  const words = new Set(tokenize(text));
  for (const e of p.explanation) {
    assert.equal(e.label, p.labels[0]!.label);
    for (const w of tokenize(e.word)) assert.ok(words.has(w), `« ${e.word} » not in the input`);
    assert.ok(e.weight > 0);
  }
});

test('model round-trips through JSON with metadata', () => {
  const clf = TextClassifier.train(TRAIN, { ...opts, themes: CNR_SANTE_THEMES });
  const json = JSON.parse(JSON.stringify(clf.toJSON()));
  assert.equal(json.metadata.type, 'fabrique.classifier');
  assert.match(json.metadata.trainingSha256, /^[0-9a-f]{64}$/);
  assert.ok(json.metadata.createdAt && json.metadata.version);
  assert.equal(json.metadata.params.epochs, 30);
  const back = TextClassifier.fromJSON(json);
  for (const t of ['Un bus vers la gare', 'Le loyer', 'école', '']) {
    assert.deepEqual(back.predict(t), clf.predict(t));
  }
  assert.throws(() => TextClassifier.fromJSON({ ...json, metadata: { ...json.metadata, type: 'x' } }));
});

test('multi-label training rows', () => {
  const ex = [...TRAIN, { id: 'm', text: 'Un bus scolaire pour les élèves du collège', labels: ['transport', 'ecole'] }];
  const clf = TextClassifier.train(ex, opts);
  const p = clf.predict('Un bus scolaire pour les élèves du collège');
  assert.deepEqual(p.labels.slice(0, 2).map((l) => l.label).sort(), ['ecole', 'transport']);
});

test('zero-shot picks the obvious theme', () => {
  const zs = new ZeroShotClassifier(CNR_SANTE_THEMES);
  const top = (t: string) => zs.predict(t).labels[0]!.label;
  assert.equal(top('Je ne trouve pas de médecin traitant depuis le départ en retraite du mien'), '1');
  assert.equal(top('Les urgences sont fermées la nuit et le SAS ne répond pas'), '2');
  assert.equal(top('Proposer un logement aux internes en stage pour favoriser leur installation'), '3');
  assert.equal(top('Des actions de prévention et de dépistage dans les écoles'), '4');
  const p = zs.predict('Les urgences sont fermées la nuit');
  assert.ok(p.explanation.some((e) => e.word === 'urgences'));
  assert.ok(Math.abs(p.labels.reduce((s, l) => s + l.p, 0) - 1) < 1e-9);
});

test('zero-shot: texts of a non-health consultation are « hors sujet », health texts are not', () => {
  // written for this test (a consultation on local taxes and transport, classified with the health themes)
  const offTopic = [
    'La taxe foncière augmente chaque année sans explication.',
    'Le car pour le lycée part à six heures et demie.',
    'Mettre des bornes de recharge pour les voitures électriques sur la place.',
    'Les impôts des petites entreprises sont trop lourds.',
    'Prolonger la ligne de tramway jusqu’au nouveau quartier.',
    'Rendre le stationnement gratuit le samedi en centre-ville.',
  ];
  const health = [
    'Je ne trouve pas de médecin traitant depuis le départ en retraite du mien',
    'Les urgences sont fermées la nuit et le SAS ne répond pas',
    'Il faut attendre six mois pour un ophtalmologue',
    'Des actions de prévention et de dépistage dans les écoles',
  ];
  const zs = new ZeroShotClassifier(CNR_SANTE_THEMES);
  const a = zs.predictMany(offTopic);
  assert.deepEqual(a.map((p) => p.offTopic === true), offTopic.map(() => true), 'every non-health text is « hors sujet »');
  const b = zs.predictMany(health);
  assert.deepEqual(b.map((p) => p.offTopic === true), health.map(() => false));
  // a health text scoring low against the themes is still on topic (health lexicon)
  assert.equal(zs.predictMany(['Mon fils attend un rendez-vous chez l’orthophoniste depuis un an'])[0]!.offTopic, undefined);
  // the outcome can be turned off
  assert.ok(new ZeroShotClassifier(CNR_SANTE_THEMES, { offTopicThreshold: 0 }).predictMany(offTopic).every((p) => !p.offTopic));
});

test('analysis of a non-health consultation: no forced health theme, « hors sujet » counted', () => {
  const texts = [
    'La taxe foncière augmente chaque année sans explication.', 'Le car pour le lycée part à six heures et demie.',
    'Prolonger la ligne de tramway jusqu’au nouveau quartier.', 'Rendre le stationnement gratuit le samedi en centre-ville.',
    'Il faut attendre six mois pour un ophtalmologue',
  ];
  const doc = testDocument(texts);
  for (const c of doc.contributions) c.themes = [];
  const out = computeAnalysis({ consultation: testConsultation(), contributions: doc.contributions, groups: [], seed: 1, regroup: false, at: '2026-01-01T00:00:00Z' });
  assert.equal(out.summary.themes.mode, 'zero-shot');
  assert.equal(out.summary.themes.offTopic, 4);
  const themed = out.themes.filter((r) => r.assignments.length > 0);
  assert.deepEqual(themed.map((r) => r.contribution), [doc.contributions[4]!.id], 'only the health text gets a theme');
  assert.equal(out.themes.filter((r) => r.assignments.length === 0).length, 4, 'empty results drop earlier model themes on a rerun');
});

test('SVM training stops at convergence, not at the epoch cap, and the prior weight is chosen by inner validation', () => {
  const many = [...TRAIN, ...TRAIN.map((e, i) => ({ ...e, id: `u${i}`, text: `${e.text} aussi` }))];
  const a = TextClassifier.train(many, { minDf: 1, maxEpochs: 300 });
  const b = TextClassifier.train(many, { minDf: 1, maxEpochs: 1000 });
  assert.deepEqual(a.toJSON().weights, b.toJSON().weights, 'stopped by convergence, not by the epoch cap');
  assert.equal(a.predict('Une navette vers la gare le soir').labels[0]!.label, 'transport');
  const themed = TextClassifier.train(TRAIN.map((e, i) => ({ ...e, labels: [String((i % 3) + 1)] })), { themes: CNR_SANTE_THEMES, minDf: 1 });
  const params = themed.metadata.params as { themeWeight: number; themeWeightChosenBy: string };
  assert.match(params.themeWeightChosenBy, /inner validation/);
  assert.ok([0, 0.25, 0.5, 1, 2, 4].includes(params.themeWeight));
});

test('kind cues and kind classifier', () => {
  assert.ok(kindCues('Développer la télémédecine').includes('#cue:infinitive_opening'));
  assert.ok(!kindCues('Centre de santé fermé').includes('#cue:infinitive_opening'));
  assert.ok(kindCues('Il faudrait plus de médecins').includes('#cue:il_faut'));
  assert.ok(kindCues('Manque de kinés').includes('#cue:manque'));
  const ex: LabelledText[] = [
    ['Développer les navettes', 'proposition'], ['Créer une maison de santé', 'proposition'], ['Favoriser le covoiturage', 'proposition'],
    ['Renforcer les gardes', 'proposition'], ['Ouvrir un centre le samedi', 'proposition'],
    ['Manque de kinés dans le canton', 'constat'], ['Pas de pharmacie ouverte le dimanche', 'constat'], ['Trop peu de dentistes', 'constat'],
    ['Les délais sont très longs', 'constat'], ['Absence de pédiatre', 'constat'],
  ].map(([text, label], i) => ({ id: String(i), text: text as string, labels: [label as string] }));
  const clf = trainKindClassifier(ex, { minDf: 1, epochs: 30, learningRate: 0.3 });
  assert.equal(clf.predict('Améliorer les transports').labels[0]!.label, 'proposition');
  assert.equal(clf.predict('Manque de médecins la nuit').labels[0]!.label, 'constat');
  assert.throws(() => trainKindClassifier([{ text: 'x', labels: ['pas_un_type'] }]));
});

test('runClassify: JSONL contract, zero-shot fallback, line-numbered errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-classify-'));
  try {
    const train = join(dir, 'train.jsonl'), input = join(dir, 'in.jsonl'), out = join(dir, 'out.jsonl'), model = join(dir, 'model.json');
    writeFileSync(train, TRAIN.map((e, i) => JSON.stringify(i % 2 ? { id: e.id, text: e.text, label: e.labels[0] } : { id: e.id, text: e.text, labels: e.labels })).join('\n') + '\n');
    writeFileSync(input, '{"id":"a","text":"Un bus vers la gare"}\n\n{"id":"b","text":"Le loyer est cher"}\n');
    const s = runClassify({ trainPath: train, inPath: input, outPath: out, modelOutPath: model, classifier: opts });
    assert.equal(s.mode, 'trained');
    assert.equal(s.inputRows, 2);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((r) => r.id), ['a', 'b']);
    assert.equal(rows[0].labels[0].label, 'transport');
    assert.equal(rows[1].labels[0].label, 'logement');
    assert.ok(rows[0].labels[0].p >= rows[0].labels[1].p);
    assert.ok(Array.isArray(rows[0].explanation));
    assert.equal(JSON.parse(readFileSync(model, 'utf8')).metadata.trainingSha256, s.trainingSha256);

    writeFileSync(input, '{"id":"u","text":"Les urgences ferment la nuit"}\n');
    const z = runClassify({ inPath: input, outPath: out });
    assert.equal(z.mode, 'zero-shot');
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).labels[0].label, '2');

    assert.throws(() => parseTrainingJsonl('{"id":"1","text":"a","label":"x"}\n{"id":"2","text":"b"}\n', 'train.jsonl'),
      (e: unknown) => e instanceof JsonlError && e.line === 2 && /train\.jsonl:2: missing "label"/.test(e.message));
    assert.throws(() => parseTrainingJsonl('{"id":"1","text":"a","label":"x"}\nnot json\n', 't'), /t:2: invalid JSON/);
    assert.throws(() => parseTrainingJsonl('{"id":"1","text":"a","labels":[]}\n', 't'), /t:1: "labels" must be/);
    assert.throws(() => parseTrainingJsonl('{"id":"1","text":"a","label":"x"}\n{"id":"1","text":"b","label":"y"}\n', 't'), /t:2: duplicate id/);
    writeFileSync(input, '{"id":"a","text":"ok"}\n{"id":"b","text":42}\n');
    assert.throws(() => runClassify({ inPath: input, outPath: out }), /in\.jsonl:2: "text" must be a string/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
