import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  groupContributions, groupsOutput, assignNew, regroup, renameGroup, moveContribution, mergeGroups, splitGroup,
  topGroupOf, membersOf, cleanLabel, runGroup, bestMatchAgreement, adjustedRandIndex, normalizedMutualInformation,
  pairwiseF1, hungarianMax, type GroupInput, type GroupingModel,
} from '../src/analysis/grouping/index.ts';
import { JsonlError } from '../src/analysis/classify/index.ts';
import { generateContributions } from '../bench/scale/generate.ts';

// Made-up data (bench/scale/generate.ts phrase pieces): 4 themes, 9 ideas.
const SYN = generateContributions(400, 7);
const ITEMS: GroupInput[] = SYN.map((c) => ({ id: c.id, text: c.text }));
const AT = { at: '2024-01-01T00:00:00.000Z' };

const tops = (m: GroupingModel, items: readonly GroupInput[]): string[] => items.map((i) => topGroupOf(m, i.id) ?? '?');

test('metrics: ARI, NMI, pairwise F1 on known partitions', () => {
  const a = [0, 0, 0, 1, 1, 1];
  assert.equal(adjustedRandIndex(a, [5, 5, 5, 9, 9, 9]), 1);
  assert.equal(normalizedMutualInformation(a, ['x', 'x', 'x', 'y', 'y', 'y']), 1);
  assert.deepEqual(pairwiseF1(a, [1, 1, 1, 2, 2, 2]), { precision: 1, recall: 1, f1: 1 });
  // sklearn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715, NMI = 0.8
  assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 0.5714285714285715) < 1e-12);
  assert.ok(Math.abs(normalizedMutualInformation([0, 0, 1, 1], [0, 0, 1, 2]) - 0.8) < 1e-12);
  // ARI can be negative; chance-level partitions are near 0
  assert.ok(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) < 0);
  const p = pairwiseF1([0, 0, 1, 1], [0, 0, 0, 0]); // 2 gold pairs, 6 predicted, 2 shared
  assert.equal(p.recall, 1); assert.ok(Math.abs(p.precision - 1 / 3) < 1e-12);
  assert.deepEqual(hungarianMax([[1, 9], [8, 2]]), [1, 0]);
  assert.deepEqual(hungarianMax([[5], [7]]), [-1, 0]);
  assert.equal(bestMatchAgreement(['a', 'a', 'b', 'b', 'c'], [1, 1, 2, 2, 2]), 0.8);
});

test('grouping: same seed → identical output; recovers the made-up ideas; stable across seeds', () => {
  const m1 = groupContributions(ITEMS, { seed: 3, ...AT });
  const m2 = groupContributions(ITEMS, { seed: 3, ...AT });
  assert.deepEqual(JSON.stringify(groupsOutput(m1)), JSON.stringify(groupsOutput(m2)));
  const out = groupsOutput(m1);
  const top = out.filter((g) => g.parent === null);
  assert.ok(top.length >= 2);
  // every contribution in exactly one top group; sub-ideas partition their parent
  const all = top.flatMap((g) => g.members).sort();
  assert.deepEqual(all, ITEMS.map((i) => i.id).sort());
  for (const g of top) {
    const subs = out.filter((s) => s.parent === g.id);
    if (subs.length) assert.deepEqual(subs.flatMap((s) => s.members).sort(), g.members.slice().sort());
    assert.equal(g.count, g.members.length);
    assert.ok(g.keyPhrases.length >= 1 && g.keyPhrases.length <= 4, `${g.id} key phrases ${g.keyPhrases}`);
    assert.ok(g.label.length > 0 && g.label.length <= 91);
  }
  // the made-up ideas (9, over 4 themes), not the themes: the size cap splits a theme holding several ideas
  const ari = adjustedRandIndex(SYN.map((c) => c.idea), tops(m1, ITEMS));
  assert.ok(ari > 0.3, `ARI vs made-up ideas ${ari}`);
  for (const seed of [4, 5]) {
    const other = groupContributions(ITEMS, { seed, ...AT });
    assert.ok(bestMatchAgreement(tops(m1, ITEMS), tops(other, ITEMS)) >= 0.9);
  }
});

test('grouping: quotes are verbatim (ids of members, spans are slices of the contribution text)', () => {
  const m = groupContributions(ITEMS, { seed: 1, ...AT });
  const text = new Map(ITEMS.map((i) => [i.id, i.text]));
  for (const g of groupsOutput(m)) {
    for (const q of g.quotes) assert.ok(g.members.includes(q));
    for (const s of g.spans) {
      const t = text.get(s.id) as string;
      assert.ok(s.start >= 0 && s.end <= t.length && s.end > s.start);
      const slice = t.slice(s.start, s.end);
      assert.ok(t.includes(slice) && slice.trim() === slice && slice.length >= 3);
    }
  }
  assert.equal(cleanLabel('  - mettre en place un transport solidaire ;'), 'Mettre en place un transport solidaire');
  assert.ok(cleanLabel('mot '.repeat(60)).endsWith('…'));
});

