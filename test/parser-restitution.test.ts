import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HumanSynthesisItem } from '../src/domain/synthesis.ts';
import { listParsers, parseDocument } from '../src/ingest/parsers/index.ts';
import { restitutionParser } from '../src/ingest/parsers/restitution.ts';
import { readText } from '../src/ingest/readers/text.ts';
import type { ParsedDocument } from '../src/ingest/types.ts';
import { ImportError } from '../src/ingest/types.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';

const CORPUS = CORPUS_DIR;
const LOT = 'cnr-sante-lot-synthese-restitution.txt';
const OCC = 'cnr-sante-occitanie-synthese-restitution.txt';
const skip = (f: string) => corpusSkip(f);

/**
 * Expected tree of each theme: [heading prefix, number of proposals, children]. The numbers were
 * counted by hand in the corpus files (one list item = one proposal; a sub-item "- …" under a bullet
 * belongs to its bullet; an unbulleted paragraph counts only when it is itself a proposal starting
 * with an infinitive, e.g. the last line of the Lot's "Prioriser"; narrative paragraphs do not
 * count). Headings are matched by a short prefix.
 */
type Expect = [prefix: string, count: number, children?: Expect[]];

const LOT_TREE: Expect[] = [
  ['Donner à tous un accès', 33, [['Décloisonner', 15], ['Simplifier', 14], ['Prioriser', 4]]],
  ['Garantir la continuité', 11, [['Mettre en place une plateforme', 0], ['Adapter l’offre en Ville', 6], ['Réorganiser les ressources', 5]]],
  ['Mobiliser les leviers', 25, [['Considérer l’attractivité', 6], ['Les modalités de travail', 11], ['Penser l’offre de formation', 8]]],
  ['Créer une nouvelle alliance', 20, [
    ['Travailler sur la structuration', 5, [['Mobiliser les acteurs', 5]]],
    ['Développer l’offre de prévention', 8],
    ['Construire une stratégie', 7, [['Auprès des professionnels', 2], ['Auprès de la population', 5]]],
  ]],
  ['Assurer une offre de santé', 16, [['Soutenir les aidants', 7], ['Adapter et compléter', 9]]],
];

const OCC_TREE: Expect[] = [
  ['Donner à tous un accès', 39, [['Repenser l’offre de transports', 6], ['Repenser l’offre de soins', 10], ['Favoriser l’accès', 7],
    ['Développer les délégations', 9], ['Améliorer l’attractivité', 7]]],
  ['Garantir la continuité', 59, [['Mettre en place une plateforme', 0], ['Mieux communiquer', 5], ['Mieux évaluer', 1], ['Adapter l’offre en Ville', 25],
    ['Réorganiser les ressources', 28, [['Concernant la régulation', 6], ['Concernant la prise en charge', 14], ['Concernant les transports', 6], ['Développer l’aller vers', 2]]]]],
  ['Mobiliser les leviers', 75, [['Considérer l’attractivité', 11], ['Les modalités de travail', 29],
    ['Améliorer l’image des métiers', 35, [['Pour améliorer l’image', 3], ['Pour rendre les recrutements', 13], ['Pour favoriser l’interconnaissance', 4],
      ['Pour fidéliser', 10], ['Pour amener', 5]]]]],
  ['Créer une nouvelle alliance', 64, [
    ['Travailler sur la structuration', 17, [['Mettre en place une gouvernance', 4], ['Structurer l’offre', 3], ['Mobiliser les acteurs', 10]]],
    ['Développer l’offre de prévention', 31],
    ['Construire une stratégie', 16, [['Auprès des professionnels', 4], ['Auprès de la population', 12]]],
    ['Deux thématiques de prévention', 0],
  ]],
  ['Assurer une offre de santé', 20, [['Soutenir les aidants', 9], ['Adapter et compléter', 11]]],
  ['Santé mentale', 27, [['Propositions d’actions', 7], ['Autres idées', 20]]],
];

/** Ongoing actions per theme, counted by hand (one paragraph each). */
const LOT_ACTIONS = [3, 3, 4, 3, 3];
const OCC_ACTIONS = [0, 5, 9, 7, 4, 0];

