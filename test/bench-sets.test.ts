// The team-written datasets of bench/quality/datasets: documented format, consistent gold, and a licence guard
// (no text copied from ../shared/corpus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRIBUTION_KINDS } from '../src/domain/contribution.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';

const DIR = join(import.meta.dirname, '..', 'bench', 'quality', 'datasets');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const SHAPES = ['short', 'long', 'multi-question', 'non-health', 'no-kinds', 'mixed'];
const ITEM_KEYS = new Set(['id', 'text', 'idea', 'theme', 'kind', 'question', 'nonAnswer']);

interface Item { id: string; text: string; idea: string; theme?: string; kind?: string; question?: string; nonAnswer?: boolean }
interface Dataset {
  name: string; shape: string; split: string; description: string;
  themes?: { code: string; label: string }[]; questions?: { code: string; text: string }[]; items: Item[];
}
const load = (f: string) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Dataset;
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

test('les jeux de bench/quality/datasets : un seul jeu de dev, et les cinq formes de test', () => {
  const sets = FILES.map(load);
  assert.deepEqual(sets.filter((d) => d.split === 'dev').length, 1);
  assert.deepEqual(new Set(sets.filter((d) => d.split === 'test').map((d) => d.shape)), new Set(['short', 'long', 'multi-question', 'non-health', 'no-kinds']));
});

for (const f of FILES) {
  test(`${f} : champs documentés, identifiants uniques, or cohérent`, () => {
    const d = load(f);
    assert.equal(`${d.name}.json`, f);
    assert.ok(SHAPES.includes(d.shape), d.shape);
    assert.ok(d.split === 'dev' || d.split === 'test');
    assert.match(d.description, d.split === 'test' ? /^JEU DE TEST/ : /^JEU DE DÉVELOPPEMENT/);
    assert.ok(Array.isArray(d.items) && d.items.length >= 50);
    const themes = new Set((d.themes ?? []).map((t) => t.code));
    const questions = new Set((d.questions ?? []).map((q) => q.code));
    const ids = new Set<string>();
    const sizes = new Map<string, number>();
    for (const it of d.items) {
      for (const k of Object.keys(it)) assert.ok(ITEM_KEYS.has(k), `${it.id}: unknown field ${k}`);
      assert.equal(typeof it.id, 'string'); assert.ok(!ids.has(it.id), `duplicate id ${it.id}`); ids.add(it.id);
      assert.ok(typeof it.text === 'string' && it.text.trim().length > 0, it.id);
      assert.ok(typeof it.idea === 'string' && it.idea.length > 0, it.id);
      sizes.set(it.idea, (sizes.get(it.idea) ?? 0) + 1);
      if (it.theme !== undefined) assert.ok(themes.has(it.theme), `${it.id}: theme ${it.theme}`);
      if (it.kind !== undefined) assert.ok((CONTRIBUTION_KINDS as readonly string[]).includes(it.kind), `${it.id}: kind ${it.kind}`);
      if (it.question !== undefined) assert.ok(questions.has(it.question), `${it.id}: question ${it.question}`);
      if (it.nonAnswer !== undefined) assert.equal(it.nonAnswer, true);
      // a non-answer is its own gold class and carries no theme or kind
      assert.equal(it.nonAnswer === true, it.idea === 'non-reponse', it.id);
      if (it.nonAnswer) { assert.equal(it.theme, undefined); assert.equal(it.kind, undefined); }
      if (d.shape === 'short' && !it.nonAnswer) assert.ok(words(it.text) <= 12, `${it.id}: ${words(it.text)} words`);
      if (d.shape === 'long') assert.ok(words(it.text) >= 80 && words(it.text) <= 250, `${it.id}: ${words(it.text)} words`);
      if (d.shape === 'multi-question') assert.ok(it.question, `${it.id}: no question`);
      if (d.shape === 'non-health') assert.equal(it.theme, undefined, it.id);
    }
    for (const [idea, n] of sizes) if (idea !== 'non-reponse') assert.ok(n >= 2, `idea ${idea} has ${n} member`);
    // the same text twice would make the gold meaningless for near-duplicates
    const texts = d.items.filter((i) => !i.nonAnswer).map((i) => i.text.toLowerCase());
    assert.equal(new Set(texts).size, texts.length, 'a text appears twice');
  });
}

// normalised for comparison: lower case, straight apostrophes, letters and digits only
const norm = (s: string) => s.toLowerCase().replace(/[’']/g, ' ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const SHINGLE = 10;
test('licence : aucun texte des jeux ne vient de ../shared/corpus', { skip: corpusSkip() }, () => {
  const corpusFiles = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f !== 'README.md') : [];
  assert.ok(corpusFiles.length > 0);
  const corpus = ` ${corpusFiles.map((f) => norm(readFileSync(join(CORPUS_DIR, f), 'utf8'))).join(' ')} `;
  const tokens = corpus.split(' ').filter(Boolean);
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE <= tokens.length; i++) shingles.add(tokens.slice(i, i + SHINGLE).join(' '));
  const copied: string[] = [];
  for (const f of FILES) for (const it of load(f).items) {
    const t = norm(it.text).split(' ').filter(Boolean);
    if (t.length >= 8 && corpus.includes(` ${t.join(' ')} `)) { copied.push(`${it.id}: whole text`); continue; }
    for (let i = 0; i + SHINGLE <= t.length; i++) {
      if (shingles.has(t.slice(i, i + SHINGLE).join(' '))) { copied.push(`${it.id}: « ${t.slice(i, i + SHINGLE).join(' ')} »`); break; }
    }
  }
  assert.deepEqual(copied, []);
});
