/**
 * Meeting times kept as printed, shown the French way (issue 16): every shape of the demo data and of the
 * workshop reports of ../shared/corpus, and texts that are not a time left as they are.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatMeetingTime } from '../src/domain/meeting.ts';

const ROOT = join(import.meta.dirname, '..');
const n = (s: string) => s.replace(/ (?=h|\d)/g, '\u00a0').replace(/ –\u00a0/g, ' – ');

test('the shapes of the demo data and of the briefs', () => {
  const cases: [string, string][] = [
    ['19H-22H', '19 h – 22 h'], ['18h00 à 20h30', '18 h – 20 h 30'], ['17H00 / 20H30', '17 h – 20 h 30'],
    ['14h00 à 17h00', '14 h – 17 h'], ['14h30-17h30', '14 h 30 – 17 h 30'], ['14H-17H', '14 h – 17 h'],
    ['17H30 / 20H00', '17 h 30 – 20 h'], ['14h30 - 17h', '14 h 30 – 17 h'], ['de 9h à 12h', '9 h – 12 h'],
    ['18h30', '18 h 30'], ['19h', '19 h'], ['  18H00 - 21H00 ', '18 h – 21 h'], ['10h30–12h30', '10 h 30 – 12 h 30'],
    ['9 h 30 à 11 h', '9 h 30 – 11 h'], ['14:30-16:00', '14 h 30 – 16 h'],
  ];
  for (const [printed, shown] of cases) assert.equal(formatMeetingTime(printed), n(shown), printed);
});

test('a text that is not a time is shown as printed', () => {
  for (const s of ['toute la journée', 'matin', '25h-27h', '18h75', '18h-20h puis 21h', 'NC', '']) assert.equal(formatMeetingTime(s), s.trim());
});

test('every time of the demo consultation and of the corpus workshop reports is read', () => {
  const printed = new Set<string>();
  const demo = JSON.parse(readFileSync(join(ROOT, 'demo', 'consultation.json'), 'utf8')) as { meetings?: { time?: string }[] };
  for (const m of demo.meetings ?? []) if (m.time) printed.add(m.time);
  const dirs = [join(ROOT, 'demo', 'ateliers'), join(ROOT, '..', 'shared', 'corpus')];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => /\.(txt|md)$/.test(x) && x !== 'README.md')) {
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/^\s*(?:Horaires?|Heures?)\s*:\s*(.+?)\s*$/gimu)) printed.add(m[1]!);
    }
  }
  assert.ok(printed.size >= 5, `times found: ${[...printed].join(' | ')}`);
  for (const p of printed) {
    const shown = formatMeetingTime(p);
    assert.match(shown, /^\d{1,2}\u00a0h(?:\u00a0\d{2})?(?: – \d{1,2}\u00a0h(?:\u00a0\d{2})?)?$/u, `« ${p} » → « ${shown} »`);
  }
});

test('dates and times of the web app: « 1ᵉʳ », the time in France written « 6 h 10 »', async () => {
  const { formatDate, formatDateTime } = await import('../web/src/labels.ts');
  assert.equal(formatDate('2026-12-01'), '1ᵉʳ décembre 2026');
  assert.equal(formatDate('2022-10-25'), '25 octobre 2022');
  assert.equal(formatDateTime('2026-12-02T05:10:44Z'), '2 décembre 2026 à 6\u00a0h\u00a010');
  assert.equal(formatDateTime('2027-03-01T13:00:00Z'), '1ᵉʳ mars 2027 à 14\u00a0h');
  assert.equal(formatDateTime('2026-07-31T22:30:00Z'), '1ᵉʳ août 2026 à 0\u00a0h\u00a030');
  assert.equal(formatDateTime('pas une date'), 'pas une date');
});

test('the web app writes dates through formatDate or formatDateTime (web/src/labels.ts), never with its own format', () => {
  const files = (function list(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
  })(join(ROOT, 'web', 'src'));
  // IndicatorChart: the short month (« 15 nov. 2026 ») of a bar's label on a phone, with « 1ᵉʳ » too; the table beside it uses formatDate
  const allowed = new Set(['labels.ts', 'IndicatorChart.tsx']);
  const found = files.filter((f) => !allowed.has(f.split('/').pop()!))
    .filter((f) => /toLocaleDateString|toLocaleTimeString|Intl\.DateTimeFormat|new Date\([^)]*\)\.toLocaleString/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(found, []);
});
