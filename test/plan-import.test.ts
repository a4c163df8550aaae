/**
 * Importing the two schémas territoriaux de santé of the corpus (../shared/corpus, never copied here) into one
 * database, on SQLite and PostgreSQL: what is stored is what was parsed, the Occitanie catalogue holds each
 * shared code once, a second import is a no-op, a failure mid-write leaves nothing, the data repère are the
 * territory's indicators, and `fabrique import` / `fabrique plan show` do the same from the command line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UserError } from '../src/domain/errors.ts';
import type { ParsedPlan } from '../src/ingest/plan/index.ts';
import { listAudit } from '../src/store/audit.ts';
import { deleteConsultation } from '../src/store/deletion.ts';
import { listIndicators, saveIndicators } from '../src/store/indicators.ts';
import { listCatalogue, planTableCounts } from '../src/store/plans.ts';
import type { Store } from '../src/store/index.ts';
import { CLI_ACTOR, context, VISITOR } from '../src/usecases/context.ts';
import { getPlan, importPlan, listPlans, printedNumber, type ParsePlan } from '../src/usecases/plan.ts';
import { runCli } from './helpers/cli.ts';
import { CORPUS_DIR, corpusSkip } from './helpers/corpus.ts';
import { corpusPlans } from './helpers/corpus-plans.ts';
import { testServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

const LOT = 'sts-lot-2023-2028.txt';
const LOZERE = 'sts-lozere-2023-2028.md';
const skip = corpusSkip(LOT, LOZERE);

const { files, cached } = corpusPlans([LOT, LOZERE], skip);
const file = (name: string) => files.get(name)!;
/** The plans parsed once: each import gets a copy (parsing both schemes again per test would cost seconds). */
const NOW = () => new Date('2026-12-01T10:00:00.000Z');

function corpusStoreTest(name: string, fn: (store: Store) => Promise<void>): void {
  if (skip) test(name, { skip }, () => {});
  else storeTest(name, fn);
}

async function importBoth(store: Store) {
  const ctx = context(store, CLI_ACTOR, NOW);
  const lot = await importPlan(ctx, { bytes: file(LOT).bytes, fileName: LOT }, cached);
  const lozere = await importPlan(ctx, { bytes: file(LOZERE).bytes, fileName: LOZERE }, cached);
  return { ctx, lot, lozere };
}

const objectivesOf = (p: { engagements: { defis: { objectives: unknown[] }[] }[] }) => p.engagements.flatMap((e) => e.defis.flatMap((d) => d.objectives));
const codesOf = (p: ParsedPlan, kind: string) => new Set(p.catalogue.filter((c) => c.kind === kind).map((c) => c.code));

