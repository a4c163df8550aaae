/**
 * Builds a synthesis document from stored data: the département restitution (Lot template) or the
 * regional roll-up (Nouvelle-Aquitaine template). Every figure is computed by a rule over the data
 * and keeps the ids of what it counts; every quote is the verbatim text of a contribution.
 * Editorial parts (texts, headings, chosen quotes, order) come from the store and are applied on top.
 */
import { CONTRIBUTION_KINDS, isPublic, KIND_LABELS, type Contribution, type ContributionKind } from '../domain/contribution.ts';
import { DEPARTEMENTS, REGIONS, territoryName } from '../domain/geography.ts';
import type { IdeaGroup } from '../domain/ideas.ts';
import { COLLEGES, COLLEGE_LABELS, MEETING_KIND_LABELS, formatMeetingTime, participantsSum, type Meeting } from '../domain/meeting.ts';
import type { SynthesisLevel } from '../domain/synthesis.ts';
import type { Theme } from '../domain/theme.ts';
import { UserError } from '../domain/errors.ts';
import { frenchDay } from '../domain/consultation.ts';
import type { Store } from '../store/store.ts';
import { asciiSlug } from '../text/french.ts';
import { phraseLabel } from '../analysis/grouping/labels.ts';
import { agree } from './agree.ts';
import { evaluateRule, loadSynthesisData, queryContributions, queryMeetings, usesLabel, type SynthesisData } from './data.ts';
import {
  PROPOSAL_KINDS, SYNTHESIS_FORMAT, SYNTHESIS_FORMAT_VERSION, emptyEditorial, synthesisId,
  type Block, type ContributionQuery, type FigureRule, type IdeaItem, type Inline, type Section, type SynthesisDocument,
  type SynthesisEditorial, type TableRow, type VerifiedFigure, type VerifiedQuote,
} from './model.ts';
import { loadEditorial } from './persist.ts';
import { DEFAULT_QUOTES_PER_IDEA, QuoteLedger, findRepeats, quoteText, quotesForSize, rankQuotes } from './quotes.ts';
import { synthesisBasis } from './basis.ts';
import { indicatorBlocks } from './indicators.ts';
import { attachObjectives } from './links.ts';

export interface BuildOptions {
  consultation: string;
  level: SynthesisLevel;
  /** département code (restitution) or région code (roll-up); defaults from the consultation */
  territory?: string;
  /** editorial parts to apply; by default those stored for this synthesis */
  editorial?: SynthesisEditorial;
  /**
   * generated example quotes per idea, the most relevant to its label first (default 3, see quotes.ts);
   * editors' chosen quotes are all kept
   */
  quotesPerIdea?: number;
  /** for reproducible output (tests): the generation date */
  now?: Date;
}

export { MEETING_KIND_LABELS, quoteText };

/** Actions under way: a readable list of this many, the others counted (« et N autres »), like the national proposals. */
const LISTED_QUOTES_MAX = 10;
/** The rest of a section (« Autres … hors des idées ci-dessus ») is no idea: at most this many examples. */
const RESIDUAL_QUOTES_MAX = 2;
/** National proposals: a readable list, the others counted (« et N autres ») rather than quoted in one wall. */
const NATIONAL_QUOTES_MAX = 10;

export function formatNumber(n: number): string {
  return n.toLocaleString('fr-FR');
}

/** "5 décembre 2022" from an ISO date; the printed text otherwise. */
export function formatMeetingDate(m: Meeting): string {
  if (m.date && /^\d{4}-\d{2}-\d{2}/.test(m.date)) {
    const d = new Date(`${m.date.slice(0, 10)}T00:00:00Z`);
    if (!Number.isNaN(d.getTime())) return frenchDay(m.date.slice(0, 10));
  }
  return m.dateText ?? 'date non communiquée';
}

function slug(s: string): string {
  const base = asciiSlug(s).slice(0, 40);
  // a short hash keeps keys distinct when two labels share their first 40 characters
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return `${base || 'x'}-${(h >>> 0).toString(36).slice(0, 5)}`;
}

interface KindSection {
  key: string;
  title: string;
  kinds: ContributionKind[];
  /** what the section's numbers count, plural (« propositions ») and as printed after a number (« proposition(s) ») */
  counted: string;
  unit: string;
  /** the agreement of « publié(e)(s), regroupé(e)(s) » with `unit` */
  e: '' | 'e';
}

class Builder {
  readonly figures: VerifiedFigure[] = [];
  readonly byKey = new Map<string, VerifiedFigure>();
  readonly quotes: VerifiedQuote[] = [];
  readonly notices: string[] = [];
  private quoteSeq = 0;
  /** every text quoted so far in the document, and which texts repeat one another in its scope */
  private readonly ledger: QuoteLedger;

  constructor(readonly data: SynthesisData, readonly editorial: SynthesisEditorial, readonly level: SynthesisLevel,
    readonly scope: ContributionQuery, readonly quotesPerIdea: number) {
    this.ledger = new QuoteLedger(findRepeats(queryContributions(data, scope)));
  }

  /** How a figure's label names a theme: « Thème 2 » for a national theme, its title for a local one (never its code). */
  themeRef(code: string): string {
    if (/^\d+$/.test(code)) return `Thème ${code}`;
    const t = this.data.consultation.themes.find((x) => x.code === code);
    return t ? `Thème « ${t.label} »` : `Thème ${code}`;
  }

  /** Evaluates and records a figure; returns its key, or undefined when the value does not exist (not communicated). */
  async fig(key: string, label: string, unit: VerifiedFigure['unit'], rule: FigureRule): Promise<string | undefined> {
    if (this.byKey.has(key)) return key;
    const e = await evaluateRule(this.data, rule, (k) => this.byKey.get(k)?.value);
    if (e.value === null) return undefined;
    const f: VerifiedFigure = { key, value: e.value, label, unit, rule, contributions: e.contributions };
    if (e.meetings) f.meetings = e.meetings;
    this.figures.push(f);
    this.byKey.set(key, f);
    return key;
  }

  async count(key: string, label: string, where: ContributionQuery): Promise<string> {
    return (await this.fig(key, label, 'contributions', { op: 'contributions', where: { ...this.scope, ...where } }))!;
  }

  value(key: string): number {
    return this.byKey.get(key)?.value ?? 0;
  }

