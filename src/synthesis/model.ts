/**
 * The synthesis document model: a JSON-serialisable tree of sections and blocks, plus flat tables of
 * figures and quotes that the blocks refer to by key. Every figure carries the rule that computes it
 * and the ids of what it counts; every quote carries its contribution id, verbatim text and source.
 * See docs/format-synthesis.md.
 */
import type { ContributionKind } from '../domain/contribution.ts';
import type { ActionStatus } from '../domain/followup.ts';
import type { LinkKind, LinkSourceKind } from '../domain/links.ts';
import type { College, MeetingKind } from '../domain/meeting.ts';
import type { SourceRef } from '../domain/source.ts';
import type { Synthesis, SynthesisFigure, SynthesisLevel, SynthesisQuote } from '../domain/synthesis.ts';

export const SYNTHESIS_FORMAT = 'fabrique.synthesis';
export const SYNTHESIS_FORMAT_VERSION = 1;
/** A coverage report (issue 14): the same model, its link figures recomputed from a plan's decided links (docs/format-coverage.md). */
export const COVERAGE_FORMAT = 'fabrique.coverage';
/** The annual follow-up report of a plan (issue 15): the same model, its follow-up figures recomputed from the plan's actions and indicators (docs/format-followup-report.md). */
export const FOLLOWUP_FORMAT = 'fabrique.followup';

/** Which contributions a count covers. Only public contributions (isPublic) are ever counted. */
export interface ContributionQuery {
  /** département code: the contribution's territory, else its meeting's territory */
  territory?: string;
  /** region code: contributions whose département (as above) lies in the region, or with no known département */
  region?: string;
  theme?: string;
  /** true: at least one theme; false: no theme at all */
  themed?: boolean;
  kinds?: ContributionKind[];
  /** exact category; null = contributions without a category */
  category?: string | null;
  /** the category or any sub-category written "category › sub" */
  categoryPrefix?: string;
  /** contributions tagged "relève du niveau national" through their category (see NATIONAL_CATEGORY) or marked so by an analyst */
  national?: boolean;
  /** members of this idea group or of its sub-groups */
  group?: string;
  /** contributions of these kinds that belong to no idea group of the query's theme */
  ungrouped?: boolean;
  /** contributions that belong to none of these idea groups (nor their sub-groups): the rest of a section */
  outsideGroups?: string[];
  /** contributions other than these ids (e.g. the national proposals not quoted: « et N autres ») */
  except?: string[];
  /** contributions of this meeting; null = contributions of no meeting (online, mail…) */
  meeting?: string | null;
  college?: College | null;
}

export type FigureRule =
  /** number of contributions matching the query; `contributions` lists them */
  | { op: 'contributions'; where: ContributionQuery }
  /** number of meetings in a territory (all when absent); `meetings` lists them */
  | { op: 'meetings'; territory?: string; region?: string; kinds?: MeetingKind[] }
  /** participants of the listed meetings, summed over those that communicated the field */
  | { op: 'participants'; meetings: string[]; field: College | 'total' | 'sum' }
  /** numerator / denominator × 100, rounded to one decimal */
  | { op: 'share'; numerator: string; denominator: string }
  /** a count as stated by a source document's own synthesis (HumanSynthesisItem at `path`) */
  | { op: 'stated'; document: string; path: number[] }
  /** the count an idea group carries from the human synthesis it was imported from (IdeaGroup.statedCount) */
  | { op: 'groupStated'; group: string }
  /** minuend − subtrahend (e.g. imported − stated) */
  | { op: 'difference'; minuend: string; subtrahend: string }
  /** number of sources of a plan's decided links (coverage report); `contributions` or `sources` lists them */
  | LinkRule
  /** a follow-up figure of a plan (funnel, actions, progress, indicators); see FollowupRule */
  | FollowupRule;

/**
 * What a follow-up figure counts or reads (issue 15), from the plan's actions, indicators and decided links. The funnel's
 * steps (`contributions` … `done`) are the ones followupFunnel shows. Actions are the top-level ones (sub-actions roll up
 * into their action); `asOf` (YYYY-MM-DD) is the day the report is about (late actions, latest measurement).
 */
