/**
 * Backup → restore and consultation archive → import round trips, compared row by row; a tampered
 * archive is refused and writes nothing (issue 9, point 10).
 */
import { saveEasyReadDraft, setEasyReadPublication } from '../src/store/easy-read.ts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { CompiledQuery, Kysely, Migrator, SqliteDialect } from 'kysely';
import type { Contribution } from '../src/domain/index.ts';
import { importPaths } from '../src/cli/commands/import.ts';
import { main } from '../src/cli/main.ts';
import { appDb } from '../src/store/accounts.ts';
import { ARCHIVED_TABLES, databaseTables, exportConsultationArchive, importConsultationArchive, isConsultationArchive, NOT_ARCHIVED_TABLES } from '../src/store/archive.ts';
import { recordAudit } from '../src/store/audit.ts';
import { backupSqlite, restoreSqlite } from '../src/store/backup.ts';
import { migrationProvider } from '../src/store/migrations.ts';
import { saveIndicators } from '../src/store/indicators.ts';
import { setNationalMark } from '../src/store/national-marks.ts';
import { reopenConsultation } from '../src/store/consultations.ts';
import { saveReportDraft } from '../src/store/meeting-reports.ts';
import { addContributionsWithOriginals, moderateContribution, replaceContributionThemes, savePublishedSynthesis } from '../src/store/moderation.ts';
import { Store } from '../src/store/index.ts';
import { testConsultation, testDocument } from './helpers/fixtures.ts';
import { multipart, contributionsCsv } from './helpers/multipart.ts';
import { Client, testServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const PG_URL = process.env.FABRIQUE_TEST_DATABASE_URL;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'fabrique-backup-test-'));
}

