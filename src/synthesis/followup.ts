/**
 * The follow-up of a plan (issue 15) as a synthesis document: the funnel « ce que vous avez dit → ce qui est fait »
 * and the annual report « Bilan de suivi du schéma territorial de santé » (format `fabrique.followup`). Every number is
 * a `followup` figure (or a `links` / `share` one) that the verifier recomputes from the store (docs/format-followup-report.md).
 * Only public data is printed: public contributions and ideas, action titles and owner organisations (never a contact
 * person), indicators and their measurements.
 */
import { parisDay } from '../domain/consultation.ts';
import type { FollowupIndicator } from '../domain/followup-indicators.ts';
import { ACTION_STATUSES, ACTION_STATUS_LABELS } from '../domain/followup.ts';
import { PROGRESS_STATUS_LABELS, indicatorProgress, targetLabel } from '../domain/followup-indicators.ts';
import type { Store } from '../store/store.ts';
import { actionsAt, evaluateRule, loadSynthesisData, noConsultationData, planObjectives, type FollowupData, type SynthesisData } from './data.ts';
import type { CoveragePlan } from './coverage.ts';
import {
  FOLLOWUP_FORMAT, PROPOSAL_KINDS, SYNTHESIS_FORMAT_VERSION, emptyEditorial,
  type Block, type FigureRule, type FollowupRule, type Inline, type Section, type SynthesisDocument, type TableRow, type VerifiedFigure,
} from './model.ts';

export { FOLLOWUP_FORMAT };

/** The funnel's steps, in order (BRIEF contract: FollowupFunnel). */
export const FUNNEL_STEPS = ['contributions', 'ideas', 'objectives', 'engaged', 'done'] as const;
export type FunnelStepKey = (typeof FUNNEL_STEPS)[number];

export const FUNNEL_LABELS: Record<FunnelStepKey, string> = {
  contributions: 'Contributions publiées',
  ideas: 'Idées communes',
  objectives: 'Objectifs du schéma nourris par la concertation',
  engaged: 'Actions engagées sur ces objectifs',
  done: 'Actions réalisées',
};

const FUNNEL_UNITS: Record<FunnelStepKey, VerifiedFigure['unit']> = {
  contributions: 'contributions', ideas: 'idees', objectives: 'objectifs', engaged: 'actions', done: 'actions',
};

/** The plan a follow-up report is about, as printed on its cover (a coverage report's, and its consultation). */
export interface FollowupPlan extends CoveragePlan {
  consultation: string | null;
}

export type FollowupDocument = Omit<SynthesisDocument, 'format'> & {
  format: typeof FOLLOWUP_FORMAT;
  plan: FollowupPlan;
  /** the year reported on, when one was asked */
  year: number | null;
  /** the day the report is about (YYYY-MM-DD): late actions and latest measurements are read as of it */
  asOf: string;
};

export function isFollowupDocument(doc: unknown): doc is FollowupDocument {
  return !!doc && typeof doc === 'object' && (doc as { format?: unknown }).format === FOLLOWUP_FORMAT;
}

export function followupId(plan: string, year: number | null): string {
  return `followup:${plan}:${year ?? 'courant'}`;
}

/** The data a follow-up figure of this plan is evaluated on: its consultation's, or none. */
export async function followupData(store: Store, plan: { consultation: string | null }): Promise<SynthesisData> {
  return plan.consultation ? loadSynthesisData(store, plan.consultation) : noConsultationData(store);
}

/** Figures evaluated once each, in the order they are asked (builder of the report and of the funnel). */
class FigureBook {
  readonly figures: VerifiedFigure[] = [];
  readonly byKey = new Map<string, VerifiedFigure>();
  constructor(readonly data: SynthesisData) {}

  /** The figure's key, or undefined when the rule has no value here (e.g. the progress of an objective without action). */
  async fig(key: string, label: string, unit: VerifiedFigure['unit'], rule: FigureRule): Promise<string | undefined> {
    if (this.byKey.has(key)) return key;
    const e = await evaluateRule(this.data, rule, (k) => this.byKey.get(k)?.value);
    if (e.value === null) return undefined;
    const f: VerifiedFigure = { key, value: e.value, label, unit, rule, contributions: e.contributions, ...(e.sources ? { sources: e.sources } : {}) };
    this.figures.push(f);
    this.byKey.set(key, f);
    return key;
  }

