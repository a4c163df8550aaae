import type { ImportWarning } from '../../domain/source.ts';
import { fold, ref, visible, warn, type PlanText } from './common.ts';
import type { OqosCell, OqosRow, OqosValue } from './types.ts';

/**
 * OQOS tables (« Évolution de l’offre en regard des besoins »). Two layouts: tab-separated rows
 * (Markdown rendering) and the PDF text, where a row is a label wrapped over lines whose last line
 * ends with its values. Cells are read as printed: integer, range « a/b », « - » (not applicable),
 * blank (missing, reported); the raw text is kept.
 */
export function parseOqos(t: PlanText, from: number): { rows: OqosRow[]; warnings: ImportWarning[] } {
  if (from < 0) return { rows: [], warnings: [] };
  const tabbed = t.lines.slice(from).some((l) => /^Zones? d.implantation\t/.test(l));
  return tabbed ? readTabbed(t, from) : readText(t, from);
}

const TRAILING_VALUE = /(?:^|\s)(\d+\s?\/\s?\d+|\d+\*?|-)\s*$/;

export function cellValue(raw: string): OqosValue {
  const s = raw.trim();
  if (s === '') return { kind: 'missing', raw };
  if (s === '-') return { kind: 'not_applicable', raw };
  const range = /^(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (range) return { kind: 'range', min: Number(range[1]), max: Number(range[2]), raw };
  return { kind: 'integer', value: Number(s.replace(/\*$/, '')), raw };
}

interface Activity { name: string; closed: boolean; from: number }

/** Value columns of a header: what each value cell measures. */
function valueColumns(header: string): string[] {
  const h = fold(header);
  const cols: string[] = [];
  if (/implantations/.test(h) && /appareils/.test(h)) { cols.push('existant:implantations', 'existant:appareils'); }
  else if (/existant|bilan/.test(h)) cols.push('existant');
  if (/cibles?\b/.test(h)) cols.push('cible');
  return cols;
}

class Collector {
  rows: OqosRow[] = [];
  warnings: ImportWarning[] = [];
  activity: Activity | null = null;
  activities = 0;
  title = '';
  tableIndex = 0;
  constructor(readonly t: PlanText) {}

  startActivity(name: string, line: number) {
    this.activity = { name, closed: false, from: line };
    this.activities++;
  }
  /** a table found after its activity's closing sections belongs to an activity whose heading is not printed */
  ensureActivity(line: number) {
    if (this.activity && !this.activity.closed) return;
    // the activity may be named at the end of a table title, this one or the next
    const near = [this.title, ...this.t.lines.slice(line, line + 20)].map((l) => visible(l)).join(' ');
    const guess = /d.activit[ée] de ([\p{L}-]+)\b/iu.exec(near);
    const name = guess ? `Activité de soins ${guess[1]!.charAt(0).toUpperCase()}${guess[1]!.slice(1)}` : '';
    this.startActivity(name, line);
    this.warnings.push(warn('oqos.activity_heading_missing', guess
      ? `Tableau OQOS sans titre d’activité imprimé : activité déduite du titre du tableau (« ${name} »).`
      : 'Tableau OQOS sans titre d’activité imprimé : activité laissée vide.', ref(this.t, line)));
  }
  add(row: Omit<OqosRow, 'activity' | 'activityIndex' | 'table' | 'tableIndex'>) {
    this.rows.push({ activity: this.activity?.name ?? '', activityIndex: this.activities, table: this.title, tableIndex: this.tableIndex, ...row });
    for (const c of row.cells) {
      if (c.value.kind === 'missing') {
        this.warnings.push(warn('oqos.cell_missing', `Case vide dans un tableau OQOS (${this.activity?.name || 'activité sans titre'}, « ${[row.modalite, row.mention].filter(Boolean).join(' / ')} », ${c.column}) : chiffre manquant, non remplacé.`, row.source));
      }
    }
  }
  /** mention codes « A1 … A7 » where one is printed « A » without its digit */
  checkMentionCodes(first: number) {
    const table = this.rows.slice(first);
    const codes = table.map((r) => /^([A-Z])(\d?)\*?\s*[-–]/.exec(r.mention ?? '')).filter((m): m is RegExpExecArray => m !== null);
    for (const m of codes) {
      if (m[2] === '' && codes.some((o) => o[1] === m[1] && o[2] !== '')) {
        const row = table.find((r) => r.mention?.startsWith(m[0]))!;
        this.warnings.push(warn('oqos.mention_code_incomplete', `Mention « ${m[1]} » sans son chiffre alors que les autres mentions ${m[1]} en ont un (${this.activity?.name ?? ''}).`, row.source));
      }
    }
  }
}

function makeCells(values: string[], columns: string[], regimes: string[] | null): OqosCell[] {
  return values.map((raw, i) => ({
    column: regimes ? `${columns[0] ?? 'existant'}:${regimes[i] ?? i + 1}` : (columns[i] ?? `colonne ${i + 1}`),
    regime: regimes?.[i] ?? null,
    value: cellValue(raw),
  }));
}

function pick(cells: OqosCell[], kind: 'existant' | 'cible'): OqosValue | null {
  const hits = cells.filter((c) => c.column === kind);
  return hits.length === 1 ? hits[0]!.value : null;
}

function splitMention(labels: string[], hasMention: boolean): { modalite: string | null; mention: string | null; na: boolean } {
  const na = labels.some((l) => /^NA\.?$/.test(l));
  const ls = labels.filter((l) => !/^NA\.?$/.test(l));
  if (!hasMention) return { modalite: ls.join(' ') || null, mention: null, na };
  if (ls.length >= 2) return { modalite: ls.slice(0, -1).join(' '), mention: ls[ls.length - 1]!, na };
  // « Modalité 3 … | NA. »: the label is the modality, there is no mention
  if (na || /^Modalité \d+/.test(ls[0] ?? '')) return { modalite: ls[0] ?? null, mention: null, na };
  return { modalite: null, mention: ls[0] ?? null, na };
}

/** Activity heading of a line, if it is one. */
function activityName(raw: string, next: string | undefined): string | null {
  const parts = raw.split('****');
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    let v = visible(part);
    // « **Activité … » wrapping on the next line (only when nothing follows on this one)
    if (k === parts.length - 1 && /^\*\*Activit/.test(part.trim()) && !/\*\*\s*$/.test(part.trim().slice(2)) && next !== undefined) {
      v = `${v} ${visible(next.split('****')[0]!)}`;
    }
    const stripped = v.replace(/^(?:[A-ZÉÈ]{2,}[A-ZÉÈ,]*\s+)+/, '').trim();
    if (/^Activit[ée] (?!.*\bquantitatifs?\b)/.test(stripped) && stripped.length < 90) return stripped.replace(/\s+/g, ' ');
    if (stripped === 'Equipements matériels lourds' && v === stripped) return stripped;
    // « ACTIVITÉS ET FILIÈRES SPÉCIALISÉES Médecine Nucléaire »: a category then a name
    if (v !== stripped && /^ACTIVIT/.test(v) && /\p{Ll}/u.test(stripped)) return stripped;
  }
  return null;
}

