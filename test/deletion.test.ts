/**
 * Issue 11, point 5: deletion and erasure. After a person's contribution is erased, its words are found in no
 * column of any table (every text column of every table scanned for a marker), the audit log holds the erasure
 * without them, and figures and search are back to what they were; deleting a wrong import restores the
 * consultation's figures exactly; the CLI and the API do the same; a facilitator may not delete.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { CNR_SANTE_THEMES } from '../src/domain/index.ts';
import type { IdeaGroup } from '../src/domain/ideas.ts';
import { departementsOutside, documentDepartements, isOtherTerritory } from '../src/domain/territory.ts';
import { listAudit } from '../src/store/audit.ts';
import { ERASED_TEXT } from '../src/store/deletion.ts';
import { Store } from '../src/store/index.ts';
import { CLI_ACTOR, context, type Actor } from '../src/usecases/context.ts';
import { moderateContribution, submitContribution } from '../src/usecases/contributions.ts';
import { deleteConsultation, deleteContribution, deleteDocument } from '../src/usecases/deletion.ts';
import { importFiles } from '../src/usecases/imports.ts';
import { editSynthesisEditorial, generateSynthesis, publishSynthesis, synthesisDraft, type SynthesisTarget } from '../src/usecases/syntheses.ts';
import { fillEditorialTexts } from './helpers/editorial.ts';
import { runCli } from './helpers/cli.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';
import { multipart } from './helpers/multipart.ts';
import { Client, testServer, waitForJob, type TestServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

// Made-up texts. The marker word appears in nothing else.
const MARKER = 'zorglubienne';
const MARKED = `La navette ${MARKER} vers l’hôpital de Rodez ne passe plus le dimanche, il faudrait la rétablir au plus vite`;
const EDITED = `La navette ${MARKER} vers l’hôpital ne passe plus le dimanche : la rétablir`;

const ordinaryCsv = () => [
  'Texte;Thème;Nature',
  'Il faut rouvrir la maternité de proximité fermée l’an dernier;2;Proposition',
  'Proposer des consultations avancées de spécialistes dans les bourgs;1;Proposition',
  'Financer le transport solidaire vers les hôpitaux;1;Proposition',
  'Les délais pour voir un dermatologue dépassent huit mois;1;Constat',
].join('\r\n') + '\r\n';

const wrongCsv = () => [
  'Texte;Thème;Nature;Code postal',
  'Un centre de santé à Cognac avec des médecins salariés;1;Proposition;16100',
  'Plus de places en Ehpad autour de Saintes;3;Proposition;17100',
  'Les urgences de Brive saturent chaque été;2;Constat;19100',
].join('\r\n') + '\r\n';

const ANALYST: Actor = { name: 'analyste@test.invalid', role: 'analyst' };

/** Generates the draft, writes a text in every block still to write (publication is refused otherwise), publishes. */
async function publishRestitution(store: Store, target: SynthesisTarget = { consultation: 'essai' }) {
  const ctx = context(store, ANALYST);
  await generateSynthesis(ctx, target);
  const draft = await synthesisDraft(ctx, target);
  const keys = draft.problems.filter((p) => p.code === 'placeholder').map((p) => (p as { path?: string }).path).filter((k): k is string => !!k);
  if (keys.length) await editSynthesisEditorial(ctx, { ...target, texts: Object.fromEntries(keys.map((k) => [k, `Texte de test pour la rubrique (${k}).`])) });
  return publishSynthesis(ctx, target);
}

/** The same through the API: generation job, texts to write, publication. */
async function publishViaApi(c: Client): Promise<void> {
  const res = await c.post('/api/admin/consultations/essai/synthesis', {});
  assert.equal(res.statusCode, 202, res.body);
  assert.equal((await waitForJob(c, res.json().id)).state, 'done');
  await fillEditorialTexts(c, 'essai');
  const pub = await c.post('/api/admin/consultations/essai/synthesis/publish', {});
  assert.equal(pub.statusCode, 200, pub.body);
}