  /** A figure that always has a value (counts). */
  async count(key: string, label: string, unit: VerifiedFigure['unit'], rule: FigureRule): Promise<string> {
    const k = await this.fig(key, label, unit, rule);
    if (k === undefined) throw new Error(`follow-up figure ${key} has no value`);
    return k;
  }

  value(key: string): number { return this.byKey.get(key)?.value ?? 0; }
  ids(key: string): string[] { const f = this.byKey.get(key); return f ? (f.sources ?? f.contributions) : []; }
}

const funnelKey = (k: FunnelStepKey) => `funnel.${k}`;

/** The funnel's five figures, each a `followup` rule over the plan (the report prints the same ones). */
async function funnelFigures(book: FigureBook, plan: string, asOf?: string): Promise<{ key: FunnelStepKey; figure: string }[]> {
  const out: { key: FunnelStepKey; figure: string }[] = [];
  for (const k of FUNNEL_STEPS) {
    // the actions' steps read the actions as they stood on the report's day; contributions, ideas and links are today's
    const day = asOf !== undefined && (k === 'engaged' || k === 'done') ? { asOf } : {};
    out.push({ key: k, figure: await book.count(funnelKey(k), FUNNEL_LABELS[k], FUNNEL_UNITS[k], { op: 'followup', plan, count: k, ...day }) });
  }
  return out;
}

/** The funnel of a plan on loaded data: each step's count and its figure (rule, ids counted). */
export async function computeFunnel(data: SynthesisData, plan: string): Promise<{ key: FunnelStepKey; label: string; count: number; figure: VerifiedFigure }[]> {
  const book = new FigureBook(data);
  const steps = await funnelFigures(book, plan);
  return steps.map((s) => ({ key: s.key, label: FUNNEL_LABELS[s.key], count: book.value(s.figure), figure: book.byKey.get(s.figure)! }));
}

export interface FollowupOptions {
  /** a stored plan's id */
  plan: string;
  /** the year reported on (default: the current one) */
  year?: number;
  now?: Date;
}

const frDate = (iso: string) => {
  const d = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).replace(/^1 /, '1er ');
};

/** The day a report of `year` is about: the year's last day once it is over, else today (in France, where plans are followed). */
export function followupAsOf(now: Date, year: number | undefined): string {
  const today = parisDay(now);
  if (year === undefined) return today;
  const end = `${year}-12-31`;
  return end < today ? end : today;
}

const section = (key: string, level: 1 | 2 | 3, title: string, blocks: Block[], sections: Section[] = []): Section =>
  ({ key, level, title, generatedTitle: title, blocks, sections });


/** « en cours » is its own plural; the other labels (proposée, engagée…) take an s. */
const pluralStatus = (label: string) => (label.endsWith('s') ? label : `${label}s`);
/** Rows of a list of actions: objective, title, owner organisation (never the contact person), due date, status. */
function actionRows(actions: FollowupData['actions']): TableRow[] {
  return actions.map((a) => ({ header: a.objectiveCode, cells: [{ text: a.title }, { text: a.owner.organisation ?? '—' }, { text: a.dueDate ? frDate(a.dueDate) : '—' }, { text: ACTION_STATUS_LABELS[a.status] }] }));
}
const ACTION_COLUMNS = ['Objectif', 'Action', 'Porteur', 'Échéance', 'Statut'];

