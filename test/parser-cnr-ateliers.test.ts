import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunningHeader, squashForComparison } from '../src/ingest/clean.ts';
import { cnrAteliersParser } from '../src/ingest/parsers/cnr-ateliers.ts';
import { parseFrenchDate } from '../src/text/french.ts';
import { linesToDocument, type ReadDocument } from '../src/ingest/readers/types.ts';
import { readText } from '../src/ingest/readers/text.ts';
import { ImportError, type ParsedDocument } from '../src/ingest/types.ts';
import type { HumanSynthesisItem, SourceRef } from '../src/domain/index.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';

const CORPUS_NAME = 'cnr-sante-nouvelle-aquitaine-ateliers.txt';
const CORPUS_FILE = join(CORPUS_DIR, CORPUS_NAME);
const SKIP = corpusSkip(CORPUS_NAME);
const DOC_ID = 'f'.repeat(64);

let cached: { doc: ReadDocument; parsed: ParsedDocument } | undefined;
function corpus(): { doc: ReadDocument; parsed: ParsedDocument } {
  if (!cached) {
    const bytes = readFileSync(CORPUS_FILE);
    const doc = readText(bytes, 'na.txt');
    const parsed = cnrAteliersParser.parse(doc, { documentId: DOC_ID, fileName: 'na.txt', mediaType: 'text/plain', sizeBytes: bytes.length, consultation: 'cnr-na' });
    cached = { doc, parsed };
  }
  return cached;
}

function refOf(parsed: ParsedDocument, meetingId: string | undefined): string | undefined {
  return parsed.meetings.find((m) => m.id === meetingId)?.ref;
}