async function setUp(store: Store): Promise<void> {
  await store.upsertConsultation({ slug: 'essai', title: 'Essai', territory: '12', status: 'open', themes: [...CNR_SANTE_THEMES] });
  await importFiles(context(store, ANALYST), { consultation: 'essai', files: [{ name: 'ordinaires.csv', bytes: Buffer.from(ordinaryCsv()) }], publishBy: ANALYST.name });
}

/** Every text-like column of every table, with the rows where it holds `needle`. */
async function findEverywhere(store: Store, needle: string): Promise<string[]> {
  const hits: string[] = [];
  if (store.dialect === 'sqlite') {
    const tables = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(store.db)).rows;
    for (const { name } of tables) {
      const cols = (await sql<{ name: string; type: string }>`SELECT name, type FROM pragma_table_info(${name})`.execute(store.db)).rows;
      for (const c of cols) {
        // FTS5 shadow tables hold stems in binary segments; the search below checks the index itself
        if (name.startsWith('contributions_fts')) continue;
        const n = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.id(name)} WHERE instr(CAST(${sql.id(c.name)} AS TEXT), ${needle}) > 0`.execute(store.db);
        if (Number(n.rows[0]!.n) > 0) hits.push(`${name}.${c.name}`);
      }
    }
  } else {
    const cols = (await sql<{ t: string; c: string }>`SELECT table_name AS t, column_name AS c FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'tsvector', 'bytea')`.execute(store.db)).rows;
    assert.ok(cols.length > 20, 'les colonnes de texte de PostgreSQL sont listées');
    for (const { t, c } of cols) {
      const n = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.id(t)} WHERE strpos(${sql.id(c)}::text, ${needle}) > 0 OR strpos(encode(convert_to(${sql.id(c)}::text, 'UTF8'), 'escape'), ${needle}) > 0`.execute(store.db);
      if (Number(n.rows[0]!.n) > 0) hits.push(`${t}.${c}`);
    }
  }
  return hits;
}

const figures = async (store: Store) => ({
  all: await store.stats('essai'), published: await store.stats('essai', { moderation: ['published'] }),
});

