/** The parse pool on its own: what comes back from a worker is what parseBytes returns; the queue is bounded. */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { parseBytes } from '../src/ingest/import-file.ts';
import { ParsePool } from '../src/ingest/parse-pool.ts';
import { ImportError } from '../src/ingest/types.ts';
import { contributionsCsv } from './helpers/multipart.ts';

test('le document analysé dans un fil d’exécution est identique à celui analysé sur place ; file d’attente bornée', async () => {
  const options = { consultation: 'essai', themes: CNR_SANTE_THEMES.map((x) => ({ ...x, keywords: [...x.keywords] })) };
  const pool = new ParsePool({ concurrency: 1, maxQueued: 1 });
  try {
    // more contributions than one message carries, and a real workbook
    const csv = Buffer.from(contributionsCsv(2500));
    const xlsx = new Uint8Array(await readFile(new URL('../demo/contributions-en-ligne.xlsx', import.meta.url)));
    const running = [pool.parse(csv, 'contributions.csv', options), pool.parse(xlsx, 'contributions-en-ligne.xlsx', options)];
    // one file parsing, one waiting: a third is refused at once
    await assert.rejects(pool.parse(csv, 'encore.csv', options), (e: unknown) => e instanceof ImportError && e.code === 'import.busy' && /réessayez/.test(e.message));
    const [fromCsv, fromXlsx] = await Promise.all(running);
    assert.equal(fromCsv!.contributions.length, 2500);
    assert.deepEqual(fromCsv, await parseBytes(csv, 'contributions.csv', options));
    assert.deepEqual(fromXlsx, await parseBytes(xlsx, 'contributions-en-ligne.xlsx', options));
    assert.equal(csv.length, Buffer.byteLength(contributionsCsv(2500)), 'the caller keeps its bytes');
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.parse(Buffer.from('Texte\nA\n'), 'a.csv', options), /Le serveur s’arrête/);
});
