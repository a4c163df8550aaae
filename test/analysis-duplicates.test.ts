import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDuplicates, runDuplicates, countCampaignsOnce, jaccard, shingles, duplicateFeatures, normalizeForDuplicates } from '../src/analysis/duplicates/index.ts';
import { generateContributions } from '../bench/scale/generate.ts';

// Made-up texts.
const BASE = [
  { id: 'a1', text: 'Il faut rouvrir le service des urgences de nuit à l\'hôpital local.' },
  { id: 'a2', text: 'il faut rouvrir le service des URGENCES de nuit à l’hôpital local !!' }, // exact after normalisation
  { id: 'b1', text: 'Créer une maison de santé pluriprofessionnelle dans le canton avec des infirmières et des kinés pour les habitants.' },
  { id: 'b2', text: 'Créer une maison de santé pluriprofessionnelle dans le canton avec des infirmières et des kinésithérapeutes pour les habitants.' },
  { id: 'c1', text: 'Développer la prévention des addictions au collège.' },
  { id: 'c2', text: 'Former les enseignants aux premiers secours en santé mentale.' },
];
const CAMPAIGN = Array.from({ length: 7 }, (_, i) => ({
  id: `k${i}`,
  text: i % 3 === 2
    ? 'Nous, habitants du village, demandons le maintien de la pharmacie de garde le dimanche et un médecin présent deux jours par semaine, signé'
    : 'Nous, habitants du village, demandons le maintien de la pharmacie de garde le dimanche et un médecin présent deux jours par semaine.',
}));

test('duplicates: exact, near and a campaign on made-up data', () => {
  const r = findDuplicates([...BASE, ...CAMPAIGN]);
  const exact = r.duplicates.find((d) => d.ids.includes('a1'));
  assert.deepEqual(exact, { ids: ['a1', 'a2'], kind: 'exact', similarity: 1, representative: 'a1' });
  const near = r.duplicates.find((d) => d.ids.includes('b1'));
  assert.equal(near?.kind, 'near');
  assert.deepEqual(near?.ids, ['b1', 'b2']);
  assert.ok((near?.similarity ?? 0) >= 0.6 && (near?.similarity ?? 1) < 1);
  assert.ok(!r.duplicates.some((d) => d.ids.includes('c1') || d.ids.includes('c2')));
  assert.equal(r.campaigns.length, 1);
  assert.equal(r.campaigns[0]?.size, 7);
  assert.equal(r.campaigns[0]?.representative, 'k0');
  assert.equal(r.campaigns[0]?.kind, 'near');
  // a campaign counts once
  assert.equal(countCampaignsOnce([...BASE, ...CAMPAIGN].map((x) => x.id), r), BASE.length + 1);
});

test('duplicates: deterministic; helpers', () => {
  const items = generateContributions(3000, 3).map((c) => ({ id: c.id, text: c.text }));
  assert.deepEqual(findDuplicates(items), findDuplicates(items));
  assert.equal(normalizeForDuplicates('  L’Hôpital — OUVERT ! '), 'l hopital ouvert');
  assert.equal(jaccard(shingles('a b c d'), shingles('a b c d')), 1);
  assert.equal(jaccard(shingles(''), shingles('')), 1);
  assert.equal(shingles('un deux').length, 1);
});

test('duplicates: the generator\'s campaigns are found', () => {
  const syn = generateContributions(20_000, 1);
  const r = findDuplicates(syn.map((c) => ({ id: c.id, text: c.text })), { campaignMinSize: 15 });
  const truth = new Map<string, Set<string>>();
  for (const c of syn) if (c.campaign) { let s = truth.get(c.campaign); if (!s) { s = new Set(); truth.set(c.campaign, s); } s.add(c.id); }
  assert.ok(truth.size >= 3);
  let covered = 0, total = 0;
  for (const [cid, ids] of truth) {
    const found = r.campaigns.find((c) => c.ids.some((id) => ids.has(id)));
    assert.ok(found, `campaign ${cid} found`);
    const n = [...ids].filter((id) => found.ids.includes(id)).length;
    // a word swap or an inserted word in a 12-word text can take its 3-shingle Jaccard below 0.6
    assert.ok(n / ids.size >= 0.8, `campaign ${cid}: ${n}/${ids.size}`);
    covered += n; total += ids.size;
  }
  assert.ok(covered / total >= 0.9, `campaign members found: ${covered}/${total}`);
});

test('duplicates: robustness (empty, 1 MB, non-French, emoji, control characters)', () => {
  const big = 'Il faut des médecins dans les villages. '.repeat(26_000);
  const r = findDuplicates([
    { id: 'e1', text: '' }, { id: 'e2', text: '' }, { id: 'e3', text: '🙂🙂 👍' }, { id: 'e4', text: '🙂🙂 👍' },
    { id: 'e5', text: 'a\u0000b\u0007c \u001b[31m \uD800' }, { id: 'e6', text: '医生 医院 护士' }, { id: 'e7', text: '医生 医院 护士' },
    { id: 'big1', text: big }, { id: 'big2', text: big + ' Fin.' },
  ]);
  assert.ok(!r.duplicates.some((d) => d.ids.includes('e1')), 'empty texts are not duplicates of each other');
  assert.ok(r.duplicates.some((d) => d.ids.join() === 'e6,e7' && d.kind === 'exact'));
  assert.ok(r.duplicates.some((d) => d.ids.join() === 'big1,big2'));
});

