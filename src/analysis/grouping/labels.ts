/**
 * Labels of common ideas that state the idea: a short French phrase supported by the group's members (a noun
 * or verb phrase that several members use, shown as they write it), distinctive against the sibling groups,
 * never a salutation, never in capitals (except the health acronyms of src/domain/health-lexicon.ts), never a
 * truncated sentence; a parent and its children, and two siblings, never share a label. Deterministic: the
 * members come ordered by centrality with ties broken by text, and every choice is broken by text.
 */
import { canonicalAcronym, healthAcronym, isHealthAcronym } from '../../domain/health-lexicon.ts';
import { FRENCH_STOPWORDS, foldAccents, isAcronym, normalizeText, stemKey, tokenSpans } from '../text/index.ts';
import { lexiconRunAt } from './matrix.ts';

/** Longest part of a member's text read for labels (characters). */
const LABEL_TEXT_CHARS = 3000;
/** Longest phrase: content words, and words in all (articles, prepositions included). */
const MAX_CONTENT = 6;
const MAX_WORDS = 10;

// Words that never start or end a label: opinion and modal verbs of rhetorical openers (« Je pense que… »,
// « Il faudrait que… »), auxiliaries, vague adverbs and fillers. Accent-folded, lower case.
const WEAK = new Set(`
pense pensons pensent penser crois croyons croire trouve trouvons trouver semble semblent sembler
faut faudrait faudra fallait falloir souhaite souhaitons souhaitent souhaiterais souhaiterions souhaiter
veux voulons voudrais voudrions vouloir aimerais aimerions aimerait propose proposons suggere suggerons
demande demandons espere esperons peut peuvent pourrait pourraient pourrions pouvoir puisse puissent doit doivent
devrait devraient devrions devoir serait seraient etre ete etait etaient sera seront avoir avait avaient aura
fait faits faite font sait savoir dit dire vais va vont allons est sont ai as avons avez ont
plus moins tres trop aussi vraiment encore bien mieux tout tous toute toutes deja beaucoup peu
souvent toujours jamais parfois ainsi donc alors car puis enfin notamment exemple etc chose choses gens
oui non part cela ceci ca celui celle ceux celles chaque certains certaines autre autres meme memes
quelque quelques tel telle tels telles vrai sinon afin lorsque quand comme selon avis pourquoi comment
cf ex via svp ok matiere niveau cadre sein facon maniere travers grace egard titre moment sorte type
un une deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente quarante cinquante cent mille
premier premiere second seconde dernier derniere aucun aucune rien ras an ans annee annees mois jour jours heure heures minute minutes
semaine semaines fois demi demie ci dessous dessus dela hors suivant suivants suivante suivantes
`.trim().split(/\s+/));

// Words that say little alone: a label needs one content word outside this list. Generic action verbs may
// start a label (« Développer l’offre de formation ») but never end it. Listed as words, compared as stems.
const GENERIC_VERBS = new Set(`
mettre developper favoriser renforcer creer ameliorer permettre faciliter promouvoir soutenir accompagner
encourager valoriser augmenter maintenir organiser assurer prendre rendre mener agir lutter reduire limiter
mobiliser poursuivre generaliser elaborer communiquer sensibiliser informer garantir simplifier ouvrir revoir
proposer travailler aller venir trouver donner continuer disposer besoin possible necessaire important
`.trim().split(/\s+/).map((w) => stemKey(w)));
const GENERIC = new Set([...GENERIC_VERBS, ...`
sante soin soins patient patients personne personnes mise place prise charge acces action actions creation
developpement amelioration renforcement besoins projet projets aide aides demande demandes approche question
questions probleme problemes solution solutions proposition propositions idee idees an ans annee annees mois jour
jours heure heures minute minutes semaine semaines fois nouveau nouveaux nouvelle nouvelles different differents
differentes unique general generale niveau ensemble moyen moyens nombre augmentation diminution
`.trim().split(/\s+/).map((w) => stemKey(w))]);