const CLOSING = /^(Recours et expertises|Transformations\s+[–-])/;
const TITLE = /^(Bilan|Objectifs quantitatifs de l)/;

function readTabbed(t: PlanText, from: number) {
  const c = new Collector(t);
  const L = t.lines;
  let i = from;
  while (i < L.length) {
    const raw = L[i]!;
    const name = activityName(raw, L[i + 1]);
    if (name) c.startActivity(name, i);
    for (const part of raw.split('****')) {
      const pv = visible(part);
      if (TITLE.test(pv)) {
        // a title may wrap on the next line
        c.title = pv + (/\s{2}$/.test(part) && L[i + 1] && !L[i + 1]!.includes('\t') ? ' ' + visible(L[i + 1]!) : '');
      }
      if (CLOSING.test(pv) && c.activity) c.activity.closed = true;
    }
    if (/^Zones? d.implantation\t/.test(raw)) {
      c.ensureActivity(i);
      c.tableIndex++;
      const first = c.rows.length;
      const header = raw.split('\t');
      let columns = valueColumns(raw);
      const hasMention = /mention/i.test(raw) && !/modalit[ée]s\s*\/\s*mentions/i.test(raw) && /modalit/i.test(raw);
      const labelCols = header.findIndex((h) => /existant|bilan|cible/i.test(h));
      let regimes: string[] | null = null;
      let zone: string | null = null;
      let modalite: string | null = null;
      let group: string | null = null;
      i++;
      for (; i < L.length && L[i]!.includes('\t'); i++) {
        const cells = L[i]!.split('\t');
        const plain = cells.map((x) => visible(x.replace(/<\/?b>/g, '')));
        // sub-header « HC HTP » or « Implantations Appareils »
        const tail = plain.slice(2).filter((x) => x !== '');
        if (tail.length >= 2 && tail.every((x) => /^(HC|HTP|Implantations|Appareils)$/.test(x))) {
          if (tail[0] === 'HC') { regimes = tail; columns = ['existant']; }
          else columns = ['existant:implantations', 'existant:appareils'];
          if (plain[1] !== '') group = plain[1]!.replace(/\s*:$/, '');
          continue;
        }
        if (/^\d{2}$/.test(plain[0]!)) zone = plain[0]!;
        const nValues = regimes ? regimes.length : columns.length;
        // cells beyond the header's width are dropped only when empty (trailing tabs)
        let lastHeader = header.length;
        while (lastHeader > 0 && header[lastHeader - 1]!.trim() === '') lastHeader--;
        let width = Math.max(lastHeader, labelCols + nValues);
        while (plain.length > width && plain[plain.length - 1] === '') plain.pop();
        width = plain.length;
        const values = plain.slice(width - nValues);
        const labels = plain.slice(1, width - nValues).filter((x) => x !== '');
        const bold = /<b>/.test(L[i]!);
        if (bold && values.every((x) => x === '' || /^(HC|HTP)$/.test(x))) { group = labels.join(' ').replace(/\s*:$/, ''); continue; }
        const split = splitMention(labels, hasMention);
        if (split.modalite) modalite = split.modalite;
        const cellsOut = makeCells(values.map((x, k) => cells[width - nValues + k] !== undefined ? x : ''), columns, regimes);
        c.add({
          regime: regimes && regimes.length === 1 ? regimes[0]! : null, zone,
          modalite: hasMention ? modalite : split.modalite, mention: hasMention ? split.mention : null,
          group, mentionNA: split.na,
          existing: pick(cellsOut, 'existant'), target: pick(cellsOut, 'cible'), cells: cellsOut,
          starred: plain.some((x) => /\*/.test(x)), raw: L[i]!, source: ref(t, i),
        });
      }
      c.checkMentionCodes(first);
      if (zone === null) c.warnings.push(warn('oqos.zone_missing', `Tableau OQOS sans ligne de zone (${c.activity?.name ?? ''}).`, ref(t, i - 1)));
      continue;
    }
    i++;
  }
  return { rows: c.rows, warnings: c.warnings, activities: c.activities, tables: c.tableIndex };
}