export interface FollowupRule {
  op: 'followup';
  plan: string;
  count:
    /** public contributions of the plan's consultation (`contributions` lists them) */
    | 'contributions'
    /** top-level common ideas of that consultation with at least one public member (`sources`: idea ids) */
    | 'ideas'
    /** objectives of the plan with at least one applicable decided link (taken up or partly) from a public contribution or idea (`sources`: codes) */
    | 'objectives'
    /** top-level actions of those objectives engagées, en cours or réalisées (`sources`: action ids) */
    | 'engaged'
    /** those réalisées */
    | 'done'
    /** top-level actions (filters: objective, engagement, status) */
    | 'actions'
    /** top-level actions whose due date is before `asOf`, neither réalisée nor abandonnée */
    | 'late'
    /** top-level actions without an owner organisation, not abandoned */
    | 'unowned'
    /** objectives with no top-level action but abandoned ones (`sources`: codes) */
    | 'objectivesWithoutAction'
    /** progress (%) of the plan, an engagement or an objective: domain aggregateProgress; no value without any action left */
    | 'progress'
    /** the plan's follow-up indicators (`sources`: ids) */
    | 'indicators'
    /** a number of one indicator (`indicator`, `field`) */
    | 'indicator';
  objective?: string;
  /** engagement code (« E1 ») */
  engagement?: string;
  status?: ActionStatus;
  indicator?: string;
  field?: 'baseline' | 'latest' | 'target' | 'targetMin' | 'targetMax' | 'percent' | 'reached' | 'needed';
  asOf?: string;
}

/**
 * What a coverage figure counts, over the decided links (confirmed or stated) of a plan whose source the public may see.
 * A contribution's own decided links prevail; without any, it has those of the public idea groups it belongs to
 * (sub-ideas included). Its outcome is the best kind among them (taken up, partly, national, not taken up).
 */
export interface LinkRule {
  op: 'links';
  plan: string;
  /** what is counted: public contributions, public idea groups, or the plan's consultation items */
  source: LinkSourceKind;
  /** sources linked to this objective or défi (taken up or partly) */
  target?: string;
  /** the outcome (with `target`: the kind of the link to it); `undecided`: no decided link at all */
  outcome?: LinkKind | 'undecided';
  /** contributions: of this theme; ideas: whose theme is this one */
  theme?: string;
  /** contributions of these kinds only */
  kinds?: ContributionKind[];
  /** contributions: by their own decided links only (those decided one by one), not their idea groups' */
  own?: boolean;
  /** contributions: public members of this idea group only (sub-ideas included) — with `target`, those the idea's link applies to */
  group?: string;
}

export interface VerifiedFigure extends SynthesisFigure {
  key: string;
  value: number;
  /** French label, for the list of sources */
  label: string;
  unit: 'contributions' | 'reunions' | 'participants' | 'pourcent' | 'ecart' | 'idees' | 'elements' | 'actions' | 'objectifs' | 'valeur';
  rule: FigureRule;
  /** ids of the contributions counted (empty for figures that do not count contributions) */
  contributions: string[];
  /** ids of the meetings counted or summed */
  meetings?: string[];
  /** link figures over idea groups or plan items: the ids counted (idea ids, item positions) */
  sources?: string[];
}

export interface VerifiedQuote extends SynthesisQuote {
  id: string;
  contribution: string;
  /** verbatim: a substring of the contribution's text */
  text: string;
  /** true when `text` is a part of the contribution's text (rendered with […]) */
  excerpt: boolean;
  source: SourceRef;
  /** true when chosen by an editor rather than by the generator */
  chosen: boolean;
  /**
   * when the text is a copy-paste campaign (the same or nearly the same text in several public
   * contributions): their ids, this one included; it is quoted once, « texte repris par N contributions »
   */
  repeatedBy?: string[];
}

/** Inline content: text, or a figure shown as its value with a link to its sources. */
export type Inline = string | { figure: string };

export type TableCell =
  | { text: string }
  | { figure: string }
  /** "non communiqué" (NC or blank in the source) */
  | { nc: true };

export interface TableRow {
  /** the row header */
  header: string;
  cells: TableCell[];
  /** a total row */
  total?: boolean;
}