function parse(file: string): ParsedDocument {
  const doc = readText(readFileSync(join(CORPUS, file)), file);
  assert.ok(restitutionParser.detect(doc) >= 0.9, 'détection');
  return restitutionParser.parse(doc, { documentId: 'd'.repeat(64), fileName: file, mediaType: 'text/plain', sizeBytes: 1, consultation: 'essai' });
}

function checkTree(nodes: HumanSynthesisItem[], expected: Expect[], path: string): void {
  assert.deepEqual(nodes.map((n, i) => n.label.slice(0, expected[i]?.[0].length ?? 30)), expected.map((e) => e[0]), `titres sous ${path}`);
  expected.forEach(([prefix, count, children], i) => {
    const node = nodes[i]!;
    assert.ok(node.label.startsWith(prefix), `${path} : « ${node.label} » devrait commencer par « ${prefix} »`);
    assert.equal(node.statedCount, count, `${path} > ${prefix} : nombre de propositions`);
    checkTree(node.children, children ?? [], `${path} > ${prefix}`);
  });
}

function checkProvenance(file: string, parsed: ParsedDocument): void {
  const doc = readText(readFileSync(join(CORPUS, file)), file);
  const squash = (s: string) => s.replace(/[\s\uF0E0\uF0B7•→-]/g, '').replace(/['’]/g, '\'');
  for (const c of parsed.contributions) {
    const { charStart, charEnd, lineStart, lineEnd } = c.source;
    assert.ok(charStart !== undefined && charEnd !== undefined && lineStart !== undefined && lineEnd !== undefined, c.id);
    const raw = doc.text.slice(charStart, charEnd);
    assert.equal(raw, c.rawText ?? c.text, `${c.id} : texte brut aux positions annoncées`);
    assert.equal(doc.lines[lineStart - 1]!.charStart, charStart, `${c.id} : début de ligne`);
    assert.equal(doc.lines[lineEnd - 1]!.charEnd, charEnd, `${c.id} : fin de ligne`);
    // the clean text is the raw text minus layout (cleaning may rejoin split words: compare squashed)
    const cleaned = squash(c.text);
    assert.ok(cleaned.length > 0 && squash(raw).includes(cleaned.slice(0, 20)), `${c.id} : texte propre issu du brut`);
    assert.equal(c.source.page, 1);
  }
  const walk = (n: HumanSynthesisItem) => {
    assert.ok(n.source.charStart !== undefined && n.source.charEnd !== undefined && n.source.charEnd > n.source.charStart, n.label);
    const raw = squash(doc.text.slice(n.source.charStart, n.source.charEnd));
    assert.ok(raw.startsWith(squash(n.label).slice(0, 12)) || n.label === 'Perspectives', `intitulé « ${n.label} » à sa position`);
    n.children.forEach(walk);
  };
  parsed.syntheses.forEach(walk);
}

test('restitution Lot: 5 themes, sub-groups and proposal counts, provenance', { skip: skip(LOT) }, () => {
  const p = parse(LOT);
  const themeCodes = [...new Set(p.contributions.map((c) => c.themes[0]!.theme))];
  assert.deepEqual(themeCodes, ['1', '2', '3', '4', 'vieillissement']);
  assert.equal(p.themes.length, 1);
  assert.equal(p.themes[0]!.code, 'vieillissement');
  assert.equal(p.themes[0]!.local, true);
  const trees = p.syntheses.filter((s) => s.label !== 'Perspectives');
  checkTree(trees, LOT_TREE, 'Lot');
  const propositions = p.contributions.filter((c) => c.kind === 'proposition');
  assert.equal(propositions.length, 105);
  assert.ok(propositions.every((c) => c.category && !c.category.includes('undefined')));
  assert.equal(propositions.filter((c) => c.category === 'Construire une stratégie de communication en prévention > Auprès de la population').length, 5);
  assert.deepEqual(['1', '2', '3', '4', 'vieillissement'].map((t) => p.contributions.filter((c) => c.kind === 'action_en_cours' && c.themes[0]!.theme === t).length), LOT_ACTIONS);
  assert.equal(p.contributions.filter((c) => c.kind === 'constat').length, 8);
  assert.ok(p.contributions.every((c) => c.territory === '46'));
  // meetings: 18/11/2022 (about 70 people), a visio on 12/12/2022, the online consultation
  assert.deepEqual(p.meetings.map((m) => [m.kind, m.date ?? null]), [['reunion_departementale', '2022-11-18'], ['visio', '2022-12-12'], ['consultation_en_ligne', null]]);
  assert.equal(p.meetings[0]!.participants.total, 70);
  assert.ok(p.meetings[0]!.situation && p.meetings[0]!.perspectives);
  assert.ok(p.syntheses.some((s) => s.label === 'Perspectives'));
  assert.ok(!p.warnings.some((w) => w.level === 'warning'), JSON.stringify(p.warnings));
  checkProvenance(LOT, p);
});

test('restitution Occitanie: 6 themes, three-level groups, defects reported, provenance', { skip: skip(OCC) }, () => {
  const p = parse(OCC);
  const themeCodes = [...new Set(p.contributions.map((c) => c.themes[0]!.theme))];
  assert.deepEqual(themeCodes, ['1', '2', '3', '4', 'vieillissement', 'sante-mentale']);
  assert.deepEqual(p.themes.map((t) => [t.code, t.description]), [
    ['vieillissement', 'Thématique supplémentaire retenue dans le Lot'], ['sante-mentale', 'Thématique supplémentaire retenue dans le Tarn']]);
  checkTree(p.syntheses.filter((s) => s.label !== 'Perspectives'), OCC_TREE, 'Occitanie');
  assert.equal(p.contributions.filter((c) => c.kind === 'proposition').length, 39 + 59 + 75 + 64 + 20 + 27);
  assert.deepEqual(['1', '2', '3', '4', 'vieillissement', 'sante-mentale'].map((t) => p.contributions.filter((c) => c.kind === 'action_en_cours' && c.themes[0]!.theme === t).length), OCC_ACTIONS);
  const codes = new Set(p.warnings.map((w) => w.code));
  for (const code of ['restitution.empty_context', 'restitution.perspectives_copied', 'restitution.date_inconsistent', 'restitution.missing_block', 'restitution.nonstandard_theme']) {
    assert.ok(codes.has(code), `avertissement ${code} attendu`);
  }
  assert.ok(p.meetings.some((m) => m.kind === 'visio' && m.dateText === '12 décembre' && m.date === undefined));
  assert.ok(p.contributions.every((c) => c.territory === undefined), 'pas de département pour une synthèse régionale');
  checkProvenance(OCC, p);
});

test('restitution: not this template → ImportError; registry picks it', { skip: skip(LOT) }, async () => {
  const other = readText(new TextEncoder().encode('Compte-rendu\nThématique 1\nRien à voir.'), 'x.txt');
  assert.ok(restitutionParser.detect(other) < 0.5);
  assert.throws(() => restitutionParser.parse(other, { documentId: 'e'.repeat(64), fileName: 'x.txt', mediaType: 'text/plain', sizeBytes: 1, consultation: 'c' }), ImportError);
  const bytes = readFileSync(join(CORPUS, LOT));
  const parsed = await parseDocument(bytes, LOT, { consultation: 'cnr-lot' });
  assert.equal(parsed.parser, 'restitution');
  assert.equal(parsed.documentId.length, 64);
  assert.ok(parsed.contributions.every((c) => c.consultation === 'cnr-lot' && c.source.documentId === parsed.documentId));
});

test('registry: known parsers, unknown parser, unrecognised shape, tabular', async () => {
  assert.deepEqual(listParsers().map((p) => p.name).sort(), ['cnr-ateliers', 'restitution']);
  const bytes = new TextEncoder().encode('Un texte quelconque\nsans forme connue.');
  await assert.rejects(parseDocument(bytes, 'a.txt', { consultation: 'c', parser: 'inconnu' }), (e: unknown) =>
    e instanceof ImportError && e.code === 'import.unknown_parser' && /cnr-ateliers/.test(e.message) && /restitution/.test(e.message));
  await assert.rejects(parseDocument(bytes, 'a.txt', { consultation: 'c' }), (e: unknown) =>
    e instanceof ImportError && e.code === 'import.unrecognised' && /Forme de document non reconnue/.test(e.message));
  await assert.rejects(parseDocument(bytes, 'a.csv', { consultation: 'c' }), (e: unknown) =>
    e instanceof ImportError && /fabrique import/.test(e.message));
});