// Function words that open a new clause for labels: relatives, purposes and subject pronouns, so a label never
// runs across « …qui… », « …pour réduire… », « …nous… ».
const CLAUSE_WORDS = new Set(`
qui que qu' dont ou lorsque lorsqu' quand car mais si parce puisque puisqu' afin comme
je j' tu il ils elle elles nous vous on me m' se s' te t'
`.trim().split(/\s+/));
// After an auxiliary (« j’ai roulé », « nous avons appelé »), a participle tells a story: it never starts a label.
const AUX = new Set('ai as a avons avez ont suis es est sommes etes sont ete etait etaient avait avaient'.split(' '));
// « pour » opens a purpose clause before a verb, not before a determiner (« pour les personnes âgées »)
const DETERMINERS = new Set("le la les l' un une des du de d' ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs tous toutes tout toute chaque aux au certains certaines plusieurs".split(' '));

// Words after which a lone word is a noun (« des médecins », « aux urgences »), not a verb (« il prend »).
const NOUN_BEFORE = new Set([...DETERMINERS, ...'a à en sans par sur sous dans avec chez vers pour contre entre'.split(' ').map((w) => foldAccents(w))]);

// Titles of persons: a phrase with one is a speaker's name or role, never an idea.
const TITLE = /^(?:dr|docteur|docteure|pr|mme|mr|mlle|monsieur|madame)$/;

// Politeness and salutations: a phrase containing one of these words is never a label.
const POLITE = /^(?:merci|remerci|bonjour|bonsoir|madame|monsieur|mesdames|messieurs|cordial|salutation|felicit|bravo)/;

/** True for a label that is a salutation or a thank-you (« Merci… », « Madame, Monsieur », « Bonjour »). */
export function isSalutation(label: string): boolean {
  const f = foldAccents(normalizeText(label).toLowerCase());
  return /^(?:merci|je vous remercie|nous vous remercions|remerciements?|bonjour|bonsoir|madame|monsieur|mesdames|messieurs|cordialement|salutations|bien a vous|en vous remerciant|cheres? (?:madame|monsieur|amis?|collegues?)|chers (?:messieurs|mesdames|tous|amis|collegues))\b/.test(f);
}

/** True for a label written in capitals (an acronym of the health lexicon alone, or with its expansion, is not). */
export function isAllCaps(label: string): boolean {
  const words = normalizeText(label).match(/[\p{L}]+/gu) ?? [];
  const letters = words.filter((w) => !isHealthAcronym(w) || w !== w.toUpperCase());
  if (letters.length === 0) return false;
  const joined = letters.join('');
  return joined.length >= 2 && joined === joined.toLocaleUpperCase('fr-FR') && joined !== joined.toLocaleLowerCase('fr-FR');
}

// ---------------------------------------------------------------------------------------------------------
// Phrases of a text

interface Unit {
  /** stem (or acronym token) of a content word; '' for a function word */
  key: string;
  start: number;
  end: number;
  /** index of its first and last word in the clause (for the MAX_WORDS limit) */
  word: number;
  lastWord: number;
  weak: boolean;
  polite: boolean;
  /** right after a determiner or a preposition: read as a noun, so it may be a label alone */
  noun?: boolean;
  /** right after an auxiliary: never starts a phrase */
  afterAux?: boolean;
  /** a non-final part of a hyphenated word (« rendez » of « rendez-vous »): never ends a phrase */
  joinNext?: boolean;
  /** a non-first part: never starts a phrase */
  joinPrev?: boolean;
}

