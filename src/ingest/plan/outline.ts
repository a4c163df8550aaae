import type { ImportWarning } from '../../domain/source.ts';
import { joinText, ref, sidebarItems, SIDEBARS, visible, warn, words, type FieldKey, type PlanText } from './common.ts';
import type { CatalogueEntry, ParsedDefi, ParsedEngagement, ParsedObjective, PlanAction } from './types.ts';

/**
 * Structural marks a rendering's scanner finds; the builder below turns them into the outline.
 * Lines not covered by a mark are text of the field currently open.
 */
export type OutlineMark =
  | { type: 'engagement'; number: number | null; title: string; from: number; to: number }
  | { type: 'defi'; number: number; title: string; from: number; to: number }
  /** a défi as listed on its engagement's page (title + page number) */
  | { type: 'toc'; number: number; title: string; from: number; to: number }
  | { type: 'objective'; number: number; title: string; from: number; to: number }
  | { type: 'ref'; code: string; printed: string; from: number; to: number }
  | { type: 'field'; key: FieldKey; from: number; to: number }
  /** a labelled field printed inline (« Objectif régional de rattachement : … ») inside another field, which goes on after it */
  | { type: 'note'; key: 'objectifRegional'; text: string; from: number; to: number }
  /** lines that belong to no element (running footers, page numbers) */
  | { type: 'skip'; from: number; to: number };

export interface OutlineOptions {
  /** 'line': every non-blank line of « En pratique » is an action (Markdown); 'bullet': an action starts at a bullet */
  actions: 'line' | 'bullet';
  bullet?: RegExp;
  /** after a sidebar, long lines either resume the field the sidebar interrupted or are stray actions */
  afterSidebar: 'resume' | 'stray';
}

interface OpenField { key: FieldKey; lines: number[]; bold: boolean }

const SIDEBAR_LINE_MAX = 90;