export interface IdeaItem {
  /** stable key: editorial headings, chosen quotes and order refer to it */
  key: string;
  label: string;
  /** label as generated, before any editorial renaming */
  generatedLabel: string;
  figure: string;
  /** when the source document stated its own count for this idea */
  stated?: string;
  difference?: string;
  quotes: string[];
  children: IdeaItem[];
  /** "non regroupées": contributions outside any group */
  residual?: boolean;
  /**
   * the plan objectives (or défis) this idea, or some of its own contributions, are linked to by a decided link
   * (confirmed, or stated by a document) that says the plan takes it up (issue 14); absent when there is none, and in
   * documents of before
   */
  objectives?: LinkedObjective[];
}

/** A plan element an idea is linked to, as the restitution names it: « Repris dans le schéma : E1D4O6 — title ». */
export interface LinkedObjective {
  /** the plan's id */
  plan: string;
  /** catalogue code: « E1D4O6 » (objective) or « E1D4 » (défi) */
  code: string;
  /** the element's title as printed in the plan */
  title: string;
  kind: 'taken_up' | 'partly';
  /**
   * when the idea itself is not linked to it but some of its own contributions are: how many (« 2 contributions »);
   * absent for a link of the idea
   */
  contributions?: number;
}

export type Block =
  | { type: 'paragraph'; content: Inline[] }
  /**
   * editable text: `text` is the editor's, or empty with `placeholder` shown as a gap to fill; an `optional`
   * one left empty is left out of the rendered document and does not hold publication back
   */
  | { type: 'editorial'; key: string; text: string; placeholder: string; optional?: boolean }
  | { type: 'note'; level: 'info' | 'warning'; content: Inline[] }
  | { type: 'table'; key: string; caption: string; columns: string[]; rows: TableRow[] }
  | { type: 'ideas'; key: string; intro?: Inline[]; items: IdeaItem[] }
  | { type: 'quotes'; key: string; quotes: string[]; intro?: Inline[] }
  | { type: 'chart'; key: string; title: string; description: string; bars: { label: string; figure: string }[] }
  /** a slot kept in the template for data that does not exist yet (e.g. indicators) */
  | { type: 'slot'; key: string; text: string };

export interface Section {
  key: string;
  /** 1..3 */
  level: 1 | 2 | 3;
  title: string;
  generatedTitle: string;
  blocks: Block[];
  sections: Section[];
}

/** Human-written parts: they are stored apart from the model and survive regeneration. */
export interface SynthesisEditorial {
  /** key of an `editorial` block → text */
  texts: Record<string, string>;
  /** key of a section or idea item → renamed heading */
  headings: Record<string, string>;
  /** key of an idea item → chosen quotes (they replace the generated examples) */
  quotes: Record<string, { contribution: string; text?: string }[]>;
  /** key of an `ideas` block, or of an idea item → wanted order of its items' keys (unknown keys ignored, missing ones follow) */
  order: Record<string, string[]>;
  /** theme code → emblematic actions already under way, entered by the team (section « Actions emblématiques ») */
  actions?: Record<string, EmblematicAction[]>;
  updatedAt?: string;
  updatedBy?: string;
}

export interface EmblematicAction {
  title: string;
  description: string;
  /** who carries it (a structure, a service) */
  owner?: string;
  /** where (a commune, a bassin de vie…) */
  territory?: string;
}

export function emptyEditorial(): SynthesisEditorial {
  return { texts: {}, headings: {}, quotes: {}, order: {}, actions: {} };
}

/**
 * What the document was built from, to tell later what changed in the data: a short fingerprint of each
 * public contribution of its scope (text, kind, themes, category, meeting), the idea groups and the national marks.
 */
export interface SynthesisBasis {
  contributions: Record<string, string>;
  /** the idea groups' ids, parents, labels and themes */
  groups: string;
  /** contribution id → fingerprint of the idea groups it belongs to (when it belongs to one) */
  memberships?: Record<string, string>;
  /** ids of the contributions marked « niveau national » by an analyst */
  national?: string[];
  /** fingerprint of the decided links of the ideas to the plans' elements (absent: none, or a document of before) */
  links?: string;
}

