/**
 * Exports of a plan's follow-up (issue 15) for spreadsheets: its actions, its indicators, their measurements, as CSV
 * (UTF-8 with a BOM, « ; » between fields and a decimal comma, as a French Excel opens it) or XLSX. French column
 * headers, ISO dates (docs/format-followup-exports.md). Back office only; nothing personal beyond what an action holds:
 * the contact person column only when asked (`contact`), never the accounts that entered a change or a measurement.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { parisDay } from '../domain/consultation.ts';
import { UserError } from '../domain/errors.ts';
import { ACTION_STATUS_LABELS, actionProgress, progressNodes } from '../domain/followup.ts';
import { PROGRESS_STATUS_LABELS, indicatorProgress, type IndicatorTarget } from '../domain/followup-indicators.ts';
import { listPlanActions } from '../store/actions.ts';
import { listFollowupIndicators, listFollowupMeasurements } from '../store/followup-indicators.ts';
import type { StoredPlan } from '../store/plans.ts';
import type { UseCaseContext } from './context.ts';
import { getPlan } from './plan.ts';

export const FOLLOWUP_EXPORTS = ['actions', 'indicators', 'measurements'] as const;
export type FollowupExportWhat = (typeof FOLLOWUP_EXPORTS)[number];
export const FOLLOWUP_EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type FollowupExportFormat = (typeof FOLLOWUP_EXPORT_FORMATS)[number];

export interface FollowupExportInput {
  plan: string;
  what: FollowupExportWhat | string;
  format: FollowupExportFormat | string;
  /** actions: add the « Contact » column (the owner's contact person); back office only, off by default */
  contact?: boolean;
}

export interface FollowupExport {
  bytes: Buffer;
  fileName: string;
  mediaType: string;
  /** data rows (the header row not counted) */
  rows: number;
}

/** A cell: text, a number (kept a number in XLSX, decimal comma in CSV), or empty. */
type Cell = string | number | null;
interface Table { sheet: string; columns: string[]; rows: Cell[][] }

const MEDIA: Record<FollowupExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const FILE_PART: Record<FollowupExportWhat, string> = { actions: 'actions', indicators: 'indicateurs', measurements: 'mesures' };

const yesNo = (b: boolean) => (b ? 'oui' : 'non');

function targetCells(t: IndicatorTarget): Cell[] {
  return t.kind === 'value' ? ['valeur', t.value, null, null, null]
    : t.kind === 'range' ? ['fourchette', null, t.min, t.max, null]
      : ['tendance', null, null, null, t.direction];
}

function sourceText(s: { file?: string; lineStart?: number; lineEnd?: number } | null): string | null {
  if (!s || !s.file) return null;
  const lines = s.lineStart !== undefined ? (s.lineEnd !== undefined && s.lineEnd !== s.lineStart ? `, l. ${s.lineStart}-${s.lineEnd}` : `, l. ${s.lineStart}`) : '';
  return `${s.file}${lines}`;
}

async function actionsTable(ctx: UseCaseContext, plan: StoredPlan, contact: boolean): Promise<Table> {
  const actions = await listPlanActions(ctx.store, plan.id);
  const nodes = progressNodes(actions);
  const where = new Map<string, { engagement: string; title: string }>();
  for (const e of plan.engagements) for (const d of e.defis) for (const o of d.objectives) where.set(o.code, { engagement: e.code, title: o.title });
  const today = parisDay(ctx.now());
  const columns = ['Identifiant', 'Engagement', 'Objectif', 'Intitulé de l’objectif', 'Action parente', 'Intitulé', 'Description', 'Statut', 'Motif de l’abandon',
    'Porteur (organisation)', ...(contact ? ['Contact'] : []), 'Partenaires', 'Portée', 'Début', 'Échéance', 'Avancement saisi (%)', 'Avancement (%)', 'Poids',
    'Budget (€)', 'En retard', 'Source dans le schéma', 'Créée le', 'Mise à jour le'];
  const rows = actions.map((a): Cell[] => [
    a.id, where.get(a.objectiveCode)?.engagement ?? null, a.objectiveCode, where.get(a.objectiveCode)?.title ?? null, a.parentId, a.title, a.description,
    ACTION_STATUS_LABELS[a.status], a.statusReason, a.owner.organisation, ...(contact ? [a.owner.contact] : []), a.partners.join(', '),
    a.scope, a.startDate, a.dueDate, a.progress, actionProgress(a.id, nodes), a.weight, a.budget,
    yesNo(a.dueDate !== null && a.dueDate < today && a.status !== 'realisee' && a.status !== 'abandonnee'),
    sourceText(a.source), a.createdAt, a.updatedAt,
  ]);
  return { sheet: 'Actions', columns, rows };
}

