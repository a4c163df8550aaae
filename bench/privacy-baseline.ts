/**
 * BASELINE (frozen copy of src/privacy/pseudonymise.ts before issue 9 point 8), kept only so that
 * bench/privacy.ts can measure the previous implementation in the same run. Not used by the application.
 *
 * Pseudonymisation of free text written by the public: e-mail addresses, French phone numbers, NIR
 * (numéro de sécurité sociale, with its key checked), postal addresses and people's names after a
 * title are replaced by a bracketed placeholder. Offsets in `masked` refer to the original text.
 */

export type MaskKind = 'email' | 'phone' | 'nir' | 'address' | 'name';

export interface MaskedSpan {
  kind: MaskKind;
  /** 0-based UTF-16 offsets into the original text, end exclusive */
  start: number;
  end: number;
  original: string;
}

export interface PseudonymisedText {
  text: string;
  masked: MaskedSpan[];
}

export const PLACEHOLDERS: Record<MaskKind, string> = {
  email: '[courriel]',
  phone: '[téléphone]',
  nir: '[NIR]',
  address: '[adresse]',
  name: '[nom]',
};

/** Earlier kinds win when two matches overlap. */
const PRIORITY: MaskKind[] = ['email', 'nir', 'phone', 'address', 'name'];

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[A-Za-z]{2,}/gu;

