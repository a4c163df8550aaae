/**
 * Every error reaches people as a French sentence that says what happened and what to do (issue 16):
 * every UserError and HttpError thrown in src (read from the code) has a status and a French message; the
 * framework's own errors (404, bad JSON, 413, 500) are answered in French; and the web app's fallbacks, used
 * when an answer carries no message (a proxy's page, a cut connection, offline), are French sentences for
 * every status the API can return.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import ts from 'typescript';
import { USER_ERROR_STATUS } from '../src/server/errors.ts';
import { testServer, type TestServer } from './helpers/server.ts';

const ROOT = join(import.meta.dirname, '..');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return listFiles(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The text of a string or template literal (a template's parts joined by « … »), or undefined for an expression. */
function literalText(n: ts.Expression | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  if (ts.isTemplateExpression(n)) return [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join('…');
  if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) return `${literalText(n.left) ?? '…'}${literalText(n.right) ?? '…'}`;
  return undefined;
}

interface Thrown { where: string; kind: 'UserError' | 'HttpError'; code: string; status?: number; message?: string }

function thrownErrors(): Thrown[] {
  const out: Thrown[] = [];
  for (const f of listFiles(join(ROOT, 'src'))) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && (n.expression.text === 'UserError' || n.expression.text === 'HttpError')) {
        const args = n.arguments ?? [];
        const where = `${relative(ROOT, f)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
        if (n.expression.text === 'UserError') {
          const code = literalText(args[0]);
          if (code !== undefined) out.push({ where, kind: 'UserError', code, ...(literalText(args[1]) !== undefined ? { message: literalText(args[1]) } : {}) });
        } else {
          const status = args[0] && ts.isNumericLiteral(args[0]) ? Number(args[0].text) : undefined;
          const code = literalText(args[1]);
          if (code !== undefined) out.push({ where, kind: 'HttpError', code, ...(status ? { status } : {}), ...(literalText(args[2]) !== undefined ? { message: literalText(args[2]) } : {}) });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/**
 * A sentence for people, not a code: starts with a capital (or a quote, or a value put first), has words, no
 * English error words, no raw status. (That it is French is read in review; English is what this refuses.)
 */
function frenchSentence(s: string): boolean {
  const t = s.trim();
  return /^[\p{Lu}«…]/u.test(t) && /\p{L}{2,}/u.test(t) && !/^[a-z_.]+$/.test(t)
    && !/\b(error|failed|not found|invalid|request|forbidden|unauthorized|too large|internal server|missing|unknown|must|should)\b/i.test(t)
    && !/^Erreur \d+$/.test(t);
}

test('every UserError and HttpError thrown in src has a known code, a status and a French message', () => {
  const thrown = thrownErrors();
  assert.ok(thrown.filter((t) => t.kind === 'UserError').length > 100, `UserError trouvées : ${thrown.length}`);
  const bad: string[] = [];
  for (const t of thrown) {
    if (t.kind === 'UserError' && !(t.code in USER_ERROR_STATUS)) bad.push(`${t.where} : code « ${t.code} » sans statut HTTP`);
    if (t.kind === 'HttpError' && (t.status === undefined || t.status < 400 || t.status > 599)) bad.push(`${t.where} : statut ${t.status}`);
    // a message given as an expression (a variable, a function's result, a template of values) is checked where it is written
    const words = (t.message ?? '').match(/\p{L}+/gu)?.length ?? 0;
    if (t.message !== undefined && words > 0 && !frenchSentence(t.message)) bad.push(`${t.where} : « ${t.message.slice(0, 80)} »`);
  }
  assert.deepEqual(bad, []);
});

// The web client is checked by its behaviour; it is loaded by URL so that the server's type check (no DOM library)
// does not compile it: web/tsconfig.json checks it with the DOM types.
interface WebApi {
  statusMessage(status: number): string;
  errorMessage(err: unknown): string;
  get<T>(path: string): Promise<T>;
  ApiError: new (...args: never[]) => Error & { status: number; code: string };
}
const WEB_API = new URL('../web/src/api.ts', import.meta.url).href;
const webApi = async (): Promise<WebApi> => (await import(WEB_API)) as WebApi;

test('the web app says in French what happened and what to do for every status, offline and when the server is unreachable', async () => {
  const { statusMessage } = await webApi();
  const statuses = new Set<number>([0, ...Object.values(USER_ERROR_STATUS), ...thrownErrors().flatMap((t) => (t.status ? [t.status] : [])),
    400, 401, 403, 404, 405, 409, 413, 414, 415, 422, 429, 431, 500, 502, 503, 504, 507, 418, 599]);
  for (const s of statuses) {
    const m = statusMessage(s);
    assert.ok(frenchSentence(m) && /\.$/.test(m) && / : /.test(m), `${s} → « ${m} »`);
    assert.ok(!/\b\d{3}\b/.test(m), `${s} : pas de code brut (« ${m} »)`);
  }
});

test('an answer without a message, a cut connection: the web client gives the French sentence', async () => {
  const { get, errorMessage, statusMessage, ApiError } = await webApi();
  const real = globalThis.fetch;
  try {
    globalThis.fetch = (async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } })) as typeof fetch;
    await assert.rejects(get('/consultations'), (e: unknown) => e instanceof ApiError && e.status === 502 && e.message === statusMessage(502));
    globalThis.fetch = (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch;
    await assert.rejects(get('/consultations'), (e: unknown) => e instanceof ApiError && e.code === 'network' && e.message === statusMessage(0));
    assert.equal(errorMessage(new TypeError('Failed to fetch')), statusMessage(0));
  } finally {
    globalThis.fetch = real;
  }
});

let t: TestServer;
before(async () => { t = await testServer(); });
after(async () => { await t.close(); });

test('the server answers its framework errors in French', async () => {
  const answers = [
    await t.app.inject({ method: 'GET', url: '/api/pas-une-route' }),
    await t.app.inject({ method: 'GET', url: '/api/consultations/inconnue' }),
    await t.app.inject({ method: 'POST', url: '/api/consultations/inconnue/contributions', headers: { 'content-type': 'application/json' }, payload: '{pas du json' }),
  ];
  for (const r of answers) {
    assert.ok(r.statusCode >= 400, String(r.statusCode));
    const m = (r.json() as { error: { message: string } }).error.message;
    assert.ok(frenchSentence(m), `${r.statusCode} → « ${m} »`);
  }
});
