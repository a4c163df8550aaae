/**
 * Issue 9 point 2: imported contributions are pseudonymised and gated like the form. A fictional CSV line
 * with a name, a street address, a phone number and an HIV status is stored masked (original apart),
 * pending, and appears in no public route nor synthesis until published; once rejected, nothing derived
 * from it (quote, idea label, annex entry) survives in a published restitution.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { cleanLabel } from '../src/analysis/grouping/model.ts';
import { CNR_SANTE_THEMES, isPublic } from '../src/domain/index.ts';
import type { IdeaGroup } from '../src/domain/ideas.ts';
import { parseTabular } from '../src/ingest/tabular/index.ts';
import { listAudit } from '../src/store/audit.ts';
import { privateTexts, publishDocument } from '../src/store/moderation.ts';
import { buildSynthesis, loadSynthesis, renderHtml } from '../src/synthesis/index.ts';
import { Client, testServer, waitForJob, type TestServer } from './helpers/server.ts';
import { fillEditorialTexts } from './helpers/editorial.ts';
import { multipart } from './helpers/multipart.ts';
import { storeTest } from './helpers/stores.ts';

const enc = encodeURIComponent;

// Entirely made up: the person, the street and the number do not exist.
const SENSITIVE = 'Je m’appelle Mme Josiane Fictivo, j’habite 14 rue des Coquelicots, 12000 Rodez, tél. 06 11 22 33 44 ; ' +
  'je suis séropositive au VIH et le centre de dépistage de Rodez va fermer.';
const SECRETS = ['Fictivo', 'Coquelicots', '06 11 22 33 44'];
/** words of the sensitive line that survive masking: they must not appear publicly while it is not public */
const HEALTH = ['séropositive', 'VIH'];

const sensitiveCsv = () => [
  'Texte;Thème;Nature',
  `"${SENSITIVE}";1;Constat`,
  'Les délais pour voir un dermatologue dépassent huit mois dans le département;1;Constat',
  'Créer un centre de santé à Espalion avec des médecins salariés;1;Proposition',
].join('\r\n') + '\r\n';

const ordinaryCsv = () => [
  'Texte;Thème;Nature',
  'Il faut rouvrir la maternité de proximité fermée l’an dernier;2;Proposition',
  'Proposer des consultations avancées de spécialistes dans les bourgs;1;Proposition',
  'Financer le transport solidaire vers les hôpitaux;3;Proposition',
].join('\r\n') + '\r\n';

const hasAny = (s: string, words: string[]) => words.filter((w) => s.includes(w));