/** A consultation touching every archived table, with made-up texts. */
async function populate(store: Store, slug: string): Promise<void> {
  await store.upsertTerritory({ code: '76', name: 'Occitanie', level: 'region' });
  await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement', parent: '76' });
  await store.upsertConsultation({ ...testConsultation(slug), territory: '12', territoryLevel: 'departement', description: 'Consultation fictive', periodStart: '2026-01-05' });
  await saveIndicators(store, '12', 'departement', [
    { id: 'densite_mg', label: 'Médecins généralistes pour 10 000 habitants', unit: 'pour 10 000', territory: '12', year: 2024, value: 7.9, regionValue: 9.1, franceValue: 8.6, source: 'Source fictive' },
    { id: 'passages_urgences', label: 'Passages aux urgences', territory: '12', year: 2024, value: null },
  ]);
  // A document with its bytes, and one imported the old way (no bytes kept).
  const bytes = Buffer.from(`Compte rendu fictif de l’atelier de ${slug}\nLigne deux\n`);
  const documentId = sha256(bytes);
  await store.importParsed(slug, testDocument(['Trop peu de médecins le soir', 'Ouvrir une maison de santé à Espalion', 'Les transports manquent pour aller à Rodez'],
    { documentId, consultation: slug }), { bytes });
  const legacyId = sha256(Buffer.from(`ancien ${slug}`));
  await store.importParsed(slug, testDocument(['Un bus vers l’hôpital le mardi'], { documentId: legacyId, consultation: slug }));

  const form = (n: number, text: string): Contribution => ({
    id: `${slug}:form:${n}`, consultation: slug, channel: 'formulaire', text, authorCollege: 'usagers', territory: '12', date: '2026-02-0' + n,
    themes: [{ theme: '1', provenance: { by: 'source', documentId: 'formulaire' } }],
    moderation: { status: 'pending' }, source: { documentId: 'formulaire', file: 'formulaire' },
  });
  await addContributionsWithOriginals(store, slug, [
    { contribution: form(1, 'Je suis [prénom] et j’attends six mois un rendez-vous'), original: 'Je suis Maëlle et j’attends six mois un rendez-vous', masked: [{ kind: 'prénom', start: 8, end: 16, original: 'Maëlle' }], postcode: '12000' },
    { contribution: form(2, 'Plus de pharmacies de garde le dimanche') },
  ], { actor: 'public', action: 'contribution.submit' });
  await moderateContribution(store, `${slug}:form:1`, { status: 'published', by: 'analyste@ars.test', action: 'contribution.moderate' });
  await moderateContribution(store, `${slug}:form:2`, { status: 'rejected', reason: 'hors sujet', by: 'analyste@ars.test', action: 'contribution.moderate' });
  const [first] = await store.listContributions(slug, { channel: 'atelier' });
  await replaceContributionThemes(store, first!.id, [{ theme: '3', provenance: { by: 'human', reviewer: 'analyste@ars.test', at: '2026-02-10T10:00:00.000Z' } }],
    { actor: 'analyste@ars.test', action: 'themes.set' });
  await store.applyModelResults({ kinds: [{ contribution: `${slug}:form:2`, kind: 'proposition', provenance: { by: 'model', model: 'kinds', version: 'v1', probability: 0.8, at: '2026-02-11T00:00:00.000Z' } }] });
  const ids = (await store.listContributions(slug)).map((c) => c.id);
  await store.saveIdeaGroups(slug, [
    { id: `${slug}:g1`, consultation: slug, parent: null, theme: '1', label: 'Accès aux médecins', labelByHuman: true,
      members: ids.slice(0, 2).map((c) => ({ contribution: c, provenance: { by: 'model', model: 'groups', version: 'v1', at: '2026-02-11T00:00:00.000Z' } })),
      quotes: [ids[0]!], lineage: [] },
    { id: `${slug}:g1a`, consultation: slug, parent: `${slug}:g1`, theme: '1', label: 'Soirées', labelByHuman: false,
      members: [{ contribution: ids[0]!, provenance: { by: 'human', reviewer: 'analyste@ars.test', at: '2026-02-12T00:00:00.000Z' } }], quotes: [], lineage: [], statedCount: 3 },
  ]);
  await setNationalMark(store, slug, { type: 'group', id: `${slug}:g1`, national: true }, { actor: 'analyste@ars.test', at: '2026-02-13T00:00:00.000Z' });
  await store.saveAnalysisModel({ consultation: slug, purpose: 'themes', version: 'v1', metadata: { trainedOn: 4 }, model: { weights: [0.5, -1.25, 3] } });
  await store.db.insertInto('syntheses').values({ id: `${slug}:departement:12`, consultation: slug, level: 'departement', territory: '12',
    generated_at: '2026-03-01T00:00:00.000Z', model_json: 'null', editorial_json: JSON.stringify({ introduction: 'Texte éditorial fictif' }) }).execute();
  await savePublishedSynthesis(store, { id: `${slug}:departement:12`, consultation: slug, level: 'departement', territory: '12', html: '<p>Restitution fictive</p>', by: 'admin@ars.test' },
    { before: null, after: { published: true } });
  // the easy-to-read summary (migration 0028), saved and published
  await saveEasyReadDraft(store, slug, { title: 'Ce que vous avez dit', sections: [{ heading: 'Les médecins', text: 'Vous voulez un médecin près de chez vous.' }] },
    { actor: 'analyste@ars.test', at: '2026-03-01T10:00:00.000Z' });
  await setEasyReadPublication(store, slug, true, { actor: 'analyste@ars.test', at: '2026-03-01T11:00:00.000Z' });
  await recordAudit(appDb(store), { actor: 'analyste@ars.test', action: 'document.import', consultation: slug, targetType: 'document', targetId: documentId, after: { fileName: 'essai.txt' } });
  // a draft workshop report (texts as typed) and a reopening past the end date (migration 0016)
  const [meeting] = await store.listMeetings(slug);
  await saveReportDraft(store, {
    meeting: meeting!.id, consultation: slug, status: 'draft', participants: { ...meeting!.participants, usagers: 4, total: 5 },
    draft: [{ theme: '1', problematiques: ['Un brouillon de compte-rendu'], solutions: [], leviers: [] }], contributions: [],
    anomalies: [{ level: 'warning', code: 'participants.total_mismatch', message: 'Total des participants indiqué (5) différent de la somme des collèges (4).' }],
    updatedAt: '2026-03-02T00:00:00.000Z', updatedBy: 'animation@ars.test', submittedAt: null, submittedBy: null,
  }, undefined);
  await reopenConsultation(store, slug, '2099-12-31', { actor: 'admin@ars.test', action: 'consultation.reopen', consultation: slug, targetType: 'consultation', targetId: slug });
}