const HEADER_WORDS = /^(?:Zones?|d[’']implantation|Modalit[ée]s?\s*\/\s*mentions|Modalit[ée]s?|Mentions?|Existant(?: au (?:01\/06\/2023|1(?:er|ier)(?: juin 2023)?))?|juin 2023|Bilan au 01\/06\/2023|Cibles?|Implantations|Appareils|Equipements matériels lourds)$/;

function isHeaderLine(line: string): boolean {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return false;
  // every word belongs to a header phrase: longest phrase first at each position
  let k = 0;
  while (k < words.length) {
    let found = 0;
    for (let n = Math.min(words.length - k, 6); n >= 1; n--) {
      if (HEADER_WORDS.test(words.slice(k, k + n).join(' '))) { found = n; break; }
    }
    if (found === 0) return false;
    k += found;
  }
  return true;
}

interface Unit { lines: number[]; label: string; values: string[] }

function readText(t: PlanText, from: number) {
  const c = new Collector(t);
  const L = t.lines;
  let i = from;
  while (i < L.length) {
    const s = L[i]!.trim();
    const act = /^Activité de soins\s*:?\s*(.+)$/.exec(s);
    if (act) c.startActivity(`Activité de soins ${act[1]!.trim()}`, i);
    else if (s === 'Equipements matériels lourds') c.startActivity(s, i);
    if (TITLE.test(s)) c.title = s + (L[i + 1]?.trim() ? ' ' + L[i + 1]!.trim() : '');
    if (CLOSING.test(s) && c.activity) c.activity.closed = true;
    if (!/^Zones?(\s|$)/.test(s) || !isHeaderLine(L[i]!)) { i++; continue; }
    c.ensureActivity(i);
    c.tableIndex++;
    const first = c.rows.length;
    // header: header lines (blank lines between them)
    let header = '';
    while (i < L.length && (L[i]!.trim() === '' || isHeaderLine(L[i]!))) { header += ' ' + L[i]!.trim(); i++; }
    let columns = valueColumns(header);
    const hasMention = /\bmentions?\b/i.test(header) && !/modalit[ée]s\s*\/\s*mentions/i.test(header) && /modalit/i.test(header);
    let regimes: string[] | null = null;
    let zone: string | null = null;
    // the table body: rows until a closing section, a title, another header or prose
    const units: Unit[] = [];
    let cur: Unit | null = null;
    for (; i < L.length; i++) {
      const line = L[i]!;
      const v = line.trim();
      if (v === '') continue;
      if (CLOSING.test(v) || TITLE.test(v) || /^Zones?(\s|$)/.test(v) || /^\*/.test(v) || v.length > 95 || v === 'Objectifs' || /^Activité de soins/.test(v)) break;
      let rest = v;
      const z = /^(\d{2})(?:\s+(.*))?$/.exec(v);
      if (z && zone === null && units.length === 0 && cur === null) { zone = z[1]!; rest = z[2] ?? ''; if (rest === '') continue; }
      const sub = /^(.*?)\s*\bHC\s+HTP$/.exec(rest);
      if (sub) {
        regimes = ['HC', 'HTP']; columns = ['existant'];
        if (cur) units.push(cur);
        units.push({ lines: [i], label: sub[1]!.replace(/\s*:$/, ''), values: ['§group'] });
        cur = null;
        continue;
      }
      const values: string[] = [];
      let m: RegExpExecArray | null;
      let j = i + 1;
      while (j < L.length && L[j]!.trim() === '') j++;
      // values end a row's last line: a line followed by a lower-case continuation has none (« de moins de 18 / ans »)
      const wraps = /^[a-zà-ÿ(]/.test(L[j]?.trim() ?? '');
      if (!/^Modalité \d+$/.test(rest)) {
        const before = rest;
        while ((m = TRAILING_VALUE.exec(rest)) !== null) { values.unshift(m[1]!); rest = rest.slice(0, m.index).trimEnd(); }
        if (wraps && rest !== '') { values.length = 0; rest = before; }
      }
      const continues = cur !== null && cur.values.length === 0 && (rest === '' || !/^[A-ZÀ-ÖØ-Þ]/.test(rest));
      if (continues) {
        cur!.lines.push(i);
        if (rest) cur!.label += ' ' + rest;
        cur!.values = values;
      } else {
        if (cur) units.push(cur);
        cur = { lines: [i], label: rest, values };
      }
      if (cur!.values.length > 0) { units.push(cur!); cur = null; }
    }
    if (cur) units.push(cur);
    // units without values: a parent (group or modality) when a valued unit follows, else a blank row
    let parent: string | null = null;
    let modalite: string | null = null;
    const nValues = () => (regimes ? regimes.length : columns.length);
    for (let k = 0; k < units.length; k++) {
      const u = units[k]!;
      if (u.values[0] === '§group') { parent = u.label; continue; }
      if (/^Modalité \d+$/.test(u.label)) {
        // « Modalité N » + its name printed in the next units, up to the first coded mention
        while (k + 1 < units.length && !/^[A-Z]\d?\*?\s*[-–]/.test(units[k + 1]!.label) && u.values.length === 0) {
          const n = units[++k]!;
          u.label += ' ' + n.label; u.lines.push(...n.lines); u.values = n.values;
        }
        if (u.values.length === 0) { modalite = u.label; parent = null; continue; }
      }
      if (u.values.length === 0) {
        const next = units[k + 1];
        if (next && next.values.length > 0 && next.values[0] !== '§group') {
          if (hasMention) modalite = u.label; else parent = u.label;
          continue;
        }
      }
      const n = nValues();
      const vals = [...u.values];
      while (vals.length < n) vals.push('');
      const cells = makeCells(vals, columns, regimes);
      const isMention = hasMention && !/^Modalité \d+/.test(u.label);
      if (hasMention && !isMention) modalite = u.label;
      c.add({
        regime: null, zone,
        modalite: isMention ? modalite : u.label, mention: isMention ? u.label : null,
        group: parent, mentionNA: false,
        existing: pick(cells, 'existant'), target: pick(cells, 'cible'), cells,
        starred: /\*/.test(u.label) || vals.some((x) => /\*/.test(x)),
        raw: u.lines.map((x) => L[x]!.trim()).join(' '), source: ref(t, Math.min(...u.lines), Math.max(...u.lines)),
      });
    }
    c.checkMentionCodes(first);
    if (zone === null) c.warnings.push(warn('oqos.zone_missing', `Tableau OQOS sans ligne de zone (${c.activity?.name ?? ''}) : la zone reste vide.`, ref(t, i - 1)));
  }
  return { rows: c.rows, warnings: c.warnings, activities: c.activities, tables: c.tableIndex };
}

