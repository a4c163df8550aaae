import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluate, readGold } from '../bench/privacy-eval.ts';
import { pseudonymise } from '../src/privacy/pseudonymise.ts';
import { firstNameCount } from '../src/privacy/names.ts';

// Fixed, team-written sets (format: test/fixtures/privacy/README.md): the figures are deterministic.
const fixture = (name: string) => new URL(`./fixtures/privacy/${name}`, import.meta.url);

describe('pseudonymisation : rappel et précision sur le jeu de test', () => {
  test('rappel ≥ 0,95 et précision ≥ 0,9 (au niveau des passages, même nature, chevauchement)', () => {
    const set = readGold(fixture('test.jsonl'));
    assert.ok(set.length >= 200, `au moins 200 phrases (${set.length})`);
    const { overall, errors } = evaluate(set, pseudonymise);
    const detail = errors.map((e) => `${e.type} ${e.kind} « ${e.text} » (${e.id})`).join('\n');
    assert.ok(overall.recall >= 0.95, `rappel ${overall.recall.toFixed(3)}\n${detail}`);
    assert.ok(overall.precision >= 0.9, `précision ${overall.precision.toFixed(3)}\n${detail}`);
  });

  test('les cas manqués auparavant (NIR à clé fausse, prénoms sans titre, « docteur » en minuscules, dates de naissance, numéros de dossier) sont masqués', () => {
    const set = readGold(fixture('previous-misses.jsonl'));
    assert.equal(set.length, 30);
    const { overall, errors } = evaluate(set, pseudonymise);
    assert.deepEqual(errors.map((e) => `${e.type} ${e.kind} « ${e.text} »`), []);
    assert.equal(overall.matched, overall.gold);
  });

  test('les masques gardent le texte lisible et les positions de l’original', () => {
    const text = 'Mon fils Lucas, né le 3 mars 2015, dossier n° 2024-11587, a vu le docteur bernard.';
    const r = pseudonymise(text);
    assert.equal(r.text, 'Mon fils [nom], né le [date de naissance], dossier n° [identifiant], a vu le docteur [nom].');
    for (const m of r.masked) assert.equal(text.slice(m.start, m.end), m.original);
    assert.deepEqual(r.masked.map((m) => m.kind), ['name', 'birthdate', 'id', 'name']);
  });

  test('ni un âge, ni un numéro FINESS, ni une année sans naissance ne sont masqués', () => {
    for (const text of ['Elle a 94 ans et vit seule.', 'Le numéro FINESS de la clinique est 310780259.', 'Le dossier de 2019 est clos.',
      'Les enfants nés en 2020 ont manqué de pédiatres.', 'Rendez-vous le 15/03/2025 à 14 h.']) {
      assert.deepEqual(pseudonymise(text).masked, [], text);
    }
  });

  test('la liste de prénoms livrée compte plusieurs milliers de prénoms', () => {
    assert.ok(firstNameCount() >= 2500, String(firstNameCount()));
  });
});
