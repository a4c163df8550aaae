import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, truncateSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { COMMANDS } from '../src/cli/main.ts';
import { Store } from '../src/store/index.ts';
import { listIndicators } from '../src/store/indicators.ts';
import { walkIdeas, walkSections, type SynthesisDocument } from '../src/synthesis/index.ts';
import { runCli, spawnCli, type CliOutcome } from './helpers/cli.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** `fabrique …args` on the database file `db`, in this process (a few smoke tests below spawn the executable). */
function fabrique(db: string, ...args: string[]): Promise<CliOutcome> {
  return runCli(args, { FABRIQUE_DB: db });
}

async function counts(db: string): Promise<Record<string, number>> {
  const store = await Store.open({ sqlitePath: db });
  try { return await store.tableCounts(); } finally { await store.close(); }
}

test('every command of the table loads the module of that command, once asked for', async () => {
  assert.equal(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length, 'names are unique');
  for (const entry of COMMANDS) {
    assert.match(entry.usage, new RegExp(`^fabrique ${entry.name}\\b`), `${entry.name}: usage starts with the command`);
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(typeof command.run, 'function');
  }
});

describe('fabrique CLI on the demo consultation', () => {
  let dir: string;
  let db: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'fabrique-cli-')); db = join(dir, 'f.sqlite'); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('demo creates the database, imports, and a second run imports nothing twice', async () => {
    const first = await fabrique(db, 'demo', '--out', join(dir, 'demo-out'));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /importé : \d+ contributions/);
    assert.match(first.stdout, /idées communes : \d+ groupes/);
    assert.match(first.stdout, /8 indicateurs du territoire/);
    assert.ok(existsSync(join(dir, 'demo-out', 'restitution.html')), 'the demo writes its restitution');
    const restitution = readFileSync(join(dir, 'demo-out', 'restitution.html'), 'utf8');
    assert.ok(!restitution.includes('Texte à rédiger'), 'the demo writes its editorial texts (demo/editorial.json)');
    assert.match(restitution, /Indicateurs du territoire \(11\)/);
    assert.match(restitution, /Maison de santé itinérante du Lévézou/, 'and its emblematic actions');
    // its 2022 period is over: the demo reopens it for the citizen journey, as an administrator would, and says so
    assert.match(first.stdout, /La période de la consultation est passée \(fin : 9 décembre 2022\) : la démo la rouvre aux contributions jusqu’au .*« consultation\.reopen » au journal/);
    const after1 = await counts(db);
    assert.ok(after1.contributions! >= 300, `contributions: ${after1.contributions}`);
    const second = await fabrique(db, 'demo', '--out', join(dir, 'demo-out'));
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /déjà importé/);
    assert.doesNotMatch(second.stdout, /— importé :/);
    assert.doesNotMatch(second.stdout, /la démo la rouvre/, 'still open: not reopened twice');
    assert.deepEqual(await counts(db), after1);
  });

  test('export jsonl prints one object per contribution with its source reference', async () => {
    const out = await fabrique(db, 'export', 'contributions', '--format', 'jsonl');
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.length, (await counts(db)).contributions);
    for (const line of lines) {
      const o = JSON.parse(line);
      assert.equal(typeof o.id, 'string');
      assert.equal(o.consultation, 'demo');
      assert.equal(typeof o.text, 'string');
      // the few the demo sends through the public form, with a postcode, for the map (src/cli/commands/demo-map.ts)
      if (o.source.documentId === 'formulaire') { assert.equal(o.channel, 'formulaire', line); continue; }
      assert.match(o.source.documentId, /^[0-9a-f]{64}$/);
      assert.equal(typeof o.source.file, 'string');
      // a row of the CSV/XLSX files, or lines of a workshop report (demo/ateliers/*.pdf)
      if (o.channel === 'atelier') assert.ok(o.source.lineStart >= 1 && o.source.page >= 1 && /\.pdf$/.test(o.source.file), line);
      else assert.ok(o.source.row >= 2, line);
    }
    assert.equal(lines.filter((l) => JSON.parse(l).channel === 'atelier').length, 25 + 23 + 22);
  });

  test('the demo publishes its documents in its own name, recorded, and the export holds originals only when asked for', async () => {
    const store = await Store.open({ sqlitePath: db });
    try {
      const docs = await store.listDocuments('demo');
      assert.ok(docs.length > 0 && docs.every((d) => d.publication?.by === 'fabrique demo'), 'chaque document publié par la démo');
    } finally { await store.close(); }
    const plain = await fabrique(db, 'export', 'contributions', '--format', 'jsonl', '--consultation', 'demo');
    assert.ok(plain.stdout.trim().split('\n').every((l) => !('originalText' in JSON.parse(l))));
    const full = await fabrique(db, 'export', 'contributions', '--format', 'jsonl', '--consultation', 'demo', '--with-originals');
    assert.equal(full.code, 0, full.stderr);
    assert.match(full.stderr, /données personnelles/);
    assert.ok(full.stdout.trim().split('\n').every((l) => 'originalText' in JSON.parse(l)));
  });

  test('export csv has a header and one record per contribution', async () => {
    const out = await fabrique(db, 'export', 'contributions', '--format', 'csv', '--consultation', 'demo');
    assert.equal(out.code, 0, out.stderr);
    assert.ok(out.stdout.startsWith('\ufeffid;consultation;meeting;'));
  });

  test('stats shows counts by theme, kind, meeting, college and channel', async () => {
    const out = await fabrique(db, 'stats', '--consultation', 'demo', '--json');
    assert.equal(out.code, 0, out.stderr);
    const s = JSON.parse(out.stdout);
    assert.equal(s.contributions, (await counts(db)).contributions);
    for (const k of ['byTheme', 'byKind', 'byMeeting', 'byCollege', 'byChannel']) assert.equal(typeof s[k], 'object');
    const text = await fabrique(db, 'stats', '--consultation', 'demo');
    assert.match(text.stdout, /Par thème/);
    assert.match(text.stdout, /Par collège/);
  });

  const badInputs: [string, () => string, RegExp][] = [
    ['an empty file', () => { const p = join(dir, 'vide.csv'); writeFileSync(p, ''); return p; }, /vide/],
    ['a binary file renamed .csv', () => {
      const p = join(dir, 'image.csv');
      writeFileSync(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
      return p;
    }, /binaire|pas un fichier/],
    ['a CSV without a text column', () => {
      const p = join(dir, 'sans-texte.csv');
      writeFileSync(p, 'Date;Pseudonyme;Code postal\n2022-11-02;Anon_1;12000\n');
      return p;
    }, /colonne/],
    ['a 100 MB file', () => { const p = join(dir, 'enorme.csv'); writeFileSync(p, 'texte\n'); truncateSync(p, 100 * 1024 * 1024); return p; }, /limite/],
    ['a missing file', () => join(dir, 'absent.csv'), /introuvable/],
    ['a truncated PDF', () => {
      const p = join(dir, 'coupe.pdf');
      writeFileSync(p, readFileSync(join(ROOT, 'demo/ateliers/atelier-espalion.pdf')).subarray(0, 1500));
      return p;
    }, /PDF/],
    ['a .docx that is not a zip', () => { const p = join(dir, 'faux.docx'); writeFileSync(p, 'ceci n’est pas un document Word'); return p; }, /docx|DOCX|Word|zip/i],
    ['a 200 MB PDF', () => { const p = join(dir, 'enorme.pdf'); writeFileSync(p, '%PDF-1.7\n'); truncateSync(p, 200 * 1024 * 1024); return p; }, /limite/],
    ['a text of no known shape', () => { const p = join(dir, 'recette.txt'); writeFileSync(p, 'Recette de la fouace\nFarine, beurre, sucre.\n'); return p; }, /non reconnue/],
  ];
  for (const [what, make, message] of badInputs) {
    test(`${what}: one-line error, non-zero exit, database unchanged`, async () => {
      const before = await counts(db);
      const out = await fabrique(db, 'import', make(), '--consultation', 'demo');
      assert.notEqual(out.code, 0);
      assert.match(out.stderr, message);
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
      assert.deepEqual(await counts(db), before);
    });
  }

  test('a good file followed by a bad one writes nothing', async () => {
    const good = join(dir, 'bon.csv');
    writeFileSync(good, 'Contribution;Thème\nOuvrir une maison de santé à Espalion;1\n');
    const bad = join(dir, 'vide2.csv');
    writeFileSync(bad, '');
    const before = await counts(db);
    const out = await fabrique(db, 'import', good, bad, '--consultation', 'demo');
    assert.notEqual(out.code, 0);
    assert.deepEqual(await counts(db), before);
  });

  test('an unknown consultation is refused with the list of known ones', async () => {
    const good = join(dir, 'bon2.csv');
    writeFileSync(good, 'Contribution\nPlus de médecins le samedi\n');
    const before = await counts(db);
    const out = await fabrique(db, 'import', good, '--consultation', 'inconnue');
    assert.equal(out.code, 3, 'not_found: exit code 3 (USER_ERROR_EXIT)');
    assert.match(out.stderr, /Consultation inconnue : « inconnue ».*demo/);
    assert.deepEqual(await counts(db), before);
    const stats = await fabrique(db, 'stats', '--consultation', 'inconnue');
    assert.equal(stats.code, 3);
  });

  test('consultation load replaces the territory’s indicators when the file lists them, keeps them otherwise', async () => {
    const file = join(dir, 'c.json');
    const consultation = { slug: 'chargee', title: 'Chargée', territory: '46', territoryLevel: 'departement', status: 'open', themes: 'cnr-sante' };
    const indicator = { id: 'apl', label: 'APL', unit: 'consultations par an et par habitant', year: 2022, value: null, regionValue: 3.4, source: 'test' };
    writeFileSync(file, JSON.stringify({ consultation, indicators: [indicator, { ...indicator, id: 'population', value: 174000 }] }));
    let out = await fabrique(db, 'consultation', 'load', file);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /2 indicateurs du territoire/);
    writeFileSync(file, JSON.stringify({ consultation }));
    assert.equal((await fabrique(db, 'consultation', 'load', file)).code, 0);
    const store = await Store.open({ sqlitePath: db });
    try {
      const list = await listIndicators(store, '46', 'departement');
      assert.deepEqual(list.map((i) => [i.id, i.value]), [['apl', null], ['population', 174000]]);
    } finally { await store.close(); }
  });

  test('usage errors exit with 2 and --help works everywhere', async () => {
    assert.equal((await fabrique(db, 'import', 'x.csv')).code, 2);
    // publishing a document as a whole names who does it
    const anonymous = await fabrique(db, 'import', 'x.csv', '--consultation', 'demo', '--publish');
    assert.equal(anonymous.code, 2);
    assert.match(anonymous.stderr, /--by/);
    assert.equal((await fabrique(db, 'nimporte')).code, 2);
    assert.equal((await fabrique(db, 'export', 'contributions', '--format', 'xml')).code, 2);
    for (const c of ['init', 'import', 'export', 'stats', 'demo']) {
      const h = await fabrique(db, c, '--help');
      assert.equal(h.code, 0);
      assert.match(h.stdout, new RegExp(`fabrique ${c}`));
    }
    const main = await fabrique(db, '--help');
    assert.match(main.stdout, /Commandes/);
  });

  test('synthesize --quotes-per-idea: at most N generated quotes per idea, each text once; a wrong value is a usage error', async () => {
    const quotesPerIdea = async (n: number) => {
      const out = join(dir, `citations-${n}.json`);
      const made = await fabrique(db, 'synthesize', '--consultation', 'demo', '--quotes-per-idea', String(n), '--format', 'json', '--out', out);
      assert.equal(made.code, 0, made.stderr);
      const doc = JSON.parse(readFileSync(out, 'utf8')) as SynthesisDocument;
      const items = [...walkSections(doc.sections)].flatMap((s) => s.blocks.flatMap((b) => (b.type === 'ideas' ? [...walkIdeas(b.items)] : [])));
      return { doc, most: Math.max(...items.map((i) => i.quotes.length)) };
    };
    const one = await quotesPerIdea(1);
    const three = await quotesPerIdea(3);
    assert.equal(one.most, 1);
    assert.equal(three.most, 3);
    assert.ok(three.doc.quotes.length > one.doc.quotes.length);
    assert.equal(new Set(three.doc.quotes.map((q) => q.text)).size, three.doc.quotes.length);
    assert.equal((await fabrique(db, 'synthesize', '--consultation', 'demo', '--quotes-per-idea', 'trois', '--format', 'json', '--out', join(dir, 'x.json'))).code, 2);
  });

  test('synthesize --editorial applies a file of texts and actions first; a wrong file is refused, nothing written', async () => {
    const texts = join(dir, 'textes.json');
    writeFileSync(texts, JSON.stringify({ texts: { perspectives: 'Suites fictives écrites depuis un fichier.' }, actions: { 3: [{ title: 'Internat rural fictif', description: 'Logements pour internes.' }] } }));
    const out = join(dir, 'avec-textes.md');
    const made = await fabrique(db, 'synthesize', '--consultation', 'demo', '--format', 'md', '--out', out, '--editorial', texts);
    assert.equal(made.code, 0, made.stderr);
    const md = readFileSync(out, 'utf8');
    assert.ok(md.includes('Suites fictives écrites depuis un fichier.') && md.includes('Internat rural fictif'));
    writeFileSync(texts, JSON.stringify({ actions: { inconnu: [{ title: 'x' }] } }));
    const bad = await fabrique(db, 'synthesize', '--consultation', 'demo', '--format', 'md', '--out', join(dir, 'refusee.md'), '--editorial', texts);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /Thème inconnu pour les actions emblématiques : « inconnu »/);
    assert.ok(!existsSync(join(dir, 'refusee.md')));
  });

  test('synthesize writes a verified restitution; verify fails and names an altered figure or text', async () => {
    const out = join(dir, 'synthese.json');
    const made = await fabrique(db, 'synthesize', '--consultation', 'demo', '--format', 'json,md', '--out', out);
    assert.equal(made.code, 0, made.stderr);
    assert.ok(existsSync(out) && existsSync(join(dir, 'synthese.md')));
    const ok = await fabrique(db, 'verify', out);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /aucun écart/);

    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const figure = doc.figures.find((f: { value: number }) => f.value > 0);
    figure.value += 1;
    const altered = join(dir, 'synthese-modifiee.json');
    writeFileSync(altered, JSON.stringify(doc));
    const bad = await fabrique(db, 'verify', altered);
    assert.equal(bad.code, 1);
    assert.ok(bad.stderr.includes(figure.key), `the failure names ${figure.key}: ${bad.stderr}`);

    // Change a counted contribution's text in the database: the figures still hold, but verification
    // of quotes or counts must notice when the contribution is gone.
    const store = await Store.open({ sqlitePath: db });
    const counted: string = figure.contributions[0];
    await store.db.deleteFrom('contributions').where('id', '=', counted).execute();
    await store.close();
    const gone = await fabrique(db, 'verify', out);
    assert.equal(gone.code, 1);
    assert.ok(gone.stderr.includes(counted), gone.stderr);
  });
  test('the executable (a real process): help, a refused import on one line with its exit code, a closed pipe', async () => {
    const help = await spawnCli(['--help'], { FABRIQUE_DB: db });
    assert.equal(help.code, 0, help.stderr);
    for (const c of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${c.name} `, 'm'));
    const empty = join(dir, 'vide-process.csv');
    writeFileSync(empty, '');
    const before = await counts(db);
    const refused = await spawnCli(['import', empty, '--consultation', 'demo'], { FABRIQUE_DB: db });
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.match(refused.stderr, /^fabrique import : .*vide/);
    assert.deepEqual(await counts(db), before);
    // `fabrique export … | head -1`: the reader stops early, which is no error
    const cli = [process.execPath, '--import', 'tsx', join(ROOT, 'src/cli/fabrique.ts'), 'export', 'contributions', '--format', 'jsonl'];
    const { stdout, stderr } = await promisify(execFile)('/bin/bash', ['-c', `set -o pipefail; ${cli.map((a) => `'${a}'`).join(' ')} | head -n 1`], {
      cwd: ROOT, env: { ...process.env, FABRIQUE_DB: db, DATABASE_URL: '' },
    });
    assert.equal(stdout.trim().split('\n').length, 1);
    assert.equal(JSON.parse(stdout).consultation, 'demo');
    assert.doesNotMatch(stderr, /EPIPE|erreur/);
  });
});