storeTest('effacer une contribution (RGPD) : son texte ne reste nulle part, le journal garde l’effacement sans lui', async (store) => {
  await setUp(store);
  const before = await figures(store);
  const searchBefore = (await store.searchContributions('essai', 'transport')).map((c) => c.id);

  // sent through the form, edited and published by a moderator, grouped, quoted in a published restitution
  const visitor = context(store, { name: 'visiteur', role: 'visitor' });
  const { id } = await submitContribution(visitor, { consultation: 'essai', text: MARKED, theme: '1', postcode: '12000' });
  await moderateContribution(context(store, ANALYST), { id, action: 'pseudonymise', text: EDITED });
  await moderateContribution(context(store, ANALYST), { id, action: 'publish' });
  // the form sets no kind; a proposal is quoted in the restitution's proposals
  await store.applyModelResults({ kinds: [{ contribution: id, kind: 'proposition', provenance: { by: 'human', reviewer: ANALYST.name, at: '2026-01-01T00:00:00Z' } }] });
  const members = (await store.listContributions('essai')).filter((c) => c.themes.some((t) => t.theme === '1'));
  const idea: IdeaGroup = {
    id: 'essai/idee-transport', consultation: 'essai', parent: null, theme: '1', label: 'Transports vers l’hôpital', labelByHuman: true,
    members: members.map((c) => ({ contribution: c.id, provenance: { by: 'human', reviewer: ANALYST.name, at: '2026-01-01T00:00:00Z' } })),
    quotes: [id], lineage: [{ op: 'create', at: '2026-01-01T00:00:00Z', by: ANALYST.name }],
  };
  // a group of it alone, emptied by its erasure
  const alone: IdeaGroup = { ...idea, id: 'essai/idee-seule', label: 'Navette du dimanche', members: [idea.members.find((m) => m.contribution === id)!], quotes: [id] };
  await store.saveIdeaGroups('essai', [idea, alone]);
  await publishRestitution(store);
  const found = await findEverywhere(store, MARKER);
  for (const where of ['contributions.text', 'contribution_private.original_text', 'audit_log.after_json', 'syntheses.model_json', 'published_syntheses.html']) {
    assert.ok(found.includes(where), `avant : le texte est dans ${where} (${found.join(', ')})`);
  }
  assert.ok((await store.searchContributions('essai', MARKER)).length === 1);
  assert.notDeepEqual(await figures(store), before);

  // a facilitator may not erase
  await assert.rejects(deleteContribution(context(store, { name: 'animation@test.invalid', role: 'facilitator', scope: ['essai'] }), { id, mode: 'erase' }), { code: 'forbidden' });

  const done = await deleteContribution(context(store, ANALYST), { id, mode: 'erase' });
  assert.equal(done.counts.contributions, 1);
  assert.equal(done.counts.restitutionsStale, 1);
  assert.equal(done.counts.ideaGroupsRemoved, 1);
  assert.ok(done.counts.auditEntriesRewritten >= 2, JSON.stringify(done.counts));

  assert.deepEqual(await findEverywhere(store, MARKER), [], 'le texte effacé ne reste dans aucune colonne');
  assert.deepEqual(await findEverywhere(store, 'rétablir'), []);
  assert.deepEqual(await figures(store), before, 'les chiffres reviennent à ce qu’ils étaient');
  assert.equal((await store.searchContributions('essai', MARKER)).length, 0);
  assert.deepEqual((await store.searchContributions('essai', 'transport')).map((c) => c.id), searchBefore);
  const groups = await store.listIdeaGroups('essai');
  assert.deepEqual(groups.map((g) => g.id), ['essai/idee-transport']);
  assert.deepEqual(groups[0]!.quotes, []);
  const published = await store.db.selectFrom('published_syntheses').selectAll().execute();
  assert.equal(published.length, 1);
  assert.ok(published[0]!.stale_since, 'la restitution qui la citait n’est plus servie');
  assert.ok(published[0]!.html.includes(ERASED_TEXT.replace(/"/g, '&quot;')), 'sa citation est remplacée');

  const audit = await listAudit(store, { consultation: 'essai', limit: 1000 });
  const erasure = audit.find((a) => a.action === 'contribution.erase');
  assert.ok(erasure, 'le journal garde l’effacement');
  assert.equal(erasure.targetId, id);
  assert.equal(erasure.actor, ANALYST.name);
  assert.deepEqual((erasure.after as { counts: { contributions: number } }).counts.contributions, 1);
  assert.ok(!JSON.stringify(audit).includes(MARKER));
  // the submission and the moderation stay in the log, without the text
  assert.ok(audit.some((a) => a.action === 'contribution.submit' && a.targetId === id));
  assert.ok(audit.some((a) => a.action === 'moderation.publish' && a.targetId === id));

  // the restitution can be published again: it quotes what remains
  await publishRestitution(store);
  assert.equal((await store.db.selectFrom('published_syntheses').select('stale_since').executeTakeFirstOrThrow()).stale_since, null);
});

storeTest('effacer une contribution importée : le fichier d’origine, qui contient son texte, n’est plus gardé', async (store) => {
  await setUp(store);
  const doc = (await store.listDocuments('essai'))[0]!;
  assert.ok((await store.db.selectFrom('source_files').select('document_id').where('document_id', '=', doc.id).execute()).length === 1);
  const target = (await store.listContributions('essai')).find((c) => c.text.includes('dermatologue'))!;
  const done = await deleteContribution(context(store, ANALYST), { id: target.id, mode: 'erase' });
  assert.equal(done.counts.sourceFiles, 1);
  assert.deepEqual(await findEverywhere(store, 'dermatologue'), []);
  assert.equal((await store.db.selectFrom('source_files').select('document_id').execute()).length, 0);
  assert.ok(await store.getDocument(doc.id), 'le document reste, avec ses autres contributions');
  assert.equal((await store.listContributions('essai')).length, 3);
});

storeTest('supprimer une contribution : retirée avec ce qui en dérive, le journal dit « delete »', async (store) => {
  await setUp(store);
  const target = (await store.listContributions('essai')).find((c) => c.text.includes('maternité'))!;
  const done = await deleteContribution(context(store, CLI_ACTOR), { id: target.id, mode: 'delete' });
  assert.equal(done.mode, 'delete');
  assert.equal(await store.getContribution(target.id), undefined);
  assert.equal((await store.stats('essai')).contributions, 3);
  const entry = (await listAudit(store, { consultation: 'essai' })).find((a) => a.action === 'contribution.delete')!;
  assert.equal(entry.targetId, target.id);
  assert.ok(!JSON.stringify(entry).includes('maternité'));
  await assert.rejects(deleteContribution(context(store, CLI_ACTOR), { id: target.id, mode: 'delete' }), { code: 'not_found' });
});

storeTest('supprimer un document importé par erreur : les chiffres reviennent exactement à ce qu’ils étaient', async (store) => {
  await setUp(store);
  const before = { ...(await figures(store)), tables: await store.tableCounts() };
  const ctx = context(store, ANALYST);
  // the wrong file names Charente, Charente-Maritime and Corrèze: refused without confirmation
  await assert.rejects(importFiles(ctx, { consultation: 'essai', files: [{ name: 'mauvais.csv', bytes: Buffer.from(wrongCsv()) }], publishBy: ANALYST.name }),
    (e: Error & { code?: string }) => e.code === 'conflict' && /16 \(Charente\)/.test(e.message) && /Importer quand même/.test(e.message));
  assert.deepEqual(await store.tableCounts(), before.tables, 'rien n’a été importé');
  const [imported] = await importFiles(ctx, { consultation: 'essai', files: [{ name: 'mauvais.csv', bytes: Buffer.from(wrongCsv()) }], publishBy: ANALYST.name, force: true });
  assert.equal(imported!.contributions, 3);
  assert.notDeepEqual(await figures(store), { all: before.all, published: before.published });
  await publishRestitution(store, { consultation: 'essai', level: 'departement', territory: '12' });
  const withSynthesis = await store.tableCounts();
  const wrongIds = new Set((await store.db.selectFrom('contributions').select('id').where('document_id', '=', imported!.documentId).execute()).map((r) => r.id));
  const relied = JSON.parse((await store.db.selectFrom('published_syntheses').select('contributions_json').executeTakeFirstOrThrow()).contributions_json!) as string[];
  const reliedOnWrong = relied.some((r) => wrongIds.has(r));

  const done = await deleteDocument(ctx, { documentId: imported!.documentId });
  assert.equal(done.counts.contributions, 3);
  assert.equal(done.counts.documents, 1);
  assert.equal(done.counts.sourceFiles, 1);
  // the restitution is withdrawn exactly when it counted or quoted one of them (the consultation's others are counted apart)
  assert.equal(wrongIds.size, 3);
  assert.equal(done.counts.restitutionsStale, reliedOnWrong ? 1 : 0);
  assert.equal((await store.db.selectFrom('published_syntheses').select('stale_since').executeTakeFirstOrThrow()).stale_since === null, !reliedOnWrong);
  assert.deepEqual(await figures(store), { all: before.all, published: before.published });
  assert.deepEqual(await store.tableCounts(), { ...before.tables, syntheses: withSynthesis.syntheses });
  assert.equal((await store.searchContributions('essai', 'Ehpad')).length, 0);
  assert.equal(await store.getDocument(imported!.documentId), undefined);
  const entry = (await listAudit(store, { consultation: 'essai' })).find((a) => a.action === 'document.delete')!;
  assert.equal(entry.targetId, imported!.documentId);
  assert.equal((entry.before as { fileName: string }).fileName, 'mauvais.csv');
  // imported again, it is the same document again (same bytes, same id)
  const [again] = await importFiles(ctx, { consultation: 'essai', files: [{ name: 'mauvais.csv', bytes: Buffer.from(wrongCsv()) }], force: true });
  assert.equal(again!.outcome, 'imported');
});

storeTest('supprimer une consultation : plus rien d’elle, sauf son journal sans les textes', async (store) => {
  await setUp(store);
  await store.upsertConsultation({ slug: 'autre', title: 'Autre', territory: '12', status: 'open', themes: [...CNR_SANTE_THEMES] });
  await importFiles(context(store, ANALYST), { consultation: 'autre', files: [{ name: 'autre.csv', bytes: Buffer.from('Texte\r\nUne contribution de l’autre consultation sur les pharmacies de garde\r\n') }] });
  const otherBefore = await store.stats('autre');
  await publishRestitution(store);
  await assert.rejects(deleteConsultation(context(store, ANALYST), { slug: 'essai' }), { code: 'forbidden' });
  const done = await deleteConsultation(context(store, { name: 'admin@test.invalid', role: 'admin' }), { slug: 'essai' });
  assert.equal(done.counts.contributions, 4);
  assert.equal(await store.getConsultation('essai'), undefined);
  assert.deepEqual(await findEverywhere(store, 'maternité'), []);
  assert.deepEqual(await store.stats('autre'), otherBefore);
  assert.equal((await store.searchContributions('autre', 'pharmacies')).length, 1);
  const audit = await listAudit(store, { consultation: 'essai' });
  assert.equal(audit[0]!.action, 'consultation.delete');
  // the slug can be used again, from nothing
  await setUp(store);
  assert.equal((await store.stats('essai')).contributions, 4);
  assert.equal((await store.searchContributions('essai', 'maternité')).length, 1);
});

test('domaine : départements cités par un document, et ceux hors du territoire', () => {
  const doc = { meetings: [{ territory: '16' }, { territory: '12' }], contributions: [{ territory: '17100' }, { territory: '2A' }, {}] };
  assert.deepEqual(documentDepartements(doc), ['12', '16', '17', '2A']);
  assert.deepEqual(departementsOutside({ code: '12', level: 'departement' }, ['12', '16']), ['16']);
  assert.deepEqual(departementsOutside({ code: '76', level: 'region' }, ['12', '46', '16']), ['16']);
  assert.deepEqual(departementsOutside({ code: '12', level: 'departement' }, []), []);
  // only a document entirely about elsewhere is questioned: neighbours in an online file are ordinary
  assert.equal(isOtherTerritory({ code: '12', level: 'departement' }, ['12', '46', '81']), false);
  assert.equal(isOtherTerritory({ code: '12', level: 'departement' }, ['16', '17']), true);
  assert.equal(isOtherTerritory({ code: '76', level: 'region' }, ['16', '33']), true);
  assert.equal(isOtherTerritory({ code: '75', level: 'region' }, ['16', '33']), false);
  assert.equal(isOtherTerritory({ code: '12', level: 'departement' }, []), false);
});

const NA = 'cnr-sante-nouvelle-aquitaine-ateliers.txt';

test('le rapport de Nouvelle-Aquitaine importé dans une consultation de l’Aveyron demande confirmation', { skip: corpusSkip(NA) }, async () => {
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation({ slug: 'aveyron', title: 'Aveyron', territory: '12', territoryLevel: 'departement', status: 'open', themes: [...CNR_SANTE_THEMES] });
    const files = [{ name: NA, bytes: await readFile(join(CORPUS_DIR, NA)) }];
    const ctx = context(store, ANALYST);
    await assert.rejects(importFiles(ctx, { consultation: 'aveyron', files }), (e: Error & { code?: string; field?: string }) => {
      assert.equal(e.code, 'conflict');
      assert.equal(e.field, 'force');
      for (const code of ['16', '17', '19', '23', '24', '33', '40', '47']) assert.ok(e.message.includes(`${code} (`), `${code} dans « ${e.message} »`);
      assert.match(e.message, /Aveyron, 12/);
      return true;
    });
    assert.equal((await store.stats('aveyron')).contributions, 0);
    // the same file into a Nouvelle-Aquitaine consultation: no question
    await store.upsertConsultation({ slug: 'na', title: 'Nouvelle-Aquitaine', territory: '75', territoryLevel: 'region', status: 'open', themes: [...CNR_SANTE_THEMES] });
    const [na] = await importFiles(ctx, { consultation: 'na', files });
    assert.ok(na!.contributions > 1000);
    // confirmed, it is imported (into the wrong consultation, then deleted: figures back to zero)
    await deleteDocument(ctx, { documentId: na!.documentId });
    const [forced] = await importFiles(ctx, { consultation: 'aveyron', files, force: true });
    assert.equal(forced!.contributions, na!.contributions);
    await deleteDocument(ctx, { documentId: forced!.documentId });
    const { consultation: _a, ...after } = await store.stats('aveyron');
    assert.deepEqual(after, { contributions: 0, documents: 0, meetings: 0, byTheme: {}, byKind: {}, byMeeting: {}, byCollege: {}, byChannel: {}, withoutTheme: 0 });
    assert.equal((await store.searchContributions('aveyron', 'médecin')).length, 0);
  } finally {
    await store.close();
  }
});

describe('suppression par l’API et par la ligne de commande', () => {
  let t: TestServer;
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'fabrique-deletion-')); });
  after(async () => { await t?.close(); await rm(dir, { recursive: true, force: true }); });

  test('même résultat par les deux faces ; les rôles sont respectés', async () => {
    // one SQLite file shared by the server and the CLI
    const path = join(dir, 'base.sqlite');
    t = await testServer({}, await Store.open({ sqlitePath: path }));
    const analyst = await (await Client.create(t.app, '10.11.0.1')).login('analyst');
    const facilitator = await (await Client.create(t.app, '10.11.0.2')).login('facilitator');
    const admin = await (await Client.create(t.app, '10.11.0.3')).login('admin');
    let res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('ordinaires.csv', ordinaryCsv(), { publish: '1' }) });
    assert.equal(res.statusCode, 201, res.body);
    const stats0 = (await analyst.get('/api/consultations/essai/stats')).json();

    // the wrong file: 409 with the codes found, then imported when confirmed
    res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('mauvais.csv', wrongCsv(), { publish: '1' }) });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.field, 'force');
    assert.match(res.json().error.message, /16 \(Charente\), 17 \(Charente-Maritime\), 19 \(Corrèze\)/);
    res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('mauvais.csv', wrongCsv(), { publish: '1', force: '1' }) });
    assert.equal(res.statusCode, 201, res.body);
    const wrong = res.json().documentId as string;
    assert.notDeepEqual((await analyst.get('/api/consultations/essai/stats')).json(), stats0);

    // a facilitator may delete nothing; an analyst may not delete a consultation
    assert.equal((await facilitator.request({ method: 'DELETE', url: `/api/admin/documents/${wrong}` })).statusCode, 403);
    const one = (await t.store.listContributions('essai'))[0]!;
    assert.equal((await facilitator.request({ method: 'DELETE', url: `/api/admin/contributions/${encodeURIComponent(one.id)}` })).statusCode, 403);
    assert.equal((await facilitator.post(`/api/admin/contributions/${encodeURIComponent(one.id)}/erase`)).statusCode, 403);
    assert.equal((await analyst.request({ method: 'DELETE', url: '/api/admin/consultations/essai' })).statusCode, 403);
    assert.equal((await analyst.request({ method: 'DELETE', url: '/api/admin/documents/inconnu' })).statusCode, 404);

    res = await analyst.request({ method: 'DELETE', url: `/api/admin/documents/${wrong}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().counts.contributions, 3);
    const viaApi = (await analyst.get('/api/consultations/essai/stats')).json();
    assert.deepEqual(viaApi, stats0);

    // the same wrong import undone from the command line
    let cli = await runCli(['import', join(dir, 'mauvais.csv'), '--consultation', 'essai'], { FABRIQUE_DB: path });
    assert.notEqual(cli.code, 0, 'fichier absent');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'mauvais.csv'), wrongCsv());
    cli = await runCli(['import', join(dir, 'mauvais.csv'), '--consultation', 'essai', '--publish', '--by', 'cli@test.invalid'], { FABRIQUE_DB: path });
    assert.equal(cli.code, 4, cli.stderr);
    assert.match(cli.stderr, /--force/);
    cli = await runCli(['import', join(dir, 'mauvais.csv'), '--consultation', 'essai', '--publish', '--by', 'cli@test.invalid', '--force'], { FABRIQUE_DB: path });
    assert.equal(cli.code, 0, cli.stderr);
    assert.notDeepEqual((await analyst.get('/api/consultations/essai/stats')).json(), stats0);
    cli = await runCli(['delete', 'document', wrong], { FABRIQUE_DB: path });
    assert.equal(cli.code, 2, 'sans --yes hors d’un terminal : rien');
    assert.notDeepEqual((await analyst.get('/api/consultations/essai/stats')).json(), stats0);
    cli = await runCli(['delete', 'document', wrong, '--yes'], { FABRIQUE_DB: path });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /Document « mauvais\.csv » supprimé de « essai » : 3 contributions, 1 document/);
    assert.deepEqual((await analyst.get('/api/consultations/essai/stats')).json(), viaApi, 'la ligne de commande donne le même résultat');

    // erasure: API and CLI
    const [a, b] = await t.store.listContributions('essai');
    res = await analyst.post(`/api/admin/contributions/${encodeURIComponent(a!.id)}/erase`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().mode, 'erase');
    cli = await runCli(['erase', 'contribution', b!.id, '--yes', '--json'], { FABRIQUE_DB: path });
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).mode, 'erase');
    const erased = (await listAudit(t.store, { consultation: 'essai' })).filter((e) => e.action === 'contribution.erase');
    assert.deepEqual(erased.map((e) => e.actor).sort(), ['analyste@ars.test', 'ligne de commande']);
    assert.equal((await analyst.get('/api/consultations/essai/stats')).json().contributions, 2);

    // the consultation, by an administrator
    res = await admin.request({ method: 'DELETE', url: '/api/admin/consultations/essai' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await admin.get('/api/admin/consultations/essai')).statusCode, 404);
  });
});

describe('effacement vu du public (API)', () => {
  let t: TestServer;
  before(async () => { t = await testServer(); });
  after(async () => { await t?.close(); });

  test('publiée, une contribution est partout ; effacée, nulle part, et le journal garde l’effacement sans son texte', async () => {
    const analyst = await (await Client.create(t.app, '10.12.0.1')).login('analyst');
    const visitor = await Client.create(t.app, '10.12.0.2');
    let res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('ordinaires.csv', ordinaryCsv(), { publish: '1' }) });
    assert.equal(res.statusCode, 201, res.body);
    const statsBefore = (await visitor.get('/api/consultations/essai/stats')).json();
    res = await visitor.post('/api/consultations/essai/contributions', { text: MARKED, theme: '1', postcode: '12000' });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().id as string;
    // the form queue writes in batches: wait until it is stored
    for (let i = 0; i < 100 && !(await t.store.getContribution(id)); i++) await new Promise((r) => setTimeout(r, 20));
    res = await analyst.post(`/api/admin/contributions/${encodeURIComponent(id)}/moderation`, { action: 'publish' });
    assert.equal(res.statusCode, 200, res.body);
    await t.store.applyModelResults({ kinds: [{ contribution: id, kind: 'proposition', provenance: { by: 'human', reviewer: 'analyste@ars.test', at: '2026-01-01T00:00:00Z' } }] });
    const members = (await t.store.listContributions('essai')).filter((c) => c.themes.some((th) => th.theme === '1'));
    await t.store.saveIdeaGroups('essai', [{
      id: 'essai/idee-navette', consultation: 'essai', parent: null, theme: '1', label: 'Se rendre à l’hôpital', labelByHuman: true,
      members: members.map((c) => ({ contribution: c.id, provenance: { by: 'human', reviewer: 'analyste@ars.test', at: '2026-01-01T00:00:00Z' } })),
      quotes: [id], lineage: [{ op: 'create', at: '2026-01-01T00:00:00Z', by: 'analyste@ars.test' }],
    }]);
    await publishViaApi(analyst);

    const publicBodies = async () => {
      const bodies = [
        (await visitor.get('/api/consultations/essai/contributions?pageSize=100')).body,
        (await visitor.get(`/api/consultations/essai/contributions?q=${MARKER}`)).body,
        (await visitor.get('/api/consultations/essai/stats')).body,
      ];
      const restitution = await visitor.get('/api/consultations/essai/restitution');
      if (restitution.statusCode === 200) bodies.push(restitution.body);
      return bodies;
    };
    const visible = (await publicBodies()).filter((b) => b.includes(MARKER));
    assert.equal(visible.length, 3, 'publiée : dans la liste, la recherche et la restitution');

    res = await analyst.post(`/api/admin/contributions/${encodeURIComponent(id)}/erase`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await publicBodies()).filter((b) => b.includes(MARKER) || b.includes('rétablir')), [], 'effacée : nulle part');
    assert.equal((await visitor.get('/api/consultations/essai/restitution')).statusCode, 404, 'la restitution qui la citait n’est plus servie');
    assert.deepEqual((await visitor.get('/api/consultations/essai/stats')).json(), statsBefore);
    const audit = await listAudit(t.store, { consultation: 'essai', limit: 1000 });
    const erasure = audit.find((a) => a.action === 'contribution.erase' && a.targetId === id);
    assert.ok(erasure, 'le journal garde l’effacement');
    assert.equal(erasure.actor, 'analyste@ars.test');
    assert.ok(!JSON.stringify(audit).includes(MARKER), 'sans le texte');
    // republished, the restitution is served again without it
    res = await analyst.post('/api/admin/consultations/essai/synthesis/publish', {});
    assert.equal(res.statusCode, 200, res.body);
    const html = (await visitor.get('/api/consultations/essai/restitution')).body;
    assert.ok(!html.includes(MARKER));
  });
});

describe('import en tâche d’un fichier d’un autre territoire', () => {
  let t: TestServer;
  before(async () => { t = await testServer({ importJobBytes: 64 }); });
  after(async () => { await t?.close(); });

  test('la tâche échoue avec la même question (champ « force ») ; confirmée, elle importe', async () => {
    const analyst = await (await Client.create(t.app, '10.13.0.1')).login('analyst');
    let res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('mauvais.csv', wrongCsv()) });
    assert.equal(res.statusCode, 202, res.body);
    let job = await waitForJob(analyst, res.json().id);
    assert.equal(job.state, 'failed');
    assert.equal(job.error?.code, 'conflict');
    assert.equal((job.error as { field?: string }).field, 'force');
    assert.match(job.error!.message, /Importer quand même/);
    assert.equal((await t.store.stats('essai')).contributions, 0);
    res = await analyst.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('mauvais.csv', wrongCsv(), { force: '1' }) });
    assert.equal(res.statusCode, 202, res.body);
    job = await waitForJob(analyst, res.json().id);
    assert.equal(job.state, 'done', JSON.stringify(job.error));
    assert.equal((await t.store.stats('essai')).contributions, 3);
  });
});

test('SQLite: after an erasure the words are in no byte of the database file nor of its WAL (free pages, index segments)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fabrique-erase-file-'));
  const path = join(dir, 'f.sqlite');
  const store = await Store.open({ sqlitePath: path });
  try {
    await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement' });
    await store.upsertConsultation({ slug: 'essai', title: 'Essai', territory: '12', status: 'open', periodEnd: '2099-12-31', themes: [...CNR_SANTE_THEMES] });
    const ctx = context(store, CLI_ACTOR);
    for (let i = 0; i < 30; i++) await submitContribution(ctx, { consultation: 'essai', text: `Texte ordinaire numéro ${i} sur le médecin et la pharmacie du bourg.` });
    const { id } = await submitContribution(ctx, { consultation: 'essai', text: 'Le dispensaire de Quixoterville reçoit les zébrures du lundi.' });
    // published then erased: the index held it under two statuses, each left in a segment
    await moderateContribution(context(store, { name: 'analyste@ars.test', role: 'analyst' }), { id, action: 'publish' });
    await deleteContribution(context(store, { name: 'analyste@ars.test', role: 'analyst' }), { id, mode: 'erase' });
    const bytes = async (f: string) => (await readFile(f).catch(() => Buffer.alloc(0))).toString('latin1').toLowerCase();
    for (const f of [path, `${path}-wal`]) {
      const raw = await bytes(f);
      assert.ok(!raw.includes('quixoter') && !raw.includes('zebrur') && !raw.includes('zébrur'), `${f} garde des mots effacés`);
    }
    assert.equal((await store.searchContributions('essai', 'pharmacie')).length > 0, true, 'the index still answers');
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