/** Builds the report from loaded data (pure but for the figures' evaluation on that data, the verifier's path). */
export async function buildFollowupFrom(data: SynthesisData, options: FollowupOptions): Promise<FollowupDocument> {
  const now = options.now ?? new Date();
  const f = await data.followup(options.plan);
  const plan = f.plan;
  const asOf = followupAsOf(now, options.year);
  const book = new FigureBook(data);
  const P = plan.id;
  // every action figure reads the actions as they stood at the end of the report's day (their timeline undone after it)
  const rule = (r: Omit<FollowupRule, 'op' | 'plan'>): FollowupRule => ({ op: 'followup', plan: P, asOf, ...r });
  const notices: string[] = [];
  const sections: Section[] = [];
  const actions = actionsAt(f, asOf);
  const top = actions.filter((a) => a.parentId === null);
  const byId = new Map(actions.map((a) => [a.id, a]));
  const objectives = planObjectives(plan);

  // ---- cover ----
  const period = plan.period ? `${plan.period.start}-${plan.period.end}` : 'non précisée';
  const consultation = plan.consultation ? data.consultation : undefined;
  sections.push(section('suivi.presentation', 1, 'Présentation', [
    { type: 'paragraph', content: [`Schéma : ${plan.title}.`] },
    { type: 'paragraph', content: [`Territoire : ${plan.territoryName} (${plan.territory}).`] },
    { type: 'paragraph', content: [`Période du schéma : ${period}.`] },
    { type: 'paragraph', content: [options.year !== undefined ? `Bilan de l’année ${options.year}, arrêté au ${frDate(asOf)}.` : `Bilan arrêté au ${frDate(asOf)}.`] },
    { type: 'paragraph', content: [consultation ? `Consultation : « ${consultation.title} ».` : 'Ce schéma n’est rattaché à aucune consultation : la part de la concertation n’est pas calculée.'] },
    { type: 'note', level: 'info', content: ['Les actions (statuts, avancement, porteurs, échéances) sont lues telles qu’elles étaient à la date d’arrêté, d’après leur journal ; les retards et les dernières mesures des indicateurs aussi ; '
      + 'les contributions, les idées communes et les liens décidés sont ceux du jour où le bilan est établi. '
      + 'Seules figurent des informations publiques : l’organisation qui porte une action, jamais la personne à contacter.'] },
  ]));

  // ---- funnel ----
  const steps = await funnelFigures(book, P, asOf);
  sections.push(section('suivi.parcours', 1, 'De la concertation aux actions', [
    { type: 'paragraph', content: ['Ce que la concertation a dit, ce que le schéma en a repris, et ce qui est fait :'] },
    { type: 'table', key: 'parcours.table', caption: 'Parcours des propositions', columns: ['Étape', 'Nombre'], rows: steps.map((s) => ({ header: FUNNEL_LABELS[s.key], cells: [{ figure: s.figure }] })) },
    { type: 'note', level: 'info', content: ['Contributions : publiées dans la consultation du schéma. Idées communes : celles du premier niveau de l’analyse, avec au moins une contribution publiée. '
      + 'Objectifs : ceux auxquels un lien décidé (repris ou repris en partie) rattache une contribution publiée, directement ou par son idée commune. '
      + 'Actions : celles de premier niveau de ces objectifs, engagées, en cours ou réalisées.'] },
  ]));

  // ---- progress ----
  const planProgress = await book.fig('progress.plan', 'Avancement du schéma', 'pourcent', rule({ count: 'progress' }));
  const total = await book.count('actions.total', 'Actions de suivi', 'actions', rule({ count: 'actions' }));
  const progressBlocks: Block[] = [{ type: 'paragraph', content: planProgress
    ? [{ figure: total }, ' action(s) de suivi ; avancement d’ensemble : ', { figure: planProgress }, '.']
    : [{ figure: total }, ' action(s) de suivi ; aucun avancement ne se mesure encore (aucune action, ou toutes abandonnées).'] }];
  const engagementRows: TableRow[] = [];
  const engagementSections: Section[] = [];
  for (const e of plan.engagements) {
    const n = await book.count(`actions.${e.code}`, `Engagement ${e.number} : actions`, 'actions', rule({ count: 'actions', engagement: e.code }));
    const p = await book.fig(`progress.${e.code}`, `Engagement ${e.number} : avancement`, 'pourcent', rule({ count: 'progress', engagement: e.code }));
    engagementRows.push({ header: `Engagement ${e.number} – ${e.title}`, cells: [{ figure: n }, p ? { figure: p } : { text: '—' }] });
    const rows: TableRow[] = [];
    for (const d of e.defis) for (const o of d.objectives) {
      const on = await book.count(`actions.${o.code}`, `${o.code} : actions`, 'actions', rule({ count: 'actions', objective: o.code }));
      const od = await book.count(`done.${o.code}`, `${o.code} : actions réalisées`, 'actions', rule({ count: 'actions', objective: o.code, status: 'realisee' }));
      const op = await book.fig(`progress.${o.code}`, `${o.code} : avancement`, 'pourcent', rule({ count: 'progress', objective: o.code }));
      rows.push({ header: `${o.code} – ${o.title}`, cells: [{ figure: on }, { figure: od }, op ? { figure: op } : { text: '—' }] });
    }
    if (rows.length > 0) {
      const title = `Engagement ${e.number} – ${e.title}`;
      engagementSections.push(section(`avancement.${e.code}`, 2, title, [
        { type: 'table', key: `avancement.${e.code}.objectifs`, caption: `Avancement par objectif (${title})`, columns: ['Objectif', 'Actions', 'Réalisées', 'Avancement'], rows },
      ]));
    }
  }
  if (engagementRows.length > 0) progressBlocks.push({ type: 'table', key: 'avancement.engagements', caption: 'Avancement par engagement', columns: ['Engagement', 'Actions', 'Avancement'], rows: engagementRows });
  progressBlocks.push({ type: 'note', level: 'info', content: ['Avancement : moyenne des avancements des actions de premier niveau, pondérée par leur poids ; une action réalisée compte 100 %, une action à sous-actions la moyenne des siennes ; '
    + 'les actions abandonnées ne comptent pas. « — » : rien à mesurer.'] });
  sections.push(section('suivi.avancement', 1, 'Avancement du schéma', progressBlocks, engagementSections));

  // ---- actions by status ----
  const statusRows: TableRow[] = [];
  for (const s of ACTION_STATUSES) {
    statusRows.push({ header: ACTION_STATUS_LABELS[s][0]!.toUpperCase() + ACTION_STATUS_LABELS[s].slice(1),
      cells: [{ figure: await book.count(`actions.status.${s}`, `Actions ${pluralStatus(ACTION_STATUS_LABELS[s])}`, 'actions', rule({ count: 'actions', status: s })) }] });
  }
  statusRows.push({ header: 'Total', cells: [{ figure: total }], total: true });
  sections.push(section('suivi.statuts', 1, 'Actions par statut', [
    { type: 'table', key: 'statuts.table', caption: 'Actions de suivi par statut', columns: ['Statut', 'Actions'], rows: statusRows },
  ]));

  // ---- attention points ----
  const late = await book.count('actions.late', `Actions en retard au ${frDate(asOf)}`, 'actions', rule({ count: 'late', asOf }));
  const unowned = await book.count('actions.unowned', 'Actions sans porteur', 'actions', rule({ count: 'unowned' }));
  const attention: Block[] = [{ type: 'paragraph', content: [{ figure: late }, ` action(s) en retard au ${frDate(asOf)} (échéance passée, ni réalisée ni abandonnée).`] }];
  const listed = (key: string) => book.ids(key).map((id) => byId.get(id)!);
  if (book.value(late) > 0) attention.push({ type: 'table', key: 'attention.retard', caption: 'Actions en retard', columns: ACTION_COLUMNS, rows: actionRows(listed(late)) });
  attention.push({ type: 'paragraph', content: [{ figure: unowned }, ' action(s) à mener sans organisation porteuse (proposées, engagées ou en cours).'] });
  if (book.value(unowned) > 0) attention.push({ type: 'table', key: 'attention.sans-porteur', caption: 'Actions sans porteur', columns: ACTION_COLUMNS, rows: actionRows(listed(unowned)) });
  const without = await book.count('objectives.without', 'Objectifs sans action', 'objectifs', rule({ count: 'objectivesWithoutAction' }));
  attention.push({ type: 'paragraph', content: [{ figure: without }, ' objectif(s) sans action de suivi (hors actions abandonnées).'] });
  const titleOf = new Map(objectives.map((o) => [o.code, o.title]));
  if (book.value(without) > 0) {
    attention.push({ type: 'table', key: 'attention.objectifs', caption: 'Objectifs sans action', columns: ['Objectif', 'Intitulé'], rows: book.ids(without).map((code) => ({ header: code, cells: [{ text: titleOf.get(code) ?? '' }] })) });
  }
  sections.push(section('suivi.attention', 1, 'Points d’attention', attention));

  // ---- indicators ----
  const count = await book.count('indicators', 'Indicateurs de suivi', 'elements', rule({ count: 'indicators' }));
  const indBlocks: Block[] = [{ type: 'paragraph', content: [{ figure: count }, ' indicateur(s) de suivi : valeur de départ, dernière mesure et cible.'] }];
  if (f.indicators.length > 0) {
    const rows: TableRow[] = [];
    const lines: Block[] = [];
    for (const ind of f.indicators) {
      const k = `ind.${ind.id}`;
      const name = ind.label.slice(0, 80);
      const fig = (field: NonNullable<FollowupRule['field']>, label: string, unit: VerifiedFigure['unit'] = 'valeur') =>
        book.fig(`${k}.${field}`, `« ${name} » : ${label}`, unit, rule({ count: 'indicator', indicator: ind.id, field, asOf }));
      const base = await fig('baseline', 'valeur de départ');
      const latest = await fig('latest', 'dernière mesure');
      const target = ind.target.kind === 'value' ? await fig('target', 'cible') : undefined;
      const percent = await fig('percent', 'progression', 'pourcent');
      const ms = (f.measurements.get(ind.id) ?? []).filter((m) => m.date <= asOf);
      const p = indicatorProgress(ind, ms);
      rows.push({ header: `${ind.label}${ind.objectiveCode ? ` (${ind.objectiveCode})` : ''}`, cells: [
        base ? { figure: base } : { nc: true },
        latest ? { figure: latest } : { text: 'aucune mesure' },
        { text: p.latest ? frDate(p.latest.date) : '—' },
        target ? { figure: target } : { text: targetLabel(ind.target, ind.unit) },
        percent ? { figure: percent } : { text: PROGRESS_STATUS_LABELS[p.status] },
      ] });
      lines.push(...await progressLine(book, ind, p, fig));
    }
    indBlocks.push({ type: 'table', key: 'indicateurs.table', caption: 'Indicateurs de suivi', columns: ['Indicateur', 'Départ', 'Dernière mesure', 'Date', 'Cible', 'Progression'], rows });
    indBlocks.push(...lines);
    indBlocks.push({ type: 'note', level: 'info', content: ['Progression : part du chemin parcouru de la valeur de départ vers la cible (une fourchette vise sa borne la plus proche). Les cibles OQOS reprennent les tableaux du schéma.'] });
  }
  sections.push(section('suivi.indicateurs', 1, 'Indicateurs de suivi', indBlocks));

  // ---- what the consultation brought ----
  if (consultation) {
    const proposals = data.all.some((x) => x.kind !== undefined && PROPOSAL_KINDS.includes(x.kind)) ? [...PROPOSAL_KINDS] : undefined;
    const unit = proposals ? 'proposition' : 'contribution';
    const kinds = proposals ? { kinds: proposals } : {};
    const link = (key: string, label: string, outcome?: 'taken_up' | 'partly') =>
      book.count(key, label, 'contributions', { op: 'links', plan: P, source: 'contribution', ...kinds, ...(outcome ? { outcome } : {}) });
    const all = await link('concertation.total', `${unit[0]!.toUpperCase()}${unit.slice(1)}s publiées de la consultation`);
    const taken = await link('concertation.taken_up', `${unit[0]!.toUpperCase()}${unit.slice(1)}s publiées reprises par le schéma`, 'taken_up');
    const partly = await link('concertation.partly', `${unit[0]!.toUpperCase()}${unit.slice(1)}s publiées reprises en partie`, 'partly');
    const sTaken = await book.count('concertation.taken_up.share', `Part des ${unit}s reprises`, 'pourcent', { op: 'share', numerator: taken, denominator: all });
    const sPartly = await book.count('concertation.partly.share', `Part des ${unit}s reprises en partie`, 'pourcent', { op: 'share', numerator: partly, denominator: all });
    sections.push(section('suivi.concertation', 1, 'Ce que la concertation a apporté', [
      { type: 'paragraph', content: [{ figure: all }, ` ${unit}(s) publiée(s) : `, { figure: taken }, ' reprise(s) par le schéma (', { figure: sTaken }, '), ', { figure: partly }, ' reprise(s) en partie (', { figure: sPartly }, ').'] },
      { type: 'paragraph', content: [{ figure: steps.find((s) => s.key === 'objectives')!.figure }, ' objectif(s) du schéma sont nourris par la concertation.'] },
      { type: 'note', level: 'info', content: ['Seuls comptent les liens confirmés par une personne ou indiqués par un document ; une contribution suit la décision prise pour elle, sinon celle de son idée commune ; reliée à plusieurs objectifs, elle compte une fois, au plus favorable (comme le rapport de couverture).'] },
    ]));
  }

  const contributionSources: SynthesisDocument['contributionSources'] = {};
  for (const fig of book.figures) for (const id of fig.contributions) {
    const src = data.byId.get(id)?.source;
    if (src && !contributionSources[id]) contributionSources[id] = src;
  }
  if (options.year !== undefined && plan.period && (options.year < plan.period.start || options.year > plan.period.end)) {
    notices.push(`L’année ${options.year} est hors de la période du schéma (${period}).`);
  }
  if (top.length === 0) notices.push('Aucune action de suivi n’est encore enregistrée pour ce schéma (« fabrique actions import »).');
  const year = options.year ?? null;
  return {
    format: FOLLOWUP_FORMAT, version: SYNTHESIS_FORMAT_VERSION, id: followupId(P, year), consultation: consultation?.slug ?? '', consultationTitle: consultation?.title ?? '',
    level: 'departement', territory: plan.territory, territoryName: plan.territoryName, generatedAt: now.toISOString(),
    title: 'Bilan de suivi du schéma territorial de santé',
    subtitle: `${plan.title}${plan.period ? ` ${period}` : ''} (${plan.territoryName})${year !== null ? ` — année ${year}` : ''}`,
    plan: { id: P, title: plan.title, territory: plan.territory, territoryName: plan.territoryName, period: plan.period, fileName: plan.fileName, consultation: plan.consultation },
    year, asOf, sections, figures: book.figures, quotes: [], contributionSources, editorial: emptyEditorial(), notices,
  };
}

