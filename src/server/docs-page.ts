/** A small self-contained page listing the API from its OpenAPI document (no external resource). */
import { createHash } from 'node:crypto';

export const DOCS_PAGE = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API Fabrique</title>
<style>
body{font-family:system-ui,Marianne,Arial,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#161616}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.op{border:1px solid #ddd;border-radius:4px;margin:.5rem 0;padding:.5rem .75rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}
.GET{color:#18753c}.POST{color:#0063cb}.PUT{color:#b34000}.DELETE{color:#ce0500}
code,pre{font-family:monospace;background:#f6f6f6}pre{padding:.5rem;overflow:auto;font-size:.8rem}
details summary{cursor:pointer}
</style></head>
<body><h1>API Fabrique</h1>
<p>Document OpenAPI : <a href="/api/openapi.json">/api/openapi.json</a>. Les requêtes autres que GET doivent porter l’en-tête
<code>x-csrf-token</code> obtenu par <code>GET /api/csrf</code>.</p>
<main id="out">Chargement…</main>
<script>
fetch('/api/openapi.json').then(function (r) { return r.json(); }).then(function (doc) {
  var out = document.getElementById('out'); out.textContent = '';
  var groups = {};
  Object.keys(doc.paths).sort().forEach(function (path) {
    Object.keys(doc.paths[path]).forEach(function (method) {
      var op = doc.paths[path][method];
      var tag = (op.tags && op.tags[0]) || 'autres';
      (groups[tag] = groups[tag] || []).push({ path: path, method: method.toUpperCase(), op: op });
    });
  });
  Object.keys(groups).forEach(function (tag) {
    var h = document.createElement('h2'); h.textContent = tag; out.appendChild(h);
    groups[tag].forEach(function (e) {
      var div = document.createElement('div'); div.className = 'op';
      var m = document.createElement('span'); m.className = 'm ' + e.method; m.textContent = e.method; div.appendChild(m);
      var p = document.createElement('code'); p.textContent = e.path; div.appendChild(p);
      if (e.op.summary) { var s = document.createElement('p'); s.textContent = e.op.summary; div.appendChild(s); }
      var d = document.createElement('details'); var sm = document.createElement('summary'); sm.textContent = 'schémas';
      d.appendChild(sm); var pre = document.createElement('pre');
      pre.textContent = JSON.stringify({ parameters: e.op.parameters, requestBody: e.op.requestBody, responses: e.op.responses }, null, 2);
      d.appendChild(pre); div.appendChild(d); out.appendChild(div);
    });
  });
}).catch(function (e) { document.getElementById('out').textContent = 'Document indisponible : ' + e; });
</script></body></html>`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const inline = (tag: string) => DOCS_PAGE.match(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`))![1]!;

/** The page's own policy: only its one inline script and style (by hash) and same-origin fetches. */
export const DOCS_CSP = [
  "default-src 'none'", `script-src ${sha256(inline('script'))}`, `style-src ${sha256(inline('style'))}`,
  "connect-src 'self'", "img-src 'self' data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');
