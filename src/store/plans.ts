/**
 * Schémas territoriaux de santé (migration 0019_plan): the regional catalogue of codes, each imported plan
 * with its engagements, défis, objectives (fields as printed), « En pratique » actions, OQOS rows, consultation
 * items and warnings. A plan's data repère go to the territory's indicators (src/store/indicators.ts), in the
 * same transaction. One transaction per import: a failure leaves nothing.
 */
import type { Indicator, PlanElementField } from '../domain/plan.ts';
import type { ImportWarning, SourceRef } from '../domain/source.ts';
import type { ConsultationItem, MissingFigure, OqosCell, OqosValue, ParsedPlan, PlanAction } from '../ingest/plan/types.ts';
import { carryFollowup, readFollowupOf } from './actions.ts';
import { recordAudit, type NewAuditEntry } from './audit.ts';
import { replaceIndicatorsIn } from './indicators.ts';
import { carryLinkDecisions, planItemTexts, readDecisionsOf, renameLinkTarget } from './links.ts';
import type { PlanElementRow, PlanRow } from './plan-schema.ts';
import type { Database, DatabaseHandle, Db } from './schema.ts';
import type { Transaction } from 'kysely';
import { carryFollowupIndicators, readFollowupIndicatorsOf } from './followup-indicators.ts';

/** What a plan import says it did. */
export type PlanImportOutcome = 'imported' | 'replaced' | 'unchanged';

export interface PlanHeader {
  id: string;
  territory: string;
  territoryName: string;
  region: string;
  title: string;
  period: { start: number; end: number } | null;
  documentSha256: string;
  fileName: string;
  parser: string;
  parserVersion: string;
  consultation: string | null;
  importedAt: string;
  importedBy: string;
}

export interface StoredObjective {
  code: string; number: number; title: string; catalogueTitle: string | null;
  defiARelever: string | null; themes: string[]; parcours: string[]; motsCles: string[];
  constats: string | null; objectif: string | null; resultatsAttendus: string | null; resultatsAttendusItems: string[];
  chiffresCles: string | null; paroleCitoyen: string | null; objectifRegional: string | null;
  actions: PlanAction[]; source: SourceRef;
}

export interface StoredDefi {
  code: string; number: number; title: string; catalogueTitle: string | null;
  enjeux: string | null; themes: string[]; parcours: string[]; motsCles: string[]; objectifRegional: string | null;
  listedObjectives: string[]; objectives: StoredObjective[]; source: SourceRef;
}

export interface StoredEngagement { code: string; number: number; title: string; catalogueTitle: string | null; defis: StoredDefi[]; source: SourceRef }

export interface StoredOqosRow {
  activity: string; activityIndex: number; table: string; tableIndex: number; regime: string | null; zone: string | null;
  modalite: string | null; mention: string | null; mentionNA: boolean; group: string | null;
  existing: OqosValue | null; target: OqosValue | null; cells: OqosCell[]; starred: boolean; raw: string; source: SourceRef;
}

/** A stored plan as a tree, for its pages and `fabrique plan show`. */
export interface StoredPlan extends PlanHeader {
  engagements: StoredEngagement[];
  oqos: StoredOqosRow[];
  consultationItems: ConsultationItem[];
  missingFigures: MissingFigure[];
  warnings: ImportWarning[];
}

export interface CatalogueRow { region: string; code: string; kind: string; title: string; firstPlan: string }

export interface SavePlanInput {
  header: PlanHeader;
  parsed: ParsedPlan;
  /** the plan's data repère, as the territory's indicators (replacing those an earlier plan of the territory wrote) */
  indicators: Indicator[];
  /** the `source` every indicator of a plan of this territory carries: the ones to replace */
  indicatorSource: (source: string | undefined) => boolean;
  /** the audit entry, written in the same transaction (its target id is the plan's) */
  audit: NewAuditEntry;
}

export interface SavePlanResult { outcome: PlanImportOutcome; planId: string; replaced: string[] }

const json = (v: unknown) => JSON.stringify(v);

/** The plan imported from this file for this target (a consultation, or none), if any. */
export async function findPlanByDocument(db: Db, sha256: string, consultation: string | null): Promise<PlanRow | undefined> {
  const q = db.selectFrom('plans').selectAll().where('document_sha256', '=', sha256);
  return (consultation === null ? q.where('consultation', 'is', null) : q.where('consultation', '=', consultation)).executeTakeFirst();
}

