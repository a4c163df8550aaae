// Synthesis of the real Nouvelle-Aquitaine report: regional roll-up and every département restitution,
// in every format. Skips with a notice when the corpus or the workshop parser is absent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { Store } from '../src/store/store.ts';
import {
  SYNTHESIS_FORMATS, buildSynthesis, chromiumAvailable, launchBrowser, renderHtml, renderMarkdown, renderSynthesis, verifySynthesis, type SynthesisDocument,
} from '../src/synthesis/index.ts';
import { quoteKey } from '../src/synthesis/quotes.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS_NAME = 'cnr-sante-nouvelle-aquitaine-ateliers.txt';
const FILE = join(CORPUS_DIR, CORPUS_NAME);
const PARSER = join(ROOT, 'src', 'ingest', 'parsers', 'cnr-ateliers.ts');

function parserLanded(): boolean {
  if (!existsSync(PARSER) || !existsSync(join(ROOT, 'src', 'ingest', 'parsers', 'index.ts'))) return false;
  try {
    return execFileSync('git', ['log', '--oneline', '-1', '--', 'src/ingest/parsers/cnr-ateliers.ts'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
  } catch {
    return true; // not a git checkout (e.g. a source archive): the file is there
  }
}

const skip = corpusSkip(CORPUS_NAME) || (!parserLanded() ? 'parseur cnr-ateliers absent' : false);
if (skip) console.log(`# NOTICE: synthèses sur le corpus ignorées : ${skip}`);
if (!skip && !chromiumAvailable()) console.log('# NOTICE: chromium absent : le PDF n’est pas produit, les graphiques du DOCX sont omis');

const SLUG = 'cnr-na';

/** « Dr Dupont », « Mme Durand »: a title then a capitalised word, unless the word is a role (« Mme la Préfète » has no capital after the title). */
const TITLED_NAME = /\b(Dr|Mme|Docteur)\.?\s+([A-ZÉ][a-zé]+)/gu;
const ROLE_WORDS = new Set(['Maire', 'Préfet', 'Préfète', 'Députée', 'Député', 'Directrice', 'Directeur', 'Présidente', 'Président', 'Sénatrice', 'Sénateur', 'Ministre']);
function titledNames(text: string): string[] {
  return [...text.matchAll(TITLED_NAME)].filter((m) => !ROLE_WORDS.has(m[2]!)).map((m) => text.slice(Math.max(0, m.index! - 30), m.index! + m[0].length + 30));
}

describe('synthèses du rapport Nouvelle-Aquitaine', { skip }, () => {
  let store: Store;
  let browser: Browser | undefined;
  let text: string;
  const formats = SYNTHESIS_FORMATS.filter((f) => f !== 'pdf' || chromiumAvailable());

  before(async () => {
    const { parseDocument } = await import('../src/ingest/parsers/index.ts');
    store = await Store.open({ sqlitePath: ':memory:' });
    await store.upsertConsultation({ slug: SLUG, title: 'CNR Santé — ateliers de Nouvelle-Aquitaine', territory: '75', status: 'closed', themes: [...CNR_SANTE_THEMES] });
    const bytes = readFileSync(FILE);
    text = bytes.toString('utf8');
    await store.importParsed(SLUG, await parseDocument(bytes, 'cnr-sante-nouvelle-aquitaine-ateliers.txt', { consultation: SLUG }), { publishBy: 'analyste@test.invalid' });
    if (chromiumAvailable()) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await store?.close();
  });

  const renderAll = async (doc: SynthesisDocument) => {
    for (const f of formats) {
      const r = await renderSynthesis(store, doc, f, { ...(browser ? { browser } : {}), verify: { documentText: () => text } });
      assert.ok(r.bytes.length > 1000, `${doc.id} ${f}`);
    }
  };

  test('regional roll-up: contributions per theme equal the imported ones; stated totals become differences', async () => {
    const stats = await store.stats(SLUG);
    const doc = await buildSynthesis(store, { consultation: SLUG, level: 'region' });
    assert.equal(doc.territoryName, 'Nouvelle-Aquitaine');
    const fig = (k: string) => doc.figures.find((f) => f.key === k);
    assert.equal(fig('total')?.value, stats.contributions);
    assert.equal(fig('meetings')?.value, stats.meetings);
    for (const t of CNR_SANTE_THEMES) assert.equal(fig(`theme.${t.code}.total`)?.value, stats.byTheme[t.code] ?? 0, `thème ${t.code}`);
    // the report's own totals (workshops, contributions) are not copied: they are stated, with the difference
    const stated = doc.figures.filter((f) => f.rule.op === 'stated');
    assert.ok(stated.length >= 2, 'totaux annoncés repérés');
    for (const s of stated.filter((f) => f.label.startsWith('Contributions annoncées par'))) {
      const diff = doc.figures.find((f) => f.rule.op === 'difference' && f.rule.subtrahend === s.key)!;
      assert.equal(diff.value, stats.contributions - s.value);
    }
    const v = await verifySynthesis(store, doc, { documentText: () => text });
    assert.deepEqual(v.failures, []);
    await renderAll(doc);
  });

  test('no restitution names a person after a title, and none quotes a text twice (region and every département)', async () => {
    const meetings = await store.listMeetings(SLUG);
    const depts = [...new Set(meetings.map((m) => m.territory).filter((d): d is string => !!d))].sort();
    const docs = [await buildSynthesis(store, { consultation: SLUG, level: 'region' })];
    for (const d of depts) docs.push(await buildSynthesis(store, { consultation: SLUG, level: 'departement', territory: d }));
    // the source does name people this way: the check below is not vacuous
    assert.ok(titledNames(text).length >= 10);
    for (const doc of docs) {
      for (const [format, out] of [['html', renderHtml(doc)], ['md', renderMarkdown(doc)], ['json', JSON.stringify(doc)]] as const) {
        assert.deepEqual(titledNames(out), [], `${doc.id} ${format}`);
      }
      const keys = doc.quotes.map((q) => quoteKey(q.text));
      const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
      assert.deepEqual(twice, [], `${doc.id} : citations en double`);
      assert.ok(doc.quotes.length > 10, doc.id);
    }
  });

  test('each département restitution verifies and renders in every format; they add up to the region', async () => {
    const meetings = await store.listMeetings(SLUG);
    const depts = [...new Set(meetings.map((m) => m.territory).filter((d): d is string => !!d))].sort();
    assert.ok(depts.length >= 8, `départements : ${depts.join(', ')}`);
    let sum = 0;
    for (const d of depts) {
      const doc = await buildSynthesis(store, { consultation: SLUG, level: 'departement', territory: d });
      const n = doc.figures.find((f) => f.key === 'total')!.value;
      assert.ok(n > 0, d);
      assert.equal(doc.figures.find((f) => f.key === 'meetings')?.value, meetings.filter((m) => m.territory === d).length);
      sum += n;
      const v = await verifySynthesis(store, doc, { documentText: () => text });
      assert.deepEqual(v.failures, [], d);
      await renderAll(doc);
    }
    assert.equal(sum, (await store.stats(SLUG)).contributions);
  });
});
