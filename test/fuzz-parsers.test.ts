import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listParsers } from '../src/ingest/parsers/index.ts';
import { readText } from '../src/ingest/readers/text.ts';
import { ImportError } from '../src/ingest/types.ts';
import { mulberry32 as prng } from '../src/analysis/random.ts';

const CORPUS = new URL('../../shared/corpus/', import.meta.url).pathname;
const FILES = ['cnr-sante-nouvelle-aquitaine-ateliers.txt', 'cnr-sante-lot-synthese-restitution.txt',
  'cnr-sante-occitanie-synthese-restitution.txt', 'sts-lot-2023-2028.txt', 'sts-lozere-2023-2028.md'];
const MUTANTS_PER_FILE = Number(process.env.FUZZ_MUTANTS ?? 600);


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

for (const file of FILES) {
  const path = join(CORPUS, file);
  test(`fuzz: ${MUTANTS_PER_FILE} mutants of ${file} through every parser`, {
    skip: existsSync(path) ? false : `corpus absent (${CORPUS}) : test ignoré`,
    timeout: 300_000,
  }, (t) => {
    const lines = readFileSync(path, 'utf8').split('\n');
    const parsers = listParsers();
    let parsedOk = 0;
    let refused = 0;
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
        try {
          const parsed = parser.parse(doc, { documentId: 'f'.repeat(64), fileName: file, mediaType: 'text/plain', sizeBytes: text.length, consultation: 'fuzz' });
          for (const c of parsed.contributions) assert.equal(typeof c.text, 'string');
          parsedOk++;
        } catch (e) {
          if (!(e instanceof ImportError)) throw new Error(`${parser.name} crashed on seed ${seed}: ${(e as Error).stack}`);
          refused++;
        }
      }
    }
    t.diagnostic(`${file}: ${parsedOk} parses, ${refused} refus propres`);
  });
}
