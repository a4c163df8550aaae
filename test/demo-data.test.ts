import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadConsultationFile } from '../src/ingest/consultation-file.ts';
import { parseTabular } from '../src/ingest/tabular/index.ts';
import { onlineCsv, onlineRows, paperRows, paperXlsx } from '../scripts/make-demo-data.ts';

const CSV = 'demo/contributions-en-ligne.csv';
const XLSX = 'demo/contributions-en-ligne.xlsx';

test('the committed demo files are what the generator builds (deterministic)', async () => {
  assert.ok(onlineCsv(onlineRows()).equals(await readFile(CSV)), 'régénérer avec : npx tsx scripts/make-demo-data.ts');
  assert.ok((await paperXlsx(paperRows())).equals(await readFile(XLSX)), 'régénérer avec : npx tsx scripts/make-demo-data.ts');
});

test('demo contributions import with themes, duplicates, a campaign and no personal data', async () => {
  const { consultation } = await loadConsultationFile('demo/consultation.json');
  const opts = { consultation: 'demo', themes: consultation.themes };
  const raw = await readFile(CSV);
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(raw), 'le CSV est en Windows-1252');
  const online = await parseTabular(raw, 'contributions-en-ligne.csv', opts);
  const paper = await parseTabular(await readFile(XLSX), 'contributions-en-ligne.xlsx', opts);
  assert.ok(online.contributions.length >= 280 && online.contributions.length <= 320, String(online.contributions.length));
  assert.ok(paper.contributions.length >= 140 && paper.contributions.length <= 170, String(paper.contributions.length));
  const all = [...online.contributions, ...paper.contributions];
  for (const code of ['1', '2', '3', '4', 'sante-mentale-jeunes']) {
    assert.ok(all.filter((c) => c.themes.some((t) => t.theme === code)).length >= 30, `thème ${code}`);
  }
  assert.ok(all.filter((c) => c.themes.length === 0).length >= 5, 'quelques contributions sans thème');
  const counts = new Map<string, number>();
  for (const c of all) counts.set(c.text, (counts.get(c.text) ?? 0) + 1);
  assert.ok([...counts.values()].filter((n) => n > 1).length >= 3, 'doublons exacts');
  assert.ok(all.filter((c) => /^non à la fermeture des urgences de nuit/i.test(c.text)).length >= 10, 'campagne de copier-coller');
  assert.ok(all.every((c) => c.date && c.date >= '2022-10-01' && c.date < '2022-12-01'));
  assert.ok(new Set(all.map((c) => c.text.length > 400)).size === 2, 'longueurs variées');
  for (const c of all) {
    assert.doesNotMatch(c.text, /@|https?:/);
    if (c.authorPseudonym) assert.match(c.authorPseudonym, /^[A-Za-z]+_\d{4}$/);
  }
});