  /** Records a quote; a generated one is refused when its text, or a duplicate of it, is already quoted in the document. */
  quote(c: Contribution, chosen: boolean, text?: string): string | undefined {
    const q = text !== undefined ? { text, excerpt: text.trim() !== c.text.trim() } : quoteText(c.text);
    if (!q.text || !c.text.includes(q.text)) return undefined;
    if (!chosen && !this.ledger.available(c, q.text)) return undefined;
    this.ledger.take(c, q.text);
    const id = `q${++this.quoteSeq}`;
    const repeatedBy = this.ledger.repeatedBy(c);
    this.quotes.push({ id, contribution: c.id, text: q.text, excerpt: q.excerpt, source: c.source, chosen, ...(repeatedBy ? { repeatedBy: [...repeatedBy] } : {}) });
    return id;
  }

  heading(key: string, generated: string): string {
    const h = this.editorial.headings[key];
    return h !== undefined && h.trim() !== '' ? h.trim() : generated;
  }

  section(key: string, level: 1 | 2 | 3, generated: string, blocks: Block[] = [], sections: Section[] = []): Section {
    return { key, level, title: this.heading(key, generated), generatedTitle: generated, blocks, sections };
  }

  text(key: string, placeholder: string, optional = false): Block {
    return { type: 'editorial', key, text: this.editorial.texts[key] ?? '', placeholder, ...(optional ? { optional } : {}) };
  }

  ordered<T extends { key: string }>(containerKey: string, items: T[]): T[] {
    const order = this.editorial.order[containerKey];
    if (!order || order.length === 0) return items;
    const rank = new Map(order.map((k, i) => [k, i]));
    return items.map((it, i) => ({ it, i })).sort((a, b) => {
      const ra = rank.get(a.it.key) ?? Number.MAX_SAFE_INTEGER;
      const rb = rank.get(b.it.key) ?? Number.MAX_SAFE_INTEGER;
      return ra - rb || a.i - b.i;
    }).map((x) => x.it);
  }

