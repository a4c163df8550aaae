import type { Channel, ContributionKind } from '../../domain/contribution.ts';
import type { College } from '../../domain/meeting.ts';
import { departementOfPostcode, isDepartementCode } from '../../domain/territory.ts';
import type { Theme } from '../../domain/theme.ts';
import { containsWords, normalizeKey } from './normalize.ts';

/**
 * The parts of a cell naming several themes: split only on a list separator of export formats (`;`, `|`,
 * a line break), never on a comma, which belongs to labels ("Impôts, dépenses, action publique").
 */
export function splitThemeList(value: string): string[] {
  return value.split(/\s*[;|\n]\s*/).map((p) => p.trim()).filter(Boolean);
}

/**
 * Theme codes for a cell value: by code, "Thématique 2" / "Thème 2" / "2 - …", label, label prefix,
 * or keywords — a match must be unique. A cell naming several themes ("1; 3", "Urgences | Prévention")
 * is split when it does not match as a whole. Returns the unmatched parts too.
 */
export function matchThemes(value: string, themes: readonly Theme[]): { codes: string[]; unmatched: string[] } {
  const whole = matchTheme(value, themes);
  if (whole) return { codes: [whole], unmatched: [] };
  const parts = splitThemeList(value);
  if (parts.length < 2) return { codes: [], unmatched: [value.trim()] };
  const codes: string[] = [];
  const unmatched: string[] = [];
  for (const p of parts) {
    const c = matchTheme(p, themes);
    if (c) { if (!codes.includes(c)) codes.push(c); } else unmatched.push(p);
  }
  return { codes, unmatched };
}

export function matchTheme(value: string, themes: readonly Theme[]): string | undefined {
  const v = normalizeKey(value);
  if (!v) return undefined;
  const byCode = themes.find((t) => normalizeKey(t.code) === v);
  if (byCode) return byCode.code;
  const numbered = /^(?:(?:thematique|theme|th|axe|t)\s*)?(\d{1,2})(?:\s|$)/.exec(v);
  if (numbered) {
    const t = themes.find((x) => x.code === numbered[1]);
    if (t) return t.code;
  }
  const labels = themes.map((t) => ({ code: t.code, label: normalizeKey(t.label) }));
  const byLabel = labels.find((l) => l.label === v);
  if (byLabel) return byLabel.code;
  if (v.length >= 4) {
    const prefixed = labels.filter((l) => l.label.startsWith(v) || (v.startsWith(l.label) && l.label.length >= 4));
    if (prefixed.length === 1) return prefixed[0]!.code;
  }
  // keywords: the theme with the most keywords (or label words) found in the value, when it is the only one
  const scores = themes.map((t) => {
    let score = 0;
    for (const k of t.keywords) {
      const nk = normalizeKey(k);
      if (nk.length >= 2 && containsWords(v, nk)) score += nk.length;
    }
    return { code: t.code, score };
  });
  scores.sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (best && best.score > 0 && (!second || second.score < best.score)) return best.code;
  return undefined;
}

const COLLEGE_RULES: [RegExp, College][] = [
  [/\b(representant|representante)s? (des |d )?(usagers|patients|associations?)\b|\bassociati(on|ons|f|ve|fs)\b|\bbenevole/, 'associations'],
  [/\belu(e|s|es)?\b|\bmaire\b|\badjoint|\bconseill(er|ere)s? (municipal|communautaire|departemental|regional)|\bdepute|\bsenat(eur|rice)|\bparlementaire/, 'elus'],
  [/\binstitution|\bars\b|\bcpam\b|\bmsa\b|\badministration|\bservices? de l etat|\bprefecture|\bagent (public|territorial)|\bcollectivite/, 'institutionnels'],
  [/\bprofession|\bpro de sante|\bsoignant|\bmedecin|\binfirmi|\bidel?\b|\bpharmacien|\bkine|\bsage femme|\bdentiste|\bmedico social|\bdirect(eur|rice) d (ehpad|etablissement)|\bpsychologue|\borthophon|\bambulanc|\bparamedical|\bsante\b/, 'professionnels'],
  [/\busager|\bpatient|\bcitoyen|\bhabitant|\bparticulier|\baidant|\bretraite|\bparent|\betudiant|\bpersonne|\bresident/, 'usagers'],
  [/\bautres?\b|\bnon precise/, 'autres'],
];

/** Maps a college as written ("Élu(e)", "Professionnel de santé", "Citoyen") to the College union. */
export function matchCollege(value: string): College | undefined {
  const v = normalizeKey(value);
  if (!v) return undefined;
  const direct = (['elus', 'institutionnels', 'professionnels', 'associations', 'usagers', 'autres'] as const).find((c) => c === v);
  if (direct) return direct;
  for (const [re, college] of COLLEGE_RULES) if (re.test(v)) return college;
  return undefined;
}

