/** Helpers shared by the renderers: number formats, anchors, descriptions of rules and sources. */
import { KIND_LABELS, type ContributionKind } from '../../domain/contribution.ts';
import { territoryName } from '../../domain/geography.ts';
import { ACTION_STATUS_LABELS } from '../../domain/followup.ts';
import { LINK_KIND_LABELS, type LinkKind } from '../../domain/links.ts';
import { COLLEGE_LABELS, type College } from '../../domain/meeting.ts';
import type { SourceRef } from '../../domain/source.ts';
import { agree, agreeInlines } from '../agree.ts';
import { COVERAGE_FORMAT, FOLLOWUP_FORMAT, walkSections, type FigureRule, type IdeaItem, type Inline, type LinkedObjective, type Section, type SynthesisDocument, type VerifiedFigure, type VerifiedQuote } from '../model.ts';

export function formatValue(f: VerifiedFigure): string {
  if (f.unit === 'pourcent') return `${f.value.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %`;
  if (f.unit === 'ecart') return f.value > 0 ? `+${f.value.toLocaleString('fr-FR')}` : f.value < 0 ? `−${(-f.value).toLocaleString('fr-FR')}` : '0';
  return f.value.toLocaleString('fr-FR');
}

/** « texte repris par N contributions » for a campaign's quote, else undefined. */
export function repeatNote(q: VerifiedQuote): string | undefined {
  const n = q.repeatedBy?.length ?? 0;
  return n >= 2 ? `texte repris par ${n.toLocaleString('fr-FR')} contributions` : undefined;
}

/** What every format prints before the plan elements that take an idea up (issue 14). */
export const LINKED_OBJECTIVES_LEAD = 'Repris dans le schéma';

/**
 * One linked element as printed: « E1D4O6 — Titre », with « (en partie) » when the plan takes it up only partly and
 * « (2 contributions) » when some of the idea's contributions are linked to it rather than the idea.
 */
export function linkedObjectiveParts(o: LinkedObjective): { code: string; rest: string } {
  const notes = [
    ...(o.contributions !== undefined ? [`${o.contributions.toLocaleString('fr-FR')} ${o.contributions > 1 ? 'contributions' : 'contribution'}`] : []),
    ...(o.kind === 'partly' ? ['en partie'] : []),
  ];
  return { code: o.code, rest: ` — ${o.title}${notes.length ? ` (${notes.join(', ')})` : ''}` };
}

/** The whole line, as plain text: « Repris dans le schéma : E1D4O6 — Titre ; E2D1 — Titre (en partie) ». */
export function linkedObjectivesText(list: readonly LinkedObjective[]): string {
  return `${LINKED_OBJECTIVES_LEAD} : ${list.map((o) => { const p = linkedObjectiveParts(o); return `${p.code}${p.rest}`; }).join(' ; ')}`;
}

/** Index of the document: anchors for figures, quotes, sections and the contributions they cite. */
export class DocIndex {
  readonly figures = new Map<string, { f: VerifiedFigure; anchor: string }>();
  readonly quotes = new Map<string, { q: VerifiedQuote; anchor: string }>();
  readonly sections = new Map<Section, string>();
  /** contribution id → anchor, with its source, for the list of contributions */
  readonly contributions = new Map<string, { anchor: string; source: SourceRef | undefined }>();

  constructor(readonly doc: SynthesisDocument) {
    doc.figures.forEach((f, i) => this.figures.set(f.key, { f, anchor: `f${i + 1}` }));
    doc.quotes.forEach((q) => this.quotes.set(q.id, { q, anchor: `cit-${q.id}` }));
    let n = 0;
    for (const s of walkSections(doc.sections)) this.sections.set(s, `sec${++n}`);
    const sources = doc.contributionSources ?? {};
    let c = 0;
    const add = (id: string) => {
      if (!this.contributions.has(id)) this.contributions.set(id, { anchor: `c${++c}`, source: sources[id] });
    };
    for (const q of doc.quotes) add(q.contribution);
    for (const f of doc.figures) for (const id of f.contributions) add(id);
    for (const { source } of this.contributions.values()) if (source?.file) this.files.add(source.file);
  }

  /** the source files of the contributions counted or quoted */
  readonly files = new Set<string>();

