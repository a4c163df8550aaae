/**
 * Issue 9 points 2 and 7: exports carry the pseudonymised text (originals only when asked for), and CSV
 * cells a spreadsheet would read as a formula are escaped with a leading ' (OWASP).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import Papa from 'papaparse';
import type { Contribution } from '../src/domain/index.ts';
import { CSV_COLUMNS, csvHeader, toCsvRecord, toExported } from '../src/store/export.ts';

function contribution(text: string, extra: Partial<Contribution> = {}): Contribution {
  return {
    id: 'doc:r2', consultation: 'essai', channel: 'import_tableur', text, themes: [], moderation: { status: 'pending' },
    source: { documentId: 'doc', file: 'essai.csv', row: 2 }, ...extra,
  };
}

const cells = (line: string) => Papa.parse<string[]>(line, { delimiter: ';' }).data[0]!;
const textColumn = CSV_COLUMNS.indexOf('text');

test('CSV : une cellule qui commencerait une formule est préfixée d’une apostrophe', () => {
  const dangerous = ['=HYPERLINK("http://exemple.invalid","clic")', '+33 rappel', '-2+3', '@SUM(A1:A9)', '\tcmd', '\r=1+1', '=1+1\nsuite'];
  for (const text of dangerous) {
    const line = toCsvRecord(contribution(text));
    assert.equal(cells(line)[textColumn], `'${text}`, JSON.stringify(text));
  }
  // other columns too (a category or a pseudonym comes from the imported file)
  const line = toCsvRecord(contribution('Texte ordinaire', { category: '=cmd|/C calc', authorPseudonym: '@moi' }));
  assert.equal(cells(line)[CSV_COLUMNS.indexOf('category')], "'=cmd|/C calc");
  assert.equal(cells(line)[CSV_COLUMNS.indexOf('author_pseudonym')], "'@moi");
  // ordinary texts are unchanged
  assert.equal(cells(toCsvRecord(contribution('Plus de médecins, vite !')))[textColumn], 'Plus de médecins, vite !');
  assert.equal(cells(toCsvRecord(contribution('Coût : 3 - 2 = 1')))[textColumn], 'Coût : 3 - 2 = 1');
});

test('export : le texte public (pseudonymisé), l’original seulement sur demande', () => {
  // a row stored before every channel was masked is masked again on the way out
  const legacy = contribution('Appelez Mme Josiane Fictivo au 06 11 22 33 44');
  const exported = toExported(legacy);
  assert.ok(!exported.text.includes('Fictivo') && !exported.text.includes('06 11'), exported.text);
  assert.ok(!('originalText' in exported));
  assert.ok(!toCsvRecord(legacy).includes('Fictivo'));
  assert.equal(cells(csvHeader()).length, CSV_COLUMNS.length);
  // explicitly asked for: the original, as a last column
  assert.equal(toExported(legacy, 'texte d’origine').originalText, 'texte d’origine');
  assert.deepEqual(cells(csvHeader(true)).slice(-1), ['original_text']);
  assert.equal(cells(toCsvRecord(legacy, '=texte d’origine')).slice(-1)[0], "'=texte d’origine");
});
