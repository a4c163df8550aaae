/**
 * The coverage report of a plan (issue 14): per objective, the contributions, ideas and plan items behind it with a
 * few verbatim quotes; per theme of the consultation, how the proposals fared (taken up, partly, national, not taken
 * up, not yet decided); what was not taken up, with the reasons. It is a synthesis document (same model, renderers
 * and verifier, format `fabrique.coverage`): every count is a `links` rule recomputed from the plan's decided links
 * (docs/format-coverage.md). Only decided links count and only what the public may see is printed.
 */
import { isPublic, type Contribution, type ContributionKind } from '../domain/contribution.ts';
import { answersSource, type LinkKind, type PlanLink } from '../domain/links.ts';
import type { StoredDefi, StoredObjective } from '../store/plans.ts';
import type { Store } from '../store/store.ts';
import { evaluateRule, loadSynthesisData, type PlanLinkData, type SynthesisData } from './data.ts';
import {
  COVERAGE_FORMAT, PROPOSAL_KINDS, SYNTHESIS_FORMAT_VERSION, emptyEditorial,
  type Block, type FigureRule, type IdeaItem, type Inline, type LinkRule, type Section, type SynthesisDocument, type TableRow, type VerifiedFigure, type VerifiedQuote,
} from './model.ts';
import { QuoteLedger, findRepeats, quoteText, rankQuotes } from './quotes.ts';

export { COVERAGE_FORMAT };

/** The plan a coverage report is about, as printed on its cover. */
export interface CoveragePlan {
  id: string;
  title: string;
  territory: string;
  territoryName: string;
  period: { start: number; end: number } | null;
  fileName: string;
}

export type CoverageDocument = Omit<SynthesisDocument, 'format'> & { format: typeof COVERAGE_FORMAT; plan: CoveragePlan };

export interface CoverageOptions {
  consultation: string;
  /** a stored plan's id */
  plan: string;
  /** generated examples per objective (default 3) */
  quotesPerObjective?: number;
  now?: Date;
}

export function coverageId(plan: string, consultation: string): string {
  return `coverage:${plan}:${consultation}`;
}

export function isCoverageDocument(doc: unknown): doc is CoverageDocument {
  return !!doc && typeof doc === 'object' && (doc as { format?: unknown }).format === COVERAGE_FORMAT;
}

/** Outcomes in the order the report prints them; `undecided` last. */
const OUTCOMES: (LinkKind | 'undecided')[] = ['taken_up', 'partly', 'national', 'not_taken_up', 'undecided'];
const OUTCOME_COLUMNS: Record<LinkKind | 'undecided', string> = {
  taken_up: 'Reprises', partly: 'Reprises en partie', national: 'Niveau national', not_taken_up: 'Non reprises', undecided: 'Pas encore examinées',
};
/** In figure labels, after « propositions », « idées communes »… (all feminine). */
const OUTCOME_LABEL: Record<LinkKind | 'undecided', string> = {
  taken_up: 'reprises', partly: 'reprises en partie', national: 'relevant du niveau national', not_taken_up: 'non reprises', undecided: 'pas encore examinées',
};
/** After a count of contributions (feminine plural marks resolved by agree). */
const OUTCOME_TEXT: Record<LinkKind | 'undecided', string> = {
  taken_up: 'reprise(s) par le schéma', partly: 'reprise(s) en partie', national: 'relevant du niveau national', not_taken_up: 'non reprise(s)', undecided: 'pas encore examinée(s)',
};

class CoverageBuilder {
  readonly figures: VerifiedFigure[] = [];
  readonly byKey = new Map<string, VerifiedFigure>();
  readonly quotes: VerifiedQuote[] = [];
  readonly notices: string[] = [];
  private seq = 0;
  private readonly ledger: QuoteLedger;

  readonly data: SynthesisData;

