import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HumanSynthesisItem, SourceRef } from '../src/domain/index.ts';
import { isRunningHeader, squashForComparison } from '../src/ingest/clean.ts';
import { DETECT_THRESHOLD, listParsers } from '../src/ingest/parsers/index.ts';
import { readText } from '../src/ingest/readers/text.ts';
import type { ReadDocument } from '../src/ingest/readers/types.ts';
import { ImportError, type ParsedDocument } from '../src/ingest/types.ts';
import { mulberry32 as prng } from '../src/analysis/random.ts';
import { CORPUS_DIR, IN_CI, corpusSkip } from './helpers/corpus.ts';

const FILES = ['cnr-sante-nouvelle-aquitaine-ateliers.txt', 'cnr-sante-lot-synthese-restitution.txt',
  'cnr-sante-occitanie-synthese-restitution.txt', 'sts-lot-2023-2028.txt', 'sts-lozere-2023-2028.md'];
/** A quick local run by default; CI (CI=true) runs the full count. FUZZ_MUTANTS overrides both. */
const MUTANTS_PER_FILE = Number(process.env.FUZZ_MUTANTS ?? (IN_CI ? 600 : 40));
/** Files whose shape a parser recognises: some of their mutants must still parse into something. */
const RECOGNISED = new Set(FILES.slice(0, 3));

const GARBAGE = ['\u0000', '\uFFFD', '\uF0B7', '\uF0E0', 'Thématique 9 :', 'Total', 'NC', '2.9.9 ', 'Lieu :', 'Jour : 31/02/22',
  '"', '’', ' ', '\t', '\r', '99999999999999999999', '<script>', '😀', 'Participants', 'Synthèse départementale', '- '];

/** A mutant: the document or a random window of it, of the document with lines deleted, duplicated, swapped, cut or spiked. */
function mutate(lines: string[], rnd: () => number): string {
  // Half the mutants keep the whole document so parsers get past detection and into their depths.
  const whole = rnd() < 0.5;
  const start = whole ? 0 : Math.floor(rnd() * lines.length);
  const len = whole ? lines.length : 50 + Math.floor(rnd() * 1500);
  const out = lines.slice(start, start + len);
  const ops = 1 + Math.floor(rnd() * 12);
  for (let i = 0; i < ops && out.length > 0; i++) {
    const at = Math.floor(rnd() * out.length);
    switch (Math.floor(rnd() * 6)) {
      case 0: out.splice(at, 1 + Math.floor(rnd() * 20)); break;
      case 1: out.splice(at, 0, ...out.slice(at, at + 1 + Math.floor(rnd() * 20))); break;
      case 2: { const j = Math.floor(rnd() * out.length); [out[at], out[j]] = [out[j]!, out[at]!]; break; }
      case 3: out[at] = out[at]!.slice(0, Math.floor(rnd() * out[at]!.length)); break;
      case 4: out[at] = GARBAGE[Math.floor(rnd() * GARBAGE.length)]! + out[at]; break;
      default: out.splice(at, 0, GARBAGE[Math.floor(rnd() * GARBAGE.length)]!.repeat(1 + Math.floor(rnd() * 5)));
    }
  }
  return out.join('\n');
}

/**
 * A span lies inside its document: lines within the document, chars within the text, and the
 * chars within the lines they name. Returns the span's text.
 */
function checkSpan(doc: ReadDocument, s: SourceRef, what: string): string {
  assert.ok(s.lineStart !== undefined && s.lineEnd !== undefined && s.charStart !== undefined && s.charEnd !== undefined,
    `${what}: a text source has line and char positions`);
  assert.ok(s.lineStart >= 1 && s.lineStart <= s.lineEnd && s.lineEnd <= doc.lines.length, `${what}: lines ${s.lineStart}-${s.lineEnd} inside 1-${doc.lines.length}`);
  assert.ok(s.charStart >= 0 && s.charStart <= s.charEnd && s.charEnd <= doc.text.length, `${what}: chars ${s.charStart}-${s.charEnd} inside 0-${doc.text.length}`);
  const first = doc.lines[s.lineStart - 1]!;
  const last = doc.lines[s.lineEnd - 1]!;
  assert.ok(first.charStart <= s.charStart && s.charEnd <= last.charEnd, `${what}: chars inside lines ${s.lineStart}-${s.lineEnd}`);
  return doc.text.slice(s.charStart, s.charEnd);
}

/** Every contribution's span holds its raw text; every synthesis item's span holds its quotes. */
function checkProvenance(doc: ReadDocument, parsed: ParsedDocument, where: string): void {
  for (const c of parsed.contributions) {
    assert.equal(typeof c.text, 'string');
    const slice = checkSpan(doc, c.source, `${where} ${c.id}`);
    assert.equal(slice, c.rawText ?? c.text, `${where} ${c.id}: its span holds its raw text`);
  }
  const walk = (item: HumanSynthesisItem) => {
    checkSpan(doc, item.source, `${where} « ${item.label.slice(0, 30)} »`);
    const lines = doc.lines.slice(item.source.lineStart! - 1, item.source.lineEnd).filter((l) => !isRunningHeader(l.text));
    const squashed = squashForComparison(lines.map((l) => l.text).join('\n'));
    for (const q of item.quotes) assert.ok(squashed.includes(squashForComparison(q)), `${where}: quote inside its item's span: ${q.slice(0, 40)}`);
    item.children.forEach(walk);
  };
  parsed.syntheses.forEach(walk);
}

for (const file of FILES) {
  test(`fuzz: ${MUTANTS_PER_FILE} mutants of ${file} through every parser`, {
    skip: corpusSkip(file),
    timeout: 300_000,
  }, (t) => {
    const lines = readFileSync(join(CORPUS_DIR, file), 'utf8').split('\n');
    const parsers = listParsers();
    let parsedOk = 0;
    let refused = 0;
    let recognisedWithContent = 0;
    for (let seed = 1; seed <= MUTANTS_PER_FILE; seed++) {
      const text = mutate(lines, prng(seed * 7919 + file.length));
      let doc;
      try {
        doc = readText(new TextEncoder().encode(text), file);
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        refused++; // empty or binary-looking mutant: refused by the reader, as it should be
        continue;
      }
      for (const parser of parsers) {
        const confidence = parser.detect(doc);
        assert.ok(confidence >= 0 && confidence <= 1, `${parser.name} detect out of range (seed ${seed})`);
        let parsed: ParsedDocument;
        try {
          parsed = parser.parse(doc, { documentId: 'f'.repeat(64), fileName: file, mediaType: 'text/plain', sizeBytes: text.length, consultation: 'fuzz' });
        } catch (e) {
          if (!(e instanceof ImportError)) throw new Error(`${parser.name} crashed on seed ${seed}: ${(e as Error).stack}`);
          refused++;
          continue;
        }
        checkProvenance(doc, parsed, `${parser.name}, seed ${seed}`);
        parsedOk++;
        if (confidence >= DETECT_THRESHOLD && parsed.contributions.length + parsed.syntheses.length > 0) recognisedWithContent++;
      }
    }
    t.diagnostic(`${file}: ${parsedOk} parses (${recognisedWithContent} recognised, with content), ${refused} refus propres`);
    if (RECOGNISED.has(file)) assert.ok(recognisedWithContent > 0, `${file}: at least one mutant is recognised and parses into contributions or syntheses`);
  });
}
