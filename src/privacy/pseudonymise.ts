/**
 * Pseudonymisation of free text written by the public: e-mail addresses, French phone numbers, NIR
 * (numéro de sécurité sociale, in any spacing, with or without a valid key), other personal identifiers
 * after their name (patient or file number, IPP, carte Vitale, RPPS, ADELI…), dates of birth, postal
 * addresses and people's names (after a title, after a kinship or role cue, or from the list of given
 * names, see names.ts) are replaced by a bracketed placeholder. Offsets in `masked` refer to the
 * original text. An age alone ("elle a 87 ans") is not masked: see docs/decisions.md.
 */
import { findNames } from './names.ts';

export type MaskKind = 'email' | 'phone' | 'nir' | 'id' | 'birthdate' | 'address' | 'name';

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
  id: '[identifiant]',
  birthdate: '[date de naissance]',
  address: '[adresse]',
  name: '[nom]',
};

/** Earlier kinds win when two matches overlap. */
const PRIORITY: MaskKind[] = ['email', 'nir', 'id', 'phone', 'birthdate', 'address', 'name'];

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[A-Za-z]{2,}/gu;

// 0X XX XX XX XX with spaces, dots, dashes or nothing; +33 / 0033 with an optional (0); 0 8XX numbers too.
const PHONE = /(?<![\p{L}\p{N}+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/gu;

// sex (1, 2; 3, 4, 7, 8 for special cases), year, month, département (2 digits, 2A, 2B or 3 for overseas
// handled by the 2+3 split), commune, order, then the key if written — optionally separated by spaces,
// dots or dashes. A wrong key is still a NIR (a typo, or a made-up key) and is masked.
const NIR = /(?<![\p{L}\p{N}])([1-478])[\s.-]?(\d{2})[\s.-]?(\d{2})[\s.-]?(\d{2}|2[ABab])[\s.-]?(\d{3})[\s.-]?(\d{3})(?:[\s.-]?(\d{2}))?(?![\p{L}\p{N}])/gu;

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

/** Any letter of `w` in either case, for cue words matched in a case-sensitive regexp. */
const anyCase = (w: string) => [...w].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
/**
 * Names of personal identifiers. FINESS and SIRET identify establishments, not people: they are absent.
 * "sécu" and "carte Vitale" carry the NIR; if what follows is not NIR-shaped it is masked as an identifier.
 */
const ID_CUES = [
  'numéro de patient', 'numéro patient', 'n° patient', 'n° de patient', 'patient n°', 'patiente n°', 'dossier', 'dossier médical', 'ipp', 'nip',
  'carte vitale', 'rpps', 'adeli', 'adhérent', 'allocataire', 'mutuelle', 'sécurité sociale', 'sécu', 'assuré', 'assurée', 'passeport',
  "carte d'identité", "carte d’identité", 'titre de séjour', 'matricule', 'identifiant', 'ins', 'ame', 'numéro fiscal',
].map(anyCase).sort((a, b) => b.length - a.length);
// the cue, a few connecting words ("n° ", " : ", " est le "), then the identifier: letters and digits with
// separators. At least 5 digits, or 4 after an explicit "n°"/"numéro"/":" — "le dossier de 2019" is a year.
const ID_FILL = "(?:[\\s:=#]|[nN]°|[nN][oº]\\.|[nN]uméro|[nN]umero|[nN]um\\.|de\\s|du\\s|d['’]|est\\s|le\\s|patient\\s|patiente\\s)*?";
// or any words up to "numéro", "n°" or "est" ("le dossier à la MDPH porte le numéro …", "le RPPS du docteur est …")
const ID_FILL_LONG = "[^\\d\\n.!?;]{0,40}?(?:[nN]uméro|[nN]umero|[nN]°|\\best)\\s*:?\\s*(?:est\\s+|le\\s+)?";
const ID = new RegExp(
  `(?<![\\p{L}])(?:${ID_CUES.join('|')})(?![\\p{L}])(${ID_FILL}|${ID_FILL_LONG})` +
  `((?:[A-Z]{1,4}[-/ ]?)?\\d[\\dA-Z]*(?:[ ./-]\\d[\\dA-Z]*)*(?:[-/][A-Z]{1,3}\\d*)?)(?![\\p{L}\\p{N}])`,
  'gu',
);

function idMatches(text: string): MaskedSpan[] {
  const out: MaskedSpan[] = [];
  for (const m of text.matchAll(ID)) {
    const id = m[2]!.replace(/[ ./-]+$/, '');
    const digits = (id.match(/\d/g) ?? []).length;
    if (digits < 4 || (digits === 4 && !/n°|n[oº]\.|num|:|#/i.test(m[1]!))) continue;
    const start = m.index! + m[0].length - m[2]!.length;
    out.push({ kind: 'id', start, end: start + id.length, original: id });
  }
  return out;
}

const MONTHS = 'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|janv\\.?|févr\\.?|fevr\\.?|avr\\.?|juil\\.?|sept\\.?|oct\\.?|nov\\.?|déc\\.?|dec\\.?';
const YEAR = '(?:19|20)\\d{2}';
const DATE = `(?:(?:1er|\\d{1,2})\\s+(?:${MONTHS})\\s+${YEAR}|\\d{1,2}[/.-]\\d{1,2}[/.-](?:${YEAR}|\\d{2})|(?:${MONTHS})\\s+${YEAR}|${YEAR})`;
// "né le 3 mars 1957", "née en 1948", "née à Figeac le 12/04/1961", "date de naissance : 12/04/1961", "DDN 12.04.61".
// A plural ("les enfants nés en 2020") is a statistic, not someone's date of birth.
const BIRTH_FILL = "(?:\\s*(?:le|en|au|du)?\\s*:?\\s*|\\s+à\\s+\\p{Lu}[\\p{L}'’-]*(?:[\\s-]+[\\p{L}'’-]+){0,3}?,?\\s+(?:le|en)\\s+|\\s+)";
const BIRTH = new RegExp(
  `(?<![\\p{L}])(?:[nN](?:é(?:e|\\(e\\))?s?|ee)|[nN]aissance|DDN|[dD]\\.\\s?[dD]\\.\\s?[nN]\\.)(?![\\p{L}])${BIRTH_FILL}(${DATE})(?![\\p{N}])`,
  'gu',
);

function birthdateMatches(text: string): MaskedSpan[] {
  const out: MaskedSpan[] = [];
  for (const m of text.matchAll(BIRTH)) {
    const cue = m[0].slice(0, m[0].length - m[1]!.length);
    if (/^[nN]ée?s/.test(cue) && /^\d{4}$/.test(m[1]!)) continue;
    const start = m.index! + m[0].length - m[1]!.length;
    out.push({ kind: 'birthdate', start, end: start + m[1]!.length, original: m[1]! });
  }
  return out;
}
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
    // without its key a NIR is 13 digits: only written as one block or in the usual groups, not any 13 digits
    if (key === undefined && !/^\d{13}$|^\d \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3}$/i.test(m[0])) continue;
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

/** Finds personal data in `text` and replaces each piece with its placeholder. */
export function pseudonymise(text: string): PseudonymisedText {
  // the costly patterns only run on texts that have what they need: an @, a number of 4 digits or more, a digit
  const hasDigit = /\d/.test(text);
  const hasNumber = hasDigit && /\d(?:[ ./-]?\d){3}/.test(text);
  const found = [
    ...(text.includes('@') ? simple(text, EMAIL, 'email') : []),
    ...(hasNumber ? nirMatches(text) : []),
    ...(hasNumber ? simple(text, PHONE, 'phone') : []),
    ...(hasNumber ? idMatches(text) : []),
    ...(hasNumber ? birthdateMatches(text) : []),
    ...(hasDigit ? simple(text, ADDRESS, 'address') : []),
    ...findNames(text).map((m): MaskedSpan => ({ kind: 'name', ...m, original: text.slice(m.start, m.end) })),
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
