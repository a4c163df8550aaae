/**
 * The shape of src/ (docs/architecture.md): every import is parsed (static, dynamic, type-only, re-exports,
 * worker entries given as `new URL('./x.ts', import.meta.url)`), and the test fails on an import cycle, on an
 * import from a lower layer to a higher one, on I/O or packages in the pure layers, and on database access
 * (Kysely, `store.db`) outside src/store.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/**
 * Layers from the bottom up: a file may import its own layer and the layers below, never one above.
 * Directories on one rank may import each other (file cycles are still refused).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['text', 'workers'], // French text helpers; the worker-thread bootstrap
  ['domain'], // types and rules, no I/O
  ['privacy'], // pseudonymisation
  ['ingest'], // files → ParsedDocument, no database
  ['store'], // persistence: the only place with SQL
  ['analysis'], // themes, kinds, common ideas, duplicates
  ['synthesis'], // restitutions: build, verify, render
  ['usecases'], // one function per feature: load → compute → one write
  ['jobs'], // long use cases run as jobs
  ['server'], // face: HTTP API and web app
  ['cli'], // face: the `fabrique` command (its `serve` and `demo` start the server)
];

/** Directories of src/ that hold no code imported by others (type declarations). */
const NOT_LAYERS = new Set(['types']);

/** Pure layers: the packages and built-in modules each may import (nothing else outside src/). */
const PURE: Record<string, readonly string[]> = {
  domain: [],
  text: ['node:module', 'snowball-stemmers'], // the stemmer is a package loaded through createRequire
};

/**
 * Files outside src/store allowed to import Kysely or reach the database through `store.db` / `appDb(…)`:
 * none since issue 10 (an entry that no longer offends fails the test too, so the list can only shrink).
 */
const DATABASE_ACCESS_OUTSIDE_STORE: ReadonlySet<string> = new Set<string>([]);

interface SourceFile { path: string; layer: string; text: string; imports: { specifier: string; target?: string }[] }

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return listFiles(p);
    return /\.(ts|tsx|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

function readSources(): SourceFile[] {
  return listFiles(SRC).map((file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    // worker entries and other modules started by URL
    for (const m of text.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"]+\.(?:ts|mjs|js))['"]\s*,\s*import\.meta\.url\s*\)/g)) specifiers.push(m[1]!);
    const imports = specifiers.map((specifier) => specifier.startsWith('.')
      ? { specifier, target: relative(SRC, resolve(dirname(file), specifier)) }
      : { specifier });
    const path = relative(SRC, file);
    return { path, layer: path.split('/')[0]!, text, imports };
  });
}

const sources = readSources();
const byPath = new Map(sources.map((s) => [s.path, s]));
const rank = new Map(LAYERS.flatMap((dirs, i) => dirs.map((d) => [d, i] as const)));

test('the layers of docs/architecture.md are the ones checked here, and every directory of src/ is in one', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const line = `Layers, bottom to top: ${LAYERS.map((dirs) => dirs.map((d) => `\`${d}\``).join(', ')).join(' < ')}.`;
  assert.ok(doc.includes(line), `docs/architecture.md states the layers as: ${line}`);
  for (const dir of readdirSync(SRC).filter((d) => statSync(join(SRC, d)).isDirectory() && !NOT_LAYERS.has(d))) {
    assert.ok(rank.has(dir), `src/${dir} is in no layer: add it to LAYERS (test/architecture.test.ts) and to docs/architecture.md`);
  }
  assert.ok(sources.length > 100, `parsed ${sources.length} files`);
});

test('every relative import names a file that exists inside src/', () => {
  const missing = sources.flatMap((s) => s.imports.filter((i) => i.target !== undefined && (!existsSync(join(SRC, i.target)) || i.target.startsWith('..')))
    .map((i) => `${s.path} → ${i.specifier}`));
  assert.deepEqual(missing, []);
});

test('no import cycle between the files of src/ (type-only imports included)', () => {
  // Tarjan's strongly connected components over the file graph
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const edges = (p: string) => (byPath.get(p)?.imports ?? []).map((i) => i.target).filter((t): t is string => !!t && byPath.has(t));
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of edges(v)) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || edges(v).includes(v)) cycles.push(component.sort());
    }
  };
  for (const s of sources) if (!index.has(s.path)) visit(s.path);
  assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => `  ${c.join(' ↔ ')}`).join('\n')}`);
});

test('no import from a lower layer to a higher one', () => {
  const upward = sources.flatMap((s) => s.imports.flatMap((i) => {
    if (!i.target || !rank.has(s.layer)) return [];
    const to = i.target.split('/')[0]!;
    return rank.has(to) && rank.get(to)! > rank.get(s.layer)! ? [`${s.path} (${s.layer}) → ${i.target} (${to})`] : [];
  }));
  assert.deepEqual(upward, []);
});

test('the pure layers import no I/O module and no package beyond their own', () => {
  const found = sources.filter((s) => s.layer in PURE).flatMap((s) => s.imports
    .filter((i) => i.target === undefined && !PURE[s.layer]!.includes(i.specifier))
    .map((i) => `${s.path} → ${i.specifier}`));
  assert.deepEqual(found, []);
});

test('no file outside src/store imports Kysely or reaches the database through store.db (allow-list to be emptied by issue 10)', () => {
  const offends = (s: SourceFile) => s.imports.some((i) => i.specifier === 'kysely' || i.specifier.startsWith('kysely/'))
    || /\bstore\.db\b|\bappDb\(|\bappTrx\(/.test(s.text);
  const outside = sources.filter((s) => s.layer !== 'store');
  const offenders = outside.filter(offends).map((s) => s.path).sort();
  const unlisted = offenders.filter((p) => !DATABASE_ACCESS_OUTSIDE_STORE.has(p));
  assert.deepEqual(unlisted, [], 'database access outside src/store: move the query into a src/store repository');
  const stale = [...DATABASE_ACCESS_OUTSIDE_STORE].filter((p) => !offenders.includes(p));
  assert.deepEqual(stale, [], 'these files no longer reach the database: remove them from DATABASE_ACCESS_OUTSIDE_STORE');
});

test('the web app takes from src/ only the pure domain, and API types as types (nothing of the server is bundled)', () => {
  const WEB = join(ROOT, 'web', 'src');
  const found: string[] = [];
  let typeImports = 0;
  for (const file of listFiles(WEB)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gms)) {
      const target = relative(SRC, resolve(dirname(file), m[2]!));
      if (target.startsWith('..')) continue; // inside web/ or a package
      const layer = target.split('/')[0]!;
      if (m[1]) { typeImports++; continue; }
      if (layer !== 'domain') found.push(`${relative(ROOT, file)} → src/${target}`);
    }
  }
  assert.deepEqual(found, [], 'import these as types (import type …), or move the rule into src/domain');
  assert.ok(typeImports > 0, 'the web app imports the API types of src/server/schemas.ts');
});