/**
 * Stores a parsed plan in one transaction: catalogue entries the région lacks (existing ones keep their title),
 * the plan and its rows, the territory's indicators, the audit entry. The same file for the same target again
 * is a no-op (`unchanged`); another file of the same territory for the same target replaces the older plan.
 */
export async function savePlan(store: DatabaseHandle, input: SavePlanInput): Promise<SavePlanResult> {
  const { header: h, parsed } = input;
  return store.db.transaction().execute(async (trx) => {
    const same = await findPlanByDocument(trx, h.documentSha256, h.consultation);
    if (same) return { outcome: 'unchanged', planId: same.id, replaced: [] };
    const olderQ = trx.selectFrom('plans').select('id').where('territory', '=', h.territory);
    const older = (await (h.consultation === null ? olderQ.where('consultation', 'is', null) : olderQ.where('consultation', '=', h.consultation)).execute()).map((r) => r.id);
    // the older plans' link decisions, read before they cascade away, are carried over below
    const decisions = await readDecisionsOf(trx, older);
    const oldItems = await planItemTexts(trx, decisions.some((l) => l.source.kind === 'planItem') ? older : []);
    const followup = await readFollowupOf(trx, older);
    const indicatorCarry = await readFollowupIndicatorsOf(trx, older);
    if (older.length) await trx.deleteFrom('plans').where('id', 'in', older).execute();

    await trx.insertInto('plans').values({
      id: h.id, territory: h.territory, territory_name: h.territoryName, region: h.region, title: h.title,
      period_start: h.period?.start ?? null, period_end: h.period?.end ?? null,
      document_sha256: h.documentSha256, file_name: h.fileName, media_type: parsed.document.mediaType, size_bytes: parsed.document.sizeBytes,
      parser: h.parser, parser_version: h.parserVersion, consultation: h.consultation,
      missing_figures_json: json(parsed.missingFigures), source_json: json(parsed.plan.source),
      imported_at: h.importedAt, imported_by: h.importedBy,
    }).execute();
    for (const c of parsed.catalogue) {
      await trx.insertInto('plan_catalogue').values({ region: h.region, code: c.code, kind: c.kind, title: c.title, first_plan: h.id })
        .onConflict((oc) => oc.columns(['region', 'code']).doNothing()).execute();
    }
    const elements = elementRows(h.id, parsed);
    await insertRows(trx, 'plan_elements', elements);
    await insertRows(trx, 'plan_actions', parsed.plan.engagements.flatMap((e) => e.defis.flatMap((d) => d.objectives.flatMap((o) =>
      o.actions.map((a, i) => ({ plan_id: h.id, objective_code: o.code, position: i, text: a.text, placement: a.placement, source_json: json(a.source) }))))));
    await insertRows(trx, 'plan_oqos', parsed.oqos.map((r, i) => ({
      plan_id: h.id, position: i, activity: r.activity, activity_index: r.activityIndex, table_title: r.table, table_index: r.tableIndex,
      regime: r.regime, zone: r.zone, modalite: r.modalite, mention: r.mention, mention_na: r.mentionNA ? 1 : 0, group_label: r.group,
      existing_json: r.existing ? json(r.existing) : null, target_json: r.target ? json(r.target) : null, cells_json: json(r.cells),
      starred: r.starred ? 1 : 0, raw: r.raw, source_json: json(r.source),
    })));
    await insertRows(trx, 'plan_items', parsed.consultationItems.map((c, i) => ({
      plan_id: h.id, position: i, section: c.section, group_label: c.group, text: c.text, source_json: json(c.source),
    })));
    await insertRows(trx, 'plan_warnings', parsed.warnings.map((w, i) => ({
      plan_id: h.id, position: i, level: w.level, code: w.code, message: w.message, source_json: w.source ? json(w.source) : null,
    })));
    const codes = new Set(elements.filter((e) => e.kind !== 'engagement').map((e) => e.code));
    const links = await carryLinkDecisions(trx, decisions, { id: h.id, consultation: h.consultation, codes, items: parsed.consultationItems, oldItems });
    await carryFollowup(trx, followup, h.id);
    await carryFollowupIndicators(trx, indicatorCarry, { id: h.id, codes });
    await writePlanIndicators(trx, h.territory, input);
    await recordAudit(trx, { ...input.audit, after: { ...(input.audit.after as object | undefined), replaced: older, ...(decisions.length ? { links } : {}) } });
    return { outcome: older.length ? 'replaced' : 'imported', planId: h.id, replaced: older };
  });
}