  constructor(loaded: SynthesisData, readonly pl: PlanLinkData) {
    // the figures are evaluated on the links given (the same the verifier reloads from the store)
    this.data = { ...loaded, planLinks: async (id) => (id === pl.plan.id ? pl : loaded.planLinks(id)) };
    this.ledger = new QuoteLedger(findRepeats(loaded.all));
  }

  async fig(key: string, label: string, unit: VerifiedFigure['unit'], rule: FigureRule): Promise<string> {
    if (this.byKey.has(key)) return key;
    const e = await evaluateRule(this.data, rule, (k) => this.byKey.get(k)?.value);
    if (e.value === null) throw new Error(`coverage figure ${key}: ${e.error ?? 'no value'}`);
    const f: VerifiedFigure = { key, value: e.value, label, unit, rule, contributions: e.contributions, ...(e.sources ? { sources: e.sources } : {}) };
    this.figures.push(f);
    this.byKey.set(key, f);
    return key;
  }

  links(key: string, label: string, rule: Omit<LinkRule, 'op' | 'plan'>): Promise<string> {
    const unit = rule.source === 'contribution' ? 'contributions' : rule.source === 'idea' ? 'idees' : 'elements';
    return this.fig(key, label, unit, { op: 'links', plan: this.pl.plan.id, ...rule });
  }

  value(key: string): number {
    return this.byKey.get(key)?.value ?? 0;
  }

  ids(key: string): string[] {
    const f = this.byKey.get(key);
    return f ? (f.sources ?? f.contributions) : [];
  }

  /** A generated quote of a contribution, refused when its text (or a duplicate) is already quoted. */
  quote(c: Contribution): string | undefined {
    const q = quoteText(c.text);
    if (!q.text || !c.text.includes(q.text) || !this.ledger.available(c, q.text)) return undefined;
    this.ledger.take(c, q.text);
    const id = `q${++this.seq}`;
    const repeatedBy = this.ledger.repeatedBy(c);
    this.quotes.push({ id, contribution: c.id, text: q.text, excerpt: q.excerpt, source: c.source, chosen: false, ...(repeatedBy ? { repeatedBy: [...repeatedBy] } : {}) });
    return id;
  }

  /** Up to `limit` quotes from `ids`, the most relevant to `label` first. */
  quotesOf(ids: readonly string[], label: string | undefined, limit: number): string[] {
    const pool = ids.map((id) => this.data.byId.get(id)).filter((c): c is Contribution => !!c && isPublic(c));
    const out: string[] = [];
    for (const r of rankQuotes(pool, label)) {
      if (out.length >= limit) break;
      if (r.shouting && out.length > 0) break;
      const id = this.quote(r.contribution);
      if (id) out.push(id);
    }
    return out;
  }

  idea(id: string) {
    return this.data.groupById.get(id);
  }

  item(pos: string) {
    return this.pl.plan.consultationItems[Number(pos)];
  }
}

/** How a source is named in the report: an idea by its label, a plan item by its text, a contribution as such. */
function sourceName(b: CoverageBuilder, l: PlanLink): string {
  if (l.source.kind === 'idea') return `l’idée commune « ${b.idea(l.source.id)?.label ?? l.source.id} »`;
  if (l.source.kind === 'planItem') return `la proposition « ${short(b.item(l.source.id)?.text ?? '', 120)} »`;
  return 'une contribution';
}

function short(s: string, n: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= n ? t : `${t.slice(0, n - 1).trimEnd()}…`;
}

/** The notes of a source's links of one kind (the reasons, or what a partial take-up leaves out), distinct, in order. */
function notesOf(links: readonly PlanLink[] | undefined, kind: LinkKind): string[] {
  return [...new Set((links ?? []).filter((l) => l.kind === kind).map((l) => l.note?.trim() ?? '').filter(Boolean))];
}

/** The plan's elements with at least one answering link: défis (when no objective fits) and objectives, in plan order. */
function linkedTargets(pl: PlanLinkData): Set<string> {
  const out = new Set<string>();
  for (const l of pl.links) if (answersSource(l)) out.add(l.target!);
  return out;
}