  figure(key: string): { f: VerifiedFigure; anchor: string } {
    const x = this.figures.get(key);
    if (!x) throw new Error(`Chiffre inconnu dans la synthèse : ${key}`);
    return x;
  }

  /** Inline content as every format prints it: « (s) » marks agreed with the figure they follow. */
  inlines(xs: readonly Inline[]): Inline[] {
    return agreeInlines(xs, (key) => this.figure(key).f.value);
  }

  quote(id: string): { q: VerifiedQuote; anchor: string } {
    const x = this.quotes.get(id);
    if (!x) throw new Error(`Citation inconnue dans la synthèse : ${id}`);
    return x;
  }
}

export function describeRule(rule: FigureRule, idx: DocIndex): string {
  switch (rule.op) {
    case 'contributions': {
      const w = rule.where;
      const parts: string[] = [];
      if (w.territory) parts.push(`département ${w.territory} – ${territoryName(w.territory)}`);
      if (w.region) parts.push(`région ${territoryName(w.region, 'region')}`);
      // ids stay out of a published text: the figure's label, printed just before, names the theme, idea or meeting
      if (w.theme) parts.push(/^\d+$/.test(w.theme) ? `thème ${w.theme}` : 'ce thème local');
      if (w.themed === true) parts.push('rattachées à au moins un thème');
      if (w.themed === false) parts.push('sans thème');
      if (w.kinds) parts.push(`type ${w.kinds.map((k: ContributionKind) => KIND_LABELS[k] ?? k).join(' ou ')}`);
      if (w.category !== undefined) parts.push(w.category === null ? 'sans rubrique' : `rubrique « ${w.category} »`);
      if (w.categoryPrefix) parts.push(`rubrique « ${w.categoryPrefix} » et ses sous-rubriques`);
      if (w.national) parts.push('marquées « relève du niveau national »');
      if (w.group) parts.push('cette idée commune et ses sous-idées');
      if (w.ungrouped) parts.push('hors de toute idée commune du thème');
      if (w.except && w.except.length > 0) parts.push(`hors des ${w.except.length.toLocaleString('fr-FR')} citées dans la rubrique (ou dont le texte y est cité)`);
      if (w.meeting) parts.push('cette réunion');
      if (w.college !== undefined) parts.push(w.college === null ? 'collège inconnu' : `collège ${COLLEGE_LABELS[w.college as College]}`);
      return `Nombre de contributions publiées${parts.length ? ' : ' + parts.join(', ') : ''}.`;
    }
    case 'meetings':
      return `Nombre de réunions enregistrées${rule.territory ? ` dans le département ${rule.territory} – ${territoryName(rule.territory)}` : ''}${rule.region ? ` dans la région ${territoryName(rule.region, 'region')}` : ''}.`;
    case 'participants':
      return `${rule.field === 'sum' ? 'Somme des collèges communiqués' : rule.field === 'total' ? 'Total de participants indiqué' : `Participants du collège ${COLLEGE_LABELS[rule.field]}`} ; ${agree(`${rule.meetings.length} réunion(s)`, rule.meetings.length)} (les valeurs non communiquées ne sont pas comptées).`;
    case 'share':
      return `Part en pourcentage : ${idx.figures.get(rule.numerator)?.f.label ?? rule.numerator} / ${idx.figures.get(rule.denominator)?.f.label ?? rule.denominator}.`;
    case 'difference':
      return `Écart : ${idx.figures.get(rule.minuend)?.f.label ?? rule.minuend} − ${idx.figures.get(rule.subtrahend)?.f.label ?? rule.subtrahend}.`;
    case 'stated':
      return `Nombre annoncé par le document source ${rule.document.slice(0, 12)}… (synthèse écrite par ses auteurs), repris pour comparaison.`;
    case 'groupStated':
      return `Nombre annoncé par la synthèse d’origine de cette idée commune, repris pour comparaison.`;
    case 'links': {
      const what = rule.source === 'contribution' ? 'Nombre de contributions publiées' : rule.source === 'idea' ? 'Nombre d’idées communes' : 'Nombre de propositions listées par le schéma';
      const parts: string[] = [];
      if (rule.kinds) parts.push(`type ${rule.kinds.map((k: ContributionKind) => KIND_LABELS[k] ?? k).join(' ou ')}`);
      if (rule.own) parts.push('décidées une à une (hors de la décision prise pour leur idée commune)');
      if (rule.theme) parts.push(/^\d+$/.test(rule.theme) ? `thème ${rule.theme}` : 'ce thème local');
      if (rule.target) parts.push(`reliées à l’élément ${rule.target} du schéma${rule.outcome ? ` (${LINK_KIND_LABELS[rule.outcome as LinkKind]?.toLocaleLowerCase('fr-FR') ?? rule.outcome})` : ''}`);
      else if (rule.outcome === 'undecided') parts.push('sans lien décidé');
      else if (rule.outcome) parts.push(`dont le lien décidé le plus favorable est « ${LINK_KIND_LABELS[rule.outcome]} »`);
      return `${what}${parts.length ? ' : ' + parts.join(', ') : ''}, d’après les liens confirmés ou indiqués par le document.`;
    }
    case 'followup':
      return describeFollowupRule(rule);
  }
}

