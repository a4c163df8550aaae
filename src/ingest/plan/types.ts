import type { ImportWarning, SourceRef } from '../../domain/source.ts';

/**
 * What `fabrique parse` yields for a schéma territorial de santé (STS). Every element keeps its
 * SourceRef: 1-based line range and UTF-16 offsets into the decoded file text (the file as written,
 * Markdown marks included), so a later import or a review page can show the printed text again.
 */
export interface ParsedPlan {
  kind: 'plan';
  parser: string;
  parserVersion: string;
  document: { id: string; fileName: string; mediaType: string; sizeBytes: number };
  plan: PlanOutline;
  /** regional catalogue entries this scheme prints (engagements, défis, objectives), keyed by code */
  catalogue: CatalogueEntry[];
  oqos: OqosRow[];
  indicators: PlanIndicator[];
  missingFigures: MissingFigure[];
  consultationItems: ConsultationItem[];
  warnings: ImportWarning[];
}

export interface PlanOutline {
  title: string;
  /** département name as printed, e.g. « Lot » */
  territory: string;
  period: { start: number; end: number } | null;
  engagements: ParsedEngagement[];
  source: SourceRef;
}

export interface ParsedEngagement {
  /** « E1 »..« E6 »: the engagement's number in the regional catalogue */
  code: string;
  number: number;
  title: string;
  defis: ParsedDefi[];
  source: SourceRef;
}

export interface ParsedDefi {
  /** catalogue code « E1D4 » */
  code: string;
  number: number;
  title: string;
  enjeux: string | null;
  themes: string[];
  parcours: string[];
  motsCles: string[];
  /** « Objectif régional de rattachement » when printed on the défi page */
  objectifRegional: string | null;
  /** titles of the objectives as listed under « Les objectifs opérationnels » (may differ from their pages) */
  listedObjectives: string[];
  objectives: ParsedObjective[];
  source: SourceRef;
}

export interface ParsedObjective {
  /** catalogue code « E1D4O6 », read from the « Réf. » line when printed, else built from the numbers */
  code: string;
  number: number;
  title: string;
  defiARelever: string | null;
  themes: string[];
  parcours: string[];
  motsCles: string[];
  constats: string | null;
  objectif: string | null;
  resultatsAttendus: string | null;
  /** the bullets of « Les résultats attendus » when it is a list */
  resultatsAttendusItems: string[];
  chiffresCles: string | null;
  paroleCitoyen: string | null;
  objectifRegional: string | null;
  actions: PlanAction[];
  source: SourceRef;
}

/**
 * One « En pratique » item. `placement` says where it was found: under its heading, displaced after a
 * sidebar once the heading had been seen, or orphan (action-like lines outside any field).
 */
export interface PlanAction {
  text: string;
  placement: 'heading' | 'displaced' | 'orphan';
  source: SourceRef;
}

export interface CatalogueEntry {
  code: string;
  kind: 'engagement' | 'defi' | 'objective';
  /** the title this scheme prints for the code (schemes of one région may word it differently) */
  title: string;
  source: SourceRef;
}

/** A cell of an OQOS table: the raw text is always kept. */
export type OqosValue =
  | { kind: 'integer'; value: number; raw: string }
  | { kind: 'range'; min: number; max: number; raw: string }
  /** « - »: not applicable (never read as 0) */
  | { kind: 'not_applicable'; raw: string }
  /** blank cell: the figure is missing (reported) */
  | { kind: 'missing'; raw: string };

export interface OqosCell {
  /** what the cell measures: « existant », « cible », « existant:implantations », « existant:HC »… */
  column: string;
  /** « HC » or « HTP » (SMR) for a regime column, else null */
  regime: string | null;
  value: OqosValue;
}

/** One printed row of an OQOS table (group rows without values are not rows: they become `group`). */
export interface OqosRow {
  /** the activity heading, e.g. « Activité de soins Médecine » (empty when the document prints none) */
  activity: string;
  /** index of the activity in the document, 1-based (two activities may both lack a printed heading) */
  activityIndex: number;
  /** the table's title line (bilan before the reform, targets after it…) */
  table: string;
  /** index of the table in the document, 1-based */
  tableIndex: number;
  /** the row's regime when the whole row is one (else see each cell's regime) */
  regime: string | null;
  /** zone code, e.g. « 46 »; null when the table prints none */
  zone: string | null;
  modalite: string | null;
  /** null when the table has no mention column or the cell reads « NA. » (then mentionNA) */
  mention: string | null;
  mentionNA: boolean;
  /** the group row above (« Psychiatrie adulte », « Non spécialisés »), when there is one */
  group: string | null;
  /** the existing value when the table has one such column, else null (see cells) */
  existing: OqosValue | null;
  target: OqosValue | null;
  /** every value cell of the row, in printed order */
  cells: OqosCell[];
  /** a value or label carries « * »: see the activity's footnote */
  starred: boolean;
  raw: string;
  source: SourceRef;
}

export interface PlanIndicator {
  label: string;
  value: string;
  occitanie: string | null;
  france: string | null;
  /** no reference year is printed in the schemes: kept null, never guessed */
  year: null;
  source: SourceRef;
}

export interface MissingFigure {
  kind: 'chart' | 'map' | 'finance';
  title: string;
  source: SourceRef;
}

export interface ConsultationItem {
  /** « enjeux », « defis_cts », « cnr » */
  section: 'enjeux' | 'defis_cts' | 'cnr';
  /** sub-theme heading when the section has some (Lozère CNR proposals) */
  group: string | null;
  text: string;
  source: SourceRef;
}
