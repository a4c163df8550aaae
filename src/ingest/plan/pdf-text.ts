import { fieldOf, type PlanText } from './common.ts';
import { titleCase } from './markdown.ts';
import type { OutlineMark } from './outline.ts';

const BULLET = /^\s*[\uf0b7→]/;
/** an engagement's title is printed in short lines (the page's narrow title column) */
const TITLE_LINE_MAX = 32;

/**
 * Scanner of the plain-text rendering of the PDF (Lot): the engagement page prints its title in
 * short lines, then its défis as « DÉFI #N » + title + dots + page; a défi page starts with
 * « DÉFI #N  title » on one line; an objective with « Objectif / Opérationnel / #N » then its title.
 * No engagement number and no « Réf. » code are printed: engagements are numbered in order.
 */
export function scanPdfText(t: PlanText): { marks: OutlineMark[]; from: number; to: number } {
  const L = t.lines;
  const marks: OutlineMark[] = [];
  const tocAt = (i: number) => /^DÉFI #\d+$/.test(L[i]!.trim());
  let from = -1;
  let to = -1;
  for (let i = 0; i < L.length; i++) {
    if (from >= 0 && L[i]!.trim() === 'ÉVOLUTION') { to = i; break; }
    const line = L[i]!;
    const v = line.trim();
    if (tocAt(i)) {
      // first entry of an engagement page: its title is just above
      let prevEntry = false;
      let j = i - 1;
      while (j >= 0 && L[j]!.trim() === '') j--;
      if (j >= 0 && /\.{4,}\s*\d+\s*$/.test(L[j]!)) prevEntry = true;
      if (!prevEntry) {
        const title: number[] = [];
        for (let k = j; k >= 0; k--) {
          const s = L[k]!.trim();
          if (s === '') continue;
          // a title line is short, no bullet, no page number, no sentence end
          if (s.length > TITLE_LINE_MAX || BULLET.test(L[k]!) || /^\d{1,3}$/.test(s) || /[.;:)]$/.test(s)) break;
          title.unshift(k);
        }
        if (title.length > 0) {
          const a = title[0]!;
          const b = title[title.length - 1]!;
          marks.push({ type: 'engagement', number: null, title: title.map((k) => L[k]!.trim()).join(' ').replace(/\s+/g, ' '), from: a, to: b });
          if (from < 0) from = a;
        }
      }
      let end = i + 1;
      while (end < L.length && !/\.{4,}/.test(L[end]!)) end++;
      const title = L.slice(i + 1, end + 1).map((l) => l.trim()).join(' ').replace(/\.{4,}.*$/, '').replace(/\s+/g, ' ').trim();
      marks.push({ type: 'toc', number: Number(/#(\d+)/.exec(v)![1]), title, from: i, to: end });
      i = end;
      continue;
    }
    if (from < 0) continue;
    const page = /^\s*DÉFI #(\d+)\s+(\S.*)$/.exec(line);
    if (page) {
      let end = i;
      const parts = [page[2]!.trim()];
      while (end + 1 < L.length && L[end + 1]!.trim() !== '') { end++; parts.push(L[end]!.trim()); }
      marks.push({ type: 'defi', number: Number(page[1]), title: parts.join(' ').replace(/\s+/g, ' ').trim(), from: i, to: end });
      i = end;
      continue;
    }
    if (v === 'Objectif' && L[i + 1]?.trim() === 'Opérationnel') {
      const num = /^#(\d+)$/.exec(L[i + 2]?.trim() ?? '');
      if (num) {
        let a = i + 3;
        while (a < L.length && L[a]!.trim() === '') a++;
        let end = a;
        while (end + 1 < L.length && L[end + 1]!.trim() !== '') end++;
        const title = L.slice(a, end + 1).map((l) => l.trim()).join(' ').replace(/\s+/g, ' ').trim();
        marks.push({ type: 'objective', number: Number(num[1]), title, from: i, to: end });
        i = end;
        continue;
      }
    }
    const regional = /^Objectif régional de rattachement\s*:\s*(.*)$/.exec(v);
    if (regional) {
      let end = i;
      while (end + 1 < L.length && !BULLET.test(L[end + 1]!) && !/^Objectif$/.test(L[end + 1]!.trim())) end++;
      while (end > i && L[end]!.trim() === '') end--;
      const text = [regional[1]!, ...L.slice(i + 1, end + 1)].map((l) => l.trim()).filter((l) => l !== '').join(' ').replace(/\s+/g, ' ');
      marks.push({ type: 'note', key: 'objectifRegional', text, from: i, to: end });
      i = end;
      continue;
    }
    const key = fieldOf(line);
    if (key) { marks.push({ type: 'field', key, from: i, to: i }); continue; }
  }
  return { marks, from, to };
}

/** Title and territory of the plain-text rendering: « L’essentiel sur la santé dans le LOT ». */
export function pdfTextHeader(t: PlanText): { title: string; territory: string; line: number } | null {
  for (let i = 0; i < Math.min(t.lines.length, 400); i++) {
    const m = /^dans (?:le |la |l’|l')([A-ZÉÈ][A-ZÉÈ' -]+?)\s*$/.exec(t.lines[i]!.trim());
    if (m) return { title: 'Schéma territorial de santé', territory: titleCase(m[1]!), line: i };
  }
  return null;
}