type Row = Record<string, unknown>;

/** Every row of every consultation-scoped table, all columns, sorted; written independently of src/store/archive.ts. */
async function consultationRows(store: Store, slug: string, opts: { crossDialect?: boolean } = {}): Promise<Record<string, Row[]>> {
  const scoped: Record<string, string> = {
    consultations: `SELECT * FROM consultations WHERE slug = $1`,
    territories: `SELECT * FROM territories`,
    indicators: `SELECT * FROM indicators`,
    source_documents: `SELECT * FROM source_documents WHERE consultation = $1`,
    source_files: `SELECT * FROM source_files WHERE document_id IN (SELECT id FROM source_documents WHERE consultation = $1)`,
    meetings: `SELECT * FROM meetings WHERE consultation = $1`,
    meeting_reports: `SELECT * FROM meeting_reports WHERE consultation = $1`,
    contributions: `SELECT * FROM contributions WHERE consultation = $1`,
    contribution_themes: `SELECT * FROM contribution_themes WHERE contribution_id IN (SELECT id FROM contributions WHERE consultation = $1)`,
    contribution_private: `SELECT * FROM contribution_private WHERE contribution_id IN (SELECT id FROM contributions WHERE consultation = $1)`,
    contribution_areas: `SELECT * FROM contribution_areas WHERE contribution_id IN (SELECT id FROM contributions WHERE consultation = $1)`,
    idea_groups: `SELECT * FROM idea_groups WHERE consultation = $1`,
    idea_members: `SELECT * FROM idea_members WHERE group_id IN (SELECT id FROM idea_groups WHERE consultation = $1)`,
    syntheses: `SELECT * FROM syntheses WHERE consultation = $1`,
    published_syntheses: `SELECT * FROM published_syntheses WHERE consultation = $1`,
    national_marks: `SELECT * FROM national_marks WHERE consultation = $1`,
    easy_read_summaries: `SELECT * FROM easy_read_summaries WHERE consultation = $1`,
    analysis_models: `SELECT * FROM analysis_models WHERE consultation = $1`,
    audit_log: `SELECT * FROM audit_log WHERE consultation = $1 AND action <> 'consultation.archive_import'`,
  };
  assert.deepEqual(Object.keys(scoped).sort(), [...ARCHIVED_TABLES].sort(), 'the test compares every archived table');
  const out: Record<string, Row[]> = {};
  for (const [table, query] of Object.entries(scoped)) {
    const text = store.dialect === 'sqlite' ? query.replace('$1', '?') : query;
    const params = query.includes('$1') ? [slug] : [];
    const rows = (await store.db.executeQuery<Row>(CompiledQuery.raw(text, params))).rows;
    out[table] = rows.map((r) => normalise(r, opts.crossDialect ?? false)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((s) => JSON.parse(s) as Row);
  }
  return out;
}

/** A row as comparable JSON: bytes as hex; database-generated keys (arrival sequence, audit id, search index) dropped. */
function normalise(r: Row, crossDialect: boolean): string {
  const out: Row = {};
  for (const k of Object.keys(r).sort()) {
    const v = r[k];
    if (k === 'seq' || k === 'search_vector') continue;
    if (k === 'id' && 'undone_at' in r) continue;
    if (k === 'search_terms' && crossDialect) continue;
    out[k] = v instanceof Uint8Array ? `hex:${Buffer.from(v).toString('hex')}` : v;
  }
  return JSON.stringify(out);
}

async function withPgStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const s = await Store.open({ databaseUrl: PG_URL!, pgSchema: schema });
  try { return await fn(s); } finally {
    await s.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await s.close();
  }
}

