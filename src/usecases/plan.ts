/**
 * The schéma territorial de santé (issue 13): importing a plan (its regional catalogue codes, elements, actions,
 * OQOS rows, consultation items, warnings; its data repère as the territory's indicators), reading it back as a
 * tree, listing the plans. `fabrique import <sts>` and, later, the back office call these same functions.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../domain/errors.ts';
import { DEPARTEMENTS } from '../domain/geography.ts';
import { CORRECTABLE_FIELDS, PLAN_FIELD_LABELS, type Indicator, type PlanElementField } from '../domain/plan.ts';
import { consultationLevel } from '../domain/territory.ts';
import { listIndicators } from '../store/indicators.ts';
import { listPlanParsers, parsePlanBytes } from '../ingest/plan/index.ts';
import type { ParsedPlan, PlanIndicator } from '../ingest/plan/types.ts';
import { ImportError } from '../ingest/types.ts';
import {
  findPlanElement, listStoredPlans, readStoredPlan, savePlan, updatePlanElement,
  type PlanElementSnapshot, type PlanHeader, type PlanImportOutcome, type StoredPlan,
} from '../store/plans.ts';
import type { ImportWarning } from '../domain/source.ts';
import type { UseCaseContext } from './context.ts';
import { requireConsultation } from './consultations.ts';

export type ParsePlan = (bytes: Uint8Array, fileName: string, opts: { parser?: string }) => Promise<ParsedPlan | null>;

export interface ImportPlanInput {
  bytes: Uint8Array;
  fileName: string;
  /** the consultation the plan answers; none: a plan imported on its own (`--plan`) */
  consultation?: string;
  /** force a plan parser by name (`sts-markdown`, `sts-texte`) */
  parser?: string;
}

export interface PlanImportCounts {
  engagements: number; defis: number; objectives: number; actions: number;
  oqos: number; indicators: number; missingFigures: number; consultationItems: number; catalogue: number; warnings: number;
}

export interface PlanImportResult {
  outcome: PlanImportOutcome;
  planId: string;
  /** plans of the same territory and target this import replaced (an older file) */
  replaced: string[];
  fileName: string;
  parser: string;
  territory: string;
  territoryName: string;
  consultation: string | null;
  title: string;
  period: { start: number; end: number } | null;
  counts: PlanImportCounts;
  warnings: ImportWarning[];
}

/** The `source` of every indicator a plan writes: how a later plan of the territory finds those to replace. */
const INDICATOR_SOURCE = /^Schéma territorial de santé .* — data repère/;

/** Who may import a plan: the roles that import documents (not the public). */
function mayImport(ctx: UseCaseContext): boolean {
  return ctx.actor.role === 'admin' || ctx.actor.role === 'analyst' || ctx.actor.role === 'cli';
}

/**
 * Parses a schéma territorial de santé and stores it in one transaction with its audit entry. The same file
 * (sha256) for the same target (consultation or none) again is a no-op (`unchanged`); another file of the same
 * territory for the same target replaces the older plan. A file that is not a plan is a French UserError.
 */
export async function importPlan(ctx: UseCaseContext, input: ImportPlanInput, parse: ParsePlan = parsePlanBytes): Promise<PlanImportResult> {
  // load
  if (!mayImport(ctx)) throw new UserError('forbidden', 'Seuls un analyste ou un administrateur peuvent importer un schéma territorial de santé.');
  const consultation = input.consultation !== undefined ? await requireConsultation(ctx, input.consultation) : null;
  if (input.parser && !listPlanParsers().some((p) => p.name === input.parser)) {
    throw new UserError('invalid', `Lecteur de schéma « ${input.parser} » inconnu ; lecteurs disponibles : ${listPlanParsers().map((p) => p.name).join(', ')}.`, 'parser');
  }
  // compute
  let parsed: ParsedPlan | null;
  try {
    parsed = await parse(input.bytes, input.fileName, input.parser ? { parser: input.parser } : {});
  } catch (e) {
    if (e instanceof ImportError) throw new UserError('invalid', `${e.message} Rien n’a été importé.`, 'file');
    throw e;
  }
  if (!parsed) {
    throw new UserError('invalid', `« ${input.fileName} » n’est pas reconnu comme un schéma territorial de santé (ni « Défis prioritaires », ni objectifs opérationnels du modèle régional). Rien n’a été importé.`, 'file');
  }
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const territory = departementOf(parsed.plan.territory);
  if (!territory) {
    throw new UserError('invalid', `Département du schéma introuvable ou inconnu (« ${parsed.plan.territory || 'non imprimé'} ») dans « ${input.fileName} ». Rien n’a été importé.`, 'file');
  }
  const [territoryName, region] = DEPARTEMENTS[territory]!;
  if (consultation) {
    const level = consultationLevel(consultation);
    const fits = level === 'region' ? consultation.territory === region : consultation.territory === territory;
    if (!fits) {
      throw new UserError('conflict', `Le schéma concerne ${territoryName} (${territory}), hors du territoire de la consultation « ${consultation.slug} » (${consultation.territory}). Rien n’a été importé.`, 'consultation');
    }
  }
  const id = `sts-${territory}-${sha256.slice(0, 12)}${consultation ? `-${consultation.slug}` : ''}`;
  const period = parsed.plan.period;
  const source = `Schéma territorial de santé ${territoryName}${period ? ` ${period.start}-${period.end}` : ''} — data repère (${input.fileName})`;
  const indicators = planIndicators(parsed.indicators, territory, source);
  const counts = countsOf(parsed, indicators.length);
  const at = ctx.now().toISOString();
  // write
  const saved = await savePlan(ctx.store, {
    header: {
      id, territory, territoryName, region, title: parsed.plan.title, period, documentSha256: sha256, fileName: input.fileName,
      parser: parsed.parser, parserVersion: parsed.parserVersion, consultation: consultation?.slug ?? null, importedAt: at, importedBy: ctx.actor.name,
    },
    parsed, indicators, indicatorSource: (s) => s !== undefined && INDICATOR_SOURCE.test(s),
    // counts and identity only: no text of the plan or of any contribution in the journal
    audit: {
      actor: ctx.actor.name, action: 'plan.import', consultation: consultation?.slug ?? null, targetType: 'plan', targetId: id, at,
      after: { fileName: input.fileName, sha256, parser: parsed.parser, parserVersion: parsed.parserVersion, territory, counts },
    },
  });
  return {
    outcome: saved.outcome, planId: saved.planId, replaced: saved.replaced, fileName: input.fileName, parser: parsed.parser,
    territory, territoryName, consultation: consultation?.slug ?? null, title: parsed.plan.title, period, counts, warnings: parsed.warnings,
  };
}

