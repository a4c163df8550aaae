import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNonAnswer, nonAnswerReason } from '../src/domain/non-answers.ts';

test('non-answers: the usual ways of saying nothing, whatever the case, accents and punctuation', () => {
  const cases: [string, string][] = [
    ['', 'empty'], ['   ', 'empty'], ['/', 'empty'], ['-', 'empty'], ['...', 'empty'], ['?', 'empty'],
    ['RAS', 'nothing'], ['R.A.S.', 'nothing'], ['r a s', 'nothing'], ['Rien à signaler', 'nothing'], ['RIEN A SIGNALER.', 'nothing'],
    ['Néant', 'nothing'], ['neant', 'nothing'], ['N/A', 'nothing'], ['RAS, merci', 'nothing'], ['Rien de particulier', 'nothing'],
    ['Aucune idée', 'no-opinion'], ['aucune idee !', 'no-opinion'], ['Pas d’avis', 'no-opinion'], ["Pas d'avis pour l'instant", 'no-opinion'],
    ['Sans avis', 'no-opinion'], ['Pas d’expérience', 'no-opinion'], ['Je ne sais pas.', 'no-opinion'], ['Non concerné', 'no-opinion'],
    ['Non', 'filler'], ['non non', 'filler'], ['OK', 'filler'], ['Idem', 'filler'], ['idem que ci-dessus', 'filler'], ['Merci', 'filler'],
  ];
  for (const [text, reason] of cases) assert.equal(nonAnswerReason(text), reason, JSON.stringify(text));
});

test('non-answers: a short statement of origin or residence alone is context, not a problem statement', () => {
  for (const t of ['Originaire de Normandie.', 'Habitante de Saint-Malo', 'J’habite à Pau', 'Je suis originaire du Limousin', 'Native de la Creuse', 'Habitant du 47']) {
    assert.equal(nonAnswerReason(t), 'context', t);
  }
});

test('non-answers: texts that say something are kept, even short or starting like a non-answer', () => {
  for (const t of [
    'Non, il faut plus de médecins le soir.', 'Rien ne va aux urgences de notre ville.', 'Aucune pharmacie de garde le dimanche',
    'Habitant de Béthune, pas de médecin traitant depuis deux ans', 'Originaire de Normandie, je trouve les délais trop longs',
    'Je ne sais pas où trouver un dentiste', 'Pas de médecin', 'Manque de kinés', 'Plus de transports vers l’hôpital',
    'RAS pour la pharmacie mais rien pour les urgences la nuit', 'J’habite à Pau et je ne trouve pas de gynécologue',
  ]) assert.equal(isNonAnswer(t), false, t);
});

test('non-answers: long texts are never non-answers, quickly', () => {
  assert.equal(isNonAnswer(`RAS ${'texte '.repeat(100)}`), false);
});