// 0X XX XX XX XX with spaces, dots, dashes or nothing; +33 / 0033 with an optional (0); 0 8XX numbers too.
const PHONE = /(?<![\p{L}\p{N}+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/gu;

// sex (1, 2; 3, 4, 7, 8 for special cases), year, month, département (2 digits, 2A, 2B or 3 for overseas
// handled by the 2+3 split), commune, order, key — optionally separated by spaces, dots or dashes.
const NIR = /(?<![\p{L}\p{N}])([1-478])[\s.-]?(\d{2})[\s.-]?(\d{2})[\s.-]?(\d{2}|2[ABab])[\s.-]?(\d{3})[\s.-]?(\d{3})[\s.-]?(\d{2})(?![\p{L}\p{N}])/gu;

/** Voie types that only name streets: the street's name may be written in lower case ("12 rue des lilas"). */
const STREET_VOIES = [
  'rue', 'ruelle', 'avenue', 'boulevard', 'bd\\.?', 'bvd\\.?', 'chemin', 'allée', 'allee', 'impasse', 'route', 'rte\\.?', 'quai',
  'lieu-dit', 'lieudit', 'chaussée', 'faubourg', 'fbg\\.?', 'rond-point', 'sentier', 'esplanade', 'promenade', 'montée', 'traverse', 'venelle',
];
/** Words that are voie types but also common words ("30 cours de sport"): the name must be capitalised. */
const OTHER_VOIES = [
  'av\\.?', 'ave\\.?', 'ch\\.?', 'imp\\.?', 'place', 'pl\\.?', 'cours', 'square', 'passage', 'résidence', 'residence', 'hameau', 'voie',
  'cité', 'cite', 'lotissement', 'lot\\.?', 'mail', 'parvis', 'clos', 'domaine', 'villa', 'hlm', 'zac', 'za', 'zi',
];
/** a particle inside a street or town name, with what follows it: "de ", "des ", "l’", "d'" */
const PART = "(?:(?:de|du|des|la|le|les|aux|au|en|sur|sous|lès|les)\\s+|[ldLD]['’]\\s*)";
const NAME_WORD = "(?:\\p{Lu}[\\p{L}'’.]*|\\d{1,4}(?:er)?(?!\\d))";
const ANY_WORD = "[\\p{L}][\\p{L}'’]*";
const TOWN_WORD = "\\p{Lu}[\\p{L}'’]*";
/** "rue" → "rue|Rue|RUE": voie types in any usual case (the regexp itself is case-sensitive for names). */
const cased = (list: string[]) => list.flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]).join('|');
// number (with bis/ter…), voie type, name: particles, one word of any case, then capitalised words
// (possibly after particles or hyphens); then optionally ", 12000 Rodez" (postcode and town).
const ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}])\\d{1,4}(?:\\s?(?:bis|ter|quater|[a-dA-D])(?![\\p{L}]))?,?\\s+` +
  `(?:(?:${cased(STREET_VOIES)})(?![\\p{L}])\\s+(?:${PART})*(?:${ANY_WORD}|\\d{1,4}(?!\\d))` +
  `|(?:${cased([...STREET_VOIES, ...OTHER_VOIES])})(?![\\p{L}])\\s+(?:${PART})*${NAME_WORD})` +
  `(?:(?:\\s+|-)(?:${PART})*${NAME_WORD})*` +
  `(?:,?\\s+\\d{5}(?:\\s+${TOWN_WORD}(?:(?:\\s+|-)(?:${PART})*${TOWN_WORD})*)?)?`,
  'gu',
);

const TITLES = [
  'Docteure', 'Docteur', 'Dre?\\.?', 'Pr\\.?', 'Pre\\.?', 'Professeure?', 'M\\.', 'MM\\.', 'Mme\\.?', 'Mmes\\.?', 'Mlle\\.?', 'Mlles\\.?',
  'Madame', 'Monsieur', 'Mademoiselle', 'Maître', 'Me\\.?',
];
/** Roles that follow a title without being a person's name ("Monsieur le Maire", "Madame la Directrice"). */
const ROLES = new Set([
  'maire', 'préfet', 'préfète', 'prefet', 'président', 'présidente', 'president', 'presidente', 'directeur', 'directrice',
  'député', 'députée', 'sénateur', 'sénatrice', 'ministre', 'conseiller', 'conseillère', 'adjoint', 'adjointe', 'docteur',
  'professeur', 'recteur', 'rectrice', 'curé', 'abbé', 'délégué', 'déléguée', 'tout', 'tous', 'toute', 'x', 'y', 'z',
]);
const PERSON_WORD = "(?:\\p{Lu}\\.(?:-\\p{Lu}\\.)?|\\p{Lu}[\\p{L}'’]*(?:-\\p{Lu}[\\p{L}'’]*)*)";
const NAME = new RegExp(
  `(?<![\\p{L}\\p{N}])(${TITLES.join('|')})(?![\\p{L}])\\s+((?:(?:de|du|des|d['’]|le|la|van|von|di|da)\\s+)?${PERSON_WORD}` +
  `(?:\\s+(?:(?:de|du|des|d['’]|van|von|di|da)\\s+)?${PERSON_WORD}){0,2})`,
  'gu',
);

/** Key of a NIR: 97 − (13 first digits mod 97), Corsica's 2A and 2B counting as 19 and 18. */
export function nirKeyValid(digits13: string, key: string): boolean {
  const d = digits13.toUpperCase().replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(d) || !/^\d{2}$/.test(key)) return false;
  return 97 - Number(BigInt(d) % 97n) === Number(key);
}

function nirMatches(text: string): MaskedSpan[] {
  const out: MaskedSpan[] = [];
  for (const m of text.matchAll(NIR)) {
    const [, sex, year, month, dept, commune, order, key] = m as unknown as string[];
    const mm = Number(month);
    // months 01-12, 20-42 and 50-99 are used (unknown or foreign births); 00 and 13-19 are not
    if (mm === 0 || (mm > 12 && mm < 20) || (mm > 42 && mm < 50)) continue;
    if (!nirKeyValid(`${sex}${year}${month}${dept}${commune}${order}`, key!)) continue;
    out.push({ kind: 'nir', start: m.index!, end: m.index! + m[0].length, original: m[0] });
  }
  return out;
}

function simple(text: string, re: RegExp, kind: MaskKind): MaskedSpan[] {
  const out: MaskedSpan[] = [];
  for (const m of text.matchAll(re)) {
    let s = m[0];
    // an address must not swallow trailing punctuation
    s = s.replace(/[\s,.'’-]+$/u, '');
    if (s.length === 0) continue;
    out.push({ kind, start: m.index!, end: m.index! + s.length, original: s });
  }
  return out;
}

function nameMatches(text: string): MaskedSpan[] {
  const out: MaskedSpan[] = [];
  for (const m of text.matchAll(NAME)) {
    const words = m[2]!.split(/\s+/);
    // stop at the first word that is a function or a role, not a name
    const kept: string[] = [];
    for (const w of words) {
      if (ROLES.has(w.toLowerCase())) break;
      kept.push(w);
    }
    while (kept.length > 0 && /^(?:de|du|des|d['’]|le|la|van|von|di|da)$/i.test(kept[kept.length - 1]!)) kept.pop();
    if (kept.length === 0) continue;
    const start = m.index! + m[0].length - m[2]!.length;
    const end = findEnd(text, start, kept);
    if (end === undefined) continue;
    out.push({ kind: 'name', start, end, original: text.slice(start, end) });
  }
  return out;
}

/** End offset of the words `kept` read in order from `start` (separated by whitespace). */
function findEnd(text: string, start: number, kept: string[]): number | undefined {
  let pos = start;
  for (const w of kept) {
    while (pos < text.length && /\s/u.test(text[pos]!)) pos++;
    if (!text.startsWith(w, pos)) return undefined;
    pos += w.length;
  }
  return pos;
}

/** Finds personal data in `text` and replaces each piece with its placeholder. */
export function pseudonymise(text: string): PseudonymisedText {
  const found = [
    ...simple(text, EMAIL, 'email'),
    ...nirMatches(text),
    ...simple(text, PHONE, 'phone'),
    ...simple(text, ADDRESS, 'address'),
    ...nameMatches(text),
  ];
  found.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start || b.end - a.end);
  const chosen: MaskedSpan[] = [];
  for (const f of found) {
    if (chosen.some((c) => f.start < c.end && c.start < f.end)) continue;
    chosen.push(f);
  }
  chosen.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const c of chosen) {
    out += text.slice(pos, c.start) + PLACEHOLDERS[c.kind];
    pos = c.end;
  }
  out += text.slice(pos);
  return { text: out, masked: chosen };
}