/** A plan by its id, or the latest plan of a département (code « 48 » or name « Lozère »). */
export async function getPlan(ctx: UseCaseContext, idOrTerritory: string, opts: { consultation?: string } = {}): Promise<StoredPlan> {
  const key = idOrTerritory.trim();
  const byId = await readStoredPlan(ctx.store, key);
  if (byId) return byId;
  const territory = DEPARTEMENTS[key] ? key : departementOf(key);
  if (territory) {
    const plans = await listStoredPlans(ctx.store, { territory, ...(opts.consultation !== undefined ? { consultation: opts.consultation } : {}) });
    const found = plans[0] ? await readStoredPlan(ctx.store, plans[0].id) : undefined;
    if (found) return found;
  }
  throw new UserError('not_found', `Aucun schéma territorial de santé importé pour « ${key} » (identifiant de plan, code ou nom de département).`);
}

/** The imported plans, newest first, optionally of one département (code or name) or consultation. */
export async function listPlans(ctx: UseCaseContext, filter: { territory?: string; consultation?: string } = {}): Promise<PlanHeader[]> {
  let territory: string | undefined;
  if (filter.territory) {
    territory = DEPARTEMENTS[filter.territory] ? filter.territory : departementOf(filter.territory);
    if (!territory) throw new UserError('invalid', `Département inconnu : « ${filter.territory} ».`, 'territory');
  }
  return listStoredPlans(ctx.store, { ...(territory ? { territory } : {}), ...(filter.consultation !== undefined ? { consultation: filter.consultation } : {}) });
}

/** The data repère a plan wrote: its territory's indicators whose source names this plan's file. */
export async function planDataRepere(ctx: UseCaseContext, plan: Pick<PlanHeader, 'territory' | 'fileName'>): Promise<Indicator[]> {
  const all = await listIndicators(ctx.store, plan.territory, 'departement');
  return all.filter((i) => i.source !== undefined && INDICATOR_SOURCE.test(i.source) && i.source.endsWith(`(${plan.fileName})`));
}

const CODE_SHAPE: Record<string, RegExp> = { engagement: /^E\d{1,2}$/, defi: /^E\d{1,2}D\d{1,2}$/, objective: /^E\d{1,2}D\d{1,2}O\d{1,2}$/ };

export interface CorrectPlanElementInput { plan: string; code: string; field: string; value: string | null }

/**
 * Corrects a title, a printed field or a code of one element of a plan (a misread of the parser, a misprint
 * the analyst fixes), with its audit entry (before and after: the plan is a public document) in the same
 * transaction. A code keeps its element's shape (E1, E1D2, E1D2O3) and its parent's prefix, and stays unique.
 */
