/**
 * The easy-to-read summary (« facile à lire et à comprendre », FALC) of a restitution (issue 16): its shape, its
 * limits, and the checks of the easy-to-read rules a program can check, given to the writer as warnings (never a
 * refusal: a person decides). The rules and why each one: docs/easy-read.md. Pure: no I/O.
 */
import { UserError } from './errors.ts';

export interface EasyReadSection {
  heading: string;
  text: string;
}

export interface EasyReadSummary {
  title: string;
  sections: EasyReadSection[];
}

export const EASY_READ_LIMITS = { title: 120, heading: 120, text: 2000, sections: 12 } as const;

/** Words per sentence beyond which a sentence is flagged. */
export const EASY_READ_MAX_WORDS = 15;

export type EasyReadRule = 'phrase-longue' | 'sigle' | 'abreviation' | 'pourcentage' | 'grand-nombre' | 'forme-passive' | 'forme-negative' | 'point-virgule';

export const EASY_READ_RULES: Record<EasyReadRule, { label: string; advice: string }> = {
  'phrase-longue': { label: 'Phrase longue', advice: `Écrivez des phrases courtes : ${EASY_READ_MAX_WORDS} mots au plus, une idée par phrase.` },
  sigle: { label: 'Sigle non expliqué', advice: 'Écrivez le nom en entier, ou expliquez le sigle la première fois, par exemple « l’ARS (l’agence régionale de santé) ».' },
  abreviation: { label: 'Abréviation', advice: 'Écrivez le mot en entier (« et cetera » ou rien, « par exemple », « numéro »).' },
  pourcentage: { label: 'Pourcentage', advice: 'Dites-le avec des mots : « 1 personne sur 4 », « la moitié », « presque tout le monde ».' },
  'grand-nombre': { label: 'Grand nombre', advice: 'Un grand nombre est difficile à lire : écrivez « plus de mille », « beaucoup de personnes », ou comparez.' },
  'forme-passive': { label: 'Forme passive', advice: 'Dites qui fait l’action : « l’ARS a écrit le document » plutôt que « le document a été écrit par l’ARS ».' },
  'forme-negative': { label: 'Forme négative', advice: 'Préférez une phrase positive : « restez chez vous » plutôt que « ne sortez pas ».' },
  'point-virgule': { label: 'Point-virgule', advice: 'Coupez en deux phrases avec un point.' },
};

export interface EasyReadWarning {
  rule: EasyReadRule;
  /** 'title', or the section's index (0-based) and which field */
  where: { part: 'title' } | { part: 'heading' | 'text'; section: number };
  /** the words concerned, as written */
  excerpt: string;
  /** in French, for the writer */
  message: string;
}

const clean = (s: unknown) => (typeof s === 'string' ? s.replace(/\r\n?/g, '\n').trim() : '');

/** The summary as stored: trimmed, empty sections dropped; a clear French error when it cannot be one. */
export function normaliseEasyRead(input: { title?: unknown; sections?: unknown }): EasyReadSummary {
  const title = clean(input.title);
  if (!title) throw new UserError('invalid', 'Donnez un titre au résumé facile à lire.', 'title');
  if (title.length > EASY_READ_LIMITS.title) throw new UserError('invalid', `Le titre est trop long : ${EASY_READ_LIMITS.title} caractères au plus.`, 'title');
  const raw = Array.isArray(input.sections) ? input.sections as { heading?: unknown; text?: unknown }[] : [];
  const sections = raw.map((s) => ({ heading: clean(s?.heading), text: clean(s?.text) })).filter((s) => s.heading || s.text);
  if (sections.length === 0) throw new UserError('invalid', 'Écrivez au moins une partie : un titre et un court texte.', 'sections');
  if (sections.length > EASY_READ_LIMITS.sections) throw new UserError('invalid', `${EASY_READ_LIMITS.sections} parties au plus : un résumé facile à lire reste court.`, 'sections');
  sections.forEach((s, i) => {
    if (!s.heading) throw new UserError('invalid', `Partie ${i + 1} : donnez-lui un titre.`, `sections.${i}.heading`);
    if (!s.text) throw new UserError('invalid', `Partie ${i + 1} : écrivez son texte.`, `sections.${i}.text`);
    if (s.heading.length > EASY_READ_LIMITS.heading) throw new UserError('invalid', `Partie ${i + 1} : le titre est trop long (${EASY_READ_LIMITS.heading} caractères au plus).`, `sections.${i}.heading`);
    if (s.text.length > EASY_READ_LIMITS.text) throw new UserError('invalid', `Partie ${i + 1} : le texte est trop long (${EASY_READ_LIMITS.text} caractères au plus).`, `sections.${i}.text`);
  });
  return { title, sections };
}

/** Sentences of a text: cut after . ! ? … and at line breaks (a list line is a sentence). */
export function sentences(text: string): string[] {
  return text.split(/\n+|(?<=[.!?…])\s+/u).map((s) => s.trim()).filter((s) => /\p{L}|\d/u.test(s));
}