test('runDuplicates: JSON Lines in, JSON out; bad rows name the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-dup-'));
  try {
    const inPath = join(dir, 'in.jsonl'), outPath = join(dir, 'out.json');
    writeFileSync(inPath, [...BASE, ...CAMPAIGN].map((x) => JSON.stringify(x)).join('\n') + '\n');
    runDuplicates({ inPath, outPath });
    const out = JSON.parse(readFileSync(outPath, 'utf8')) as { duplicates: { ids: string[]; kind: string; similarity: number }[]; campaigns: { ids: string[]; size: number; representative: string }[] };
    assert.equal(out.duplicates.length, 3);
    assert.equal(out.campaigns[0]?.size, 7);
    writeFileSync(inPath, '{"id":"a","text":"x"}\n{"id":"a","text":"y"}\n');
    assert.throws(() => runDuplicates({ inPath, outPath }), /in\.jsonl:2: duplicate id "a"/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('duplicates: near-duplicate sets do not chain (A~B~C~D with A far from D is not one set)', () => {
  // made-up words; each text is the previous one shifted by four words: neighbours are 0.71 similar (words and
  // shingles), texts two steps apart 0.54 (under the 0.6 threshold)
  const words = Array.from({ length: 44 }, (_, i) => `mot${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`);
  const text = (from: number) => words.slice(from, from + 30).join(' ');
  const items = [{ id: 'A', text: text(0) }, { id: 'B', text: text(4) }, { id: 'C', text: text(8) }, { id: 'D', text: text(12) }];
  const neighbour = jaccard(duplicateFeatures(normalizeForDuplicates(items[0]!.text)), duplicateFeatures(normalizeForDuplicates(items[1]!.text)));
  const twoApart = jaccard(duplicateFeatures(normalizeForDuplicates(items[0]!.text)), duplicateFeatures(normalizeForDuplicates(items[2]!.text)));
  assert.ok(neighbour >= 0.6 && twoApart < 0.6, `${neighbour} ${twoApart}`);
  const r = findDuplicates(items);
  assert.ok(!r.duplicates.some((d) => d.ids.includes('A') && d.ids.includes('D')), JSON.stringify(r.duplicates));
  assert.ok(!r.duplicates.some((d) => d.ids.includes('A') && d.ids.includes('C')));
  assert.deepEqual(r.duplicates.map((d) => d.ids), [['A', 'B'], ['C', 'D']]);
  for (const d of r.duplicates) assert.ok(d.similarity >= 0.6);
});

test('duplicates: every member of a set is close to its representative on the scale generator\'s texts', () => {
  const items = generateContributions(20_000, 1).map((c) => ({ id: c.id, text: c.text }));
  const r = findDuplicates(items);
  const byId = new Map(items.map((it) => [it.id, duplicateFeatures(normalizeForDuplicates(it.text))]));
  for (const d of r.duplicates) {
    const rep = byId.get(d.representative)!;
    for (const id of d.ids) assert.ok(jaccard(rep, byId.get(id)!) >= 0.6, `${id} vs ${d.representative}`);
  }
  // union-find chained 98.8 % of 100k texts into 249 sets; the generator's template texts are close to each other,
  // so many are in sets, but none swallows a share of the consultation
  assert.ok(r.duplicates.length > 1000, `${r.duplicates.length} sets`);
  assert.ok(Math.max(...r.duplicates.map((d) => d.ids.length)) < items.length * 0.02);
});

test('duplicates: non-answers are neither duplicates nor a campaign', () => {
  const ras = Array.from({ length: 12 }, (_, i) => ({ id: `r${i}`, text: i % 2 ? 'RAS' : 'R.A.S.' }));
  const idea = Array.from({ length: 3 }, (_, i) => ({ id: `i${i}`, text: i ? 'Aucune idée' : 'aucune idée !' }));
  const r = findDuplicates([...ras, ...idea, { id: 'x', text: 'Pas de médecin de garde le dimanche dans notre canton.' }]);
  assert.deepEqual(r.duplicates, []);
  assert.deepEqual(r.campaigns, []);
  assert.equal(r.stats.nonAnswers, 15);
});

test('duplicates in a worker thread: the same result as on the calling thread', async () => {
  const { startDuplicates } = await import('../src/analysis/duplicates/index.ts');
  const items = [...BASE, ...CAMPAIGN, ...generateContributions(500, 4).map((c) => ({ id: c.id, text: c.text }))];
  const pending = startDuplicates(items, { seed: 5 }, { minItems: 0 });
  assert.equal(pending.where, 'worker');
  assert.deepEqual(pending.take(), findDuplicates(items, { seed: 5 }));
  assert.equal(startDuplicates(items.slice(0, 3)).where, 'here');
});