export interface SynthesisDocument {
  format: typeof SYNTHESIS_FORMAT | typeof COVERAGE_FORMAT | typeof FOLLOWUP_FORMAT;
  version: typeof SYNTHESIS_FORMAT_VERSION;
  /** `${consultation}:${level}:${territory}`, also the id in the store's syntheses table */
  id: string;
  consultation: string;
  consultationTitle: string;
  level: SynthesisLevel;
  territory: string;
  territoryName: string;
  generatedAt: string;
  title: string;
  subtitle: string;
  sections: Section[];
  figures: VerifiedFigure[];
  quotes: VerifiedQuote[];
  /** source of every contribution counted or quoted, by contribution id (the renderers list them) */
  contributionSources: Record<string, SourceRef>;
  /** the editorial parts applied to this rendering (a copy of what is stored) */
  editorial: SynthesisEditorial;
  /** anomalies met while building (stated totals that differ, chosen quotes no longer found…) */
  notices: string[];
  /** absent from documents generated before issue 11 */
  basis?: SynthesisBasis;
}

/** Ids of the contributions a document counts, quotes or cites as sources (a published copy is stale once one of them is withdrawn). */
export function reliedContributions(doc: SynthesisDocument): string[] {
  const ids = new Set<string>(Object.keys(doc.contributionSources ?? {}));
  for (const f of doc.figures) for (const id of f.contributions ?? []) ids.add(id);
  for (const q of doc.quotes) ids.add(q.contribution);
  return [...ids].sort();
}

export function synthesisId(consultation: string, level: SynthesisLevel, territory: string): string {
  return `${consultation}:${level}:${territory}`;
}

/** The domain view of a synthesis document (flat figures, quotes and editorial texts). */
export function toDomainSynthesis(doc: SynthesisDocument): Synthesis {
  return {
    id: doc.id, consultation: doc.consultation, level: doc.level, territory: doc.territory, generatedAt: doc.generatedAt,
    editorial: { ...doc.editorial.texts },
    figures: doc.figures.map((f) => ({ key: f.key, value: f.value, contributions: f.contributions })),
    quotes: doc.quotes.map((q) => ({ contribution: q.contribution, text: q.text, source: q.source })),
  };
}

/** Walks every section, depth first. */
export function* walkSections(sections: Section[]): Generator<Section> {
  for (const s of sections) {
    yield s;
    yield* walkSections(s.sections);
  }
}

export function* walkIdeas(items: IdeaItem[]): Generator<IdeaItem> {
  for (const i of items) {
    yield i;
    yield* walkIdeas(i.children);
  }
}

/** Figure keys a block refers to. */
export function figuresOfBlock(b: Block): string[] {
  const fromInline = (xs: Inline[] | undefined) => (xs ?? []).flatMap((x) => (typeof x === 'string' ? [] : [x.figure]));
  switch (b.type) {
    case 'paragraph': case 'note': return fromInline(b.content);
    case 'table': return b.rows.flatMap((r) => r.cells.flatMap((c) => ('figure' in c ? [c.figure] : [])));
    case 'ideas': return [...fromInline(b.intro), ...[...walkIdeas(b.items)].flatMap((i) => [i.figure, ...(i.stated ? [i.stated] : []), ...(i.difference ? [i.difference] : [])])];
    case 'quotes': return fromInline(b.intro);
    case 'chart': return b.bars.map((x) => x.figure);
    default: return [];
  }
}

export function quotesOfBlock(b: Block): string[] {
  if (b.type === 'quotes') return b.quotes;
  if (b.type === 'ideas') return [...walkIdeas(b.items)].flatMap((i) => i.quotes);
  return [];
}

/**
 * The kinds of the « Solutions et propositions » section: a theme's national section counts and lists these only
 * (a constat marked national through its idea is not a proposal).
 */
export const PROPOSAL_KINDS: ContributionKind[] = ['proposition'];

/** Category marking a contribution as relevant to the national level rather than the territory. */
export const NATIONAL_CATEGORY = /(rel[eè]ve?\s+(?:du|de l[’'])\s*(?:niveau|échelon)\s+national|^\s*\[?national\]?\s*$|niveau national)/iu;
