/**
 * People's names in French free text: after a title ("le Dr Martin", "docteur Bernard", "Mme Fictif"),
 * after a kinship or role cue ("mon fils Lucas", "ma voisine Jeanne"), after "s'appelle", and given
 * names from the shipped list (first-names.txt) with the family name that follows them. Names that are
 * also words or places (first-names-ambiguous.txt) need a supporting context. Returns spans only.
 */
import { readFileSync } from 'node:fs';
import { stripAccents } from '../text/french.ts';

export interface NameSpan { start: number; end: number }

/** Lower case without accents, curly apostrophes made straight: the key of every word list here. */
export function foldKey(s: string): string {
  // fast path: most words are plain ASCII
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return stripAccents(s).toLowerCase().replace(/’/g, "'");
}

/** Fold of the words seen lately: the same words come back in every text. Bounded, emptied when full. */
const foldCache = new Map<string, string>();
function cachedFold(w: string): string {
  let k = foldCache.get(w);
  if (k === undefined) {
    if (foldCache.size > 50_000) foldCache.clear();
    k = foldKey(w);
    foldCache.set(w, k);
  }
  return k;
}

function readList(file: string): string[] {
  return readFileSync(new URL(file, import.meta.url), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

const FIRST_NAMES = new Set(readList('./first-names.txt').map(foldKey));
type Ambiguity = 'word' | 'brand' | 'place';
const AMBIGUOUS = new Map<string, Ambiguity>(readList('./first-names-ambiguous.txt').map((l) => {
  const [name, kind] = l.split('\t');
  return [foldKey(name!), (kind ?? 'word') as Ambiguity];
}));

export function firstNameCount(): number { return FIRST_NAMES.size; }

const set = (s: string) => new Set(s.split(/\s+/).filter(Boolean).map(foldKey));

/** Titles written in any case; a name follows them directly ("docteur Martin", "Mme Fictif"). */
const TITLES = set(`docteur docteure dr dre professeur professeure pr madame monsieur mademoiselle mme mmes mlle mlles mr maître maitre`);
/** Professions used as a title before a name ("l'infirmière Sandrine"); no particle may follow them. */
const PROFESSIONS = set(`infirmier infirmière infirmiere kiné kine kinésithérapeute sage-femme pharmacien pharmacienne aide-soignant aide-soignante
  auxiliaire ostéopathe orthophoniste psychologue dentiste chirurgien chirurgienne gynécologue pédiatre psychiatre cardiologue ergothérapeute
  podologue diététicienne diététicien éducatrice éducateur brancardier aide-ménagère ambulancier ambulancière`);
/** Offices before a name ("le sénateur Barthe", "la conseillère départementale Viguié", "le maire, Francis,"). */
const OFFICES = set(`député députée sénateur sénatrice maire adjoint adjointe conseiller conseillère président présidente directeur directrice
  cadre élu élue vice-président vice-présidente secrétaire trésorier trésorière`);
const OFFICE_ADJ = set(`municipal municipale départemental départementale régional régionale communautaire général générale délégué déléguée
  adjoint adjointe honoraire`);
/** Kinship and role nouns: after a possessive or an article, the next capitalised word is a person. */
const KIN = set(`fils fille mari femme épouse époux mère père maman papa sœur soeur frère voisin voisine ami amie copain copine compagnon compagne
  conjoint conjointe fiancé fiancée neveu nièce oncle tante cousin cousine petit-fils petite-fille grand-mère grand-père belle-mère beau-père
  belle-fille beau-fils belle-sœur belle-soeur beau-frère filleul filleule parrain marraine enfant bébé aîné aînée cadet cadette collègue
  aidant aidante patient patiente résident résidente locataire benjamin benjamine gendre bru mamie papi papy tonton tata nounou petit petite
  généraliste médecin infirmière infirmier kiné`);
const DETERMINERS_POSSESSIVE = set(`mon ma mes notre nos son sa ses leur leurs votre vos ton ta le la l' un une cette ce cet`);
/** Adjectives allowed between a kinship noun and the name ("mon fils aîné Lucas"). */
const KIN_ADJ = set(`aîné aînée cadet cadette petit petite grand grande jeune cher chère défunt défunte feu regretté regrettée dernier dernière`);
/** Articles and prepositions after which a word-like name is a word ("la Victoire", "en France"). */
const ARTICLES = set(`le la les l' un une des du au aux ce cet cette ces en`);
const PREPOSITIONS = set(`à a de d' en vers depuis sur sous pour par près jusqu' jusqu'à au aux du dans entre`);
const POSSESSIVES = set(`mon ma mes notre nos son sa ses leur leurs votre vos ton ta`);
const DE = set(`de du d'`);
/** Places named after their owner: "la maison de Jeanne" is Jeanne's house, not a place called Jeanne. */
const POSSESSED = set(`maison résidence foyer pharmacie village hameau club association cabinet salle espace`);
/** Words that introduce a name: "s'appelle Rose", "prénommée Claude". */
const NAMING = set(`s'appelle s'appelait s'appellent s'appelaient prénommé prénommée nommé nommée dénommé dénommée surnommé surnommée`);
/** Particles inside a family name. */
const PARTICLES = set(`de du des d' le la van von der den di da del della dos ben ibn ould el al`);
/** Role words after a title: "Monsieur le Maire", "Madame la Directrice" are not names. */
const ROLES = set(`maire préfet préfète président présidente directeur directrice député députée sénateur sénatrice ministre conseiller conseillère
  adjoint adjointe docteur docteure professeur recteur rectrice curé abbé délégué déléguée tout tous toute toutes chef cheffe responsable
  x y z secrétaire commissaire inspecteur inspectrice juge procureur procureure générale général`);
/**
 * Common nouns of health roles that a title may precede in a report's heading ("Dr Urgentiste de garde",
 * "Docteur Généraliste"): a role, not a name, after a title only.
 */
const TITLE_ROLES = set(`généraliste generaliste urgentiste médecin medecin spécialiste specialiste interne internes remplaçant remplaçante
  référent référente coordinateur coordinatrice régulateur régulatrice libéral libérale hospitalier hospitalière`);
/** Capitalised words that are never part of a person's name. */
const STOP = set(`lundi mardi mercredi jeudi vendredi samedi dimanche janvier février fevrier mars avril mai juin juillet août aout septembre octobre
  novembre décembre et ou mais donc or ni car je tu il elle on nous vous ils elles ce cela ça qui que quoi dont où mon ma mes son sa ses notre votre leur
  merci bonjour bonsoir oui non alors ddn puis depuis pendant avec sans pour chez ars chu ch chr chs ehpad samu smur cpam caf mdph msa pmi cmp cmpp ssiad had
  ime esat ccas clic maia dac cpts msp urps ald apa aah rsa cmu css ame irm orl sos vsl rdv tgv ter sncf edf covid ok sms pdf ssr usld mas fam
  hôpital hopital clinique centre santé france région departement département conseil urgences urgence ameli doctolib vitale internet facebook
  google asalée asalee ipa padhue ifsi ide as ash aide ehpa résidence maison pôle pole service services unité gériatrie pédiatrie maternité
  cardiologie oncologie psychiatrie radiologie covid-19 sida vih avc bpco hta dmla travail mutuelle assurance maladie sécurité sociale
  le la les un une des du de`);
/** Nouns of places and institutions: a given name right after them names the place ("hôpital Jean-Verdier", "rue Victor Hugo"). */
const INSTITUTIONS = set(`rue ruelle avenue av boulevard bd place allée allee impasse chemin quai square cours route passage esplanade promenade
  hôpital hopital clinique polyclinique centre chu ch chr chs chi ehpad ehpa lycée lycee collège college école ecole université universite faculté
  institut fondation maison résidence residence pôle pole foyer groupe groupement stade salle espace cité cite quartier ssr usld mas fam ime esat
  cmp cmpp csapa pharmacie cabinet syndrome maladie gare aéroport aeroport médiathèque mediatheque bibliothèque parc pont île ile loi plan prix association amicale club
  cabinet caserne mairie église eglise chapelle cathédrale hospice saint sainte st ste établissement etablissement lotissement hameau village`);
/** Nouns of natural places: "la vallée d'Aure" (only before a given name; "Mme Rivière" stays a name). */
const GEOGRAPHY = set(`vallée val côte col pays plateau lac mont massif causse forêt bois rivière gorges étang plaine bassin canton commune ville`);
/** Words that may stand between an institution noun and the name ("Centre hospitalier Jacques Cœur", "maison de santé Simone Veil"). */
const INSTITUTION_FILLERS = set(`de du des la le l' d' santé hospitalier hospitalière universitaire régional régionale départemental départementale
  intercommunal intercommunale privé privée pluridisciplinaire pluriprofessionnelle médical médicale médico-social médico-sociale spécialisé
  spécialisée général générale gériatrique psychiatrique soins suite rééducation retraite accueil public publique municipal municipale
  mutualiste national nationale enfants jeunes personnes âgées handicapés aux`);
/** Capitalised words after "France" that make an institution, not a person ("France Travail"). */
const PLACE_FOLLOWERS = set(`travail services service assos alzheimer rein parkinson santé bleu télévisions télévision info inter culture handicap
  connect rénov compétences stratégie terre nature victimes dépression insuffisants cancer ligue ville`);
/** Verbs and phrases after a name that show a person ("Jeanne m'a dit", "Rose est décédée"). */
const PERSON_VERBS = [
  "m'a", "m'avait", "m'ont", "nous a", "nous avait", "t'a", "lui a", "a dit", "dit", "disait", "me dit", "me disait", "raconte", "racontait",
  'explique', 'expliquait', "s'occupe", "s'occupait", 'souffre', 'souffrait', 'est décédé', 'est décédée', 'est morte', 'est mort', 'est née',
  'est né', 'est enceinte', 'est hospitalisée', 'est hospitalisé', 'a été hospitalisée', 'a été hospitalisé', 'est malade', 'est atteinte',
  'est atteint', 'est opérée', 'est opéré', 'travaille', 'habite', 'a accouché', 'a dû', 'a du', 'attend', 'attendait', 'a attendu', 'pense',
  'voulait', 'veut', 'ne peut', 'ne pouvait', 'a appelé', 'a téléphoné', 'a pris', 'a vu', 'est allée', 'est allé', 'est partie', 'est parti',
  'est sortie', 'est sorti', 'est tombée', 'est tombé', 'a eu', 'a fait', 'a besoin', 'a mis', 'a perdu', 'et moi', 'et elle', 'et lui',
].map((v) => foldKey(v).split(' '));

interface Tok {
  start: number;
  end: number;
  /** the word without an elided article or pronoun in front ("d'Anne" → "Anne") */
  coreStart: number;
  core: string;
  /** fold of the whole token ("s'appelle") and of its core ("anne") */
  full: string;
  key: string;
  cap: boolean;
  upper: boolean;
  /** written with an elided article or pronoun in front ("l'hôpital", "d'Anne", "m'a") */
  elided: boolean;
  /** first word of a sentence (or after a colon or a line break) */
  sentStart: boolean;
  /** the characters between the previous token and this one */
  gapBefore: string;
}

const TOKEN = /\p{L}[\p{L}\p{M}]*(?:[-'’]\p{L}[\p{L}\p{M}]*)*/gu;
const ELISION = /^(?:[dlmnstcj]|qu|jusqu|lorsqu|puisqu)['’](?=\p{L})/iu;

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index!;
    const word = m[0];
    const el = ELISION.exec(word);
    const core = el ? word.slice(el[0].length) : word;
    const coreStart = start + (el ? el[0].length : 0);
    const gapBefore = text.slice(prevEnd, start);
    const first = core[0]!;
    const cap = first !== first.toLowerCase();
    const upper = core.length > 1 && core === core.toUpperCase() && cap;
    const sentStart = out.length === 0 ? /^[\s«»"“”'(\-–—*•]*$/u.test(gapBefore) : /[.!?…:\n]/u.test(gapBefore);
    const full = cachedFold(word);
    out.push({ start, end: start + word.length, coreStart, core, full, key: el ? cachedFold(core) : full, cap, upper, elided: el !== null, sentStart, gapBefore });
    prevEnd = start + word.length;
  }
  return out;
}

/** Only spaces between two tokens (no punctuation): they may belong to one name. */
const tight = (t: Tok) => /^[ \t\u00a0]+$/u.test(t.gapBefore);
const isNameListed = (key: string) => FIRST_NAMES.has(key) || (key.includes('-') && !/^(?:saint|sainte|st|ste)-/.test(key) && key.split('-').every((p) => FIRST_NAMES.has(p)));

/** One text being read: its tokens and the names found so far (left to right). */
class NameReader {
  readonly toks: Tok[];
  readonly n: number;
  readonly out: NameSpan[] = [];
  /** index of the last token already in a name */
  covered = -1;
  /** token indices where accepted names ended, to accept "Lucas et Rose" */
  readonly nameEnds = new Set<number>();

  /** a text written in capitals: a capitalised word there says nothing about a family name */
  readonly shouting: boolean;

  constructor(readonly text: string) {
    this.toks = tokenize(text);
    this.n = this.toks.length;
    this.shouting = !/\p{Ll}/u.test(text);
  }

  surnameWord(j: number): boolean {
    const { toks } = this;
    const t = toks[j];
    if (!t || !tight(t) || t.sentStart || !t.cap || (t.upper && this.shouting)) return false;
    if (STOP.has(t.key) || TITLES.has(t.key) || INSTITUTIONS.has(t.key) || ROLES.has(t.key) || KIN.has(t.key)) return false;
    return !t.elided; // "d'Anne" is not a family name
  }
  /** Family name after a given name: up to two words, with particles ("Le Goff", "de La Tour"). Returns the last token index. */
  extendSurname(i: number): number {
    const { toks, n } = this;
    let last = i;
    let words = 0;
    for (let j = i + 1; j < n && words < 2;) {
      const t = toks[j]!;
      // particles: "Jeanne de Villefranche", "Marie de La Tour", "Yves Le Goff" (a lower-case "le"/"la" is an article)
      let k = j;
      while (k < n && k - j < 3 && PARTICLES.has(toks[k]!.full) && tight(toks[k]!) && !toks[k]!.sentStart
        && !((toks[k]!.key === 'le' || toks[k]!.key === 'la') && !toks[k]!.cap)) k++;
      if (k > j && this.surnameWord(k)) { last = k; words++; j = k + 1; continue; }
      if (t.elided && t.full.startsWith("d'") && t.cap && tight(t) && !t.sentStart) { last = j; words++; j++; continue; }
      if (!this.surnameWord(j)) break;
      last = j; words++; j++;
    }
    return last;
  }
  accept(from: number, to: number) {
    const { toks } = this;
    this.out.push({ start: toks[from]!.coreStart, end: toks[to]!.end });
    this.covered = to;
    this.nameEnds.add(to);
  }
  followedByPersonVerb(j: number): boolean {
    const { toks } = this;
    const next = toks[j + 1];
    if (!next || /[.!?…:;,]/u.test(next.gapBefore)) {
      // apposition: "Florence, ma voisine," / "Pierre, mon fils"
      const role = toks[j + 2];
      if (next && /^\s*,\s*$/u.test(next.gapBefore) && DETERMINERS_POSSESSIVE.has(next.full) && role && (KIN.has(role.key) || PROFESSIONS.has(role.key) || OFFICES.has(role.key))) return true;
      if (next && /^\s*,\s*$/u.test(next.gapBefore) && next.elided && next.full.startsWith("l'") && (KIN.has(next.key) || PROFESSIONS.has(next.key) || OFFICES.has(next.key))) return true;
      return false;
    }
    return PERSON_VERBS.some((v) => v.every((w, k) => {
      const t = toks[j + 1 + k];
      return t !== undefined && t.full === w && (k === 0 || tight(t) || /^\s+$/u.test(t.gapBefore));
    }));
  }
  coordinated(i: number): boolean {
    const { toks } = this;
    const prev = toks[i - 1];
    if (!prev) return false;
    if ((prev.key === 'et' || prev.key === 'ou') && this.nameEnds.has(i - 2)) return true;
    return /^\s*,\s*$/u.test(toks[i]!.gapBefore) && this.nameEnds.has(i - 1);
  }
  inInstitution(i: number): boolean {
    const { toks, n } = this;
    for (let j = i - 1, k = 0; j >= 0 && k < 6; j--, k++) {
      const p = toks[j]!;
      if (/[.!?…;,\n]/u.test(toks[j + 1]!.gapBefore)) return false;
      if (INSTITUTIONS.has(p.key) || GEOGRAPHY.has(p.key)) return !(k === 1 && POSSESSED.has(p.key) && DE.has(toks[i - 1]!.full));
      if (k === 0 && toks[i]!.elided && toks[i]!.full.startsWith("d'") && POSSESSED.has(p.key)) return false;
      if (!(p.cap || INSTITUTION_FILLERS.has(p.full) || INSTITUTION_FILLERS.has(p.key) || /^\d+$/.test(p.core))) return false;
    }
    return false;
  }
  /** A strong context (title, kinship, "s'appelle") was read just before token j: read the name there. */
  nameAfterCue(j: number, allowParticle: boolean, lowerAmbiguous = false): boolean {
    const { toks, text } = this;
    const t = toks[j];
    // a title may end with its dot ("Pr. Ndiaye"); a kinship noun may have a comma after it ("ma voisine, Jeanne")
    if (!t || !(allowParticle ? /^\.?[\s\u00a0]+$/u : /^\s*,?[\s\u00a0]+$/u).test(t.gapBefore)) return false;
    if (allowParticle && PARTICLES.has(t.full) && this.surnameWordLoose(j + 1)) {
      // "Monsieur de Villefranche", "Dr Le Goff"
      this.accept(j, this.extendSurname(j + 1));
      return true;
    }
    if (allowParticle && t.full.startsWith("d'") && /^\p{Lu}/u.test(t.core)) { this.accept(j, this.extendSurname(j)); return true; }
    // a title after the cue ("mon voisin M. Roques") is read by the title rule; a role after a title is no name
    if (allowParticle && (TITLE_ROLES.has(t.key) || PROFESSIONS.has(t.key))) return false;
    if (TITLES.has(t.key) || (t.core.length <= 2 && t.cap && text[t.end] === '.') || t.core === 'Me') return false;
    const listedLower = !t.cap && isNameListed(t.key) && (lowerAmbiguous || !AMBIGUOUS.has(t.key)) && t.key.length >= 3;
    if (!(this.surnameWordLoose(j) || listedLower)) return false;
    this.accept(j, this.extendSurname(j));
    return true;
  }
  /** A capitalised word (or an initial) right after a cue, whatever the list says. */
  surnameWordLoose(j: number): boolean {
    const { toks } = this;
    const t = toks[j];
    if (!t || !t.cap) return false;
    if (STOP.has(t.key) || TITLES.has(t.key) || INSTITUTIONS.has(t.key) || ROLES.has(t.key)) return false;
    return !t.elided;
  }

  run(): NameSpan[] {
    const { toks, n, text } = this;
    for (let i = 0; i < n; i++) {
      if (i <= this.covered) continue;
      const t = toks[i]!;
      const next = toks[i + 1];
      const determined = t.full.startsWith("l'") || (i > 0 && DETERMINERS_POSSESSIVE.has(toks[i - 1]!.full));

      // 1. Titles: "Dr Martin", "docteur Bernard", "Mme Fictif", "M. Le Goff", "Me Girard", "Pr. J. Moreau"
      const dotAfter = text[t.end] === '.';
      const isTitle = (TITLES.has(t.key) && !t.elided && !(t.key === 'pr' && !t.cap))
        || (t.core === 'M' && dotAfter) || (t.core === 'MM' && dotAfter) || t.core === 'Me' || t.core === 'Mr';
      if (isTitle && next) {
        // initials: "Pr J. Moreau"
        if (next.core.length === 1 && next.cap && text[next.end] === '.' && toks[i + 2] && this.surnameWordLoose(i + 2)) {
          this.accept(i + 1, this.extendSurname(i + 2));
          continue;
        }
        if (this.nameAfterCue(i + 1, true)) continue;
      }
      if (PROFESSIONS.has(t.key) && next && !next.sentStart && next.cap && this.surnameWordLoose(i + 1)) {
        this.accept(i + 1, this.extendSurname(i + 1));
        continue;
      }
      if (OFFICES.has(t.key) && i > 0 && (determined || t.full.startsWith("l'")) && next) {
        let j = i + 1;
        if (OFFICE_ADJ.has(toks[j]!.key) && !toks[j]!.cap) j++;
        const c = toks[j];
        if (c && !c.sentStart && c.cap && /^\s*,?\s+$/u.test(c.gapBefore) && this.surnameWordLoose(j) && !PARTICLES.has(c.full)) {
          this.accept(j, this.extendSurname(j));
          continue;
        }
      }
      // 2. Kinship and role cues: "mon fils Lucas", "ma voisine, Jeanne", "sa fille aînée Rose"
      if (KIN.has(t.key) && determined && next) {
        let j = i + 1;
        if (KIN_ADJ.has(toks[j]!.key) && !toks[j]!.cap) j++;
        if (toks[j] && this.nameAfterCue(j, false, true)) continue;
      }
      // 3. "s'appelle Rose", "prénommée Claude"
      if (NAMING.has(t.full) && next && this.nameAfterCue(i + 1, false)) continue;

      // 4. Given names from the list. In lower case ("j'ai vu martine") only names that are no French word,
      // of 4 letters or more, not after an article.
      if (!t.cap) {
        const prevTok = toks[i - 1];
        if (t.elided || t.key.length < 4 || !isNameListed(t.key) || AMBIGUOUS.has(t.key) || STOP.has(t.key)) continue;
        if (prevTok && (ARTICLES.has(prevTok.full) || PREPOSITIONS.has(prevTok.full) || INSTITUTIONS.has(prevTok.key))) continue;
        this.accept(i, this.extendSurname(i));
        continue;
      }
      if (t.elided && !t.full.startsWith("d'")) continue; // "l'Olive", "l'Aurore" are not people
      if (!isNameListed(t.key) || STOP.has(t.key)) continue;
      if (t.upper && t.core.length <= 5) continue; // an acronym ("ELISA", "MAIA"), not a given name
      const prev = toks[i - 1];
      if (prev && /^(?:saint|sainte|st|ste)$/.test(prev.key) && /^[\s-]*$/u.test(t.gapBefore)) continue;
      if (this.inInstitution(i)) continue;
      const amb = AMBIGUOUS.get(t.key);
      if (amb) {
        const afterArticle = prev !== undefined && !/[.!?…;:,]/u.test(t.gapBefore) && (ARTICLES.has(prev.full) || (amb === 'brand' && POSSESSIVES.has(prev.full)));
        const afterPreposition = (prev !== undefined && !/[.!?…;:,]/u.test(t.gapBefore) && PREPOSITIONS.has(prev.full)) || t.full.startsWith("d'");
        const strongCue = this.followedByPersonVerb(i) || this.coordinated(i)
          || (prev !== undefined && ['avec', 'chez'].includes(prev.key) && amb !== 'place');
        const surname = this.surnameWord(i + 1) && !(amb === 'place' && PLACE_FOLLOWERS.has(toks[i + 1]!.key));
        let ok: boolean;
        if (amb === 'place') ok = strongCue || (surname && !afterPreposition && !afterArticle);
        else if (amb === 'brand') ok = strongCue || (surname && !afterArticle);
        else ok = strongCue || (!afterArticle && (surname || !t.sentStart));
        if (!ok) continue;
      }
      this.accept(i, this.extendSurname(i));
    }
    return this.out;
  }
}

export function findNames(text: string): NameSpan[] {
  return new NameReader(text).run();
}