/** « 1 sur 3 implantations supplémentaires (33 %) », each number a figure; the status in words otherwise. */
async function progressLine(book: FigureBook, ind: FollowupIndicator, p: ReturnType<typeof indicatorProgress>,
  fig: (field: NonNullable<FollowupRule['field']>, label: string, unit?: VerifiedFigure['unit']) => Promise<string | undefined>): Promise<Block[]> {
  if (p.reached === null || p.needed === null || p.needed === 0 || p.percent === null) return [];
  const reached = await fig('reached', 'unités gagnées vers la cible');
  const needed = await fig('needed', 'unités à gagner');
  const percent = book.byKey.has(`ind.${ind.id}.percent`) ? `ind.${ind.id}.percent` : undefined;
  if (!reached || !needed || !percent) return [];
  const t = ind.target;
  const up = t.kind === 'value' ? t.value > ind.baseline.value : t.kind === 'range' ? ind.baseline.value < t.min : true;
  const content: Inline[] = [`${ind.label} : `, { figure: reached }, ' sur ', { figure: needed }, `${ind.unit ? ` ${ind.unit}` : ''} ${up ? 'supplémentaires' : 'en moins'} (`, { figure: percent }, `) — ${PROGRESS_STATUS_LABELS[p.status]}.`];
  return [{ type: 'paragraph', content }];
}

/** Builds the follow-up report of a plan from the store. */
export async function buildFollowup(store: Store, options: FollowupOptions): Promise<FollowupDocument> {
  const f = await (noConsultationData(store)).followup(options.plan);
  return buildFollowupFrom(await followupData(store, f.plan), options);
}