/** The territory's indicators: those an earlier plan wrote are replaced, the others (a consultation file's) kept. */
async function writePlanIndicators(trx: Transaction<Database>, territory: string, input: SavePlanInput): Promise<void> {
  const rows = await trx.selectFrom('indicators').selectAll().where('territory', '=', territory).where('territory_level', '=', 'departement')
    .orderBy('position').execute();
  const kept: Indicator[] = rows.filter((r) => !input.indicatorSource(r.source ?? undefined)).map((r) => ({
    id: r.id, label: r.label, territory, value: r.value === null ? null : Number(r.value), year: Number(r.year),
    regionValue: r.region_value === null ? null : Number(r.region_value), franceValue: r.france_value === null ? null : Number(r.france_value),
    ...(r.unit !== null ? { unit: r.unit } : {}), ...(r.source !== null ? { source: r.source } : {}),
  }));
  if (kept.length === 0 && input.indicators.length === 0 && rows.length === 0) return;
  await replaceIndicatorsIn(trx, territory, 'departement', [...kept, ...input.indicators], { yearOptional: true });
}

type PlanChildTable = 'plan_elements' | 'plan_actions' | 'plan_oqos' | 'plan_items' | 'plan_warnings';

/** 50 rows per statement: plan_elements has 22 columns, far below both databases' bind-parameter limits. */
async function insertRows<T extends PlanChildTable>(trx: Transaction<Database>, table: T, rows: Database[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50) await trx.insertInto(table).values(rows.slice(i, i + 50) as never).execute();
}

function elementRows(planId: string, parsed: ParsedPlan): PlanElementRow[] {
  const out: PlanElementRow[] = [];
  const base = (code: string, kind: string, parent: string | null, number: number, title: string, source: SourceRef) => ({
    plan_id: planId, code, kind, parent_code: parent, number, position: out.length, title, source_json: json(source),
    enjeux: null, defi_a_relever: null, constats: null, objectif: null, resultats_attendus: null, chiffres_cles: null, parole_citoyen: null,
    objectif_regional: null, themes_json: '[]', parcours_json: '[]', mots_cles_json: '[]', listed_objectives_json: '[]', resultats_items_json: '[]',
  });
  for (const e of parsed.plan.engagements) {
    out.push(base(e.code, 'engagement', null, e.number, e.title, e.source));
    for (const d of e.defis) {
      out.push({
        ...base(d.code, 'defi', e.code, d.number, d.title, d.source), enjeux: d.enjeux, objectif_regional: d.objectifRegional,
        themes_json: json(d.themes), parcours_json: json(d.parcours), mots_cles_json: json(d.motsCles), listed_objectives_json: json(d.listedObjectives),
      });
      for (const o of d.objectives) {
        out.push({
          ...base(o.code, 'objective', d.code, o.number, o.title, o.source),
          defi_a_relever: o.defiARelever, constats: o.constats, objectif: o.objectif, resultats_attendus: o.resultatsAttendus,
          chiffres_cles: o.chiffresCles, parole_citoyen: o.paroleCitoyen, objectif_regional: o.objectifRegional,
          themes_json: json(o.themes), parcours_json: json(o.parcours), mots_cles_json: json(o.motsCles), resultats_items_json: json(o.resultatsAttendusItems),
        });
      }
    }
  }
  return out;
}

function header(r: PlanRow): PlanHeader {
  return {
    id: r.id, territory: r.territory, territoryName: r.territory_name, region: r.region, title: r.title,
    period: r.period_start !== null && r.period_end !== null ? { start: Number(r.period_start), end: Number(r.period_end) } : null,
    documentSha256: r.document_sha256, fileName: r.file_name, parser: r.parser, parserVersion: r.parser_version,
    consultation: r.consultation, importedAt: r.imported_at, importedBy: r.imported_by,
  };
}

/** Plans, newest import first; filtered by département code and/or consultation. */
export async function listStoredPlans(store: DatabaseHandle, filter: { territory?: string; consultation?: string | null } = {}): Promise<PlanHeader[]> {
  let q = store.db.selectFrom('plans').selectAll();
  if (filter.territory) q = q.where('territory', '=', filter.territory);
  if (filter.consultation !== undefined) q = filter.consultation === null ? q.where('consultation', 'is', null) : q.where('consultation', '=', filter.consultation);
  return (await q.orderBy('imported_at', 'desc').orderBy('id').execute()).map(header);
}

