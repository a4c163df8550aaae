import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildVocabulary, cleanItem, collapseLetterSpacing, isCountOnly, isRunningHeader, joinSplitWords,
  joinWrappedLines, normalizeApostrophes, splitTrailingCount, squashForComparison, stripBulletGlyphs,
  stripListMarker, stripStrayQuote, startsWithBulletGlyph,
} from '../src/ingest/clean.ts';

test('running headers and footers are recognised as whole lines only', () => {
  assert.ok(isRunningHeader('Synthèses et comptes-rendus par département '));
  assert.ok(isRunningHeader('Synthèse des ateliers CNR Santé organisés en région Exemple 23 '));
  assert.ok(!isRunningHeader('Les synthèses et comptes-rendus par département sont joints.'));
  assert.ok(!isRunningHeader('Synthèse des ateliers CNR Santé organisés en région Exemple'));
});

test('letter-spaced titles are collapsed, ordinary text is untouched', () => {
  assert.equal(collapseLetterSpacing(' 2  S y n t h è s e s  e t  c o m p t e s - r e n d u s '), ' 2 Synthèses et comptes-rendus ');
  assert.equal(collapseLetterSpacing('Il y a un manque de moyens'), 'Il y a un manque de moyens');
  assert.equal(collapseLetterSpacing('à 3 h'), 'à 3 h');
});

test('apostrophes are normalised one way or the other', () => {
  assert.equal(normalizeApostrophes("l'accès d’un‘autre"), 'l’accès d’un’autre');
  assert.equal(normalizeApostrophes('l’accès d\'un', 'straight'), "l'accès d'un");
  assert.equal(normalizeApostrophes("« 'cité' »"), "« 'cité' »");
});

test('split words are rejoined only when the whole word exists elsewhere', () => {
  const vocab = buildVocabulary('Cognac Cognac médecin médecin médecins restitution restitution en fin enfin enfin c’est c’est c’est le le le');
  assert.equal(joinSplitWords('réunion à C ognac', vocab), 'réunion à Cognac');
  assert.equal(joinSplitWords('absence du médec in.', vocab), 'absence du médecin.');
  assert.equal(joinSplitWords('aider à la res titution', vocab), 'aider à la restitution');
  // both parts are words of the document: no join
  assert.equal(joinSplitWords('en fin de séance', vocab), 'en fin de séance');
  // joined form unknown: no join
  assert.equal(joinSplitWords('un x yz', vocab), 'un x yz');
  // a capitalised second part starts a new word
  assert.equal(joinSplitWords('c Ognac', vocab), 'c Ognac');
  assert.equal(joinSplitWords('rien', new Map()), 'rien');
});

test('trailing counts, lone counts', () => {
  assert.deepEqual(splitTrailingCount('Il est difficile de trouver 93 '), { text: 'Il est difficile de trouver', count: 93 });
  assert.deepEqual(splitTrailingCount('Total 1 811'), { text: 'Total', count: 1811 });
  assert.deepEqual(splitTrailingCount('sans nombre'), { text: 'sans nombre' });
  assert.deepEqual(splitTrailingCount('12'), { text: '', count: 12 });
  assert.ok(isCountOnly(' 32 '));
  assert.ok(!isCountOnly('32 ans'));
});

test('stray quotes, bullets and list markers', () => {
  assert.equal(stripStrayQuote('19H-22H"'), '19H-22H');
  assert.equal(stripStrayQuote('il dit "oui"'), 'il dit "oui"');
  assert.equal(stripBulletGlyphs('\uF0E0 Agir\uF0B7 vite').trim(), 'Agir  vite');
  assert.ok(startsWithBulletGlyph(' \uF0B7 Agir'));
  assert.equal(stripListMarker('- faire ceci'), 'faire ceci');
  assert.equal(stripListMarker('1. faire ceci'), '1. faire ceci');
});

test('wrapped lines and blank lines inside an item are joined', () => {
  assert.equal(joinWrappedLines([' Développer les coopérations entre ', 'professionnels para -', 'médicaux', '', 'de ville ']),
    'Développer les coopérations entre professionnels para-médicaux de ville');
});

test('cleanItem does everything and squash compares with the raw text', () => {
  const vocab = buildVocabulary('collectivités collectivités');
  const raw = [' \uF0B7 Former les co llectivités au', "recours à l'urgence , vite\" "];
  const clean = cleanItem(raw, vocab);
  assert.equal(clean, 'Former les collectivités au recours à l’urgence, vite');
  assert.ok(squashForComparison(raw.join('\n')).includes(squashForComparison(clean).replace(/,/g, '')) ||
    squashForComparison(raw.join('\n')).replace(/,/g, '').includes(squashForComparison(clean).replace(/,/g, '')));
});