/** Fresh target databases: SQLite always, PostgreSQL too when available. */
async function eachTarget(fn: (target: Store) => Promise<void>): Promise<void> {
  const s = await Store.open({ sqlitePath: ':memory:' });
  try { await fn(s); } finally { await s.close(); }
  if (PG_URL) await withPgStore(fn);
}

// ---------- (2) archive → import, row by row ----------

storeTest('consultation archive → import into a fresh database: every row of every consultation table is equal', async (source) => {
  await populate(source, 'essai');
  await populate(source, 'voisine');
  const { zip, manifest } = await exportConsultationArchive(source, 'essai');
  assert.equal(manifest.formatVersion, 1);
  assert.equal(manifest.counts.contributions, 6);
  assert.equal(manifest.counts.files, 1, 'the bytes of the document imported with them');
  assert.ok(isConsultationArchive(zip));
  const expected = await consultationRows(source, 'essai');
  assert.equal(expected.contribution_private!.length, 1);
  assert.equal(expected.contribution_areas!.length, 1, 'the postcode typed on the form travels with its contribution');
  assert.ok(expected.audit_log!.length >= 5);
  await eachTarget(async (target) => {
    const result = await importConsultationArchive(target, zip);
    assert.equal(result.replaced, false);
    const cross = target.dialect !== source.dialect;
    assert.deepEqual(await consultationRows(target, 'essai', { crossDialect: cross }), cross ? await consultationRows(source, 'essai', { crossDialect: true }) : expected);
    // The neighbouring consultation did not travel with it.
    assert.equal(await target.getConsultation('voisine'), undefined);
    // Arrival order and audit order survive the renumbering.
    assert.deepEqual((await target.listContributions('essai')).map((c) => c.id), (await source.listContributions('essai')).map((c) => c.id));
    const audit = async (s: Store) => (await appDb(s).selectFrom('audit_log').select(['action', 'target_id']).where('consultation', '=', 'essai')
      .where('action', '<>', 'consultation.archive_import').orderBy('id').execute());
    assert.deepEqual(await audit(target), await audit(source));
    // The search index is rebuilt for the imported texts.
    assert.equal((await target.searchContributions('essai', 'pharmacie')).length, 1);
    // The import is itself audited.
    const own = await appDb(target).selectFrom('audit_log').selectAll().where('action', '=', 'consultation.archive_import').execute();
    assert.equal(own.length, 1);
  });
});

/** The archive of a consultation populated in a fresh in-memory database. */
async function archiveOfPopulated(slug: string): Promise<Uint8Array> {
  const source = await Store.open({ sqlitePath: ':memory:' });
  try {
    await populate(source, slug);
    return (await exportConsultationArchive(source, slug)).zip;
  } finally { await source.close(); }
}

storeTest('an existing consultation is refused without --force and replaced with it', async (target) => {
  const zip = await archiveOfPopulated('essai');
  await populate(target, 'essai');
  await moderateContribution(target, 'essai:form:1', { status: 'rejected', reason: 'changé ensuite', by: 'x@ars.test', action: 'contribution.moderate' });
  const before = await consultationRows(target, 'essai');
  const counts = await target.tableCounts();
  await assert.rejects(importConsultationArchive(target, zip), /existe déjà.*--force/);
  assert.deepEqual(await consultationRows(target, 'essai'), before);
  assert.deepEqual(await target.tableCounts(), counts);
  const r = await importConsultationArchive(target, zip, { force: true });
  assert.equal(r.replaced, true);
  assert.equal((await target.getContribution('essai:form:1'))!.moderation.status, 'published');
  assert.equal((await target.getContribution('essai:form:2'))!.moderation.reason, 'hors sujet');
});

// ---------- (3) a tampered archive is refused, nothing written ----------

function rezip(zip: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(zip);
  change(files);
  return zipSync(files);
}