export async function correctPlanElement(ctx: UseCaseContext, input: CorrectPlanElementInput): Promise<PlanElementSnapshot> {
  if (!mayImport(ctx)) throw new UserError('forbidden', 'Seuls un analyste ou un administrateur peuvent corriger un schéma territorial de santé.');
  const plan = await readStoredPlan(ctx.store, input.plan);
  if (!plan) throw new UserError('not_found', `Schéma territorial de santé inconnu : « ${input.plan} ».`);
  const found = await findPlanElement(ctx.store, plan.id, input.code);
  if (!found) throw new UserError('not_found', `Aucun élément « ${input.code} » dans le schéma « ${plan.title} ».`, 'code');
  const kind = found.kind as keyof typeof CORRECTABLE_FIELDS;
  const field = input.field as PlanElementField;
  if (!(CORRECTABLE_FIELDS[kind] ?? []).includes(field)) {
    const allowed = (CORRECTABLE_FIELDS[kind] ?? []).map((f) => `« ${PLAN_FIELD_LABELS[f]} »`).join(', ');
    throw new UserError('invalid', `Champ « ${input.field} » non modifiable sur cet élément ; champs possibles : ${allowed}.`, 'field');
  }
  let value = input.value === null ? null : input.value.replace(/\r\n?/g, '\n').trim();
  if (value === '') value = null;
  if (value !== null && value.length > 20_000) throw new UserError('invalid', 'Texte trop long (20 000 caractères au plus).', 'value');
  if (field === 'title' && value === null) throw new UserError('invalid', 'Le titre ne peut pas être vide.', 'value');
  if (field === 'code') {
    value = (value ?? '').toUpperCase().replace(/\s+/g, '');
    if (!CODE_SHAPE[kind]!.test(value)) {
      const shape = kind === 'engagement' ? 'E1' : kind === 'defi' ? 'E1D2' : 'E1D2O3';
      throw new UserError('invalid', `Code « ${input.value ?? ''} » invalide : attendu de la forme ${shape} (lettres E, D, O et chiffres).`, 'value');
    }
    if (found.parentCode && !value.startsWith(found.parentCode)) {
      throw new UserError('invalid', `Le code « ${value} » doit commencer par celui de son élément parent (${found.parentCode}).`, 'value');
    }
  }
  const at = ctx.now().toISOString();
  const planId = plan.id;
  return updatePlanElement(ctx.store, {
    planId, code: found.code, field, value,
    check: (_current, renames, codeTaken) => {
      const clash = [...renames.values()].find(codeTaken);
      if (clash) throw new UserError('conflict', `Le code « ${clash} » est déjà celui d’un autre élément de ce schéma.`, 'value');
    },
    audit: (before, renames) => ({
      actor: ctx.actor.name, action: 'plan.correct', consultation: plan.consultation, targetType: 'plan_element', targetId: `${planId}/${before.code}`, at,
      before: { field, value: before.values[field] ?? null },
      after: { field, value, ...(renames.size > 1 ? { renamed: Object.fromEntries(renames) } : {}) },
    }),
  });
}

/** Names compared without accents, case or the article (« la Lozère »). */
const folded = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/^(la |le |les |l')/, '').replace(/[^a-z0-9]+/g, ' ').trim();

export function departementOf(name: string): string | undefined {
  const f = folded(name);
  if (!f) return undefined;
  return Object.entries(DEPARTEMENTS).find(([, [n]]) => folded(n) === f)?.[0];
}

function countsOf(p: ParsedPlan, indicators: number): PlanImportCounts {
  const defis = p.plan.engagements.flatMap((e) => e.defis);
  const objectives = defis.flatMap((d) => d.objectives);
  return {
    engagements: p.plan.engagements.length, defis: defis.length, objectives: objectives.length,
    actions: objectives.reduce((n, o) => n + o.actions.length, 0), oqos: p.oqos.length, indicators,
    missingFigures: p.missingFigures.length, consultationItems: p.consultationItems.length, catalogue: p.catalogue.length, warnings: p.warnings.length,
  };
}

/**
 * « 175 000 habitants » → 175000 « habitants »; « 82,8 ans » → 82.8 « ans »; « 27% » → 27 « % ». A value that
 * does not start with a number is kept as null (the label still says what it is): never a guessed figure.
 */
export function printedNumber(text: string | null): { value: number | null; unit: string | null } {
  if (text === null) return { value: null, unit: null };
  const m = /^\s*([+-]?\d{1,3}(?:[\u00a0\u202f ]\d{3})+|[+-]?\d+(?:,\d+)?)\s*(.*?)\s*$/.exec(text);
  if (!m) return { value: null, unit: null };
  const value = Number(m[1]!.replace(/[\u00a0\u202f ]/g, '').replace(',', '.'));
  return Number.isFinite(value) ? { value, unit: m[2] || null } : { value: null, unit: null };
}

/** The data repère as indicators of the département: no year (none printed), région = Occitanie for the Lot. */
function planIndicators(items: readonly PlanIndicator[], territory: string, source: string): Indicator[] {
  const ids = new Map<string, number>();
  return items.map((i) => {
    const v = printedNumber(i.value);
    const base = i.label.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'indicateur';
    const n = (ids.get(base) ?? 0) + 1;
    ids.set(base, n);
    const ind: Indicator = {
      id: n === 1 ? base : `${base}-${n}`, label: i.label, territory, value: v.value,
      regionValue: printedNumber(i.occitanie).value, franceValue: printedNumber(i.france).value, source,
    };
    if (v.unit) ind.unit = v.unit;
    return ind;
  });
}