const BOUNDARY = /[.;:!?()[\]{}"«»…\n,/|=+*•·]|\s-\s/;

/** Clauses of a text as units, with the normalised text their offsets point into. */
function clauses(raw: string): { text: string; clauses: Unit[][] } {
  const text = normalizeText(raw.length > LABEL_TEXT_CHARS ? raw.slice(0, LABEL_TEXT_CHARS) : raw);
  const out: Unit[][] = [];
  let cur: Unit[] = [];
  let words = 0, last = 0;
  const flush = (): void => { if (cur.length) out.push(cur); cur = []; words = 0; };
  const toks = tokenSpans(text, true);
  toks.forEach((t, ti) => {
    const lowTok = foldAccents(t.token);
    if (BOUNDARY.test(text.slice(last, t.start)) || CLAUSE_WORDS.has(lowTok)) flush();
    if (lowTok === 'pour' && !DETERMINERS.has(foldAccents(toks[ti + 1]?.token ?? ''))) flush();
    last = t.end;
    const afterDet = NOUN_BEFORE.has(foldAccents(toks[ti - 1]?.token ?? '')) && cur.length > 0;
    const afterAux = AUX.has(foldAccents(toks[ti - 1]?.token ?? '')) && cur.length > 0;
    // hyphenated words are read in parts, as the grouping analyzer does
    const parts: { s: string; start: number }[] = [];
    if (t.surface.includes('-') && !/^\d/.test(t.surface)) {
      let o = t.start;
      for (const p of t.surface.split('-')) { if (p) parts.push({ s: p, start: o }); o += p.length + 1; }
    } else parts.push({ s: t.surface, start: t.start });
    parts.forEach((p, pi) => {
      const lower = p.s.toLowerCase();
      const folded = foldAccents(lower);
      const fn = folded.endsWith("'") || FRENCH_STOPWORDS.has(folded) || (folded.length < 2 && !/\d/.test(folded));
      const acr = isAcronym(p.s) ? canonicalAcronym(p.s) : undefined;
      const key = fn ? '' : acr ? acr.toLowerCase() : /^\d/.test(folded) ? folded : isAcronym(p.s) && p.s.length <= 5 ? folded : stemKey(lower);
      const w = words++;
      cur.push({
        key, start: p.start, end: p.start + p.s.length, word: w, lastWord: w, weak: fn || WEAK.has(folded) || /^\d/.test(folded),
        polite: POLITE.test(folded) || TITLE.test(folded), ...(pi < parts.length - 1 ? { joinNext: true } : {}), ...(pi > 0 ? { joinPrev: true } : {}), ...(afterAux && pi === 0 ? { afterAux: true } : {}), ...(afterDet && pi === 0 ? { noun: true } : {}),
      });
    });
  });
  flush();
  // spelled-out health terms become one unit keyed by their acronym (so « IPA » and the expansion match)
  const merged = out.map((cl) => {
    const content = cl.filter((u) => u.key);
    const keys = content.map((u) => u.key);
    const res: Unit[] = [];
    for (let i = 0; i < content.length;) {
      const hit = lexiconRunAt(keys, i);
      const u = content[i] as Unit;
      if (hit && hit.length > 1) {
        const lastU = content[i + hit.length - 1] as Unit;
        res.push({ key: hit.token, start: u.start, word: u.word, end: lastU.end, lastWord: lastU.lastWord, weak: false, polite: false, noun: true });
        i += hit.length;
      } else { res.push(u); i++; }
    }
    return res;
  }).filter((cl) => cl.length > 0);
  return { text, clauses: merged };
}

/**
 * Display form of a span: lower case, health acronyms in capitals, spaces collapsed; a word capitalised inside
 * the span (not its first word, not all caps) is a proper noun as its writer spelt it (« Millau ») and stays so.
 */
function display(span: string): string {
  let i = 0;
  return span.replace(/\s+/g, ' ').replace(/[\p{L}\p{N}]+/gu, (w) => {
    const first = i++ === 0;
    if (isHealthAcronym(w) && isAcronym(w)) return w.toUpperCase();
    if (!first && /^\p{Lu}\p{Ll}+$/u.test(w)) return w;
    return w.toLocaleLowerCase('fr-FR');
  });
}

/** Candidate phrases of one text: content-word windows of a clause → their span as written (first seen). */
function phrasesOf(raw: string): Map<string, string> {
  const { text, clauses: cls } = clauses(raw);
  const out = new Map<string, string>();
  for (const cl of cls) {
    const units = cl;
    for (let i = 0; i < units.length; i++) {
      const a = units[i] as Unit;
      if (a.weak || a.polite || a.joinPrev || a.afterAux) continue;
      const keys: string[] = [];
      let specific = false;
      for (let j = i; j < units.length && j < i + MAX_CONTENT; j++) {
        const b = units[j] as Unit;
        if (b.polite) break;
        if (b.lastWord - a.word + 1 > MAX_WORDS) break;
        keys.push(b.key);
        if (!b.weak && !GENERIC.has(b.key)) specific = true;
        if (b.weak || b.joinNext || !specific || GENERIC_VERBS.has(b.key)) continue;
        // a lone word is a label only where it reads as a noun or is an acronym
        if (j === i && !a.noun && !isAcronym(text.slice(a.start, a.end))) continue;
        const key = keys.join(' ');
        if (!out.has(key)) out.set(key, text.slice(a.start, b.end));
      }
    }
  }
  return out;
}

/** Content keys of each clause of a text, as " k1 k2 … " strings (for containment checks). */
function clauseKeys(raw: string): string[] {
  return clauses(raw).clauses.map((cl) => ` ${cl.map((u) => u.key).join(' ')} `);
}

/** Key of a label: its content stems (the expansion form « … (IPA) » keys as the acronym). */
export function labelKey(label: string): string {
  const m = /^(.*)\s\(([\p{Lu}\p{N}]+)\)$/u.exec(normalizeText(label));
  const acr = m ? canonicalAcronym(m[2] as string) : undefined;
  if (acr) return acr.toLowerCase();
  return clauses(label).clauses.flatMap((cl) => cl.map((u) => u.key)).join(' ');
}

/** Number of texts in which the label's phrase occurs (same stems in a row, within one clause). */
export function labelSupport(label: string, texts: readonly string[]): number {
  const key = labelKey(label);
  if (!key) return 0;
  let n = 0;
  for (const t of texts) if (clauseKeys(t).some((c) => c.includes(` ${key} `))) n++;
  return n;
}

/** True when the label's phrase occurs in one of the texts (stops at the first). */
export function labelOccursIn(label: string, texts: Iterable<string>): boolean {
  const key = labelKey(label);
  if (!key) return false;
  for (const t of texts) if (clauseKeys(t).some((c) => c.includes(` ${key} `))) return true;
  return false;
}

/** True when a label is supported by `count` of `n` members: ≥ 2 members, or ≥ 30 % of a small group. */
export function isSupported(count: number, n: number): boolean {
  return count >= 2 || (n > 0 && count >= 1 && count / n >= 0.3);
}

// ---------------------------------------------------------------------------------------------------------
// Choosing labels

const LENGTH_BONUS = [0, 0.4, 1, 1.12, 1.18, 1.2, 1.2];

interface Candidate { key: string; label: string; df: number; score: number }

function capitalise(s: string): string {
  const acr = healthAcronym(s);
  if (acr && !acr.ambiguous && s === acr.acronym) {
    // a lone acronym says little to a reader: spell it out
    const e = acr.expansion;
    return `${e.charAt(0).toLocaleUpperCase('fr-FR')}${e.slice(1)} (${acr.acronym})`;
  }
  return s.charAt(0).toLocaleUpperCase('fr-FR') + s.slice(1);
}

const fold = (s: string): string => foldAccents(normalizeText(s).toLowerCase()).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Phrases of texts already read (a model's groups share members with their parents and siblings). */
export class PhraseCache {
  private m = new Map<string, Map<string, string>>();
  of(text: string): Map<string, string> {
    let p = this.m.get(text);
    if (!p) { p = phrasesOf(text); this.m.set(text, p); }
    return p;
  }
}

/**
 * Ranked candidate labels of a group from its member texts (most central first), against the texts of its
 * siblings (`rest`): share of members using the phrase × how much rarer it is among the siblings × a bonus for
 * phrases of 2–5 content words; a phrase contained in a longer one used by nearly as many members gives way.
 */
function candidates(texts: readonly string[], rest: readonly string[], cache: PhraseCache): Candidate[] {
  const n = texts.length;
  if (n === 0) return [];
  const df = new Map<string, number>();
  const surf = new Map<string, Map<string, number>>();
  for (const t of texts) {
    for (const [k, d] of cache.of(t)) {
      df.set(k, (df.get(k) ?? 0) + 1);
      let s = surf.get(k); if (!s) { s = new Map(); surf.set(k, s); }
      s.set(d, (s.get(d) ?? 0) + 1);
    }
  }
  const minDf = n >= 2 ? Math.min(2, Math.max(1, Math.ceil(0.3 * n))) : 1;
  const bonus = (c: { df: number; len: number }): number => c.df * (LENGTH_BONUS[c.len] ?? 1.2);
  // the 300 most used phrases are enough to rank (keeps the closed-phrase pass below quadratic in 300, not in all)
  let cands = [...df.entries()].filter(([, d]) => d >= minDf).map(([key, d]) => ({ key, df: d, len: key.split(' ').length }))
    .sort((a, b) => bonus(b) - bonus(a) || cmp(a.key, b.key)).slice(0, 300);
  // closed phrases: drop a phrase when a longer one containing it is used by ≥ 85 % as many members
  cands.sort((a, b) => b.len - a.len || b.df - a.df || cmp(a.key, b.key));
  const kept: typeof cands = [];
  for (const c of cands) {
    if (kept.some((l) => l.len > c.len && l.df >= 0.85 * c.df && ` ${l.key} `.includes(` ${c.key} `))) continue;
    kept.push(c);
  }
  cands = kept.sort((a, b) => b.df * (LENGTH_BONUS[a.len] ?? 1) - a.df * (LENGTH_BONUS[b.len] ?? 1) || cmp(a.key, b.key)).slice(0, 40);
  const restSets = rest.map((t) => cache.of(t));
  const out = cands.map((c) => {
    const share = c.df / n;
    const rdf = restSets.length ? restSets.filter((s) => s.has(c.key)).length / restSets.length : 0;
    const contrast = Math.max(0.15, 1 - rdf / share);
    const byForm = new Map<string, number>();
    for (const [span, k] of surf.get(c.key) as Map<string, number>) { const d = display(span); byForm.set(d, (byForm.get(d) ?? 0) + k); }
    const forms = [...byForm.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
    return { key: c.key, label: capitalise((forms[0] as [string, number])[0]), df: c.df, score: share * contrast * (LENGTH_BONUS[c.len] ?? 1.2) };
  });
  return out.sort((a, b) => b.score - a.score || b.df - a.df || cmp(a.label, b.label));
}

// Rhetorical openers stripped from a clause used as a fallback label.
const OPENER = /^(?:(?:et|mais|donc|alors|enfin|aussi|puis)\s+)?(?:je|j'|nous|on|il|moi|pour moi|selon moi|à mon avis|a mon avis)?\s*(?:pense|pensons|crois|croyons|trouve|trouvons|souhaite(?:rais)?|souhaitons|voudrais|voudrions|aimerais|aimerions|propose|proposons|suggère|suggérons|demande|demandons|espère|espérons|faut|faudrait|faudra|serait (?:bien|bon|utile|souhaitable|nécessaire|important|intéressant)|semble|me semble|est (?:important|nécessaire|urgent|indispensable|essentiel))?\s*(?:qu'|que|de|d')?\s*/iu;

/** A clause of one member, cleaned of openers, as a label of 2–10 words (undefined when none fits). */
function clauseLabel(texts: readonly string[]): string | undefined {
  for (const t of texts.slice(0, 5)) {
    const { text, clauses: cls } = clauses(t);
    for (const cl of cls) {
      if (cl.length === 0 || cl.some((u) => u.polite)) continue;
      let s = text.slice((cl[0] as Unit).start, (cl[cl.length - 1] as Unit).end);
      for (let i = 0; i < 3; i++) { const r = s.replace(OPENER, ''); if (r === s) break; s = r; }
      const words = s.split(/\s+/).filter(Boolean);
      if (words.length < 2 || words.length > MAX_WORDS) continue;
      if (!cl.some((u) => u.key && !u.weak)) continue;
      return capitalise(display(s));
    }
  }
  return undefined;
}

/** The most central short text (≤ MAX_WORDS words, not politeness) as written, case normalised. */
function shortText(texts: readonly string[]): string | undefined {
  for (const t of texts.slice(0, 5)) {
    const s = normalizeText(t).replace(/^[\s\-–•*·>»"'.,;:!?()]+/u, '').replace(/[\s;:,.!?\-–]+$/u, '');
    const words = s.split(/\s+/).filter(Boolean);
    if (words.length === 0 || words.length > MAX_WORDS || isSalutation(s) || !/\p{L}/u.test(s)) continue;
    return capitalise(display(s));
  }
  return undefined;
}

/** A group to label: its member texts, most central first (ties broken by text), and its place in the tree. */
export interface LabelNode {
  id: string;
  parent: string | null;
  /** theme of the group ('' without themes): top groups of one scope are siblings */
  scope: string;
  others: boolean;
  /** a label kept as is (written by a human) */
  fixed?: string;
  texts: readonly string[];
}

export interface LabelOptions {
  cache?: PhraseCache;
  /** label of the « Autres » bucket, kept as is and never given to another group */
  othersLabel: string;
  /** sibling texts compared per group (default 60 per sibling) */
  restPerSibling?: number;
}

/**
 * Labels of a whole model: top groups of a scope first (largest first), then each group's sub-ideas; each picks
 * its best candidate phrase that no group of its scope (theme) already uses, its parent's included, else a cleaned clause
 * of a central member, else its best phrase qualified by a distinctive one (« … — … »), else numbered.
 */
export function assignLabels(nodes: readonly LabelNode[], o: LabelOptions): Map<string, string> {
  const cache = o.cache ?? new PhraseCache();
  const out = new Map<string, string>();
  const restN = o.restPerSibling ?? 60;
  const byParent = new Map<string, LabelNode[]>();
  for (const nd of nodes) {
    const k = nd.parent === null ? `top:${nd.scope}` : `sub:${nd.parent}`;
    byParent.set(k, [...(byParent.get(k) ?? []), nd]);
  }
  // labels already given in the scope (theme): a reader of a theme sees each label once, whatever its level
  const labelSet = (set: LabelNode[], parentLabel: string | undefined, taken: Set<string>): void => {
    // human labels and the Autres bucket first: they are fixed
    taken.add(fold(o.othersLabel));
    if (parentLabel) taken.add(fold(parentLabel));
    const parentKey = parentLabel ? labelKey(parentLabel) : '';
    for (const nd of set) {
      if (nd.others) out.set(nd.id, o.othersLabel);
      else if (nd.fixed !== undefined) { out.set(nd.id, nd.fixed); taken.add(fold(nd.fixed)); }
    }
    const todo = set.filter((nd) => !nd.others && nd.fixed === undefined)
      .sort((a, b) => b.texts.length - a.texts.length || cmp(a.id, b.id));
    for (const nd of todo) {
      const rest = set.filter((x) => x !== nd && !x.others).flatMap((x) => x.texts.slice(0, restN));
      const cands = candidates(nd.texts, rest, cache);
      const free = (l: string): boolean => !taken.has(fold(l));
      // a child does not take a piece of its parent's phrase (« Mentale » under « Santé mentale »)
      const inParent = (k: string): boolean => parentKey !== '' && ` ${parentKey} `.includes(` ${k} `);
      let label = cands.find((c) => free(c.label) && !inParent(c.key))?.label;
      if (label === undefined) { const c = clauseLabel(nd.texts) ?? shortText(nd.texts); if (c && free(c)) label = c; }
      if (label === undefined) {
        const base = cands[0]?.label ?? clauseLabel(nd.texts) ?? shortText(nd.texts) ?? 'Contributions diverses';
        // qualify with a short phrase of the group that shares no word with the base
        const baseKeys = new Set(labelKey(base).split(' '));
        const qualified = (c: Candidate): string => `${base} — ${c.label.charAt(0).toLocaleLowerCase('fr-FR')}${c.label.slice(1)}`;
        const q = cands.find((c) => c.key.split(' ').length <= 3 && !c.key.split(' ').some((k) => baseKeys.has(k)) && free(qualified(c)));
        label = q ? qualified(q) : undefined;
        for (let i = 2; label === undefined || !free(label); i++) label = `${base} (${i})`;
      }
      taken.add(fold(label));
      out.set(nd.id, label);
    }
  };
  const groupsOf = (k: string): LabelNode[] => byParent.get(k) ?? [];
  const scopes = [...new Set(nodes.filter((n) => n.parent === null).map((n) => n.scope))].sort(cmp);
  for (const s of scopes) {
    const tops = groupsOf(`top:${s}`);
    const taken = new Set<string>();
    // every fixed label of the scope is reserved before any is generated
    for (const nd of nodes) if (nd.scope === s && nd.fixed !== undefined) taken.add(fold(nd.fixed));
    labelSet(tops, undefined, taken);
    for (const t of tops.slice().sort((a, b) => cmp(a.id, b.id))) {
      const subs = groupsOf(`sub:${t.id}`);
      if (subs.length) labelSet(subs, out.get(t.id), taken);
    }
  }
  return out;
}

/** Label of one group from its member texts alone (most central first): its best supported phrase. */
export function phraseLabel(texts: readonly string[], cache = new PhraseCache()): string | undefined {
  const c = candidates(texts, [], cache)[0];
  return c?.label ?? clauseLabel(texts);
}

// ---------------------------------------------------------------------------------------------------------
// Measuring labels

/** The parts of a grouping model this measure reads (GroupingModel fits). */
export interface LabelledModel {
  groups: readonly { id: string; parent: string | null; theme?: string; label: string; others: boolean }[];
  membership: Readonly<Record<string, string>>;
}

export interface LabelQuality {
  /** labels measured (every group but the Autres buckets) */
  labels: number;
  /** labels whose phrase occurs in ≥ 2 members, or in ≥ 30 % of a small group */
  supported: number;
  supportedShare: number;
  /** pairs of a parent and a child with the same label */
  parentChildDuplicates: number;
  /** pairs of siblings (top groups of a theme, sub-ideas of a group) with the same label */
  siblingDuplicates: number;
  salutations: number;
  allCaps: number;
  /** labels ending with « … » */
  truncated: number;
  /** the unsupported and faulty labels, for reading */
  faulty: string[];
}

/** Label quality of a model on its items: supported share, duplicates, salutations, all caps, truncations. */
export function labelQuality(model: LabelledModel, items: readonly { id: string; text: string }[]): LabelQuality {
  const text = new Map(items.map((i) => [i.id, i.text]));
  const direct = new Map<string, string[]>();
  for (const [c, g] of Object.entries(model.membership)) direct.set(g, [...(direct.get(g) ?? []), c]);
  const kids = new Map<string, string[]>();
  for (const g of model.groups) if (g.parent !== null) kids.set(g.parent, [...(kids.get(g.parent) ?? []), g.id]);
  const q: LabelQuality = { labels: 0, supported: 0, supportedShare: 0, parentChildDuplicates: 0, siblingDuplicates: 0, salutations: 0, allCaps: 0, truncated: 0, faulty: [] };
  const byId = new Map(model.groups.map((g) => [g.id, g]));
  const sib = new Map<string, string[]>();
  for (const g of model.groups) {
    if (g.others) continue;
    q.labels++;
    const members = [g.id, ...(kids.get(g.id) ?? [])].flatMap((id) => direct.get(id) ?? []).map((id) => text.get(id) ?? '');
    const ok = isSupported(labelSupport(g.label, members), members.length);
    if (ok) q.supported++;
    const sal = isSalutation(g.label), caps = isAllCaps(g.label), cut = /…\s*$/.test(g.label);
    if (sal) q.salutations++;
    if (caps) q.allCaps++;
    if (cut) q.truncated++;
    if (!ok || sal || caps || cut) q.faulty.push(`${g.id}: ${g.label}${ok ? '' : ' (non étayé)'}`);
    const parent = g.parent === null ? undefined : byId.get(g.parent);
    if (parent && fold(parent.label) === fold(g.label)) { q.parentChildDuplicates++; q.faulty.push(`${g.id}: ${g.label} (= parent)`); }
    const k = g.parent === null ? `top:${g.theme ?? ''}` : `sub:${g.parent}`;
    const seen = sib.get(k) ?? [];
    if (seen.includes(fold(g.label))) { q.siblingDuplicates++; q.faulty.push(`${g.id}: ${g.label} (= sœur)`); }
    sib.set(k, [...seen, fold(g.label)]);
  }
  q.supportedShare = q.labels ? q.supported / q.labels : 1;
  return q;
}
