import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Provenance } from '../src/domain/contribution.ts';
import { analysisContributions, writeModelResults } from '../src/store/analysis.ts';
import { Store } from '../src/store/index.ts';
import { testConsultation, testDocument } from './helpers/fixtures.ts';

const model = (p: number): Provenance => ({ by: 'model', model: 'essai', version: '1', probability: p, at: '2026-12-01T00:00:00Z' });

test('model results are written in chunks with the same rules: never over a source theme or kind, earlier model themes replaced', async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation());
    const doc = testDocument(Array.from({ length: 11 }, (_, i) => `Contribution d’essai numéro ${i + 1} sur les urgences`));
    doc.contributions.forEach((c, i) => {
      if (i % 2) c.themes = []; // even ones keep their source theme ((i % 4) + 1)
      if (i >= 6) delete c.kind; // 0..5 keep their source kind
    });
    await store.importParsed('essai', doc);
    const ids = doc.contributions.map((c) => c.id);
    const themes = ids.map((id, i) => ({ contribution: id, assignments: [{ theme: String((i % 4) + 1), provenance: model(0.9) }, { theme: '4', provenance: model(0.6) }] }));
    const kinds = ids.map((id) => ({ contribution: id, kind: 'temoignage' as const, provenance: model(0.7) }));
    const write = (chunk: number) => store.db.transaction().execute((trx) => writeModelResults(trx, themes, kinds, chunk));
    const first = await write(3);
    // even i: the source pair ((i % 4) + 1, never '4') is kept and only '4' is written; odd i: two themes, one when
    // (i % 4) + 1 is '4' itself (a statement may not write a pair twice)
    const perContribution = (i: number) => (i % 2 === 0 ? 1 : i % 4 === 3 ? 1 : 2);
    const expected = ids.reduce((n, _, i) => n + perContribution(i), 0);
    assert.deepEqual(first, { themes: expected, kinds: 5 });
    // a rerun replaces the model themes instead of adding to them, and rewrites the model kinds
    assert.deepEqual(await write(4), first);
    const read = await analysisContributions(store, 'essai', 4);
    assert.deepEqual(read.map((c) => c.id), ids, 'store order, across pages');
    read.forEach((c, i) => {
      const bySource = c.themes.filter((t) => t.provenance.by === 'source').map((t) => t.theme);
      assert.deepEqual(bySource, i % 2 ? [] : [String((i % 4) + 1)]);
      assert.equal(c.themes.length, i % 2 === 0 ? 2 : perContribution(i));
      assert.equal(c.kind, i >= 6 ? 'temoignage' : doc.contributions[i]!.kind);
      assert.equal(c.kindProvenance?.by ?? 'source', i >= 6 ? 'model' : 'source');
    });
  } finally {
    await store.close();
  }
});
