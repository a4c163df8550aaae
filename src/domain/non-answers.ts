/**
 * Non-answers: texts that say nothing an analyst could group or count as an idea ("RAS", "Aucune idée",
 * "/", "Pas d'expérience", "ok"…). They are set aside by the analysis: counted, never grouped, never a
 * copy-paste campaign or a near-duplicate set (twelve "RAS" are not a campaign).
 *
 * Short identity or context statements that are the whole text ("Originaire de Normandie.", "Habitante de
 * Saint-Malo") go with them, reason `context`: they answer "who are you", not the question asked, and an idea
 * group labelled with a place of origin is not publishable. A text that goes on to say something ("Habitant
 * de Béthune, pas de médecin") is not one: the rule only fires when nothing but the statement is there.
 */
import { foldAccents, normalizeText } from '../text/french.ts';

export type NonAnswerReason = 'empty' | 'nothing' | 'no-opinion' | 'filler' | 'context';

/** Whole texts (lowercased, accent-folded, letters and digits only, single spaces) that mean "nothing to say". */
const NOTHING = [
  'ras', 'rien', 'rien a signaler', 'rien a dire', 'rien a ajouter', 'rien de plus', 'rien de particulier', 'rien de special',
  'neant', 'aucun', 'aucune', 'nada', 'nan', 'null', 'na', 'n a', 'nr', 'sans objet', 'so', 'vide',
  'pas de commentaire', 'aucun commentaire', 'sans commentaire', 'pas de remarque', 'aucune remarque', 'pas de remarques',
  'pas de suggestion', 'aucune suggestion', 'pas de proposition', 'aucune proposition', 'je n ai rien a dire',
  'je n ai rien a ajouter', 'rien de plus a ajouter', 'pas d autre remarque', 'pas d autres remarques',
];
const NO_OPINION = [
  'aucune idee', 'pas d idee', 'je ne sais pas', 'ne sais pas', 'je sais pas', 'sais pas', 'nsp', 'je ne vois pas',
  'pas d avis', 'sans avis', 'aucun avis', 'sans opinion', 'pas d opinion', 'je n ai pas d avis', 'je n ai pas d idee',
  'pas d experience', 'aucune experience', 'je n ai pas d experience', 'je n en sais rien', 'je n en ai aucune idee',
  'pas concerne', 'pas concernee', 'non concerne', 'non concernee', 'je ne suis pas concerne', 'je ne suis pas concernee',
  'ne se prononce pas', 'je ne me prononce pas', 'pas d opinion particuliere',
];
const FILLER = [
  'non', 'oui', 'ok', 'okay', 'd accord', 'bien', 'idem', 'pareil', 'meme chose', 'idem que ci dessus', 'voir ci dessus',
  'cf ci dessus', 'voir plus haut', 'cf plus haut', 'deja dit', 'comme ci dessus', 'merci', 'test', 'essai', 'x', 'xx', 'xxx',
  'bonjour', 'non merci', 'oui merci',
];
const PHRASES = new Map<string, NonAnswerReason>([
  ...NOTHING.map((p) => [p, 'nothing'] as const), ...NO_OPINION.map((p) => [p, 'no-opinion'] as const), ...FILLER.map((p) => [p, 'filler'] as const),
]);

/** Courtesy and time qualifiers that do not change a non-answer: "RAS, merci", "Pas d'avis pour l'instant". */
const TRAILERS = /(?: (?:merci(?: beaucoup)?|cordialement|bonne journee|desole|desolee|pour l instant|pour le moment|a ce jour|pour ma part|personnellement|particulier|de particulier))+$/;
const LEADERS = /^(?:(?:bonjour|non|oui|euh|alors|franchement|honnetement|pour ma part|personnellement|a vrai dire) )+/;

/** Lowercase, accent-folded, letters and digits only; dotted acronyms joined ("R.A.S." → "ras"). */
function key(text: string): string {
  const s = foldAccents(normalizeText(text)).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  // "R.A.S.", "S/O": letters written apart are one word
  return /^(?:\p{L} )+\p{L}$/u.test(s) && s.length <= 9 ? s.replace(/ /g, '') : s;
}

/** Words allowed inside a place name besides capitalised ones ("Saint-Jean-de-Luz", "Bourg-en-Bresse", "Le Mans"). */
const PLACE_LINKS = new Set(['de', 'du', 'des', 'd', 'la', 'le', 'les', 'l', 'sur', 'sous', 'en', 'et', 'lès', 'les']);
const CONTEXT_OPENER = /^(?:je suis |j'suis )?(?:originaire|natif|native|née?|habitante?|résidente?|résidante?|résidant|domiciliée?)s? (?:de la |de l'|de |du |des |d'|à |au |aux |en |sur )/i;
const LIVE_OPENER = /^(?:j'habite|je vis|je réside|je demeure|nous habitons|nous vivons) (?:à |au |aux |en |dans (?:la |le |les |l')?|sur )/i;

/** A short statement of origin or residence and nothing else: "Originaire de Normandie.", "J'habite à Pau". */
function isContextStatement(text: string): boolean {
  const s = normalizeText(text).replace(/[.!…\s]+$/u, '');
  if (s.length === 0 || s.length > 80 || /[,;:?]/.test(s)) return false;
  const m = CONTEXT_OPENER.exec(s) ?? LIVE_OPENER.exec(s);
  if (!m) return false;
  const place = s.slice(m[0].length).split(/[\s-]+/).filter(Boolean);
  if (place.length === 0 || place.length > 5) return false;
  // the rest must read as a place name: capitalised words (or a département number) joined by small links
  return place.every((w) => /^\p{Lu}/u.test(w) || /^\d{2,3}$/.test(w) || PLACE_LINKS.has(w.toLowerCase().replace(/'$/, '')))
    && place.some((w) => /^\p{Lu}/u.test(w) || /^\d{2,3}$/.test(w));
}

/** Why a text is a non-answer, or null when it says something. Pure and fast (no I/O, linear in the text). */
export function nonAnswerReason(text: string): NonAnswerReason | null {
  if (text.length > 200) return null; // every non-answer is short; long texts skip the work
  const k = key(text);
  if (k.length === 0) return 'empty';
  let stripped = k.replace(LEADERS, '').replace(TRAILERS, '').trim();
  // "non non", "ras ras ras": a repeated word says no more than once
  stripped = stripped.split(' ').filter((w, i, a) => i === 0 || w !== a[i - 1]).join(' ');
  const hit = PHRASES.get(stripped) ?? PHRASES.get(k);
  if (hit) return hit;
  if (stripped.length === 0) return 'filler';
  if (isContextStatement(text)) return 'context';
  return null;
}

/** True when a text is a non-answer (see `nonAnswerReason`). */
export function isNonAnswer(text: string): boolean {
  return nonAnswerReason(text) !== null;
}