/** A follow-up figure's rule in words (issue 15, docs/format-followup-report.md). */
function describeFollowupRule(rule: Extract<FigureRule, { op: 'followup' }>): string {
  const scope = [
    ...(rule.engagement ? [`engagement ${rule.engagement}`] : []),
    ...(rule.objective ? [`objectif ${rule.objective}`] : []),
    ...(rule.status ? [`statut « ${ACTION_STATUS_LABELS[rule.status]} »`] : []),
  ];
  const s = scope.length ? ` (${scope.join(', ')})` : '';
  const day = rule.asOf ? ` au ${rule.asOf}` : '';
  switch (rule.count) {
    case 'contributions': return 'Contributions publiées de la consultation du schéma.';
    case 'ideas': return 'Idées communes (premier niveau) de l’analyse en cours ayant au moins une contribution publiée, hors du groupe « Autres ».';
    case 'objectives': return 'Objectifs du schéma auxquels un lien décidé (repris ou repris en partie) rattache une contribution publiée ou une idée commune de la consultation.';
    case 'engaged': return 'Actions (premier niveau) de ces objectifs engagées, en cours ou réalisées.';
    case 'done': return 'Actions (premier niveau) de ces objectifs réalisées.';
    case 'actions': return `Actions de suivi (premier niveau)${s}.`;
    case 'late': return `Actions (premier niveau)${s} dont l’échéance est passée${day}, ni réalisées ni abandonnées.`;
    case 'unowned': return `Actions (premier niveau)${s} sans organisation porteuse, hors actions abandonnées.`;
    case 'objectivesWithoutAction': return `Objectifs${s} sans action de suivi (hors actions abandonnées).`;
    case 'progress': return `Avancement moyen, pondéré, des actions${s} (hors actions abandonnées ; une action réalisée compte 100 %).`;
    case 'indicators': return `Indicateurs de suivi du schéma${s}.`;
    case 'indicator': return `Indicateur de suivi : ${FOLLOWUP_FIELD_LABELS[rule.field ?? 'baseline'] ?? rule.field}${rule.field === 'latest' || rule.field === 'percent' || rule.field === 'reached' ? day : ''}.`;
  }
}

const FOLLOWUP_FIELD_LABELS: Record<string, string> = {
  baseline: 'valeur de départ', latest: 'dernière mesure', target: 'valeur cible', targetMin: 'minimum de la cible', targetMax: 'maximum de la cible',
  percent: 'part du chemin parcouru vers la cible (%)', reached: 'unités gagnées vers la cible', needed: 'unités à gagner pour atteindre la cible',
};

export function generatedLine(doc: SynthesisDocument): string {
  const d = new Date(doc.generatedAt);
  const when = Number.isNaN(d.getTime()) ? doc.generatedAt : d.toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
  // French writes the first day of a month « 1er »
  return `Document généré par Fabrique le ${when.replace(/^1 /, '1er ')}. Chaque chiffre et chaque citation renvoie à ses sources ; le document a été vérifié contre les données avant publication.`;
}

/** Where a contribution is in its file, short: « l. 12 », « ligne 40 », « p. 3 » (its id when nothing is known); the sheet apart. */
function place(id: string, s: SourceRef | undefined): string {
  if (s?.lineStart !== undefined) return `l. ${s.lineStart}`;
  if (s?.row !== undefined) return `ligne ${s.row}`;
  if (s?.page !== undefined) return `p. ${s.page}`;
  return id;
}

