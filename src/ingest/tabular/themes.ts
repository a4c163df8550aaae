/**
 * The theme column of a table, judged as a whole before any row is filed: a column of numbers from another
 * platform's scheme ("2" to "5") must not land on the consultation's themes "2" to "4" because the digits
 * happen to coincide. Values mapped explicitly (`--themes "2=1,3=4"`) always win.
 */
import type { Theme } from '../../domain/theme.ts';
import { ImportError } from '../types.ts';
import { normalizeKey } from './normalize.ts';
import { matchTheme, splitThemeList } from './values.ts';

export interface ThemeCell { codes: string[]; unmatched: string[]; foreign: string[] }

export interface ThemeColumn {
  /** theme cell as written → what it is filed under */
  resolve(value: string): ThemeCell;
  /** set when the column's numeric codes belong to another scheme: the codes, with their row counts */
  foreign: Map<string, number>;
  /** mapped values (normalised) that the column never holds */
  unusedMappings: string[];
  /** values filed by a label prefix or keywords (not a code or label as such): value → theme code and rows, for the report */
  guessed: Map<string, { code: string; count: number }>;
}

/** A theme whose code or label is the value, accents, case and punctuation ignored. */
function exactTheme(key: string, themes: readonly Theme[]): string | undefined {
  return (themes.find((t) => normalizeKey(t.code) === key) ?? themes.find((t) => normalizeKey(t.label) === key))?.code;
}

/** A bare code: "5", "Thème 5", "Axe 12" (no label). */
const CODE_ONLY = /^(?:(?:thematique|theme|th|axe|t)\s*)?(\d{1,3})$/;

/**
 * Parses `--themes "2=1,3=4"` (source value → theme code or label of the consultation). A value may hold commas
 * (« Impôts, dépenses, action publique=1 »): a piece without « = » belongs to the value that follows.
 */
export function parseThemeMapOption(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const out: Record<string, string> = {};
  let pending = '';
  for (const piece of value.split(',')) {
    const part = pending ? `${pending},${piece}` : piece;
    const eq = part.indexOf('=');
    if (eq < 0) { pending = part; continue; }
    pending = '';
    if (part.slice(0, eq).trim() === '') {
      throw new ImportError(`Option --themes : « ${part.trim()} » n’est pas de la forme valeur=thème (par exemple --themes "2=1,3=4").`, 'import.themes_syntax');
    }
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (pending) {
    throw new ImportError(`Option --themes : « ${pending.trim()} » n’est pas de la forme valeur=thème (par exemple --themes "2=1,3=4").`, 'import.themes_syntax');
  }
  return out;
}

/** Resolves the mapping's targets against the consultation's themes: by code, then by label (accents and case ignored). */
function resolveMapping(map: Record<string, string>, themes: readonly Theme[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [from, to] of Object.entries(map)) {
    const key = normalizeKey(from);
    const target = normalizeKey(to);
    if (!key) throw new ImportError(`Option --themes : valeur source vide dans « ${from}=${to} ».`, 'import.themes_syntax');
    // an empty target, or "-", files the value under no theme on purpose
    if (target === '') { out.set(key, null); continue; }
    const theme = themes.find((t) => normalizeKey(t.code) === target) ?? themes.find((t) => normalizeKey(t.label) === target);
    if (!theme) {
      throw new ImportError(
        `Option --themes : « ${to} » n’est pas un thème de la consultation (thèmes : ${themes.map((t) => `${t.code} « ${t.label} »`).join(', ')}).`,
        'import.themes_unknown_target',
      );
    }
    out.set(key, theme.code);
  }
  return out;
}

/**
 * Judges a theme column from its cells (one per row, empty ones included or not). A column whose bare numeric
 * codes include one that is no code of the consultation is of another scheme: none of its bare codes is filed
 * (unless mapped), and `foreign` lists them with their counts for the warning.
 */
export function themeColumn(cells: Iterable<string>, themes: readonly Theme[], map?: Record<string, string>): ThemeColumn {
  const mapping = map ? resolveMapping(map, themes) : new Map<string, string | null>();
  const used = new Set<string>();
  const codes = new Set(themes.map((t) => normalizeKey(t.code)));
  const codeCounts = new Map<string, number>();
  let otherScheme = false;
  for (const cell of cells) {
    const v = cell.trim();
    if (!v) continue;
    const parts = mapping.has(normalizeKey(v)) ? [v] : splitThemeList(v);
    for (const p of parts) {
      const key = normalizeKey(p);
      const mapped = mapping.has(key);
      if (mapped) used.add(key);
      const m = CODE_ONLY.exec(key);
      if (!m) continue;
      // mapped codes still tell which numbering the column follows
      if (!codes.has(m[1]!)) otherScheme = true;
      if (!mapped) codeCounts.set(p, (codeCounts.get(p) ?? 0) + 1);
    }
  }
  const foreign = otherScheme ? codeCounts : new Map<string, number>();
  const foreignKeys = new Set([...foreign.keys()].map(normalizeKey));
  const guessed = new Map<string, { code: string; count: number }>();
  const one = (p: string, exactOnly = false): { code?: string; unmatched?: string; foreign?: string; guessed?: boolean } => {
    const key = normalizeKey(p);
    if (mapping.has(key)) { const c = mapping.get(key); return c ? { code: c } : {}; }
    if (foreignKeys.has(key)) return { foreign: p };
    // « Thème 2 », « 2 - Accès… » name a code: not a guess
    const exact = exactTheme(key, themes) ?? (!exactOnly && /^(?:(?:thematique|theme|th|axe|t)\s*)?\d{1,3}(?:\s|$)/.test(key) ? matchTheme(p, themes) : undefined);
    if (exact) return { code: exact };
    // a whole cell holding a list separator matches only a code or a label exactly (after folding), never by keywords
    const c = exactOnly ? undefined : matchTheme(p, themes);
    return c ? { code: c, guessed: true } : { unmatched: p };
  };
  return {
    foreign,
    guessed,
    unusedMappings: [...mapping.keys()].filter((k) => !used.has(k)),
    resolve(value: string): ThemeCell {
      const out: ThemeCell = { codes: [], unmatched: [], foreign: [] };
      const whole = one(value.trim(), splitThemeList(value).length > 1);
      const parts = whole.code || whole.foreign || mapping.has(normalizeKey(value)) ? [value.trim()] : splitThemeList(value);
      for (const p of parts.length > 1 ? parts : [value.trim()]) {
        const r = parts.length > 1 ? one(p) : whole;
        if (r.code && r.guessed) {
          const g = guessed.get(p) ?? { code: r.code, count: 0 };
          g.count++;
          guessed.set(p, g);
        }
        if (r.code && !out.codes.includes(r.code)) out.codes.push(r.code);
        if (r.unmatched) out.unmatched.push(r.unmatched);
        if (r.foreign) out.foreign.push(r.foreign);
      }
      return out;
    },
  };
}