corpusStoreTest('plan import: both STS stored as parsed, into one Occitanie catalogue with the shared codes once', async (store) => {
  const { lot, lozere } = await importBoth(store);
  assert.equal(lot.outcome, 'imported');
  assert.equal(lozere.outcome, 'imported');
  assert.deepEqual([lot.territory, lozere.territory], ['46', '48']);
  assert.deepEqual(lot.counts, { engagements: 6, defis: 12, objectives: 19, actions: 91, oqos: 151, indicators: 33, missingFigures: 4, consultationItems: 37, catalogue: 37, warnings: 22 });

  for (const [name, planId] of [[LOT, lot.planId], [LOZERE, lozere.planId]] as const) {
    const parsed = file(name).plan;
    const stored = await getPlan(context(store, CLI_ACTOR), planId);
    // the tree as parsed, field for field (the catalogue's title added beside each printed one)
    const strip = <T extends { catalogueTitle?: unknown }>(x: T) => { const { catalogueTitle: _, ...rest } = x; return rest; };
    assert.deepEqual(stored.engagements.map((e) => ({ ...strip(e), defis: e.defis.map((d) => ({ ...strip(d), objectives: d.objectives.map(strip) })) })),
      JSON.parse(JSON.stringify(parsed.plan.engagements)), `${name} : arbre stocké = arbre lu`);
    assert.deepEqual(stored.oqos, JSON.parse(JSON.stringify(parsed.oqos)), `${name} : lignes OQOS`);
    assert.equal(stored.oqos.flatMap((r) => r.cells).length, 201, `${name} : 201 cellules de valeur`);
    assert.deepEqual(stored.consultationItems, JSON.parse(JSON.stringify(parsed.consultationItems)));
    assert.deepEqual(stored.missingFigures, JSON.parse(JSON.stringify(parsed.missingFigures)));
    assert.deepEqual(stored.warnings, JSON.parse(JSON.stringify(parsed.warnings)));
    assert.equal(stored.period?.start, 2023);
  }
  const lozereActions = objectivesOf(await getPlan(context(store, CLI_ACTOR), '48')) as { actions: { placement: string }[] }[];
  assert.deepEqual(['heading', 'displaced', 'orphan'].map((p) => lozereActions.flatMap((o) => o.actions).filter((a) => a.placement === p).length), [37, 3, 2]);

  // one catalogue for the région: every code once, the shared ones counted once
  const lotP = file(LOT).plan, lozP = file(LOZERE).plan;
  const shared = (kind: string) => [...codesOf(lotP, kind)].filter((c) => codesOf(lozP, kind).has(c));
  assert.equal(shared('defi').length, 5, 'les deux schémas partagent 5 défis');
  assert.equal(shared('objective').length, 2, 'et 2 objectifs');
  const catalogue = await listCatalogue(store, '76');
  assert.equal(catalogue.length, new Set([...lotP.catalogue, ...lozP.catalogue].map((c) => c.code)).size);
  assert.equal(catalogue.length, 37 + 30 - 6 - 5 - 2);
  assert.equal(new Set(catalogue.map((c) => c.code)).size, catalogue.length, 'chaque code une fois');
  for (const code of shared('defi')) assert.equal(catalogue.filter((c) => c.code === code).length, 1);
  assert.deepEqual(await listCatalogue(store, '75'), [], 'rien pour une autre région');

  // E1D4O6: one title in the catalogue (the Lot's, imported first), the Lozère plan keeps its own
  const lotTitle = lotP.catalogue.find((c) => c.code === 'E1D4O6')!.title;
  const lozTitle = lozP.catalogue.find((c) => c.code === 'E1D4O6')!.title;
  assert.notEqual(lotTitle, lozTitle, 'intitulé local en Lozère');
  assert.equal(catalogue.find((c) => c.code === 'E1D4O6')!.title, lotTitle);
  const storedLoz = (objectivesOf(await getPlan(context(store, CLI_ACTOR), 'Lozère')) as { code: string; title: string; catalogueTitle: string }[]).find((o) => o.code === 'E1D4O6')!;
  assert.deepEqual([storedLoz.title, storedLoz.catalogueTitle], [lozTitle, lotTitle]);

  assert.deepEqual((await listPlans(context(store, CLI_ACTOR))).map((p) => p.territory).sort(), ['46', '48']);
  assert.deepEqual((await listPlans(context(store, CLI_ACTOR), { territory: 'Lot' })).map((p) => p.id), [lot.planId]);
});

corpusStoreTest('plan import: the same file again is a no-op that says so; another target is another plan', async (store) => {
  const { ctx, lozere } = await importBoth(store);
  const counts = await planTableCounts(store);
  const audits = (await listAudit(store, { limit: 1000 })).length;
  assert.equal(audits, 2, 'une entrée d’audit par import');
  const again = await importPlan(ctx, { bytes: file(LOZERE).bytes, fileName: LOZERE }, cached);
  assert.equal(again.outcome, 'unchanged');
  assert.equal(again.planId, lozere.planId);
  assert.deepEqual(await planTableCounts(store), counts);
  assert.equal((await listAudit(store, { limit: 1000 })).length, audits, 'rien de nouveau : pas d’entrée d’audit');

  // the same scheme for a consultation of the Lozère: a plan of its own; the catalogue does not grow
  await store.upsertConsultation({ slug: 'sts-48', title: 'Consultation STS Lozère', territory: '48', status: 'open', themes: [] });
  const linked = await importPlan(ctx, { bytes: file(LOZERE).bytes, fileName: LOZERE, consultation: 'sts-48' }, cached);
  assert.equal(linked.outcome, 'imported');
  assert.notEqual(linked.planId, lozere.planId);
  assert.equal((await listCatalogue(store, '76')).length, counts.plan_catalogue);
  assert.equal((await getPlan(ctx, '48', { consultation: 'sts-48' })).consultation, 'sts-48');
  const [entry] = await listAudit(store, { consultation: 'sts-48' });
  assert.equal(entry?.action, 'plan.import');
  assert.equal(JSON.stringify(entry?.after).includes(file(LOZERE).plan.plan.engagements[0]!.title), false, 'aucun texte du plan dans le journal');
  assert.equal((await importPlan(ctx, { bytes: file(LOZERE).bytes, fileName: LOZERE, consultation: 'sts-48' }, cached)).outcome, 'unchanged');
  // a consultation of another département refuses it
  await store.upsertConsultation({ slug: 'lot', title: 'Consultation du Lot', territory: '46', status: 'open', themes: [] });
  await assert.rejects(importPlan(ctx, { bytes: file(LOZERE).bytes, fileName: LOZERE, consultation: 'lot' }, cached),
    (e: unknown) => e instanceof UserError && e.code === 'conflict' && /hors du territoire/.test(e.message));
  // deleting the consultation keeps its plan, unlinked
  await deleteConsultation(store, 'sts-48', { actor: 'cli', at: NOW().toISOString() });
  assert.equal((await getPlan(ctx, linked.planId)).consultation, null);
});