  /**
   * Chosen quotes (editorial) for an item, else up to `limit` generated examples from `pool`, ranked for
   * relevance to `label` then readability (quotes.ts); `preferred` (the grouping's representatives) break ties.
   */
  quotesFor(itemKey: string, pool: Contribution[], preferred: string[] = [], label?: string, limit = this.quotesPerIdea): string[] {
    const chosen = this.editorial.quotes[itemKey];
    if (chosen && chosen.length > 0) {
      const out: string[] = [];
      for (const q of chosen) {
        const c = this.data.byId.get(q.contribution);
        const id = c && isPublic(c) ? this.quote(c, true, q.text) : undefined;
        if (id) out.push(id);
        else this.notices.push(`Citation choisie introuvable ou modifiée (contribution ${q.contribution}, rubrique ${itemKey}) : elle n’est plus reprise.`);
      }
      return out;
    }
    const out: string[] = [];
    if (limit <= 0) return out;
    for (const r of rankQuotes(pool, label, new Set(preferred))) {
      // a text in capitals only when the idea has no other example (they rank last)
      if (r.shouting && out.length > 0) break;
      const id = this.quote(r.contribution, false);
      if (id) out.push(id);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Examples of the rest of a section: by its size like an idea, at most RESIDUAL_QUOTES_MAX. */
  residualQuotes(figure: string): number {
    return Math.min(RESIDUAL_QUOTES_MAX, quotesForSize(this.value(figure), this.quotesPerIdea));
  }

  // ---- ideas: idea groups when there are, categories otherwise ----

  groupKind(g: IdeaGroup): ContributionKind | undefined {
    const counts = new Map<ContributionKind, number>();
    for (const id of this.data.groupMembers(g.id)) {
      const k = this.data.byId.get(id)?.kind;
      if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  }

  /**
   * The label of an idea in a kind section: the group's label when the section's own contributions use it, else a
   * phrase those contributions share (a group's label may come from its members of another kind: « Mettre en place
   * un bus médical » heading its constats), never one already given in the section; human labels stay.
   */
  sectionLabel(g: IdeaGroup, pool: readonly Contribution[], taken: Set<string>): string {
    let label = g.label;
    if (!g.labelByHuman && g.statedCount === undefined && !isOthersBucket(g)) {
      const quoted = new Set(g.quotes);
      const texts = [...pool.filter((c) => quoted.has(c.id)), ...pool.filter((c) => !quoted.has(c.id))].map((c) => c.text);
      if (!usesLabel(texts, g.label)) {
        const phrase = phraseLabel(texts.slice(0, 150));
        if (phrase && !taken.has(phrase.toLocaleLowerCase('fr-FR'))) label = phrase;
      }
    }
    taken.add(label.toLocaleLowerCase('fr-FR'));
    return label;
  }

  /** An idea in a kind section: its number counts the idea's contributions of the section's kinds only (sub-ideas included). */
  async groupItem(g: IdeaGroup, theme: string, ks: KindSection, depth: number, taken = new Set<string>()): Promise<IdeaItem | undefined> {
    const key = `g:${g.id}`;
    const where: ContributionQuery = { theme, group: g.id, kinds: ks.kinds };
    const pool = queryContributions(this.data, { ...this.scope, ...where });
    // an idea with none of the section's kinds is not in the section: no figure is registered for it
    if (pool.length === 0) return undefined;
    const ideaLabel = this.sectionLabel(g, pool, taken);
    const figure = await this.count(`idea.${key}`, `${this.themeRef(theme)} : ${ks.counted} de l’idée « ${ideaLabel} »`, where);
    if (this.value(figure) === 0) return undefined;
    const children: IdeaItem[] = [];
    if (depth < 3) {
      for (const child of this.data.childrenOf.get(g.id) ?? []) {
        const it = await this.groupItem(child, theme, ks, depth + 1, taken);
        if (it) children.push(it);
      }
    }
    // a summary: the idea's examples, 1–3 by its size, the representatives of its sub-ideas among the preferred;
    // a sub-idea is listed with its count, without generated examples (its contributions are in the annex)
    const preferred = depth === 1 ? [...g.quotes, ...(this.data.childrenOf.get(g.id) ?? []).flatMap((x) => x.quotes)] : g.quotes;
    // the grouping's « Autres » bucket (what fits no idea) is no idea either: listed after the ideas, quoted like the section's rest
    const others = isOthersBucket(g);
    const limit = depth > 1 ? 0 : others ? this.residualQuotes(figure) : quotesForSize(this.value(figure), this.quotesPerIdea);
    const label = this.heading(key, ideaLabel);
    const item: IdeaItem = {
      key, label, generatedLabel: ideaLabel, figure,
      quotes: this.quotesFor(key, pool, preferred, label, limit),
      children: this.ordered(key, sortItems(children, this)),
      ...(others ? { residual: true } : {}),
    };
    if (this.level === 'region' && g.statedCount !== undefined) {
      const stated = await this.fig(`stated.${key}`, `${g.label} (nombre annoncé par la source)`, 'contributions', { op: 'groupStated', group: g.id });
      if (stated) {
        item.stated = stated;
        item.difference = await this.fig(`diff.${key}`, `${g.label} : écart importé − annoncé`, 'ecart', { op: 'difference', minuend: figure, subtrahend: stated });
      }
    }
    return item;
  }

  async ideas(blockKey: string, theme: string, ks: KindSection): Promise<IdeaItem[]> {
    const kinds = ks.kinds;
    const tops = (this.data.childrenOf.get(null) ?? []).filter((g) => this.data.groupTheme.get(g.id) === theme && kinds.includes(this.groupKind(g) ?? 'autre'));
    const items: IdeaItem[] = [];
    const kindKey = kinds.join('+');
    if (tops.length > 0) {
      const taken = new Set<string>();
      for (const g of tops) {
        const it = await this.groupItem(g, theme, ks, 1, taken);
        if (it) items.push(it);
      }
      // the rest of the section: its contributions in none of the ideas above (ungrouped, or in an idea of another section)
      const residualKey = `r:${theme}:${kindKey}`;
      const where: ContributionQuery = { theme, kinds, outsideGroups: tops.map((g) => g.id) };
      const residualLabel = `Autres ${ks.counted} (hors des idées ci-dessus)`;
      const figure = await this.count(`idea.${residualKey}`, `${this.themeRef(theme)} : ${ks.counted} hors des idées de la rubrique`, where);
      if (this.value(figure) > 0) {
        const pool = queryContributions(this.data, { ...this.scope, ...where });
        items.push({ key: residualKey, label: this.heading(residualKey, residualLabel), generatedLabel: residualLabel,
          figure, quotes: this.quotesFor(residualKey, pool, [], undefined, this.residualQuotes(figure)), children: [], residual: true });
      }
      return this.ordered(blockKey, sortItems(items, this));
    }
    // an analysed theme whose ideas are all of other kinds: the section's contributions as one list, not rubrics
    // made of the source's own category values (a theme column's raw « Thème 3 - Attractivité », « Autre »)
    const analysed = this.data.groups.some((g) => this.data.groupTheme.get(g.id) === theme && g.statedCount === undefined && g.members.some((m) => m.provenance.by === 'model'));
    if (analysed) {
      const key = `c:${theme}:${kindKey}:_analyse`;
      const where: ContributionQuery = { theme, kinds };
      const section = queryContributions(this.data, { ...this.scope, ...where });
      if (section.length === 0) return [];
      const figure = await this.count(`idea.${key}`, `${this.themeRef(theme)} : ${ks.counted} hors des idées communes`, where);
      const generated = 'Contributions (hors des idées communes)';
      return [{ key, label: this.heading(key, generated), generatedLabel: generated, figure,
        quotes: this.quotesFor(key, section, [], undefined, this.residualQuotes(figure)), children: [], residual: true }];
    }
    // by category "Catégorie › sous-catégorie"
    const pool = queryContributions(this.data, { ...this.scope, theme, kinds });
    const tree = new Map<string, Set<string>>();
    let uncategorised = 0;
    for (const c of pool) {
      if (c.category === undefined) { uncategorised++; continue; }
      const [top = c.category] = c.category.split(' › ');
      const subs = tree.get(top) ?? new Set<string>();
      if (c.category !== top) subs.add(c.category);
      tree.set(top, subs);
    }
    for (const [top, subs] of tree) {
      const key = `c:${theme}:${kindKey}:${slug(top)}`;
      const figure = await this.count(`idea.${key}`, `${this.themeRef(theme)} : ${top}`, { theme, kinds, categoryPrefix: top });
      const children: IdeaItem[] = [];
      for (const sub of subs) {
        const subLabel = sub.slice(top.length + 3);
        const subKey = `c:${theme}:${kindKey}:${slug(sub)}`;
        const subWhere: ContributionQuery = { theme, kinds, category: sub };
        const subFigure = await this.count(`idea.${subKey}`, `${this.themeRef(theme)} : ${sub}`, subWhere);
        children.push({ key: subKey, label: this.heading(subKey, subLabel), generatedLabel: subLabel, figure: subFigure,
          quotes: this.quotesFor(subKey, queryContributions(this.data, { ...this.scope, ...subWhere }), [], this.heading(subKey, subLabel), 0), children: [] });
      }
      // items filed directly under the top category
      const direct = queryContributions(this.data, { ...this.scope, theme, kinds, category: top });
      if (children.length > 0 && direct.length > 0) {
        const dKey = `c:${theme}:${kindKey}:${slug(top)}:direct`;
        const dFigure = await this.count(`idea.${dKey}`, `${this.themeRef(theme)} : ${top} (sans sous-rubrique)`, { theme, kinds, category: top });
        children.push({ key: dKey, label: this.heading(dKey, 'Sans sous-rubrique'), generatedLabel: 'Sans sous-rubrique', figure: dFigure,
          quotes: this.quotesFor(dKey, direct, [], this.heading(key, top), 0), children: [], residual: true });
      }
      // the rubric's examples come from all of it, its sub-rubrics included (they get none of their own)
      const all = children.length > 0 ? queryContributions(this.data, { ...this.scope, theme, kinds, categoryPrefix: top }) : direct;
      items.push({ key, label: this.heading(key, top), generatedLabel: top, figure,
        quotes: this.quotesFor(key, all, [], this.heading(key, top), quotesForSize(this.value(figure), this.quotesPerIdea)), children: this.ordered(key, sortItems(children, this)) });
    }
    if (uncategorised > 0) {
      const key = `c:${theme}:${kindKey}:_sans`;
      const generated = tree.size > 0 ? 'Autres contributions' : 'Contributions';
      const where: ContributionQuery = { theme, kinds, category: null };
      const figure = await this.count(`idea.${key}`, `${this.themeRef(theme)} : sans rubrique`, where);
      items.push({ key, label: this.heading(key, generated), generatedLabel: generated, figure,
        quotes: this.quotesFor(key, queryContributions(this.data, { ...this.scope, ...where }), [], undefined, tree.size > 0 ? this.residualQuotes(figure) : quotesForSize(this.value(figure), this.quotesPerIdea)), children: [], residual: true });
    }
    return this.ordered(blockKey, sortItems(items, this));
  }
}

/** The analysis' bucket of contributions that fit no group (label « Autres », as generated: a person's label is an idea). */
function isOthersBucket(g: IdeaGroup): boolean {
  return !g.labelByHuman && /^\s*autres\s*$/iu.test(g.label);
}

function sortItems(items: IdeaItem[], b: Builder): IdeaItem[] {
  return [...items].sort((x, y) => Number(!!x.residual) - Number(!!y.residual) || b.value(y.figure) - b.value(x.figure) || x.generatedLabel.localeCompare(y.generatedLabel, 'fr'));
}

function resolveTerritory(level: SynthesisLevel, consultationTerritory: string, consultationDept: string | undefined, requested?: string): string {
  if (requested) {
    if (level === 'departement' && !DEPARTEMENTS[requested]) throw new UserError('invalid', `Code de département inconnu : « ${requested} »`);
    if (level === 'region' && !REGIONS[requested]) throw new UserError('invalid', `Code de région inconnu : « ${requested} »`);
    return requested;
  }
  if (level === 'departement') {
    if (consultationDept) return consultationDept;
    throw new UserError('invalid', `La consultation porte sur « ${REGIONS[consultationTerritory] ?? territoryName(consultationTerritory)} » : indiquez le département de la synthèse.`);
  }
  const region = consultationDept ? DEPARTEMENTS[consultationDept]?.[1] : REGIONS[consultationTerritory] ? consultationTerritory : DEPARTEMENTS[consultationTerritory]?.[1];
  if (region) return region;
  throw new UserError('invalid', `Impossible de déterminer la région de la consultation (territoire « ${consultationTerritory} »).`);
}

const KIND_SECTIONS = (level: SynthesisLevel): KindSection[] => [
  { key: 'constats', title: level === 'region' ? 'Problématiques' : 'Constats', kinds: ['constat'], counted: 'constats', unit: 'constat(s)', e: '' },
  { key: 'propositions', title: 'Solutions et propositions', kinds: PROPOSAL_KINDS, counted: 'propositions', unit: 'proposition(s)', e: 'e' },
  { key: 'leviers', title: 'Leviers à activer et freins à lever', kinds: ['levier_frein'], counted: 'leviers ou freins', unit: 'levier(s) ou frein(s)', e: '' },
  { key: 'autres', title: 'Autres contributions', kinds: ['temoignage', 'autre'], counted: 'témoignages et autres contributions', unit: 'témoignage(s) ou autre(s) contribution(s)', e: '' },
];

async function themeSection(b: Builder, theme: Theme, level: SynthesisLevel, depth: 1 | 2): Promise<Section> {
  const base = `theme.${theme.code}`;
  const sub = (depth + 1) as 2 | 3;
  const total = await b.count(`${base}.total`, `${b.themeRef(theme.code)} : contributions publiées`, { theme: theme.code });
  const blocks: Block[] = [{ type: 'paragraph', content: [{ figure: total }, ' contribution(s) publiée(s) porte(nt) sur ce thème.'] }];
  const sections: Section[] = [];
  if (level === 'region') {
    sections.push(b.section(`${base}.enseignements`, sub, 'Principaux enseignements', [
      b.text(`${base}.enseignements`, 'Texte à rédiger : principaux enseignements des ateliers sur ce thème.')]));
  }
  for (const ks of KIND_SECTIONS(level)) {
    const key = `${base}.${ks.key}`;
    const n = await b.count(`${key}.total`, `${b.themeRef(theme.code)} : ${ks.title.toLowerCase()}`, { theme: theme.code, kinds: ks.kinds });
    if (b.value(n) === 0 && ks.key !== 'constats' && ks.key !== 'propositions') continue;
    const items = b.value(n) > 0 ? await b.ideas(key, theme.code, ks) : [];
    const secBlocks: Block[] = [];
    if (ks.key === 'constats' && level === 'departement') secBlocks.push(b.text(key, 'Texte à rédiger (facultatif) : synthèse des constats.', true));
    secBlocks.push({ type: 'ideas', key, intro: [{ figure: n }, ` ${ks.unit} publié${ks.e}(s) sur ce thème, regroupé${ks.e}(s) ainsi (le nombre de chaque idée ou rubrique compte ses ${ks.counted}, celles de ses sous-idées comprises ; les références de toutes ses contributions sont en annexe) :`], items });
    if (b.value(n) === 0) secBlocks.splice(secBlocks.length - 1, 1, { type: 'note', level: 'info', content: ['Aucune contribution de ce type sur ce thème.'] });
    // kinds the analysis suggested (no kind in the source): said, so a reader knows the sorting is to be checked
    else if (queryContributions(b.data, { ...b.scope, theme: theme.code, kinds: ks.kinds }).some((c) => c.kindProvenance?.by === 'model')) {
      secBlocks.push({ type: 'note', level: 'info', content: ['La nature (constat, proposition…) de tout ou partie de ces contributions est une suggestion de l’analyse automatique, à vérifier.'] });
    }
    sections.push(b.section(key, sub, ks.title, secBlocks));
  }
  // actions already under way: each one is quoted
  const aKey = `${base}.actions`;
  const aWhere: ContributionQuery = { theme: theme.code, kinds: ['action_en_cours'] };
  const aFig = await b.count(`${aKey}.total`, `${b.themeRef(theme.code)} : actions en cours`, aWhere);
  // and those the team entered (editorial): title, description, who carries it, where
  const entered = b.editorial.actions?.[theme.code] ?? [];
  if (b.value(aFig) > 0 || level === 'departement' || entered.length > 0) {
    const pool = queryContributions(b.data, { ...b.scope, ...aWhere });
    const aBlocks: Block[] = [];
    if (entered.length > 0) {
      aBlocks.push({ type: 'table', key: `${aKey}.saisies`, caption: 'Actions emblématiques déjà en cours, présentées par l’équipe', columns: ['Action', 'Description', 'Porteur', 'Territoire'],
        rows: entered.map((a) => ({ header: a.title, cells: [{ text: a.description }, { text: a.owner ?? '—' }, { text: a.territory ?? '—' }] })) });
    }
    if (pool.length > 0) {
      const quotes = b.quotesFor(aKey, pool, [], undefined, LISTED_QUOTES_MAX);
      aBlocks.push({ type: 'quotes', key: aKey, intro: [{ figure: aFig }, ' action(s) citée(s) par les participants :'], quotes });
      const rest = await notQuoted(b, `${aKey}.autres`, `${b.themeRef(theme.code)} : actions en cours non citées dans la rubrique`, aWhere, pool, quotes);
      if (b.value(rest) > 0) aBlocks.push({ type: 'paragraph', content: ['Et ', { figure: rest }, ' autre(s) action(s) en cours, non citée(s) ici (voir l’annexe).'] });
    }
    if (aBlocks.length === 0) aBlocks.push({ type: 'note', level: 'info', content: ['Aucune action en cours n’a été signalée sur ce thème.'] });
    sections.push(b.section(aKey, sub, 'Actions emblématiques déjà en cours', aBlocks));
  }
  // proposals relevant to the national level (marked by the team, directly or through their idea, or filed in a
  // national category by their source), of the document's territory: counted, then listed with the same selection
  // as elsewhere (each text once), a readable number of them, the others said as a figure
  const nKey = `${base}.national`;
  const nWhere: ContributionQuery = { theme: theme.code, kinds: PROPOSAL_KINDS, national: true };
  const nFig = await b.count(`${nKey}.total`, `${b.themeRef(theme.code)} : propositions relevant du niveau national`, nWhere);
  const nPool = queryContributions(b.data, { ...b.scope, ...nWhere });
  const nBlocks: Block[] = [];
  if (nPool.length > 0) {
    const quotes = b.quotesFor(nKey, nPool, [], undefined, NATIONAL_QUOTES_MAX);
    nBlocks.push({ type: 'quotes', key: nKey, intro: [{ figure: nFig }, ' proposition(s) de ce thème, dans ce territoire, relève(nt) du niveau national (marquées ainsi par l’équipe, seules ou avec leur idée, ou classées « niveau national » par leur source) :'], quotes });
    const rest = await notQuoted(b, `${nKey}.autres`, `${b.themeRef(theme.code)} : propositions relevant du niveau national non citées dans la rubrique`, nWhere, nPool, quotes);
    if (b.value(rest) > 0) nBlocks.push({ type: 'paragraph', content: ['Et ', { figure: rest }, ' autre(s) proposition(s) relevant du niveau national, non citée(s) ici.'] });
  } else {
    nBlocks.push({ type: 'slot', key: nKey, text: 'Aucune proposition de ce thème n’est marquée comme relevant du niveau national.' });
  }
  sections.push(b.section(nKey, sub, 'Propositions relevant du niveau national', nBlocks));
  const title = theme.local ? `${theme.label} (thème ajouté par le territoire)` : theme.label;
  return b.section(base, depth, level === 'region' ? `Thématique ${theme.code} : ${title}` : title, blocks, sections);
}

/** « Et N autres »: the contributions of a listed pool that the list does not quote (a quote stands for its campaign too). */
async function notQuoted(b: Builder, key: string, label: string, where: ContributionQuery, pool: Contribution[], quotes: string[]): Promise<string> {
  const inPool = new Set(pool.map((c) => c.id));
  const shown = new Set<string>();
  for (const id of quotes) {
    const q = b.quotes.find((x) => x.id === id);
    if (!q) continue;
    for (const c of [q.contribution, ...(q.repeatedBy ?? [])]) if (inPool.has(c)) shown.add(c);
  }
  return b.count(key, label, { ...where, except: [...shown].sort() });
}

function collegeTable(meetings: Meeting[]): { cols: string[] } {
  return { cols: ['Réunion', ...COLLEGES.map((c) => COLLEGE_LABELS[c]), 'Total indiqué', 'Somme des collèges'] };
}

async function meetingBlocks(b: Builder, meetings: Meeting[], keyBase: string): Promise<Block[]> {
  const blocks: Block[] = [];
  if (meetings.length === 0) {
    blocks.push({ type: 'note', level: 'info', content: ['Aucune réunion n’est enregistrée pour ce territoire.'] });
    return blocks;
  }
  const rows: TableRow[] = [];
  for (const m of meetings) {
    const n = await b.count(`meeting.${m.id}.contributions`, `${m.title} : contributions`, { meeting: m.id });
    rows.push({ header: m.title, cells: [{ text: m.place ?? 'non communiqué' }, { text: formatMeetingDate(m) + (m.time ? ` (${formatMeetingTime(m.time)})` : '') },
      { text: MEETING_KIND_LABELS[m.kind] ?? m.kind }, { figure: n }] });
  }
  blocks.push({ type: 'table', key: `${keyBase}.reunions`, caption: 'Réunions de co-construction', columns: ['Réunion', 'Lieu', 'Date', 'Type', 'Contributions'], rows });
  const pRows: TableRow[] = [];
  const notes: Block[] = [];
  for (const m of meetings) {
    const cells: TableRow['cells'] = [];
    for (const c of COLLEGES) {
      const k = await b.fig(`meeting.${m.id}.p.${c}`, `${m.title} : ${COLLEGE_LABELS[c]}`, 'participants', { op: 'participants', meetings: [m.id], field: c });
      cells.push(k ? { figure: k } : { nc: true });
    }
    const tot = await b.fig(`meeting.${m.id}.p.total`, `${m.title} : total indiqué`, 'participants', { op: 'participants', meetings: [m.id], field: 'total' });
    const sum = await b.fig(`meeting.${m.id}.p.sum`, `${m.title} : somme des collèges`, 'participants', { op: 'participants', meetings: [m.id], field: 'sum' });
    cells.push(tot ? { figure: tot } : { nc: true }, sum ? { figure: sum } : { nc: true });
    pRows.push({ header: m.title, cells });
    const printed = m.participants.total;
    const computed = participantsSum(m.participants);
    if (printed !== null && computed !== null && printed !== computed && tot && sum) {
      notes.push({ type: 'note', level: 'warning', content: [`${m.title} : le total indiqué (`, { figure: tot }, ') diffère de la somme des collèges communiqués (', { figure: sum }, '). Les deux sont reproduits sans correction.'] });
    }
  }
  blocks.push({ type: 'table', key: `${keyBase}.participants`, caption: 'Participants par collège (« non communiqué » : absent ou NC dans le compte-rendu)', columns: collegeTable(meetings).cols, rows: pRows });
  blocks.push(...notes);
  return blocks;
}

async function charts(b: Builder, themes: Theme[], meetings: Meeting[], keyBase: string, byDept: { code: string; figure: string }[] | null): Promise<Block[]> {
  const out: Block[] = [];
  const themeBars = themes.map((t) => ({ label: t.local ? `${t.label} (thème local)` : `Thème ${t.code} — ${t.label}`, figure: `theme.${t.code}.total` })).filter((x) => b.byKey.has(x.figure));
  if (themeBars.length > 0) out.push({ type: 'chart', key: `${keyBase}.chart.themes`, title: 'Contributions par thème', description: 'Nombre de contributions publiées rattachées au territoire, par thème (une contribution peut relever de plusieurs thèmes).', bars: themeBars });
  // by kind: the same question as « En chiffres » and `fabrique stats` (Par nature), counted the same way
  const kindBars: { label: string; figure: string }[] = [];
  for (const k of CONTRIBUTION_KINDS) {
    const key = await b.count(`kind.${k}`, `Contributions publiées : ${KIND_LABELS[k].toLowerCase()}`, { kinds: [k] });
    if (b.value(key) > 0) kindBars.push({ label: KIND_LABELS[k], figure: key });
  }
  if (kindBars.length > 0) out.push({ type: 'chart', key: `${keyBase}.chart.natures`, title: 'Contributions par nature', description: 'Nombre de contributions publiées rattachées au territoire, de chaque nature (constat, proposition…), quand elle est connue.', bars: kindBars });
  // by college: the authors' college when contributions carry it, else the participants of the meetings
  const withCollege = queryContributions(b.data, b.scope).some((c) => c.authorCollege !== undefined);
  const collegeBars: { label: string; figure: string }[] = [];
  for (const c of COLLEGES) {
    const k = withCollege
      ? await b.count(`college.${c}`, `Contributions : ${COLLEGE_LABELS[c]}`, { college: c })
      : await b.fig(`participants.${c}`, `Participants : ${COLLEGE_LABELS[c]}`, 'participants', { op: 'participants', meetings: meetings.map((m) => m.id), field: c });
    if (k) collegeBars.push({ label: COLLEGE_LABELS[c], figure: k });
  }
  if (collegeBars.length > 0) {
    out.push(withCollege
      ? { type: 'chart', key: `${keyBase}.chart.colleges`, title: 'Contributions par collège', description: 'Nombre de contributions selon le collège de leur auteur, quand il est connu.', bars: collegeBars }
      : { type: 'chart', key: `${keyBase}.chart.colleges`, title: 'Participants par collège', description: 'Participants des réunions par collège ; les collèges non communiqués ne sont pas comptés. Les contributions d’atelier n’ont pas d’auteur individuel.', bars: collegeBars });
  }
  if (byDept) {
    if (byDept.length > 0) out.push({ type: 'chart', key: `${keyBase}.chart.departements`, title: 'Contributions par département', description: 'Nombre de contributions issues de chaque département.', bars: byDept.map((d) => ({ label: `${d.code} – ${territoryName(d.code)}`, figure: d.figure })) });
  } else {
    const meetingBars = meetings.map((m) => ({ label: m.title, figure: `meeting.${m.id}.contributions` })).filter((x) => b.byKey.has(x.figure));
    // the contributions of no meeting (online form, mail…) too, so that the bars add up to the total
    const outside = await b.count('meeting.none.contributions', 'Contributions publiées hors réunion', { meeting: null });
    if (meetingBars.length > 0 && b.value(outside) > 0) meetingBars.push({ label: 'Hors réunion (en ligne, courrier…)', figure: outside });
    if (meetingBars.length > 0) out.push({ type: 'chart', key: `${keyBase}.chart.reunions`, title: 'Contributions par réunion', description: 'Nombre de contributions publiées rattachées au territoire, selon la réunion où elles ont été recueillies.', bars: meetingBars });
  }
  return out;
}

/** Stated totals found in the documents' own syntheses, and import warnings about totals. */
async function statedComparisons(b: Builder, store: Store, themes: Theme[], deptFigures: Map<string, string>, totalKey: string, meetingsKey: string):
  Promise<{ notes: Block[]; statedByDept: Map<string, { stated: string; diff: string | undefined }>; statedByTheme: Map<string, { stated: string; diff: string | undefined }> }> {
  const notes: Block[] = [];
  const statedByDept = new Map<string, { stated: string; diff: string | undefined }>();
  const statedByTheme = new Map<string, { stated: string; diff: string | undefined }>();
  const docs = await store.listDocuments(b.data.consultation.slug);
  for (const doc of docs) {
    const roots = await b.data.humanSyntheses(doc.id);
    const visit = async (list: typeof roots, path: number[]) => {
      for (let i = 0; i < list.length; i++) {
        const item = list[i]!;
        const p = [...path, i];
        const label = item.label.normalize('NFC');
        const tag = `${doc.id.slice(0, 12)}.${p.join('.')}`;
        if (/ateliers?\s+organis[ée]s\s+par\s+d[ée]partement/iu.test(label)) {
          if (item.statedCount !== undefined) {
            const s = await b.fig(`stated.${tag}`, `Réunions annoncées par « ${doc.fileName} »`, 'reunions', { op: 'stated', document: doc.id, path: p });
            const d = s ? await b.fig(`diff.${tag}`, 'Écart réunions importées − annoncées', 'ecart', { op: 'difference', minuend: meetingsKey, subtrahend: s }) : undefined;
            if (s && d) notes.push({ type: 'note', level: b.value(d) === 0 ? 'info' : 'warning', content: [`« ${doc.fileName} » annonce `, { figure: s }, ' ateliers ; ', { figure: meetingsKey }, ' réunions sont importées (écart : ', { figure: d }, ').'] });
          }
          for (let j = 0; j < item.children.length; j++) {
            const child = item.children[j]!;
            const code = /^\s*(\d{2,3}|2[AB])\b/u.exec(child.label)?.[1];
            if (!code || child.statedCount === undefined) continue;
            const s = await b.fig(`stated.${tag}.${j}`, `Ateliers annoncés : ${child.label}`, 'reunions', { op: 'stated', document: doc.id, path: [...p, j] });
            let mk = deptFigures.get(code);
            if (!mk) mk = await b.fig(`meetings.${code}`, `Réunions importées : ${territoryName(code)}`, 'reunions', { op: 'meetings', territory: code });
            if (mk) deptFigures.set(code, mk);
            if (s && mk) statedByDept.set(code, { stated: s, diff: await b.fig(`diff.${tag}.${j}`, `Écart réunions : ${territoryName(code)}`, 'ecart', { op: 'difference', minuend: mk, subtrahend: s }) });
          }
          continue;
        }
        if (/contributions\s+par\s+th[ée]matique/iu.test(label)) {
          if (item.statedCount !== undefined) {
            const s = await b.fig(`stated.${tag}`, `Contributions annoncées par « ${doc.fileName} »`, 'contributions', { op: 'stated', document: doc.id, path: p });
            const d = s ? await b.fig(`diff.${tag}`, 'Écart contributions importées − annoncées', 'ecart', { op: 'difference', minuend: totalKey, subtrahend: s }) : undefined;
            if (s && d) notes.push({ type: 'note', level: b.value(d) === 0 ? 'info' : 'warning', content: [`« ${doc.fileName} » annonce `, { figure: s }, ' contributions ; ', { figure: totalKey }, ' contributions sont importées (écart : ', { figure: d }, '). Les chiffres annoncés portent sur le découpage propre à ce document ; ils ne sont pas repris tels quels.'] });
          }
          for (let j = 0; j < item.children.length; j++) {
            const child = item.children[j]!;
            const code = /Th[ée]matique\s+(\d{1,2})/iu.exec(child.label)?.[1];
            if (!code || child.statedCount === undefined || !themes.some((t) => t.code === code)) continue;
            const s = await b.fig(`stated.${tag}.${j}`, `Contributions annoncées : thème ${code}`, 'contributions', { op: 'stated', document: doc.id, path: [...p, j] });
            if (s) statedByTheme.set(code, { stated: s, diff: await b.fig(`diff.${tag}.${j}`, `Écart contributions : thème ${code}`, 'ecart', { op: 'difference', minuend: `theme.${code}.total`, subtrahend: s }) });
          }
          continue;
        }
        if (item.children.length > 0 && p.length < 2) await visit(item.children, p);
      }
    };
    const before = b.figures.length;
    await visit(roots, []);
    // import warnings about totals, unless the stated figures above already show the same differences
    const compared = b.figures.slice(before).some((f) => f.rule.op === 'stated');
    for (const w of doc.warnings) {
      if (!compared && /^(totals|workshops)\./.test(w.code)) notes.push({ type: 'note', level: w.level === 'info' ? 'info' : 'warning', content: [`Signalé à l’import de « ${doc.fileName} » : ${w.message}`] });
    }
  }
  return { notes, statedByDept, statedByTheme };
}

export async function buildSynthesis(store: Store, options: BuildOptions): Promise<SynthesisDocument> {
  const data = await loadSynthesisData(store, options.consultation);
  const c = data.consultation;
  const level = options.level;
  const territory = resolveTerritory(level, c.territory, data.consultationDept, options.territory);
  const id = synthesisId(c.slug, level, territory);
  const editorial = options.editorial ?? await loadEditorial(store, id);
  const scope: ContributionQuery = level === 'departement' ? { territory } : { region: territory };
  const b = new Builder(data, editorial, level, scope, options.quotesPerIdea ?? DEFAULT_QUOTES_PER_IDEA);
  for (const l of data.linked.unknown) {
    b.notices.push(`Lien confirmé vers l’élément ${l.target} introuvable dans le schéma (modifié ou supprimé depuis) : il n’est pas repris sous son idée.`);
  }
  const name = level === 'region' ? REGIONS[territory] ?? territoryName(territory) : DEPARTEMENTS[territory]?.[0] ?? territoryName(territory);
  const themes = c.themes;
  const sections: Section[] = [];

  const totalKey = await b.count('total', `Contributions publiées rattachées au territoire (${name})`, {});
  // the consultation's public contributions wherever they come from (the figure of its public pages), and those
  // this territory's document leaves out (e.g. a form sent from another département): said, never mixed
  const allKey = (await b.fig('consultation.total', 'Contributions publiées de toute la consultation', 'contributions', { op: 'contributions', where: {} }))!;
  const elsewhereKey = (await b.fig('consultation.elsewhere', `Contributions publiées de la consultation venant d’autres territoires que ${name}`, 'contributions',
    { op: 'difference', minuend: allKey, subtrahend: totalKey }))!;
  const outOfScope: Inline[] = b.value(elsewhereKey) === 0 ? [] : [' ; ', { figure: allKey }, ' contribution(s) publiée(s) dans toute la consultation, dont ', { figure: elsewhereKey },
    ' venant d’autres territoires, non comptée(s) dans ce document'];
  const themedKey = await b.count('total.themed', 'Contributions rattachées à au moins un thème', { themed: true });
  for (const t of themes) await b.count(`theme.${t.code}.total`, `${b.themeRef(t.code)} : contributions publiées`, { theme: t.code });

  if (level === 'departement') {
    const meetings = queryMeetings(data, { territory });
    const meetingsKey = (await b.fig('meetings', 'Réunions', 'reunions', { op: 'meetings', territory }))!;
    // the participants the meetings state (the same sum as the public figures'), when any states one
    const participantsKey = await b.fig('participants.total', 'Participants aux réunions (totaux indiqués)', 'participants', { op: 'participants', meetings: meetings.map((m) => m.id), field: 'total' });
    const situation = b.section('contexte.situation', 2, 'La situation du territoire', [
      b.text('contexte.situation', `Texte à rédiger : situation du territoire (${name}) — démographie, offre de soins, dispositifs existants.`),
      ...(await indicatorBlocks(store, level, territory, name)),
    ]);
    const reunions = b.section('contexte.reunions', 2, 'Les réunions de co-construction', [
      { type: 'paragraph', content: [{ figure: meetingsKey }, ' réunion(s) enregistrée(s)', ...(participantsKey ? [' (', { figure: participantsKey }, ' participant(s) selon les totaux indiqués)'] : []), ' ; ',
        { figure: totalKey }, ` contribution(s) publiée(s) rattachée(s) au territoire « ${name} »`, ...outOfScope, '.'] },
      b.text('contexte.reunions', 'Texte à rédiger : organisation et déroulement des réunions, partenaires associés.'),
      ...(await meetingBlocks(b, meetings, 'contexte')),
      ...(await charts(b, themes, meetings, 'contexte', null)),
    ]);
    sections.push(b.section('contexte', 1, 'I – Éléments de contexte', [], [situation, reunions]));
    const themeSections: Section[] = [];
    for (const t of themes) themeSections.push(await themeSection(b, t, level, 2));
    const body: Block[] = [];
    if (b.value(totalKey) !== b.value(themedKey)) {
      const none = await b.count('total.unthemed', 'Contributions sans thème', { themed: false });
      body.push({ type: 'note', level: 'warning', content: [{ figure: none }, ' contribution(s) sans thème ne figure(nt) pas dans les rubriques ci-dessous.'] });
    }
    sections.push(b.section('themes', 1, 'II – Solutions et propositions', body, b.ordered('themes', themeSections)));
    sections.push(b.section('perspectives', 1, 'III – Perspectives', [
      b.text('perspectives', 'Texte à rédiger : suites données (restitution au CTS, priorisation, plans d’action, points de vigilance).')]));
  } else {
    const meetingsKey = (await b.fig('meetings', 'Réunions', 'reunions', { op: 'meetings', region: territory }))!;
    const depts = [...new Set([...data.meetings.map((m) => m.territory), ...data.all.map((x) => data.deptOf(x))].filter((d): d is string => !!d && DEPARTEMENTS[d]?.[1] === territory))].sort();
    const deptFigures = new Map<string, string>();
    for (const d of depts) {
      const k = await b.fig(`meetings.${d}`, `Réunions : ${territoryName(d)}`, 'reunions', { op: 'meetings', territory: d });
      if (k) deptFigures.set(d, k);
    }
    const { notes, statedByDept, statedByTheme } = await statedComparisons(b, store, themes, deptFigures, totalKey, meetingsKey);
    const hasStatedDept = statedByDept.size > 0;
    const deptCodes = [...new Set([...depts, ...statedByDept.keys()])].sort();
    const deptRows: TableRow[] = [];
    const deptContrib: { code: string; figure: string }[] = [];
    for (const d of deptCodes) {
      const mk = deptFigures.get(d) ?? (await b.fig(`meetings.${d}`, `Réunions : ${territoryName(d)}`, 'reunions', { op: 'meetings', territory: d }))!;
      const ck = await b.count(`dept.${d}.contributions`, `Contributions : ${territoryName(d)}`, { territory: d });
      deptContrib.push({ code: d, figure: ck });
      const st = statedByDept.get(d);
      deptRows.push({ header: `${d} – ${territoryName(d)}`, cells: [{ figure: mk }, { figure: ck }, ...(hasStatedDept ? [st ? { figure: st.stated } : { text: '—' }, st?.diff ? { figure: st.diff } : { text: '—' }] : [])] });
    }
    deptRows.push({ header: 'Total', total: true, cells: [{ figure: meetingsKey }, { figure: totalKey }, ...(hasStatedDept ? [{ text: '' }, { text: '' }] : [])] });
    const themeRows: TableRow[] = [];
    const hasStatedTheme = statedByTheme.size > 0;
    for (const t of themes) {
      const k = `theme.${t.code}.total`;
      const share = (await b.fig(`theme.${t.code}.share`, `${b.themeRef(t.code)} : part des contributions`, 'pourcent', { op: 'share', numerator: k, denominator: totalKey }))!;
      const st = statedByTheme.get(t.code);
      themeRows.push({ header: `Thématique ${t.code} : ${t.label}${t.local ? ' (thème local)' : ''}`, cells: [{ figure: k }, { figure: share },
        ...(hasStatedTheme ? [st ? { figure: st.stated } : { text: '—' }, st?.diff ? { figure: st.diff } : { text: '—' }] : [])] });
    }
    if (b.value(totalKey) !== b.value(themedKey)) {
      const none = await b.count('total.unthemed', 'Contributions sans thème', { themed: false });
      const share = (await b.fig('total.unthemed.share', 'Part des contributions sans thème', 'pourcent', { op: 'share', numerator: none, denominator: totalKey }))!;
      themeRows.push({ header: 'Sans thème', cells: [{ figure: none }, { figure: share }, ...(hasStatedTheme ? [{ text: '—' }, { text: '—' }] : [])] });
    }
    themeRows.push({ header: 'Total (contributions distinctes)', total: true, cells: [{ figure: totalKey }, { text: '100 %' }, ...(hasStatedTheme ? [{ text: '' }, { text: '' }] : [])] });
    const intro: Block[] = [
      { type: 'paragraph', content: [{ figure: meetingsKey }, ` réunion(s) dans ${agree(`${deptCodes.length} département(s)`, deptCodes.length)} ; `, { figure: totalKey }, ` contribution(s) publiée(s) rattachée(s) au territoire « ${name} »`, ...outOfScope, '.'] },
      b.text('intro', 'Texte à rédiger : présentation de la démarche et des ateliers.'),
      { type: 'table', key: 'intro.departements', caption: 'Réunions et contributions par département', columns: ['Département', 'Réunions importées', 'Contributions', ...(hasStatedDept ? ['Ateliers annoncés par la source', 'Écart'] : [])], rows: deptRows },
      { type: 'table', key: 'intro.themes', caption: 'Contributions par thème', columns: ['Thème', 'Contributions', 'Part (%)', ...(hasStatedTheme ? ['Annoncées par la source', 'Écart'] : [])], rows: themeRows },
      { type: 'note', level: 'info', content: ['Une contribution peut relever de plusieurs thèmes : la somme des lignes peut dépasser le total.'] },
    ];
    if (notes.length > 0) intro.push({ type: 'paragraph', content: ['Écarts avec les chiffres annoncés par les documents sources (ils sont signalés, non corrigés) :'] }, ...notes);
    intro.push(...(await charts(b, themes, queryMeetings(data, { region: territory }), 'intro', deptContrib)));
    // a region's indicators, when imported (none is no gap to point out in a roll-up)
    const indicators = await indicatorBlocks(store, level, territory, name);
    if (indicators[0]?.type === 'table') intro.push(...indicators);
    sections.push(b.section('intro', 1, 'Introduction', intro));
    const themeSections: Section[] = [];
    for (const t of themes) themeSections.push(await themeSection(b, t, level, 1));
    sections.push(...b.ordered('themes', themeSections));
    sections.push(b.section('perspectives', 1, 'Perspectives', [b.text('perspectives', 'Texte à rédiger : suites données à la consultation.')]));
  }

  // the plan elements that take each idea up (decided links of the idea, or of its own contributions): « Repris dans le schéma : E1D4O6 — … »
  attachObjectives(sections, data.linked, (figure) => b.byKey.get(figure)?.contributions);
  const contributionSources: Record<string, SynthesisDocument['contributionSources'][string]> = {};
  for (const f of b.figures) for (const cid of f.contributions) {
    const src = data.byId.get(cid)?.source;
    if (src && !contributionSources[cid]) contributionSources[cid] = src;
  }
  for (const q of b.quotes) contributionSources[q.contribution] ??= q.source;
  const title = level === 'departement' ? 'Synthèse de restitution' : 'Synthèse régionale';
  return {
    format: SYNTHESIS_FORMAT, version: SYNTHESIS_FORMAT_VERSION, id, consultation: c.slug, consultationTitle: c.title,
    level, territory, territoryName: name, generatedAt: (options.now ?? new Date()).toISOString(),
    title: b.heading('title', title), subtitle: `${c.title} — ${name} (${territory})`,
    sections, figures: b.figures, quotes: b.quotes, contributionSources, editorial, notices: b.notices, basis: synthesisBasis(data, scope),
  };
}

