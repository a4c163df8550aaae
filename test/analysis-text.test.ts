import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizeText, foldAccents, tokenize, tokenSpans, stem, stemKey, isStopword, terms, analyze, charNgrams,
  TfidfVectorizer, Vocabulary, cosine, dot, norm, centroid, sparseVector, SparseAccumulator, l2normalize,
} from '../src/analysis/text/index.ts';

test('normalizeText: apostrophes, quotes, dashes, controls, whitespace', () => {
  assert.equal(normalizeText('l’école ʼa `b ′c'), "l'école 'a 'b 'c");
  assert.equal(normalizeText('« bonjour » “ok”'), '" bonjour " "ok"');
  assert.equal(normalizeText('a – b — c ‑ d'), 'a - b - c - d');
  assert.equal(normalizeText('a\u0000b\u0007c\u00ADd\u200Be'), 'a b cde');
  assert.equal(normalizeText('  a \t\n\r  b\u00A0c\u202Fd  '), 'a b c d');
  assert.equal(normalizeText('\uF0B7 item'), 'item');
  // NFC: e + combining acute → é
  assert.equal(normalizeText('e\u0301'), 'é');
  assert.equal(normalizeText(''), '');
});

test('tokenize: elisions split, aujourd\'hui kept, hyphens, numbers, acronyms', () => {
  assert.deepEqual(tokenize("L’accès à l'hôpital d'Agen"), ["l'", 'accès', 'à', "l'", 'hôpital', "d'", 'agen']);
  assert.deepEqual(tokenize("j'ai m'a n'est s'il t'aime c'est qu'il"), ["j'", 'ai', "m'", 'a', "n'", 'est', "s'", 'il', "t'", 'aime', "c'", 'est', "qu'", 'il']);
  assert.deepEqual(tokenize("jusqu'au soir lorsqu'elle puisqu'on"), ["jusqu'", 'au', 'soir', "lorsqu'", 'elle', "puisqu'", 'on']);
  assert.deepEqual(tokenize("Aujourd’hui, aujourd'hui"), ["aujourd'hui", "aujourd'hui"]);
  assert.deepEqual(tokenize("qu'aujourd'hui"), ["qu'", "aujourd'hui"]);
  assert.deepEqual(tokenize('peut-être en centre-ville'), ['peut-être', 'en', 'centre-ville']);
  assert.deepEqual(tokenize('le SAS et la PDSA, 15 et 1,5% en 2022'), ['le', 'sas', 'et', 'la', 'pdsa', '15', 'et', '1,5%', 'en', '2022']);
  const spans = tokenSpans("L'IPA");
  assert.deepEqual(spans.map((s) => s.surface), ["L'", 'IPA']);
  assert.equal("L'IPA".slice(spans[1]!.start, spans[1]!.end), 'IPA');
});

test('stem: snowball french; accents are letters for snowball, stemKey folds them', () => {
  assert.equal(stem('installation'), stem('installer'));
  assert.equal(stem('médecins'), 'médecin');
  // Snowball does NOT equate accented and unaccented spellings …
  assert.notEqual(stem('médecins'), stem('medecin'));
  // … stemKey folds accents after stemming, so they meet.
  assert.equal(stemKey('médecins'), stemKey('medecin'));
  assert.equal(stemKey('prévention'), stemKey('prevention'));
  assert.equal(stem('urgences'), stem('urgence'));
  assert.equal(stem('hôpitaux'), stem('hôpital'));
  assert.equal(stem('Installation'), stem('installation'));
});

test('stopwords: accent-insensitive, elided forms', () => {
  for (const w of ['le', 'des', 'à', 'a', "l'", "qu'", 'déjà', 'deja', 'Très', 'tres', 'été']) assert.ok(isStopword(w), w);
  for (const w of ['médecin', 'santé', 'urgence', 'sas', 'manque']) assert.ok(!isStopword(w), w);
});

test('terms: stems, no stopwords, acronyms, bigrams, char n-grams', () => {
  assert.deepEqual(terms("L'accès aux médecins traitants"), ['acces', 'medecin', 'trait']);
  assert.deepEqual(terms('Le SAS et la PDSA'), ['sas', 'pdsa']);
  assert.deepEqual(terms('médecin traitant', { bigrams: true }), ['medecin', 'trait', 'medecin trait']);
  assert.deepEqual(terms("Aujourd'hui"), ["aujourd'hui"]);
  const a = analyze('Développer la télémédecine', { bigrams: true });
  assert.deepEqual(a.surfaces, ['Développer', 'télémédecine', 'Développer télémédecine']);
  assert.deepEqual(charNgrams('abcd', 3, 4), [' ab', 'abc', 'bcd', 'cd ', ' abc', 'abcd', 'bcd ']);
  assert.deepEqual(charNgrams('a', 3, 5), [' a ']);
  const withChars = terms('soin', { charNgrams: { min: 3, max: 3 } });
  assert.ok(withChars.includes('soin') && withChars.includes('~ so'));
});

