import { foldAccents, isStopword, normalizeText, tokenSpans } from '../text/index.ts';

/**
 * French surface cues for the *kind* of a contribution (constat / proposition / levier-frein / témoignage).
 * They are emitted as extra features ("#cue:…") that the classifier weighs like any other term: they are
 * hints learnt from data, never hard rules.
 */
export const CUE_PREFIX = '#cue:';

// Infinitive-looking first word: "Développer", "Créer", "Favoriser", "Mettre", "Permettre", "Revoir".
const INFINITIVE = /^[a-zàâäçéèêëîïôöùûü-]{3,}(?:er|ir|re|oir)$/;
const NOT_INFINITIVES = new Set(['leur', 'leurs', 'pour', 'sur', 'par', 'entre', 'contre', 'autre', 'notre', 'votre', 'ordre', 'centre',
  'nombre', 'membre', 'offre', 'titre', 'cadre', 'libre', 'pouvoir', 'savoir', 'devoir', 'manière', 'premier', 'dernier', 'hier',
  'plusieurs', 'mieux', 'chaque', 'hôpitaux', 'infirmier', 'dossier', 'métier', 'quartier', 'foyer', 'loyer', 'acteur']);

const PHRASES: readonly [string, RegExp][] = [
  ['il_faut', /\b(il )?(faut|faudrait|faudra|doit|devrait|devraient|doivent)\b/],
  ['manque', /\b(manque|manquent|absence|insuffisan|pénurie|penurie|déficit|deficit|carence)/],
  ['difficulte', /\b(difficult|problème|probleme|compliqu|impossible|saturé|sature|fermeture|pas assez|trop de|trop peu)/],
  ['negation', /\b(ne|n') ?\S* (pas|plus|jamais|aucun)\b|\bpas de\b|\bsans\b/],
  ['levier', /\b(levier|leviers|atout|force|opportunit|facilit|soutien|aide)/],
  ['frein', /\b(frein|freins|obstacle|limite|contrainte|réticen|reticen|coût|cout|lourdeur)/],
  ['existant', /\b(existe|existant|déjà|deja|en cours|mis en place|a été|ont été|expérimentation|experimentation)/],
  ['proposition', /\b(créer|creer|développer|developper|mettre en place|favoriser|renforcer|améliorer|ameliorer|proposer|ouvrir|permettre|faciliter|encourager|valoriser|former|généraliser|generaliser|augmenter|organiser)\b/],
  ['je', /(^|\s)(je|j'|moi|mon|ma|mes)\b/],
  ['nous', /\b(nous|notre|nos|on)\b/],
  // suggestions put as questions or wishes: « pourquoi pas… », « et si… », « je propose », « il serait bien »
  ['suggestion', /\b(pourquoi pas|pourquoi ne pas|et si|je propose|nous proposons|on pourrait|il serait (bien|bon|utile|souhaitable)|serait-il possible)\b/],
  ['conditionnel', /\b\S+(erait|eraient|irait|iraient)\b/],
  // a story: past tenses and time markers (« j’ai attendu », « l’an dernier », « hier »)
  ['recit', /\b(j'ai|nous avons|on a|il a fallu|l'an dernier|l'année dernière|hier|la semaine dernière|depuis \S+ (ans|mois|semaines))\b/],
];

export function kindCues(text: string): string[] {
  const norm = normalizeText(text);
  const lower = norm.toLowerCase();
  const out: string[] = [];
  const spans = tokenSpans(norm, true);
  const first = spans.find((s) => !/^\d/.test(s.token) && s.token.length > 1);
  if (first) {
    const w = first.token;
    if (INFINITIVE.test(w) && !NOT_INFINITIVES.has(w) && !isStopword(w)) out.push(`${CUE_PREFIX}infinitive_opening`);
    out.push(`${CUE_PREFIX}first:${foldAccents(w)}`);
  }
  if (/\?\s*$/.test(norm) || norm.includes('?')) out.push(`${CUE_PREFIX}question`);
  if (/^(comment|pourquoi|quel|quelle|quels|quelles|que faire)\b/.test(lower)) out.push(`${CUE_PREFIX}question_word`);
  for (const [name, re] of PHRASES) if (re.test(lower)) out.push(CUE_PREFIX + name);
  if (/\d/.test(norm)) out.push(`${CUE_PREFIX}number`);
  const n = spans.length;
  out.push(`${CUE_PREFIX}len:${n <= 5 ? 'xs' : n <= 12 ? 's' : n <= 25 ? 'm' : 'l'}`);
  return out;
}
