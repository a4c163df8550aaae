import type { ImportWarning } from '../../domain/source.ts';
import { fold, ref, visible, warn, type PlanText } from './common.ts';
import type { ConsultationItem, MissingFigure, ParsedEngagement, PlanIndicator } from './types.ts';

/**
 * The parts of a scheme around its plan: « data repère » indicators and the figures lost with their
 * charts and maps (reported by title, never invented), and the consultation the scheme quotes (the
 * département's enjeux, the défis identified by the CTS, the CNR proposals).
 */
export function parseAnnexes(t: PlanText, _engagements: readonly ParsedEngagement[], range: { planFrom: number; planTo: number }) {
  const warnings: ImportWarning[] = [];
  const markdown = t.lines.slice(0, 200).some((l) => /^#{1,3} /.test(l));
  // the heading may wrap on two lines in the PDF text
  const consultationStart = t.lines.findIndex((l, i) => /^description des besoins issus des dernieres consultations/.test(fold(`${visible(l)} ${visible(t.lines[i + 1] ?? '')}`)));
  const dataEnd = consultationStart > 0 ? consultationStart : range.planFrom;
  const consultationItems = readConsultation(t, markdown, consultationStart, range.planFrom);
  const missingFigures = markdown ? missingFiguresMarkdown(t, dataEnd) : missingFiguresText(t, dataEnd);
  for (const m of missingFigures) {
    warnings.push(warn('plan.figure_missing', `${m.kind === 'map' ? 'Carte' : m.kind === 'finance' ? 'Graphique financier' : 'Graphique'} « ${m.title} » perdu à l’extraction : ses chiffres manquent (non reconstitués).`, m.source));
  }
  const indicators = readIndicators(t, markdown, dataEnd);
  warnings.push(...contradictions(t, indicators));
  return { indicators, missingFigures, consultationItems, warnings };
}

// ---- consultation items ---------------------------------------------------------------------------

type Section = ConsultationItem['section'];

function sectionOf(line: string): Section | null {
  const f = fold(visible(line)).replace(/\s*:$/, '');
  if (/^les enjeux du departement en bref$/.test(f)) return 'enjeux';
  if (/^les defis identifies par le cts\b/.test(f)) return 'defis_cts';
  if (/^les (priorites issues du cnr|propositions du cnr)\b/.test(f)) return 'cnr';
  return null;
}

function readConsultation(t: PlanText, markdown: boolean, from: number, to: number): ConsultationItem[] {
  if (from < 0) return [];
  const L = t.lines;
  const items: ConsultationItem[] = [];
  if (markdown) {
    let section: Section | null = null;
    let group: string | null = null;
    for (let i = from; i < to; i++) {
      const line = L[i]!;
      const heading = /^(#{1,6})\s/.exec(line);
      if (heading) {
        const s = sectionOf(line);
        if (s) { section = s; group = null; continue; }
        // a sub-theme under the CNR section (« ### La prévention : »), else the section ends
        if (section === 'cnr' && heading[1]!.length >= 3) { group = visible(line).replace(/\s*:$/, ''); continue; }
        section = null;
        continue;
      }
      if (section && /^\s*-\s+\S/.test(line)) items.push({ section, group, text: visible(line.replace(/^\s*-\s+/, '')), source: ref(t, i) });
    }
    return items;
  }
  // PDF text: « → » items; the enjeux and the CTS défis are two columns printed one after the other
  let section: Section | null = null;
  let cur: { text: string[]; from: number; to: number; section: Section } | null = null;
  let seenDefisHeading = false;
  const flush = () => {
    if (cur && cur.text.length > 0) items.push({ section: cur.section, group: null, text: cur.text.join(' ').replace(/\s+/g, ' ').trim(), source: ref(t, cur.from, cur.to) });
    cur = null;
  };
  for (let i = from; i < to; i++) {
    const line = L[i]!;
    const s = sectionOf(line);
    if (s) {
      flush();
      if (s === 'defis_cts') { seenDefisHeading = true; if (section === 'enjeux') continue; }
      section = s;
      continue;
    }
    if (!section) continue;
    // a line of spaces between the two runs of arrows: the first column (enjeux) ends there
    if (line !== '' && line.trim() === '' && section === 'enjeux' && seenDefisHeading && items.some((x) => x.section === 'enjeux')) { flush(); section = 'defis_cts'; continue; }
    const arrow = /^\s*→\s*(.*)$/.exec(line);
    if (arrow) {
      flush();
      if (arrow[1]!.trim() !== '') cur = { text: [arrow[1]!.trim()], from: i, to: i, section };
      continue;
    }
    if (cur && line.trim() !== '') { cur.text.push(line.trim()); cur.to = i; }
  }
  flush();
  return items;
}

// ---- missing figures ------------------------------------------------------------------------------

/** Titles of the template's maps (facilities, accessibility, social-inequality schemes). */
const MAP_CUE = /^(les|l')\s*(etablissements|accessibilite|dispositifs)\b/;

function blankRun(L: readonly string[], i: number): number {
  let n = 0;
  while (i + 1 + n < L.length && L[i + 1 + n]!.trim() === '') n++;
  return n;
}

function missingFiguresMarkdown(t: PlanText, end: number): MissingFigure[] {
  const L = t.lines;
  const out: MissingFigure[] = [];
  let finance = false;
  for (let i = 0; i < end; i++) {
    const line = L[i]!;
    const v = visible(line);
    if (v === '') continue;
    if (/^#{1,6}\s/.test(line) && /moyens financiers/i.test(v)) { finance = true; continue; }
    const heading = /^#{2,6}\s/.test(line);
    const blanks = blankRun(L, i);
    const next = L[i + blanks + 1] ?? '';
    const f = fold(v);
    // a title (heading, or a short line in the finance part) with nothing under it: its chart is lost
    const lost = blanks >= 3 && (heading || (finance && (v.length < 100 || /:$/.test(v))) );
    const legend = heading && MAP_CUE.test(f) && /^\s*-\s/.test(next);
    if (!lost && !legend) continue;
    if (!heading && (!finance || /^\s*-\s/.test(line))) continue;
    const kind: MissingFigure['kind'] = finance ? 'finance' : MAP_CUE.test(f) ? 'map' : 'chart';
    out.push({ kind, title: v, source: ref(t, i) });
  }
  return out;
}

function missingFiguresText(t: PlanText, end: number): MissingFigure[] {
  const L = t.lines;
  const out: MissingFigure[] = [];
  for (let i = 0; i < end; i++) {
    const v = L[i]!.trim();
    if (v === '' || !MAP_CUE.test(fold(v))) continue;
    // the map title may wrap on the next non-blank line (lower-case start)
    let j = i + 1;
    while (j < end && L[j]!.trim() === '') j++;
    const parts = [v];
    let last = i;
    if (j < end && /^[a-zà-ÿ]/.test(L[j]!.trim()) && L[j]!.trim().length < 40) { parts.push(L[j]!.trim()); last = j; }
    const title = parts.join(' ').replace(/\s+/g, ' ');
    if (title.length > 70) continue;
    out.push({ kind: 'map', title, source: ref(t, i, last) });
    i = last;
  }
  return out;
}

// ---- indicators -----------------------------------------------------------------------------------

const FIGURE = /(?:^|[\s(])(\+?\d+(?:[ \u202f]\d{3})*(?:,\d+)?\s?(?:%|ans\b|habitants?\/km(?:²|<sup>2<\/sup>))?)/;

function readIndicators(t: PlanText, markdown: boolean, end: number): PlanIndicator[] {
  const L = t.lines;
  const out: PlanIndicator[] = [];
  const start = L.findIndex((l) => /^data$/i.test(visible(l)) || /^DATA\s*$/.test(l.trim()));
  if (start < 0) return out;
  for (let i = start; i < end; i++) {
    let v = visible(L[i]!.replace(/^\s*-\s+/, ''));
    if (v === '' || v.length > 160) continue;
    // the figure line and, in the PDF text, the comparison « (17% en Occitanie / et 15% en France) » below it
    let last = i;
    if (!markdown) {
      let j = i + 1;
      const more: string[] = [];
      while (j < end && more.length < 6) {
        const w = L[j]!.trim();
        if (w === '') { j++; continue; }
        const sofar = [v, ...more].join(' ');
        const open = (sofar.match(/\(/g) ?? []).length > (sofar.match(/\)/g) ?? []).length;
        const prep = /\b(de|à|des|du|les|la|le|sur|en|et)$/i.test(sofar);
        if (open || prep || /^[a-zà-ÿ(]/.test(w) || /^(et|comme)\b/.test(w)) { more.push(w); last = j; j++; continue; }
        break;
      }
      if (more.length > 0) v = `${v} ${more.join(' ')}`;
    }
    const bold = markdown && /\*\*[^*]*\d[^*]*\*\*/.test(L[i]!);
    // PDF text: a short label line whose next line carries the rate (« Un taux de pauvreté / qui concerne 15% »)
    const labelled = !markdown && /^[A-ZÀ-Ö]/.test(visible(L[i]!)) && !/\d/.test(visible(L[i]!)) && visible(L[i]!).length < 40 && /^\S+ \S+.*\d+(?:,\d+)?\s?%/.test(v.slice(visible(L[i]!).length + 1));
    const leading = /^\+?\d/.test(v) || labelled;
    const population = /^Avec (\d{1,3}(?:[ \u202f]\d{3})+) habitants/.exec(v);
    if (!bold && !leading && !population) continue;
    const fig = population ? [population[0], `${population[1]} habitants`] : FIGURE.exec(v);
    if (!fig) continue;
    const occ = /(\d+(?:,\d+)?\s?%?)\s*(?:en moyenne\s+)?en Occitanie/.exec(v) ?? /Occitanie\s*:\s*(\d+(?:,\d+)?\s?\S*)/.exec(v);
    const fr = /(\d+(?:,\d+)?\s?%?)\s*en France/.exec(v);
    const sameAsFrance = /comme en France/.test(v);
    out.push({
      label: v.replace(/\s*\([^)]*\)\s*/g, ' ').replace(/<\/?sup>/g, '').replace(/\s+/g, ' ').trim(),
      value: fig[1]!.replace(/<\/?sup>/g, '').trim(),
      occitanie: occ ? occ[1]!.trim() : null,
      france: fr ? fr[1]!.trim() : sameAsFrance && occ ? occ[1]!.trim() : null,
      year: null,
      source: ref(t, i, last),
    });
    i = last;
  }
  return out;
}

/** The same indicator printed twice with different values (e.g. a rate in the data repère and in a key-figure box). */
function contradictions(t: PlanText, indicators: readonly PlanIndicator[]): ImportWarning[] {
  const out: ImportWarning[] = [];
  const text = t.lines.join('\n');
  const gp = indicators.find((x) => /m[ée]decins g[ée]n[ée]ralistes/.test(x.label) && /60 ans/.test(x.label));
  if (gp) {
    // « N% des médecins généralistes ont plus de 60 ans » elsewhere in the scheme
    const re = /\**(\d+)\s?%\**\s+des m[ée]decins g[ée]n[ée]ralistes[^\n]{0,40}60 ans/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (`${m[1]}%` !== gp.value.replace(/\s/g, '')) {
        const line = text.slice(0, m.index).split('\n').length - 1;
        out.push(warn('plan.figure_contradiction', `Deux valeurs pour la part des médecins généralistes de 60 ans et plus : ${gp.value} (data repère) et ${m[1]}% (ligne ${line + 1}).`, ref(t, line)));
      }
    }
  }
  return out;
}