test('robustness: empty, emoji, control chars, non-French, 1 MB', () => {
  assert.deepEqual(tokenize(''), []);
  assert.deepEqual(terms(''), []);
  assert.deepEqual(terms('   \u0000\u0001  '), []);
  assert.deepEqual(tokenize('super 👍🏽 soins 🏥'), ['super', 'soins']);
  assert.ok(Array.from(charNgrams('👍🏽x')).every((g) => !/\p{Cs}/u.test(g)));
  assert.deepEqual(tokenize('Здравствуйте мир 日本語'), ['здравствуйте', 'мир', '日本語']);
  assert.equal(normalizeText('\uD800abc'), 'abc');
  const big = 'Les médecins traitants manquent, l’accès aux urgences 👍 est difficile.\u0007 '.repeat(14_000);
  assert.ok(big.length > 1_000_000);
  const t0 = Date.now();
  const toks = terms(big, { bigrams: true });
  assert.ok(toks.length > 100_000);
  assert.ok(Date.now() - t0 < 20_000);
});

test('foldAccents', () => {
  assert.equal(foldAccents('Hôpital œuvre Æ à ç'), 'Hopital oeuvre AE a c');
  assert.equal(foldAccents('plain'), 'plain');
});

test('sparse vectors: dot, cosine, centroid, accumulator', () => {
  const a = sparseVector([3, 1], [2, 1]);
  assert.deepEqual(Array.from(a.indices), [1, 3]);
  const b = sparseVector([1, 2, 3], [1, 1, 1]);
  assert.equal(dot(a, b), 3);
  assert.ok(Math.abs(cosine(a, b) - 3 / (Math.sqrt(5) * Math.sqrt(3))) < 1e-6);
  assert.equal(cosine(a, sparseVector([], [])), 0);
  const c = centroid([a, b]);
  assert.deepEqual(Array.from(c.indices), [1, 2, 3]);
  assert.deepEqual(Array.from(c.values), [1, 0.5, 1.5]);
  const acc = new SparseAccumulator(10);
  acc.add(a); acc.add(b, 2);
  const s = acc.toSparse(true);
  assert.deepEqual(Array.from(s.values), [3, 2, 4]);
  assert.equal(acc.toSparse().indices.length, 0);
  assert.ok(Math.abs(norm(l2normalize(sparseVector([0, 1], [3, 4]))) - 1) < 1e-6);
});

test('TF-IDF: fit/transform, idf, sublinear tf, L2, min df, JSON round trip', () => {
  const docs = [
    'manque de médecins traitants',
    'les médecins traitants partent à la retraite',
    'urgences saturées le week-end',
    'urgences fermées la nuit',
  ];
  const v = new TfidfVectorizer({ minDf: 1 });
  const X = v.fitTransform(docs);
  assert.equal(v.documentCount, 4);
  for (const x of X) assert.ok(Math.abs(norm(x) - 1) < 1e-5);
  assert.ok(cosine(X[0]!, X[1]!) > cosine(X[0]!, X[2]!));
  assert.ok(cosine(X[2]!, X[3]!) > 0);
  // idf: rarer terms weigh more
  const idfOf = (t: string) => v.idf[v.vocabulary.get(t)!]!;
  assert.ok(idfOf('retrait') > idfOf('medecin'));
  assert.ok(Math.abs(idfOf('medecin') - (Math.log(5 / 3) + 1)) < 1e-6);
  // sublinear tf: 1 + ln 2 for a repeated term
  const raw = new TfidfVectorizer({ norm: 'none' }).fit(docs);
  const r = raw.transform('urgences urgences');
  assert.ok(Math.abs(r.values[0]! - (1 + Math.log(2)) * raw.idf[raw.vocabulary.get(stemKey('urgences'))!]!) < 1e-5);
  // minDf
  const pruned = new TfidfVectorizer({ minDf: 2 }).fit(docs);
  assert.deepEqual(pruned.vocabulary.toJSON(), ['medecin', 'trait', stemKey('urgences')]);
  // unknown words → empty vector
  assert.equal(pruned.transform('rien à voir').indices.length, 0);
  // JSON round trip
  const back = TfidfVectorizer.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
  const y1 = v.transform(docs[1]!), y2 = back.transform(docs[1]!);
  assert.deepEqual(Array.from(y2.indices), Array.from(y1.indices));
  assert.deepEqual(Array.from(y2.values), Array.from(y1.values));
  // order-independent vocabulary
  const w = new TfidfVectorizer().fit([...docs].reverse());
  assert.deepEqual(w.vocabulary.toJSON(), v.vocabulary.toJSON());
});

test('Vocabulary', () => {
  const voc = new Vocabulary(['a', 'b']);
  assert.equal(voc.add('a'), 0);
  assert.equal(voc.add('c'), 2);
  assert.equal(voc.term(1), 'b');
  assert.throws(() => voc.term(9));
  assert.throws(() => Vocabulary.fromJSON(['x', 'x']));
});