storeTest('un import de tableur est pseudonymisé, l’original gardé à part, en attente de modération', async (store) => {
  await store.upsertConsultation({ slug: 'essai', title: 'Essai', territory: '12', status: 'open', themes: [...CNR_SANTE_THEMES] });
  const parsed = await parseTabular(Buffer.from(sensitiveCsv()), 'ateliers.csv', { consultation: 'essai', themes: [...CNR_SANTE_THEMES] });
  // even when the parser says published, nothing enters public without a named person
  for (const c of parsed.contributions) c.moderation = { status: 'published' };
  const result = await store.importParsed('essai', parsed);
  assert.equal(result.publication, null);
  const all = await store.listContributions('essai');
  assert.equal(all.length, 3);
  assert.ok(all.every((c) => c.moderation.status === 'pending'), 'en attente');
  const stored = all.find((c) => c.text.includes('séropositive'))!;
  assert.deepEqual(hasAny(stored.text, SECRETS), [], stored.text);
  assert.deepEqual(hasAny(stored.rawText ?? '', SECRETS), []);
  assert.match(stored.text, /Mme \[nom\].*\[adresse\].*\[téléphone\]/);
  const priv = (await privateTexts(store, [stored.id])).get(stored.id);
  assert.equal(priv?.original, SENSITIVE, 'l’original est gardé à part');
  assert.deepEqual(priv!.masked.map((m) => m.kind).sort(), ['address', 'name', 'phone']);
  // full-text search finds the masked text, never the masked words
  assert.equal((await store.searchContributions('essai', 'Fictivo')).length, 0);
  assert.equal((await store.stats('essai', { moderation: ['published'] })).contributions, 0);
  const doc = await buildSynthesis(store, { consultation: 'essai', level: 'departement' });
  assert.deepEqual(hasAny(JSON.stringify(doc), [...SECRETS, ...HEALTH]), []);
  assert.equal(doc.quotes.length, 0);

  // publishing the document as a whole: recorded, audited, then public (masked)
  const p = await publishDocument(store, result.documentId, 'analyste@test.invalid');
  assert.equal((await store.getDocument(result.documentId))?.publication?.by, 'analyste@test.invalid');
  assert.ok((await listAudit(store, { consultation: 'essai' })).some((a) => a.action === 'document.publish' && a.actor === 'analyste@test.invalid' && a.at === p.at));
  assert.ok((await store.listContributions('essai')).every(isPublic));
  const published = await buildSynthesis(store, { consultation: 'essai', level: 'departement' });
  // published, it counts (and can be quoted: a summary quotes 1–3 examples per idea, not necessarily this one)
  assert.ok(published.figures.find((f) => f.key === 'total')?.contributions.includes(stored.id), 'publiée, elle compte');
  assert.ok(published.quotes.length > 0 && published.quotes.every((q) => all.some((c) => c.id === q.contribution)), 'publiées, elles peuvent être citées');
  assert.deepEqual(hasAny(JSON.stringify(published), SECRETS), []);

  // re-reading the same bytes with a newer parser keeps the publication and the moderation decisions
  const again = await parseTabular(Buffer.from(sensitiveCsv()), 'ateliers.csv', { consultation: 'essai', themes: [...CNR_SANTE_THEMES] });
  again.parserVersion += '-next';
  const replaced = await store.importParsed('essai', again);
  assert.equal(replaced.outcome, 'replaced');
  assert.equal(replaced.publication?.by, 'analyste@test.invalid');
  assert.ok((await store.listContributions('essai')).every(isPublic));
  assert.equal((await privateTexts(store, [stored.id])).get(stored.id)?.original, SENSITIVE);
});