/** Builds engagements → défis → objectives → actions from the marks, with the anomalies it meets. */
export function buildOutline(t: PlanText, marks: OutlineMark[], from: number, to: number, opts: OutlineOptions) {
  const warnings: ImportWarning[] = [];
  const engagements: ParsedEngagement[] = [];
  const toc: { number: number; title: string; engagement: number; from: number; to: number }[] = [];
  let eng: ParsedEngagement | null = null;
  let defi: ParsedDefi | null = null;
  let obj: ParsedObjective | null = null;
  let seenEnPratique = false;
  let field: OpenField | null = null;
  /** the text field a sidebar interrupted (resumed after it) */
  let interrupted: OpenField | null = null;
  const byLine = new Map<number, OutlineMark>();
  for (const m of marks) byLine.set(m.from, m);
  const bullet = opts.bullet ?? /^\s*[-\uf0b7•]\s*/;

  const closeField = () => {
    if (!field) return;
    commit(field);
    field = null;
  };
  const commit = (f: OpenField) => {
    const lines = f.lines.map((i) => t.lines[i]!);
    const text = joinText(lines) || null;
    if (f.key === 'enPratique') return; // actions are committed line by line
    if (obj) {
      switch (f.key) {
        case 'defiARelever': obj.defiARelever = join(obj.defiARelever, text); break;
        case 'constats': obj.constats = join(obj.constats, text); break;
        case 'objectif': obj.objectif = join(obj.objectif, text); break;
        case 'resultatsAttendus': {
          obj.resultatsAttendus = join(obj.resultatsAttendus, text);
          if (opts.actions === 'bullet') obj.resultatsAttendusItems.push(...bulletItems(f.lines).map((b) => b.text));
          break;
        }
        case 'themes': obj.themes.push(...sidebarItems(lines)); break;
        case 'parcours': obj.parcours.push(...sidebarItems(lines)); break;
        case 'motsCles': obj.motsCles.push(...sidebarItems(lines)); break;
        case 'chiffresCles': obj.chiffresCles = join(obj.chiffresCles, text); break;
        case 'paroleCitoyen': obj.paroleCitoyen = join(obj.paroleCitoyen, text); break;
        case 'objectifRegional': obj.objectifRegional = join(obj.objectifRegional, text); break;
        default: break;
      }
    } else if (defi) {
      switch (f.key) {
        case 'enjeux': defi.enjeux = join(defi.enjeux, text); break;
        case 'themes': defi.themes.push(...sidebarItems(lines)); break;
        case 'parcours': defi.parcours.push(...sidebarItems(lines)); break;
        case 'motsCles': defi.motsCles.push(...sidebarItems(lines)); break;
        case 'objectifRegional': defi.objectifRegional = join(defi.objectifRegional, text); break;
        case 'objectifsOperationnels': defi.listedObjectives.push(...listItems(f.lines)); break;
        default: break;
      }
    }
  };
  /** items of a list field: bullets when the rendering has them, else one per non-blank line */
  const listItems = (idx: number[]): string[] => {
    const b = bulletItems(idx);
    if (b.length > 0) return b.map((x) => x.text);
    return idx.map((i) => visible(t.lines[i]!.replace(bullet, ''))).filter((l) => l !== '');
  };
  const bulletItems = (idx: number[]): { text: string; from: number; to: number }[] => {
    const out: { text: string; from: number; to: number; parts: string[] }[] = [];
    for (const i of idx) {
      const line = t.lines[i]!;
      if (visible(line) === '' || /^\s*\d{1,3}\s*$/.test(line)) continue;
      if (bullet.test(line)) out.push({ text: '', from: i, to: i, parts: [line.replace(bullet, '')] });
      else if (out.length > 0) { const last = out[out.length - 1]!; last.parts.push(line); last.to = i; }
    }
    return out.map((o) => ({ text: joinText(o.parts), from: o.from, to: o.to }));
  };
  const addAction = (text: string, a: number, b: number, placement: PlanAction['placement']) => {
    if (text === '') return;
    const action: PlanAction = { text, placement, source: ref(t, a, b) };
    if (obj) obj.actions.push(action);
    if (placement !== 'heading') {
      warnings.push(warn(placement === 'displaced' ? 'plan.action_displaced' : 'plan.action_orphan',
        placement === 'displaced'
          ? `Action de « En pratique » déplacée après un encadré${obj ? ` (objectif ${obj.code})` : ''} : rattachée à son objectif, à vérifier.`
          : `Ligne d’action hors de toute rubrique${obj ? ` (objectif ${obj.code})` : ''} : rattachée à l’objectif sans rubrique, à vérifier.`,
        action.source));
    }
  };
  const stray = (i: number) => {
    const text = visible(t.lines[i]!.replace(bullet, ''));
    addAction(text, i, i, obj && seenEnPratique ? 'displaced' : 'orphan');
  };

  for (let i = from; i < to; i++) {
    const m = byLine.get(i);
    if (m) {
      const prevField = field as OpenField | null;
      if (m.type !== 'skip' && m.type !== 'ref' && m.type !== 'note') {
        // an En pratique list with bullets ends at the next mark
        if (field?.key === 'enPratique' && opts.actions === 'bullet') {
          for (const b of bulletItems(field.lines)) addAction(b.text, b.from, b.to, 'heading');
        }
        closeField();
      }
      switch (m.type) {
        case 'engagement': {
          const prev: number = (eng as ParsedEngagement | null)?.number ?? 0;
          const number: number = m.number ?? prev + 1;
          eng = { code: `E${number}`, number, title: m.title, defis: [], source: ref(t, m.from, m.to) };
          engagements.push(eng); defi = null; obj = null; interrupted = null;
          break;
        }
        case 'toc': toc.push({ number: m.number, title: m.title, engagement: eng?.number ?? 0, from: m.from, to: m.to }); break;
        case 'defi': {
          if (!eng) break;
          defi = { code: `${eng.code}D${m.number}`, number: m.number, title: m.title, enjeux: null, themes: [], parcours: [], motsCles: [],
            objectifRegional: null, listedObjectives: [], objectives: [], source: ref(t, m.from, m.to) };
          eng.defis.push(defi); obj = null; interrupted = null;
          break;
        }
        case 'objective': {
          if (!defi) break;
          obj = { code: `${defi.code}O${m.number}`, number: m.number, title: m.title, defiARelever: null, themes: [], parcours: [], motsCles: [],
            constats: null, objectif: null, resultatsAttendus: null, resultatsAttendusItems: [], chiffresCles: null, paroleCitoyen: null,
            objectifRegional: null, actions: [], source: ref(t, m.from, m.to) };
          defi.objectives.push(obj); seenEnPratique = false; interrupted = null;
          break;
        }
        case 'ref': {
          const target = /O\d+$/.test(m.code) ? obj : (obj ? null : defi);
          if (m.code !== m.printed) {
            warnings.push(warn('plan.code_misprinted', `Code « ${m.printed} » mal imprimé (un zéro à la place de la lettre O), lu comme ${m.code}.`, ref(t, m.from, m.to)));
          }
          if (target && target.code !== m.code) {
            warnings.push(warn('plan.code_mismatch', `Le code imprimé ${m.code} ne suit pas la numérotation de la page (${target.code}) : le code imprimé est retenu.`, ref(t, m.from, m.to)));
          }
          if (target) target.code = m.code;
          break;
        }
        case 'field': {
          if (!SIDEBARS.has(m.key)) interrupted = null;
          else if (prevField && !SIDEBARS.has(prevField.key) && prevField.key !== 'enPratique') interrupted = { key: prevField.key, lines: [], bold: false };
          field = { key: m.key, lines: [], bold: false };
          if (m.key === 'enPratique') seenEnPratique = true;
          break;
        }
        case 'note': {
          if (obj) obj.objectifRegional = join(obj.objectifRegional, m.text);
          else if (defi) defi.objectifRegional = join(defi.objectifRegional, m.text);
          break;
        }
        case 'skip': break;
      }
      i = m.to;
      continue;
    }
    const line = t.lines[i]!;
    if (!field) {
      if (visible(line) !== '' && obj && opts.afterSidebar === 'stray' && visible(line).length > SIDEBAR_LINE_MAX) stray(i);
      continue;
    }
    const f: OpenField = field;
    if (SIDEBARS.has(f.key) && visible(line) !== '') {
      const v = visible(line);
      const endsSidebar = f.key === 'chiffresCles'
        ? f.bold && !line.includes('**') && !/^source/i.test(v)
        : (f.key === 'themes' || f.key === 'parcours' || f.key === 'motsCles') && v.length > SIDEBAR_LINE_MAX && /[.;:!)]$/.test(v);
      if (line.includes('**')) f.bold = true;
      if (endsSidebar) {
        if (opts.afterSidebar === 'stray') {
          commit(f); field = null; stray(i);
          continue;
        }
        const resumed = interrupted as OpenField | null;
        if (resumed) { commit(f); field = resumed; interrupted = null; resumed.lines.push(i); continue; }
      }
    }
    if (f.key === 'enPratique' && opts.actions === 'line') {
      const text = visible(line.replace(bullet, ''));
      if (text !== '' && !/^\d{1,3}$/.test(text)) addAction(text, i, i, 'heading');
      continue;
    }
    f.lines.push(i);
  }
  const last = field as OpenField | null;
  if (last?.key === 'enPratique' && opts.actions === 'bullet') {
    for (const b of bulletItems(last.lines)) addAction(b.text, b.from, b.to, 'heading');
  }
  closeField();

  // anomalies of titles: « Le défi à relever » against the défi's title, listed titles against page titles
  for (const e of engagements) {
    for (const d of e.defis) {
      for (const o of d.objectives) {
        if (o.defiARelever && !sameWords(o.defiARelever, d.title)) {
          warnings.push(warn('plan.defi_a_relever_differs', `Objectif ${o.code} : « Le défi à relever » ne reprend pas exactement le titre du défi ${d.code}.`, o.source));
        }
      }
      for (const listed of d.listedObjectives) {
        if (!d.objectives.some((o) => sameWords(o.title, listed))) {
          warnings.push(warn('plan.listed_title_differs', `Défi ${d.code} : un objectif listé sous « Les objectifs opérationnels » n’a pas le titre d’une page d’objectif.`, d.source));
        }
      }
      const listedDefi = toc.find((x) => x.engagement === e.number && x.number === d.number);
      if (listedDefi && !sameWords(listedDefi.title, d.title)) {
        warnings.push(warn('plan.listed_title_differs', `Défi ${d.code} : le titre du sommaire de l’engagement diffère du titre de la page.`, ref(t, listedDefi.from, listedDefi.to)));
      }
    }
  }
  return { engagements, warnings, toc };
}

function join(a: string | null, b: string | null): string | null {
  if (!b) return a;
  return a ? `${a} ${b}` : b;
}

export function sameWords(a: string, b: string): boolean {
  return words(a).join(' ') === words(b).join(' ');
}

/** The catalogue entries of an outline: each code with the title this scheme prints. */
export function catalogueOf(engagements: readonly ParsedEngagement[]): CatalogueEntry[] {
  const out: CatalogueEntry[] = [];
  for (const e of engagements) {
    out.push({ code: e.code, kind: 'engagement', title: e.title, source: e.source });
    for (const d of e.defis) {
      out.push({ code: d.code, kind: 'defi', title: d.title, source: d.source });
      for (const o of d.objectives) out.push({ code: o.code, kind: 'objective', title: o.title, source: o.source });
    }
  }
  return out;
}