async function targetSection(b: CoverageBuilder, el: StoredObjective | StoredDefi, kind: 'objective' | 'defi', quotesPer: number): Promise<Section> {
  const code = el.code;
  const title = `${code} – ${el.title}`;
  const what = kind === 'objective' ? 'cet objectif' : 'ce défi';
  const c = await b.links(`target.${code}.contributions`, `${code} : contributions publiées reliées`, { source: 'contribution', target: code });
  const cPartly = await b.links(`target.${code}.contributions.partly`, `${code} : contributions publiées reprises en partie`, { source: 'contribution', target: code, outcome: 'partly' });
  const i = await b.links(`target.${code}.ideas`, `${code} : idées communes reliées`, { source: 'idea', target: code });
  const p = b.pl.items.length > 0 ? await b.links(`target.${code}.items`, `${code} : propositions listées par le schéma reliées`, { source: 'planItem', target: code }) : undefined;
  const blocks: Block[] = [];
  const head: Inline[] = [`Relié à ${what} : `, { figure: c }, ' contribution(s) publiée(s), ', { figure: i }, ' idée(s) commune(s)'];
  if (p && b.value(p) > 0) head.push(', ', { figure: p }, ' proposition(s) listée(s) par le schéma');
  head.push('.');
  if (b.value(cPartly) > 0) head.push(' Parmi les contributions, ', { figure: cPartly }, ' reprise(s) en partie seulement.');
  blocks.push({ type: 'paragraph', content: head });
  const toTarget = (l: PlanLink) => l.target === code && answersSource(l);
  // what a partial take-up leaves out, as the reviewers wrote it
  const left: string[] = [];
  for (const l of b.pl.links) if (toTarget(l) && l.kind === 'partly' && l.note?.trim()) left.push(`${sourceName(b, l)} : ${l.note.trim()}`);
  if (left.length > 0) blocks.push({ type: 'note', level: 'info', content: [`Repris en partie — ce qui reste de côté : ${[...new Set(left)].join(' ; ')}.`] });
  // the ideas behind it, each with its count and an example
  const ideaIds = b.ids(i);
  const behind = new Set(b.ids(c));
  const items: IdeaItem[] = [];
  for (const id of ideaIds) {
    const g = b.idea(id)!;
    const partly = (b.pl.ownLinks.get(`idea:${id}`) ?? []).filter(toTarget).every((l) => l.kind === 'partly');
    const label = partly ? `${g.label} (reprise en partie)` : g.label;
    // its public members the link applies to (the one rule: a member's own decision prevails), as the plan page counts them
    const figure = await b.links(`idea.${code}.${id}`, `${code} : contributions publiées de l’idée « ${g.label} » reliées`, { source: 'contribution', target: code, group: id });
    const pool = b.ids(figure);
    items.push({ key: `g:${code}:${id}`, label, generatedLabel: label, figure, quotes: b.quotesOf(pool, g.label, 1), children: [] });
  }
  if (items.length > 0) blocks.push({ type: 'ideas', key: `ideas.${code}`, intro: ['Les idées communes reliées :'], items });
  // contributions linked for themselves (not through one of these ideas)
  const inIdeas = new Set(ideaIds.flatMap((id) => [...b.data.groupMembers(id)]));
  const direct = [...behind].filter((x) => !inIdeas.has(x));
  const quoted = b.quotesOf(direct, el.title, Math.max(0, quotesPer - items.length));
  if (quoted.length > 0) blocks.push({ type: 'quotes', key: `quotes.${code}`, quotes: quoted, intro: [items.length > 0 ? 'D’autres contributions reliées, par exemple :' : 'Par exemple :'] });
  // the plan's own consultation items, quoted from the plan
  for (const pos of p ? b.ids(p) : []) {
    const it = b.item(pos);
    if (!it) continue;
    const partly = (b.pl.ownLinks.get(`planItem:${pos}`) ?? []).filter(toTarget).every((l) => l.kind === 'partly');
    blocks.push({ type: 'paragraph', content: [`Proposition listée par le schéma${it.group ? ` (${it.group})` : ''} : « ${it.text.replace(/\s+/g, ' ').trim()} »${partly ? ' — reprise en partie' : ''}.`] });
  }
  return { key: `target.${code}`, level: 3, title, generatedTitle: title, blocks, sections: [] };
}