describe('barrière de publication de bout en bout (API)', () => {
  let t: TestServer;
  before(async () => { t = await testServer(); });
  after(async () => { await t.close(); });

  test('téléversé, analysé, publié puis rejeté : rien de la ligne sensible ne reste public', async () => {
    const analyst = await (await Client.create(t.app, '10.9.0.1')).login('analyst');
    const visitor = await Client.create(t.app, '10.9.0.2');

    // an ordinary document published as a whole by the analyst, the sensitive one left to moderation
    let res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('ordinaires.csv', ordinaryCsv(), { publish: '1' }) });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().publication.by, 'analyste@ars.test');
    res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('ateliers.csv', sensitiveCsv()) });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().publication, null);

    const all = await t.store.listContributions('essai');
    const sensitive = all.find((c) => c.text.includes('séropositive'))!;
    assert.equal(sensitive.moderation.status, 'pending');
    assert.deepEqual(hasAny(sensitive.text, SECRETS), []);
    assert.equal((await privateTexts(t.store, [sensitive.id])).get(sensitive.id)?.original, SENSITIVE);
    assert.ok((await listAudit(t.store, { consultation: 'essai' })).some((a) => a.action === 'document.publish' && a.actor === 'analyste@ars.test'));

    // no public route shows or counts it while pending
    const publicLeaks = async (words: string[]) => {
      const bodies = [
        (await visitor.get('/api/consultations/essai/contributions?pageSize=100')).body,
        (await visitor.get(`/api/consultations/essai/contributions?q=${enc('séropositive')}`)).body,
        (await visitor.get(`/api/consultations/essai/contributions?q=${enc('dépistage')}`)).body,
        (await visitor.get('/api/consultations/essai/stats')).body,
      ];
      const restitution = await visitor.get('/api/consultations/essai/restitution');
      if (restitution.statusCode === 200) bodies.push(restitution.body);
      return bodies.flatMap((b) => hasAny(b, words));
    };
    assert.deepEqual(await publicLeaks([...SECRETS, ...HEALTH]), []);
    assert.equal((await visitor.get('/api/consultations/essai/contributions')).json().total, 3);
    assert.equal((await visitor.get(`/api/consultations/essai/contributions?q=${enc('dépistage')}`)).json().total, 0);
    const stats = (await visitor.get('/api/consultations/essai/stats')).json();
    assert.equal(stats.contributions, 3, 'les statistiques publiques ne comptent que les contributions publiées');
    assert.equal(stats.byTheme['1'], 1);
    assert.equal((await visitor.get('/api/consultations/essai')).json().counts.contributions, 3);

    // analysis, generated and published synthesis: neither quotes nor counts it
    res = await analyst.post('/api/admin/consultations/essai/analyze', {});
    assert.equal(res.statusCode, 202, res.body);
    assert.equal((await waitForJob(analyst, res.json().id)).state, 'done');
    res = await analyst.post('/api/admin/consultations/essai/synthesis', {});
    assert.equal(res.statusCode, 202, res.body);
    const synthesisJob = await waitForJob(analyst, res.json().id);
    assert.equal(synthesisJob.state, 'done', JSON.stringify(synthesisJob.error));
    const generated = await loadSynthesis(t.store, synthesisJob.result.id);
    assert.deepEqual(hasAny(JSON.stringify(generated), [...SECRETS, ...HEALTH]), []);
    assert.ok(!JSON.stringify(generated).includes(sensitive.id), 'ni comptée ni citée');
    await fillEditorialTexts(analyst, 'essai');
    res = await analyst.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(await publicLeaks([...SECRETS, ...HEALTH]), []);

    // published by a moderator: public, masked
    res = await analyst.post(`/api/admin/contributions/${enc(sensitive.id)}/moderation`, { action: 'publish' });
    assert.equal(res.statusCode, 200, res.body);
    res = await visitor.get(`/api/consultations/essai/contributions?q=${enc('dépistage')}`);
    assert.equal(res.json().total, 1);
    assert.match(res.json().items[0].text, /\[téléphone\]/);
    // an idea named after it, as the analysis names ideas (its most central member's text)
    const groups = await t.store.listIdeaGroups('essai');
    const label = cleanLabel(sensitive.text);
    const others = all.filter((c) => c.id !== sensitive.id && c.themes.some((th) => th.theme === '1'));
    const idea: IdeaGroup = {
      id: 'essai/idee-depistage', consultation: 'essai', parent: null, theme: '1', label, labelByHuman: false,
      members: [sensitive, ...others].map((c) => ({ contribution: c.id, provenance: { by: 'model', model: 'fabrique-grouping', version: 'test', at: '2026-01-01T00:00:00Z' } })),
      quotes: [sensitive.id], lineage: [{ op: 'create', at: '2026-01-01T00:00:00Z', by: 'fabrique' }],
    };
    const kept = groups.filter((g) => !g.members.some((m) => idea.members.some((x) => x.contribution === m.contribution)));
    await t.store.saveIdeaGroups('essai', [...kept, idea]);
    res = await analyst.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 200, res.body);
    let html = (await visitor.get('/api/consultations/essai/restitution')).body;
    assert.ok(html.includes('séropositive'), 'publiée, elle est citée');
    assert.ok(html.includes(label.slice(0, 40)), 'et nomme son idée');
    assert.deepEqual(hasAny(html, SECRETS), []);

    // rejected: the published restitution that relied on it is withdrawn at once…
    res = await analyst.post(`/api/admin/contributions/${enc(sensitive.id)}/moderation`, { action: 'reject', reason: 'données de santé identifiantes' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await visitor.get('/api/consultations/essai/restitution')).statusCode, 404);
    assert.ok((await listAudit(t.store, { consultation: 'essai' })).some((a) => a.action === 'synthesis.stale'));
    assert.equal((await visitor.get(`/api/consultations/essai/contributions?q=${enc('dépistage')}`)).json().total, 0);
    // …and published again, nothing derived from it remains: no quote, no label, no annex entry
    res = await analyst.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 200, res.body);
    html = (await visitor.get('/api/consultations/essai/restitution')).body;
    assert.deepEqual(hasAny(html, [...SECRETS, ...HEALTH, label.slice(0, 40), sensitive.id]), []);
    const doc = await buildSynthesis(t.store, { consultation: 'essai', level: 'departement' });
    assert.deepEqual(hasAny(JSON.stringify(doc) + renderHtml(doc), [...HEALTH, label.slice(0, 40), sensitive.id]), []);
    assert.ok(doc.figures.some((f) => f.key === 'idea.g:essai/idee-depistage'), 'l’idée reste, nommée d’après ses membres publics');
  });
});