/** Number of contributions of one section, by "theme/kind". */
function countsOf(parsed: ParsedDocument, ref: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of parsed.contributions) {
    if (refOf(parsed, c.meeting) !== ref) continue;
    const k = `T${c.themes[0]?.theme}/${c.kind}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

test('corpus: 8 départements and 29 meeting sections with their refs', { skip: SKIP }, () => {
  const { parsed } = corpus();
  assert.equal(parsed.parser, 'cnr-ateliers');
  assert.deepEqual([...new Set(parsed.meetings.map((m) => m.territory))], ['16', '17', '19', '23', '24', '33', '40', '47']);
  assert.deepEqual(parsed.meetings.map((m) => m.ref), [
    '2.1.2', '2.1.3', '2.1.4', '2.2.2', '2.2.3', '2.2.4', '2.3.2', '2.3.3', '2.3.4', '2.3.5', '2.4.2', '2.4.3', '2.4.4',
    '2.5.2', '2.5.3', '2.5.4', '2.5.5', '2.6.2', '2.6.3', '2.6.4', '2.6.5', '2.6.6', '2.6.7', '2.7.2', '2.7.3', '2.7.4',
    '2.8.2', '2.8.3', '2.8.4']);
  const kinds = parsed.meetings.filter((m) => m.kind === 'reunion_departementale').map((m) => m.ref);
  assert.deepEqual(kinds, ['2.3.2', '2.4.2']);
});

test('corpus: meeting fields as printed', { skip: SKIP }, () => {
  const { parsed } = corpus();
  const m = (ref: string) => parsed.meetings.find((x) => x.ref === ref)!;
  assert.equal(m('2.1.3').place, 'Cognac');
  assert.equal(m('2.1.3').date, '2022-11-21');
  assert.equal(m('2.1.3').dateText, '21/11/22');
  assert.equal(m('2.1.3').time, '19H-22H');
  assert.equal(m('2.5.3').date, '2022-12-01');
  assert.equal(m('2.5.4').date, undefined); // "Jeudi 17 novembre": no year
  assert.equal(m('2.5.4').dateText, 'Jeudi 17 novembre');
  assert.equal(m('2.8.3').time, '17H00 / 20H30');
  assert.equal(m('2.3.2').place, undefined);
  assert.equal(m('2.3.2').date, '2022-12-09');
  assert.ok((m('2.1.2').deroulement ?? '').length > 50);
});

// Participants read by hand from the printed tables (order: élus, institutionnels, professionnels,
// associations, usagers, autres, total; null = NC or blank).
const PARTICIPANTS: Record<string, (number | null)[]> = {
  '2.1.2': [11, 6, 9, 5, 6, 18, 55],
  '2.1.3': [19, 8, 13, 0, 0, 5, 45],
  '2.1.4': [8, 1, 7, 4, 0, 1, 21],
  '2.2.2': [3, 5, 11, 3, 0, null, 22], // "Autres" left blank
  '2.3.4': [null, null, null, null, null, null, null], // all NC
  '2.5.2': [null, null, null, null, null, null, 101], // colleges NC, total printed
  '2.5.4': [73, 0, 18, 6, 7, 0, 105], // sum 104
  '2.6.2': [14, 13, 46, 32, 6, 0, 73], // sum 111
  '2.7.4': [25, 9, 44, 5, 7, null, 90], // "Autres" blank
  '2.8.4': [19, 5, 18, 12, 3, 0, 54], // sum 57
};

test('corpus: participants exactly as printed for 10 sections', { skip: SKIP }, () => {
  const { parsed } = corpus();
  for (const [ref, expected] of Object.entries(PARTICIPANTS)) {
    const p = parsed.meetings.find((x) => x.ref === ref)!.participants;
    assert.deepEqual([p.elus, p.institutionnels, p.professionnels, p.associations, p.usagers, p.autres, p.total], expected, ref);
  }
});

// Counted by hand from the printed document, section by section (first-level bullets, plus each
// "- " item; a first-level line ending with ":" that only introduces "- " items is not counted).
const HAND_COUNTS: Record<string, Record<string, number>> = {
  '2.1.2': { 'T1/constat': 1, 'T1/proposition': 15, 'T2/proposition': 6, 'T3/proposition': 5, 'T4/constat': 1, 'T4/proposition': 9 },
  '2.1.3': { 'T1/constat': 3, 'T1/proposition': 10, 'T1/levier_frein': 4, 'T2/constat': 1, 'T2/proposition': 4, 'T2/levier_frein': 3,
    'T3/constat': 1, 'T3/proposition': 4, 'T3/levier_frein': 1 },
  '2.1.4': { 'T1/constat': 2, 'T1/proposition': 20, 'T1/levier_frein': 3, 'T2/constat': 1, 'T2/proposition': 10, 'T2/levier_frein': 3,
    'T3/constat': 1, 'T3/proposition': 7, 'T3/levier_frein': 3, 'T4/constat': 1, 'T4/proposition': 5, 'T4/levier_frein': 2 },
  '2.3.3': { 'T1/proposition': 3, 'T1/levier_frein': 16, 'T2/proposition': 1, 'T4/constat': 1, 'T4/proposition': 3, 'T4/levier_frein': 1 },
  '2.3.4': { 'T1/constat': 2, 'T1/proposition': 1, 'T1/levier_frein': 18, 'T3/proposition': 7 },
  '2.4.4': { 'T1/constat': 3, 'T1/proposition': 3, 'T1/levier_frein': 7 },
};

test('corpus: contributions per section, theme and block match the hand counts', { skip: SKIP }, () => {
  const { parsed } = corpus();
  for (const [ref, expected] of Object.entries(HAND_COUNTS)) assert.deepEqual(countsOf(parsed, ref), expected, ref);
});

test('corpus: "- " items under a lead are separate contributions with the lead as category', { skip: SKIP }, () => {
  const { parsed } = corpus();
  const tulle = parsed.contributions.filter((c) => refOf(parsed, c.meeting) === '2.3.4' && c.category === 'Aides financières');
  assert.equal(tulle.length, 3);
  assert.ok(tulle.every((c) => c.kind === 'levier_frein' && c.themes[0]?.theme === '1'));
});

test('corpus: every contribution’s theme is the "Thématique N" heading above it', { skip: SKIP }, () => {
  const { doc, parsed } = corpus();
  for (const c of parsed.contributions) {
    const line = c.source.lineStart!;
    let heading: string | undefined;
    for (let i = line - 1; i >= 1 && heading === undefined; i--) {
      const t = doc.lines[i - 1]!.text;
      const m = /^\s{0,3}Thématique\s+(\d+)\s*:/.exec(t);
      if (m) heading = m[1];
      if (/^\s{0,3}2\.\d+\.\d+\s/.test(t)) break;
    }
    assert.equal(c.themes[0]?.theme, heading, `${c.id} line ${line}`);
    assert.deepEqual(c.themes[0]?.provenance, { by: 'source', documentId: DOC_ID, detail: `Thématique ${heading}` });
    assert.equal(c.channel, 'atelier');
    assert.equal(c.moderation.status, 'published');
  }
});

function checkSpan(doc: ReadDocument, s: SourceRef, what: string): string {
  assert.ok(s.charStart !== undefined && s.charEnd !== undefined && s.lineStart !== undefined && s.lineEnd !== undefined, what);
  const first = doc.lines[s.lineStart - 1]!;
  const last = doc.lines[s.lineEnd - 1]!;
  assert.ok(first.charStart <= s.charStart && s.charEnd <= last.charEnd && s.charStart <= s.charEnd, `${what}: lines cover chars`);
  assert.equal(s.page, first.page);
  // the slice without running headers, squashed for comparison with cleaned text
  return squashForComparison(doc.lines.slice(s.lineStart - 1, s.lineEnd).filter((l) => !isRunningHeader(l.text)).map((l) => l.text).join('\n'));
}

test('corpus: provenance of every contribution and every synthesis item', { skip: SKIP }, () => {
  const { doc, parsed } = corpus();
  for (const c of parsed.contributions) {
    const squashed = checkSpan(doc, c.source, c.id);
    const slice = doc.text.slice(c.source.charStart, c.source.charEnd);
    assert.ok(c.rawText !== undefined && slice.includes(c.rawText), `${c.id}: raw text inside its span`);
    assert.ok(squashed.includes(squashForComparison(c.text)), `${c.id}: clean text comes from its span`);
  }
  let n = 0;
  const walk = (item: HumanSynthesisItem) => {
    n++;
    const squashed = checkSpan(doc, item.source, item.label);
    assert.ok(squashed.includes(squashForComparison(item.label)) || item.label.includes('—') || /^(Ateliers organisés|Contributions par)/.test(item.label),
      `synthesis label from its span: ${item.label}`);
    for (const q of item.quotes) assert.ok(squashed.includes(squashForComparison(q)), `quote from its span: ${q.slice(0, 40)}`);
    item.children.forEach(walk);
  };
  parsed.syntheses.forEach(walk);
  assert.ok(n > 500);
});

test('corpus: syntheses are not contributions', { skip: SKIP }, () => {
  const { parsed } = corpus();
  assert.equal(parsed.syntheses.length, 9); // regional + 8 synthèses départementales
  assert.equal(parsed.syntheses[0]!.label, 'Synthèse régionale');
  const charente = parsed.syntheses[1]!;
  assert.match(charente.label, /Charente \(16\)/);
  assert.deepEqual(charente.children.map((c) => c.label.slice(0, 13)), ['Thématique 1 ', 'Thématique 2 ', 'Thématique 3 ', 'Thématique 4 ']);
  // no contribution comes from a synthesis section
  for (const c of parsed.contributions) assert.ok(c.source.lineStart! > 1290);
});

test('corpus: warnings', { skip: SKIP }, () => {
  const { parsed } = corpus();
  const codes = (code: string) => parsed.warnings.filter((w) => w.code === code);
  assert.deepEqual(codes('participants.total_mismatch').map((w) => w.message.match(/\((2\.\d\.\d)\)/)?.[1]), ['2.5.4', '2.6.2', '2.8.4']);
  assert.equal(codes('workshops.report_missing').length, 4); // 64, 79, 86, 87
  assert.equal(codes('totals.workshops_mismatch').length, 1);
  assert.equal(codes('totals.contributions_mismatch').length, 1);
  assert.deepEqual(codes('meeting.date_without_year').map((w) => w.source?.lineStart), [4686]);
  assert.ok(codes('participants.nc').length >= 9);
  for (const w of parsed.warnings) assert.ok(/[a-zéèàù]/.test(w.message) && !/\bundefined\b/.test(w.message), w.message);
});

test('corpus: totals per theme and per département (diagnostic)', { skip: SKIP }, (t) => {
  const { parsed } = corpus();
  const byTheme = new Map<string, number>();
  const byDept = new Map<string, number>();
  const byKind = new Map<string, number>();
  for (const c of parsed.contributions) {
    const th = c.themes[0]?.theme ?? '?';
    byTheme.set(th, (byTheme.get(th) ?? 0) + 1);
    byDept.set(c.territory ?? '?', (byDept.get(c.territory ?? '?') ?? 0) + 1);
    byKind.set(c.kind ?? '?', (byKind.get(c.kind ?? '?') ?? 0) + 1);
  }
  t.diagnostic(`contributions: ${parsed.contributions.length}`);
  t.diagnostic(`par thématique: ${[...byTheme].sort().map(([k, v]) => `T${k}=${v}`).join(' ')}`);
  t.diagnostic(`par département: ${[...byDept].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  t.diagnostic(`par nature: ${[...byKind].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  t.diagnostic(`avertissements: ${parsed.warnings.length}`);
  assert.equal([...byTheme.values()].reduce((a, b) => a + b, 0), parsed.contributions.length);
  // ids are unique and stable
  assert.equal(new Set(parsed.contributions.map((c) => c.id)).size, parsed.contributions.length);
  const again = cnrAteliersParser.parse(readText(readFileSync(CORPUS_FILE), 'na.txt'), { documentId: DOC_ID, fileName: 'na.txt', mediaType: 'text/plain', sizeBytes: 1, consultation: 'cnr-na' });
  assert.deepEqual(again.contributions.map((c) => c.id), parsed.contributions.map((c) => c.id));
});

// ---- made-up documents ----------------------------------------------------------------------

const MADE_UP = [
  '2.1 Exempleland (99)', '', '2.1.1 Synthèse départementale', '',
  'Thématique 1 : accès', '', 'Les ateliers ont tiré les constats suivants :', '',
  'Idée générale 3', '', ' Sous-idée une 2', '', ' Sous-idée deux qui est longue et qui passe à la ligne pour voir si',
  'la suite est bien rattachée 1', '',
  ' 2.1.2 Villebourg', '', 'Présentation de l’atelier', '', 'Lieu : Villebourg', '', 'Jour : Jeudi 17 novembre', '',
  'Horaires : 18h-20h"', '', 'Participants', '', 'Participants Nombre', '', 'Elus  4', '', 'Institutionnels : NC', '',
  'Professionnels de santé / médico-social : 3', '', 'Représentants d’associations : ', '', 'Usagers du système de santé : 2', '',
  'Autres 0', '', 'Total 10', '', 'Description du déroulement de la journée', '', 'Une soirée calme.', '',
  'Thématique 2 : continuité', '', 'Présentation des problématiques que les solutions envisagées ambitionnent de traiter', '',
  ' Un constat simple', '', 'Présentation des solutions et innovations co-construites par les parties prenantes', '',
  ' Aides financières : ', '', '- première aide', '- seconde aide qui continue', 'sur la ligne suivante', '',
  ' Une proposition isolée', '', 'Description des leviers qu’il serait nécessaire d’activer ou les freins à lever pour la mise en œuvre des',
  'projets.', '',
];

function madeUp(lines: string[] = MADE_UP): ParsedDocument {
  const doc = linesToDocument(lines.map((text) => ({ text })), 'text/plain');
  return cnrAteliersParser.parse(doc, { documentId: DOC_ID, fileName: 'essai.txt', mediaType: 'text/plain', sizeBytes: 1, consultation: 'essai' });
}

test('made-up report: meeting, items, leads, warnings', () => {
  const p = madeUp();
  assert.equal(p.meetings.length, 1);
  const m = p.meetings[0]!;
  assert.equal(m.ref, '2.1.2');
  assert.equal(m.territory, '99');
  assert.equal(m.time, '18h-20h');
  assert.equal(m.date, undefined);
  assert.deepEqual(m.participants, { elus: 4, institutionnels: null, professionnels: 3, associations: null, usagers: 2, autres: 0, total: 10 });
  assert.deepEqual(p.contributions.map((c) => [c.kind, c.category ?? null, c.text]), [
    ['constat', null, 'Un constat simple'],
    ['proposition', 'Aides financières', 'première aide'],
    ['proposition', 'Aides financières', 'seconde aide qui continue sur la ligne suivante'],
    ['proposition', null, 'Une proposition isolée'],
  ]);
  const codes = p.warnings.map((w) => w.code).sort();
  assert.deepEqual(codes, ['block.empty', 'meeting.date_without_year', 'participants.blank', 'participants.nc', 'participants.total_mismatch']);
  const synth = p.syntheses[0]!;
  const idea = synth.children[0]!.children[0]!.children[0]!;
  assert.equal(idea.label, 'Idée générale');
  assert.equal(idea.statedCount, 3);
  assert.deepEqual(idea.children.map((c) => [c.label, c.statedCount]), [
    ['Sous-idée une', 2], ['Sous-idée deux qui est longue et qui passe à la ligne pour voir si la suite est bien rattachée', 1]]);
});

test('not such a document: ImportError; detect is low', () => {
  const doc = linesToDocument([{ text: 'Bonjour' }, { text: 'Ceci est une lettre.' }], 'text/plain');
  assert.ok(cnrAteliersParser.detect(doc) < 0.5);
  assert.throws(() => cnrAteliersParser.parse(doc, { documentId: DOC_ID, fileName: 'x.txt', mediaType: 'text/plain', sizeBytes: 1, consultation: 'x' }), ImportError);
  assert.ok(cnrAteliersParser.detect(linesToDocument(MADE_UP.map((text) => ({ text })), 'text/plain')) >= 0.9);
});

test('made-up report: truncated, shuffled and spiked variants never throw', () => {
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const junk = ['', '- ', ' ', 'Total', 'NC', 'Thématique 9 :', '2.1.9 X', 'Ex : « ', '12', '\uF0B7', '"', 'Lieu :', 'Jour : 31/02/22'];
  for (let k = 0; k < 300; k++) {
    const lines = [...MADE_UP];
    for (let op = 0; op < 6; op++) {
      const at = Math.floor(rnd() * lines.length);
      const r = rnd();
      if (r < 0.3) lines.splice(at, 1);
      else if (r < 0.6) lines.splice(at, 0, junk[Math.floor(rnd() * junk.length)]!);
      else lines[at] = (lines[at] ?? '').slice(0, Math.floor(rnd() * 30));
    }
    try { madeUp(lines); } catch (e) { assert.ok(e instanceof ImportError, String(e)); }
  }
});

test('French dates', () => {
  assert.deepEqual(parseFrenchDate('Lundi 5 décembre 2022'), { iso: '2022-12-05', hasYear: true, ok: true });
  assert.deepEqual(parseFrenchDate('21/11/22'), { iso: '2022-11-21', hasYear: true, ok: true });
  assert.deepEqual(parseFrenchDate('Jeudi 1er décembre 2022'), { iso: '2022-12-01', hasYear: true, ok: true });
  assert.deepEqual(parseFrenchDate('Jeudi 17 novembre'), { hasYear: false, ok: true });
  assert.equal(parseFrenchDate('31/02/22').ok, false);
  assert.equal(parseFrenchDate('bientôt').ok, false);
});