async function notTakenSection(b: CoverageBuilder, kind: 'not_taken_up' | 'national', proposals: ContributionKind[] | undefined, unit: string): Promise<Section> {
  const title = kind === 'national' ? 'Ce qui relève du niveau national' : 'Ce que le schéma ne reprend pas';
  const blocks: Block[] = [];
  const c = `all.${kind}`;
  const i = await b.links(`ideas.${kind}`, `Idées communes ${OUTCOME_LABEL[kind]}`, { source: 'idea', outcome: kind });
  const p = b.pl.items.length > 0 ? await b.links(`items.${kind}`, `Propositions listées par le schéma ${OUTCOME_LABEL[kind]}`, { source: 'planItem', outcome: kind }) : undefined;
  const intro: Inline[] = [{ figure: c }, ` ${unit}(s) publiée(s), `, { figure: i }, ' idée(s) commune(s)'];
  if (p) intro.push(' et ', { figure: p }, ' proposition(s) listée(s) par le schéma');
  intro.push(kind === 'national' ? ' relèvent, selon les décisions prises, du niveau national.' : ' ne sont pas reprises par le schéma, selon les décisions prises.');
  blocks.push({ type: 'paragraph', content: intro });
  if (proposals) blocks.push({ type: 'note', level: 'info', content: [`Le premier nombre compte les ${unit}s ; les idées et les contributions d’autres natures sont listées ci-dessous avec leur raison.`] });
  const reason = (notes: string[]) => (notes.length > 0 ? notes.join(' ; ') : 'raison non précisée');
  for (const id of b.ids(i)) {
    const g = b.idea(id)!;
    // its public members whose outcome this is (the one rule: a member decided otherwise on its own is not counted here)
    const figure = await b.links(`idea.${kind}.${id}`, `Contributions publiées de l’idée « ${g.label} » ${OUTCOME_LABEL[kind]}`, { source: 'contribution', outcome: kind, group: id });
    const q = b.quotesOf(b.ids(figure), g.label, 1);
    const content: Inline[] = [`Idée commune « ${g.label} » (`, { figure }, ` contribution(s)) — ${kind === 'national' ? 'motif' : 'raison'} : ${reason(notesOf(b.pl.ownLinks.get(`idea:${id}`), kind))}.`];
    blocks.push(q.length > 0 ? { type: 'quotes', key: `${kind}.idea.${id}`, quotes: q, intro: content } : { type: 'paragraph', content });
  }
  // contributions decided for themselves, grouped by reason (all of them: each was decided by a person)
  const direct = await b.links(`direct.${kind}`, `Contributions publiées décidées une à une, ${OUTCOME_LABEL[kind]}`, { source: 'contribution', outcome: kind, own: true });
  if (b.value(direct) > 0) blocks.push({ type: 'paragraph', content: [{ figure: direct }, ' contribution(s) décidée(s) une à une, hors des idées ci-dessus :'] });
  const byReason = new Map<string, string[]>();
  for (const id of b.ids(direct)) {
    const r = reason(notesOf(b.pl.ownLinks.get(`contribution:${id}`), kind));
    byReason.set(r, [...(byReason.get(r) ?? []), id]);
  }
  let n = 0;
  for (const [r, ids] of byReason) {
    const q = b.quotesOf(ids, undefined, ids.length);
    if (q.length > 0) blocks.push({ type: 'quotes', key: `${kind}.direct.${++n}`, quotes: q, intro: [`${kind === 'national' ? 'Motif' : 'Raison'} : ${r}.`] });
  }
  for (const pos of p ? b.ids(p) : []) {
    const it = b.item(pos);
    if (!it) continue;
    blocks.push({ type: 'paragraph', content: [`Proposition listée par le schéma${it.group ? ` (${it.group})` : ''} : « ${it.text.replace(/\s+/g, ' ').trim()} » — ${kind === 'national' ? 'motif' : 'raison'} : ${reason(notesOf(b.pl.ownLinks.get(`planItem:${pos}`), kind))}.`] });
  }
  return { key: `non-repris.${kind}`, level: 2, title, generatedTitle: title, blocks, sections: [] };
}