corpusStoreTest('plan import: a failure mid-write leaves no row (atomic), and the next import works', async (store) => {
  const ctx = context(store, CLI_ACTOR, NOW);
  await importPlan(ctx, { bytes: file(LOT).bytes, fileName: LOT }, cached);
  const counts = await planTableCounts(store);
  const audits = (await listAudit(store, { limit: 1000 })).length;
  // an objective printed twice: the plan row and catalogue entries are written, then its elements fail
  const broken: ParsePlan = async (_b, name) => {
    const p = structuredClone(file(name).plan);
    const [first, second] = p.plan.engagements;
    second!.defis[0]!.objectives.push(first!.defis[0]!.objectives[0]!);
    return p;
  };
  await assert.rejects(importPlan(ctx, { bytes: file(LOZERE).bytes, fileName: LOZERE }, broken));
  assert.deepEqual(await planTableCounts(store), counts, 'ni plan, ni code du catalogue, ni indicateur');
  assert.equal((await listAudit(store, { limit: 1000 })).length, audits);
  assert.equal((await listPlans(ctx, { territory: '48' })).length, 0);
  assert.equal((await importPlan(ctx, { bytes: file(LOZERE).bytes, fileName: LOZERE }, cached)).outcome, 'imported');
});

corpusStoreTest('plan import: the data repère are the territory’s indicators, read by the existing indicator read', async (store) => {
  // an indicator loaded with a consultation file stays; the plan's are added beside it, without a year
  await saveIndicators(store, '48', 'departement', [{ id: 'apl', label: 'APL', territory: '48', year: 2022, value: 2.9, regionValue: 3.4, source: 'Fichier de consultation' }]);
  await importBoth(store);
  const parsed = file(LOZERE).plan.indicators;
  const stored = await listIndicators(store, '48', 'departement');
  assert.equal(stored.length, parsed.length + 1);
  assert.deepEqual(stored[0], { id: 'apl', label: 'APL', territory: '48', year: 2022, value: 2.9, regionValue: 3.4, franceValue: null, source: 'Fichier de consultation' });
  const fromPlan = stored.slice(1);
  assert.deepEqual(fromPlan.map((i) => i.label), parsed.map((i) => i.label), 'dans l’ordre du schéma');
  for (const [k, i] of fromPlan.entries()) {
    const p = parsed[k]!;
    assert.equal(i.year, undefined, 'aucune année imprimée : aucune inventée');
    assert.equal(i.value, printedNumber(p.value).value);
    assert.equal(i.regionValue, p.occitanie === null ? null : printedNumber(p.occitanie).value);
    assert.equal(i.franceValue, p.france === null ? null : printedNumber(p.france).value);
  }
  const poverty = fromPlan.find((i) => /taux de pauvret/.test(i.label))!;
  assert.deepEqual([poverty.value, poverty.unit, poverty.regionValue, poverty.franceValue], [15, '%', 17, 15]);
  assert.ok(fromPlan.some((i) => i.regionValue === null && i.franceValue === null), 'une valeur non imprimée reste nulle');
  assert.equal((await listIndicators(store, '46', 'departement')).length, 33);
  // importing another version of the scheme replaces the plan's indicators, not the consultation's
  const other = new Uint8Array([...file(LOZERE).bytes, 0x0a]);
  const again = await importPlan(context(store, CLI_ACTOR, NOW), { bytes: other, fileName: LOZERE }, cached);
  assert.equal(again.outcome, 'replaced');
  assert.equal((await listIndicators(store, '48', 'departement')).length, parsed.length + 1);
  assert.equal((await listPlans(context(store, CLI_ACTOR), { territory: '48' })).length, 1);
});

