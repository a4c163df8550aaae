/**
 * French wording (issue 16): no « (s) », « (e) », « (x) » plural or gender marks in anything a person reads.
 * Every string literal, template part and JSX text of web/src and src is parsed (comments and regular
 * expressions are not strings, so they are not read) and the test fails on a mark glued to a word
 * (« réunion(s) », « affecté(e) », « compte(s)-rendu(s) »). Counts are written with `count(n, one, many)`
 * (web/src/labels.ts) or `plural(n, one, many)` (src/text/french.ts).
 *
 * The one exception is the restitution model of src/synthesis: its Inline content keeps the marks on purpose
 * (its JSON is the source of every format) and every renderer resolves them with the figure's value
 * (`agreeInlines`, src/synthesis/agree.ts; test/synthesis.test.ts reads the rendered text). A string is
 * exempt only where it is that content: an argument of `agree(…)`, or a string of an Inline array (an array
 * literal or a call's arguments holding a `{ figure }` object), or one of the few constants (AGREED_NAMES) that
 * are only ever printed inside such content.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');

/** A mark glued to a word: « contribution(s) », « affecté(e) », « relève(nt) », « national(aux) », « animateur(rice) ». */
// (not before « ; » glued to it, which French never writes but code does: the script of src/server/docs-page.ts)
export const MARK = /(?<=\p{L})\((?:s|e|es|x|nt|aux|ne|le|euse|rice|trice|ère|ice|ve)\)(?!;)/u;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return listFiles(p);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

function isAgreeCall(n: ts.Node): boolean {
  return ts.isCallExpression(n) && ts.isIdentifier(n.expression) && /^agree(Inlines)?$/.test(n.expression.text);
}

const isFigure = (e: ts.Node) => ts.isObjectLiteralExpression(e)
  && e.properties.some((p) => (ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p)) && p.name.getText() === 'figure');

/** `[…, { figure }, '…']` or `inlines.push(…, { figure }, '…')`. */
function isInlineArray(n: ts.Node): boolean {
  return (ts.isArrayLiteralExpression(n) && n.elements.some(isFigure)) || (ts.isCallExpression(n) && n.arguments.some(isFigure));
}

/** Restitution texts printed only after a figure, inside Inline content (file → names of the property or constant). */
const AGREED_NAMES: Record<string, readonly string[]> = {
  'src/synthesis/build.ts': ['unit'], // a section's unit, « proposition(s) »
  'src/synthesis/coverage.ts': ['OUTCOME_TEXT'], // « reprise(s) par le schéma » after a count of contributions
};

/** The restitution content that renderers agree with its figures (see the header). */
function agreedLater(node: ts.Node, file: string): boolean {
  if (!file.startsWith('src/synthesis/')) return false;
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (isAgreeCall(n) || isInlineArray(n)) return true;
    if ((ts.isPropertyAssignment(n) || ts.isVariableDeclaration(n)) && AGREED_NAMES[file]?.includes(n.name.getText())) return true;
    if (ts.isFunctionLike(n) || ts.isBlock(n)) return false;
  }
  return false;
}

export function marksIn(path: string, source: string): { line: number; text: string }[] {
  const file = relative(ROOT, path);
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: { line: number; text: string }[] = [];
  const visit = (n: ts.Node): void => {
    let text: string | undefined;
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) text = n.text;
    else if (ts.isJsxText(n)) text = n.getText();
    if (text !== undefined && MARK.test(text) && !agreedLater(n, file)) {
      if (!ts.isImportDeclaration(n.parent) && !ts.isExportDeclaration(n.parent)) {
        out.push({ line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: text.trim().slice(0, 120) });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

test('the scanner finds a mark in a string, a template and JSX text, and not in a comment or a regular expression', () => {
  const src = [
    "const a = 'réunion(s)';",
    'const b = `${n} compte(s)-rendu(s)`;',
    'const c = <p>Vous êtes affecté(e)</p>;',
    '// a comment: contribution(s)',
    'const d = /action(s)? en cours/;',
    "const e = 'setSelected((s) => s)';",
  ].join('\n');
  assert.deepEqual(marksIn(join(ROOT, 'web/src/x.tsx'), src).map((m) => m.line), [1, 2, 3]);
});

test('no « (s) » or « (e) » mark in a string of web/src or src', () => {
  const files = [...listFiles(join(ROOT, 'web/src')), ...listFiles(join(ROOT, 'src'))];
  assert.ok(files.length > 100, 'the sources are found');
  const found = files.flatMap((f) => marksIn(f, readFileSync(f, 'utf8')).map((m) => `${relative(ROOT, f)}:${m.line}  ${m.text}`));
  assert.deepEqual(found, [], `write the count with count()/plural(), or a wording without a count:\n${found.join('\n')}`);
});

test('every action the analysis page can undo is named in French, never by its audit code', async () => {
  const { UNDOABLE } = await import('../src/usecases/analysis.ts');
  const { UNDONE_MESSAGES, undoneMessage } = await import('../src/domain/ideas.ts');
  for (const a of UNDOABLE) {
    assert.ok(UNDONE_MESSAGES[a], `${a} sans phrase`);
    assert.ok(!undoneMessage(a).includes(a) && /^\p{Lu}.*\.$/u.test(undoneMessage(a)), undoneMessage(a));
  }
  assert.equal(undoneMessage('autre.action'), 'La dernière action est annulée.');
});

test('the territories of a restitution are offered by name, within the consultation’s territory', async () => {
  const { synthesisTerritories, DEPARTEMENTS } = await import('../src/domain/geography.ts');
  assert.deepEqual(synthesisTerritories({ code: '12', level: 'departement' }, 'departement'), [{ code: '12', name: 'Aveyron' }]);
  assert.deepEqual(synthesisTerritories({ code: '12', level: 'departement' }, 'region'), [{ code: '76', name: 'Occitanie' }]);
  const occitanie = synthesisTerritories({ code: '76', level: 'region' }, 'departement');
  assert.equal(occitanie.length, 13);
  assert.ok(occitanie.every((t) => DEPARTEMENTS[t.code]?.[1] === '76' && t.name === DEPARTEMENTS[t.code]?.[0]));
  assert.deepEqual(occitanie.map((t) => t.name), [...occitanie.map((t) => t.name)].sort((a, b) => a.localeCompare(b, 'fr')));
  // « 75 » is Paris or the Nouvelle-Aquitaine: the level says which
  assert.deepEqual(synthesisTerritories({ code: '75', level: 'region' }, 'region'), [{ code: '75', name: 'Nouvelle-Aquitaine' }]);
  assert.deepEqual(synthesisTerritories({ code: '75', level: 'departement' }, 'region'), [{ code: '11', name: 'Île-de-France' }]);
});