test('grouping: assignNew does not reshuffle and sends unrelated texts to "Autres"', () => {
  const m = groupContributions(ITEMS, { seed: 2, ...AT });
  const fresh = generateContributions(430, 7).slice(400).map((c) => ({ id: `new-${c.id}`, text: c.text }));
  const { model, assignments } = assignNew(m, [...fresh, { id: 'zz', text: 'Quantum chromodynamics lattice gauge bosons' }]);
  for (const [id, g] of Object.entries(m.membership)) assert.equal(model.membership[id], g);
  assert.equal(assignments.length, fresh.length + 1);
  assert.equal(topGroupOf(model, 'zz'), 'autres');
  assert.ok(assignments.filter((a) => a.group !== 'autres').length >= fresh.length * 0.9);
  assert.deepEqual(model.groups.filter((g) => m.groups.some((x) => x.id === g.id)).map((g) => g.centroid), m.groups.map((g) => g.centroid));
  assert.throws(() => assignNew(model, [{ id: 'zz', text: 'x' }]), /already grouped/);
});

test('grouping: human rename, move, merge and split survive a rerun, with lineage', () => {
  let m = groupContributions(ITEMS, { seed: 1, ...AT });
  const top = m.groups.filter((g) => g.parent === null && !g.others);
  assert.ok(top.length >= 4);
  const [a, b, c, d] = top as [typeof top[0], typeof top[0], typeof top[0], typeof top[0]];
  m = renameGroup(m, a.id, 'Accès au médecin traitant', { by: 'alice', ...AT });
  const mover = membersOf(m, b.id)[0] as string;
  m = moveContribution(m, mover, c.id, { by: 'alice', ...AT });
  m = mergeGroups(m, [c.id, d.id], { by: 'bob', ...AT });
  const part = membersOf(m, a.id).slice(0, 3);
  m = splitGroup(m, a.id, [part], { by: 'bob', ...AT }, ['Sous-thème isolé']);
  const newId = m.groups.find((g) => g.label === 'Sous-thème isolé')?.id as string;
  assert.ok(newId);
  assert.deepEqual(m.groups.find((g) => g.id === a.id)?.lineage.map((e) => e.op), ['create', 'rename', 'split']);
  assert.ok(m.retired.some((r) => r.id === d.id));
  const groupsBefore = m.groups.filter((g) => g.parent === null).length;

  // rerun with a different seed and some new items
  const more = [...ITEMS, ...generateContributions(440, 7).slice(400).map((x) => ({ id: `n${x.id}`, text: x.text }))];
  const r = regroup(m, more, 99, AT);
  const ra = r.groups.find((g) => g.id === a.id);
  assert.equal(ra?.label, 'Accès au médecin traitant');
  assert.equal(ra?.labelByHuman, true);
  assert.ok(ra?.lineage.some((e) => e.op === 'rename'));
  assert.equal(topGroupOf(r, mover), c.id, 'moved contribution stays where the human put it');
  for (const id of [...membersOf(m, c.id)]) assert.equal(topGroupOf(r, id), c.id, 'merged members stay together');
  assert.ok(!r.groups.some((g) => g.id === d.id), 'merged-away group does not come back');
  for (const id of part) assert.equal(topGroupOf(r, id), newId, 'split part kept');
  assert.equal(r.groups.find((g) => g.id === newId)?.label, 'Sous-thème isolé');
  assert.equal(r.groups.filter((g) => g.parent === null).length, groupsBefore);
  assert.ok(more.every((i) => r.membership[i.id] !== undefined));
});

test('grouping: by theme, and robustness (empty, 1 MB, non-French, emoji, control characters)', () => {
  const themed = SYN.slice(0, 120).map((c) => ({ id: c.id, text: c.text, theme: c.theme }));
  const m = groupContributions(themed, { seed: 1, ...AT });
  assert.equal(m.byTheme, true);
  for (const g of m.groups) for (const id of membersOf(m, g.id)) assert.equal(themed.find((t) => t.id === id)?.theme, g.theme);
  const odd: GroupInput[] = [
    { id: 'e1', text: '' }, { id: 'e2', text: '   ' }, { id: 'e3', text: '🙂🙂🙂 👍' },
    { id: 'e4', text: 'a\u0000b\u0007c \u001b[31m rouge \uFEFF\uD800' },
    { id: 'e5', text: 'The weather in London is rainy and cold today' },
    { id: 'e6', text: '医生 医院 护士' }, { id: 'e7', text: 'Логистика и транспорт' },
    { id: 'big', text: 'Il faut des médecins dans les villages. '.repeat(26_000) },
    ...ITEMS.slice(0, 40),
  ];
  const r = groupContributions(odd, { seed: 1, ...AT });
  assert.equal(Object.keys(r.membership).length, odd.length);
  assert.equal(topGroupOf(r, 'e1'), 'autres');
  assert.equal(topGroupOf(r, 'e3'), 'autres');
  const out = groupsOutput(r);
  const bigGroup = out.find((g) => g.parent === null && g.members.includes('big'));
  for (const s of bigGroup?.spans ?? []) assert.ok(s.end <= (odd.find((o) => o.id === s.id)?.text.length ?? 0));
  assert.deepEqual(groupsOutput(groupContributions([], { seed: 1 })), []);
  const one = groupContributions([{ id: 'x', text: 'Créer une maison de santé' }], { seed: 1 });
  assert.equal(topGroupOf(one, 'x'), 'g1');
});