test('plan import: the public indicators route (the existing charts) shows the data repère, without a year', { skip }, async () => {
  const t = await testServer();
  try {
    await t.store.upsertConsultation({ slug: 'lozere', title: 'Consultation de la Lozère', territory: '48', status: 'open', themes: [] });
    await importPlan(context(t.store, CLI_ACTOR, NOW), { bytes: file(LOZERE).bytes, fileName: LOZERE, consultation: 'lozere' }, cached);
    const res = await t.app.inject({ method: 'GET', url: '/api/consultations/lozere/indicators' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { territory: { code: string; region: { name: string } }; items: { label: string; year: number | null; value: number | null; regionValue: number | null }[] };
    assert.deepEqual([body.territory.code, body.territory.region.name], ['48', 'Occitanie']);
    assert.equal(body.items.length, file(LOZERE).plan.indicators.length);
    assert.ok(body.items.every((i) => i.year === null), 'aucune année inventée');
    const poverty = body.items.find((i) => /taux de pauvret/.test(i.label))!;
    assert.deepEqual([poverty.value, poverty.regionValue], [15, 17]);
  } finally {
    await t.close();
  }
});

test('plan import: printed figures read as numbers, never guessed', () => {
  assert.deepEqual(printedNumber('175 000 habitants'), { value: 175000, unit: 'habitants' });
  assert.deepEqual(printedNumber('82,8 ans'), { value: 82.8, unit: 'ans' });
  assert.deepEqual(printedNumber('+0,1%'), { value: 0.1, unit: '%' });
  assert.deepEqual(printedNumber('1 555'), { value: 1555, unit: null });
  assert.deepEqual(printedNumber('non communiqué'), { value: null, unit: null });
  assert.deepEqual(printedNumber(null), { value: null, unit: null });
});

storeTest('plan import: a file that is not a plan, an unknown parser, a visitor: French errors, nothing written', async (store) => {
  const ctx = context(store, CLI_ACTOR, NOW);
  const before = await planTableCounts(store);
  const notPlan = new TextEncoder().encode('Compte-rendu de l’atelier du 3 mars\n\nLes participants souhaitent plus de médecins.\n');
  await assert.rejects(importPlan(ctx, { bytes: notPlan, fileName: 'atelier.txt' }),
    (e: unknown) => e instanceof UserError && e.code === 'invalid' && /n’est pas reconnu comme un schéma territorial de santé/.test(e.message));
  await assert.rejects(importPlan(ctx, { bytes: notPlan, fileName: 'atelier.txt', parser: 'inconnu' }),
    (e: unknown) => e instanceof UserError && /Lecteur de schéma « inconnu » inconnu/.test(e.message));
  await assert.rejects(importPlan(context(store, VISITOR), { bytes: notPlan, fileName: 'atelier.txt' }), (e: unknown) => e instanceof UserError && e.code === 'forbidden');
  await assert.rejects(importPlan(ctx, { bytes: notPlan, fileName: 'atelier.txt', consultation: 'absente' }), (e: unknown) => e instanceof UserError && e.code === 'not_found');
  await assert.rejects(getPlan(ctx, 'Lozère'), (e: unknown) => e instanceof UserError && e.code === 'not_found' && /Aucun schéma/.test(e.message));
  assert.deepEqual(await planTableCounts(store), before);
});

// ---------- command line ----------

const dir = mkdtempSync(join(tmpdir(), 'fabrique-plan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('fabrique import <sts> --plan / --consultation, then fabrique plan show --json', { skip }, async () => {
  const env = { FABRIQUE_DB: join(dir, 'cli.sqlite') };
  const lot = join(CORPUS_DIR, LOT), loz = join(CORPUS_DIR, LOZERE);
  const bare = await runCli(['import', loz], env);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /est un schéma territorial de santé : indiquez la consultation .* ou --plan/);

  const first = await runCli(['import', lot, '--plan'], env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /schéma territorial de santé Lot \(46, 2023-2028\), sans consultation — importé : 6 engagements, 12 défis, 19 objectifs opérationnels, 91 actions/);
  assert.match(first.stdout, /151 lignes OQOS, 33 indicateurs/);
  assert.match(first.stdout, /22 avertissements/);
  const again = await runCli(['import', lot, '--plan'], env);
  assert.match(again.stdout, /déjà importé, rien de nouveau/);

  assert.equal((await runCli(['consultation', 'create', '--slug', 'lozere', '--title', 'Consultation STS', '--territory', '48'], env)).code, 0);
  const linked = await runCli(['import', loz, '--consultation', 'lozere'], env);
  assert.equal(linked.code, 0, linked.stderr);
  assert.match(linked.stdout, /Lozère \(48, 2023-2028\), consultation « lozere » — importé : 6 engagements, 11 défis, 13 objectifs opérationnels, 42 actions/);

  const show = await runCli(['plan', 'show', 'Lozère', '--json'], env);
  assert.equal(show.code, 0, show.stderr);
  const plan = JSON.parse(show.stdout) as { territory: string; consultation: string; engagements: { defis: { objectives: unknown[] }[] }[]; oqos: unknown[] };
  assert.deepEqual([plan.territory, plan.consultation, objectivesOf(plan).length, plan.oqos.length], ['48', 'lozere', 13, 151]);
  const list = await runCli(['plan', 'list'], env);
  assert.match(list.stdout, /Lot \(46\)/);
  assert.match(list.stdout, /Lozère \(48\)/);
  const missing = await runCli(['plan', 'show', 'Aveyron'], env);
  assert.equal(missing.code, 3, 'introuvable : code de sortie 3');
  assert.match(missing.stderr, /Aucun schéma territorial de santé importé pour « Aveyron »/);
  const mixed = await runCli(['import', lot, '--plan', '--meeting', 'x'], env);
  assert.equal(mixed.code, 2);
});
