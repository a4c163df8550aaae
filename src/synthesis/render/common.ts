/** Helpers shared by the renderers: number formats, anchors, descriptions of rules and sources. */
import { KIND_LABELS, type ContributionKind } from '../../domain/contribution.ts';
import { territoryName } from '../../domain/geography.ts';
import { COLLEGE_LABELS, type College } from '../../domain/meeting.ts';
import type { SourceRef } from '../../domain/source.ts';
import { agree, agreeInlines } from '../agree.ts';
import { walkSections, type FigureRule, type Inline, type Section, type SynthesisDocument, type VerifiedFigure, type VerifiedQuote } from '../model.ts';

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
  }

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

export function describeSource(s: SourceRef | undefined): string {
  if (!s) return 'source non précisée';
  const parts = [s.file];
  if (s.page !== undefined) parts.push(`p. ${s.page}`);
  if (s.sheet !== undefined) parts.push(`feuille « ${s.sheet} »`);
  if (s.row !== undefined) parts.push(`ligne ${s.row}`);
  if (s.lineStart !== undefined) parts.push(s.lineEnd !== undefined && s.lineEnd !== s.lineStart ? `l. ${s.lineStart}–${s.lineEnd}` : `l. ${s.lineStart}`);
  if (s.charStart !== undefined && s.charEnd !== undefined) parts.push(`car. ${s.charStart}–${s.charEnd}`);
  return parts.join(', ');
}

/** Short label of a contribution in a list of sources: its line, else its id. */
export function shortRef(id: string, s: SourceRef | undefined): string {
  if (s?.lineStart !== undefined) return `l. ${s.lineStart}`;
  if (s?.row !== undefined) return `ligne ${s.row}`;
  return id;
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
  }
}

/**
 * Contributions of a figure grouped by source file, for the list of sources: `text` is
 * "fichier, l. 12, 15, 40" (line where each contribution starts), or ids when lines are unknown.
 */
export function contributionsByFile(f: VerifiedFigure, idx: DocIndex): { file: string; text: string; items: { id: string; label: string }[] }[] {
  const groups = new Map<string, { id: string; label: string; line: number | undefined }[]>();
  for (const id of f.contributions) {
    const src = idx.contributions.get(id)?.source;
    const file = src?.file ?? id.split(':')[0] ?? 'source';
    const list = groups.get(file) ?? [];
    list.push({ id, label: shortRef(id, src), line: src?.lineStart });
    groups.set(file, list);
  }
  return [...groups.entries()].map(([file, items]) => {
    const allLines = items.every((i) => i.line !== undefined);
    const text = allLines ? `${file}, l. ${items.map((i) => i.line).join(', ')}` : `${file} : ${items.map((i) => i.label).join(', ')}`;
    return { file, text, items: items.map(({ id, label }) => ({ id, label })) };
  });
}

export function generatedLine(doc: SynthesisDocument): string {
  const d = new Date(doc.generatedAt);
  const when = Number.isNaN(d.getTime()) ? doc.generatedAt : d.toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
  // French writes the first day of a month « 1er »
  return `Document généré par Fabrique le ${when.replace(/^1 /, '1er ')}. Chaque chiffre et chaque citation renvoie à ses sources ; le document a été vérifié contre les données avant publication.`;
}