/** The stored tree of a plan, or undefined. Each element carries its printed title and the catalogue's. */
export async function readStoredPlan(store: DatabaseHandle, id: string): Promise<StoredPlan | undefined> {
  const db = store.db;
  const p = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) return undefined;
  const [elements, actions, oqos, items, warnings, catalogue] = await Promise.all([
    db.selectFrom('plan_elements').selectAll().where('plan_id', '=', id).orderBy('position').execute(),
    db.selectFrom('plan_actions').selectAll().where('plan_id', '=', id).orderBy('objective_code').orderBy('position').execute(),
    db.selectFrom('plan_oqos').selectAll().where('plan_id', '=', id).orderBy('position').execute(),
    db.selectFrom('plan_items').selectAll().where('plan_id', '=', id).orderBy('position').execute(),
    db.selectFrom('plan_warnings').selectAll().where('plan_id', '=', id).orderBy('position').execute(),
    db.selectFrom('plan_catalogue').select(['code', 'title']).where('region', '=', p.region).execute(),
  ]);
  const titles = new Map(catalogue.map((c) => [c.code, c.title]));
  const src = (s: string) => JSON.parse(s) as SourceRef;
  const list = (s: string) => JSON.parse(s) as string[];
  const actionsOf = new Map<string, PlanAction[]>();
  for (const a of actions) {
    const l = actionsOf.get(a.objective_code) ?? [];
    l.push({ text: a.text, placement: a.placement as PlanAction['placement'], source: src(a.source_json) });
    actionsOf.set(a.objective_code, l);
  }
  const engagements: StoredEngagement[] = [];
  const defis = new Map<string, StoredDefi>();
  for (const e of elements) {
    const common = { code: e.code, number: Number(e.number), title: e.title, catalogueTitle: titles.get(e.code) ?? null, source: src(e.source_json) };
    if (e.kind === 'engagement') engagements.push({ ...common, defis: [] });
    else if (e.kind === 'defi') {
      const d: StoredDefi = {
        ...common, enjeux: e.enjeux, themes: list(e.themes_json), parcours: list(e.parcours_json), motsCles: list(e.mots_cles_json),
        objectifRegional: e.objectif_regional, listedObjectives: list(e.listed_objectives_json), objectives: [],
      };
      defis.set(e.code, d);
      engagements.find((x) => x.code === e.parent_code)?.defis.push(d);
    } else {
      defis.get(e.parent_code ?? '')?.objectives.push({
        ...common, defiARelever: e.defi_a_relever, themes: list(e.themes_json), parcours: list(e.parcours_json), motsCles: list(e.mots_cles_json),
        constats: e.constats, objectif: e.objectif, resultatsAttendus: e.resultats_attendus, resultatsAttendusItems: list(e.resultats_items_json),
        chiffresCles: e.chiffres_cles, paroleCitoyen: e.parole_citoyen, objectifRegional: e.objectif_regional, actions: actionsOf.get(e.code) ?? [],
      });
    }
  }
  return {
    ...header(p), engagements,
    oqos: oqos.map((r) => ({
      activity: r.activity, activityIndex: Number(r.activity_index), table: r.table_title, tableIndex: Number(r.table_index), regime: r.regime, zone: r.zone,
      modalite: r.modalite, mention: r.mention, mentionNA: Number(r.mention_na) === 1, group: r.group_label,
      existing: r.existing_json ? JSON.parse(r.existing_json) as OqosValue : null, target: r.target_json ? JSON.parse(r.target_json) as OqosValue : null,
      cells: JSON.parse(r.cells_json) as OqosCell[], starred: Number(r.starred) === 1, raw: r.raw, source: src(r.source_json),
    })),
    consultationItems: items.map((c) => ({ section: c.section as ConsultationItem['section'], group: c.group_label, text: c.text, source: src(c.source_json) })),
    missingFigures: JSON.parse(p.missing_figures_json) as MissingFigure[],
    warnings: warnings.map((w) => ({ level: w.level as ImportWarning['level'], code: w.code, message: w.message, ...(w.source_json ? { source: src(w.source_json) } : {}) })),
  };
}

/** The regional catalogue: one row per code, with the title the first imported scheme printed. */
export async function listCatalogue(store: DatabaseHandle, region: string): Promise<CatalogueRow[]> {
  const rows = await store.db.selectFrom('plan_catalogue').selectAll().where('region', '=', region).orderBy('code').execute();
  return rows.map((r) => ({ region: r.region, code: r.code, kind: r.kind, title: r.title, firstPlan: r.first_plan }));
}