/** Builds the report from loaded data and the plan's links (pure but for the figures' evaluation on that data). */
export async function buildCoverageFrom(data: SynthesisData, pl: PlanLinkData, options: Omit<CoverageOptions, 'plan'> & { plan?: string }): Promise<CoverageDocument> {
  const b = new CoverageBuilder(data, pl);
  const plan = pl.plan;
  const c = data.consultation;
  const quotesPer = options.quotesPerObjective ?? 3;
  // « proposals »: the contributions of kind proposition when the consultation has any, else every contribution
  const proposals = data.all.some((x) => x.kind !== undefined && PROPOSAL_KINDS.includes(x.kind)) ? [...PROPOSAL_KINDS] : undefined;
  const unit = proposals ? 'proposition' : 'contribution';
  const kinds = proposals ? { kinds: proposals } : {};
  const sections: Section[] = [];

  // ---- summary ----
  const total = await b.links('all.total', `${unit[0]!.toUpperCase()}${unit.slice(1)}s publiées de la consultation`, { source: 'contribution', ...kinds });
  const outcome = new Map<string, string>();
  for (const o of OUTCOMES) outcome.set(o, await b.links(`all.${o}`, `${unit[0]!.toUpperCase()}${unit.slice(1)}s publiées ${OUTCOME_LABEL[o]}`, { source: 'contribution', outcome: o, ...kinds }));
  const summary: Inline[] = [{ figure: total }, ` ${unit}(s) publiée(s) dans la consultation « ${c.title} » : `];
  OUTCOMES.forEach((o, k) => summary.push({ figure: outcome.get(o)! }, ` ${OUTCOME_TEXT[o]}${k === OUTCOMES.length - 1 ? '.' : k === OUTCOMES.length - 2 ? ' et ' : ', '}`));
  const ideasAll = await b.links('ideas.total', 'Idées communes publiées', { source: 'idea' });
  const ideasLinked = await b.links('ideas.taken_up', 'Idées communes reprises', { source: 'idea', outcome: 'taken_up' });
  const ideasPartly = await b.links('ideas.partly', 'Idées communes reprises en partie', { source: 'idea', outcome: 'partly' });
  const ideasNational = await b.links('ideas.national', 'Idées communes relevant du niveau national', { source: 'idea', outcome: 'national' });
  const ideasNot = await b.links('ideas.not_taken_up', 'Idées communes non reprises', { source: 'idea', outcome: 'not_taken_up' });
  const ideasOpen = await b.links('ideas.undecided', 'Idées communes pas encore examinées', { source: 'idea', outcome: 'undecided' });
  // every outcome printed, so the terms add up to the total (each idea has exactly one best outcome)
  const summaryBlocks: Block[] = [
    { type: 'paragraph', content: summary },
    { type: 'paragraph', content: [{ figure: ideasAll }, ' idée(s) commune(s) : ', { figure: ideasLinked }, ' reprise(s), ', { figure: ideasPartly }, ' reprise(s) en partie, ',
      { figure: ideasNational }, ' relevant du niveau national, ', { figure: ideasNot }, ' non reprise(s) et ', { figure: ideasOpen }, ' pas encore examinée(s).'] },
  ];
  if (pl.items.length > 0) {
    const itemsAll = await b.links('items.total', 'Propositions listées par le schéma', { source: 'planItem' });
    const parts: Inline[] = [`Le schéma liste lui-même `, { figure: itemsAll }, ' proposition(s) issue(s) de la concertation : '];
    for (const [k, o] of OUTCOMES.entries()) {
      parts.push({ figure: await b.links(`items.${o}`, `Propositions listées par le schéma ${OUTCOME_LABEL[o]}`, { source: 'planItem', outcome: o }) },
        ` ${OUTCOME_TEXT[o]}${k === OUTCOMES.length - 1 ? '.' : k === OUTCOMES.length - 2 ? ' et ' : ', '}`);
    }
    summaryBlocks.push({ type: 'paragraph', content: parts });
  }
  summaryBlocks.push({ type: 'note', level: 'info', content: ['Seuls comptent les liens confirmés par une personne ou indiqués par un document ; les suggestions de la machine ne comptent pas. '
    + 'Une contribution suit la décision prise pour elle, sinon celle de l’idée commune à laquelle elle appartient ; reliée à plusieurs objectifs, elle compte une fois, au plus favorable.'] });
  sections.push({ key: 'synthese', level: 1, title: 'Ce que la concertation a apporté au schéma', generatedTitle: 'Ce que la concertation a apporté au schéma', blocks: summaryBlocks, sections: [] });

  // ---- per theme ----
  const countRows: TableRow[] = [];
  const shareRows: TableRow[] = [];
  // `label` names the row in figure labels, short (« Thème 1 »); `header` is the table's
  const rowFor = async (header: string, label: string, prefix: string, theme: string | undefined, total?: boolean) => {
    const t = theme === undefined ? 'all.total' : await b.links(`${prefix}.total`, `${label} : ${unit}s publiées`, { source: 'contribution', theme, ...kinds });
    const counts: string[] = [];
    const shares: string[] = [];
    for (const o of OUTCOMES) {
      const k = theme === undefined ? `all.${o}` : await b.links(`${prefix}.${o}`, `${label} : ${unit}s ${OUTCOME_LABEL[o]}`, { source: 'contribution', theme, outcome: o, ...kinds });
      counts.push(k);
      shares.push(await b.fig(`${prefix}.${o}.share`, `${label} : part des ${unit}s ${OUTCOME_LABEL[o]}`, 'pourcent', { op: 'share', numerator: k, denominator: t }));
    }
    countRows.push({ header, cells: [{ figure: t }, ...counts.map((figure) => ({ figure }))], ...(total ? { total } : {}) });
    shareRows.push({ header, cells: [{ figure: t }, ...shares.map((figure) => ({ figure }))], ...(total ? { total } : {}) });
  };
  for (const t of c.themes) {
    const local = !/^\d+$/.test(t.code);
    await rowFor(local ? `${t.label} (thème local)` : `Thème ${t.code} : ${t.label}`, local ? `Thème « ${t.label} »` : `Thème ${t.code}`, `theme.${t.code}`, t.code);
  }
  await rowFor('Toute la consultation', 'Toute la consultation', 'all', undefined, true);
  const Unit = `${unit[0]!.toUpperCase()}${unit.slice(1)}s`;
  sections.push({ key: 'themes', level: 1, title: 'Par thème de la consultation', generatedTitle: 'Par thème de la consultation', blocks: [
    { type: 'table', key: 'themes.counts', caption: `${Unit} publiées par thème et suite donnée`, columns: ['Thème', Unit, ...OUTCOMES.map((o) => OUTCOME_COLUMNS[o])], rows: countRows },
    { type: 'table', key: 'themes.shares', caption: `Part des ${unit}s de chaque thème, selon la suite donnée (%)`, columns: ['Thème', Unit, ...OUTCOMES.map((o) => `${OUTCOME_COLUMNS[o]} (%)`)], rows: shareRows },
    { type: 'note', level: 'info', content: [`Une ${unit} peut relever de plusieurs thèmes : la somme des lignes peut dépasser le total de la consultation.`] },
  ], sections: [] });

  // ---- per objective ----
  const targets = linkedTargets(pl);
  const engagementSections: Section[] = [];
  for (const e of plan.engagements) {
    const subs: Section[] = [];
    for (const d of e.defis) {
      if (targets.has(d.code)) subs.push(await targetSection(b, d, 'defi', quotesPer));
      for (const o of d.objectives) if (targets.has(o.code)) subs.push(await targetSection(b, o, 'objective', quotesPer));
    }
    if (subs.length > 0) {
      const title = `Engagement ${e.number} – ${e.title}`;
      engagementSections.push({ key: `engagement.${e.code}`, level: 2, title, generatedTitle: title, blocks: [], sections: subs });
    }
  }
  const unknown = [...targets].filter((t) => !plan.engagements.some((e) => e.defis.some((d) => d.code === t || d.objectives.some((o) => o.code === t))));
  if (unknown.length > 0) b.notices.push(`Liens vers des éléments absents du schéma (code corrigé depuis ?) : ${unknown.join(', ')} ; ils ne sont pas repris par objectif.`);
  sections.push({ key: 'objectifs', level: 1, title: 'Par objectif du schéma', generatedTitle: 'Par objectif du schéma', blocks: [
    { type: 'paragraph', content: [engagementSections.length > 0
      ? 'Pour chaque objectif (ou défi, quand aucun objectif ne convient) auquel une décision relie ce que la concertation a dit : les contributions, les idées communes et les propositions qui l’ont nourri, avec quelques citations. Les objectifs auxquels rien n’est encore relié ne figurent pas ici.'
      : 'Aucun lien n’est encore décidé entre la concertation et les objectifs du schéma.'] },
  ], sections: engagementSections });

  // ---- what was not taken up ----
  sections.push({ key: 'non-repris', level: 1, title: 'Ce qui n’est pas repris, et pourquoi', generatedTitle: 'Ce qui n’est pas repris, et pourquoi', blocks: [], sections: [
    await notTakenSection(b, 'not_taken_up', proposals, unit),
    await notTakenSection(b, 'national', proposals, unit),
  ] });

  const contributionSources: SynthesisDocument['contributionSources'] = {};
  for (const f of b.figures) for (const id of f.contributions) {
    const src = data.byId.get(id)?.source;
    if (src && !contributionSources[id]) contributionSources[id] = src;
  }
  for (const q of b.quotes) contributionSources[q.contribution] ??= q.source;
  const period = plan.period ? ` ${plan.period.start}-${plan.period.end}` : '';
  return {
    format: COVERAGE_FORMAT, version: SYNTHESIS_FORMAT_VERSION, id: coverageId(plan.id, c.slug), consultation: c.slug, consultationTitle: c.title,
    level: 'departement', territory: plan.territory, territoryName: plan.territoryName, generatedAt: (options.now ?? new Date()).toISOString(),
    title: 'Rapport de couverture', subtitle: `${plan.title}${period} (${plan.territoryName}) et consultation « ${c.title} »`,
    plan: { id: plan.id, title: plan.title, territory: plan.territory, territoryName: plan.territoryName, period: plan.period, fileName: plan.fileName },
    sections, figures: b.figures, quotes: b.quotes, contributionSources, editorial: emptyEditorial(), notices: b.notices,
  };
}

/** Builds the coverage report of a plan over a consultation, from the store. */
export async function buildCoverage(store: Store, options: CoverageOptions): Promise<CoverageDocument> {
  const data = await loadSynthesisData(store, options.consultation);
  return buildCoverageFrom(data, await data.planLinks(options.plan), options);
}
