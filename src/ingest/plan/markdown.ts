import { fieldOf, fold, visible, type PlanText } from './common.ts';
import type { OutlineMark } from './outline.ts';

/**
 * Scanner of the Markdown-like rendering (Lozère): `# N` or `ENGAGEMENT` open an engagement,
 * `DÉFI #N` a défi (or its entry on the engagement page when a « ..... page » follows), `#N` after
 * « Objectif Opérationnel » an objective, `Réf. E1D4O6` gives the catalogue code.
 */
export function scanMarkdown(t: PlanText, from: number, to: number): OutlineMark[] {
  const marks: OutlineMark[] = [];
  const L = t.lines;
  const nextNonBlank = (i: number): number => { let j = i; while (j < to && visible(L[j]!) === '') j++; return j; };
  for (let i = from; i < to; i++) {
    const raw = L[i]!;
    const v = visible(raw);
    if (v === '') continue;
    // engagement: « # 3 » (then maybe ENGAGEMENT) or a lone ENGAGEMENT line
    const engNum = /^#\s+(\d)\s*$/.exec(raw);
    if (engNum || v === 'ENGAGEMENT') {
      let j = nextNonBlank(i + 1);
      if (engNum && visible(L[j] ?? '') === 'ENGAGEMENT') j = nextNonBlank(j + 1);
      const { text, end } = titleAt(L, j, to);
      marks.push({ type: 'engagement', number: engNum ? Number(engNum[1]) : null, title: text, from: i, to: end });
      i = end;
      continue;
    }
    const defi = /^DÉFI #(\d+)$/.exec(v);
    if (defi) {
      const j = nextNonBlank(i + 1);
      // an entry of the engagement page's list ends with dots and a page number
      let k = j;
      let isToc = false;
      for (let n = 0; n < 4 && k < to; n++, k++) {
        if (L[k]!.includes('.....')) { isToc = true; break; }
        if (visible(L[k]!) === '' && n > 0) break;
      }
      if (isToc) {
        let end = k;
        const after = nextNonBlank(k + 1);
        if (!/\.{3,}\s*\**\s*\d+/.test(L[k]!) && /^\d{1,3}$/.test(visible(L[after] ?? ''))) end = after;
        const title = L.slice(j, k + 1).map(visible).join(' ').replace(/\.{3,}.*$/, '').replace(/\s+/g, ' ').trim();
        marks.push({ type: 'toc', number: Number(defi[1]), title, from: i, to: end });
        i = end;
        continue;
      }
      const { text, end } = titleAt(L, j, to);
      marks.push({ type: 'defi', number: Number(defi[1]), title: text, from: i, to: end });
      i = end;
      continue;
    }
    // objective: « Objectif / Opérationnel / #6…title » or « ## Objectif Opérationnel #4 »
    let objStart = -1;
    let numLine = -1;
    if (v === 'Objectif' && visible(L[nextNonBlank(i + 1)] ?? '') === 'Opérationnel') {
      objStart = i; numLine = nextNonBlank(nextNonBlank(i + 1) + 1);
    } else if (/^Objectif Opérationnel #\d+$/.test(v)) {
      objStart = i; numLine = i;
    } else if (/^\**#\d+/.test(raw)) {
      objStart = i; numLine = i;
    }
    if (objStart >= 0) {
      const num = /#(\d+)\**(.*)$/.exec(L[numLine]!);
      if (num) {
        let rest = visible(num[2]!);
        let end = numLine;
        if (rest !== '') {
          // the title follows on the number's line and may wrap until a blank line
          while (end + 1 < to && visible(L[end + 1]!) !== '') { end++; rest += ' ' + visible(L[end]!); }
        } else {
          const tl = titleAt(L, nextNonBlank(numLine + 1), to);
          rest = tl.text; end = tl.end;
        }
        marks.push({ type: 'objective', number: Number(num[1]), title: rest.replace(/\s+/g, ' ').trim(), from: objStart, to: end });
        i = end;
        continue;
      }
    }
    const refm = /^Réf\.\s*(E\d+D\d)(?:([O0])(\d+))?$/.exec(v);
    if (refm) {
      const code = refm[3] ? `${refm[1]}O${refm[3]}` : refm[1]!;
      marks.push({ type: 'ref', code, printed: v.replace(/^Réf\.\s*/, ''), from: i, to: i });
      continue;
    }
    // footnotes (« <sup>1</sup> … ») belong to no field
    if (/^\s*<sup>/.test(raw)) { marks.push({ type: 'skip', from: i, to: i }); continue; }
    const key = fieldOf(raw);
    if (key) { marks.push({ type: 'field', key, from: i, to: i }); continue; }
  }
  return marks;
}

/** A heading-like title at line j: one `##` line, or a bold block that may wrap over several lines. */
function titleAt(L: readonly string[], j: number, to: number): { text: string; end: number } {
  const first = L[j] ?? '';
  if (/^\s*\*\*/.test(first) && !/\*\*\s*$/.test(first.replace(/^\s*\*\*/, ''))) {
    let end = j;
    const parts = [visible(first)];
    while (end + 1 < to && visible(L[end + 1]!) !== '' && !/\*\*\s*$/.test(L[end]!.replace(/^\s*\*\*/, ''))) { end++; parts.push(visible(L[end]!)); }
    return { text: parts.join(' ').replace(/\s+/g, ' ').trim(), end };
  }
  return { text: visible(first), end: j };
}

/** Title, territory and period from the Markdown rendering's first heading « Schéma territorial de santé LOZÈRE ». */
export function markdownHeader(t: PlanText): { title: string; territory: string; line: number } | null {
  for (let i = 0; i < Math.min(t.lines.length, 200); i++) {
    const m = /^#\s+(Schéma territorial de santé)\s+(\S.*)$/i.exec(t.lines[i]!);
    if (m) return { title: m[1]!, territory: titleCase(m[2]!.trim()), line: i };
  }
  return null;
}

export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, a: string, b: string) => a + b.toUpperCase());
}

export function isPlanStart(line: string): boolean { return /^defis prioritaires et objectifs operationnels$/.test(fold(visible(line))); }
export function isOfferStart(line: string): boolean { return /^evolution de l'offre en regard des besoins$/.test(fold(visible(line))); }
