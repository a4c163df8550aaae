/** The web build as the server sends it: precompressed when the browser accepts it, hashed assets cached for good. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, brotliDecompressSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { testServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let dist: string;
const script = `console.log(${JSON.stringify('é'.repeat(3000))});\n`;

before(async () => {
  dist = mkdtempSync(join(tmpdir(), 'fabrique-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="fr"><head><title>Fabrique</title></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dist, 'assets', 'index-AbC123.js'), script);
  writeFileSync(join(dist, 'assets', 'index-AbC123.js.br'), brotliCompressSync(script));
  writeFileSync(join(dist, 'assets', 'index-AbC123.js.gz'), gzipSync(script));
  server = await testServer({ webDist: dist });
});
after(async () => { await server.close(); rmSync(dist, { recursive: true, force: true }); });

test('a hashed asset goes out in brotli when accepted, gzip otherwise, plain last, and is cached as immutable', async () => {
  const br = await server.app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(br.statusCode, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(String(br.headers['content-type']), /javascript/);
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(br.headers.vary, 'accept-encoding');
  assert.equal(brotliDecompressSync(br.rawPayload).toString(), script);
  assert.ok(br.rawPayload.length < Buffer.byteLength(script) / 10, 'the compressed file is sent, not the plain one');

  const gz = await server.app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');

  const plain = await server.app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body, script);
});

test('the page itself is revalidated on every visit, so a new build is seen at once', async () => {
  for (const url of ['/', '/consultations/essai']) {
    const res = await server.app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.body, /<div id="root">/);
    assert.equal(res.headers['cache-control'], 'no-cache', url);
  }
});

test('a revalidated page (304) keeps the page’s policy: no API policy replaces it in the browser’s cache', async () => {
  const first = await server.app.inject({ url: '/' });
  assert.match(String(first.headers['content-security-policy']), /script-src 'self'/);
  const again = await server.app.inject({ url: '/', headers: { 'if-none-match': String(first.headers.etag) } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.headers['content-security-policy'], undefined);
});

test('a missing asset is a 404, not the page', async () => {
  const res = await server.app.inject({ url: '/assets/absent-XyZ.js' });
  assert.equal(res.statusCode, 404);
});