async function indicatorsTable(ctx: UseCaseContext, plan: StoredPlan): Promise<Table> {
  const inds = await listFollowupIndicators(ctx.store, plan.id);
  const ms = await listFollowupMeasurements(ctx.store, inds.map((i) => i.id));
  const columns = ['Identifiant', 'Objectif', 'Libellé', 'Unité', 'Territoire', 'Origine', 'Valeur de départ', 'Date de départ', 'Source de départ',
    'Type de cible', 'Cible', 'Cible minimum', 'Cible maximum', 'Tendance visée', 'Échéance', 'Dernière mesure', 'Date de la dernière mesure',
    'Progression (%)', 'État', 'Progression'];
  const rows = inds.map((i): Cell[] => {
    const p = indicatorProgress(i, ms.get(i.id) ?? []);
    return [i.id, i.objectiveCode, i.label, i.unit || null, i.territory, i.origin === 'oqos' ? 'OQOS' : 'saisi', i.baseline.value, i.baseline.date, i.baseline.source,
      ...targetCells(i.target), i.dueDate, p.latest?.value ?? null, p.latest?.date ?? null, p.percent, PROGRESS_STATUS_LABELS[p.status], p.label];
  });
  return { sheet: 'Indicateurs', columns, rows };
}

async function measurementsTable(ctx: UseCaseContext, plan: StoredPlan): Promise<Table> {
  const inds = await listFollowupIndicators(ctx.store, plan.id);
  const ms = await listFollowupMeasurements(ctx.store, inds.map((i) => i.id));
  const columns = ['Indicateur', 'Libellé de l’indicateur', 'Date', 'Valeur', 'Unité', 'Source', 'Saisie le'];
  // who entered it is an account: left out
  const rows = inds.flatMap((i) => (ms.get(i.id) ?? []).map((m): Cell[] => [i.id, i.label, m.date, m.value, i.unit || null, m.source, m.enteredAt]));
  return { sheet: 'Mesures', columns, rows };
}

/**
 * CSV for a French Excel: BOM, « ; », decimal comma, CRLF; papaparse quotes what needs it. A text that a spreadsheet
 * would run as a formula (= + - @ first) is prefixed with an apostrophe; numbers are not (a negative value stays one).
 */
export function toCsv(t: Pick<Table, 'columns' | 'rows'>): Buffer {
  const cell = (c: Cell) => (c === null ? '' : typeof c === 'number' ? String(c).replace('.', ',') : /^[=+\-@\t\r]/.test(c) ? `'${c}` : c);
  const text = Papa.unparse({ fields: t.columns, data: t.rows.map((r) => r.map(cell)) }, { delimiter: ';', newline: '\r\n', quotes: false });
  return Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
}

async function toXlsx(t: Table): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Fabrique';
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(t.columns).font = { bold: true };
  for (const r of t.rows) ws.addRow(r.map((c) => (c === null ? null : c)));
  t.columns.forEach((c, i) => { ws.getColumn(i + 1).width = Math.min(60, Math.max(12, c.length + 2)); });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One export of a plan's follow-up; read-only (no audit entry: nothing changes). */
export async function followupExport(ctx: UseCaseContext, input: FollowupExportInput): Promise<FollowupExport> {
  const role = ctx.actor.role;
  if (role !== 'admin' && role !== 'analyst' && role !== 'cli') {
    throw new UserError('forbidden', 'Les exports du suivi du schéma se téléchargent depuis l’espace d’administration (analyste ou administrateur).');
  }
  if (!(FOLLOWUP_EXPORTS as readonly string[]).includes(input.what)) throw new UserError('invalid', `Export inconnu « ${String(input.what)} » : actions, indicators ou measurements.`, 'what');
  if (!(FOLLOWUP_EXPORT_FORMATS as readonly string[]).includes(input.format)) throw new UserError('invalid', `Format inconnu « ${String(input.format)} » : csv ou xlsx.`, 'format');
  if (typeof input.plan !== 'string' || input.plan.trim() === '') throw new UserError('invalid', 'Indiquez le schéma territorial de santé (identifiant du plan).', 'plan');
  const plan = await getPlan(ctx, input.plan);
  const what = input.what as FollowupExportWhat;
  const format = input.format as FollowupExportFormat;
  const table = what === 'actions' ? await actionsTable(ctx, plan, input.contact === true)
    : what === 'indicators' ? await indicatorsTable(ctx, plan) : await measurementsTable(ctx, plan);
  const bytes = format === 'csv' ? toCsv(table) : await toXlsx(table);
  const safe = plan.id.replace(/[^A-Za-z0-9._-]+/g, '-');
  return { bytes, fileName: `suivi-${safe}-${FILE_PART[what]}.${format}`, mediaType: MEDIA[format], rows: table.rows.length };
}