storeTest('a tampered, unknown-version or clashing archive is refused and nothing is written', async (target) => {
  const zip = await archiveOfPopulated('essai');
  const counts = await target.tableCounts();
  const auditCount = async () => Number((await appDb(target).selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const audits = await auditCount();

  const tampered = rezip(zip, (f) => {
    const t = JSON.parse(strFromU8(f['tables/contributions.json']!));
    t.rows[0].moderation_status = 'published';
    f['tables/contributions.json'] = strToU8(JSON.stringify(t));
  });
  await assert.rejects(importConsultationArchive(target, tampered), /sha256 de tables\/contributions\.json ne correspond pas/);

  const sourceFile = Object.keys(unzipSync(zip)).find((n) => n.startsWith('files/'))!;
  const badFile = rezip(zip, (f) => { f[sourceFile] = strToU8('autre contenu'); });
  await assert.rejects(importConsultationArchive(target, badFile), /sha256/);

  const extra = rezip(zip, (f) => { f['tables/extra.json'] = strToU8('[]'); });
  await assert.rejects(importConsultationArchive(target, extra), /absents de son manifeste/);

  const missing = rezip(zip, (f) => { delete f['tables/idea_groups.json']; });
  await assert.rejects(importConsultationArchive(target, missing), /incomplète/);

  // A well-signed archive that reaches outside itself (a theme on a contribution it does not hold) is refused too.
  const reaching = (() => {
    const files = unzipSync(zip);
    const t = JSON.parse(strFromU8(files['tables/contribution_themes.json']!));
    t.rows.push({ contribution_id: 'autre:contribution', theme: '1', assigned_by: 'human', provenance_json: { by: 'human', reviewer: 'x', at: 'y' } });
    files['tables/contribution_themes.json'] = strToU8(JSON.stringify(t));
    const m = JSON.parse(strFromU8(files['manifest.json']!));
    const e = m.entries.find((x: { name: string }) => x.name === 'tables/contribution_themes.json');
    e.sha256 = sha256(files['tables/contribution_themes.json']!);
    e.bytes = files['tables/contribution_themes.json']!.length;
    files['manifest.json'] = strToU8(JSON.stringify(m));
    return zipSync(files);
  })();
  await assert.rejects(importConsultationArchive(target, reaching), /incohérente : contribution_themes\.contribution_id/);

  const future = rezip(zip, (f) => {
    const m = JSON.parse(strFromU8(f['manifest.json']!));
    m.formatVersion = 2;
    f['manifest.json'] = strToU8(JSON.stringify(m));
  });
  await assert.rejects(importConsultationArchive(target, future), /Version de format d’archive inconnue : 2/);

  const newer = rezip(zip, (f) => {
    const m = JSON.parse(strFromU8(f['manifest.json']!));
    m.migrations.push('9999_futur');
    f['manifest.json'] = strToU8(JSON.stringify(m));
  });
  await assert.rejects(importConsultationArchive(target, newer), /version plus récente/);

  // A document of the archive already belongs to another consultation here: refused inside the transaction.
  await target.upsertConsultation(testConsultation('autre'));
  const bytes = Buffer.from('Compte rendu fictif de l’atelier de essai\nLigne deux\n');
  await target.importParsed('autre', testDocument(['Texte fictif'], { documentId: sha256(bytes), consultation: 'autre' }), { bytes });
  const withOther = await target.tableCounts();
  const auditsWithOther = await auditCount();
  await assert.rejects(importConsultationArchive(target, zip), /appartient déjà à la consultation « autre »/);
  assert.deepEqual(await target.tableCounts(), withOther);
  assert.equal(await auditCount(), auditsWithOther);
  assert.equal(await target.getConsultation('essai'), undefined);

  assert.notDeepEqual(withOther, counts);
  assert.equal(audits, 0);
});

test('every table is either archived or deliberately left out (a new table must be classified)', async () => {
  await eachTarget(async (s) => {
    const tables = await databaseTables(s);
    const unclassified = tables.filter((t) => !ARCHIVED_TABLES.includes(t) && !NOT_ARCHIVED_TABLES.includes(t));
    assert.deepEqual(unclassified, [], `tables neither archived nor excluded in src/store/archive.ts (${s.dialect})`);
  });
});

// ---------- source bytes are kept by every import path ----------

test('imports keep the original bytes of the file (CLI and upload), checked against the document id', async () => {
  const dir = tempDir();
  const store = await Store.open({ sqlitePath: ':memory:' });
  try {
    await store.upsertConsultation(testConsultation('essai'));
    const csv = join(dir, 'contributions.csv');
    writeFileSync(csv, contributionsCsv(8));
    const [r] = await importPaths(store, 'essai', [csv]);
    const stored = await store.db.selectFrom('source_files').selectAll().where('document_id', '=', r!.documentId).executeTakeFirstOrThrow();
    assert.deepEqual(Buffer.from(stored.content), readFileSync(csv));
    // A re-read by a newer parser version keeps the bytes stored with the first import.
    const doc = testDocument(['Texte fictif'], { documentId: sha256(Buffer.from('octets fictifs')) });
    await store.importParsed('essai', doc, { bytes: Buffer.from('octets fictifs') });
    const reread = await store.importParsed('essai', { ...doc, parserVersion: '2.0.0' });
    assert.equal(reread.outcome, 'replaced');
    const kept = await store.db.selectFrom('source_files').selectAll().where('document_id', '=', doc.documentId).executeTakeFirstOrThrow();
    assert.equal(Buffer.from(kept.content).toString('utf8'), 'octets fictifs');
    // Wrong bytes for a document are refused, and nothing is stored.
    const counts = await store.tableCounts();
    await assert.rejects(store.importParsed('essai', testDocument(['x'], { documentId: 'b'.repeat(64) }), { bytes: Buffer.from('pas ces octets') }), /ne correspond pas/);
    assert.deepEqual(await store.tableCounts(), counts);
    // The bytes go with their document.
    await store.db.deleteFrom('source_documents').where('id', '=', r!.documentId).execute();
    assert.equal((await store.tableCounts()).source_files, 1);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const srv = await testServer();
  try {
    const a = await (await Client.create(srv.app)).login('analyst');
    const body = contributionsCsv(12);
    const res = await a.request({ method: 'POST', url: '/api/admin/consultations/essai/imports', ...multipart('envoi.csv', body) });
    assert.equal(res.statusCode, 201, res.body);
    const id = (res.json() as { documentId: string }).documentId;
    const stored = await srv.store.db.selectFrom('source_files').selectAll().where('document_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(Buffer.from(stored.content).toString('utf8'), body);
  } finally {
    await srv.close();
  }
});

// ---------- (1) backup while writing, restore, row by row ----------

function allTables(path: string): Record<string, Row[]> {
  const db = new SQLite(path, { readonly: true });
  try {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    const out: Record<string, Row[]> = {};
    for (const n of names) {
      out[n] = (db.prepare(`SELECT * FROM "${n}"`).all() as Row[]).map((r) => normaliseAll(r)).sort().map((s) => JSON.parse(s) as Row);
    }
    return out;
  } finally {
    db.close();
  }
}

function normaliseAll(r: Row): string {
  const out: Row = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] instanceof Uint8Array ? `hex:${Buffer.from(r[k] as Uint8Array).toString('hex')}` : r[k];
  return JSON.stringify(out);
}

function formContribution(n: number): Contribution {
  return {
    id: `essai:form:w${n}`, consultation: 'essai', channel: 'formulaire', text: `Contribution fictive numéro ${n} sur les urgences`, themes: [],
    moderation: { status: 'pending' }, source: { documentId: 'formulaire', file: 'formulaire' },
  };
}

test('backup while a server writes (another connection and the same one): every acknowledged row is in it; restore gives the same tables', async () => {
  const dir = tempDir();
  const live = join(dir, 'fabrique.sqlite');
  const server = await Store.open({ sqlitePath: live });
  try {
    await populate(server, 'essai');
    // Keep every write in the WAL, as a busy server between checkpoints does.
    server.sqlite!.pragma('wal_autocheckpoint = 0');
    const acknowledged: string[] = [];
    let n = 0;
    for (; n < 50; n++) { await server.addContributions('essai', [formContribution(n)]); acknowledged.push(formContribution(n).id); }
    assert.ok(existsSync(`${live}-wal`));

    // What issue 9 measured: copying the file alone loses what is still in the WAL.
    const naive = join(dir, 'copie.sqlite');
    copyFileSync(live, naive);
    const inNaive = new Set((allTables(naive).contributions ?? []).map((r) => r.id));
    assert.ok(acknowledged.some((id) => !inNaive.has(id)), 'a file copy misses rows still in the WAL');

    for (const [label, via] of [['another connection', 'cli'], ['the same connection', 'server']] as const) {
      const cli = via === 'cli' ? await Store.open({ sqlitePath: live }) : server;
      const out = join(dir, `sauvegarde-${via}.sqlite`);
      let writing = true;
      const before = [...acknowledged];
      const writer = (async () => {
        while (writing) {
          const c = formContribution(n++);
          await server.addContributions('essai', [c]);
          acknowledged.push(c.id);
          await new Promise((r) => setImmediate(r));
        }
      })();
      const report = await backupSqlite(cli, out);
      const ackedAtEnd = acknowledged.length;
      writing = false;
      await writer;
      if (cli !== server) await cli.close();
      assert.equal(existsSync(`${out}-wal`), false, 'the backup is one self-contained file');
      const backedUp = (allTables(out).contributions ?? []).map((r) => String(r.id));
      const set = new Set(backedUp);
      for (const id of before) assert.ok(set.has(id), `${label}: acknowledged ${id} missing from the backup`);
      // A consistent snapshot: a prefix of the acknowledged writes, nothing half-written.
      const written = acknowledged.filter((id) => id.includes(':w'));
      const inBackup = written.filter((id) => set.has(id));
      assert.deepEqual(inBackup, written.slice(0, inBackup.length), `${label}: the backup is a prefix of the writes`);
      assert.ok(inBackup.length >= before.filter((id) => id.includes(':w')).length && inBackup.length <= ackedAtEnd);
      assert.equal(report.counts.contributions, backedUp.length);
    }

    // Restore into a new file: every table equal row by row to the backup.
    const backup = join(dir, 'sauvegarde-cli.sqlite');
    const restored = join(dir, 'restauree', 'fabrique.sqlite');
    await assert.rejects(restoreSqlite(backup, restored), /n’existe pas/);
    const restoredPath = join(dir, 'restauree.sqlite');
    const r = await restoreSqlite(backup, restoredPath);
    assert.equal(r.replaced, false);
    assert.deepEqual(allTables(restoredPath), allTables(backup));
    for (const suffix of ['-wal', '-shm']) assert.equal(existsSync(restoredPath + suffix), false);

    // Refused while the database is open by a server; refused over a non-empty database without --force.
    await assert.rejects(restoreSqlite(backup, live, { force: true }), /ouverte par un autre processus/);
    await assert.rejects(restoreSqlite(backup, restoredPath), /n’est pas vide.*--force/);
    const other = join(dir, 'sauvegarde-server.sqlite');
    const r2 = await restoreSqlite(other, restoredPath, { force: true });
    assert.equal(r2.replaced, true);
    assert.deepEqual(allTables(restoredPath), allTables(other));
    const reopened = await Store.open({ sqlitePath: restoredPath });
    try {
      assert.equal(await reopened.countContributions('essai'), r2.counts.contributions);
    } finally { await reopened.close(); }

    // A backup from an earlier version (migrated up to 0004) is migrated on restore.
    const older = join(dir, 'ancienne.sqlite');
    const oldDb = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(older) }) });
    const partial = await new Migrator({ db: oldDb, provider: migrationProvider('sqlite') }).migrateTo('0004_analysis_models');
    assert.equal(partial.error, undefined);
    await oldDb.destroy();
    const later = Object.keys(await migrationProvider('sqlite').getMigrations()).sort().filter((name) => name > '0004_analysis_models');
    const r3 = await restoreSqlite(older, restoredPath, { force: true });
    assert.deepEqual(r3.migrated, later);
    assert.ok(later.includes('0008_source_files'));
    assert.equal(r3.counts.source_files, 0);

    // A backup from a newer version is refused.
    const newer = join(dir, 'future.sqlite');
    copyFileSync(other, newer);
    const f = new SQLite(newer);
    f.exec(`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_futur', '2030-01-01')`);
    f.close();
    await assert.rejects(restoreSqlite(newer, restoredPath, { force: true }), /version plus récente/);

    // Not a Fabrique database, or not SQLite at all: refused.
    const plain = join(dir, 'autre.sqlite');
    new SQLite(plain).exec('CREATE TABLE t (x)');
    await assert.rejects(restoreSqlite(plain, join(dir, 'x.sqlite')), /pas une base Fabrique/);
    writeFileSync(join(dir, 'texte.sqlite'), 'bonjour');
    await assert.rejects(restoreSqlite(join(dir, 'texte.sqlite'), join(dir, 'x.sqlite')), /pas une base de données SQLite/);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('backup while another process writes: every contribution it acknowledged before the backup is in it', async () => {
  const dir = tempDir();
  const live = join(dir, 'fabrique.sqlite');
  const setup = await Store.open({ sqlitePath: live });
  await setup.upsertConsultation(testConsultation('essai'));
  await setup.close();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'backup-writer.ts'), live], { stdio: ['pipe', 'pipe', 'inherit'] });
  const acked: string[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    acked.push(...lines);
  });
  const exited = once(child, 'exit');
  const cli = await Store.open({ sqlitePath: live });
  try {
    while (acked.length < 150) await new Promise((r) => setTimeout(r, 20));
    const naive = join(dir, 'copie.sqlite');
    const before = [...acked];
    copyFileSync(live, naive);
    const inNaive = new Set((allTables(naive).contributions ?? []).map((r) => String(r.id)));
    const out = join(dir, 'sauvegarde.sqlite');
    await backupSqlite(cli, out);
    const inBackup = new Set((allTables(out).contributions ?? []).map((r) => String(r.id)));
    assert.deepEqual(before.filter((id) => !inBackup.has(id)), [], 'every acknowledged contribution is in the backup');
    assert.ok(before.some((id) => !inNaive.has(id)), 'whereas a copy of the file misses those still in the WAL');
  } finally {
    child.stdin.end();
    await exited;
    await cli.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: backup, restore, export consultation --format archive and import of the archive', async () => {
  const dir = tempDir();
  const env = { ...process.env };
  const quiet = { log: console.log, error: console.error };
  const logs: string[] = [];
  console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { logs.push(a.join(' ')); };
  try {
    delete process.env.DATABASE_URL;
    process.env.FABRIQUE_DB = join(dir, 'source.sqlite');
    const s = await Store.open({ sqlitePath: process.env.FABRIQUE_DB });
    await populate(s, 'essai');
    await s.close();
    assert.equal(await main(['backup', '--out', join(dir, 'b.sqlite')]), 0);
    assert.equal(await main(['backup', '--out', join(dir, 'b.sqlite')]), 4, 'no silent overwrite (conflict: exit 4)');
    // The archive is recognised by its content, whatever its name.
    assert.equal(await main(['export', 'consultation', '--consultation', 'essai', '--format', 'archive', '--out', join(dir, 'archive.bin')]), 0);
    process.env.FABRIQUE_DB = join(dir, 'cible.sqlite');
    assert.equal(await main(['import', join(dir, 'archive.bin')]), 0);
    assert.equal(await main(['import', join(dir, 'archive.bin')]), 4, 'the consultation exists (conflict: exit 4)');
    assert.equal(await main(['import', join(dir, 'archive.bin'), '--force']), 0);
    assert.equal(await main(['restore', join(dir, 'b.sqlite')]), 4, 'the target is not empty (conflict: exit 4)');
    assert.equal(await main(['restore', join(dir, 'b.sqlite'), '--force']), 0);
    process.env.DATABASE_URL = 'postgres://fabrique@127.0.0.1:1/inexistante';
    assert.equal(await main(['backup', '--out', join(dir, 'pg.dump')]), 3);
    assert.ok(logs.some((l) => l.includes('pg_dump --format=custom')));
  } finally {
    console.log = quiet.log;
    console.error = quiet.error;
    process.env = env;
    rmSync(dir, { recursive: true, force: true });
  }
});
