/**
 * Input edge cases (issue 9, point 12): NUL, control characters and lone surrogates cleaned the same
 * way on both databases; invisible-only texts refused; lengths in characters as people see them;
 * long upload names; UTF-16 (Excel « Texte Unicode ») tables; every API error in one shape.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { isInvisibleText, sanitizeText, visibleLength } from '../src/domain/text.ts';
import { safeFileName } from '../src/ingest/file-name.ts';
import { parseTabular, readTable } from '../src/ingest/tabular/index.ts';
import { buildApp } from '../src/server/app.ts';
import { Client, testServer } from './helpers/server.ts';
import { multipart } from './helpers/multipart.ts';
import { storeTest } from './helpers/stores.ts';

const FORM = '/api/consultations/essai/contributions';
const DIRTY = 'Bonjour\u0000 à tous\u0007, le cabinet\u001b ferme \uD83D le lundi\r\nMerci';
const CLEAN = 'Bonjour à tous, le cabinet ferme \uFFFD le lundi\nMerci';

function assertErrorShape(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code?: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
  assert.deepEqual(Object.keys(body), ['error'], res.body);
  assert.equal(typeof body.error?.code, 'string');
  assert.equal(typeof body.error?.message, 'string');
  assert.ok(!/[A-Z]{3}_ERR|Bad Request|Not Found|Unsupported/.test(String(body.error?.message)), `message en français : ${body.error?.message}`);
  if (code) assert.equal(body.error?.code, code);
}

test('sanitizeText, isInvisibleText, visibleLength', () => {
  assert.equal(sanitizeText(DIRTY), CLEAN);
  assert.equal(sanitizeText(CLEAN), CLEAN);
  assert.equal(sanitizeText('a\tb\nc 😀'), 'a\tb\nc 😀', 'tab, newline and pairs are kept');
  assert.equal(sanitizeText('\uDE00x'), '\uFFFDx');
  for (const s of ['', '   ', '\u200B\u200B\u200B', '\u200D\uFEFF\u2060\u00A0', '\u3164\u3164', '\u00AD\n\t']) assert.ok(isInvisibleText(s), JSON.stringify(s));
  for (const s of ['a', '\u200Ba', '😀', '.']) assert.ok(!isInvisibleText(s), JSON.stringify(s));
  assert.equal(visibleLength('abc'), 3);
  assert.equal(visibleLength('😀😀'), 2);
  assert.equal(visibleLength('e\u0301te\u0301'), 3);
  assert.equal(visibleLength('👨‍👩‍👧‍👦🇫🇷'), 2);
});

storeTest('NUL, control characters and lone surrogates are cleaned the same way on both databases', async (store) => {
  const t = await testServer({}, store);
  try {
    const v = await Client.create(t.app, '192.0.2.10');
    const res = await v.post(FORM, { text: DIRTY });
    assert.equal(res.statusCode, 201, res.body);
    const stored = await store.getContribution(res.json().id);
    assert.equal(stored?.text, CLEAN);
    // any other path through the store (imports, CLI…): the store's writes clean too
    await store.addContributions('essai', [{
      id: 'import:nul', consultation: 'essai', channel: 'import_tableur', text: `Texte importé\u0000 avec\u0008 NUL`, themes: [],
      moderation: { status: 'pending' }, source: { documentId: 'essai', file: 'essai\u0000.csv' },
    }]);
    assert.equal((await store.getContribution('import:nul'))?.text, 'Texte importé avec NUL');
    // a NUL in a search or any parameter is not a server error either
    const search = await v.get(`${FORM}?q=${encodeURIComponent('cabinet\u0000')}`);
    assert.equal(search.statusCode, 200, search.body);
  } finally { await t.app.close(); }
});

describe('texts people type', () => {
  test('invisible-only texts are refused with a clear message (form and workshop report entries)', async () => {
    const t = await testServer();
    try {
      const v = await Client.create(t.app, '192.0.2.20');
      for (const text of ['\u200B\u200B\u200B\u200B', '\u2060\uFEFF\u00A0\u200D', '\u3164\u3164\u3164']) {
        const res = await v.post(FORM, { text });
        assertErrorShape(res, 400, 'validation');
        assert.equal(res.json().error.field, 'body.text');
        assert.match(res.json().error.message, /aucun caractère visible/);
      }
      const facilitator = await (await Client.create(t.app, '192.0.2.21')).login('facilitator');
      const meeting = await facilitator.post('/api/admin/consultations/essai/meetings', { title: 'Atelier de Rodez', kind: 'atelier' });
      assert.equal(meeting.statusCode, 201, meeting.body);
      const id = encodeURIComponent(meeting.json().id);
      const participants = { elus: 1, institutionnels: null, professionnels: 2, associations: null, usagers: 3, autres: null, total: 6 };
      let res = await facilitator.post(`/api/admin/meetings/${id}/report`, { participants, themes: [{ theme: CNR_SANTE_THEMES[0]!.code, problematiques: ['Pas de médecin le samedi', '\u200B\u200B'] }] });
      assertErrorShape(res, 400, 'validation');
      assert.equal(res.json().error.field, 'body.themes.0.problematiques.1');
      assert.match(res.json().error.message, /aucun caractère visible/);
      // an empty row of the form is still just left out
      res = await facilitator.post(`/api/admin/meetings/${id}/report`, { participants, themes: [{ theme: CNR_SANTE_THEMES[0]!.code, problematiques: ['Pas de médecin\u0000 le samedi', ''] }] });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().contributions, 1);
      assert.equal((await t.store.getContribution(res.json().ids[0]))?.text, 'Pas de médecin le samedi');
    } finally { await t.close(); }
  });

  test('the form’s 5,000-character limit counts characters as people see them', async () => {
    const t = await testServer({ formRateLimit: 100 });
    try {
      const v = await Client.create(t.app, '192.0.2.30');
      for (const unit of ['😀', 'e\u0301', '👩🏽‍⚕️', 'œ']) {
        assert.equal((await v.post(FORM, { text: unit.repeat(5000) })).statusCode, 201, `5 000 × ${unit}`);
        const res = await v.post(FORM, { text: unit.repeat(5001) });
        assertErrorShape(res, 400, 'validation');
        assert.match(res.json().error.message, /au plus 5\s000 caractères \(5\s001 reçus\)/);
      }
      assert.equal((await v.post(FORM, { text: '😀😀' })).statusCode, 400, 'two characters are fewer than 3');
      assert.equal((await v.post(FORM, { text: '😀😀😀' })).statusCode, 201);
    } finally { await t.close(); }
  });
});

describe('files', () => {
  const tsv = 'Contribution\tThème\r\nLe cabinet médical ferme le samedi 🙁\t1\r\n« Urgences » à 80 km, c’est trop loin\t2\r\n';
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tsv, 'utf-16le')]);

  test('UTF-16 tables (Excel « Texte Unicode »: UTF-16LE with BOM, tab-separated) are read', async () => {
    const table = await readTable(utf16le, 'export.csv');
    assert.equal(table.encoding, 'utf-16le');
    assert.equal(table.delimiter, '\t');
    assert.deepEqual(table.rows.map((r) => r.cells), [['Contribution', 'Thème'], ['Le cabinet médical ferme le samedi 🙁', '1'], ['« Urgences » à 80 km, c’est trop loin', '2']]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(tsv, 'utf-16be')]);
    assert.equal((await readTable(be, 'export.tsv')).rows[1]!.cells[0], 'Le cabinet médical ferme le samedi 🙁');
    const doc = await parseTabular(utf16le, 'export.tsv', { consultation: 'essai', themes: CNR_SANTE_THEMES.map((x) => ({ ...x, keywords: [...x.keywords] })) });
    assert.equal(doc.contributions.length, 2);
  });

  test('uploads: a UTF-16 « Texte Unicode » .txt is imported as a table; names over 255 bytes are shortened keeping the extension', async () => {
    const t = await testServer();
    try {
      const a = await (await Client.create(t.app, '192.0.2.40')).login('analyst');
      let res = await a.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('export-excel.txt', utf16le) });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().contributions, 2);

      const long = `${'Compte-rendu de l’atelier santé mentale des jeunes à Saint-Affrique '.repeat(6)}.csv`;
      assert.ok(Buffer.byteLength(long) > 255);
      res = await a.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart(long, tsv.replace(/🙁/, '').replace(/Urgences/, 'Urgences loin')) });
      assert.equal(res.statusCode, 201, res.body);
      const name = res.json().fileName as string;
      assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} octets`);
      assert.ok(name.endsWith('….csv'), name);
      assert.ok(long.startsWith(name.slice(0, -5)));
    } finally { await t.close(); }
  });

  test('safeFileName cuts at whole characters', () => {
    const name = safeFileName(`${'é'.repeat(200)}😀😀.docx`);
    assert.ok(Buffer.byteLength(name) <= 255);
    assert.ok(name.endsWith('….docx'));
    assert.ok(!name.includes('\uFFFD'));
    assert.equal(safeFileName('C:\\Users\\agent\\rapport.pdf'), 'rapport.pdf');
    assert.equal(safeFileName('../../etc/passwd\u0000.csv'), 'passwd.csv');
    assert.equal(safeFileName(''), 'fichier');
  });
});

test('every error of the API has the { error: { code, message } } shape', async () => {
  const t = await testServer({ formRateLimit: 1 });
  try {
    const v = await Client.create(t.app, '192.0.2.50');
    const json = { 'content-type': 'application/json' };
    assertErrorShape(await v.get('/api/inexistant'), 404, 'not_found');
    assertErrorShape(await v.request({ method: 'DELETE', url: '/api/consultations' }), 405, 'method_not_allowed');
    const put = await v.request({ method: 'PUT', url: '/api/consultations/essai/contributions', payload: { text: 'Bonjour à tous' } });
    assertErrorShape(put, 405, 'method_not_allowed');
    assert.equal(put.headers.allow, 'GET, HEAD, POST');
    assertErrorShape(await v.request({ method: 'PROPFIND', url: '/api/consultations' }), 405);
    assertErrorShape(await v.request({ method: 'POST', url: FORM, payload: '{"text":', headers: json }), 400, 'validation');
    assertErrorShape(await v.request({ method: 'POST', url: FORM, payload: 'du texte brut', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_type');
    assertErrorShape(await v.request({ method: 'POST', url: FORM, payload: JSON.stringify({ text: 'x'.repeat(1_100_000) }), headers: json }), 413, 'too_large');
    assertErrorShape(await v.get('/api/consultations/%E0%A4%A'), 400);
    // thrown before the handler (security hook): no CSRF token
    assertErrorShape(await t.app.inject({ method: 'POST', url: FORM, payload: { text: 'Bonjour à tous' }, remoteAddress: '192.0.2.51' }), 403, 'csrf');
    // rate limiter
    assert.equal((await v.post(FORM, { text: 'Première contribution' })).statusCode, 201);
    assertErrorShape(await v.post(FORM, { text: 'Deuxième contribution' }), 429, 'rate_limited');

    // a request Node's HTTP parser rejects, on a real socket
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as { port: number };
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/consultations HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => { data += d; });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 400/);
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    assert.deepEqual(Object.keys(JSON.parse(body)), ['error']);
    // and a real HEAD of an unknown API address
    const head = await new Promise<number>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, method: 'HEAD', path: '/api/inexistant' }, (r) => { r.resume(); resolve(r.statusCode ?? 0); }).on('error', reject).end();
    });
    assert.equal(head, 404);
  } finally { await t.close(); }
});

test('an app built twice on one store keeps working (route table per app)', async () => {
  const t = await testServer();
  const again = await buildApp({ store: t.store });
  try {
    assertErrorShape(await again.inject({ method: 'OPTIONS', url: '/api/territories' }), 405);
  } finally { await again.close(); await t.close(); }
});
