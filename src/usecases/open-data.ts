/**
 * Open data (issue 16): the published contributions and the public figures of a consultation as CSV and JSON, under
 * the Licence Ouverte 2.0 (Etalab). Only what the one publication rule makes public leaves: the contributions are read
 * with the store functions of the public contributions list (`pageContributions` with `PUBLIC_FILTER`), page by
 * page so a large consultation streams, and the figures are the public figures (`consultationFigures`), the same as
 * « En chiffres ». Columns: docs/format-open-data.md. Read-only: no audit entry.
 */
import Papa from 'papaparse';
import { KIND_LABELS, type ContributionKind } from '../domain/contribution.ts';
import type { Consultation } from '../domain/consultation.ts';
import { DEPARTEMENTS, territoryName } from '../domain/geography.ts';
import { COLLEGE_LABELS, type College } from '../domain/meeting.ts';
import { departementOfPostcode, isDepartementCode } from '../domain/territory.ts';
import { publicMeeting } from '../privacy/public.ts';
import { pseudonymise } from '../privacy/pseudonymise.ts';
import { pageContributions, type ContributionPageItem } from '../store/moderation-page.ts';
import { PUBLIC_FILTER } from '../store/store.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';
import { consultationFigures } from './stats.ts';

export const OPEN_DATA_LICENCE = {
  name: 'Licence Ouverte / Open Licence version 2.0 (Etalab)',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

export const OPEN_DATA_FORMAT = { contributions: 'fabrique.open-data.contributions', figures: 'fabrique.open-data.figures' } as const;
export const OPEN_DATA_VERSION = 1;

/** Rows read from the store per page while streaming (one query each). */
export const OPEN_DATA_PAGE = 500;

/** One published contribution as open data. */
export interface OpenDataContribution {
  id: string;
  texte: string;
  themes: string[];
  nature: string | null;
  reunion: string | null;
  date: string | null;
  departement: string | null;
  departementNom: string | null;
  college: string | null;
  canal: string;
}

/** French column headers of the contributions CSV, in order (docs/format-open-data.md). */
export const CONTRIBUTION_COLUMNS = ['identifiant', 'texte', 'thèmes', 'nature', 'réunion', 'date', 'département', 'nom du département', 'collège', 'canal'] as const;

export const CHANNEL_LABELS: Record<string, string> = {
  atelier: 'atelier', en_ligne: 'en ligne', formulaire: 'formulaire en ligne', courrier: 'courrier', import_tableur: 'tableur importé', autre: 'autre',
};

/** The département of a stored territory (a département code, or a postcode when a source gave one); never finer. */
export function departementOf(territory: string | null | undefined): string | null {
  if (!territory) return null;
  const t = territory.trim().toUpperCase();
  if (/^\d{5}$/.test(t)) return departementOfPostcode(t) ?? null;
  return isDepartementCode(t) && DEPARTEMENTS[t] ? t : null;
}

function rowOf(c: ContributionPageItem, themes: Map<string, string>, meetings: Map<string, string>): OpenDataContribution {
  const dep = departementOf(c.territory);
  return {
    id: c.id,
    // masked once more on the way out, as the public list does (src/server/views.ts publicContribution)
    texte: pseudonymise(c.text).text,
    themes: c.themes.map((t) => themes.get(t.theme) ?? t.theme),
    nature: c.kind ? KIND_LABELS[c.kind as ContributionKind] ?? c.kind : null,
    reunion: c.meeting ? meetings.get(c.meeting) ?? null : null,
    date: c.date ? c.date.slice(0, 10) : null,
    departement: dep,
    departementNom: dep ? territoryName(dep) : null,
    college: c.college ? COLLEGE_LABELS[c.college as College] ?? c.college : null,
    canal: CHANNEL_LABELS[c.channel] ?? c.channel,
  };
}

export interface OpenDataContributions {
  consultation: Consultation;
  /** public contributions: the number the public figures give */
  total: number;
  /** the rows, newest first, read page by page */
  rows: AsyncGenerator<OpenDataContribution>;
}

/** The published contributions of a consultation the public may see (drafts are not_found), as open-data rows. */
export async function openDataContributions(ctx: UseCaseContext, slug: string): Promise<OpenDataContributions> {
  const c = await visibleConsultation(ctx, slug);
  const themes = new Map(c.themes.map((t) => [t.code, t.label]));
  const meetings = new Map((await ctx.store.listMeetings(c.slug)).map(publicMeeting).map((m) => [m.id, m.title]));
  const first = await pageContributions(ctx.store, c.slug, PUBLIC_FILTER, 0, OPEN_DATA_PAGE);
  async function* rows(): AsyncGenerator<OpenDataContribution> {
    let page = first.items;
    let offset = 0;
    while (page.length > 0) {
      for (const item of page) yield rowOf(item, themes, meetings);
      offset += page.length;
      if (page.length < OPEN_DATA_PAGE || offset >= first.total) break;
      page = (await pageContributions(ctx.store, c.slug, PUBLIC_FILTER, offset, OPEN_DATA_PAGE)).items;
    }
  }
  return { consultation: c, total: first.total, rows: rows() };
}

/** One published figure: what is counted, for which value, how many. */
export interface OpenDataFigure {
  indicateur: string;
  code: string | null;
  libelle: string;
  valeur: number | null;
}

export const FIGURE_COLUMNS = ['indicateur', 'code', 'libellé', 'valeur'] as const;

const FIGURE_LABELS = {
  contributions: 'contributions publiées', meetings: 'réunions', documents: 'documents sources importés',
  participants: 'participants déclarés par les réunions', withoutTheme: 'contributions publiées sans thème',
  byTheme: 'contributions publiées par thème', byKind: 'contributions publiées par nature', byMeeting: 'contributions publiées par réunion',
  byCollege: 'contributions publiées par collège', byChannel: 'contributions publiées par canal',
} as const;

/** The public figures of a consultation (the same as « En chiffres ») as one row per figure. */
export async function openDataFigures(ctx: UseCaseContext, slug: string): Promise<{ consultation: Consultation; figures: OpenDataFigure[] }> {
  const c = await visibleConsultation(ctx, slug);
  const f = await consultationFigures(ctx, c.slug);
  const themes = new Map(c.themes.map((t) => [t.code, t.label]));
  const meetings = new Map((await ctx.store.listMeetings(c.slug)).map(publicMeeting).map((m) => [m.id, m.title]));
  const out: OpenDataFigure[] = [
    { indicateur: 'contributions', code: null, libelle: FIGURE_LABELS.contributions, valeur: f.contributions },
    { indicateur: 'reunions', code: null, libelle: FIGURE_LABELS.meetings, valeur: f.meetings },
    { indicateur: 'documents', code: null, libelle: FIGURE_LABELS.documents, valeur: f.documents },
    { indicateur: 'participants', code: null, libelle: FIGURE_LABELS.participants, valeur: f.participants },
    { indicateur: 'sans_theme', code: null, libelle: FIGURE_LABELS.withoutTheme, valeur: f.withoutTheme },
  ];
  const by = (indicateur: string, label: string, counts: Record<string, number>, name: (code: string) => string) => {
    for (const [code, n] of Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      out.push({ indicateur, code, libelle: `${label} : ${name(code)}`, valeur: n });
    }
  };
  by('par_theme', FIGURE_LABELS.byTheme, f.byTheme, (k) => themes.get(k) ?? k);
  by('par_nature', FIGURE_LABELS.byKind, f.byKind, (k) => KIND_LABELS[k as ContributionKind] ?? k);
  by('par_reunion', FIGURE_LABELS.byMeeting, f.byMeeting, (k) => meetings.get(k) ?? 'réunion');
  by('par_college', FIGURE_LABELS.byCollege, f.byCollege, (k) => COLLEGE_LABELS[k as College] ?? k);
  by('par_canal', FIGURE_LABELS.byChannel, f.byChannel, (k) => CHANNEL_LABELS[k] ?? k);
  return { consultation: c, figures: out };
}

// ---- serialisation ----

type Cell = string | number | null;

/**
 * One CSV line for a French spreadsheet: « ; » between fields, decimal comma, CRLF (docs/format-open-data.md). A text
 * a spreadsheet would run as a formula (= + - @ first) gets an apostrophe in front.
 */
export function csvLine(cells: readonly Cell[]): string {
  const cell = (c: Cell) => (c === null ? '' : typeof c === 'number' ? String(c).replace('.', ',') : /^[=+\-@\t\r]/.test(c) ? `'${c}` : c);
  return `${Papa.unparse([cells.map(cell)], { delimiter: ';', newline: '\r\n', quotes: false, header: false })}\r\n`;
}

export const CSV_BOM = '\uFEFF';

function contributionCells(r: OpenDataContribution): Cell[] {
  return [r.id, r.texte, r.themes.join(' | ') || null, r.nature, r.reunion, r.date, r.departement, r.departementNom, r.college, r.canal];
}

/** The contributions CSV, line by line: the BOM and header first. */
export async function* contributionsCsv(data: OpenDataContributions): AsyncGenerator<string> {
  yield CSV_BOM + csvLine([...CONTRIBUTION_COLUMNS]);
  let buf = '';
  for await (const r of data.rows) {
    buf += csvLine(contributionCells(r));
    if (buf.length > 64_000) { yield buf; buf = ''; }
  }
  if (buf) yield buf;
}

function metadata(c: Consultation, format: string, now: Date) {
  return {
    format, version: OPEN_DATA_VERSION, licence: OPEN_DATA_LICENCE,
    consultation: { slug: c.slug, title: c.title, territory: c.territory },
    generatedAt: now.toISOString(),
  };
}

/** JSON never carries raw markup: <, > and & (only possible inside strings) as \u escapes, as every API answer. */
const safeJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** The contributions JSON, piece by piece: `{ …metadata, total, contributions: [ … ] }`. */
export async function* contributionsJson(data: OpenDataContributions, now: Date): AsyncGenerator<string> {
  const head = safeJson({ ...metadata(data.consultation, OPEN_DATA_FORMAT.contributions, now), total: data.total });
  yield `${head.slice(0, -1)},"contributions":[`;
  let first = true;
  let buf = '';
  for await (const r of data.rows) {
    buf += `${first ? '' : ','}\n${safeJson(r)}`;
    first = false;
    if (buf.length > 64_000) { yield buf; buf = ''; }
  }
  yield `${buf}\n]}\n`;
}

export function figuresCsv(figures: readonly OpenDataFigure[]): string {
  return CSV_BOM + csvLine([...FIGURE_COLUMNS]) + figures.map((f) => csvLine([f.indicateur, f.code, f.libelle, f.valeur])).join('');
}

export function figuresJson(c: Consultation, figures: readonly OpenDataFigure[], now: Date): string {
  return `${JSON.stringify({ ...metadata(c, OPEN_DATA_FORMAT.figures, now), figures }, null, 2)}\n`;
}

/** The download's file name: `<slug>-contributions.csv`, `<slug>-chiffres.json`… */
export function openDataFileName(slug: string, what: 'contributions' | 'figures', ext: 'csv' | 'json'): string {
  return `${slug.replace(/[^a-z0-9-]/gi, '-')}-${what === 'figures' ? 'chiffres' : 'contributions'}.${ext}`;
}