/** Words of a sentence (a number written « 1 250 » is one word; « l’ARS » is two). */
export function words(sentence: string): string[] {
  return sentence.replace(/(\d)[\s\u00A0\u202F](?=\d{3}\b)/g, '$1').split(/[\s'’\u00A0\u202F]+/u).filter((w) => /\p{L}|\d/u.test(w));
}

// capitals in a row (ARS, CTS, EHPAD, PMI…), optionally with digits; roman numerals of one letter are not sigles
const SIGLE = /(?<![\p{L}\d])(?:\p{Lu}[\p{Lu}\d]{1,9}|\p{Lu}(?:\.\p{Lu}){1,5}\.?)(?![\p{L}\d])/gu;
const ROMAN = /^[IVXLCDM]+$/;
// abbreviations with a dot that a reader has to know
const ABBREVIATIONS = /(?<![\p{L}])(etc\.|ex\.|cf\.|c\.-à-d\.|c-à-d|p\. ?ex\.|env\.|n°|nº|qqn|qqch|av\. J\.-C\.|M\.(?= \p{Lu})|Mme(?= \p{Lu})|Dr\.?(?= \p{Lu}))/gu;
const PERCENT = /\d+(?:[,.]\d+)?\s?%|\bpour\s?cents?\b|\bpourcentages?\b/giu;
// 1000 and more, written with digits (« 1 250 », « 12000 », « 3,5 millions »)
const LARGE_NUMBER = /\b\d{1,3}(?:[\s\u00A0\u202F]\d{3})+\b|\b\d{4,}\b|\b\d+(?:,\d+)?\s(?:millions?|milliards?)\b/gu;
const YEAR = /^(1[89]|20)\d{2}$/;
// être conjugated, then a past participle, then « par »: the agent named after the verb
const PASSIVE = /(?<![\p{L}])(?:est|sont|était|étaient|sera|seront|serait|seraient|été|soit|soient|fut|furent)\s+(?:\p{L}+\s+)?\p{L}+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ites|ert|erte|erts|ertes)\s+par(?![\p{L}])/giu;
// ne / n’ … pas, plus, jamais, rien, aucun, personne, guère, ni
const NEGATIVE = /(?<![\p{L}])(?:ne|n['’])\s*(?:\p{L}+['’]?\s*){0,3}?(?<![\p{L}])(?:pas|plus|jamais|rien|aucun|aucune|personne|guère|ni)(?![\p{L}])|(?<![\p{L}])non\s+(?:plus|pas)(?![\p{L}])/giu;

/** Sigles explained in the text: followed or preceded by a parenthesis (« ARS (agence…) », « agence… (ARS) »). */
function explainedSigles(all: string): Set<string> {
  const out = new Set<string>();
  for (const m of all.matchAll(/(\p{Lu}[\p{Lu}\d.]{1,11})\s*\(/gu)) out.add(m[1]!.replace(/\.$/, ''));
  for (const m of all.matchAll(/\(\s*(?:l['’]\s*|le |la |les )?(\p{Lu}[\p{Lu}\d.]{1,11})\s*\)/gu)) out.add(m[1]!.replace(/\.$/, ''));
  return out;
}

/**
 * The warnings of a summary: each easy-to-read rule a program can check, where it is broken (docs/easy-read.md).
 * A sigle is flagged once, where it first appears unexplained.
 */
export function checkEasyRead(summary: EasyReadSummary): EasyReadWarning[] {
  const all = [summary.title, ...summary.sections.flatMap((s) => [s.heading, s.text])].join('\n');
  const explained = explainedSigles(all);
  const seen = new Set<string>();
  const out: EasyReadWarning[] = [];
  const parts: { where: EasyReadWarning['where']; text: string }[] = [
    { where: { part: 'title' }, text: summary.title },
    ...summary.sections.flatMap((s, i) => [
      { where: { part: 'heading' as const, section: i }, text: s.heading },
      { where: { part: 'text' as const, section: i }, text: s.text },
    ]),
  ];
  const add = (rule: EasyReadRule, where: EasyReadWarning['where'], excerpt: string, message: string) => out.push({ rule, where, excerpt, message });
  for (const { where, text } of parts) {
    for (const s of sentences(text)) {
      const n = words(s).length;
      if (n > EASY_READ_MAX_WORDS) add('phrase-longue', where, s, `Cette phrase a ${n} mots. ${EASY_READ_RULES['phrase-longue'].advice}`);
    }
    for (const m of text.matchAll(SIGLE)) {
      const sigle = m[0].replace(/\.$/, '');
      if (ROMAN.test(sigle) || explained.has(sigle) || seen.has(sigle)) continue;
      seen.add(sigle);
      add('sigle', where, sigle, `« ${sigle} » n’est pas expliqué. ${EASY_READ_RULES.sigle.advice}`);
    }
    for (const m of text.matchAll(ABBREVIATIONS)) add('abreviation', where, m[0], `« ${m[0]} » est une abréviation. ${EASY_READ_RULES.abreviation.advice}`);
    for (const m of text.matchAll(PERCENT)) add('pourcentage', where, m[0], `« ${m[0].trim()} » : ${EASY_READ_RULES.pourcentage.advice}`);
    for (const m of text.matchAll(LARGE_NUMBER)) {
      if (YEAR.test(m[0])) continue;
      add('grand-nombre', where, m[0], `« ${m[0]} » : ${EASY_READ_RULES['grand-nombre'].advice}`);
    }
    for (const m of text.matchAll(PASSIVE)) add('forme-passive', where, m[0], `« ${m[0]} » : ${EASY_READ_RULES['forme-passive'].advice}`);
    for (const m of text.matchAll(NEGATIVE)) add('forme-negative', where, m[0], `« ${m[0]} » : ${EASY_READ_RULES['forme-negative'].advice}`);
    if (text.includes(';')) add('point-virgule', where, ';', EASY_READ_RULES['point-virgule'].advice);
  }
  return out;
}