/** Row counts of the plan tables (tests and the CLI summary check what a failed import left). */
export async function planTableCounts(store: DatabaseHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['plan_catalogue', 'plans', 'plan_elements', 'plan_actions', 'plan_oqos', 'plan_items', 'plan_warnings', 'indicators'] as const) {
    out[t] = Number((await store.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }
  return out;
}

/** The text columns of a plan element that a correction may change (the printed fields; lists stay as imported). */
export const PLAN_ELEMENT_TEXT_COLUMNS = {
  title: 'title', enjeux: 'enjeux', defiARelever: 'defi_a_relever', constats: 'constats', objectif: 'objectif',
  resultatsAttendus: 'resultats_attendus', chiffresCles: 'chiffres_cles', paroleCitoyen: 'parole_citoyen', objectifRegional: 'objectif_regional',
} as const;

export interface PlanElementSnapshot { planId: string; code: string; kind: string; parentCode: string | null; values: Record<string, string | null> }

/** One element of a plan with its correctable fields, or undefined. */
export async function readPlanElement(db: Db, planId: string, code: string): Promise<PlanElementSnapshot | undefined> {
  const r = await db.selectFrom('plan_elements').selectAll().where('plan_id', '=', planId).where('code', '=', code).executeTakeFirst();
  if (!r) return undefined;
  const values: Record<string, string | null> = { code: r.code };
  for (const [field, col] of Object.entries(PLAN_ELEMENT_TEXT_COLUMNS)) values[field] = (r as unknown as Record<string, string | null>)[col] ?? null;
  return { planId, code: r.code, kind: r.kind, parentCode: r.parent_code, values };
}

/** The same, read outside a transaction (the use case's first check). */
export async function findPlanElement(store: DatabaseHandle, planId: string, code: string): Promise<PlanElementSnapshot | undefined> {
  return readPlanElement(store.db, planId, code);
}

/**
 * Corrects one field of a plan element in one transaction with its audit entry. A code change renames the
 * element and carries the new prefix to its descendants (E2D1 → E2D3 makes E2D1O6 E2D3O6), their parent codes
 * and their actions; `check` runs inside the transaction with the renames (it throws the use case's French
 * errors), so that two corrections never race.
 */
export async function updatePlanElement(store: DatabaseHandle, input: {
  planId: string; code: string; field: PlanElementField; value: string | null;
  check: (current: PlanElementSnapshot, renames: Map<string, string>, codeTaken: (code: string) => boolean) => void;
  audit: (before: PlanElementSnapshot, renames: Map<string, string>) => NewAuditEntry;
}): Promise<PlanElementSnapshot> {
  return store.db.transaction().execute(async (trx) => {
    const current = await readPlanElement(trx, input.planId, input.code);
    if (!current) throw new Error(`plan element ${input.planId}/${input.code} vanished`);
    const renames = new Map<string, string>();
    const codes = (await trx.selectFrom('plan_elements').select('code').where('plan_id', '=', input.planId).execute()).map((r) => r.code);
    if (input.field === 'code' && input.value !== input.code) {
      const to = input.value ?? '';
      for (const c of codes) {
        if (c === input.code || (c.startsWith(input.code) && /^[DO]/.test(c.slice(input.code.length)))) renames.set(c, to + c.slice(input.code.length));
      }
    }
    const taken = new Set(codes.filter((c) => !renames.has(c)));
    input.check(current, renames, (c) => taken.has(c));
    const el = () => trx.updateTable('plan_elements').where('plan_id', '=', input.planId);
    if (input.field === 'code') {
      // two passes through temporary codes: a rename never collides with a code the same correction frees
      const tmp = (c: string) => `~${c}`;
      for (const pass of [0, 1] as const) {
        for (const [from, to] of renames) {
          const [a, b] = pass === 0 ? [from, tmp(to)] : [tmp(to), to];
          await el().where('code', '=', a).set({ code: b }).execute();
          await el().where('parent_code', '=', a).set({ parent_code: b }).execute();
          await trx.updateTable('plan_actions').where('plan_id', '=', input.planId).where('objective_code', '=', a).set({ objective_code: b }).execute();
          await trx.updateTable('followup_actions').where('plan_id', '=', input.planId).where('objective_code', '=', a).set({ objective_code: b }).execute();
          await trx.updateTable('followup_indicators').where('plan_id', '=', input.planId).where('objective_code', '=', a).set({ objective_code: b }).execute();
          await renameLinkTarget(trx, input.planId, a, b);
        }
      }
    } else {
      await el().where('code', '=', input.code).set({ [PLAN_ELEMENT_TEXT_COLUMNS[input.field]]: input.value } as never).execute();
    }
    await recordAudit(trx, input.audit(current, renames));
    return (await readPlanElement(trx, input.planId, renames.get(input.code) ?? input.code))!;
  });
}