const KIND_RULES: [RegExp, ContributionKind][] = [
  [/\baction(s)? en cours|\binitiative|\bbonne(s)? pratique|\bexistant/, 'action_en_cours'],
  [/\blevier|\bfrein/, 'levier_frein'],
  [/\bconstat|\bprobleme|\bproblematique|\bdiagnostic|\bdifficulte/, 'constat'],
  [/\bproposition|\bsolution|\bidee|\bsuggestion|\bpropose/, 'proposition'],
  [/\btemoignage|\bexperience|\bvecu/, 'temoignage'],
  [/\bautre/, 'autre'],
];

export function matchKind(value: string): ContributionKind | undefined {
  const v = normalizeKey(value);
  if (!v) return undefined;
  for (const [re, kind] of KIND_RULES) if (re.test(v)) return kind;
  return undefined;
}

const CHANNEL_RULES: [RegExp, Channel][] = [
  [/\ben ligne\b|\binternet\b|\bweb\b|\bsite\b|\bplateforme|\bonline\b|\bdecidim|\bpolis\b|\bmail\b|\bcourriel/, 'en_ligne'],
  [/\batelier|\breunion|\bdebat/, 'atelier'],
  [/\bformulaire|\bquestionnaire|\burne|\bcarte t\b/, 'formulaire'],
  [/\bcourrier|\blettre|\bpostal/, 'courrier'],
];

export function matchChannel(value: string): Channel | undefined {
  const v = normalizeKey(value);
  if (!v) return undefined;
  for (const [re, ch] of CHANNEL_RULES) if (re.test(v)) return ch;
  return 'autre';
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function withTime(date: string, h?: string, mi?: string, s?: string): string | undefined {
  if (h === undefined || mi === undefined) return date;
  const hh = Number(h), mm = Number(mi), ss = Number(s ?? 0);
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  if (hh === 0 && mm === 0 && ss === 0) return date;
  return `${date}T${pad(hh)}:${pad(mm)}:${pad(ss)}`;
}

/**
 * Date as written → ISO: "2022-10-12", "2022-10-12 14:05", "2022-10-12T12:05:00Z" (zoned: made UTC),
 * "12/10/2022", "12/10/22", "12-10-2022 14h05", or an Excel serial number (when `allowSerial`).
 */
export function parseDate(value: string, allowSerial = true): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?)?$/i.exec(v);
  if (m) {
    const [, y, mo, d, h, mi, s, zone] = m;
    if (!validDate(Number(y), Number(mo), Number(d))) return undefined;
    if (zone && h !== undefined) {
      const z = zone.toUpperCase() === 'UTC' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
      const t = new Date(`${y}-${mo}-${d}T${pad(Number(h))}:${mi}:${s ?? '00'}${z}`);
      return Number.isNaN(t.getTime()) ? undefined : t.toISOString().slice(0, 19) + 'Z';
    }
    return withTime(`${y}-${mo}-${d}`, h, mi, s);
  }
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:\s+(?:à\s+)?(\d{1,2})\s*[:hH]\s*(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (m) {
    const [, d, mo, yRaw, h, mi, s] = m;
    let y = Number(yRaw);
    if (yRaw!.length === 2) y += y < 70 ? 2000 : 1900;
    if (!validDate(y, Number(mo), Number(d))) return undefined;
    return withTime(`${y}-${pad(Number(mo))}-${pad(Number(d))}`, h, mi, s);
  }
  if (allowSerial && /^\d{5}(\.\d+)?$/.test(v)) {
    const serial = Number(v);
    if (serial < 20000 || serial > 80000) return undefined;
    // Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29)
    const ms = Math.round((serial - 25569) * 86400) * 1000;
    const iso = new Date(ms).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  return undefined;
}

/**
 * Territory as written → code: a postcode gives its département, a département code ("12", "2A", "9")
 * or a label holding one ("Aveyron (12)", "12 - Aveyron") gives itself; a header naming a commune code
 * keeps the 5-digit INSEE code.
 */
export function parseTerritory(value: string, communeColumn = false): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (/^\d{5}$/.test(v)) return communeColumn ? v : departementOfPostcode(v);
  if (/^\d{4}$/.test(v)) return departementOfPostcode('0' + v); // postcode whose leading zero a spreadsheet ate
  const code = /^\d$/.test(v) ? '0' + v : v.toUpperCase();
  if (isDepartementCode(code)) return code;
  const inside = /(?:^|\(|\s)(\d{2,3}|2[AB])(?:\)|\s|$)/i.exec(v);
  if (inside) {
    const c = inside[1]!.toUpperCase();
    if (/^\d{5}$/.test(c)) return departementOfPostcode(c);
    if (isDepartementCode(c)) return c;
  }
  const pc = /\b(\d{5})\b/.exec(v);
  if (pc) return departementOfPostcode(pc[1]!);
  return undefined;
}

export { normalizeKey };