test('runGroup: JSON Lines in, groups out; bad rows name the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabrique-group-'));
  try {
    const inPath = join(dir, 'in.jsonl'), outPath = join(dir, 'out.json');
    writeFileSync(inPath, '\uFEFF' + ITEMS.slice(0, 80).map((i, n) => JSON.stringify(n === 0 ? { id: 1, text: i.text } : i)).join('\n') + '\n\n');
    const s = runGroup({ inPath, outPath, seed: 5 });
    const out = JSON.parse(readFileSync(outPath, 'utf8')) as { groups: { id: string; parent: string | null; members: string[]; quotes: string[]; label: string }[] };
    assert.equal(s.items, 80);
    assert.ok(out.groups.length >= 2);
    assert.ok(out.groups.filter((g) => g.parent === null).flatMap((g) => g.members).includes('1'));
    writeFileSync(inPath, `${JSON.stringify(ITEMS[0])}\n{"id":"b"}\n`);
    assert.throws(() => runGroup({ inPath, outPath }), (e: unknown) => e instanceof JsonlError && /in\.jsonl:2: "text"/.test(e.message));
    writeFileSync(inPath, '{"id":"a","text":"x"}\nnot json\n');
    assert.throws(() => runGroup({ inPath, outPath }), /in\.jsonl:2: invalid JSON/);
    writeFileSync(inPath, '{"id":"a","text":"x","theme":{}}\n');
    assert.throws(() => runGroup({ inPath, outPath }), /in\.jsonl:1: "theme"/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('grouping: no top group above 25 % of its scope, an « Autres » rest, sub-ideas under 60 % of their parent; each criterion deterministic', () => {
  // one theme (the largest of the made-up data) as the scope: several ideas, none saying the same thing verbatim
  const theme = SYN.filter((c) => c.theme === SYN[0]?.theme).map((c) => ({ id: c.id, text: c.text }));
  const odd = [{ id: 'zz1', text: 'Quantum chromodynamics lattice gauge bosons' }, { id: 'zz2', text: 'Photosynthèse des algues vertes en Antarctique' }];
  const items = [...theme, ...odd];
  for (const criterion of ['phrase', 'stability', 'silhouette'] as const) {
    const m = groupContributions(items, { seed: 5, criterion, ...AT });
    assert.equal(JSON.stringify(groupsOutput(m)), JSON.stringify(groupsOutput(groupContributions(items, { seed: 5, criterion, ...AT }))), `${criterion}: two runs identical`);
    const out = groupsOutput(m);
    const top = out.filter((g) => g.parent === null);
    assert.ok(top.filter((g) => !g.others).length >= 4, `${criterion}: ${top.length} top groups`);
    for (const g of top) if (!g.others) assert.ok(g.count <= Math.max(5, Math.floor(0.25 * items.length)), `${criterion}: ${g.id} holds ${g.count} of ${items.length}`);
    for (const g of top) {
      const subs = out.filter((s) => s.parent === g.id);
      if (subs.length >= 2) for (const s of subs) assert.ok(s.count <= Math.ceil(0.6 * g.count), `${criterion}: sub-idea ${s.id} holds ${s.count} of ${g.count}`);
    }
    if (criterion === 'phrase') {
      const others = top.find((g) => g.others);
      assert.ok(others && others.id === 'autres', 'an « Autres » group');
      for (const id of ['zz1', 'zz2']) assert.equal(topGroupOf(m, id), 'autres', `${id} fits no group`);
    }
  }
  // the cap is an option
  const tight = groupsOutput(groupContributions(items, { seed: 5, cap: 0.1, ...AT })).filter((g) => g.parent === null && !g.others);
  const usual = groupsOutput(groupContributions(items, { seed: 5, ...AT })).filter((g) => g.parent === null && !g.others);
  assert.ok(Math.max(...tight.map((g) => g.count)) < Math.max(...usual.map((g) => g.count)), 'a tighter cap gives smaller groups');
});

test('grouping: texts that really say one thing stay one group above the cap', () => {
  const same = Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, text: `Rouvrir la maternité de Saint-Laufon${i % 3 === 0 ? ' !' : ''}` }));
  const m = groupContributions(same, { seed: 1, ...AT });
  const top = groupsOutput(m).filter((g) => g.parent === null && !g.others);
  assert.equal(top.length, 1);
  assert.equal(top[0]?.count, 30);
});