/** The file (and sheet) a contribution comes from, as the annex and the quotes name it. */
function fileOf(id: string, s: SourceRef | undefined): string {
  const file = s?.file ?? id.split(':')[0] ?? 'source';
  return s?.sheet !== undefined ? `${file}, feuille « ${s.sheet} »` : file;
}

/** A quote's source as printed beside it: its place in the file, and the file when the document cites several. */
export function quoteSource(q: VerifiedQuote, idx: DocIndex): string {
  const where = place(q.contribution, q.source);
  return idx.files.size > 1 && q.source?.file ? `${fileOf(q.contribution, q.source)}, ${where}` : where;
}

/**
 * References of a set of contributions, compact: by file (and sheet), in the order of the file, « l. 12, 15, 40 »,
 * « lignes 3, 8 » (rows), « p. 2, 5 »; the file is named when the document cites several.
 */
export function refsText(ids: readonly string[], idx: DocIndex): string {
  const byFile = new Map<string, { key: number; label: string }[]>();
  for (const id of ids) {
    const src = idx.contributions.get(id)?.source;
    const file = fileOf(id, src);
    const list = byFile.get(file) ?? [];
    list.push({ key: src?.lineStart ?? src?.row ?? src?.page ?? Number.MAX_SAFE_INTEGER, label: place(id, src) });
    byFile.set(file, list);
  }
  const parts: string[] = [];
  for (const [file, items] of [...byFile.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    items.sort((a, b) => a.key - b.key);
    // « l. 12, l. 15 » → « l. 12, 15 »: the unit once, when every item has the same
    const unit = /^(l\.|ligne|p\.) /.exec(items[0]!.label)?.[1];
    const same = unit !== undefined && items.every((i) => i.label.startsWith(`${unit} `));
    const shown = unit === 'ligne' && items.length > 1 ? 'lignes' : unit;
    const text = same ? `${shown} ${items.map((i) => i.label.slice(unit.length + 1)).join(', ')}` : items.map((i) => i.label).join(', ');
    parts.push(idx.files.size > 1 ? `${file} : ${text}` : text);
  }
  return parts.join(' ; ');
}

/** An idea of the annex: its label and count (the figure's anchor), the references of its contributions. */
export interface AnnexIdea {
  label: string;
  figure: VerifiedFigure;
  anchor: string;
  refs: string;
  /** 0 for an idea, 1 for a sub-idea… */
  depth: number;
}

/** The ideas of one block (a kind section of a theme), titled by its section path. */
export interface AnnexIdeaList {
  title: string;
  ideas: AnnexIdea[];
}

/**
 * The compact annex of a document: one line of references per idea (the full list of its contributions), the other
 * figures with their rule, and the source files. Every figure of the document is in exactly one of the two lists.
 */
export interface Annex {
  ideas: AnnexIdeaList[];
  figures: { f: VerifiedFigure; anchor: string }[];
  sources: { file: string; contributions: number }[];
}

export function buildAnnex(doc: SynthesisDocument, idx: DocIndex): Annex {
  const ideas: AnnexIdeaList[] = [];
  const inIdeas = new Set<string>();
  const visit = (sections: Section[], path: string[]) => {
    for (const s of sections) {
      const p = [...path, s.title];
      for (const b of s.blocks) {
        if (b.type !== 'ideas' || b.items.length === 0) continue;
        const list: AnnexIdea[] = [];
        const add = (it: IdeaItem, depth: number) => {
          const { f, anchor } = idx.figure(it.figure);
          if (!inIdeas.has(f.key)) {
            inIdeas.add(f.key);
            // an idea's sub-ideas list their own contributions just below: the idea lists only the others, once
            const inChildren = new Set(it.children.flatMap((c) => idx.figures.get(c.figure)?.f.contributions ?? []));
            const own = f.contributions.filter((id) => !inChildren.has(id));
            const refs = it.children.length === 0 ? refsText(own, idx)
              : own.length === 0 ? 'celles de ses sous-idées ci-dessous' : `celles de ses sous-idées ci-dessous, et ${refsText(own, idx)}`;
            list.push({ label: it.label, figure: f, anchor, refs, depth });
          }
          for (const c of it.children) add(c, depth + 1);
        };
        for (const it of b.items) add(it, 0);
        ideas.push({ title: p.join(' › '), ideas: list });
      }
      visit(s.sections, p);
    }
  };
  visit(doc.sections, []);
  const figures = doc.figures.filter((f) => !inIdeas.has(f.key)).map((f) => ({ f, anchor: idx.figure(f.key).anchor }));
  const count = new Map<string, number>();
  for (const { source } of idx.contributions.values()) if (source?.file) count.set(source.file, (count.get(source.file) ?? 0) + 1);
  const sources = [...count.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([file, contributions]) => ({ file, contributions }));
  return { ideas, figures, sources };
}

/** The annex's heading and what it says, the same in every format. */
export const ANNEX_TITLE = 'Annexe : sources des chiffres et des citations';
/** What the other figures are, said once rather than beside each of them. */
export const ANNEX_FIGURES_INTRO = 'Nombres de contributions publiées ou de réunions du territoire (selon leur libellé) ; « annoncé » : nombre écrit par '
  + 'le document source dans sa propre synthèse, repris pour comparaison ; « écart » : chiffre importé moins chiffre annoncé ; « part » : pourcentage '
  + 'du total des contributions du territoire, à une décimale ; participants : somme des valeurs communiquées par les comptes-rendus.';
export const ANNEX_INTRO = 'Chaque chiffre du document est recalculé à partir des contributions enregistrées ; chaque citation est vérifiée mot pour mot '
  + 'dans sa contribution et dans le document source (sa place dans le fichier est indiquée à côté d’elle). Les idées sont suivies des références '
  + 'de toutes leurs contributions ; les autres chiffres, de la règle qui les calcule. La version JSON de ce document (format fabrique.synthesis) '
  + 'garde, pour chaque chiffre, la liste des contributions comptées ; la commande « fabrique verify » la recalcule.';


/** What the coverage report's annex says instead (its figures count the decided links of a plan). */
const COVERAGE_ANNEX_INTRO = 'Chaque chiffre de ce rapport est recalculé à partir des liens décidés entre la concertation et le schéma (confirmés par une personne '
  + 'ou indiqués par un document) et des contributions publiées ; chaque citation est vérifiée mot pour mot dans sa contribution et dans le document source. '
  + 'La version JSON de ce rapport (format fabrique.coverage) garde, pour chaque chiffre, la liste de ce qu’il compte ; la commande « fabrique verify » la recalcule.';
const COVERAGE_FIGURES_INTRO = 'Nombres de contributions publiées, d’idées communes ou de propositions listées par le schéma, selon leur libellé ; « part » : '
  + 'pourcentage des propositions du thème, à une décimale. Une contribution suit la décision prise pour elle, sinon celle de son idée commune.';

/** What the follow-up report's annex says (its figures read the plan's actions, indicators and decided links). */
const FOLLOWUP_ANNEX_INTRO = 'Chaque chiffre de ce bilan est recalculé à partir des actions de suivi du schéma, de ses indicateurs et de leurs mesures, '
  + 'des liens décidés entre la concertation et le schéma et des contributions publiées. La version JSON de ce bilan (format fabrique.followup) garde, '
  + 'pour chaque chiffre, sa règle et la liste de ce qu’il compte ; la commande « fabrique verify » la recalcule.';
const FOLLOWUP_FIGURES_INTRO = 'Nombres d’actions (premier niveau : les sous-actions comptent dans l’avancement de leur action), d’objectifs, d’idées communes '
  + 'ou de contributions publiées, selon leur libellé ; avancement : moyenne pondérée, en pourcentage ; indicateurs : valeurs de départ, mesurées et cibles.';

export function annexIntro(doc: Pick<SynthesisDocument, 'format'>): string {
  return doc.format === COVERAGE_FORMAT ? COVERAGE_ANNEX_INTRO : doc.format === FOLLOWUP_FORMAT ? FOLLOWUP_ANNEX_INTRO : ANNEX_INTRO;
}

export function annexFiguresIntro(doc: Pick<SynthesisDocument, 'format'>): string {
  return doc.format === COVERAGE_FORMAT ? COVERAGE_FIGURES_INTRO : doc.format === FOLLOWUP_FORMAT ? FOLLOWUP_FIGURES_INTRO : ANNEX_FIGURES_INTRO;
}
